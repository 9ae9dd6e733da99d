//! Forged decisions through the real binary: each record that carries the registered text hash
//! but a decision the notice could not have produced is refused or stored flagged — never `match`
//! and `consistent` together — and the flag reaches the API, the subject view and the export.

mod common;

use common::*;
use kelisim::choices::Choice;
use kelisim::config::CrossBorder;
use kelisim::json::Json;
use kelisim::record::{ConsentRecord, Kind};

/// The codes of an answer's `decisionFindings`.
fn findings(reply: &Reply) -> Vec<(String, String)> {
    let json = reply.json();
    let Some(Json::Array(items)) = json.get("decisionFindings") else {
        panic!("no decisionFindings: {}", reply.body);
    };
    let text = |f: &Json, key| f.get(key).and_then(Json::as_str).unwrap_or("").to_owned();
    items.iter().map(|f| (text(f, "field"), text(f, "code"))).collect()
}

/// A forged record: `grant(seed)` (the registered text hash kept) with `edit` applied.
fn forged(seed: u8, edit: impl FnOnce(&mut ConsentRecord)) -> ConsentRecord {
    let mut record = grant(seed);
    edit(&mut record);
    record
}

#[test]
fn every_forged_decision_is_refused_or_stored_flagged_and_never_matched_on_both_checks() {
    let scratch = Scratch::new("forged");
    let server = Server::start_with(&scratch, &["--token-file", &scratch.token_file()]);
    assert_eq!(server.post(&text(1)).str("decisionCheck"), "consistent", "the honest grant");
    let cases: Vec<(&str, ConsentRecord, (&str, &str))> = vec![
        (
            "a purpose the notice does not have",
            forged(2, |r| {
                r.purposes.push(Choice { id: "sellToAnyone".into(), required: false, granted: true })
            }),
            ("purposes[2].id", "not_in_notice"),
        ),
        (
            "the required purpose refused",
            forged(3, |r| {
                r.purposes[0].granted = false;
                r.data_categories = vec!["phone".into()];
            }),
            ("purposes[0].granted", "required_refused"),
        ),
        (
            "the required purpose marked optional",
            forged(4, |r| r.purposes[0].required = false),
            ("purposes[0].required", "mislabelled"),
        ),
        (
            "another operator name",
            forged(5, |r| r.operator_name = "«Басқа» ЖШС".into()),
            ("operator.name", "differs"),
        ),
        ("another BIN", forged(6, |r| r.operator_bin = None), ("operator.bin", "differs")),
        (
            "data categories the notice does not list",
            forged(7, |r| r.data_categories.push("iin".into())),
            ("dataCategories[2]", "not_in_notice"),
        ),
        (
            "no cross-border transfer claimed",
            forged(8, |r| r.transfers.cross_border = CrossBorder::No),
            ("transfers.crossBorder", "differs"),
        ),
        ("another term", forged(9, |r| r.term = "мәңгі".into()), ("term", "differs")),
        (
            "a withdrawal pointing to itself",
            forged(10, |r| {
                r.kind = Kind::Withdrawal;
                r.purposes = vec![Choice { id: "marketing".into(), required: false, granted: false }];
                r.data_categories = vec![];
                r.previous_record_id = Some(r.record_id.clone());
            }),
            ("previousRecordId", "points_to_itself"),
        ),
        (
            "a withdrawal pointing nowhere",
            forged(11, |r| {
                r.kind = Kind::Withdrawal;
                r.purposes = vec![Choice { id: "marketing".into(), required: false, granted: false }];
                r.data_categories = vec![];
                r.previous_record_id = Some(kelisim::id::uuid_v4([0xee; 16]));
            }),
            ("previousRecordId", "points_nowhere"),
        ),
        (
            "a withdrawal of what was never granted",
            forged(12, |r| {
                r.kind = Kind::Withdrawal;
                r.subject_ref = "anon-who-granted-nothing".into();
                r.purposes = vec![Choice { id: "marketing".into(), required: false, granted: false }];
                r.data_categories = vec![];
                r.previous_record_id = Some(grant(1).record_id);
            }),
            ("purposes[0].id", "not_granted"),
        ),
    ];
    for (what, record, (field, code)) in cases {
        let reply = server.post(&record.to_text());
        assert_eq!(reply.status, 201, "{what}: stored, as evidence: {}", reply.body);
        assert_eq!(reply.str("textCheck"), "match", "{what}: the text hash is the registered one");
        assert_eq!(reply.str("decisionCheck"), "inconsistent", "{what}: {}", reply.body);
        assert!(findings(&reply).contains(&(field.to_owned(), code.to_owned())), "{what}: {}", reply.body);
    }
    // The honest grant 1 granted service: withdrawing it is consistent; marketing too (seed 1 ticks it).
    let honest = withdrawal(1, 20);
    assert_eq!(server.post(&honest.to_text()).str("decisionCheck"), "consistent");
    let again = withdrawal(1, 21);
    let twice = server.post(&again.to_text());
    assert_eq!(findings(&twice), [("purposes[0].id".to_owned(), "not_granted".to_owned())], "{}", twice.body);

    // A withdrawal without previousRecordId does not read as a record: refused.
    let orphan = forged(13, |r| {
        r.kind = Kind::Withdrawal;
        r.purposes = vec![Choice { id: "marketing".into(), required: false, granted: false }];
    });
    assert_eq!(
        server.post(&orphan.to_text()).error(),
        (400, "missing_field".into(), Some("previousRecordId".into()))
    );

    // The subject view lists the forged purpose with its flag.
    let view = server.get_authorized(&format!("/v1/subjects/{}/consents", grant(2).subject_ref)).json();
    let Some(Json::Array(purposes)) = view.get("purposes") else { panic!("no purposes") };
    let sell =
        purposes.iter().find(|p| p.get("purposeId").and_then(Json::as_str) == Some("sellToAnyone")).unwrap();
    assert_eq!(sell.get("granted"), Some(&Json::Bool(true)));
    assert_eq!(sell.get("decisionCheck").and_then(Json::as_str), Some("inconsistent"));
    // The export carries both checks on every line, and the chain holds.
    let export = server.get_authorized("/v1/export");
    let lines: Vec<Json> = export.body.lines().map(|l| Json::parse(l).unwrap()).collect();
    assert_eq!(lines.len(), 14);
    let both_fine = lines
        .iter()
        .filter(|l| l.get("textCheck").and_then(Json::as_str) == Some("match"))
        .filter(|l| l.get("decisionCheck").and_then(Json::as_str) == Some("consistent"))
        .count();
    assert_eq!(both_fine, 2, "only the honest grant and its withdrawal");
    drop(server);
    assert!(stdout(&scratch.verify()).starts_with("ok: 14 records"));
}
