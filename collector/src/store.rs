//! The consent ledger: an append-only, hash-chained store of records, behind a trait so that a
//! Postgres backend can stand beside SQLite.

mod batcher;
mod chain;
mod confirmations;
mod plan;
mod postgres;
mod sqlite;
#[cfg(test)]
mod suite;
pub mod tallies;

pub use self::postgres::PostgresLedger;
pub use batcher::{Batcher, WriterThread};
pub use chain::Verdict;
pub use confirmations::{Confirmation, ConfirmationState, Confirmations, Opened};
pub use sqlite::SqliteLedger;

use kelisim::record::ConsentRecord;

use crate::decision::EditionCheck;

/// What the ledger stores about a new record: the canonical body, the columns indexed beside it,
/// and what the checks that need no ledger found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry {
    /// The record's idempotency key.
    pub record_id: String,
    /// Who decided (personal data: stored, never logged).
    pub subject_ref: String,
    /// Policy id.
    pub policy_id: String,
    /// Policy edition.
    pub policy_version: String,
    /// `grant` or `withdrawal`.
    pub kind: &'static str,
    /// Whether the text hash matches the registered policy text (part of the chained row).
    pub text_check: TextCheck,
    /// The decision held against the registered edition; the ledger's own findings are added
    /// when the row is planned (see [`plan`]).
    pub edition_check: EditionCheck,
    /// The record this one withdraws from or updates.
    pub previous_record_id: Option<String>,
    /// Each purpose decided, with `granted`.
    pub purposes: Vec<(String, bool)>,
    /// The SMS confirmation the record carries, checked when the row is planned (see [`plan`]).
    pub confirmation_id: Option<String>,
    /// The record's receipt code (`kelisim::short_code::of(record_id)`).
    pub receipt_code: String,
    /// The notice's language (`kk`, `ru`, `en`), for the tallies.
    pub language: &'static str,
    /// `web`, `webview` or `kiosk`, for the tallies.
    pub channel: &'static str,
    /// The record's canonical compact JSON text.
    pub body: String,
}

impl NewEntry {
    /// The entry for a record that has been read and checked against the policy registry.
    pub fn of(record: &ConsentRecord, text_check: TextCheck, edition_check: EditionCheck) -> NewEntry {
        NewEntry {
            record_id: record.record_id.clone(),
            subject_ref: record.subject_ref.clone(),
            policy_id: record.policy.id.clone(),
            policy_version: record.policy.version.clone(),
            kind: record.kind.as_str(),
            text_check,
            edition_check,
            previous_record_id: record.previous_record_id.clone(),
            purposes: record.purposes.iter().map(|c| (c.id.clone(), c.granted)).collect(),
            confirmation_id: record.confirmation.as_ref().map(|c| c.id.clone()),
            receipt_code: kelisim::short_code::of(&record.record_id),
            language: record.policy.language.code(),
            channel: record.channel.as_str(),
            body: record.to_text(),
        }
    }
}

/// How a record's `policy.textSha256` compares with the text the operator registered for that
/// policy id, version and language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextCheck {
    /// The registry holds that text and the hash is the same: the visitor saw the registered text.
    Match,
    /// The registry holds that text and the hash differs: an altered, forged or stale text.
    Mismatch,
    /// The registry does not know that policy id, version and language.
    Unregistered,
}

impl TextCheck {
    /// The stored and reported spelling: `match`, `mismatch` or `unregistered`.
    pub fn as_str(self) -> &'static str {
        match self {
            TextCheck::Match => "match",
            TextCheck::Mismatch => "mismatch",
            TextCheck::Unregistered => "unregistered",
        }
    }

    /// Reads the stored spelling back.
    pub fn parse(s: &str) -> Option<TextCheck> {
        [TextCheck::Match, TextCheck::Mismatch, TextCheck::Unregistered].into_iter().find(|c| c.as_str() == s)
    }
}

/// Why a ledger with rows but no recorded head takes no more appends.
pub const HEADLESS: &str =
    "the ledger head is missing from meta though rows exist (it was removed); run verify, and append to a new ledger";

