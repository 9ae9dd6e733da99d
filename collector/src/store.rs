//! The consent ledger: an append-only, hash-chained store of records, behind a trait so that a
//! Postgres backend can stand beside SQLite.

mod chain;
mod sqlite;

pub use chain::Verdict;
#[cfg(test)]
use chain::{link_hash, Broken, GENESIS};
pub use sqlite::{verify_file, SqliteLedger};

use kelisim::record::ConsentRecord;

/// What the ledger stores about a new record: the canonical body and the columns indexed beside it.
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
    /// The record's canonical compact JSON text.
    pub body: String,
}

impl NewEntry {
    /// The entry for a record that has been read and checked.
    pub fn of(record: &ConsentRecord) -> NewEntry {
        NewEntry {
            record_id: record.record_id.clone(),
            subject_ref: record.subject_ref.clone(),
            policy_id: record.policy.id.clone(),
            policy_version: record.policy.version.clone(),
            kind: record.kind.as_str(),
            body: record.to_text(),
        }
    }
}

/// One stored row of the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When the collector committed it, RFC 3339 UTC with milliseconds.
    pub received_at: String,
    /// The record's canonical JSON text.
    pub body: String,
    /// The previous row's hash (64 zeros for the first row).
    pub prev_hash: String,
    /// This row's hash (see [`link_hash`]).
    pub hash: String,
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

/// An append-only consent ledger. Calls block: run them off the async executor.
pub trait Ledger: Send + Sync {
    /// Appends `entry`, or reports the row already stored under its id. `clock` gives `receivedAt`
    /// (RFC 3339 UTC with milliseconds); it is read under the write lock, so times follow `seq`.
    /// Returns only after the row is durably committed.
    fn append(&self, entry: &NewEntry, clock: &dyn Fn() -> String) -> Result<Appended, StoreError>;

    /// The row stored under `record_id`, if any.
    fn get(&self, record_id: &str) -> Result<Option<Entry>, StoreError>;

    /// Checks that the ledger can be read.
    fn ping(&self) -> Result<(), StoreError>;
}

#[cfg(test)]
mod tests;
