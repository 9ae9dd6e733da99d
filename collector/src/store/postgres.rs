//! The Postgres ledger: SQLite's chain and semantics in a server database that several collectors share.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use postgres::types::{ToSql, Type};
use postgres::{Client, IsolationLevel, Transaction};

mod confirmations;
mod migrate;
mod session;

use super::chain::{Broken, Row, StoredHead, Verdict, Walk, COLUMNS, ENTRY_COLUMNS, GENESIS};
use super::plan::{self, Known, Wanted};
use super::tallies::{self, Key, Query, Tally};
use super::{Appended, Entry, Ledger, NewEntry, Range, StoreError, HEADLESS, MIGRATES_FROM, SCHEMA_VERSION};
use session::{lock, Failure, Role, Session, Target};

/// Reading connections: reads (and a long `verify`) do not queue behind one another.
const READERS: usize = 4;

/// Rows fetched at a time while `verify` walks the chain, so memory stays flat on a large ledger.
const VERIFY_CHUNK: i32 = 1000;

/// Held by the transaction that creates or checks the schema, so collectors starting together on an
/// empty database do not race to create it ("kelisim" in ASCII).
const SCHEMA_LOCK: i64 = 0x006b_656c_6973_696d;

/// The append-only triggers, by name.
const TRIGGERS: [&str; 3] = ["consents_no_update", "consents_no_delete", "consents_no_truncate"];

/// The tables, indexes and append-only triggers. `received_at` compares bytewise (`COLLATE "C"`), as
/// in SQLite, whatever the database's default collation. Runs only when something is missing.
const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS consents (
    seq BIGINT PRIMARY KEY,
    record_id TEXT NOT NULL UNIQUE,
    received_at TEXT COLLATE "C" NOT NULL,
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
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    salt TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    verified_at_ms BIGINT,
    receipts_sent BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS confirmations_by_phone ON confirmations (phone, created_at_ms);
CREATE OR REPLACE FUNCTION kelisim_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the consent ledger is append-only';
END
$$;
DROP TRIGGER IF EXISTS consents_no_update ON consents;
CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents
    FOR EACH ROW EXECUTE FUNCTION kelisim_append_only();
DROP TRIGGER IF EXISTS consents_no_delete ON consents;
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
    FOR EACH ROW EXECUTE FUNCTION kelisim_append_only();
DROP TRIGGER IF EXISTS consents_no_truncate ON consents;
CREATE TRIGGER consents_no_truncate BEFORE TRUNCATE ON consents
    FOR EACH STATEMENT EXECUTE FUNCTION kelisim_append_only();
"#;

/// A consent ledger in a Postgres database, shared safely by several collectors.
///
/// The client is the synchronous `postgres` crate, which runs a small runtime of its own inside each
/// connection: call the ledger only off the async executor (`spawn_blocking`, the writer thread), as the
/// collector does with every ledger. Dropping it on the executor is handled (see its `Drop`).
///
/// Durability: every append is one transaction, committed with `synchronous_commit = on` (set on the
/// writing session and again in each append transaction, so no server, database or role default,
/// nor a transaction-pooling proxy, can weaken it) before the call returns, and
/// the writing session refuses a server that runs with `fsync = off`. Appenders in different processes
/// or machines are serialized by a row lock on `meta`'s `schema_version` row, held until the commit.
pub struct PostgresLedger {
    target: Target,
    /// The one writing connection; `None` when opened for `verify` and `export` only.
    writer: Option<Mutex<Session>>,
    readers: Vec<Mutex<Session>>,
    next_reader: AtomicUsize,
}

impl PostgresLedger {
    /// Connects to the database at `url` (`postgres://user@host:port/db`), creating the schema if
    /// there is none, or checking that the one there is a version this collector reads.
    pub fn connect(url: &str) -> Result<PostgresLedger, StoreError> {
        let target = Target::parse(url)?;
        let mut writer = Session::new(Role::Writer);
        migrate(writer.client(&target)?).map_err(|e| e.within(&target))?;
        PostgresLedger::with(target, Some(writer))
    }

    /// Connects to an existing ledger for `verify` and `export`: nothing is created or written, and a
    /// database without a kelisim ledger is refused.
    pub fn connect_existing(url: &str) -> Result<PostgresLedger, StoreError> {
        PostgresLedger::with(Target::parse(url)?, None)
    }

    fn with(target: Target, writer: Option<Session>) -> Result<PostgresLedger, StoreError> {
        let mut first = Session::new(Role::Reader);
        check_ledger(first.client(&target)?).map_err(|e| e.within(&target))?;
        let mut readers = vec![Mutex::new(first)];
        readers.extend((1..READERS).map(|_| Mutex::new(Session::new(Role::Reader))));
        Ok(PostgresLedger {
            target,
            writer: writer.map(Mutex::new),
            readers,
            next_reader: AtomicUsize::new(0),
        })
    }

    /// A free reading connection if there is one, else the next in turn.
    fn reader(&self) -> MutexGuard<'_, Session> {
        for session in &self.readers {
            if let Ok(free) = session.try_lock() {
                return free;
            }
        }
        let next = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        lock(&self.readers[next])
    }

    /// Runs `read` on a reading connection.
    fn read<T>(&self, read: impl FnOnce(&mut Client) -> Result<T, Failure>) -> Result<T, StoreError> {
        self.reader().run(&self.target, read)
    }
}

