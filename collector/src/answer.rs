//! The collector's own JSON answers, written with serde: receipts, entries, a record's status.
//! A stored record and its findings are embedded as the exact text the ledger holds.

use serde::Serialize;
use serde_json::value::RawValue;

use crate::store::{Entry, StoreError};

/// A ledger row as the API, the subject view and the export show it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryView<'a> {
    pub seq: u64,
    pub received_at: &'a str,
    pub prev_hash: &'a str,
    pub hash: &'a str,
    pub text_check: &'a str,
    pub decision_check: &'a str,
    pub decision_findings: &'a RawValue,
    pub confirmation_check: &'a str,
    pub confirmation_reason: Option<&'a str>,
    pub receipt_code: &'a str,
    pub record: &'a RawValue,
}

/// The confirmation check as the views spell it: `verified` or `unverified` as stored, `none` for
/// a record without a confirmation, `unchecked` for one stored before confirmations were checked.
pub fn confirmation_check(entry: &Entry) -> &str {
    match (&entry.confirmation_check, &entry.confirmation_id) {
        (Some(check), _) => check,
        (None, Some(_)) => "unchecked",
        (None, None) => "none",
    }
}

/// `seq` as the API writes it (rows start at 1).
pub fn seq(seq: i64) -> u64 {
    u64::try_from(seq).unwrap_or(0)
}

/// Stored text that must be JSON; a row whose text is not is reported by seq (`verify` finds it).
fn raw<'a>(entry: &Entry, what: &str, text: &'a str) -> Result<&'a RawValue, StoreError> {
    serde_json::from_str(text)
        .map_err(|_| StoreError(format!("the stored {what} at seq {} is not JSON", entry.seq)))
}

impl<'a> EntryView<'a> {
    pub fn of(entry: &'a Entry) -> Result<EntryView<'a>, StoreError> {
        Ok(EntryView {
            seq: seq(entry.seq),
            received_at: &entry.received_at,
            prev_hash: &entry.prev_hash,
            hash: &entry.hash,
            text_check: &entry.text_check,
            decision_check: &entry.decision_check,
            decision_findings: raw(entry, "decision findings", &entry.decision_findings)?,
            confirmation_check: confirmation_check(entry),
            confirmation_reason: entry.confirmation_reason.as_deref(),
            receipt_code: &entry.receipt_code,
            record: raw(entry, "body", &entry.body)?,
        })
    }
}

/// The answer to a POST: what became of the record, its place in the chain and its checks.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt<'a> {
    pub record_id: &'a str,
    pub status: &'a str,
    pub seq: u64,
    pub received_at: &'a str,
    pub text_check: &'a str,
    pub decision_check: &'a str,
    pub decision_findings: &'a RawValue,
    pub confirmation_check: &'a str,
    pub confirmation_reason: Option<&'a str>,
    pub receipt_code: &'a str,
}

impl<'a> Receipt<'a> {
    pub fn of(record_id: &'a str, status: &'a str, entry: &'a Entry) -> Result<Receipt<'a>, StoreError> {
        Ok(Receipt {
            record_id,
            status,
            seq: seq(entry.seq),
            received_at: &entry.received_at,
            text_check: &entry.text_check,
            decision_check: &entry.decision_check,
            decision_findings: raw(entry, "decision findings", &entry.decision_findings)?,
            confirmation_check: confirmation_check(entry),
            confirmation_reason: entry.confirmation_reason.as_deref(),
            receipt_code: &entry.receipt_code,
        })
    }
}

/// What anyone holding a record id may learn: that it is stored, where and when — nothing of it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status<'a> {
    pub record_id: &'a str,
    pub stored: bool,
    pub seq: u64,
    pub received_at: &'a str,
}

/// One page of entries as NDJSON lines.
pub fn ndjson(page: &[Entry]) -> Result<String, StoreError> {
    let mut out = String::new();
    for entry in page {
        let line = serde_json::to_string(&EntryView::of(entry)?).map_err(|e| StoreError(e.to_string()))?;
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}
