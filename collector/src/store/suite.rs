//! The tests every ledger backend must pass, written once: the chain, idempotency, reads, and
//! `verify` finding each kind of tampering. Each backend's tests run them with `ledger_suite!`.

use super::chain::{link_hash, Broken, Hashed, GENESIS};
use super::{
    tallies, Appended, Confirmation, ConfirmationState, Confirmations, Entry, Ledger, NewEntry, Opened,
    Range, TextCheck, Verdict,
};
use crate::confirm::attempt::{judge, Answer};
use crate::confirm::code;
use crate::confirm::limits::Window;
use crate::decision::EditionCheck;

/// A scratch ledger of one backend.
pub trait TestDb {
    /// The backend's ledger type.
    type Ledger: Ledger;
    /// A writing ledger on the scratch database (created on first open).
    fn open(&self) -> Self::Ledger;
    /// Runs `sql` on a raw connection with the append-only triggers dropped, as a tamperer would.
    fn tamper(&self, sql: &str);
    /// What `verify` says, through a read-only opening as `kelisim-collector verify` makes.
    fn verdict(&self) -> Verdict;
}

/// Runs each named suite test against the scratch database `$make` gives (`None` skips).
macro_rules! run_suite {
    ($make:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                if let Some(db) = $make {
                    $crate::store::suite::$name(&db);
                }
            }
        )*
    };
}

/// Every suite test against the scratch database `$make` gives (an `Option`: `None` skips).
macro_rules! ledger_suite {
    ($make:expr) => {
        $crate::store::suite::run_suite!($make;
            first_row_links_to_zeros_and_hashes_by_the_documented_formula,
            each_row_carries_the_previous_rows_hash,
            the_same_record_again_is_a_duplicate_with_the_original_row,
            another_body_under_a_stored_id_is_a_conflict_and_writes_nothing,
            a_batch_chains_in_order_and_an_id_repeated_in_it_is_a_duplicate_of_the_first,
            unknown_record_id_reads_as_none,
            rows_survive_reopening,
            an_empty_ledger_verifies_with_zero_records,
            subject_and_range_return_what_was_appended_in_seq_order,
            an_edited_body_breaks_the_chain_at_its_seq,
            an_edited_indexed_column_is_found_though_the_body_is_intact,
            an_edited_text_check_breaks_the_hash,
            an_edited_decision_check_breaks_the_hash_and_a_rehashed_one_is_refused,
            a_withdrawal_is_checked_against_the_chain_as_it_stands,
            a_deleted_row_is_reported_missing,
            rows_deleted_from_the_end_are_reported_against_the_recorded_head,
            appending_after_a_deleted_tail_does_not_hide_the_gap,
            swapped_rows_break_the_chain_at_the_first_of_them,
            a_row_rehashed_after_an_edit_still_breaks_the_next_link,
            a_head_edited_into_nonsense_is_a_broken_link,
            a_removed_head_is_reported_and_appending_stops,
            a_schema_3_ledger_is_migrated_in_place_and_still_verifies,
            a_confirmation_counts_once_for_its_phone_and_policy,
            codes_per_phone_are_counted_from_the_table_across_reopening,
            attempts_are_stored_and_a_dead_confirmation_stays_dead,
            tallies_count_each_stored_record_per_purpose_and_day_and_a_duplicate_not_again,
            a_schema_4_ledger_gets_its_tallies_counted_from_every_row,
        );
    };
}

pub(crate) use {ledger_suite, run_suite};

/// Record `n`: a minimal body whose indexed columns agree with it.
pub fn entry(n: u32) -> NewEntry {
    let record_id = format!("00000000-0000-4000-8000-{n:012x}");
    NewEntry {
        body: format!(
            r#"{{"recordId":"{record_id}","kind":"grant","policy":{{"id":"p","version":"v1","language":"kk"}},"purposes":[{{"id":"service","required":true,"granted":true}}],"subject":{{"ref":"s{n}"}}}}"#
        ),
        record_id,
        subject_ref: format!("s{n}"),
        policy_id: "p".into(),
        policy_version: "v1".into(),
        kind: "grant",
        text_check: TextCheck::Match,
        edition_check: EditionCheck { registered: true, findings: Vec::new() },
        previous_record_id: None,
        purposes: vec![("service".into(), true)],
        confirmation_id: None,
        receipt_code: kelisim::short_code::of(&format!("00000000-0000-4000-8000-{n:012x}")),
        language: "kk",
        channel: "web",
    }
}