impl Drop for PostgresLedger {
    /// Each connection owns a small runtime, which must not be dropped on an async executor's
    /// thread: there, the connections are closed on a thread of their own.
    fn drop(&mut self) {
        if tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        let sessions: Vec<Session> = self
            .writer
            .take()
            .into_iter()
            .chain(self.readers.drain(..))
            .map(|s| s.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()))
            .collect();
        let _ = std::thread::Builder::new().name("ledger-close".into()).spawn(move || drop(sessions));
    }
}

fn unsupported(version: &str) -> Failure {
    Failure::Ledger(super::unsupported(
        version,
        "keep that database as it is and start a new ledger in another database with --db",
    ))
}

/// Creates the schema, migrates a schema-3 ledger in place, or checks that an existing ledger is one
/// this collector can read. The append-only triggers are put back if they are missing, as SQLite's
/// `CREATE TRIGGER IF NOT EXISTS` does.
fn migrate(client: &mut Client) -> Result<(), Failure> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])?;
    let (has_meta, has_consents) = tables(&mut tx)?;
    let mut version = if has_meta { meta(&mut tx, "schema_version")? } else { None };
    if has_consents && version.as_deref() == Some("3") {
        migrate::from_3(&mut tx)?;
        version = Some("4".to_owned());
    }
    if has_consents && version.as_deref().is_some_and(|v| MIGRATES_FROM.contains(&v)) {
        migrate::from_4(&mut tx)?;
        version = Some(SCHEMA_VERSION.to_owned());
    }
    let has_confirmations: bool = tx
        .query_one(
            "SELECT to_regclass('confirmations') IS NOT NULL AND to_regclass('tallies') IS NOT NULL",
            &[],
        )?
        .try_get(0)?;
    match (&version, has_consents) {
        (Some(v), _) if v != SCHEMA_VERSION => return Err(unsupported(v)),
        (None, true) => {
            return Err(Failure::Ledger(
                "the database has a consents table that is not a kelisim ledger's (no schema version)".into(),
            ))
        }
        _ => {}
    }
    let triggers: i64 = tx
        .query_one(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass('consents') AND tgname = ANY($1)",
            &[&&TRIGGERS[..]],
        )?
        .try_get(0)?;
    if version.is_some() && has_consents && has_confirmations && triggers == TRIGGERS.len() as i64 {
        tx.commit()?;
        return Ok(());
    }
    tx.batch_execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);")?;
    tx.batch_execute(SCHEMA)?;
    tx.batch_execute(tallies::SCHEMA)?;
    if version.is_none() {
        tx.execute("INSERT INTO meta (key, value) VALUES ('schema_version', $1)", &[&SCHEMA_VERSION])?;
    }
    tx.commit()?;
    Ok(())
}

