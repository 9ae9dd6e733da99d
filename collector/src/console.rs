//! The DPO's console: its page, script and style at `/console/` under a strict CSP, and the
//! token-guarded API calls only it needs — the registered policy editions, the exact text of one,
//! the daily tallies its charts draw, and the chain's proof on demand.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use kelisim::lang::Lang;
use serde::Serialize;

use crate::anchor::Anchor;
use crate::api::{blocking, AppState};
use crate::check::preview::Styles;
use crate::error::{json, ApiError};
use crate::store::tallies::Query;

/// The console's Content-Security-Policy: its own script, style and API, nothing else.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
                       img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

const PAGE: &str = include_str!("../console/index.html");
const SCRIPT: &str = include_str!("../console/console.js");
const STYLE: &str = include_str!("../console/console.css");

/// The notice's own stylesheet and the preview page's layout, for previews shown in the console.
static NOTICE_STYLE: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| [crate::check::preview::CSS, crate::check::preview::PAGE_CSS].concat());

/// `GET /console/…`: the page, its script or its style.
pub async fn asset(uri: Uri) -> Response {
    let (body, kind) = match uri.path() {
        "/console/" | "/console/index.html" => (PAGE, "text/html; charset=utf-8"),
        "/console/console.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        "/console/console.css" => (STYLE, "text/css; charset=utf-8"),
        "/console/notice.css" => (NOTICE_STYLE.as_str(), "text/css; charset=utf-8"),
        _ => return ApiError::not_found("no such console file").into_response(),
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    response
}

/// `GET /console`: to the page.
pub async fn to_page() -> Response {
    (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, "/console/")]).into_response()
}

/// One registered edition as the console lists it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Listed<'a> {
    policy_id: &'a str,
    version: &'a str,
    operator: String,
    title: String,
    purposes: Vec<&'a str>,
    languages: Vec<Offered<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Offered<'a> {
    language: &'static str,
    text_sha256: &'a str,
    file: String,
}

/// `GET /v1/policies`: every registered edition with its purposes and each language's text hash.
pub async fn policies(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, Response> {
    state.token.admit(&headers).map_err(IntoResponse::into_response)?;
    let mut listed = Vec::new();
    for (id, version, edition) in state.registry.editions() {
        let Some(config) = edition.any() else { continue };
        let lang = edition.languages().first().map_or(Lang::Kk, |l| l.0);
        listed.push(Listed {
            policy_id: id,
            version,
            operator: config.operator.name.get(lang).to_owned(),
            title: config.policy.title.get(lang).to_owned(),
            purposes: config.purposes.iter().map(|p| p.id.as_str()).collect(),
            languages: edition
                .languages()
                .into_iter()
                .map(|(lang, hash, file)| Offered {
                    language: lang.code(),
                    text_sha256: hash,
                    file: file.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                })
                .collect(),
        });
    }
    Ok(json(StatusCode::OK, &serde_json::json!({ "policies": listed })))
}

/// The exact text a notice of one edition shows in one language: what its hash is taken over.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Shown<'a> {
    policy_id: &'a str,
    version: &'a str,
    language: &'static str,
    text_sha256: String,
    text: String,
    /// The notice drawn as a visitor sees it (first shown, then with its details opened), as an
    /// HTML document with no script, styled by `/console/notice.css`.
    preview: String,
}

