//! The decision check against the test config's edition: the honest record passes, and each way
//! of forging a decision that keeps the registered text hash is named.

use std::path::Path;

use kelisim::choices::Choices;
use kelisim::config::{Config, CrossBorder};
use kelisim::lang::Lang;
use kelisim::record::{self, Channel, Context, Stamp};

use super::*;
use crate::registry::Registry;

const CONFIG: &str = include_str!("../../tests/data/config.json");

fn config() -> Config {
    Config::from_json_text(CONFIG).unwrap()
}

fn registry() -> Registry {
    let mut registry = Registry::default();
    registry.add(config(), Path::new("karatel.json")).unwrap();
    registry
}

fn context() -> Context {
    Context {
        subject_ref: "anon-1".into(),
        channel: Channel::Web,
        page: None,
        user_agent: None,
        ..Default::default()
    }
}

fn stamp() -> Stamp {
    Stamp { now_ms: 1_795_385_128_123, record_id: kelisim::id::uuid_v4([7; 16]), previous_record_id: None }
}

/// The grant the banner makes with marketing ticked, in `lang`.
fn honest(lang: Lang) -> ConsentRecord {
    let cfg = config();
    let mut choices = Choices::fresh(&cfg);
    choices.toggle("marketing");
    record::grant(&cfg, &choices, lang, &context(), stamp())
}

fn check(record: &ConsentRecord) -> EditionCheck {
    against_edition(record, registry().edition(&record.policy))
}

fn codes(record: &ConsentRecord) -> Vec<(String, Code)> {
    check(record).findings.into_iter().map(|f| (f.field, f.code)).collect()
}

#[test]
fn the_record_the_banner_makes_is_consistent_in_every_language() {
    for lang in Lang::ALL {
        let found = check(&honest(lang));
        assert_eq!(found, EditionCheck { registered: true, findings: vec![] }, "{lang:?}");
    }
    let cfg = config();
    let withdrawal = record::withdrawal(&cfg, &["marketing".to_owned()], Lang::Ru, &context(), stamp());
    assert_eq!(check(&withdrawal).findings, vec![]);
}

#[test]
fn a_purpose_the_notice_does_not_have_is_named() {
    let mut forged = honest(Lang::Kk);
    forged.purposes.push(kelisim::choices::Choice {
        id: "sellToAnyone".into(),
        required: false,
        granted: true,
    });
    assert_eq!(codes(&forged), [("purposes[2].id".to_owned(), Code::NotInNotice)]);
}

#[test]
fn a_required_purpose_refused_or_marked_optional_is_named() {
    let mut refused = honest(Lang::Kk);
    refused.purposes[0].granted = false;
    refused.data_categories = vec!["phone".into()];
    assert_eq!(codes(&refused), [("purposes[0].granted".to_owned(), Code::RequiredRefused)]);
    let mut optional = honest(Lang::Kk);
    optional.purposes[0].required = false;
    assert_eq!(codes(&optional), [("purposes[0].required".to_owned(), Code::Mislabelled)]);
}

#[test]
fn another_operator_bin_term_or_url_is_named() {
    let mut other = honest(Lang::Ru);
    other.operator_name = "ТОО «Кто-то другой»".into();
    other.operator_bin = Some("090340001370".into());
    other.term = "навсегда".into();
    other.policy.url = None;
    let fields: Vec<String> = check(&other).findings.into_iter().map(|f| f.field).collect();
    assert_eq!(fields, ["operator.name", "policy.url", "term", "operator.bin"]);
}

#[test]
fn data_categories_and_transfers_that_contradict_the_notice_are_named() {
    let mut record = honest(Lang::En);
    record.data_categories = vec!["fullName".into(), "iin".into()];
    record.transfers.cross_border = CrossBorder::No;
    record.transfers.public_sources = true;
    assert_eq!(
        check(&record).findings,
        [
            Finding::at("transfers.crossBorder", Code::Differs),
            Finding::at("transfers.publicSources", Code::Differs),
            Finding::at("dataCategories[1]", Code::NotInNotice),
            Finding::about("dataCategories", Code::Missing, "phone"),
        ]
    );
    let mut unused = honest(Lang::En);
    unused.purposes[1].granted = false;
    assert_eq!(codes(&unused), [], "fullName and phone are still used by the required purpose");
    unused.purposes[0].granted = false;
    assert!(codes(&unused).contains(&("dataCategories[0]".to_owned(), Code::NotUsed)));
}

#[test]
fn a_grant_that_leaves_a_purpose_undecided_is_named() {
    let mut record = honest(Lang::Kk);
    record.purposes.truncate(1);
    record.data_categories = vec!["fullName".into(), "phone".into()];
    assert_eq!(check(&record).findings, [Finding::about("purposes", Code::Undecided, "marketing")]);
}

#[test]
fn an_unregistered_edition_or_language_cannot_be_checked() {
    let mut record = honest(Lang::Kk);
    record.policy.version = "1999-01-01".into();
    assert_eq!(check(&record), EditionCheck { registered: false, findings: vec![] });
    let mut cfg = config();
    cfg.languages.retain(|l| *l != Lang::En);
    let mut registry = Registry::default();
    registry.add(cfg, Path::new("kk-ru.json")).unwrap();
    let english = honest(Lang::En);
    let found = against_edition(&english, registry.edition(&english.policy));
    assert_eq!(found.findings, [Finding::at("policy.language", Code::LanguageNotOffered)]);
}

#[test]
fn a_withdrawal_is_held_against_where_it_points_and_what_stands() {
    let purposes = [("marketing".to_owned(), false)];
    let withdrawal =
        Decided { kind: Kind::Withdrawal, subject_ref: "anon-1", policy_id: "p", purposes: &purposes };
    let mine = Previous::Found { subject_ref: "anon-1", policy_id: "p" };
    assert_eq!(against_ledger(&withdrawal, mine, |_| true), []);
    let codes = |previous, granted: bool| -> Vec<Code> {
        against_ledger(&withdrawal, previous, |_| granted).into_iter().map(|f| f.code).collect()
    };
    assert_eq!(codes(Previous::Itself, true), [Code::PointsToItself]);
    assert_eq!(codes(Previous::Missing, true), [Code::PointsNowhere]);
    assert_eq!(
        codes(Previous::Found { subject_ref: "anon-2", policy_id: "q" }, true),
        [Code::OtherSubject, Code::OtherPolicy]
    );
    assert_eq!(codes(mine, false), [Code::NotGranted]);
    let grant = Decided { kind: Kind::Grant, ..withdrawal };
    assert_eq!(
        against_ledger(&grant, Previous::Found { subject_ref: "anon-2", policy_id: "p" }, |_| false),
        []
    );
}

#[test]
fn a_stored_check_reads_back_only_as_written() {
    let check = DecisionCheck::of(true, vec![Finding::about("purposes", Code::Undecided, "marketing")]);
    let text = check.findings_text();
    assert_eq!(text, r#"[{"field":"purposes","code":"undecided","detail":"marketing"}]"#);
    assert_eq!(DecisionCheck::parse("inconsistent", &text), Some(check));
    assert_eq!(DecisionCheck::parse("consistent", "[]").map(|c| c.outcome), Some(Outcome::Consistent));
    for (outcome, findings) in
        [("consistent", text.as_str()), ("inconsistent", "[]"), ("fine", "[]"), ("consistent", "[ ]")]
    {
        assert_eq!(DecisionCheck::parse(outcome, findings), None, "{outcome} {findings}");
    }
    assert_eq!(DecisionCheck::of(false, vec![]).outcome, Outcome::Unregistered);
}