/// Whether the tables `meta` and `consents` exist (on the search path).
fn tables(tx: &mut Transaction<'_>) -> Result<(bool, bool), Failure> {
    let row =
        tx.query_one("SELECT to_regclass('meta') IS NOT NULL, to_regclass('consents') IS NOT NULL", &[])?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}

/// Refuses a database that holds no kelisim ledger, or one of another schema version.
fn check_ledger(client: &mut Client) -> Result<(), Failure> {
    let mut tx = client.build_transaction().read_only(true).start()?;
    let not_a_ledger = || Failure::Ledger("the database holds no kelisim ledger".into());
    match tables(&mut tx)? {
        (true, true) => {}
        _ => return Err(not_a_ledger()),
    }
    match meta(&mut tx, "schema_version")? {
        Some(v) if v == SCHEMA_VERSION => Ok(()),
        Some(v) => Err(unsupported(&v)),
        None => Err(not_a_ledger()),
    }
}

fn meta(tx: &mut Transaction<'_>, key: &str) -> Result<Option<String>, postgres::Error> {
    let row = tx.query_typed_opt("SELECT value FROM meta WHERE key = $1", &[(&key, Type::TEXT)])?;
    row.map(|r| r.try_get(0)).transpose()
}

/// The head as `meta` stores it.
fn stored_head(tx: &mut Transaction<'_>) -> Result<StoredHead, postgres::Error> {
    let rows = tx.query_typed("SELECT key, value FROM meta WHERE key IN ('head_seq', 'head_hash')", &[])?;
    let mut head = StoredHead::default();
    for row in rows {
        let (key, value): (String, String) = (row.try_get(0)?, row.try_get(1)?);
        if key == "head_seq" {
            head.seq = Some(value);
        } else {
            head.hash = Some(value);
        }
    }
    Ok(head)
}

/// The last seq and hash recorded in `meta`, if any row was ever appended.
fn head(tx: &mut Transaction<'_>) -> Result<Option<(i64, String)>, Failure> {
    stored_head(tx)?.parse().map_err(Failure::Ledger)
}

/// An [`Entry`] from a row selected as [`ENTRY_COLUMNS`].
fn entry_from(r: &postgres::Row) -> Result<Entry, postgres::Error> {
    Ok(Entry {
        seq: r.try_get(0)?,
        received_at: r.try_get(1)?,
        text_check: r.try_get(2)?,
        decision_check: r.try_get(3)?,
        decision_findings: r.try_get(4)?,
        body: r.try_get(5)?,
        prev_hash: r.try_get(6)?,
        hash: r.try_get(7)?,
        confirmation_id: r.try_get(9)?,
        confirmation_check: r.try_get(10)?,
        confirmation_reason: r.try_get(11)?,
        receipt_code: r.try_get(12)?,
    })
}

fn entries(
    client: &mut Client,
    sql: &str,
    params: &[(&(dyn ToSql + Sync), Type)],
) -> Result<Vec<Entry>, Failure> {
    let rows = client.query_typed(sql, params)?;
    Ok(rows.iter().map(entry_from).collect::<Result<Vec<_>, _>>()?)
}

/// The planned rows, column by column, for one `INSERT ... SELECT FROM unnest(...)`.
#[derive(Default)]
struct NewRows<'a> {
    seq: Vec<i64>,
    record_id: Vec<&'a str>,
    received_at: Vec<&'a str>,
    subject_ref: Vec<&'a str>,
    policy_id: Vec<&'a str>,
    policy_version: Vec<&'a str>,
    kind: Vec<&'a str>,
    text_check: Vec<&'a str>,
    decision_check: Vec<&'a str>,
    decision_findings: Vec<&'a str>,
    body: Vec<&'a str>,
    prev_hash: Vec<&'a str>,
    hash: Vec<&'a str>,
    confirmation_id: Vec<Option<&'a str>>,
    confirmation_check: Vec<Option<&'a str>>,
    confirmation_reason: Vec<Option<&'a str>>,
    receipt_code: Vec<&'a str>,
}