/// Record `n` withdrawing `service`, pointing to record `from`, for the subject of `from`.
pub fn withdrawal(n: u32, from: u32) -> NewEntry {
    let mut e = entry(n);
    e.body = e.body.replace("\"grant\"", "\"withdrawal\"").replace("\"granted\":true", "\"granted\":false");
    e.body = e.body.replace(&format!("\"s{n}\""), &format!("\"s{from}\""));
    e.subject_ref = format!("s{from}");
    e.kind = "withdrawal";
    e.previous_record_id = Some(entry(from).record_id);
    e.purposes = vec![("service".into(), false)];
    e
}

pub const AT: &str = "2026-11-22T22:05:28.123Z";

pub fn at() -> String {
    AT.to_owned()
}

pub fn stored(appended: Appended) -> Entry {
    match appended {
        Appended::Stored(e) => e,
        other => panic!("expected a new row, got {other:?}"),
    }
}

/// A ledger with `n` rows, seq 1..=n.
pub fn ledger_with<D: TestDb>(db: &D, n: u32) -> D::Ledger {
    let ledger = db.open();
    for i in 1..=n {
        stored(ledger.append(&entry(i), &at).unwrap());
    }
    ledger
}

pub fn broken_at(verdict: Verdict) -> Broken {
    match verdict {
        Verdict::Broken(b) => b,
        Verdict::Intact { records } => panic!("expected a broken chain, got intact with {records} records"),
    }
}

pub fn first_row_links_to_zeros_and_hashes_by_the_documented_formula<D: TestDb>(db: &D) {
    let e = stored(db.open().append(&entry(1), &at).unwrap());
    assert_eq!((e.seq, e.prev_hash.as_str(), e.text_check.as_str()), (1, GENESIS, "match"));
    assert_eq!((e.decision_check.as_str(), e.decision_findings.as_str()), ("consistent", "[]"));
    let text = format!("{GENESIS}\n1\n{AT}\nmatch\nconsistent\n[]\n{}", entry(1).body);
    assert_eq!(e.hash, kelisim::canonical::sha256_hex(text.as_bytes()));
}

pub fn each_row_carries_the_previous_rows_hash<D: TestDb>(db: &D) {
    let ledger = db.open();
    let a = stored(ledger.append(&entry(1), &at).unwrap());
    let b = stored(ledger.append(&entry(2), &at).unwrap());
    assert_eq!((b.seq, &b.prev_hash), (2, &a.hash));
    assert_eq!(ledger.get(&entry(2).record_id).unwrap(), Some(b));
}

pub fn the_same_record_again_is_a_duplicate_with_the_original_row<D: TestDb>(db: &D) {
    let ledger = db.open();
    let first = stored(ledger.append(&entry(1), &at).unwrap());
    let again = ledger.append(&entry(1), &|| "2030-01-01T00:00:00.000Z".to_owned()).unwrap();
    assert_eq!(again, Appended::Duplicate(first));
}

pub fn another_body_under_a_stored_id_is_a_conflict_and_writes_nothing<D: TestDb>(db: &D) {
    let ledger = ledger_with(db, 1);
    let mut other = entry(1);
    other.body.push(' ');
    assert_eq!(ledger.append(&other, &at).unwrap(), Appended::Conflict);
    assert_eq!(db.verdict(), Verdict::Intact { records: 1 });
}

pub fn a_batch_chains_in_order_and_an_id_repeated_in_it_is_a_duplicate_of_the_first<D: TestDb>(db: &D) {
    let ledger = ledger_with(db, 1);
    let mut conflicting = entry(2);
    conflicting.body.push(' ');
    let batch = [entry(2), entry(1), entry(3), entry(2), conflicting];
    let done = ledger.append_batch(&batch, &at).unwrap();
    let (two, three) = (stored(done[0].clone()), stored(done[2].clone()));
    assert_eq!((two.seq, three.seq, &three.prev_hash), (2, 3, &two.hash));
    assert_eq!(done[1], Appended::Duplicate(ledger.get(&entry(1).record_id).unwrap().unwrap()));
    assert_eq!(done[3], Appended::Duplicate(two));
    assert_eq!(done[4], Appended::Conflict);
    assert_eq!(db.verdict(), Verdict::Intact { records: 3 });
}

