//! The delivery queue, without I/O: records wait here until the backend acknowledges them.
//!
//! The shell persists the outbox before every network call and settles an entry only on an
//! answer, so a record survives reloads, crashes and offline periods. Time and jitter come in as
//! values; the outbox never reads a clock.

use crate::json::{object, Json};

/// The storage key of the persisted outbox.
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
            self.pending.push(Entry { id: id.to_owned(), body, attempts: 0, next_at_ms: now_ms });
        }
    }

    /// The entries whose time has come.
    pub fn due(&self, now_ms: i64) -> Vec<Entry> {
        self.pending.iter().filter(|e| e.next_at_ms <= now_ms).cloned().collect()
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

    /// Makes every pending entry due now (the network came back, the page became visible).
    pub fn hurry(&mut self, now_ms: i64) {
        for e in &mut self.pending {
            e.next_at_ms = e.next_at_ms.min(now_ms);
        }
    }

    /// The persisted form.
    pub fn to_text(&self) -> String {
        let list = |entries: &[Entry]| {
            Json::Array(
                entries
                    .iter()
                    .map(|e| {
                        object([
                            ("id", e.id.as_str().into()),
                            ("body", e.body.as_str().into()),
                            ("attempts", u64::from(e.attempts).into()),
                            ("nextAt", Json::from(e.next_at_ms.max(0) as u64)),
                        ])
                    })
                    .collect(),
            )
        };
        object([("pending", list(&self.pending)), ("rejected", list(&self.rejected))]).to_text()
    }

    /// Reads the persisted form; `None` if it is not what [`Outbox::to_text`] wrote.
    pub fn from_text(text: &str) -> Option<Outbox> {
        let json = Json::parse(text).ok()?;
        let list = |key: &str| -> Option<Vec<Entry>> {
            json.get(key)?
                .as_array()?
                .iter()
                .map(|e| {
                    let number = |k: &str| match e.get(k)? {
                        Json::Number(n) => n.parse::<i64>().ok(),
                        _ => None,
                    };
                    Some(Entry {
                        id: e.get("id")?.as_str()?.to_owned(),
                        body: e.get("body")?.as_str()?.to_owned(),
                        attempts: u32::try_from(number("attempts")?).ok()?,
                        next_at_ms: number("nextAt")?,
                    })
                })
                .collect()
        };
        Some(Outbox { pending: list("pending")?, rejected: list("rejected")? })
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
        assert!(o.due(0).is_empty(), "not due before its backoff");
        assert_eq!(o.due(1_000).len(), 1);
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
    fn hurry_makes_everything_due() {
        let mut o = Outbox::default();
        o.push("a", "{}".into(), 0);
        o.settle("a", Outcome::Retry, 0, 0);
        o.hurry(10);
        assert_eq!(o.due(10).len(), 1);
    }

    #[test]
    fn persisted_form_round_trips_and_garbage_is_refused() {
        let mut o = Outbox::default();
        o.push("a", "{\"x\":\"қ\"}".into(), 1_795_385_128_123);
        o.push("b", "{}".into(), 5);
        o.settle("b", Outcome::Rejected, 5, 0);
        assert_eq!(Outbox::from_text(&o.to_text()), Some(o));
        assert_eq!(Outbox::from_text("[1,2]"), None);
        assert_eq!(Outbox::from_text("{\"pending\":[{\"id\":1}],\"rejected\":[]}"), None);
    }
}
