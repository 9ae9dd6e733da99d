//! The Postgres ledger against a real server (`KELISIM_TEST_POSTGRES`), each test in a database of its own.

use super::super::suite::{self, at, broken_at, entry, ledger_with, stored, TestDb};
use super::*;
use postgres::NoTls;
use std::sync::atomic::AtomicU32;
use std::sync::{Arc, Barrier};

/// The variable that names the test server; `cargo xtask test` starts one and sets it.
const SERVER: &str = "KELISIM_TEST_POSTGRES";

/// A database of its own on the test server, dropped with everything in it on drop.
struct TempDb {
    server: String,
    name: String,
    url: String,
}

impl TempDb {
    /// A new empty database, or `None` (the test is skipped, and says so) when no server is named.
    fn new() -> Option<TempDb> {
        let Ok(server) = std::env::var(SERVER) else {
            eprintln!("skipped: {SERVER} not set (cargo xtask test starts a server)");
            return None;
        };
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!("kelisim_test_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
        let mut admin = Client::connect(&server, NoTls).expect("the test server answers");
        admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let url = with_dbname(&server, &name);
        Some(TempDb { server, name, url })
    }

    fn connect(&self) -> PostgresLedger {
        PostgresLedger::connect(&self.url).expect("ledger connects")
    }

    /// A plain connection to the test database.
    fn raw(&self) -> Client {
        Client::connect(&self.url, NoTls).expect("the test database answers")
    }

    /// A raw connection with the append-only triggers dropped, as a tamperer would.
    fn tamper_client(&self) -> Client {
        let mut conn = self.raw();
        conn.batch_execute(
            "DROP TRIGGER IF EXISTS consents_no_update ON consents;
             DROP TRIGGER IF EXISTS consents_no_delete ON consents;
             DROP TRIGGER IF EXISTS consents_no_truncate ON consents;",
        )
        .unwrap();
        conn
    }
}

impl TestDb for TempDb {
    type Ledger = PostgresLedger;

    fn open(&self) -> PostgresLedger {
        self.connect()
    }

    fn tamper(&self, sql: &str) {
        self.tamper_client().batch_execute(sql).unwrap();
    }

