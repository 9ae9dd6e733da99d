//! The API handlers: a record in, a ledger call off the async executor, a JSON answer out.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use kelisim::record::ConsentRecord;

use crate::answer::{self, EntryView, Receipt, Status};
use crate::auth::{self, Token};
use crate::body;
use crate::cors::OriginScope;
use crate::decision;
use crate::error::{json, json_response, ApiError};
use crate::registry::Registry;
use crate::store::{Appended, Batcher, Entry, Ledger, NewEntry, Range, StoreError};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The consent ledger, for reads.
    pub ledger: Arc<dyn Ledger>,
    /// The ledger's writer, which commits concurrent appends together.
    pub writer: Batcher,
    /// The policy editions records are checked against.
    pub registry: Arc<Registry>,
    /// The token guarding the subject view, the export and whole entries.
    pub token: Arc<Token>,
    /// How long a request body may take to arrive.
    pub body_timeout: Duration,
    /// The SMS confirmations' sender, validity and limits.
    pub confirm: Arc<crate::confirm::Service>,
}

/// Rows read per page of an export.
pub const EXPORT_PAGE: usize = 1000;

/// Now as RFC 3339 UTC with milliseconds.
pub fn now() -> String {
    kelisim::time::format_rfc3339_millis(now_ms())
}

/// Now in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    let ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    i64::try_from(ms).unwrap_or(i64::MAX)
}

/// A ledger failure, logged (never with record data) and answered with 500.
pub fn failed(what: &str, e: impl std::fmt::Display) -> ApiError {
    tracing::error!("{what} failed: {e}");
    ApiError::internal()
}

/// Runs a blocking ledger call on the blocking pool.
pub async fn blocking<T: Send + 'static>(
    what: &'static str,
    call: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(call).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(failed(what, e)),
        Err(e) => Err(failed(what, e)),
    }
}

/// `POST /v1/consents`: stores one record (201), or acknowledges an identical retry (200).
pub async fn post_consent(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    if let Err(e) = body::require_json(&parts.headers) {
        body::drain(body).await;
        return Err(e);
    }
    let bytes = body::read_within(body, state.body_timeout).await?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", "the body is not UTF-8 text"))?;
    let record = ConsentRecord::from_json_text(text)?;
    if let Some(scope) = parts.extensions.get::<OriginScope>() {
        if !scope.permits(&record.policy.id) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "origin_not_allowed",
                "this origin may send records only for the policies it is listed with (--allow-origin ORIGIN=POLICY)",
            )
            .at("policy.id"));
        }
    }
    let edition = decision::against_edition(&record, state.registry.edition(&record.policy));
    let entry = NewEntry::of(&record, state.registry.check(&record.policy), edition);
    let appended = state.writer.append(entry).await.map_err(|e| failed("append", e))?;
    let (status, label, stored) = match appended {
        Appended::Stored(e) => (StatusCode::CREATED, "stored", e),
        Appended::Duplicate(e) => (StatusCode::OK, "duplicate", e),
        Appended::Conflict => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                "a different record is already stored under this recordId; a new decision needs a new recordId",
            )
            .at("recordId"));
        }
    };
    let receipt = Receipt::of(&record.record_id, label, &stored).map_err(|e| failed("receipt", e))?;
    let mut response = json(status, &receipt);
    let location = format!("/v1/consents/{}", record.record_id);
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

/// `GET /v1/consents/{recordId}`: without a token, only whether the record is stored, its seq and
/// receivedAt (what the browser that made it needs); with the token, the whole entry.
pub async fn get_consent(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Response> {
    let whole = auth::asks_for_more(&headers);
    if whole {
        state.token.admit(&headers).map_err(IntoResponse::into_response)?;
    }
    let unknown =
        || ApiError::not_found("no record is stored under this recordId (a version-4 UUID)").into_response();
    let id = match id {
        Ok(Path(id)) if kelisim::id::is_uuid(&id) => id,
        _ => return Err(unknown()),
    };
    let ledger = Arc::clone(&state.ledger);
    let wanted = id.clone();
    let entry: Entry = blocking("read", move || ledger.get(&wanted))
        .await
        .map_err(IntoResponse::into_response)?
        .ok_or_else(unknown)?;
    if whole {
        let view = EntryView::of(&entry).map_err(|e| failed("read", e).into_response())?;
        return Ok(json(StatusCode::OK, &view));
    }
    let status =
        Status { record_id: &id, stored: true, seq: answer::seq(entry.seq), received_at: &entry.received_at };
    Ok(json(StatusCode::OK, &status))
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
    let view =
        crate::subject::view(&subject, &entries).map_err(|e| failed("subject view", e).into_response())?;
    Ok(json(StatusCode::OK, &view))
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
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", message).at(&field).into_response()
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
                Ok(Err(e)) => return Some((Err(export_failed(&e)), None)),
                Err(e) => return Some((Err(export_failed(&e)), None)),
            };
            let next = page
                .last()
                .filter(|_| page.len() == range.limit)
                .map(|last| Range { after_seq: last.seq, ..range });
            Some((answer::ndjson(&page).map_err(|e| export_failed(&e)), next))
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
fn export_failed(why: &dyn std::fmt::Display) -> std::io::Error {
    tracing::error!("export read failed: {why}");
    std::io::Error::other("the ledger could not be read")
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
    ApiError::method_not_allowed(
        "this method is not allowed here: POST /v1/consents, GET /v1/consents/{recordId}, \
         GET /v1/subjects/{ref}/consents, GET /v1/export, POST /v1/confirmations, \
         POST /v1/confirmations/{id}, POST /v1/confirmations/{id}/receipt, GET /v1/receipts/{code}, \
         GET /v1/policies, GET /v1/policies/{policyId}/{version}/{language}, GET /v1/verify, GET /v1/stats, GET /healthz",
    )
}
