//! Records: built from injected values, written in the documented shape, read back strictly.

use super::*;
use crate::config::tests::sample;
use crate::json::Json;

fn ctx() -> Context {
    Context {
        subject_ref: "anon-5b0c".into(),
        channel: Channel::Web,
        page: Some("http://127.0.0.1:8787/karatel.html".into()),
        user_agent: Some("test".into()),
        ..Context::default()
    }
}

fn stamp(id: &str) -> Stamp {
    Stamp { now_ms: 1_795_385_128_123, record_id: id.into(), previous_record_id: None }
}

const ID: &str = "0f8e2b1c-3d4a-4b5c-8d6e-7f8091a2b3c4";

fn sample_grant() -> ConsentRecord {
    let cfg = sample();
    let mut choices = Choices::fresh(&cfg);
    choices.toggle("marketing");
    grant(&cfg, &choices, Lang::Kk, &ctx(), stamp(ID))
}

#[test]
fn grant_carries_policy_language_hash_and_every_purpose() {
    let cfg = sample();
    let r = sample_grant();
    assert_eq!(r.kind, Kind::Grant);
    assert_eq!(r.operator_name, "«КаР-Тел» ЖШС");
    assert_eq!(r.policy.version, "2018-02-26");
    assert_eq!(r.policy.text_sha256, crate::canonical::text_sha256(&cfg, Lang::Kk));
    assert_eq!(r.collected_at, "2026-11-22T22:05:28.123Z");
    assert_eq!(r.granted().collect::<Vec<_>>(), ["service", "marketing"]);
    assert_eq!(r.data_categories, ["fullName", "phone"]);
}

#[test]
fn refusal_of_an_optional_purpose_is_recorded_as_not_granted() {
    let cfg = sample();
    let r = grant(&cfg, &Choices::fresh(&cfg), Lang::Ru, &ctx(), stamp(ID));
    let marketing = r.purposes.iter().find(|c| c.id == "marketing").unwrap();
    assert!(!marketing.granted && !marketing.required);
    assert_eq!(r.term, "До окончания договора");
}

#[test]
fn record_text_has_the_documented_shape() {
    let json = Json::parse(&sample_grant().to_text()).unwrap();
    let keys: Vec<&str> = json.as_object().unwrap().iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "schema",
            "recordId",
            "kind",
            "operator",
            "policy",
            "purposes",
            "dataCategories",
            "transfers",
            "term",
            "subject",
            "collectedAt",
            "channel",
            "page",
            "userAgent"
        ]
    );
    assert_eq!(json.get("transfers").unwrap().get("crossBorder").unwrap().to_text(), r#"["RU"]"#);
    assert_eq!(json.get("schema").unwrap(), &Json::Number("1".into()));
}

#[test]
fn written_record_reads_back_identical() {
    let r = sample_grant();
    assert_eq!(ConsentRecord::from_json_text(&r.to_text()).unwrap(), r);
}

#[test]
fn withdrawal_lists_only_withdrawn_purposes_and_points_back() {
    let cfg = sample();
    let mut s = stamp("1f8e2b1c-3d4a-4b5c-8d6e-7f8091a2b3c4");
    s.previous_record_id = Some(ID.into());
    let w = withdrawal(&cfg, &["marketing".into()], Lang::Kk, &ctx(), s);
    assert_eq!(w.kind, Kind::Withdrawal);
    assert_eq!(w.purposes, [Choice { id: "marketing".into(), required: false, granted: false }]);
    assert_eq!(ConsentRecord::from_json_text(&w.to_text()).unwrap(), w);
}

fn edited(edit: impl FnOnce(&mut Json)) -> RecordError {
    let mut json = Json::parse(&sample_grant().to_text()).unwrap();
    edit(&mut json);
    ConsentRecord::from_json_text(&json.to_text()).expect_err("edited record must be refused")
}

fn set(json: &mut Json, path: &[&str], value: Json) {
    let mut at = json;
    for key in path {
        at = match at {
            Json::Object(m) => &mut m.iter_mut().find(|(k, _)| k == key).unwrap().1,
            Json::Array(items) => &mut items[key.parse::<usize>().unwrap()],
            _ => unreachable!(),
        };
    }
    *at = value;
}