impl<'a> NewRows<'a> {
    fn of(batch: &'a [NewEntry], plan: &'a plan::Plan) -> NewRows<'a> {
        let mut rows = NewRows::default();
        for planned in &plan.rows {
            let (entry, row) = (&batch[planned.index], &planned.row);
            rows.seq.push(row.seq);
            rows.record_id.push(&entry.record_id);
            rows.received_at.push(&row.received_at);
            rows.subject_ref.push(&entry.subject_ref);
            rows.policy_id.push(&entry.policy_id);
            rows.policy_version.push(&entry.policy_version);
            rows.kind.push(entry.kind);
            rows.text_check.push(&row.text_check);
            rows.decision_check.push(&row.decision_check);
            rows.decision_findings.push(&row.decision_findings);
            rows.body.push(&row.body);
            rows.prev_hash.push(&row.prev_hash);
            rows.hash.push(&row.hash);
            rows.confirmation_id.push(row.confirmation_id.as_deref());
            rows.confirmation_check.push(row.confirmation_check.as_deref());
            rows.confirmation_reason.push(row.confirmation_reason.as_deref());
            rows.receipt_code.push(&row.receipt_code);
        }
        rows
    }

    fn insert(&self, tx: &mut Transaction<'_>) -> Result<(), postgres::Error> {
        let text = Type::TEXT_ARRAY;
        tx.execute_typed(
            "INSERT INTO consents (seq, record_id, received_at, subject_ref, policy_id, policy_version, kind,
                                   text_check, decision_check, decision_findings, body, prev_hash, hash,
                                   confirmation_id, confirmation_check, confirmation_reason, receipt_code)
             SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
            &[
                (&self.seq, Type::INT8_ARRAY),
                (&self.record_id, text.clone()),
                (&self.received_at, text.clone()),
                (&self.subject_ref, text.clone()),
                (&self.policy_id, text.clone()),
                (&self.policy_version, text.clone()),
                (&self.kind, text.clone()),
                (&self.text_check, text.clone()),
                (&self.decision_check, text.clone()),
                (&self.decision_findings, text.clone()),
                (&self.body, text.clone()),
                (&self.prev_hash, text.clone()),
                (&self.hash, text.clone()),
                (&self.confirmation_id, text.clone()),
                (&self.confirmation_check, text.clone()),
                (&self.confirmation_reason, text.clone()),
                (&self.receipt_code, text),
            ],
        )?;
        Ok(())
    }
}

/// Adds `counts` to the tallies inside the open transaction, in one statement.
pub(super) fn add_tallies(tx: &mut Transaction<'_>, counts: &[(Key, i64)]) -> Result<(), postgres::Error> {
    if counts.is_empty() {
        return Ok(());
    }
    let column = |f: fn(&Key) -> &str| counts.iter().map(|(k, _)| f(k)).collect::<Vec<&str>>();
    let flags = |f: fn(&Key) -> bool| counts.iter().map(|(k, _)| f(k)).collect::<Vec<bool>>();
    let n: Vec<i64> = counts.iter().map(|(_, n)| *n).collect();
    let text = Type::TEXT_ARRAY;
    tx.execute_typed(
        &format!(
            "INSERT INTO tallies ({}, count)
             SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT ({}) DO UPDATE SET count = tallies.count + EXCLUDED.count",
            tallies::KEY_COLUMNS,
            tallies::KEY_COLUMNS
        ),
        &[
            (&column(|k| &k.day), text.clone()),
            (&column(|k| &k.policy_id), text.clone()),
            (&column(|k| &k.policy_version), text.clone()),
            (&column(|k| &k.purpose_id), text.clone()),
            (&column(|k| &k.language), text.clone()),
            (&column(|k| &k.channel), text.clone()),
            (&column(|k| &k.decision), text),
            (&flags(|k| k.text_ok), Type::BOOL_ARRAY),
            (&flags(|k| k.decision_ok), Type::BOOL_ARRAY),
            (&n, Type::INT8_ARRAY),
        ],
    )?;
    Ok(())
}

