//! The append plan, tested once for both backends: the chain it builds, duplicates and conflicts,
//! and the ledger's part of the decision check as the chain stands at each row.

use super::super::chain::GENESIS;
use super::super::suite::{entry, withdrawal, AT};
use super::*;
use crate::decision::{Code, EditionCheck, Finding};

fn at() -> String {
    AT.to_owned()
}

fn start() -> (i64, String) {
    (0, GENESIS.to_owned())
}

fn row(plan: &Plan, i: usize) -> &Entry {
    match &plan.outcomes[i] {
        Appended::Stored(e) => e,
        other => panic!("entry {i} was not stored: {other:?}"),
    }
}

fn codes(plan: &Plan, i: usize) -> Vec<Code> {
    let findings: Vec<Finding> = serde_json::from_str(&row(plan, i).decision_findings).unwrap();
    findings.into_iter().map(|f| f.code).collect()
}

#[test]
fn new_rows_chain_in_batch_order_from_the_tip_and_the_head_is_the_last() {
    let plan = plan((4, "ab".repeat(32)), &[entry(1), entry(2)], &Known::default(), &at);
    let (first, second) = (row(&plan, 0), row(&plan, 1));
    assert_eq!((first.seq, first.prev_hash.as_str()), (5, "ab".repeat(32).as_str()));
    assert_eq!((second.seq, &second.prev_hash), (6, &first.hash));
    let text = format!("{}\n6\n{AT}\nmatch\nconsistent\n[]\n{}", first.hash, entry(2).body);
    assert_eq!(second.hash, kelisim::canonical::sha256_hex(text.as_bytes()));
    assert_eq!(plan.head, Some((6, second.hash.clone())));
    assert_eq!(plan.rows.iter().map(|p| p.index).collect::<Vec<_>>(), [0, 1]);
}

#[test]
fn a_stored_id_is_a_duplicate_or_a_conflict_and_takes_no_seq() {
    let stored = row(&plan(start(), &[entry(1)], &Known::default(), &at), 0).clone();
    let known =
        Known { rows: [(entry(1).record_id, stored.clone())].into(), history: vec![], ..Known::default() };
    let mut other = entry(1);
    other.body.push(' ');
    let plan = plan((1, stored.hash.clone()), &[entry(1), other, entry(2), entry(2)], &known, &at);
    assert_eq!(plan.outcomes[0], Appended::Duplicate(stored));
    assert_eq!(plan.outcomes[1], Appended::Conflict);
    assert_eq!(row(&plan, 2).seq, 2);
    assert_eq!(plan.outcomes[3], Appended::Duplicate(row(&plan, 2).clone()), "repeated within the batch");
    assert_eq!(plan.rows.len(), 1);
}

#[test]
fn nothing_new_leaves_the_head_as_it_was() {
    assert_eq!(plan(start(), &[], &Known::default(), &at).head, None);
}

#[test]
fn a_withdrawal_after_its_grant_in_the_same_batch_is_consistent() {
    let plan = plan(start(), &[entry(1), withdrawal(2, 1)], &Known::default(), &at);
    assert_eq!(row(&plan, 1).decision_check, "consistent");
}

#[test]
fn a_withdrawal_against_a_stored_grant_reads_the_subjects_history() {
    let grant = row(&plan(start(), &[entry(1)], &Known::default(), &at), 0).clone();
    let known = Known {
        rows: [(entry(1).record_id, grant.clone())].into(),
        history: vec![grant.clone()],
        ..Known::default()
    };
    let plan = plan((1, grant.hash), &[withdrawal(2, 1), withdrawal(3, 1)], &known, &at);
    assert_eq!(codes(&plan, 0), []);
    assert_eq!(codes(&plan, 1), [Code::NotGranted], "already withdrawn by the row before it");
    assert_eq!(Wanted::of(&[withdrawal(2, 1)]).subjects, ["s1"]);
}

#[test]
fn a_withdrawal_pointing_nowhere_or_to_itself_is_inconsistent() {
    let mut itself = withdrawal(2, 1);
    itself.previous_record_id = Some(itself.record_id.clone());
    let plan = plan(start(), &[withdrawal(3, 1), itself], &Known::default(), &at);
    assert_eq!(codes(&plan, 0), [Code::PointsNowhere, Code::NotGranted]);
    assert_eq!(codes(&plan, 1), [Code::PointsToItself, Code::NotGranted]);
    assert_eq!(row(&plan, 1).decision_check, "inconsistent");
}

#[test]
fn the_editions_findings_come_first_and_an_unregistered_edition_stays_unregistered() {
    let mut forged = entry(1);
    forged.edition_check = EditionCheck {
        registered: true,
        findings: vec![Finding { field: "term".into(), code: Code::Differs, detail: None }],
    };
    let mut unknown = entry(2);
    unknown.edition_check = EditionCheck::default();
    let plan = plan(start(), &[forged, unknown], &Known::default(), &at);
    assert_eq!(row(&plan, 0).decision_findings, r#"[{"field":"term","code":"differs"}]"#);
    assert_eq!(
        (row(&plan, 1).decision_check.as_str(), row(&plan, 1).decision_findings.as_str()),
        ("unregistered", "[]")
    );
}
