//! The API handlers: a record in, a ledger call off the async executor, a JSON answer out.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use kelisim::json::{object, Json};
use kelisim::record::ConsentRecord;

use crate::auth::Token;
use crate::body;
use crate::cors::OriginScope;
use crate::error::{json_response, ApiError};
use crate::log::note;
use crate::registry::Registry;
use crate::store::{Appended, Batcher, Entry, Ledger, NewEntry, Range, StoreError};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The consent ledger, for reads.
    pub ledger: Arc<dyn Ledger>,
    /// The ledger's writer, which commits concurrent appends together.
    pub writer: Batcher,
    /// The policy texts records are checked against.
    pub registry: Arc<Registry>,
    /// The token guarding the subject view and export.
    pub token: Arc<Token>,
}

/// Rows read per page of an export.
pub const EXPORT_PAGE: usize = 1000;

/// Now as RFC 3339 UTC with milliseconds.
pub fn now() -> String {
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

/// An entry as JSON; a stored body that is not JSON is logged by seq and answered with 500.
fn entry_json(entry: &Entry) -> Result<Json, ApiError> {
    entry.to_json().map_err(|e| {
        note!("{e}");
        ApiError::internal()
    })
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
    if let Some(scope) = parts.extensions.get::<OriginScope>() {
        if !scope.permits(&record.policy.id) {
            return Err(ApiError {
                field: Some("policy.id".into()),
                ..ApiError::new(
                    StatusCode::FORBIDDEN,
                    "origin_not_allowed",
                    "this origin may send records only for the policies it is listed with (--allow-origin ORIGIN=POLICY)",
                )
            });
        }
    }
    let entry = NewEntry::of(&record, state.registry.check(&record.policy));
    let appended = state.writer.append(entry).await.map_err(|e| {
        note!("append failed: {e}");
        ApiError::internal()
    })?;
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
        ("textCheck", stored.text_check.into()),
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
    Ok(json_response(StatusCode::OK, entry_json(&entry)?.to_text()))
}

/// `GET /v1/subjects/{ref}/consents`: the decisions that stand per purpose, and the history.
pub async fn get_subject(
    State(state): State<AppState>,
    headers: HeaderMap,
    subject: Result<Path<String>, PathRejection>,
) -> Result<Response, Response> {
    state.token.admit(&headers).map_err(IntoResponse::into_response)?;
    let subject = match subject {
        Ok(Path(subject)) if !subject.contains('\0') => subject,
        _ => {
            let why = "no subject has this ref: a ref is UTF-8 text without U+0000";
            return Err(ApiError::not_found(why).into_response());
        }
    };
    let ledger = Arc::clone(&state.ledger);
    let wanted = subject.clone();
    let entries = blocking("subject read", move || ledger.subject(&wanted))
        .await
        .map_err(IntoResponse::into_response)?;
    let view = crate::subject::view(&subject, &entries).map_err(|e| {
        note!("{e}");
        ApiError::internal().into_response()
    })?;
    Ok(json_response(StatusCode::OK, view.to_text()))
}

/// `GET /v1/export?from=&to=`: the ledger as NDJSON, one entry per line in seq order, streamed
/// page by page.
pub async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, Response> {
    state.token.admit(&headers).map_err(IntoResponse::into_response)?;
    let (from, to) = crate::query::time_range(uri.query().unwrap_or("")).map_err(|(field, message)| {
        ApiError { field: Some(field), ..ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", message) }
            .into_response()
    })?;
    let range = Range { from, to, after_seq: 0, limit: EXPORT_PAGE };
    let ledger = Arc::clone(&state.ledger);
    let pages = futures_util::stream::unfold(Some(range), move |range| {
        let ledger = Arc::clone(&ledger);
        async move {
            let range = range?;
            let read = range.clone();
            let page = match tokio::task::spawn_blocking(move || ledger.range(&read)).await {
                Ok(Ok(page)) => page,
                Ok(Err(e)) => return Some((Err(export_failed(&e.to_string())), None)),
                Err(e) => return Some((Err(export_failed(&e.to_string())), None)),
            };
            let next = page
                .last()
                .filter(|_| page.len() == range.limit)
                .map(|last| Range { after_seq: last.seq, ..range });
            Some((ndjson(&page), next))
        }
    });
    let mut response = Body::from_stream(pages).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// A failed page ends the stream with an error, so the client sees a broken transfer rather than
/// a short, complete-looking export.
fn export_failed(why: &str) -> std::io::Error {
    note!("export read failed: {why}");
    std::io::Error::other("the ledger could not be read")
}

/// One page of entries as NDJSON lines.
pub fn ndjson(page: &[Entry]) -> Result<String, std::io::Error> {
    let mut out = String::new();
    for entry in page {
        out.push_str(&entry.to_json().map_err(|e| export_failed(&e.0))?.to_text());
        out.push('\n');
    }
    Ok(out)
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
        "this method is not allowed here: POST /v1/consents, GET /v1/consents/{recordId}, \
         GET /v1/subjects/{ref}/consents, GET /v1/export",
    )
}