/// Reads, inside the append transaction, what planning needs.
fn known(tx: &mut Transaction<'_>, wanted: &Wanted) -> Result<Known, Failure> {
    let mut known = Known::default();
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM consents WHERE record_id = ANY($1)");
    for row in tx.query_typed(&sql, &[(&wanted.record_ids, Type::TEXT_ARRAY)])? {
        known.rows.insert(row.try_get(8)?, entry_from(&row)?);
    }
    if !wanted.subjects.is_empty() {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM consents WHERE subject_ref = ANY($1) ORDER BY seq");
        for row in tx.query_typed(&sql, &[(&wanted.subjects, Type::TEXT_ARRAY)])? {
            known.history.push(entry_from(&row)?);
        }
    }
    if !wanted.confirmation_ids.is_empty() {
        for c in confirmations::by_ids(tx, &wanted.confirmation_ids)? {
            known.confirmations.insert(c.id.clone(), c);
        }
        let used = "SELECT DISTINCT confirmation_id FROM consents
                    WHERE confirmation_id = ANY($1) AND confirmation_check = 'verified'";
        for row in tx.query_typed(used, &[(&wanted.confirmation_ids, Type::TEXT_ARRAY)])? {
            known.used.insert(row.try_get(0)?);
        }
    }
    Ok(known)
}

/// Appends `batch` in one transaction under the append lock; see [`Ledger::append_batch`].
fn append_batch(
    client: &mut Client,
    batch: &[NewEntry],
    clock: &dyn Fn() -> String,
) -> Result<Vec<Appended>, Failure> {
    let mut tx = client.build_transaction().isolation_level(IsolationLevel::ReadCommitted).start()?;
    // Per transaction as well as per session: a transaction-pooling proxy between the collector and
    // the server may not carry session settings over.
    tx.batch_execute("SET LOCAL synchronous_commit = on")?;
    // The append lock, across processes and machines: this row exists in every ledger, and the lock
    // is held until commit. Under read committed, each statement after it sees the last appender's rows.
    let locked = tx.query_typed("SELECT 1 FROM meta WHERE key = 'schema_version' FOR UPDATE", &[])?;
    if locked.is_empty() {
        return Err(Failure::Ledger("the ledger has no schema version in meta".into()));
    }
    // The tip is the head recorded in meta, so rows deleted from the end leave a visible gap; rows
    // without a head can only mean the head was removed, which appending must not paper over.
    let tip = match head(&mut tx)? {
        Some(tip) => tip,
        None if tx.query_typed_opt("SELECT 1 FROM consents LIMIT 1", &[])?.is_some() => {
            return Err(Failure::Ledger(HEADLESS.into()));
        }
        None => (0, GENESIS.to_owned()),
    };
    let known = known(&mut tx, &Wanted::of(batch))?;
    let plan = plan::plan(tip, batch, &known, clock);
    if let Some((seq, hash)) = &plan.head {
        NewRows::of(batch, &plan).insert(&mut tx)?;
        let keys = plan.rows.iter().flat_map(|planned| {
            let (entry, row) = (&batch[planned.index], &planned.row);
            entry.decided(&row.received_at, &row.text_check, &row.decision_check).keys()
        });
        add_tallies(&mut tx, &tallies::counted(keys))?;
        tx.execute_typed(
            "INSERT INTO meta (key, value) VALUES ('head_seq', $1), ('head_hash', $2)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[(&seq.to_string(), Type::TEXT), (hash, Type::TEXT)],
        )?;
    }
    tx.commit()?;
    Ok(plan.outcomes)
}

impl Ledger for PostgresLedger {
    /// As the trait says, with one case no client of a server database can rule out: if the connection
    /// is lost while the COMMIT is on its way, the error cannot tell whether it landed. A retry of the
    /// same records then answers `Duplicate` for what did, so nothing is stored twice.
    fn append_batch(
        &self,
        batch: &[NewEntry],
        clock: &dyn Fn() -> String,
    ) -> Result<Vec<Appended>, StoreError> {
        let Some(writer) = &self.writer else {
            return Err(self.target.error("the ledger was opened read-only"));
        };
        lock(writer).run(&self.target, |client| append_batch(client, batch, clock))
    }