#[test]
fn invalid_records_name_the_field() {
    let cases: Vec<(Vec<&str>, Json, &str, &str)> = vec![
        (vec!["schema"], Json::Number("2".into()), "schema", "unsupported_schema"),
        (vec!["recordId"], "not-a-uuid".into(), "recordId", "invalid_field"),
        (vec!["kind"], "maybe".into(), "kind", "invalid_field"),
        (vec!["operator", "bin"], "980540000398".into(), "operator.bin", "invalid_field"),
        (vec!["policy", "textSha256"], "abc".into(), "policy.textSha256", "invalid_field"),
        (vec!["policy", "language"], "de".into(), "policy.language", "invalid_field"),
        (vec!["policy", "url"], "javascript:x".into(), "policy.url", "invalid_field"),
        (vec!["purposes", "0", "granted"], "yes".into(), "purposes[0].granted", "invalid_field"),
        (vec!["purposes"], Json::Array(vec![]), "purposes", "invalid_field"),
        (vec!["collectedAt"], "yesterday".into(), "collectedAt", "invalid_field"),
        (vec!["channel"], "fax".into(), "channel", "invalid_field"),
        (vec!["subject", "ref"], "".into(), "subject.ref", "invalid_field"),
        (vec!["subject", "ref"], "a\u{0}b".into(), "subject.ref", "invalid_field"),
        (vec!["term"], Json::Null, "term", "missing_field"),
        (vec!["kind"], "withdrawal".into(), "previousRecordId", "missing_field"),
    ];
    for (path, value, field, code) in cases {
        let e = edited(|j| set(j, &path, value));
        assert_eq!((e.field.as_str(), e.code), (field, code), "{path:?}: {e}");
    }
}

#[test]
fn a_record_without_bin_or_policy_url_leaves_them_out_and_reads_back() {
    let mut cfg = sample();
    cfg.operator.bin = None;
    cfg.policy.url = None;
    let r = grant(&cfg, &Choices::fresh(&cfg), Lang::Kk, &ctx(), stamp(ID));
    let text = r.to_text();
    assert!(text.contains(r#""operator":{"name":"«КаР-Тел» ЖШС"}"#), "{text}");
    assert!(!text.contains(r#""url""#), "{text}");
    assert_eq!(ConsentRecord::from_json_text(&text).unwrap(), r);
}

#[test]
fn unknown_field_is_refused() {
    let e = edited(|j| {
        if let Json::Object(m) = j {
            m.push(("extra".into(), Json::Bool(true)));
        }
    });
    assert_eq!((e.code, e.field.as_str()), ("unknown_field", "extra"));
}

#[test]
fn body_that_is_not_json_is_refused_whole() {
    let e = ConsentRecord::from_json_text("{\"schema\":1,").unwrap_err();
    assert_eq!((e.code, e.field.as_str()), ("invalid_json", ""));
    let e = ConsentRecord::from_json_text("[]").unwrap_err();
    assert_eq!(e.code, "invalid_field");
}

/// Confirmed and kiosk decisions exist in the form build only.
#[cfg(feature = "form")]
mod confirmed {
    use super::*;

    const CONFIRMATION: &str = "5a1b7c9d-2e3f-4a5b-9c6d-7e8f9a0b1c2d";

    fn kiosk_grant() -> ConsentRecord {
        let cfg = sample();
        let ctx = Context {
            channel: Channel::Kiosk,
            confirmation: Some(Confirmation { id: CONFIRMATION.into() }),
            kiosk: Some(Kiosk { shop: Some("ALM-012".into()), consultant: None }),
            ..ctx()
        };
        grant(&cfg, &Choices::fresh(&cfg), Lang::Ru, &ctx, stamp(ID))
    }

    #[test]
    fn a_confirmed_kiosk_decision_carries_its_confirmation_and_kiosk_and_reads_back() {
        let r = kiosk_grant();
        let text = r.to_text();
        let expected = concat!(
            r#""subject":{"ref":"anon-5b0c"},"confirmation":{"id":"5a1b7c9d-2e3f-4a5b-9c6d-7e8f9a0b1c2d","method":"sms"},"#,
            r#""collectedAt":"2026-11-22T22:05:28.123Z","channel":"kiosk","kiosk":{"shop":"ALM-012"},"#
        );
        assert!(text.contains(expected), "{text}");
        assert_eq!(ConsentRecord::from_json_text(&text).unwrap(), r);
        assert!(!sample_grant().to_text().contains("confirmation"));
    }

    #[test]
    fn a_confirmation_or_kiosk_that_does_not_hold_names_its_field() {
        let cases: Vec<(Vec<&str>, Json, &str)> = vec![
            (vec!["confirmation", "id"], "42".into(), "confirmation.id"),
            (vec!["confirmation", "method"], "email".into(), "confirmation.method"),
            (vec!["channel"], "web".into(), "kiosk"),
            (vec!["kiosk", "shop"], Json::Bool(true), "kiosk.shop"),
        ];
        for (path, value, field) in cases {
            let mut json = Json::parse(&kiosk_grant().to_text()).unwrap();
            set(&mut json, &path, value);
            let e = ConsentRecord::from_json_text(&json.to_text()).expect_err("must be refused");
            assert_eq!((e.field.as_str(), e.code), (field, "invalid_field"), "{path:?}: {e}");
        }
        let mut json = Json::parse(&sample_grant().to_text()).unwrap();
        set(&mut json, &["channel"], "kiosk".into());
        let e = ConsentRecord::from_json_text(&json.to_text()).unwrap_err();
        assert_eq!(e.field, "kiosk");
    }
}
