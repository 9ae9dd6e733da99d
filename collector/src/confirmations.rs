//! `POST /v1/confirmations` (a code sent by SMS) and `POST /v1/confirmations/{id}` (the code typed
//! back). Logs name neither the phone nor the code.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use kelisim::lang::Lang;
use kelisim::validate::phone::Phone;
use serde::Serialize;

use crate::api::{blocking, failed, now_ms, AppState};
use crate::confirm::attempt::{self, Answer};
use crate::confirm::{code, text, MAX_ATTEMPTS};
use crate::cors::OriginScope;
use crate::error::{json, ApiError};
use crate::fields::{invalid_field, Fields};
use crate::store::{Confirmation, ConfirmationState, Opened};

/// The answer to a new confirmation.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Created<'a> {
    confirmation_id: &'a str,
    expires_at: String,
    attempts_left: u32,
}

/// The answer to the right code.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Verified<'a> {
    confirmation_id: &'a str,
    verified: bool,
}

/// 404 for an id the collector never gave out (or that is not a version-4 UUID).
pub fn unknown() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "unknown_confirmation",
        "no confirmation has this id; ask for one with POST /v1/confirmations",
    )
}

/// 503 without `--sms-command`.
pub fn unavailable() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "sms_unavailable",
        "this collector sends no SMS: start it with --sms-command CMD",
    )
}

/// 502: the SMS command failed or timed out.
pub fn sms_failed() -> ApiError {
    ApiError::new(StatusCode::BAD_GATEWAY, "sms_failed", "the SMS could not be sent; ask again later")
}

/// 403 unless the request's origin may act for `policy_id`.
pub fn check_scope(scope: Option<&OriginScope>, policy_id: &str, field: &str) -> Result<(), ApiError> {
    match scope {
        Some(scope) if !scope.permits(policy_id) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            "this origin may act only for the policies it is listed with (--allow-origin ORIGIN=POLICY)",
        )
        .at(field)),
        _ => Ok(()),
    }
}

/// The confirmation `id`, if the path holds a version-4 UUID the collector gave out.
pub async fn find(
    state: &AppState,
    id: Result<Path<String>, PathRejection>,
) -> Result<Confirmation, ApiError> {
    let id = match id {
        Ok(Path(id)) if kelisim::id::is_uuid(&id) => id,
        _ => return Err(unknown()),
    };
    let ledger = Arc::clone(&state.ledger);
    blocking("confirmation read", move || ledger.confirmation(&id)).await?.ok_or_else(unknown)
}

