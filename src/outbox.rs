//! The queue of records waiting for the backend, and its stored form (one key per record).
//!
//! [`crate::delivery`] keeps it in storage before every network call and settles an entry only on
//! an answer, so a record survives reloads, crashes and offline periods. Time and jitter come in
//! as values; the outbox never reads a clock.

use crate::concat::concat;
use crate::json::{Json, Writer};
use crate::prelude::*;

/// The prefix of the outbox's storage keys (then the endpoint, `:pending:` or `:rejected:`, the id).
pub const STORAGE_KEY: &str = "kelisim.outbox.v1";

/// First retry delay.
const BASE_DELAY_MS: i64 = 1_000;
/// Longest retry delay.
const MAX_DELAY_MS: i64 = 5 * 60 * 1_000;

/// A record waiting for acknowledgement: its id and the exact body to POST again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The record id (idempotency key).
    pub id: String,
    /// The JSON body, byte for byte what is sent on every attempt.
    pub body: String,
    /// Attempts made so far.
    pub attempts: u32,
    /// Earliest time of the next attempt, Unix milliseconds.
    pub next_at_ms: i64,
    /// When the record was queued, Unix milliseconds (delivery order).
    pub made_at_ms: i64,
}

/// What came of one delivery attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The backend stored it (2xx).
    Delivered,
    /// Try again later: network failure, 408, 425, 429 or 5xx.
    Retry,
    /// The backend refused it for good (another 4xx): kept aside and reported, never dropped.
    Rejected,
}

/// Classifies an HTTP status; `None` is a network failure.
pub fn classify(status: Option<u16>) -> Outcome {
    match status {
        Some(200..=299) => Outcome::Delivered,
        None | Some(408 | 425 | 429) | Some(500..=599) => Outcome::Retry,
        Some(_) => Outcome::Rejected,
    }
}

/// Delay before attempt `attempts + 1`: exponential from 1 s, capped at 5 min, scaled by a jitter
/// in `[0.5, 1.0)` taken from `jitter` (any u16).
pub fn backoff_ms(attempts: u32, jitter: u16) -> i64 {
    let exp = BASE_DELAY_MS.saturating_mul(1i64 << attempts.min(20)).min(MAX_DELAY_MS);
    exp / 2 + exp / 2 * i64::from(jitter) / 65_536
}

/// Records not yet acknowledged, and those the backend refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outbox {
    /// Waiting for delivery, oldest first.
    pub pending: Vec<Entry>,
    /// Refused by the backend; kept for inspection.
    pub rejected: Vec<Entry>,
}

impl Outbox {
    /// Queues a record for delivery now. A record already queued is not queued twice.
    pub fn push(&mut self, id: &str, body: String, now_ms: i64) {
        if !self.pending.iter().any(|e| e.id == id) {
            self.pending.push(Entry {
                id: id.to_owned(),
                body,
                attempts: 0,
                next_at_ms: now_ms,
                made_at_ms: now_ms,
            });
        }
    }

    /// The bodies of the pending records, oldest first.
    pub fn bodies(&self) -> Vec<String> {
        let mut out = Vec::new();
        for e in &self.pending {
            out.push(e.body.clone());
        }
        out
    }

    /// The id of the oldest record whose time has come by `now_ms`, and the earliest time any
    /// pending record is due (`None` when nothing is pending).
    pub fn next_due(&self, now_ms: i64) -> (Option<String>, Option<i64>) {
        let mut due = None;
        let mut soonest: Option<i64> = None;
        for e in &self.pending {
            if due.is_none() && e.next_at_ms <= now_ms {
                due = Some(e.id.clone());
            }
            soonest = Some(soonest.map_or(e.next_at_ms, |s| s.min(e.next_at_ms)));
        }
        (due, soonest)
    }

    /// Applies the outcome of an attempt to deliver `id`.
    pub fn settle(&mut self, id: &str, outcome: Outcome, now_ms: i64, jitter: u16) {
        let Some(i) = self.pending.iter().position(|e| e.id == id) else { return };
        match outcome {
            Outcome::Delivered => {
                self.pending.remove(i);
            }
            Outcome::Rejected => {
                let mut entry = self.pending.remove(i);
                entry.attempts += 1;
                self.rejected.push(entry);
            }
            Outcome::Retry => {
                let entry = &mut self.pending[i];
                entry.attempts = entry.attempts.saturating_add(1);
                entry.next_at_ms = now_ms + backoff_ms(entry.attempts - 1, jitter);
            }
        }
    }

    /// The storage key of one entry: one key per record, so tabs writing at the same time never
    /// overwrite each other's records (a single shared list would lose them; measured).
    pub fn entry_key(prefix: &str, id: &str, rejected: bool) -> String {
        concat(&[prefix, if rejected { ":rejected:" } else { ":pending:" }, id])
    }

    /// Every entry with the storage key it belongs under.
    pub fn keyed(&self, prefix: &str) -> Vec<(String, &Entry)> {
        let mut out = Vec::new();
        for (list, rejected) in [(&self.pending, false), (&self.rejected, true)] {
            for e in list {
                out.push((Outbox::entry_key(prefix, &e.id, rejected), e));
            }
        }
        out
    }

