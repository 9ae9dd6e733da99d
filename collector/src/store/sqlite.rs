//! The SQLite ledger: one writer connection, one reader, WAL with full fsync on every commit.

mod confirmations;
mod migrate;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use super::chain::{Broken, Row, StoredHead, Verdict, Walk, COLUMNS, ENTRY_COLUMNS, GENESIS};
use super::plan::{self, Known, Wanted};
use super::tallies::{self, Key, Query, Tally};
use super::{Appended, Entry, Ledger, NewEntry, Range, StoreError, HEADLESS, MIGRATES_FROM, SCHEMA_VERSION};

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
    text_check TEXT NOT NULL,
    decision_check TEXT NOT NULL,
    decision_findings TEXT NOT NULL,
    body TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    confirmation_id TEXT,
    confirmation_check TEXT,
    confirmation_reason TEXT,
    receipt_code TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS consents_by_subject ON consents (subject_ref, seq);
CREATE INDEX IF NOT EXISTS consents_by_time ON consents (received_at, seq);
CREATE INDEX IF NOT EXISTS consents_by_receipt ON consents (receipt_code, seq);
CREATE INDEX IF NOT EXISTS consents_by_confirmation ON consents (confirmation_id)
    WHERE confirmation_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS confirmations (
    id TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    language TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    salt TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    verified_at_ms INTEGER,
    receipts_sent INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS confirmations_by_phone ON confirmations (phone, created_at_ms);
CREATE TRIGGER IF NOT EXISTS consents_no_update BEFORE UPDATE ON consents
BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS consents_no_delete BEFORE DELETE ON consents
BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;
";

/// A consent ledger in one SQLite file.
pub struct SqliteLedger {
    /// The one writing connection; `None` when opened read-only for `verify` and `export`.
    writer: Option<Mutex<Connection>>,
    reader: Mutex<Connection>,
}

/// Locks a connection; a poisoned lock still holds a usable connection (transactions roll back on drop).
fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn context(path: &Path, e: rusqlite::Error) -> StoreError {
    StoreError(format!("ledger {}: {e}", path.display()))
}

fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    let reader =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| context(path, e))?;
    reader.busy_timeout(BUSY_TIMEOUT).map_err(|e| context(path, e))?;
    Ok(reader)
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
        let reader = open_reader(path)?;
        Ok(SqliteLedger { writer: Some(Mutex::new(writer)), reader: Mutex::new(reader) })
    }

    /// Opens an existing ledger read-only (for `verify` and `export`): nothing is created or written.
    pub fn open_existing(path: &Path) -> Result<SqliteLedger, StoreError> {
        if !path.is_file() {
            return Err(StoreError(format!("no ledger file at {}", path.display())));
        }
        let reader = open_reader(path)?;
        match meta(&reader, "schema_version") {
            Ok(Some(v)) if v == SCHEMA_VERSION => {}
            Ok(Some(v)) => return Err(StoreError(unsupported(&v))),
            Ok(None) | Err(_) => {
                return Err(StoreError(format!("{} is not a kelisim ledger", path.display())));
            }
        }
        Ok(SqliteLedger { writer: None, reader: Mutex::new(reader) })
    }
}

fn unsupported(version: &str) -> String {
    super::unsupported(version, "keep that file as it is and start a new ledger with --db")
}

/// Creates the schema, migrates a schema-3 ledger in place, or checks that an existing ledger is
/// one this collector can read.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);")?;
    match meta(&tx, "schema_version")? {
        Some(v) if MIGRATES_FROM.contains(&v.as_str()) => {
            if v == "3" {
                migrate::from_3(&tx)?;
            }
            migrate::from_4(&tx)?;
        }
        Some(v) if v != SCHEMA_VERSION => return Err(StoreError(unsupported(&v))),
        Some(_) => {}
        None => {
            tx.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?1)", [SCHEMA_VERSION])?;
        }
    }
    tx.execute_batch(SCHEMA)?;
    tx.execute_batch(tallies::SCHEMA)?;
    tx.commit()?;
    Ok(())
}

fn meta(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()
}

/// The head as `meta` stores it.
fn stored_head(conn: &Connection) -> rusqlite::Result<StoredHead> {
    Ok(StoredHead { seq: meta(conn, "head_seq")?, hash: meta(conn, "head_hash")? })
}

/// The last seq and hash recorded in `meta`, if any row was ever appended.
fn head(conn: &Connection) -> Result<Option<(i64, String)>, StoreError> {
    stored_head(conn)?.parse().map_err(StoreError)
}

