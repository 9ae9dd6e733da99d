//! Daily tallies beside the ledger: per day, policy edition, purpose, language and channel, how
//! many decisions granted, refused or withdrew it, and how many records each check flagged. They
//! are counted in the append's own transaction, so they always agree with the rows; they are not
//! part of the chain (the rows are the evidence, the tallies a view of them that can be rebuilt).

use std::collections::HashMap;

use kelisim::json::Json;
use serde::Serialize;

use super::NewEntry;

/// The tally table, the same text for SQLite and Postgres (`count` fits both's integers).
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS tallies (
    day TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    purpose_id TEXT NOT NULL,
    language TEXT NOT NULL,
    channel TEXT NOT NULL,
    decision TEXT NOT NULL,
    text_ok BOOLEAN NOT NULL,
    decision_ok BOOLEAN NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (policy_id, policy_version, day, purpose_id, language, channel, decision, text_ok, decision_ok)
);
CREATE INDEX IF NOT EXISTS tallies_by_day ON tallies (day);
";

/// The columns a tally is counted under, in the table's order.
pub const KEY_COLUMNS: &str =
    "day, policy_id, policy_version, purpose_id, language, channel, decision, text_ok, decision_ok";

/// What one record adds to the tallies: a row per purpose it decides, and one for the record
/// itself (`purpose_id` empty, `decision` its kind).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Key {
    /// `YYYY-MM-DD` of `receivedAt` (UTC).
    pub day: String,
    pub policy_id: String,
    pub policy_version: String,
    /// The purpose; empty for the record as a whole.
    pub purpose_id: String,
    /// The notice's language.
    pub language: String,
    /// `web`, `webview` or `kiosk`.
    pub channel: String,
    /// `granted`, `refused` or `withdrawn` for a purpose; `grant` or `withdrawal` for a record.
    pub decision: String,
    /// The text check said `match`.
    pub text_ok: bool,
    /// The decision check said `consistent`.
    pub decision_ok: bool,
}

/// A tally: its key and how many.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tally {
    #[serde(flatten)]
    pub key: Key,
    pub count: i64,
}

/// Which tallies to read: an edition (or every one), a range of days (both ends included), and a
/// language and a channel; tallies of every language (channel) are summed and reported as `*`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub policy_id: Option<String>,
    pub policy_version: Option<String>,
    pub from_day: Option<String>,
    pub to_day: Option<String>,
    pub language: Option<String>,
    pub channel: Option<String>,
}

impl Query {
    /// The SQL that reads it, `$1`…`$6` (or `?1`…) standing for the fields in order: each condition
    /// written only when its field is given, so the primary key and the day index are searched.
    pub fn sql(&self, placeholder: &str) -> String {
        let p = |n: u8| format!("{placeholder}{n}");
        let mut conditions = Vec::new();
        let given = [
            (self.policy_id.is_some(), format!("policy_id = {}", p(1))),
            (self.policy_version.is_some(), format!("policy_version = {}", p(2))),
            (self.from_day.is_some(), format!("day >= {}", p(3))),
            (self.to_day.is_some(), format!("day <= {}", p(4))),
            (self.language.is_some(), format!("language = {}", p(5))),
            (self.channel.is_some(), format!("channel = {}", p(6))),
        ];
        for (n, (is_given, condition)) in (1u8..).zip(given) {
            // A parameter not used in a condition is still bound: it is compared with itself.
            conditions.push(if is_given { condition } else { format!("{} IS NULL", p(n)) });
        }
        let group = "day, policy_id, policy_version, purpose_id, decision, text_ok, decision_ok";
        format!(
            "SELECT day, policy_id, policy_version, purpose_id, COALESCE({}, '*'), COALESCE({}, '*'),
                    decision, text_ok, decision_ok, CAST(SUM(count) AS BIGINT)
             FROM tallies WHERE {} GROUP BY {group} ORDER BY {group}",
            p(5),
            p(6),
            conditions.join(" AND ")
        )
    }
}

/// What one decided record counts under; the fields it needs, however it is held.
pub struct Decided<'a> {
    pub received_at: &'a str,
    pub policy_id: &'a str,
    pub policy_version: &'a str,
    pub language: &'a str,
    pub channel: &'a str,
    pub kind: &'a str,
    pub purposes: &'a [(String, bool)],
    pub text_check: &'a str,
    pub decision_check: &'a str,
}