/// `POST /v1/confirmations {phone, policyId, language}`: stores a confirmation and sends its code.
pub async fn create(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Result<Response, ApiError> {
    let scope = request.extensions().get::<OriginScope>().cloned();
    let fields = Fields::read(request, state.body_timeout, &["phone", "policyId", "language"]).await?;
    let policy_id = fields.text("policyId")?;
    check_scope(scope.as_ref(), policy_id, "policyId")?;
    let phone = Phone::parse(fields.text("phone")?, false)
        .map_err(|e| invalid_field("phone", &format!("not a Kazakhstani mobile number ({:?})", e.code())))?;
    let lang = match fields.text("language")? {
        "kk" => Lang::Kk,
        "ru" => Lang::Ru,
        "en" => Lang::En,
        _ => return Err(invalid_field("language", "must be kk, ru or en")),
    };
    let Some(config) = state.registry.latest(policy_id) else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_policy",
            "no policy with this id is registered with the collector (--policies)",
        )
        .at("policyId"));
    };
    let operator =
        config.operator.name.try_get(lang).unwrap_or_else(|| config.operator.name.get(Lang::Ru)).to_owned();
    let service = Arc::clone(&state.confirm);
    let Some(sender) = service.sender.clone() else {
        return Err(unavailable());
    };
    service.per_client.take(peer.ip()).map_err(|seconds| {
        too_many_codes("too many codes were asked for from this address; retry after Retry-After seconds")
            .retry_after(seconds)
    })?;
    let fresh = code::fresh().map_err(|e| failed("code", e))?;
    let id = kelisim::id::uuid_v4(code::random_bytes::<16>().map_err(|e| failed("confirmation id", e))?);
    let created_at_ms = now_ms();
    let ttl_ms = i64::try_from(service.ttl.as_millis()).unwrap_or(i64::MAX);
    let confirmation = Confirmation {
        id: id.clone(),
        phone: phone.e164().to_owned(),
        policy_id: policy_id.to_owned(),
        language: lang.code().to_owned(),
        created_at_ms,
        expires_at_ms: created_at_ms.saturating_add(ttl_ms),
        salt: fresh.salt,
        code_hash: fresh.hash,
        state: ConfirmationState::Sending,
        attempts: 0,
        verified_at_ms: None,
        receipts_sent: 0,
    };
    let expires_at = kelisim::time::format_rfc3339_millis(confirmation.expires_at_ms);
    let (ledger, windows) = (Arc::clone(&state.ledger), service.phone_windows.clone());
    let stored = confirmation.clone();
    let opened = blocking("confirmation", move || ledger.open_confirmation(&stored, &windows)).await?;
    if let Opened::PhoneLimited { retry_after } = opened {
        return Err(too_many_codes(
            "too many codes were sent to this phone; retry after Retry-After seconds",
        )
        .at("phone")
        .retry_after(retry_after));
    }
    let message = text::code_message(lang, &fresh.code, &operator, service.ttl_minutes());
    let sent = sender.send(&confirmation.phone, &message).await;
    if let Err(e) = &sent {
        tracing::warn!("a confirmation code was not sent: {e}");
    }
    let ledger = Arc::clone(&state.ledger);
    let (marked, ok) = (id.clone(), sent.is_ok());
    blocking("confirmation", move || ledger.set_sent(&marked, ok)).await?;
    if sent.is_err() {
        return Err(sms_failed());
    }
    let created = Created { confirmation_id: &id, expires_at, attempts_left: MAX_ATTEMPTS };
    Ok(json(StatusCode::CREATED, &created))
}

fn too_many_codes(message: &str) -> ApiError {
    ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_codes", message)
}

/// `POST /v1/confirmations/{id} {code}`: 200 when the code is right.
pub async fn verify(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    request: Request,
) -> Result<Response, ApiError> {
    let scope = request.extensions().get::<OriginScope>().cloned();
    // The body is read first, so an early 404 or 403 does not leave it unread on the connection.
    let fields = Fields::read(request, state.body_timeout, &["code"]).await?;
    let confirmation = find(&state, id).await?;
    check_scope(scope.as_ref(), &confirmation.policy_id, "policyId")?;
    let typed = fields.text("code")?.to_owned();
    if !code::is_code(&typed) {
        return Err(invalid_field("code", "must be the 6 digits of the SMS"));
    }
    let (ledger, id, now) = (Arc::clone(&state.ledger), confirmation.id.clone(), now_ms());
    let judged = blocking("confirmation attempt", move || {
        ledger.attempt(&id, &|stored: &Confirmation| attempt::judge(stored, &typed, now))
    })
    .await?
    .ok_or_else(unknown)?;
    match judged.answer {
        Answer::Verified => {
            Ok(json(StatusCode::OK, &Verified { confirmation_id: &confirmation.id, verified: true }))
        }
        Answer::Wrong { attempts_left } => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong_code",
            "this is not the code that was sent",
        )
        .at("code")
        .attempts_left(attempts_left)),
        Answer::Expired => Err(ApiError::new(
            StatusCode::GONE,
            "expired",
            "the code has expired; ask for a new one with POST /v1/confirmations",
        )),
        // Its request was answered 502 without the id: only a guess reaches it.
        Answer::NotSent => Err(unknown()),
        Answer::TooManyAttempts => Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "too many wrong codes: this confirmation can no longer be verified; ask for a new one",
        )),
    }
}