pub fn unknown_record_id_reads_as_none<D: TestDb>(db: &D) {
    assert_eq!(ledger_with(db, 1).get(&entry(9).record_id).unwrap(), None);
}

pub fn rows_survive_reopening<D: TestDb>(db: &D) {
    drop(ledger_with(db, 2));
    let ledger = db.open();
    assert_eq!(stored(ledger.append(&entry(3), &at).unwrap()).seq, 3);
    assert_eq!(ledger.verify().unwrap(), Verdict::Intact { records: 3 });
    assert_eq!(db.verdict(), Verdict::Intact { records: 3 });
}

pub fn an_empty_ledger_verifies_with_zero_records<D: TestDb>(db: &D) {
    drop(db.open());
    assert_eq!(db.verdict(), Verdict::Intact { records: 0 });
}

pub fn subject_and_range_return_what_was_appended_in_seq_order<D: TestDb>(db: &D) {
    let ledger = db.open();
    let times = ["2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z", "2026-01-03T00:00:00.000Z"];
    let mut rows = Vec::new();
    for (n, time) in (1..=6).zip(times.iter().cycle()) {
        // Two records for subject s7 among others.
        let mut e = entry(n);
        if n % 3 == 0 {
            e.body = e.body.replace(&format!("\"s{n}\""), "\"s7\"");
            e.subject_ref = "s7".into();
        }
        let clock = || (*time).to_owned();
        rows.push(stored(ledger.append(&e, &clock).unwrap()));
    }
    assert_eq!(ledger.subject("s7").unwrap(), vec![rows[2].clone(), rows[5].clone()]);
    assert_eq!(ledger.subject("nobody").unwrap(), vec![]);

    let all = Range { from: None, to: None, after_seq: 0, limit: 100 };
    assert_eq!(ledger.range(&all).unwrap(), rows);
    let page = Range { after_seq: 2, limit: 3, ..all.clone() };
    assert_eq!(ledger.range(&page).unwrap(), rows[2..5].to_vec());
    let day2 = Range { from: Some(times[1].into()), to: Some(times[2].into()), ..all.clone() };
    assert_eq!(ledger.range(&day2).unwrap(), vec![rows[1].clone(), rows[4].clone()]);
    let from_day2 = Range { from: Some(times[1].into()), ..all.clone() };
    assert_eq!(ledger.range(&from_day2).unwrap().iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 3, 5, 6]);
    let before_day2 = Range { to: Some(times[1].into()), ..all };
    assert_eq!(ledger.range(&before_day2).unwrap(), vec![rows[0].clone(), rows[3].clone()]);
    assert_eq!(db.verdict(), Verdict::Intact { records: 6 });
}

pub fn an_edited_body_breaks_the_chain_at_its_seq<D: TestDb>(db: &D) {
    drop(ledger_with(db, 3));
    db.tamper("UPDATE consents SET body = replace(body, 's2', 'sX') WHERE seq = 2");
    let b = broken_at(db.verdict());
    assert_eq!(b.seq, 2);
    assert!(b.why.contains("edited"), "{b}");
}

pub fn an_edited_indexed_column_is_found_though_the_body_is_intact<D: TestDb>(db: &D) {
    drop(ledger_with(db, 3));
    db.tamper("UPDATE consents SET subject_ref = 'someone-else' WHERE seq = 3");
    assert_eq!(
        broken_at(db.verdict()),
        Broken { seq: 3, why: "column subject_ref does not match the record body".into() }
    );
}

pub fn an_edited_text_check_breaks_the_hash<D: TestDb>(db: &D) {
    drop(ledger_with(db, 2));
    db.tamper("UPDATE consents SET text_check = 'mismatch' WHERE seq = 1");
    let b = broken_at(db.verdict());
    assert_eq!(b.seq, 1);
    assert!(b.why.contains("edited"), "{b}");
}