/// The schema version this collector writes and reads, kept in `meta` (both backends). Version 2
/// added `text_check`, version 3 `decision_check` and `decision_findings` and their place in the
/// row hash, version 4 the confirmation check (hashed when present), the receipt code and the
/// confirmations table, version 5 the daily tallies (not hashed: a view of the rows).
pub const SCHEMA_VERSION: &str = "5";

/// The versions a writing collector migrates in place, one step after another, to
/// [`SCHEMA_VERSION`] when it opens them.
pub const MIGRATES_FROM: [&str; 2] = ["3", "4"];

/// Why a ledger of another schema version is refused, and what to do (`keep`).
fn unsupported(version: &str, keep: &str) -> String {
    let older = version.parse::<u32>().is_ok_and(|v| SCHEMA_VERSION.parse::<u32>().is_ok_and(|now| v < now));
    let hint = if MIGRATES_FROM.contains(&version) {
        " (serve migrates it in place to the current version: run kelisim-collector serve on it once)"
    } else if older {
        " (an earlier kelisim collector wrote it, with fewer checks in each row; that collector still \
         verifies and exports it)"
    } else {
        ""
    };
    format!("schema version {version} is not supported (this collector reads version {SCHEMA_VERSION}){hint}; {keep}")
}

/// The `confirmation.id` a stored body carries, if any (a schema-3 collector stored such records
/// without a check; the 3 → 4 migration fills their `confirmation_id` from it).
pub fn confirmation_in_body(body: &str) -> Option<String> {
    let json = kelisim::json::Json::parse(body).ok()?;
    Some(json.get("confirmation")?.get("id")?.as_str()?.to_owned())
}

/// Whether `db` names a Postgres database rather than a SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// The ledger as it may be shown: a Postgres URL without its password or query (which can hold
/// one), a file path as it is. Every message that names a ledger goes through this one function.
pub fn describe(db: &str) -> String {
    if !is_postgres_url(db) {
        return db.to_owned();
    }
    let (scheme, rest) = db.split_once("://").unwrap_or(("postgres", db));
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (userinfo, place) = rest.rsplit_once('@').unwrap_or(("", rest));
    let user = userinfo.split(':').next().unwrap_or("");
    let at = if user.is_empty() { "" } else { "@" };
    format!("{scheme}://{user}{at}{place}")
}

/// Opens the ledger `db` names: a Postgres URL, or a SQLite file (created if missing unless
/// `existing`, which also opens it read-only). Call outside any async context.
pub fn open(db: &str, existing: bool) -> Result<std::sync::Arc<dyn Ledger>, StoreError> {
    if is_postgres_url(db) {
        return Ok(if existing {
            std::sync::Arc::new(PostgresLedger::connect_existing(db)?)
        } else {
            std::sync::Arc::new(PostgresLedger::connect(db)?)
        });
    }
    let path = std::path::Path::new(db);
    Ok(if existing {
        std::sync::Arc::new(SqliteLedger::open_existing(path)?)
    } else {
        std::sync::Arc::new(SqliteLedger::open(path)?)
    })
}

/// One stored row of the ledger.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When the collector committed it, RFC 3339 UTC with milliseconds.
    pub received_at: String,
    /// `match`, `mismatch` or `unregistered` (see [`TextCheck`]).
    pub text_check: String,
    /// `consistent`, `inconsistent` or `unregistered` (see [`crate::decision::Outcome`]).
    pub decision_check: String,
    /// What the decision check found, as stored: compact JSON, `[]` for nothing.
    pub decision_findings: String,
    /// The record's canonical JSON text.
    pub body: String,
    /// The previous row's hash (64 zeros for the first row).
    pub prev_hash: String,
    /// This row's hash (see [`link_hash`]).
    pub hash: String,
    /// The SMS confirmation id the record carries, if any.
    pub confirmation_id: Option<String>,
    /// `verified` or `unverified` (see [`crate::confirm::check`]); `None` when no check was made.
    pub confirmation_check: Option<String>,
    /// Why an `unverified` check does not hold, e.g. `already_used`.
    pub confirmation_reason: Option<String>,
    /// The record's receipt code.
    pub receipt_code: String,
}