/// An [`Entry`] from a row selected as [`ENTRY_COLUMNS`].
fn entry_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        seq: r.get(0)?,
        received_at: r.get(1)?,
        text_check: r.get(2)?,
        decision_check: r.get(3)?,
        decision_findings: r.get(4)?,
        body: r.get(5)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
        confirmation_id: r.get(9)?,
        confirmation_check: r.get(10)?,
        confirmation_reason: r.get(11)?,
        receipt_code: r.get(12)?,
    })
}

fn entry_by_id(conn: &Connection, record_id: &str) -> rusqlite::Result<Option<Entry>> {
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM consents WHERE record_id = ?1");
    conn.prepare_cached(&sql)?.query_row([record_id], entry_from).optional()
}

fn entries(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Entry>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, entry_from)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Reads, inside the open transaction, what planning needs.
fn known(tx: &Connection, wanted: &Wanted) -> Result<Known, StoreError> {
    let mut known = Known::default();
    for id in &wanted.record_ids {
        if let Some(entry) = entry_by_id(tx, id)? {
            known.rows.insert(id.clone(), entry);
        }
    }
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM consents WHERE subject_ref = ?1 ORDER BY seq");
    for subject in &wanted.subjects {
        known.history.extend(entries(tx, &sql, [subject])?);
    }
    known.history.sort_by_key(|e| e.seq);
    for id in &wanted.confirmation_ids {
        if let Some(c) = confirmations::by_id(tx, id)? {
            known.confirmations.insert(id.clone(), c);
        }
        let used =
            "SELECT 1 FROM consents WHERE confirmation_id = ?1 AND confirmation_check = 'verified' LIMIT 1";
        if tx.prepare_cached(used)?.query_row([id], |_| Ok(())).optional()?.is_some() {
            known.used.insert(id.clone());
        }
    }
    Ok(known)
}

/// Writes the planned rows inside the open transaction.
fn insert(tx: &Connection, batch: &[NewEntry], plan: &plan::Plan) -> Result<(), StoreError> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO consents (seq, record_id, received_at, subject_ref, policy_id, policy_version, kind,
                               text_check, decision_check, decision_findings, body, prev_hash, hash,
                               confirmation_id, confirmation_check, confirmation_reason, receipt_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?;
    for planned in &plan.rows {
        let (entry, row) = (&batch[planned.index], &planned.row);
        stmt.execute(params![
            row.seq,
            entry.record_id,
            row.received_at,
            entry.subject_ref,
            entry.policy_id,
            entry.policy_version,
            entry.kind,
            row.text_check,
            row.decision_check,
            row.decision_findings,
            row.body,
            row.prev_hash,
            row.hash,
            row.confirmation_id,
            row.confirmation_check,
            row.confirmation_reason,
            row.receipt_code
        ])?;
    }
    let keys = plan.rows.iter().flat_map(|planned| {
        let (entry, row) = (&batch[planned.index], &planned.row);
        entry.decided(&row.received_at, &row.text_check, &row.decision_check).keys()
    });
    add_tallies(tx, &tallies::counted(keys))?;
    if let Some((seq, hash)) = &plan.head {
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('head_seq', ?1), ('head_hash', ?2)",
            params![seq.to_string(), hash],
        )?;
    }
    Ok(())
}

