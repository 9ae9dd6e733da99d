//! The SQLite ledger: one writer connection, one reader, WAL with full fsync on every commit.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use super::chain::{self, Broken, Row, Verdict, Walk, GENESIS};
use super::{Appended, Entry, Ledger, NewEntry, StoreError};

/// The schema version this collector writes and reads, kept in `meta`.
const SCHEMA_VERSION: &str = "1";

/// How long a connection waits for another's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS consents (
    seq INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    subject_ref TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS consents_no_update BEFORE UPDATE ON consents
BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS consents_no_delete BEFORE DELETE ON consents
BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;
";

/// The columns of `consents`, in table order.
const COLUMNS: [&str; 10] = [
    "seq",
    "record_id",
    "received_at",
    "subject_ref",
    "policy_id",
    "policy_version",
    "kind",
    "body",
    "prev_hash",
    "hash",
];

/// A consent ledger in one SQLite file.
pub struct SqliteLedger {
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
}

/// Locks a connection; a poisoned lock still holds a usable connection (transactions roll back on drop).
fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn context(path: &Path, e: rusqlite::Error) -> StoreError {
    StoreError(format!("ledger {}: {e}", path.display()))
}

impl SqliteLedger {
    /// Opens the ledger at `path`, creating the file and schema if needed.
    pub fn open(path: &Path) -> Result<SqliteLedger, StoreError> {
        let mut writer = Connection::open(path).map_err(|e| context(path, e))?;
        writer.busy_timeout(BUSY_TIMEOUT).map_err(|e| context(path, e))?;
        let mode: String =
            writer.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).map_err(|e| context(path, e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError(format!("ledger {}: cannot switch to WAL (mode {mode})", path.display())));
        }
        writer.pragma_update(None, "synchronous", "FULL").map_err(|e| context(path, e))?;
        migrate(&mut writer).map_err(|e| StoreError(format!("ledger {}: {e}", path.display())))?;
        let reader = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| context(path, e))?;
        reader.busy_timeout(BUSY_TIMEOUT).map_err(|e| context(path, e))?;
        Ok(SqliteLedger { writer: Mutex::new(writer), reader: Mutex::new(reader) })
    }
}

/// Creates the schema, or checks that an existing ledger is one this collector can read.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);")?;
    match meta(&tx, "schema_version")? {
        Some(v) if v != SCHEMA_VERSION => {
            return Err(StoreError(format!(
                "schema version {v} is not supported (this collector reads version {SCHEMA_VERSION})"
            )));
        }
        Some(_) => {}
        None => {
            tx.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?1)", [SCHEMA_VERSION])?;
        }
    }
    tx.execute_batch(SCHEMA)?;
    tx.commit()?;
    Ok(())
}

fn meta(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()
}

/// The last seq and hash recorded in `meta`, if any row was ever appended.
fn head(conn: &Connection) -> Result<Option<(i64, String)>, StoreError> {
    let (Some(seq), Some(hash)) = (meta(conn, "head_seq")?, meta(conn, "head_hash")?) else {
        return Ok(None);
    };
    let seq = seq.parse().map_err(|_| StoreError("meta head_seq is not a number".into()))?;
    Ok(Some((seq, hash)))
}

fn entry_by_id(conn: &Connection, record_id: &str) -> rusqlite::Result<Option<Entry>> {
    conn.query_row(
        "SELECT seq, received_at, body, prev_hash, hash FROM consents WHERE record_id = ?1",
        [record_id],
        |r| {
            Ok(Entry {
                seq: r.get(0)?,
                received_at: r.get(1)?,
                body: r.get(2)?,
                prev_hash: r.get(3)?,
                hash: r.get(4)?,
            })
        },
    )
    .optional()
}

impl Ledger for SqliteLedger {
    fn append(&self, entry: &NewEntry, clock: &dyn Fn() -> String) -> Result<Appended, StoreError> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(stored) = entry_by_id(&tx, &entry.record_id)? {
            return Ok(if stored.body == entry.body {
                Appended::Duplicate(stored)
            } else {
                Appended::Conflict
            });
        }
        // The tip is the head recorded in meta, so rows deleted from the end leave a visible gap.
        let tip = match head(&tx)? {
            Some(tip) => Some(tip),
            None => tx
                .query_row("SELECT seq, hash FROM consents ORDER BY seq DESC LIMIT 1", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?,
        };
        let (last_seq, prev_hash): (i64, String) = tip.unwrap_or((0, GENESIS.to_owned()));
        let seq = last_seq + 1;
        let received_at = clock();
        let hash = chain::link_hash(&prev_hash, seq, &received_at, &entry.body);
        tx.execute(
            "INSERT INTO consents (seq, record_id, received_at, subject_ref, policy_id, policy_version,
                                   kind, body, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                seq,
                entry.record_id,
                received_at,
                entry.subject_ref,
                entry.policy_id,
                entry.policy_version,
                entry.kind,
                entry.body,
                prev_hash,
                hash
            ],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('head_seq', ?1), ('head_hash', ?2)",
            params![seq.to_string(), hash],
        )?;
        tx.commit()?;
        Ok(Appended::Stored(Entry { seq, received_at, body: entry.body.clone(), prev_hash, hash }))
    }

    fn get(&self, record_id: &str) -> Result<Option<Entry>, StoreError> {
        Ok(entry_by_id(&lock(&self.reader), record_id)?)
    }

    fn ping(&self) -> Result<(), StoreError> {
        match meta(&lock(&self.reader), "schema_version")? {
            Some(_) => Ok(()),
            None => Err(StoreError("ledger has no schema version".into())),
        }
    }
}

/// Walks the whole chain of the ledger at `path`, read-only, in one consistent snapshot.
pub fn verify_file(path: &Path) -> Result<Verdict, StoreError> {
    if !path.is_file() {
        return Err(StoreError(format!("no ledger file at {}", path.display())));
    }
    let mut conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| context(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| context(path, e))?;
    let tx = conn.transaction().map_err(|e| context(path, e))?;
    match meta(&tx, "schema_version") {
        Ok(Some(v)) if v == SCHEMA_VERSION => {}
        Ok(Some(v)) => return Err(StoreError(format!("ledger schema version {v} is not supported"))),
        Ok(None) | Err(_) => {
            return Err(StoreError(format!("{} is not a kelisim ledger", path.display())));
        }
    }
    let mut walk = Walk::new();
    let mut stmt = tx.prepare(&format!("SELECT {} FROM consents ORDER BY seq", COLUMNS.join(", ")))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let text = |i: usize| -> Result<String, Broken> {
            r.get(i).map_err(|_| Broken { seq, why: format!("column {} is not text", COLUMNS[i]) })
        };
        let row = (|| -> Result<Row, Broken> {
            Ok(Row {
                seq,
                record_id: text(1)?,
                received_at: text(2)?,
                subject_ref: text(3)?,
                policy_id: text(4)?,
                policy_version: text(5)?,
                kind: text(6)?,
                body: text(7)?,
                prev_hash: text(8)?,
                hash: text(9)?,
            })
        })();
        if let Err(broken) = row.and_then(|row| walk.step(&row)) {
            return Ok(Verdict::Broken(broken));
        }
    }
    drop(rows);
    drop(stmt);
    Ok(walk.finish(head(&tx)?))
}
