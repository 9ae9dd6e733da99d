//! A small JSON object body (the confirmation endpoints' `{phone, policyId, language}`, `{code}`,
//! `{recordId}`), read field by field, each error naming its field.

use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::body;
use crate::error::ApiError;

/// The fields of a JSON object body.
pub struct Fields(Map<String, Value>);

impl Fields {
    /// Reads `request`'s body (JSON, within the size limit and `deadline`) as an object holding only
    /// the `known` fields.
    pub async fn read(request: Request, deadline: Duration, known: &[&str]) -> Result<Fields, ApiError> {
        let (parts, body) = request.into_parts();
        if let Err(e) = body::require_json(&parts.headers) {
            body::drain(body).await;
            return Err(e);
        }
        let bytes = body::read_within(body, deadline).await?;
        let invalid = |message: &str| ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", message);
        let value: Value =
            serde_json::from_slice(&bytes).map_err(|_| invalid("the body is not JSON (UTF-8)"))?;
        let Value::Object(map) = value else {
            return Err(invalid("the body must be a JSON object"));
        };
        if let Some(unknown) = map.keys().find(|k| !known.contains(&k.as_str())) {
            let fields = known.join(", ");
            // A member with an empty name has no path to give: the error names no field.
            if unknown.is_empty() {
                let message =
                    format!("a member with an empty name is not a field here; the fields are {fields}");
                return Err(ApiError::new(StatusCode::BAD_REQUEST, "unknown_field", message));
            }
            let message = format!("{unknown} is not a field here; the fields are {fields}");
            return Err(ApiError::new(StatusCode::BAD_REQUEST, "unknown_field", message).at(unknown));
        }
        Ok(Fields(map))
    }

    /// The text field `name`: 400 `missing_field` or `invalid_field` naming it.
    pub fn text(&self, name: &str) -> Result<&str, ApiError> {
        match self.0.get(name) {
            Some(Value::String(s)) => Ok(s),
            Some(_) => Err(invalid_field(name, "must be a string")),
            None => {
                Err(ApiError::new(StatusCode::BAD_REQUEST, "missing_field", format!("{name} is required"))
                    .at(name))
            }
        }
    }
}

/// 400 `invalid_field` naming `name`.
pub fn invalid_field(name: &str, why: &str) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", format!("{name}: {why}")).at(name)
}