    /// Rebuilds an outbox from stored `(key, value)` pairs under `prefix`, reading each value with
    /// `parse` (the platform's JSON parser); unreadable values are returned apart, with their
    /// keys, so they can be kept aside rather than lost.
    pub fn from_stored(
        prefix: &str,
        stored: &[(String, String)],
        parse: impl Fn(&str) -> Option<Json>,
    ) -> (Outbox, Vec<String>) {
        let mut outbox = Outbox::default();
        let mut unreadable = Vec::new();
        for (key, value) in stored {
            let Some(rest) = key.strip_prefix(prefix) else { continue };
            let rejected = rest.starts_with(":rejected:");
            if !rejected && !rest.starts_with(":pending:") {
                continue;
            }
            match parse(value).as_ref().and_then(Entry::from_json) {
                Some(e) if rejected => outbox.rejected.push(e),
                Some(e) => outbox.pending.push(e),
                None => unreadable.push(key.clone()),
            }
        }
        // Oldest first: delivery keeps the order records were made in. An insertion sort: the list
        // is short and usually sorted already, and the library sorts cost 2 KB of wasm.
        let list = &mut outbox.pending;
        for i in 1..list.len() {
            let mut j = i;
            while j > 0 && (list[j - 1].made_at_ms, &list[j - 1].id) > (list[j].made_at_ms, &list[j].id) {
                list.swap(j - 1, j);
                j -= 1;
            }
        }
        (outbox, unreadable)
    }
}

impl Entry {
    /// The stored form of one entry.
    pub fn to_text(&self) -> String {
        let mut w = Writer::object();
        w.str(Some("id"), &self.id)
            .str(Some("body"), &self.body)
            .uint(Some("attempts"), u64::from(self.attempts));
        w.uint(Some("nextAt"), self.next_at_ms.max(0) as u64)
            .uint(Some("madeAt"), self.made_at_ms.max(0) as u64);
        w.finish()
    }

    /// Reads what [`Entry::to_text`] wrote; `None` for anything else.
    pub fn from_json(e: &Json) -> Option<Entry> {
        let number = |k: &str| i64::try_from(e.get(k)?.as_uint()?).ok();
        Some(Entry {
            id: e.get("id")?.as_str()?.to_owned(),
            body: e.get("body")?.as_str()?.to_owned(),
            attempts: u32::try_from(number("attempts")?).ok()?,
            next_at_ms: number("nextAt")?,
            made_at_ms: number("madeAt")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_classified_for_retry() {
        assert_eq!(classify(Some(201)), Outcome::Delivered);
        assert_eq!(classify(Some(200)), Outcome::Delivered);
        for s in [None, Some(408), Some(425), Some(429), Some(500), Some(503)] {
            assert_eq!(classify(s), Outcome::Retry, "{s:?}");
        }
        for s in [400, 403, 409, 413, 415] {
            assert_eq!(classify(Some(s)), Outcome::Rejected, "{s}");
        }
    }

    #[test]
    fn a_record_leaves_only_when_delivered() {
        let mut o = Outbox::default();
        o.push("a", "{}".into(), 0);
        o.push("a", "{}".into(), 0);
        assert_eq!(o.pending.len(), 1);
        o.settle("a", Outcome::Retry, 0, 0);
        assert_eq!(o.pending.len(), 1);
        assert_eq!(
            o.next_due(0),
            (None, Some(500)),
            "not due before its backoff (half of 1 s with no jitter)"
        );
        assert_eq!(o.next_due(500), (Some("a".into()), Some(500)));
        o.settle("a", Outcome::Delivered, 1_000, 0);
        assert!(o.pending.is_empty() && o.rejected.is_empty());
    }

    #[test]
    fn rejected_records_are_kept_aside() {
        let mut o = Outbox::default();
        o.push("a", "{}".into(), 0);
        o.settle("a", Outcome::Rejected, 0, 0);
        assert!(o.pending.is_empty());
        assert_eq!(o.rejected[0].id, "a");
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff_ms(0, 0), 500);
        assert_eq!(backoff_ms(1, 0), 1_000);
        assert!(backoff_ms(3, u16::MAX) < 8_000 && backoff_ms(3, u16::MAX) > 7_900);
        assert_eq!(backoff_ms(40, 0), MAX_DELAY_MS / 2);
    }

    #[test]
    fn stored_entries_round_trip_by_key_and_garbage_is_set_apart() {
        let mut o = Outbox::default();
        o.push("b", "{\"x\":\"қ\"}".into(), 20);
        o.push("a", "{}".into(), 10);
        o.push("c", "{}".into(), 30);
        o.settle("c", Outcome::Rejected, 30, 0);
        let mut stored: Vec<(String, String)> =
            o.keyed("p").into_iter().map(|(k, e)| (k, e.to_text())).collect();
        stored.push(("p:pending:zz".into(), "not json".into()));
        stored.push(("other:pending:q".into(), "{}".into()));
        let (back, unreadable) = Outbox::from_stored("p", &stored, |t| Json::parse(t).ok());
        assert_eq!(
            back.pending.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["a", "b"],
            "oldest first"
        );
        assert_eq!(back.rejected, o.rejected);
        assert_eq!(unreadable, ["p:pending:zz"]);
        assert_eq!(Outbox::entry_key("p", "a", true), "p:rejected:a");
    }
}
