//! The whole HTTP app: API routes behind the origin guard and rate limit, the demo's static files,
//! and the tower layers every answer passes: request tracing, a Host check, JSON errors, headers.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderValue, StatusCode, Version};
use axum::middleware::{from_fn, from_fn_with_state, map_response, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::api::{self, AppState};
use crate::auth::Token;
use crate::cors::{self, Cors};
use crate::error::{error_body, json_response, ApiError};
use crate::limit::{self, RateLimit};
use crate::registry::Registry;
use crate::store::{Batcher, Ledger};

/// Where the app finds its parts.
pub struct Parts<'a> {
    /// The consent ledger.
    pub ledger: Arc<dyn Ledger>,
    /// Its writer.
    pub writer: Batcher,
    /// The policy editions records are checked against.
    pub registry: Registry,
    /// The token for the subject view, the export and whole entries.
    pub token: Token,
    /// Requests per second per client address (0: none).
    pub rate_limit: u32,
    /// How long a request body may take.
    pub body_timeout: Duration,
    /// The origin policy for the API.
    pub cors: Cors,
    /// The SMS confirmations' sender, validity and limits.
    pub confirm: crate::confirm::Service,
    /// Static files served under `/`.
    pub www: &'a Path,
    /// The wasm package served under `/pkg`.
    pub pkg: &'a Path,
}

/// The router serving the API, `/healthz`, `/pkg/*` and everything else from `www`. Each request
/// must carry its peer's `ConnectInfo<SocketAddr>` (the accept loop puts it there).
pub fn router(parts: Parts<'_>) -> Router {
    let state = AppState {
        ledger: parts.ledger,
        writer: parts.writer,
        registry: Arc::new(parts.registry),
        token: Arc::new(parts.token),
        body_timeout: parts.body_timeout,
        confirm: Arc::new(parts.confirm),
    };
    let api = Router::new()
        .route("/v1/consents", post(api::post_consent))
        .route("/v1/consents/{id}", get(api::get_consent))
        .route("/v1/subjects/{subject}/consents", get(api::get_subject))
        .route("/v1/export", get(api::export))
        .route("/v1/confirmations", post(crate::confirmations::create))
        .route("/v1/confirmations/{id}", post(crate::confirmations::verify))
        .route("/v1/confirmations/{id}/receipt", post(crate::receipts::send))
        .route("/v1/receipts/{code}", get(crate::receipts::lookup))
        .route("/v1/policies", get(crate::console::policies))
        .route("/v1/policies/{policy}/{version}/{language}", get(crate::console::policy_text))
        .route("/v1/verify", get(crate::console::verify))
        .route("/v1/stats", get(crate::console::stats))
        .route("/v1", any(api::unknown_path))
        .route("/v1/{*rest}", any(api::unknown_path))
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(from_fn_with_state(Arc::new(parts.cors), cors::guard))
        .layer(from_fn_with_state(Arc::new(RateLimit::new(parts.rate_limit)), limit::guard))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let files = Router::new()
        .nest_service("/pkg", ServeDir::new(parts.pkg))
        .fallback_service(ServeDir::new(parts.www))
        .layer(map_response(json_errors));
    Router::new()
        .route("/healthz", get(api::healthz))
        .route("/console", get(crate::console::to_page))
        .route("/console/", get(crate::console::asset))
        .route("/console/{file}", get(crate::console::asset))
        .method_not_allowed_fallback(api::method_not_allowed)
        .merge(api)
        .merge(files)
        .layer(from_fn(require_host))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    // The route template, never the path: a subject view's path holds the subject ref.
                    let route =
                        request.extensions().get::<MatchedPath>().map_or("(static)", MatchedPath::as_str);
                    tracing::debug_span!("request", method = %request.method(), route)
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::DEBUG)),
        )
        .with_state(state)
}

/// 400 for an HTTP/1.1 request without a Host header (RFC 9112 §3.2 requires one).
async fn require_host(request: Request, next: Next) -> Response {
    if request.version() == Version::HTTP_11 && !request.headers().contains_key(header::HOST) {
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            "missing_host",
            "an HTTP/1.1 request must carry a Host header",
        )
        .into_response();
    }
    next.run(request).await
}

/// The static file server's own error answers, made JSON like every other error.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let mut answer = match status {
        StatusCode::NOT_FOUND => ApiError::not_found("no such file").into_response(),
        StatusCode::METHOD_NOT_ALLOWED => {
            let mut answer = ApiError::method_not_allowed("static files answer GET and HEAD").into_response();
            answer.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            answer
        }
        other => {
            let reason =
                other.canonical_reason().unwrap_or("error").to_ascii_lowercase().replace([' ', '-'], "_");
            json_response(other, error_body(&reason, "the file could not be served as asked", None))
        }
    };
    for name in [header::CONTENT_RANGE, header::ALLOW] {
        if let Some(value) = response.headers().get(&name) {
            answer.headers_mut().insert(name, value.clone());
        }
    }
    answer
}