    fn get(&self, record_id: &str) -> Result<Option<Entry>, StoreError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM consents WHERE record_id = $1");
        self.read(|client| Ok(entries(client, &sql, &[(&record_id, Type::TEXT)])?.pop()))
    }

    fn subject(&self, subject_ref: &str) -> Result<Vec<Entry>, StoreError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM consents WHERE subject_ref = $1 ORDER BY seq");
        self.read(|client| entries(client, &sql, &[(&subject_ref, Type::TEXT)]))
    }

    fn by_receipt(&self, code: &str) -> Result<Vec<Entry>, StoreError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM consents WHERE receipt_code = $1 ORDER BY seq");
        self.read(|client| entries(client, &sql, &[(&code, Type::TEXT)]))
    }

    fn tallies(&self, q: &Query) -> Result<Vec<Tally>, StoreError> {
        // Postgres types each parameter once, so `$5::text` and `$6::text` where they are only summed over.
        let sql = q
            .sql("$")
            .replace("COALESCE($5,", "COALESCE($5::text,")
            .replace("COALESCE($6,", "COALESCE($6::text,");
        let sql =
            (1..=6).fold(sql, |sql, n| sql.replace(&format!("${n} IS NULL"), &format!("${n}::text IS NULL")));
        self.read(|client| {
            let rows = client.query_typed(
                &sql,
                &[
                    (&q.policy_id, Type::TEXT),
                    (&q.policy_version, Type::TEXT),
                    (&q.from_day, Type::TEXT),
                    (&q.to_day, Type::TEXT),
                    (&q.language, Type::TEXT),
                    (&q.channel, Type::TEXT),
                ],
            )?;
            let tally = |r: &postgres::Row| -> Result<Tally, postgres::Error> {
                Ok(Tally {
                    key: Key {
                        day: r.try_get(0)?,
                        policy_id: r.try_get(1)?,
                        policy_version: r.try_get(2)?,
                        purpose_id: r.try_get(3)?,
                        language: r.try_get(4)?,
                        channel: r.try_get(5)?,
                        decision: r.try_get(6)?,
                        text_ok: r.try_get(7)?,
                        decision_ok: r.try_get(8)?,
                    },
                    count: r.try_get(9)?,
                })
            };
            Ok(rows.iter().map(tally).collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn range(&self, range: &Range) -> Result<Vec<Entry>, StoreError> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM consents
             WHERE seq > $1 AND ($2::text IS NULL OR received_at >= $2) AND ($3::text IS NULL OR received_at < $3)
             ORDER BY seq LIMIT $4"
        );
        let limit = i64::try_from(range.limit).unwrap_or(i64::MAX);
        self.read(|client| {
            entries(
                client,
                &sql,
                &[
                    (&range.after_seq, Type::INT8),
                    (&range.from, Type::TEXT),
                    (&range.to, Type::TEXT),
                    (&limit, Type::INT8),
                ],
            )
        })
    }

    fn verify(&self) -> Result<Verdict, StoreError> {
        self.read(|client| {
            // One snapshot for every row and the head, however long the walk takes.
            let mut tx = client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            let sql = format!("SELECT {} FROM consents ORDER BY seq", COLUMNS.join(", "));
            let portal = tx.bind(sql.as_str(), &[])?;
            let mut walk = Walk::new();
            loop {
                let rows = tx.query_portal(&portal, VERIFY_CHUNK)?;
                for r in &rows {
                    if let Err(broken) = row_from(r).and_then(|row| walk.step(&row)) {
                        return Ok(Verdict::Broken(broken));
                    }
                }
                if rows.len() < VERIFY_CHUNK as usize {
                    break;
                }
            }
            let head = stored_head(&mut tx)?;
            tx.commit()?;
            Ok(walk.finish_stored(head))
        })
    }

    fn ping(&self) -> Result<(), StoreError> {
        self.read(|client| {
            let version =
                client.query_typed_opt("SELECT value FROM meta WHERE key = 'schema_version'", &[])?;
            match version {
                Some(_) => Ok(()),
                None => Err(Failure::Ledger("ledger has no schema version".into())),
            }
        })
    }
}

/// Every column of a row, for the chain walk.
fn row_from(r: &postgres::Row) -> Result<Row, Broken> {
    Row::read(r.try_get(0).ok(), |i| r.try_get::<_, Option<String>>(i).ok())
}

#[cfg(test)]
mod tests;