/// What [`Ledger::append`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Appended {
    /// A new row was committed.
    Stored(Entry),
    /// The same record was already stored: nothing was written.
    Duplicate(Entry),
    /// Another body is stored under this record id: nothing was written.
    Conflict,
}

/// A ledger failure: the database could not be opened, read or written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError(e.to_string())
    }
}

/// Which rows an export reads: `receivedAt` in `[from, to)`, after `after_seq`, at most `limit`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Range {
    /// Inclusive lower bound on `receivedAt` (RFC 3339 UTC with milliseconds), if any.
    pub from: Option<String>,
    /// Exclusive upper bound on `receivedAt`, if any.
    pub to: Option<String>,
    /// Only rows with a greater seq (0 for the start): the cursor for reading page by page.
    pub after_seq: i64,
    /// At most this many rows.
    pub limit: usize,
}

/// An append-only consent ledger, with the confirmations kept beside it. Calls block: run them off
/// the async executor.
pub trait Ledger: Confirmations + Send + Sync {
    /// Appends `entries` in order in one durable commit; for each, the new row or the row already
    /// stored under its id (an id repeated within the batch is a duplicate of its first occurrence).
    /// `clock` gives `receivedAt` (RFC 3339 UTC with milliseconds); it is read under the write lock,
    /// so on one collector with a steady clock times follow `seq` (the chain order, not the time, is
    /// what counts). Returns only after the commit; on error nothing was written.
    fn append_batch(
        &self,
        entries: &[NewEntry],
        clock: &dyn Fn() -> String,
    ) -> Result<Vec<Appended>, StoreError>;

    /// Appends one entry: [`Ledger::append_batch`] of one (the server appends through [`Batcher`]).
    #[cfg(test)]
    fn append(&self, entry: &NewEntry, clock: &dyn Fn() -> String) -> Result<Appended, StoreError> {
        let mut done = self.append_batch(std::slice::from_ref(entry), clock)?;
        done.pop().ok_or_else(|| StoreError("the ledger returned no outcome for the record".into()))
    }

    /// The row stored under `record_id`, if any.
    fn get(&self, record_id: &str) -> Result<Option<Entry>, StoreError>;

    /// Every row of one subject, in seq order.
    fn subject(&self, subject_ref: &str) -> Result<Vec<Entry>, StoreError>;

    /// Every row whose receipt code is `code` (normalized), in seq order.
    fn by_receipt(&self, code: &str) -> Result<Vec<Entry>, StoreError>;

    /// The rows in `range`, in seq order.
    fn range(&self, range: &Range) -> Result<Vec<Entry>, StoreError>;

    /// Walks the whole chain in one consistent snapshot and reports the first broken link.
    fn verify(&self) -> Result<Verdict, StoreError>;

    /// Checks that the ledger can be read.
    fn ping(&self) -> Result<(), StoreError>;

    /// The daily tallies `query` asks for, ordered by their key.
    fn tallies(&self, query: &tallies::Query) -> Result<Vec<tallies::Tally>, StoreError>;
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod describe_tests {
    use super::describe;

    #[test]
    fn a_postgres_url_is_shown_without_any_password() {
        for (url, shown) in [
            ("postgres://k@127.0.0.1:5432/ledger", "postgres://k@127.0.0.1:5432/ledger"),
            ("postgres://k:secret@db:5432/ledger", "postgres://k@db:5432/ledger"),
            ("postgres://k:p@ss@db/ledger", "postgres://k@db/ledger"),
            ("postgres://k@db/ledger?password=secret&sslmode=off", "postgres://k@db/ledger"),
            ("postgresql:///ledger?host=/run/pg&password=secret", "postgresql:///ledger"),
            ("ledger.sqlite", "ledger.sqlite"),
        ] {
            assert_eq!(describe(url), shown);
            assert!(!describe(url).contains("secret") && !describe(url).contains("ss@"), "{url}");
        }
    }
}
