//! The whole HTTP app: API routes behind the origin guard, the demo's static files, and the
//! headers every response carries.

use std::path::Path;
use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::middleware::{from_fn_with_state, map_response};
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;
use tower_http::services::ServeDir;

use crate::api::{self, AppState};
use crate::auth::Token;
use crate::cors::{self, Cors};
use crate::limit::{self, RateLimit};
use crate::registry::Registry;
use crate::store::{Batcher, Ledger};

/// Where the app finds its parts.
pub struct Parts<'a> {
    /// The consent ledger.
    pub ledger: Arc<dyn Ledger>,
    /// Its writer.
    pub writer: Batcher,
    /// The policy texts records are checked against.
    pub registry: Registry,
    /// The token for the subject view and export.
    pub token: Token,
    /// Requests per second per client address (0: none).
    pub rate_limit: u32,
    /// The origin policy for the API.
    pub cors: Cors,
    /// Static files served under `/`.
    pub www: &'a Path,
    /// The wasm package served under `/pkg`.
    pub pkg: &'a Path,
}

/// The router serving the API, `/healthz`, `/pkg/*` and everything else from `www`. It needs the
/// peer address: serve it with `into_make_service_with_connect_info::<SocketAddr>()`.
pub fn router(parts: Parts<'_>) -> Router {
    let state = AppState {
        ledger: parts.ledger,
        writer: parts.writer,
        registry: Arc::new(parts.registry),
        token: Arc::new(parts.token),
    };
    let api = Router::new()
        .route("/v1/consents", post(api::post_consent))
        .route("/v1/consents/{id}", get(api::get_consent))
        .route("/v1/subjects/{subject}/consents", get(api::get_subject))
        .route("/v1/export", get(api::export))
        .route("/v1", any(api::unknown_path))
        .route("/v1/{*rest}", any(api::unknown_path))
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(from_fn_with_state(Arc::new(parts.cors), cors::guard))
        .layer(from_fn_with_state(Arc::new(RateLimit::new(parts.rate_limit)), limit::guard));
    Router::new()
        .route("/healthz", get(api::healthz))
        .merge(api)
        .nest_service("/pkg", ServeDir::new(parts.pkg))
        .fallback_service(ServeDir::new(parts.www))
        .layer(map_response(nosniff))
        .with_state(state)
}

async fn nosniff(mut response: Response) -> Response {
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}
