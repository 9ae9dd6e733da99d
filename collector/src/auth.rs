//! The bearer token that guards the operator's own views of the ledger: the subject view, the
//! export and whole entries; compared in constant time.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use subtle::ConstantTimeEq;

use crate::error::ApiError;

/// The token read from `--token-file`, if one was given.
#[derive(Clone, Debug, Default)]
pub struct Token(Option<String>);

impl Token {
    /// Reads the first line of `path`; an empty or short token is refused at start-up.
    pub fn from_file(path: &std::path::Path) -> Result<Token, String> {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("--token-file {}: {e}", path.display()))?;
        let token = text.lines().next().unwrap_or("").trim();
        if token.len() < 16 || !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(format!(
                "--token-file {}: the token must be at least 16 printable ASCII characters without spaces",
                path.display()
            ));
        }
        Ok(Token(Some(token.to_owned())))
    }

    /// No token: the guarded paths answer 403.
    pub fn none() -> Token {
        Token(None)
    }

    /// Admits a request whose `Authorization: Bearer` header carries the token (the scheme is
    /// case-insensitive, as every HTTP authentication scheme is).
    pub fn admit(&self, headers: &HeaderMap) -> Result<(), Denied> {
        let Some(expected) = &self.0 else {
            return Err(Denied::NotConfigured);
        };
        let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(bearer);
        match given {
            Some(given) if bool::from(given.as_bytes().ct_eq(expected.as_bytes())) => Ok(()),
            _ => Err(Denied::Unauthorized),
        }
    }
}

/// Whether a request carries an Authorization header at all.
pub fn asks_for_more(headers: &HeaderMap) -> bool {
    headers.contains_key(header::AUTHORIZATION)
}

/// The credentials of `Bearer TOKEN` (any case of `Bearer`, one or more spaces).
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

/// Why a guarded request was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    /// 403: the collector was started without `--token-file`.
    NotConfigured,
    /// 401: no token, or the wrong one.
    Unauthorized,
}

impl IntoResponse for Denied {
    fn into_response(self) -> Response {
        match self {
            Denied::NotConfigured => ApiError::new(
                StatusCode::FORBIDDEN,
                "token_not_configured",
                "the subject view and export are off: start the collector with --token-file PATH",
            )
            .into_response(),
            Denied::Unauthorized => {
                let mut response = ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "send the collector's token as Authorization: Bearer TOKEN",
                )
                .into_response();
                response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                response
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_auth(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn only_the_exact_bearer_token_is_admitted() {
        let token = Token(Some("s3cret-token-0123456789".into()));
        for right in [
            "Bearer s3cret-token-0123456789",
            "bearer s3cret-token-0123456789",
            "BEARER  s3cret-token-0123456789",
        ] {
            assert!(token.admit(&with_auth(right)).is_ok(), "{right}");
        }
        for wrong in [
            "Bearer s3cret-token-012345678",
            "Basic s3cret-token-0123456789",
            "Bearer ",
            "Bearers3cret-token-0123456789",
        ] {
            assert_eq!(token.admit(&with_auth(wrong)), Err(Denied::Unauthorized), "{wrong}");
        }
        assert_eq!(token.admit(&HeaderMap::new()), Err(Denied::Unauthorized));
        let response = Denied::Unauthorized.into_response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()[header::WWW_AUTHENTICATE], "Bearer");
    }

    #[test]
    fn without_a_configured_token_everything_is_forbidden() {
        let denied = Token::none().admit(&with_auth("Bearer anything-at-all-here")).unwrap_err();
        assert_eq!(denied.into_response().status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn a_short_token_file_is_refused() {
        let path = std::env::temp_dir().join(format!("kelisim-token-{}", std::process::id()));
        std::fs::write(&path, "short\n").unwrap();
        let err = Token::from_file(&path).unwrap_err();
        std::fs::write(&path, "a-long-enough-token-value\nignored").unwrap();
        let ok = Token::from_file(&path);
        let _ = std::fs::remove_file(&path);
        assert!(err.contains("at least 16"), "{err}");
        assert_eq!(ok.unwrap().0.as_deref(), Some("a-long-enough-token-value"));
    }
}
