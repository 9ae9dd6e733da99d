//! The SQLite ledger: the shared ledger suite, plus what only SQLite does.

use super::suite::{self, entry, ledger_with, TestDb};
use super::*;
use rusqlite::Connection;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

/// A ledger file in the temp directory, removed with its WAL files on drop.
struct TempDb(PathBuf);

impl TempDb {
    fn new() -> TempDb {
        static N: AtomicU32 = AtomicU32::new(0);
        let name =
            format!("kelisim-store-{}-{}.sqlite", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
        let path = std::env::temp_dir().join(name);
        let _ = std::fs::remove_file(&path);
        TempDb(path)
    }
}

impl TestDb for TempDb {
    type Ledger = SqliteLedger;

    fn open(&self) -> SqliteLedger {
        SqliteLedger::open(&self.0).expect("ledger opens")
    }

    fn tamper(&self, sql: &str) {
        let conn = Connection::open(&self.0).unwrap();
        conn.execute_batch(
            "DROP TRIGGER IF EXISTS consents_no_update; DROP TRIGGER IF EXISTS consents_no_delete;",
        )
        .unwrap();
        conn.execute_batch(sql).unwrap();
    }

    fn verdict(&self) -> Verdict {
        SqliteLedger::open_existing(&self.0).and_then(|l| l.verify()).expect("ledger readable")
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

suite::ledger_suite!(Some(TempDb::new()));

#[test]
fn updates_and_deletes_are_refused_by_the_database() {
    let db = TempDb::new();
    drop(ledger_with(&db, 1));
    let conn = Connection::open(&db.0).unwrap();
    let update = conn.execute("UPDATE consents SET subject_ref = 'x'", []).unwrap_err();
    assert!(update.to_string().contains("append-only"), "{update}");
    assert!(conn.execute("DELETE FROM consents", []).is_err());
}

#[test]
fn a_read_only_ledger_refuses_to_append() {
    let db = TempDb::new();
    drop(db.open());
    let ledger = SqliteLedger::open_existing(&db.0).unwrap();
    assert!(ledger.append(&entry(1), &suite::at).unwrap_err().0.contains("read-only"));
}

#[test]
fn a_newer_schema_version_is_refused_on_open() {
    let db = TempDb::new();
    drop(db.open());
    Connection::open(&db.0)
        .unwrap()
        .execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'", [])
        .unwrap();
    let err = SqliteLedger::open(&db.0).err().expect("refused");
    assert!(err.0.contains("schema version 6 is not supported"), "{err}");
    assert!(!err.0.contains("earlier kelisim collector"), "{err}");
}

#[test]
fn a_ledger_of_the_previous_schema_is_refused_saying_what_wrote_it() {
    let db = TempDb::new();
    drop(db.open());
    Connection::open(&db.0)
        .unwrap()
        .execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'", [])
        .unwrap();
    for err in [SqliteLedger::open(&db.0).err(), SqliteLedger::open_existing(&db.0).err()] {
        let err = err.expect("refused");
        assert!(
            err.0.contains("schema version 2 is not supported (this collector reads version 5)"),
            "{err}"
        );
        assert!(err.0.contains("earlier kelisim collector") && err.0.contains("start a new ledger"), "{err}");
    }
}

#[test]
fn verify_refuses_a_missing_file_and_a_database_that_is_not_a_ledger() {
    let db = TempDb::new();
    let verify = |db: &TempDb| SqliteLedger::open_existing(&db.0).and_then(|l| l.verify()).unwrap_err().0;
    assert!(verify(&db).contains("no ledger file"));
    Connection::open(&db.0).unwrap().execute_batch("CREATE TABLE t (x);").unwrap();
    assert!(verify(&db).contains("not a kelisim ledger"));
}

#[test]
fn verify_asks_for_a_schema_3_ledger_to_be_migrated_by_serve_first() {
    let db = TempDb::new();
    drop(ledger_with(&db, 1));
    db.tamper(suite::DOWNGRADE_TO_3);
    let err = SqliteLedger::open_existing(&db.0).err().expect("refused read-only");
    assert!(err.0.contains("schema version 3") && err.0.contains("serve migrates it in place"), "{err}");
    drop(db.open());
    assert_eq!(db.verdict(), Verdict::Intact { records: 1 });
}
