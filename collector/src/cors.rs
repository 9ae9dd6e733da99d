//! Which browser origins may call the API: the collector's own origin (`--public-origin`, never the
//! Host header) and an allowlist; preflight answers and the `Access-Control-Allow-Origin` header
//! that say so.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The collector's own origin and the origins allowed besides it, each with the policy ids it may
/// send records for (empty: any).
#[derive(Clone, Debug, Default)]
pub struct Cors {
    own: String,
    allowed: Vec<(String, Vec<String>)>,
}

/// The policy ids an allowed origin is limited to, put on the request for the handler to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginScope(pub Vec<String>);

impl OriginScope {
    /// Whether a record for `policy_id` may come from this origin.
    pub fn permits(&self, policy_id: &str) -> bool {
        self.0.is_empty() || self.0.iter().any(|p| p == policy_id)
    }
}

/// What the request's Origin header says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// No Origin header: not a cross-origin browser request (curl, a server).
    Absent,
    /// An allowed origin, echoed back in `Access-Control-Allow-Origin`.
    Allowed(HeaderValue),
    /// Any other origin.
    Denied,
}

impl Cors {
    /// A policy allowing the collector's `own` origin and `allowed` (normalized origins with their
    /// policy ids).
    pub fn new(own: String, allowed: Vec<(String, Vec<String>)>) -> Cors {
        Cors { own, allowed }
    }

    /// The policy ids `origin` is limited to (empty: any).
    fn scope(&self, origin: &HeaderValue) -> OriginScope {
        let origin = origin.to_str().unwrap_or("");
        let listed = self.allowed.iter().find(|(a, _)| a.eq_ignore_ascii_case(origin));
        OriginScope(listed.map(|(_, policies)| policies.clone()).unwrap_or_default())
    }

    /// Classifies a request by its Origin header (the Host header plays no part: a page on any
    /// host name that resolves to the collector could set it).
    pub fn check(&self, headers: &HeaderMap) -> Origin {
        let Some(value) = headers.get(header::ORIGIN) else {
            return Origin::Absent;
        };
        let Ok(origin) = value.to_str() else {
            return Origin::Denied;
        };
        let own = self.own.eq_ignore_ascii_case(origin);
        if own || self.allowed.iter().any(|(a, _)| a.eq_ignore_ascii_case(origin)) {
            Origin::Allowed(value.clone())
        } else {
            Origin::Denied
        }
    }
}

/// Middleware for the API routes: answers preflights, refuses disallowed origins with 403, and
/// marks allowed cross-origin responses.
pub async fn guard(State(cors): State<Arc<Cors>>, mut request: Request, next: Next) -> Response {
    let origin = cors.check(request.headers());
    if request.method() == Method::OPTIONS {
        return preflight(origin);
    }
    let allow = match origin {
        Origin::Denied => {
            crate::body::drain(request.into_body()).await;
            return with_vary(ApiError::origin_not_allowed().into_response());
        }
        Origin::Allowed(value) => {
            request.extensions_mut().insert(cors.scope(&value));
            Some(value)
        }
        Origin::Absent => None,
    };
    let mut response = next.run(request).await;
    if let Some(value) = allow {
        response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    with_vary(response)
}

fn preflight(origin: Origin) -> Response {
    let allow = match origin {
        Origin::Denied => return with_vary(ApiError::origin_not_allowed().into_response()),
        Origin::Allowed(value) => Some(value),
        Origin::Absent => None,
    };
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    if let Some(value) = allow {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
    headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    with_vary(response)
}

fn with_vary(mut response: Response) -> Response {
    response.headers_mut().append(header::VARY, HeaderValue::from_static("Origin"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        if let Some(o) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_str(o).unwrap());
        }
        h
    }

    const OWN: &str = "http://127.0.0.1:8787";

    #[test]
    fn requests_without_an_origin_are_let_through() {
        assert_eq!(Cors::new(OWN.into(), vec![]).check(&headers(None, "127.0.0.1:8787")), Origin::Absent);
    }

    #[test]
    fn the_collectors_own_origin_is_allowed() {
        let check =
            Cors::new(OWN.into(), vec![]).check(&headers(Some("http://127.0.0.1:8787"), "127.0.0.1:8787"));
        assert!(matches!(check, Origin::Allowed(_)));
    }

    #[test]
    fn a_host_header_naming_the_origin_does_not_make_it_the_collectors_own() {
        let rebinding = headers(Some("http://evil.example"), "evil.example");
        assert_eq!(Cors::new(OWN.into(), vec![]).check(&rebinding), Origin::Denied);
    }

    #[test]
    fn listed_origins_are_allowed_and_others_denied() {
        let cors = Cors::new(OWN.into(), vec![("https://shop.example.kz".into(), vec![])]);
        assert!(matches!(cors.check(&headers(Some("https://shop.example.kz"), "c.kz")), Origin::Allowed(_)));
        assert_eq!(cors.check(&headers(Some("https://evil.example"), "c.kz")), Origin::Denied);
        assert_eq!(cors.check(&headers(Some("null"), "c.kz")), Origin::Denied);
        assert_eq!(
            cors.check(&headers(Some("https://c.kz"), "c.kz")),
            Origin::Denied,
            "own origin is http only"
        );
    }

    #[test]
    fn an_origin_listed_with_policies_is_scoped_to_them() {
        let cors =
            Cors::new(OWN.into(), vec![("https://beeline.kz".into(), vec!["karatel-subscribers".into()])]);
        let scope = cors.scope(&HeaderValue::from_static("https://beeline.kz"));
        assert!(scope.permits("karatel-subscribers") && !scope.permits("simply-wallet"));
        assert!(cors.scope(&HeaderValue::from_static("http://own.host")).permits("anything"));
    }
}