/// Adds `counts` to the tallies inside the open transaction.
pub(super) fn add_tallies(tx: &Connection, counts: &[(Key, i64)]) -> rusqlite::Result<()> {
    let sql = format!(
        "INSERT INTO tallies ({}, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT DO UPDATE SET count = count + excluded.count",
        tallies::KEY_COLUMNS
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    for (k, n) in counts {
        stmt.execute(params![
            k.day,
            k.policy_id,
            k.policy_version,
            k.purpose_id,
            k.language,
            k.channel,
            k.decision,
            k.text_ok,
            k.decision_ok,
            n
        ])?;
    }
    Ok(())
}

impl Ledger for SqliteLedger {
    fn append_batch(
        &self,
        batch: &[NewEntry],
        clock: &dyn Fn() -> String,
    ) -> Result<Vec<Appended>, StoreError> {
        let Some(writer) = &self.writer else {
            return Err(StoreError("the ledger was opened read-only".into()));
        };
        let mut conn = lock(writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The tip is the head recorded in meta, so rows deleted from the end leave a visible gap; rows
        // without a head can only mean the head was removed, which appending must not paper over.
        let tip: (i64, String) = match head(&tx)? {
            Some(tip) => tip,
            None if tx.query_row("SELECT 1 FROM consents LIMIT 1", [], |_| Ok(())).optional()?.is_some() => {
                return Err(StoreError(HEADLESS.into()));
            }
            None => (0, GENESIS.to_owned()),
        };
        let plan = plan::plan(tip, batch, &known(&tx, &Wanted::of(batch))?, clock);
        insert(&tx, batch, &plan)?;
        tx.commit()?;
        Ok(plan.outcomes)
    }

    fn get(&self, record_id: &str) -> Result<Option<Entry>, StoreError> {
        Ok(entry_by_id(&lock(&self.reader), record_id)?)
    }

    fn subject(&self, subject_ref: &str) -> Result<Vec<Entry>, StoreError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM consents WHERE subject_ref = ?1 ORDER BY seq");
        entries(&lock(&self.reader), &sql, [subject_ref])
    }

    fn by_receipt(&self, code: &str) -> Result<Vec<Entry>, StoreError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM consents WHERE receipt_code = ?1 ORDER BY seq");
        entries(&lock(&self.reader), &sql, [code])
    }

    fn range(&self, range: &Range) -> Result<Vec<Entry>, StoreError> {
        let conn = lock(&self.reader);
        // A time range first finds, on the time index, the first and last seq it holds, so the
        // walk in seq order starts and stops there instead of reading the ledger from its start.
        let (mut lo, mut hi) = (range.after_seq, i64::MAX);
        if range.from.is_some() || range.to.is_some() {
            // Each bound written out only when given, so the planner searches the index, not scans it.
            let bounds = match (&range.from, &range.to) {
                (Some(_), Some(_)) => "WHERE received_at >= ?1 AND received_at < ?2",
                (Some(_), None) => "WHERE received_at >= ?1 AND ?2 IS NULL",
                _ => "WHERE ?1 IS NULL AND received_at < ?2",
            };
            let sql = format!("SELECT min(seq), max(seq) FROM consents {bounds}");
            let (first, last): (Option<i64>, Option<i64>) = conn
                .prepare_cached(&sql)?
                .query_row(params![range.from, range.to], |r| Ok((r.get(0)?, r.get(1)?)))?;
            match (first, last) {
                (Some(first), Some(last)) => (lo, hi) = (lo.max(first - 1), last),
                _ => return Ok(Vec::new()),
            }
        }
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM consents
             WHERE seq > ?1 AND seq <= ?5 AND (?2 IS NULL OR received_at >= ?2) AND (?3 IS NULL OR received_at < ?3)
             ORDER BY seq LIMIT ?4"
        );
        let limit = i64::try_from(range.limit).unwrap_or(i64::MAX);
        entries(&conn, &sql, params![lo, range.from, range.to, limit, hi])
    }

    fn verify(&self) -> Result<Verdict, StoreError> {
        let mut conn = lock(&self.reader);
        let tx = conn.transaction()?;
        let mut walk = Walk::new();
        let mut stmt = tx.prepare(&format!("SELECT {} FROM consents ORDER BY seq", COLUMNS.join(", ")))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Err(broken) = row_from(r).and_then(|row| walk.step(&row)) {
                return Ok(Verdict::Broken(broken));
            }
        }
        drop(rows);
        drop(stmt);
        Ok(walk.finish_stored(stored_head(&tx)?))
    }

    fn tallies(&self, q: &Query) -> Result<Vec<Tally>, StoreError> {
        let sql = q.sql("?");
        let conn = lock(&self.reader);
        let mut stmt = conn.prepare_cached(&sql)?;
        let given = params![q.policy_id, q.policy_version, q.from_day, q.to_day, q.language, q.channel];
        let rows = stmt.query_map(given, |r| {
            Ok(Tally {
                key: Key {
                    day: r.get(0)?,
                    policy_id: r.get(1)?,
                    policy_version: r.get(2)?,
                    purpose_id: r.get(3)?,
                    language: r.get(4)?,
                    channel: r.get(5)?,
                    decision: r.get(6)?,
                    text_ok: r.get(7)?,
                    decision_ok: r.get(8)?,
                },
                count: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn ping(&self) -> Result<(), StoreError> {
        match meta(&lock(&self.reader), "schema_version")? {
            Some(_) => Ok(()),
            None => Err(StoreError("ledger has no schema version".into())),
        }
    }
}

/// Every column of a row, for the chain walk.
fn row_from(r: &rusqlite::Row<'_>) -> Result<Row, Broken> {
    Row::read(r.get(0).ok(), |i| r.get::<_, Option<String>>(i).ok())
}
