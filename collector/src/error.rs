//! The JSON error every failure answers with: `{"error": {"code", "message", "field"}}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kelisim::record::RecordError;
use serde::Serialize;

/// An API failure: an HTTP status, a stable code, a message for the developer, and the field at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status sent.
    pub status: StatusCode,
    /// A stable, machine-readable code such as `payload_too_large`.
    pub code: &'static str,
    /// What went wrong and what to do, in English.
    pub message: String,
    /// Path of the offending record field, e.g. `policy.textSha256`.
    pub field: Option<String>,
    /// Codes that may still be tried (a wrong confirmation code), sent as `attemptsLeft`.
    pub attempts_left: Option<u32>,
    /// Seconds to wait before asking again, sent as the `Retry-After` header.
    pub retry_after: Option<u64>,
}

/// The error body as sent.
#[derive(Serialize)]
struct Body<'a> {
    error: Detail<'a>,
}

#[derive(Serialize)]
struct Detail<'a> {
    code: &'a str,
    message: &'a str,
    field: Option<&'a str>,
    #[serde(rename = "attemptsLeft", skip_serializing_if = "Option::is_none")]
    attempts_left: Option<u32>,
}

/// `{"error":{"code","message","field"}}` as JSON text.
pub fn error_body(code: &str, message: &str, field: Option<&str>) -> String {
    detail_body(Detail { code, message, field, attempts_left: None })
}

fn detail_body(error: Detail<'_>) -> String {
    serde_json::to_string(&Body { error }).unwrap_or_else(|_| {
        r#"{"error":{"code":"internal","message":"unreachable","field":null}}"#.to_owned()
    })
}

impl ApiError {
    /// An error with no field.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            attempts_left: None,
            retry_after: None,
        }
    }

    /// The same error, naming `field`.
    pub fn at(self, field: &str) -> ApiError {
        ApiError { field: Some(field.to_owned()), ..self }
    }

    /// The same error, with `Retry-After: seconds`.
    pub fn retry_after(self, seconds: u64) -> ApiError {
        ApiError { retry_after: Some(seconds), ..self }
    }

    /// The same error, saying how many codes may still be tried.
    pub fn attempts_left(self, left: u32) -> ApiError {
        ApiError { attempts_left: Some(left), ..self }
    }

    /// 403: the request's Origin is not on the allowlist.
    pub fn origin_not_allowed() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            "this origin may not send consent records here; start the collector with --allow-origin ORIGIN \
             (or --public-origin for its own)",
        )
    }

    /// 404: nothing is stored under this id or path.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 405: the path does not take this method.
    pub fn method_not_allowed(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", message)
    }

    /// 500: the ledger failed; the cause is logged, not sent.
    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the ledger could not complete the request; retry later",
        )
    }

    /// The response body as JSON text.
    pub fn body(&self) -> String {
        detail_body(Detail {
            code: self.code,
            message: &self.message,
            field: self.field.as_deref(),
            attempts_left: self.attempts_left,
        })
    }
}

impl From<RecordError> for ApiError {
    fn from(e: RecordError) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: e.code,
            message: e.to_string(),
            field: Some(e.field).filter(|f| !f.is_empty()),
            attempts_left: None,
            retry_after: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = json_response(self.status, self.body());
        if let Some(value) = self.retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// A response with a JSON body and the given status, never cached (records are personal data).
pub fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `value` as a JSON answer with `status`; a value that cannot be written is a logged 500.
pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_string(value) {
        Ok(text) => json_response(status, text),
        Err(e) => {
            tracing::error!("cannot write an answer: {e}");
            ApiError::internal().into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_errors_keep_their_code_and_field() {
        let e = ApiError::from(RecordError {
            code: "invalid_field",
            field: "policy.textSha256".into(),
            message: "must be 64 lower-case hex digits".into(),
        });
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            e.body(),
            r#"{"error":{"code":"invalid_field","message":"policy.textSha256: must be 64 lower-case hex digits","field":"policy.textSha256"}}"#
        );
    }

    #[test]
    fn errors_without_a_field_send_null_and_text_is_escaped() {
        let e = ApiError::not_found("no \"record\" with this id");
        assert_eq!(
            e.body(),
            r#"{"error":{"code":"not_found","message":"no \"record\" with this id","field":null}}"#
        );
    }
}
