//! The API handlers: a record in, a ledger call off the async executor, a JSON answer out.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use kelisim::json::{object, Json};
use kelisim::record::ConsentRecord;

use crate::body;
use crate::error::{json_response, ApiError};
use crate::log::note;
use crate::store::{Appended, Entry, Ledger, NewEntry, StoreError};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The consent ledger.
    pub ledger: Arc<dyn Ledger>,
}

/// Now as RFC 3339 UTC with milliseconds.
fn now() -> String {
    let ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    kelisim::time::format_rfc3339_millis(i64::try_from(ms).unwrap_or(i64::MAX))
}

/// Runs a blocking ledger call on the blocking pool; failures are logged (never with record data)
/// and answered with 500.
async fn blocking<T: Send + 'static>(
    what: &'static str,
    call: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(call).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => {
            note!("{what} failed: {e}");
            Err(ApiError::internal())
        }
        Err(e) => {
            note!("{what} task failed: {e}");
            Err(ApiError::internal())
        }
    }
}

fn seq_json(seq: i64) -> Json {
    Json::from(u64::try_from(seq).unwrap_or(0))
}

/// `POST /v1/consents`: stores one record (201), or acknowledges an identical retry (200).
pub async fn post_consent(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    if let Err(e) = body::require_json(&parts.headers) {
        body::drain(body).await;
        return Err(e);
    }
    let bytes = body::read_limited(body).await?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", "the body is not UTF-8 text"))?;
    let record = ConsentRecord::from_json_text(text)?;
    let entry = NewEntry::of(&record);
    let ledger = Arc::clone(&state.ledger);
    let appended = blocking("append", move || ledger.append(&entry, &now)).await?;
    let (status, label, stored) = match appended {
        Appended::Stored(e) => (StatusCode::CREATED, "stored", e),
        Appended::Duplicate(e) => (StatusCode::OK, "duplicate", e),
        Appended::Conflict => {
            return Err(ApiError {
                status: StatusCode::CONFLICT,
                code: "conflict",
                message: "a different record is already stored under this recordId; \
                          a new decision needs a new recordId"
                    .into(),
                field: Some("recordId".into()),
            });
        }
    };
    let reply = object([
        ("recordId", record.record_id.as_str().into()),
        ("status", label.into()),
        ("seq", seq_json(stored.seq)),
        ("receivedAt", stored.received_at.into()),
    ]);
    let mut response = json_response(status, reply.to_text());
    let location = format!("/v1/consents/{}", record.record_id);
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

/// `GET /v1/consents/{recordId}`: the stored record with its place in the chain.
pub async fn get_consent(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let unknown = || ApiError::not_found("no record is stored under this recordId");
    let id = match id {
        Ok(Path(id)) if kelisim::id::is_uuid(&id) => id,
        _ => return Err(unknown()),
    };
    let ledger = Arc::clone(&state.ledger);
    let entry: Entry = blocking("read", move || ledger.get(&id)).await?.ok_or_else(unknown)?;
    let record = Json::parse(&entry.body).map_err(|_| {
        note!("stored body at seq {} is not JSON", entry.seq);
        ApiError::internal()
    })?;
    let reply = object([
        ("record", record),
        ("seq", seq_json(entry.seq)),
        ("receivedAt", entry.received_at.into()),
        ("prevHash", entry.prev_hash.into()),
        ("hash", entry.hash.into()),
    ]);
    Ok(json_response(StatusCode::OK, reply.to_text()))
}

/// `GET /healthz`: 200 when the ledger can be read, 503 when it cannot.
pub async fn healthz(State(state): State<AppState>) -> Result<Response, ApiError> {
    let ledger = Arc::clone(&state.ledger);
    blocking("health check", move || ledger.ping()).await.map_err(|_| {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "internal", "the ledger cannot be read")
    })?;
    Ok(json_response(StatusCode::OK, r#"{"status":"ok"}"#.to_owned()))
}

/// Any other path under `/v1`.
pub async fn unknown_path() -> ApiError {
    ApiError::not_found("no such API path; records go to POST /v1/consents")
}

/// A known API path with a method it does not take.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this method is not allowed here: POST /v1/consents, GET /v1/consents/{recordId}",
    )
}
