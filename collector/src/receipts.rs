//! Receipts: `GET /v1/receipts/{code}` finds the entries with a receipt code as a person types it
//! (token), and `POST /v1/confirmations/{id}/receipt` texts a verified record's receipt to the
//! confirmation's phone.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kelisim::lang::Lang;
use kelisim::record::{ConsentRecord, Kind};
use serde::Serialize;

use crate::answer::EntryView;
use crate::api::{blocking, failed, AppState};
use crate::confirm::{text, MAX_RECEIPTS};
use crate::confirmations::{check_scope, find, sms_failed, unavailable};
use crate::cors::OriginScope;
use crate::error::{json, ApiError};
use crate::fields::{invalid_field, Fields};
use crate::registry::Registry;
use crate::store::Entry;

/// `{code, entries}`.
#[derive(Serialize)]
struct Found<'a> {
    code: &'a str,
    entries: Vec<EntryView<'a>>,
}

/// `GET /v1/receipts/{code}`: every entry with this receipt code, in seq order.
pub async fn lookup(
    State(state): State<AppState>,
    headers: HeaderMap,
    code: Result<Path<String>, PathRejection>,
) -> Result<Response, Response> {
    state.token.admit(&headers).map_err(IntoResponse::into_response)?;
    let none = || {
        ApiError::not_found("no record has this receipt code (8 symbols of 23456789ABCDEFGHJKLMNPQRSTUVWXYZ)")
            .into_response()
    };
    let code = match code {
        Ok(Path(typed)) => kelisim::short_code::normalize(&typed).ok_or_else(none)?,
        Err(_) => return Err(none()),
    };
    let (ledger, wanted) = (Arc::clone(&state.ledger), code.clone());
    let entries: Vec<Entry> = blocking("receipt read", move || ledger.by_receipt(&wanted))
        .await
        .map_err(IntoResponse::into_response)?;
    if entries.is_empty() {
        return Err(none());
    }
    let views = entries.iter().map(EntryView::of).collect::<Result<Vec<_>, _>>();
    let views = views.map_err(|e| failed("receipt read", e).into_response())?;
    Ok(json(StatusCode::OK, &Found { code: &code, entries: views }))
}

/// `{sent: true}`.
#[derive(Serialize)]
struct Sent {
    sent: bool,
}

/// `POST /v1/confirmations/{id}/receipt {recordId}`: 202 once the receipt SMS is sent.
pub async fn send(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    request: Request,
) -> Result<Response, ApiError> {
    let scope = request.extensions().get::<OriginScope>().cloned();
    // The body is read first, so an early 404 or 403 does not leave it unread on the connection.
    let fields = Fields::read(request, state.body_timeout, &["recordId"]).await?;
    let confirmation = find(&state, id).await?;
    check_scope(scope.as_ref(), &confirmation.policy_id, "policyId")?;
    let record_id = fields.text("recordId")?.to_owned();
    if !kelisim::id::is_uuid(&record_id) {
        return Err(invalid_field("recordId", "must be a version-4 UUID"));
    }
    let ledger = Arc::clone(&state.ledger);
    let entry = blocking("read", move || ledger.get(&record_id))
        .await?
        .ok_or_else(|| ApiError::not_found("no record is stored under this recordId").at("recordId"))?;
    let verified = entry.confirmation_id.as_deref() == Some(confirmation.id.as_str())
        && entry.confirmation_check.as_deref() == Some("verified");
    if !verified {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_verified",
            "this record is not stored with this confirmation verified; no receipt is sent",
        )
        .at("recordId"));
    }
    let Some(sender) = state.confirm.sender.clone() else {
        return Err(unavailable());
    };
    let record = ConsentRecord::from_json_text(&entry.body).map_err(|e| failed("receipt", e))?;
    let (ledger, id) = (Arc::clone(&state.ledger), confirmation.id.clone());
    if !blocking("receipt", move || ledger.take_receipt(&id, MAX_RECEIPTS)).await? {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_receipts",
            "this confirmation has already sent as many receipts as it may (2)",
        ));
    }
    let message = receipt_text(&record, &entry, &state.registry);
    if let Err(e) = sender.send(&confirmation.phone, &message).await {
        tracing::warn!("a receipt was not sent: {e}");
        return Err(sms_failed());
    }
    Ok(json(StatusCode::ACCEPTED, &Sent { sent: true }))
}

/// The receipt message of `record`, stored as `entry`, in the record's language: purposes by their
/// titles in the registered edition (their ids when the edition is not registered).
fn receipt_text(record: &ConsentRecord, entry: &Entry, registry: &Registry) -> String {
    let lang: Lang = record.policy.language;
    let edition = registry.edition(&record.policy);
    let config = edition.and_then(|e| e.in_language(lang).or_else(|| e.any()));
    let title = |id: &str| {
        let purpose = config.and_then(|c| c.purposes.iter().find(|p| p.id == id));
        purpose.map_or_else(|| id.to_owned(), |p| p.title.get(lang).to_owned())
    };
    let titles = |granted: bool| {
        record.purposes.iter().filter(|c| c.granted == granted).map(|c| title(&c.id)).collect::<Vec<_>>()
    };
    let code = text::shown_code(&entry.receipt_code);
    text::receipt_message(&text::Receipt {
        lang,
        code: &code,
        operator: &record.operator_name,
        policy_id: &record.policy.id,
        policy_version: &record.policy.version,
        withdrawal: record.kind == Kind::Withdrawal,
        granted: titles(true),
        refused: titles(false),
        decided_at: &record.collected_at,
    })
}