/// `GET /v1/policies/{policyId}/{version}/{language}`: the notice's exact text and its hash.
pub async fn policy_text(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> Result<Response, Response> {
    state.token.admit(&headers).map_err(IntoResponse::into_response)?;
    let unknown = || {
        ApiError::not_found("no registered policy edition has this id, version and language (kk, ru or en)")
            .into_response()
    };
    let Ok(Path((id, version, language))) = path else { return Err(unknown()) };
    let lang = Lang::from_tag(&language).filter(|l| l.code() == language).ok_or_else(unknown)?;
    let edition = state.registry.edition_of(&id, &version).ok_or_else(unknown)?;
    let config = edition.in_language(lang).ok_or_else(unknown)?;
    let sha = kelisim::canonical::text_sha256(config, lang);
    let file = edition.languages().into_iter().find(|l| l.0 == lang).and_then(|l| l.2.file_name());
    let file = file.map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let preview = Styles::Linked("/console/notice.css");
    let shown = Shown {
        policy_id: &id,
        version: &version,
        language: lang.code(),
        preview: crate::check::preview::page_with(config, lang, &file, &sha, preview),
        text_sha256: sha,
        text: kelisim::canonical::shown_text(config, lang),
    };
    Ok(json(StatusCode::OK, &shown))
}

/// `GET /v1/verify?anchor=SEQ:HASH`: the whole chain walked now, its head, and the anchor held.
pub async fn verify(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, Response> {
    state.token.admit(&headers).map_err(IntoResponse::into_response)?;
    let mut anchor = None;
    for (key, value) in form_pairs(uri.query().unwrap_or("")).map_err(IntoResponse::into_response)? {
        match key.as_str() {
            "anchor" => {
                let parsed = Anchor::parse(&value).map_err(|_| {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_query",
                        "anchor: SEQ:HASH as verify prints it",
                    )
                    .at("anchor")
                    .into_response()
                })?;
                anchor = Some(parsed);
            }
            _ => return Err(unknown_parameter(&key, &value, "verify takes anchor").into_response()),
        }
    }
    let ledger = Arc::clone(&state.ledger);
    let proof = blocking("verify", move || crate::proof::prove(&*ledger, anchor.as_ref()))
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(json(StatusCode::OK, &proof))
}

/// `GET /v1/stats?policy=&version=&from=&to=&language=&channel=`: the daily tallies of an edition
/// (or of all), days `YYYY-MM-DD` from and to both included, summed over the languages and
/// channels not asked for.
pub async fn stats(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, Response> {
    state.token.admit(&headers).map_err(IntoResponse::into_response)?;
    let mut query = Query::default();
    let bad = |field: &str, why: &str| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", why).at(field).into_response()
    };
    for (key, value) in form_pairs(uri.query().unwrap_or("")).map_err(IntoResponse::into_response)? {
        let slot = match key.as_str() {
            "policy" => &mut query.policy_id,
            "version" => &mut query.policy_version,
            "from" => &mut query.from_day,
            "to" => &mut query.to_day,
            "language" => &mut query.language,
            "channel" => &mut query.channel,
            _ => {
                return Err(unknown_parameter(
                    &key,
                    &value,
                    "stats take policy, version, from, to, language and channel",
                )
                .into_response())
            }
        };
        if slot.is_some() {
            return Err(bad(&key, "given twice"));
        }
        if (key == "from" || key == "to") && kelisim::time::parse_date(&value).is_none() {
            return Err(bad(&key, "a day written YYYY-MM-DD"));
        }
        *slot = Some(value);
    }
    let ledger = Arc::clone(&state.ledger);
    let tallies =
        blocking("stats", move || ledger.tallies(&query)).await.map_err(IntoResponse::into_response)?;
    Ok(json(StatusCode::OK, &serde_json::json!({ "tallies": tallies })))
}

/// A query parameter the call does not take, named by its name, or by the whole pair without one.
fn unknown_parameter(key: &str, value: &str, takes: &str) -> ApiError {
    let field = if key.is_empty() { format!("={value}") } else { key.to_owned() };
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", format!("unknown query parameter; {takes}"))
        .at(&field)
}

/// The `key=value` pairs of a query, percent-decoded; a query that does not decode is refused.
fn form_pairs(query: &str) -> Result<Vec<(String, String)>, ApiError> {
    serde_urlencoded::from_str(query).map_err(|_| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", "the query is not valid percent-encoding")
    })
}