impl Decided<'_> {
    /// The keys this record adds one to.
    pub fn keys(&self) -> Vec<Key> {
        let base = Key {
            day: self.received_at.get(..10).unwrap_or(self.received_at).to_owned(),
            policy_id: self.policy_id.to_owned(),
            policy_version: self.policy_version.to_owned(),
            purpose_id: String::new(),
            language: self.language.to_owned(),
            channel: self.channel.to_owned(),
            decision: self.kind.to_owned(),
            text_ok: self.text_check == "match",
            decision_ok: self.decision_check == "consistent",
        };
        let mut keys = vec![base.clone()];
        for (purpose, granted) in self.purposes {
            let decision = match (self.kind, granted) {
                ("withdrawal", _) => "withdrawn",
                (_, true) => "granted",
                (_, false) => "refused",
            };
            keys.push(Key { purpose_id: purpose.clone(), decision: decision.to_owned(), ..base.clone() });
        }
        keys
    }
}

impl NewEntry {
    /// What this entry counts under once stored at `received_at` with these checks.
    pub fn decided<'a>(
        &'a self,
        received_at: &'a str,
        text_check: &'a str,
        decision_check: &'a str,
    ) -> Decided<'a> {
        Decided {
            received_at,
            policy_id: &self.policy_id,
            policy_version: &self.policy_version,
            language: self.language,
            channel: self.channel,
            kind: self.kind,
            purposes: &self.purposes,
            text_check,
            decision_check,
        }
    }
}

/// The keys of a stored row read back from its body (to fill the tallies of an older ledger): what
/// was valid when stored is read leniently, a missing language or channel counted as empty and web.
pub fn of_stored(body: &str, received_at: &str, text_check: &str, decision_check: &str) -> Vec<Key> {
    let Ok(json) = Json::parse(body) else { return Vec::new() };
    let text = |v: Option<&Json>| v.and_then(Json::as_str).unwrap_or_default().to_owned();
    let policy = json.get("policy");
    let purposes: Vec<(String, bool)> = json
        .get("purposes")
        .and_then(Json::as_array)
        .unwrap_or_default()
        .iter()
        .map(|p| (text(p.get("id")), p.get("granted").and_then(Json::as_bool).unwrap_or(false)))
        .collect();
    let (id, version, language) = (
        text(policy.and_then(|p| p.get("id"))),
        text(policy.and_then(|p| p.get("version"))),
        text(policy.and_then(|p| p.get("language"))),
    );
    let channel = json.get("channel").and_then(Json::as_str).unwrap_or("web").to_owned();
    let kind = text(json.get("kind"));
    Decided {
        received_at,
        policy_id: &id,
        policy_version: &version,
        language: &language,
        channel: &channel,
        kind: &kind,
        purposes: &purposes,
        text_check,
        decision_check,
    }
    .keys()
}

/// Keys counted: each distinct key once with how many times it came (one upsert per key).
pub fn counted(keys: impl IntoIterator<Item = Key>) -> Vec<(Key, i64)> {
    let mut counts: HashMap<Key, i64> = HashMap::new();
    for key in keys {
        *counts.entry(key).or_default() += 1;
    }
    let mut out: Vec<(Key, i64)> = counts.into_iter().collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decided<'a>(kind: &'a str, purposes: &'a [(String, bool)], text: &'a str) -> Decided<'a> {
        Decided {
            received_at: "2026-11-22T22:05:28.123Z",
            policy_id: "p",
            policy_version: "v1",
            language: "kk",
            channel: "web",
            kind,
            purposes,
            text_check: text,
            decision_check: "consistent",
        }
    }

    #[test]
    fn a_record_counts_once_as_itself_and_once_per_purpose_it_decides() {
        let purposes = [("service".to_owned(), true), ("marketing".to_owned(), false)];
        let keys = decided("grant", &purposes, "match").keys();
        let short: Vec<(&str, &str, bool)> =
            keys.iter().map(|k| (k.purpose_id.as_str(), k.decision.as_str(), k.text_ok)).collect();
        assert_eq!(
            short,
            [("", "grant", true), ("service", "granted", true), ("marketing", "refused", true)]
        );
        assert!(keys.iter().all(|k| k.day == "2026-11-22" && k.decision_ok));
        let withdrawn = decided("withdrawal", &purposes[1..], "mismatch").keys();
        assert_eq!((withdrawn[1].decision.as_str(), withdrawn[1].text_ok), ("withdrawn", false));
    }

    #[test]
    fn keys_repeated_in_a_batch_are_counted_together() {
        let purposes = [("service".to_owned(), true)];
        let keys = [decided("grant", &purposes, "match").keys(), decided("grant", &purposes, "match").keys()];
        let counted = counted(keys.into_iter().flatten());
        assert_eq!(counted.len(), 2);
        assert!(counted.iter().all(|(_, n)| *n == 2));
    }
}