    fn verdict(&self) -> Verdict {
        PostgresLedger::connect_existing(&self.url).expect("ledger readable").verify().expect("verifies")
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = Client::connect(&self.server, NoTls) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// `url` with its database name replaced by `name` (URL or key=value form).
fn with_dbname(url: &str, name: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return format!("{url} dbname={name}");
    };
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_end = base[scheme_end + 3..].find('/').map_or(base.len(), |i| scheme_end + 3 + i);
    let mut out = format!("{}/{name}", &base[..authority_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

suite::ledger_suite!(TempDb::new());

/// Skips the test (with a message) when no test server is named.
macro_rules! db {
    () => {
        match TempDb::new() {
            Some(db) => db,
            None => return,
        }
    };
}

#[test]
fn urls_get_the_test_database_name() {
    assert_eq!(with_dbname("postgres://u@127.0.0.1:5/kelisim", "t1"), "postgres://u@127.0.0.1:5/t1");
    assert_eq!(with_dbname("postgres://u@h:5?options=x", "t1"), "postgres://u@h:5/t1?options=x");
    assert_eq!(with_dbname("host=h user=u", "t1"), "host=h user=u dbname=t1");
}

#[test]
fn broken_connections_are_opened_again_on_the_next_call() {
    let db = db!();
    let ledger = ledger_with(&db, 1);
    let mut admin = db.raw();
    let killed = admin
        .query(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .unwrap();
    assert!(killed.len() >= 2, "the writer and a reader were connected");
    // The first call after the cut may fail (nothing is written then); the one after reconnects.
    let appended = ledger.append(&entry(2), &at).or_else(|_| ledger.append(&entry(2), &at)).unwrap();
    assert_eq!(stored(appended).seq, 2);
    let read = ledger.get(&entry(1).record_id).or_else(|_| ledger.get(&entry(1).record_id)).unwrap();
    assert_eq!(read.map(|e| e.seq), Some(1));
    assert_eq!(ledger.verify().unwrap(), Verdict::Intact { records: 2 });
    ledger.ping().unwrap();
}

#[test]
fn a_read_only_opening_of_an_empty_ledger_answers_ping() {
    let db = db!();
    drop(db.connect());
    assert_eq!(db.verdict(), Verdict::Intact { records: 0 });
    PostgresLedger::connect_existing(&db.url).unwrap().ping().unwrap();
}

#[test]
fn updates_deletes_and_truncation_are_refused_by_the_database() {
    let db = db!();
    drop(ledger_with(&db, 1));
    let mut conn = db.raw();
    for sql in ["UPDATE consents SET subject_ref = 'x'", "DELETE FROM consents", "TRUNCATE consents"] {
        let refused = conn.batch_execute(sql).unwrap_err();
        let message = refused.as_db_error().map(|e| e.message().to_owned()).unwrap_or_default();
        assert_eq!(message, "the consent ledger is append-only", "{sql}: {refused}");
    }
    assert_eq!(db.verdict(), Verdict::Intact { records: 1 });
}

#[test]
fn dropped_triggers_are_put_back_when_a_collector_connects() {
    let db = db!();
    drop(ledger_with(&db, 1));
    drop(db.tamper_client());
    drop(db.connect());
    assert!(db.raw().batch_execute("DELETE FROM consents").is_err());
}

#[test]
fn a_read_only_ledger_refuses_to_append() {
    let db = db!();
    drop(db.connect());
    let ledger = PostgresLedger::connect_existing(&db.url).unwrap();
    assert!(ledger.append(&entry(1), &at).unwrap_err().0.contains("read-only"));
}

#[test]
fn another_schema_version_is_refused_on_connect() {
    let db = db!();
    drop(db.connect());
    db.raw().batch_execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'").unwrap();
    for err in [PostgresLedger::connect(&db.url).err(), PostgresLedger::connect_existing(&db.url).err()] {
        let err = err.expect("refused");
        assert!(err.0.contains("schema version 6 is not supported"), "{err}");
    }
}

#[test]
fn connect_existing_refuses_a_database_without_a_ledger_and_creates_nothing() {
    let db = db!();
    let err = PostgresLedger::connect_existing(&db.url).err().expect("refused");
    assert!(err.0.contains("holds no kelisim ledger"), "{err}");
    let tables: i64 = db
        .raw()
        .query_one("SELECT count(*) FROM pg_tables WHERE tablename IN ('meta', 'consents')", &[])
        .unwrap()
        .get(0);
    assert_eq!(tables, 0);
}

#[test]
fn errors_name_the_database_but_never_the_password() {
    let err = PostgresLedger::connect("postgres://someone:s3cret@127.0.0.1:1/nowhere?connect_timeout=2")
        .err()
        .expect("nothing listens on port 1");
    assert!(err.0.starts_with("ledger postgres://someone@127.0.0.1:1/nowhere: "), "{err}");
    assert!(!err.0.contains("s3cret"), "{err}");
    let err = PostgresLedger::connect("postgres://a:s3cret@h:notaport/db").err().expect("refused");
    assert!(!err.0.contains("s3cret"), "{err}");
}

#[test]
fn concurrent_appenders_on_two_machines_make_one_intact_chain() {
    let db = db!();
    // Appends read the head after taking the lock, which needs read committed whatever the default.
    let isolation =
        format!("ALTER DATABASE {} SET default_transaction_isolation = 'repeatable read'", db.name);
    db.raw().batch_execute(&isolation).unwrap();
    let machines = [Arc::new(db.connect()), Arc::new(db.connect())];
    const EACH: u32 = 60;
    let start = Arc::new(Barrier::new(machines.len()));
    let threads: Vec<_> = machines
        .iter()
        .enumerate()
        .map(|(m, ledger)| {
            let (ledger, start) = (Arc::clone(ledger), Arc::clone(&start));
            std::thread::spawn(move || {
                start.wait();
                let mut seqs = Vec::new();
                // Batches of 1 to 4, so the two machines take turns at the lock many times.
                let ids: Vec<u32> = (0..EACH).map(|i| 1000 * (m as u32 + 1) + i).collect();
                for (i, chunk) in ids.chunks(1 + m % 2 * 3).enumerate() {
                    let batch: Vec<NewEntry> = chunk.iter().map(|&n| entry(n)).collect();
                    for done in ledger.append_batch(&batch, &at).unwrap() {
                        seqs.push(stored(done).seq);
                    }
                    if i % 7 == 0 {
                        std::thread::yield_now();
                    }
                }
                seqs
            })
        })
        .collect();
    let mut seqs: Vec<i64> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    seqs.sort_unstable();
    let total = i64::from(EACH) * 2;
    assert_eq!(seqs, (1..=total).collect::<Vec<_>>(), "every seq once");
    assert_eq!(db.verdict(), Verdict::Intact { records: total as u64 });
    for ledger in &machines {
        assert_eq!(ledger.verify().unwrap(), Verdict::Intact { records: total as u64 });
    }
}

#[test]
fn a_long_chain_verifies_across_fetches_and_a_late_edit_is_found() {
    let db = db!();
    let ledger = db.connect();
    let all: Vec<NewEntry> = (1..=2600).map(entry).collect();
    for batch in all.chunks(256) {
        ledger.append_batch(batch, &at).unwrap();
    }
    assert_eq!(db.verdict(), Verdict::Intact { records: 2600 });
    db.tamper_client()
        .batch_execute("UPDATE consents SET body = replace(body, 's2345', 'sX') WHERE seq = 2345")
        .unwrap();
    let b = broken_at(db.verdict());
    assert_eq!(b.seq, 2345);
    assert!(b.why.contains("edited"), "{b}");
}

#[test]
fn dropping_the_ledger_on_the_async_executor_does_not_panic() {
    let db = db!();
    let ledger = db.connect();
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(async move { drop(ledger) });
}