pub fn an_edited_decision_check_breaks_the_hash_and_a_rehashed_one_is_refused<D: TestDb>(db: &D) {
    let ledger = ledger_with(db, 2);
    let row = ledger.get(&entry(2).record_id).unwrap().unwrap();
    drop(ledger);
    db.tamper("UPDATE consents SET decision_check = 'unregistered' WHERE seq = 1");
    let b = broken_at(db.verdict());
    assert_eq!(b.seq, 1);
    assert!(b.why.contains("edited"), "{b}");
    // A row rehashed after its check was made to say something no collector writes is found too.
    let hashed = Hashed { decision_check: "inconsistent", decision_findings: "[]", ..hashed(&row) };
    let hash = link_hash(&row.prev_hash, &hashed);
    db.tamper(&format!(
        "UPDATE consents SET decision_check = 'consistent' WHERE seq = 1;
         UPDATE consents SET decision_check = 'inconsistent', hash = '{hash}' WHERE seq = 2"
    ));
    let b = broken_at(db.verdict());
    assert_eq!(b.seq, 2);
    assert!(b.why.contains("decision check"), "{b}");
}

pub fn a_withdrawal_is_checked_against_the_chain_as_it_stands<D: TestDb>(db: &D) {
    let ledger = ledger_with(db, 1);
    let fine = stored(ledger.append(&withdrawal(2, 1), &at).unwrap());
    assert_eq!((fine.decision_check.as_str(), fine.decision_findings.as_str()), ("consistent", "[]"));
    let again = stored(ledger.append(&withdrawal(3, 1), &at).unwrap());
    assert_eq!(again.decision_check, "inconsistent");
    assert_eq!(again.decision_findings, r#"[{"field":"purposes[0].id","code":"not_granted"}]"#);
    let mut nowhere = withdrawal(4, 1);
    nowhere.previous_record_id = Some(entry(99).record_id);
    let nowhere = stored(ledger.append(&nowhere, &at).unwrap());
    assert!(
        nowhere.decision_findings.contains(r#""code":"points_nowhere""#),
        "{}",
        nowhere.decision_findings
    );
    assert_eq!(db.verdict(), Verdict::Intact { records: 4 });
}

/// The hashed part of a stored row.
fn hashed(row: &Entry) -> Hashed<'_> {
    Hashed {
        seq: row.seq,
        received_at: &row.received_at,
        text_check: &row.text_check,
        decision_check: &row.decision_check,
        decision_findings: &row.decision_findings,
        confirmation: row
            .confirmation_check
            .as_deref()
            .map(|check| (check, row.confirmation_reason.as_deref().unwrap_or(""))),
        body: &row.body,
    }
}

pub fn a_deleted_row_is_reported_missing<D: TestDb>(db: &D) {
    drop(ledger_with(db, 3));
    db.tamper("DELETE FROM consents WHERE seq = 2");
    let b = broken_at(db.verdict());
    assert_eq!(b.seq, 2);
    assert!(b.why.starts_with("missing"), "{b}");
}

pub fn rows_deleted_from_the_end_are_reported_against_the_recorded_head<D: TestDb>(db: &D) {
    drop(ledger_with(db, 3));
    db.tamper("DELETE FROM consents WHERE seq >= 2");
    let b = broken_at(db.verdict());
    assert_eq!(b.seq, 2);
    assert!(b.why.starts_with("missing"), "{b}");
}

pub fn appending_after_a_deleted_tail_does_not_hide_the_gap<D: TestDb>(db: &D) {
    drop(ledger_with(db, 3));
    db.tamper("DELETE FROM consents WHERE seq = 3");
    assert_eq!(stored(db.open().append(&entry(4), &at).unwrap()).seq, 4);
    assert_eq!(broken_at(db.verdict()).seq, 3);
}

pub fn swapped_rows_break_the_chain_at_the_first_of_them<D: TestDb>(db: &D) {
    drop(ledger_with(db, 4));
    db.tamper(
        "UPDATE consents SET seq = -2 WHERE seq = 2;
         UPDATE consents SET seq = 2 WHERE seq = 3;
         UPDATE consents SET seq = 3 WHERE seq = -2;",
    );
    let b = broken_at(db.verdict());
    assert_eq!(b.seq, 2);
    assert!(b.why.contains("prev_hash"), "{b}");
}

pub fn a_row_rehashed_after_an_edit_still_breaks_the_next_link<D: TestDb>(db: &D) {
    let ledger = ledger_with(db, 3);
    let row = ledger.get(&entry(2).record_id).unwrap().unwrap();
    drop(ledger);
    let body = row.body.replace("\"v1\"", "\"v2\"");
    assert!(!body.contains('\''), "the body goes into SQL as a literal");
    let hash = link_hash(&row.prev_hash, &Hashed { body: &body, ..hashed(&row) });
    db.tamper(&format!(
        "UPDATE consents SET body = '{body}', policy_version = 'v2', hash = '{hash}' WHERE seq = 2"
    ));
    let b = broken_at(db.verdict());
    assert_eq!(b.seq, 3);
    assert!(b.why.contains("seq 2"), "{b}");
}

pub fn a_head_edited_into_nonsense_is_a_broken_link<D: TestDb>(db: &D) {
    drop(ledger_with(db, 2));
    db.tamper("UPDATE meta SET value = 'x' WHERE key = 'head_seq'");
    let b = broken_at(db.verdict());
    assert_eq!(b.seq, 2);
    assert!(b.why.contains("not a number"), "{b}");
}

pub fn a_removed_head_is_reported_and_appending_stops<D: TestDb>(db: &D) {
    drop(ledger_with(db, 2));
    db.tamper("DELETE FROM meta WHERE key IN ('head_seq', 'head_hash')");
    assert!(broken_at(db.verdict()).why.contains("head is missing"));
    let refused = db.open().append(&entry(3), &at).unwrap_err();
    assert!(refused.0.contains("head is missing"), "{refused}");
}

/// What turns a schema-4 ledger back into the schema-3 one an earlier collector wrote (both
/// backends; run through [`TestDb::tamper`]).
pub const DOWNGRADE_TO_3: &str = "
    DROP INDEX IF EXISTS consents_by_receipt;
    DROP INDEX IF EXISTS consents_by_confirmation;
    ALTER TABLE consents DROP COLUMN confirmation_id;
    ALTER TABLE consents DROP COLUMN confirmation_check;
    ALTER TABLE consents DROP COLUMN confirmation_reason;
    ALTER TABLE consents DROP COLUMN receipt_code;
    DROP TABLE confirmations;
    UPDATE meta SET value = '3' WHERE key = 'schema_version';";

pub fn a_schema_3_ledger_is_migrated_in_place_and_still_verifies<D: TestDb>(db: &D) {
    let before = ledger_with(db, 3).get(&entry(2).record_id).unwrap().unwrap();
    db.tamper(DOWNGRADE_TO_3);
    let ledger = db.open();
    assert_eq!(db.verdict(), Verdict::Intact { records: 3 });
    let after = ledger.get(&entry(2).record_id).unwrap().unwrap();
    assert_eq!(after, before, "the same row, receipt code filled in");
    assert_eq!(after.receipt_code, kelisim::short_code::of(&entry(2).record_id));
    assert_eq!(ledger.by_receipt(&after.receipt_code).unwrap(), vec![after]);
    assert_eq!(stored(ledger.append(&entry(4), &at).unwrap()).seq, 4);
    assert_eq!(counts(&ledger, "", "grant"), 4, "the tallies rebuilt, not added to");
    drop(ledger);
    drop(db.open());
    assert_eq!(db.verdict(), Verdict::Intact { records: 4 });
    db.tamper("UPDATE consents SET receipt_code = 'ABCDEFGH' WHERE seq = 2");
    assert_eq!(
        broken_at(db.verdict()),
        Broken { seq: 2, why: "column receipt_code does not match the record body".into() }
    );
}

/// The tallied count of `decision` on `purpose` (empty: records), every day and edition.
fn counts<L: Ledger>(ledger: &L, purpose: &str, decision: &str) -> i64 {
    let all = ledger.tallies(&tallies::Query::default()).unwrap();
    all.iter().filter(|t| t.key.purpose_id == purpose && t.key.decision == decision).map(|t| t.count).sum()
}

pub fn tallies_count_each_stored_record_per_purpose_and_day_and_a_duplicate_not_again<D: TestDb>(db: &D) {
    let ledger = ledger_with(db, 3);
    assert!(matches!(ledger.append(&entry(2), &at).unwrap(), Appended::Duplicate(_)));
    stored(ledger.append(&withdrawal(4, 1), &at).unwrap());
    assert_eq!(counts(&ledger, "", "grant"), 3);
    assert_eq!(counts(&ledger, "", "withdrawal"), 1);
    assert_eq!(counts(&ledger, "service", "granted"), 3);
    assert_eq!(counts(&ledger, "service", "withdrawn"), 1);
    let day = &AT[..10];
    let one_day = tallies::Query {
        policy_id: Some("p".into()),
        policy_version: Some("v1".into()),
        from_day: Some(day.into()),
        to_day: Some(day.into()),
        language: Some("kk".into()),
        channel: None,
    };
    let rows = ledger.tallies(&one_day).unwrap();
    assert_eq!(rows.iter().map(|t| t.count).sum::<i64>(), 8, "4 records and 4 purpose decisions");
    assert!(rows.iter().all(|t| t.key.day == day && t.key.language == "kk" && t.key.channel == "*"));
    let in_russian = tallies::Query { language: Some("ru".into()), ..one_day.clone() };
    assert_eq!(ledger.tallies(&in_russian).unwrap(), vec![], "none in Russian");
    let on_the_web = tallies::Query { language: None, channel: Some("web".into()), ..one_day.clone() };
    assert_eq!(ledger.tallies(&on_the_web).unwrap().iter().map(|t| t.count).sum::<i64>(), 8);
    assert!(rows.iter().all(|t| t.key.text_ok && t.key.decision_ok));
    let later = tallies::Query { from_day: Some("2026-11-23".into()), ..one_day.clone() };
    assert_eq!(ledger.tallies(&later).unwrap(), vec![]);
    let other = tallies::Query { policy_id: Some("q".into()), ..one_day };
    assert_eq!(ledger.tallies(&other).unwrap(), vec![]);
}

pub fn a_schema_4_ledger_gets_its_tallies_counted_from_every_row<D: TestDb>(db: &D) {
    let ledger = ledger_with(db, 3);
    stored(ledger.append(&withdrawal(4, 1), &at).unwrap());
    let before = ledger.tallies(&tallies::Query::default()).unwrap();
    drop(ledger);
    db.tamper("DROP TABLE tallies; UPDATE meta SET value = '4' WHERE key = 'schema_version';");
    let ledger = db.open();
    assert_eq!(ledger.tallies(&tallies::Query::default()).unwrap(), before);
    assert_eq!(db.verdict(), Verdict::Intact { records: 4 });
}

const PHONE: &str = "+77012345678";

/// A confirmation of [`PHONE`] for policy `p`, asked for at `at_ms`, whose code is `123456`.
fn confirmation(n: u8, at_ms: i64) -> Confirmation {
    let salt = "ab".repeat(16);
    Confirmation {
        id: kelisim::id::uuid_v4([n; 16]),
        phone: PHONE.into(),
        policy_id: "p".into(),
        language: "ru".into(),
        created_at_ms: at_ms,
        expires_at_ms: at_ms + 600_000,
        code_hash: code::hash(&salt, "123456"),
        salt,
        state: ConfirmationState::Sending,
        attempts: 0,
        verified_at_ms: None,
        receipts_sent: 0,
    }
}

/// Record `n` of `phone`, carrying the confirmation `id`.
fn confirmed(n: u32, id: &str, phone: &str) -> NewEntry {
    let mut e = entry(n);
    let subject = format!(r#""subject":{{"ref":"{phone}"}},"confirmation":{{"id":"{id}","method":"sms"}}"#);
    e.body = e.body.replace(&format!(r#""subject":{{"ref":"s{n}"}}"#), &subject);
    e.subject_ref = phone.into();
    e.confirmation_id = Some(id.into());
    e
}

fn check(e: &Entry) -> (Option<&str>, Option<&str>) {
    (e.confirmation_check.as_deref(), e.confirmation_reason.as_deref())
}

const WINDOWS: [Window; 1] = [Window { count: 10, span: std::time::Duration::from_secs(3600) }];

pub fn a_confirmation_counts_once_for_its_phone_and_policy<D: TestDb>(db: &D) {
    let ledger = db.open();
    let now = kelisim::time::parse_rfc3339_utc(AT).unwrap();
    let (c, never) = (confirmation(1, now - 1000), confirmation(2, now - 1000));
    for new in [&c, &never] {
        assert_eq!(ledger.open_confirmation(new, &WINDOWS).unwrap(), Opened::Created);
        ledger.set_sent(&new.id, true).unwrap();
    }
    let judged = ledger.attempt(&c.id, &|stored| judge(stored, "123456", now - 500)).unwrap();
    assert_eq!(judged.map(|j| j.answer), Some(Answer::Verified));

    let first = stored(ledger.append(&confirmed(1, &c.id, PHONE), &at).unwrap());
    assert_eq!(check(&first), (Some("verified"), None));
    let text =
        format!("{GENESIS}\n1\n{AT}\nmatch\nconsistent\n[]\nverified\n\n{}", confirmed(1, &c.id, PHONE).body);
    assert_eq!(first.hash, kelisim::canonical::sha256_hex(text.as_bytes()));
    let again = ledger.append(&confirmed(1, &c.id, PHONE), &at).unwrap();
    assert_eq!(again, Appended::Duplicate(first), "an identical retry is the same row");
    let batch = [
        confirmed(2, &c.id, PHONE),
        confirmed(3, &c.id, "+77770000000"),
        confirmed(4, &never.id, PHONE),
        confirmed(5, &kelisim::id::uuid_v4([9; 16]), PHONE),
    ];
    let rows: Vec<Entry> = ledger.append_batch(&batch, &at).unwrap().into_iter().map(stored).collect();
    let checks: Vec<_> = rows.iter().map(check).collect();
    assert_eq!(
        checks,
        [
            (Some("unverified"), Some("already_used")),
            (Some("unverified"), Some("other_phone")),
            (Some("unverified"), Some("not_verified")),
            (Some("unverified"), Some("unknown")),
        ]
    );
    assert_eq!(check(&stored(ledger.append(&entry(6), &at).unwrap())), (None, None));
    drop(ledger);
    assert_eq!(db.verdict(), Verdict::Intact { records: 6 });
    db.tamper("UPDATE consents SET confirmation_reason = 'unknown' WHERE seq = 3");
    let b = broken_at(db.verdict());
    assert_eq!(b.seq, 3);
    assert!(b.why.contains("edited"), "{b}");
}

pub fn codes_per_phone_are_counted_from_the_table_across_reopening<D: TestDb>(db: &D) {
    let two = [Window { count: 2, span: std::time::Duration::from_secs(60) }];
    let ledger = db.open();
    assert_eq!(ledger.open_confirmation(&confirmation(1, 1_000_000), &two).unwrap(), Opened::Created);
    assert_eq!(ledger.open_confirmation(&confirmation(2, 1_010_000), &two).unwrap(), Opened::Created);
    drop(ledger);
    let ledger = db.open();
    let third = ledger.open_confirmation(&confirmation(3, 1_020_000), &two).unwrap();
    assert_eq!(third, Opened::PhoneLimited { retry_after: 40 });
    assert_eq!(ledger.confirmation(&confirmation(3, 0).id).unwrap(), None, "not stored");
    let later = ledger.open_confirmation(&confirmation(3, 1_060_001), &two).unwrap();
    assert_eq!(later, Opened::Created, "the first left the window");
}

pub fn attempts_are_stored_and_a_dead_confirmation_stays_dead<D: TestDb>(db: &D) {
    let ledger = db.open();
    let c = confirmation(1, 0);
    ledger.open_confirmation(&c, &WINDOWS).unwrap();
    ledger.set_sent(&c.id, true).unwrap();
    for _ in 0..crate::confirm::MAX_ATTEMPTS {
        ledger.attempt(&c.id, &|stored| judge(stored, "000000", 10)).unwrap();
    }
    drop(ledger);
    let ledger = db.open();
    let stored = ledger.confirmation(&c.id).unwrap().unwrap();
    assert_eq!((stored.state, stored.attempts), (ConfirmationState::Exhausted, 5));
    assert_ne!(stored.code_hash, "123456");
    let right = ledger.attempt(&c.id, &|stored| judge(stored, "123456", 20)).unwrap();
    assert_eq!(right.map(|j| j.answer), Some(Answer::TooManyAttempts));
    assert!(ledger.take_receipt(&c.id, 2).unwrap() && ledger.take_receipt(&c.id, 2).unwrap());
    assert!(!ledger.take_receipt(&c.id, 2).unwrap(), "two receipts at most");
    assert_eq!(ledger.attempt(&kelisim::id::uuid_v4([7; 16]), &|s| judge(s, "1", 0)).unwrap(), None);
}
