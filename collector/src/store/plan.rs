//! The append plan: what a batch of new entries becomes in the chain — new rows with their seq,
//! time, decision check and hashes, duplicates, conflicts, and the new head — computed once, from
//! what a backend read inside its write transaction. Both backends write the plan as it is.

use std::collections::{HashMap, HashSet};

use kelisim::json::Json;
use kelisim::record::Kind;

use super::chain::{link_hash, Hashed};
use super::{Appended, Confirmation, Entry, NewEntry};
use crate::confirm::check::{self, Claim, ConfirmationCheck};
use crate::decision::{self, Decided, DecisionCheck, Previous};

/// What a backend must read before planning a batch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wanted {
    /// The rows under these record ids (the batch's own, and those its records point to).
    pub record_ids: Vec<String>,
    /// Every row of these subjects, in seq order (the subjects whose withdrawals are in the batch).
    pub subjects: Vec<String>,
    /// These confirmations, and whether a stored row already counted each as verified.
    pub confirmation_ids: Vec<String>,
}

impl Wanted {
    /// What planning `batch` needs to know.
    pub fn of(batch: &[NewEntry]) -> Wanted {
        let mut wanted = Wanted::default();
        let add = |list: &mut Vec<String>, value: &str| {
            if !list.iter().any(|v| v == value) {
                list.push(value.to_owned());
            }
        };
        for entry in batch {
            add(&mut wanted.record_ids, &entry.record_id);
            if let Some(previous) = &entry.previous_record_id {
                add(&mut wanted.record_ids, previous);
            }
            if entry.kind == Kind::Withdrawal.as_str() {
                add(&mut wanted.subjects, &entry.subject_ref);
            }
            if let Some(id) = &entry.confirmation_id {
                add(&mut wanted.confirmation_ids, id);
            }
        }
        wanted
    }
}

/// What the backend read for [`Wanted`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Known {
    /// Stored rows by record id.
    pub rows: HashMap<String, Entry>,
    /// The wanted subjects' rows, in seq order.
    pub history: Vec<Entry>,
    /// The wanted confirmations the collector has, by id.
    pub confirmations: HashMap<String, Confirmation>,
    /// The wanted confirmations that a stored row counted as verified.
    pub used: HashSet<String>,
}

/// One row to insert: the entry of `batch[index]`, as it goes into the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub index: usize,
    pub row: Entry,
}

/// The outcome of each entry of the batch, the rows to insert, and the head after them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub outcomes: Vec<Appended>,
    pub rows: Vec<Planned>,
    /// The new head (last seq and hash), if any row is new.
    pub head: Option<(i64, String)>,
}

/// Where a record points and what the subject has granted, as the chain stands.
#[derive(Default)]
struct Ledger<'a> {
    /// Record id → (subject ref, policy id), stored or planned earlier in the batch.
    owners: HashMap<String, (String, String)>,
    /// (subject ref, policy id, purpose id) → granted, by the latest decision in chain order.
    standing: HashMap<(String, String, String), bool>,
    stored: HashMap<&'a str, Entry>,
}

impl<'a> Ledger<'a> {
    fn decide(&mut self, subject: &str, policy: &str, purposes: &[(String, bool)]) {
        for (purpose, granted) in purposes {
            self.standing.insert((subject.to_owned(), policy.to_owned(), purpose.clone()), *granted);
        }
    }
}

/// A stored record's owner (subject ref, policy id) and the purposes it decides, with `granted`.
type Decisions = ((String, String), Vec<(String, bool)>);

/// The owner and decisions of a stored body.
fn decisions_of(body: &str) -> Option<Decisions> {
    let json = Json::parse(body).ok()?;
    let subject = json.get("subject")?.get("ref")?.as_str()?.to_owned();
    let policy = json.get("policy")?.get("id")?.as_str()?.to_owned();
    let purposes = json
        .get("purposes")
        .and_then(Json::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| Some((p.get("id")?.as_str()?.to_owned(), p.get("granted")?.as_bool()?)))
        .collect();
    Some(((subject, policy), purposes))
}

