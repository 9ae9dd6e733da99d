//! The SQLite ledger: rows chain by hash, retries are idempotent, and any edit is found by `verify`.

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

    fn open(&self) -> SqliteLedger {
        SqliteLedger::open(&self.0).expect("ledger opens")
    }

    /// A raw connection with the append-only triggers dropped, as a tamperer would.
    fn tamper(&self) -> Connection {
        let conn = Connection::open(&self.0).unwrap();
        conn.execute_batch("DROP TRIGGER consents_no_update; DROP TRIGGER consents_no_delete;").unwrap();
        conn
    }

    fn verdict(&self) -> Verdict {
        verify_file(&self.0).expect("ledger readable")
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

fn entry(n: u8) -> NewEntry {
    let record_id = format!("00000000-0000-4000-8000-0000000000{n:02x}");
    NewEntry {
        body: format!(
            r#"{{"recordId":"{record_id}","kind":"grant","policy":{{"id":"p","version":"v1"}},"subject":{{"ref":"s{n}"}}}}"#
        ),
        record_id,
        subject_ref: format!("s{n}"),
        policy_id: "p".into(),
        policy_version: "v1".into(),
        kind: "grant",
    }
}

const AT: &str = "2026-11-22T22:05:28.123Z";

fn at() -> String {
    AT.to_owned()
}

fn stored(appended: Appended) -> Entry {
    match appended {
        Appended::Stored(e) => e,
        other => panic!("expected a new row, got {other:?}"),
    }
}

/// A ledger with `n` rows, seq 1..=n.
fn ledger_with(db: &TempDb, n: u8) -> SqliteLedger {
    let ledger = db.open();
    for i in 1..=n {
        stored(ledger.append(&entry(i), &at).unwrap());
    }
    ledger
}

fn broken_at(verdict: Verdict) -> Broken {
    match verdict {
        Verdict::Broken(b) => b,
        Verdict::Intact { records } => panic!("expected a broken chain, got intact with {records} records"),
    }
}

#[test]
fn first_row_links_to_zeros_and_hashes_by_the_documented_formula() {
    let db = TempDb::new();
    let e = stored(db.open().append(&entry(1), &at).unwrap());
    assert_eq!((e.seq, e.prev_hash.as_str()), (1, GENESIS));
    let text = format!("{GENESIS}\n1\n{AT}\n{}", entry(1).body);
    assert_eq!(e.hash, kelisim::canonical::sha256_hex(text.as_bytes()));
}

#[test]
fn each_row_carries_the_previous_rows_hash() {
    let db = TempDb::new();
    let ledger = db.open();
    let a = stored(ledger.append(&entry(1), &at).unwrap());
    let b = stored(ledger.append(&entry(2), &at).unwrap());
    assert_eq!((b.seq, &b.prev_hash), (2, &a.hash));
    assert_eq!(ledger.get(&entry(2).record_id).unwrap(), Some(b));
}

#[test]
fn the_same_record_again_is_a_duplicate_with_the_original_row() {
    let db = TempDb::new();
    let ledger = db.open();
    let first = stored(ledger.append(&entry(1), &at).unwrap());
    let again = ledger.append(&entry(1), &|| "2030-01-01T00:00:00.000Z".to_owned()).unwrap();
    assert_eq!(again, Appended::Duplicate(first));
}

#[test]
fn another_body_under_a_stored_id_is_a_conflict_and_writes_nothing() {
    let db = TempDb::new();
    let ledger = ledger_with(&db, 1);
    let mut other = entry(1);
    other.body.push(' ');
    assert_eq!(ledger.append(&other, &at).unwrap(), Appended::Conflict);
    assert_eq!(db.verdict(), Verdict::Intact { records: 1 });
}

#[test]
fn unknown_record_id_reads_as_none() {
    let db = TempDb::new();
    assert_eq!(ledger_with(&db, 1).get(&entry(9).record_id).unwrap(), None);
}

#[test]
fn rows_survive_reopening() {
    let db = TempDb::new();
    drop(ledger_with(&db, 2));
    let ledger = db.open();
    assert_eq!(stored(ledger.append(&entry(3), &at).unwrap()).seq, 3);
    assert_eq!(db.verdict(), Verdict::Intact { records: 3 });
}

#[test]
fn an_empty_ledger_verifies_with_zero_records() {
    let db = TempDb::new();
    drop(db.open());
    assert_eq!(db.verdict(), Verdict::Intact { records: 0 });
}

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
fn an_edited_body_breaks_the_chain_at_its_seq() {
    let db = TempDb::new();
    drop(ledger_with(&db, 3));
    db.tamper().execute("UPDATE consents SET body = replace(body, 's2', 'sX') WHERE seq = 2", []).unwrap();
    let b = broken_at(db.verdict());
    assert_eq!(b.seq, 2);
    assert!(b.why.contains("edited"), "{b}");
}

#[test]
fn an_edited_indexed_column_is_found_though_the_body_is_intact() {
    let db = TempDb::new();
    drop(ledger_with(&db, 3));
    db.tamper().execute("UPDATE consents SET subject_ref = 'someone-else' WHERE seq = 3", []).unwrap();
    assert_eq!(
        broken_at(db.verdict()),
        Broken { seq: 3, why: "column subject_ref does not match the record body".into() }
    );
}

#[test]
fn a_deleted_row_is_reported_missing() {
    let db = TempDb::new();
    drop(ledger_with(&db, 3));
    db.tamper().execute("DELETE FROM consents WHERE seq = 2", []).unwrap();
    let b = broken_at(db.verdict());
    assert_eq!(b.seq, 2);
    assert!(b.why.starts_with("missing"), "{b}");
}

#[test]
fn rows_deleted_from_the_end_are_reported_against_the_recorded_head() {
    let db = TempDb::new();
    drop(ledger_with(&db, 3));
    db.tamper().execute("DELETE FROM consents WHERE seq >= 2", []).unwrap();
    assert_eq!(broken_at(db.verdict()).seq, 2);
}

#[test]
fn appending_after_a_deleted_tail_does_not_hide_the_gap() {
    let db = TempDb::new();
    drop(ledger_with(&db, 3));
    db.tamper().execute("DELETE FROM consents WHERE seq = 3", []).unwrap();
    assert_eq!(stored(db.open().append(&entry(4), &at).unwrap()).seq, 4);
    assert_eq!(broken_at(db.verdict()).seq, 3);
}

#[test]
fn swapped_rows_break_the_chain_at_the_first_of_them() {
    let db = TempDb::new();
    drop(ledger_with(&db, 4));
    db.tamper()
        .execute_batch(
            "UPDATE consents SET seq = -2 WHERE seq = 2;
             UPDATE consents SET seq = 2 WHERE seq = 3;
             UPDATE consents SET seq = 3 WHERE seq = -2;",
        )
        .unwrap();
    let b = broken_at(db.verdict());
    assert_eq!(b.seq, 2);
    assert!(b.why.contains("prev_hash"), "{b}");
}

#[test]
fn a_row_rehashed_after_an_edit_still_breaks_the_next_link() {
    let db = TempDb::new();
    drop(ledger_with(&db, 3));
    let conn = db.tamper();
    let (prev, body): (String, String) = conn
        .query_row("SELECT prev_hash, body FROM consents WHERE seq = 2", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    let body = body.replace("\"v1\"", "\"v2\"");
    let hash = link_hash(&prev, 2, AT, &body);
    conn.execute(
        "UPDATE consents SET body = ?1, policy_version = 'v2', hash = ?2 WHERE seq = 2",
        rusqlite::params![body, hash],
    )
    .unwrap();
    let b = broken_at(db.verdict());
    assert_eq!(b.seq, 3);
    assert!(b.why.contains("seq 2"), "{b}");
}

#[test]
fn a_newer_schema_version_is_refused_on_open() {
    let db = TempDb::new();
    drop(db.open());
    Connection::open(&db.0)
        .unwrap()
        .execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'", [])
        .unwrap();
    let err = SqliteLedger::open(&db.0).err().expect("refused");
    assert!(err.0.contains("schema version 2"), "{err}");
}

#[test]
fn verify_refuses_a_missing_file_and_a_database_that_is_not_a_ledger() {
    let db = TempDb::new();
    assert!(verify_file(&db.0).unwrap_err().0.contains("no ledger file"));
    Connection::open(&db.0).unwrap().execute_batch("CREATE TABLE t (x);").unwrap();
    assert!(verify_file(&db.0).unwrap_err().0.contains("not a kelisim ledger"));
}