/// Plans `batch` after the tip `(last seq, its hash)`; `clock` gives each new row's `receivedAt`.
pub fn plan(tip: (i64, String), batch: &[NewEntry], known: &Known, clock: &dyn Fn() -> String) -> Plan {
    let mut ledger = Ledger::default();
    for (id, entry) in &known.rows {
        if let Some((owner, _)) = decisions_of(&entry.body) {
            ledger.owners.insert(id.clone(), owner);
        }
        ledger.stored.insert(id.as_str(), entry.clone());
    }
    for entry in &known.history {
        if let Some(((subject, policy), decided)) = decisions_of(&entry.body) {
            ledger.decide(&subject, &policy, &decided);
        }
    }
    let mut used = known.used.clone();
    let (mut seq, mut prev_hash) = tip;
    let mut plan = Plan { outcomes: Vec::with_capacity(batch.len()), rows: Vec::new(), head: None };
    for (index, entry) in batch.iter().enumerate() {
        // An id stored before, or earlier in this batch, is a duplicate or a conflict.
        if let Some(stored) = ledger.stored.get(entry.record_id.as_str()) {
            plan.outcomes.push(if stored.body == entry.body {
                Appended::Duplicate(stored.clone())
            } else {
                Appended::Conflict
            });
            continue;
        }
        let check = decision_check(entry, &ledger);
        seq += 1;
        let received_at = clock();
        let (decision_check, decision_findings) = (check.outcome.as_str(), check.findings_text());
        let confirmation = entry.confirmation_id.as_ref().map(|id| {
            let now_ms = kelisim::time::parse_rfc3339_utc(&received_at).unwrap_or(i64::MAX);
            let claim = Claim { subject_ref: &entry.subject_ref, policy_id: &entry.policy_id };
            let found = check::check(&claim, known.confirmations.get(id), used.contains(id), now_ms);
            if found == ConfirmationCheck::Verified {
                used.insert(id.clone());
            }
            found.columns()
        });
        let hashed = Hashed {
            seq,
            received_at: &received_at,
            text_check: entry.text_check.as_str(),
            decision_check,
            decision_findings: &decision_findings,
            confirmation: confirmation.map(|(check, reason)| (check, reason.unwrap_or(""))),
            body: &entry.body,
        };
        let hash = link_hash(&prev_hash, &hashed);
        let row = Entry {
            seq,
            received_at,
            text_check: entry.text_check.as_str().to_owned(),
            decision_check: decision_check.to_owned(),
            decision_findings,
            body: entry.body.clone(),
            prev_hash: std::mem::replace(&mut prev_hash, hash.clone()),
            hash,
            confirmation_id: entry.confirmation_id.clone(),
            confirmation_check: confirmation.map(|(check, _)| check.to_owned()),
            confirmation_reason: confirmation.and_then(|(_, reason)| reason).map(str::to_owned),
            receipt_code: entry.receipt_code.clone(),
        };
        ledger.owners.insert(entry.record_id.clone(), (entry.subject_ref.clone(), entry.policy_id.clone()));
        ledger.decide(&entry.subject_ref, &entry.policy_id, &entry.purposes);
        ledger.stored.insert(entry.record_id.as_str(), row.clone());
        plan.outcomes.push(Appended::Stored(row.clone()));
        plan.rows.push(Planned { index, row });
    }
    if !plan.rows.is_empty() {
        plan.head = Some((seq, prev_hash));
    }
    plan
}

/// The edition's findings and the ledger's, for `entry` as the chain stands before it.
fn decision_check(entry: &NewEntry, ledger: &Ledger<'_>) -> DecisionCheck {
    let previous = match entry.previous_record_id.as_deref() {
        None => Previous::NotNamed,
        Some(id) if id == entry.record_id => Previous::Itself,
        Some(id) => match ledger.owners.get(id) {
            Some((subject_ref, policy_id)) => Previous::Found { subject_ref, policy_id },
            None => Previous::Missing,
        },
    };
    let kind = if entry.kind == Kind::Withdrawal.as_str() { Kind::Withdrawal } else { Kind::Grant };
    let decided = Decided {
        kind,
        subject_ref: &entry.subject_ref,
        policy_id: &entry.policy_id,
        purposes: &entry.purposes,
    };
    let stands_granted = |purpose: &str| {
        let key = (entry.subject_ref.clone(), entry.policy_id.clone(), purpose.to_owned());
        ledger.standing.get(&key).copied().unwrap_or(false)
    };
    let mut findings = entry.edition_check.findings.clone();
    findings.extend(decision::against_ledger(&decided, previous, stands_granted));
    DecisionCheck::of(entry.edition_check.registered, findings)
}

#[cfg(test)]
mod tests;
