//! Config reading: a small valid config, and each way a config is refused with the field named.

use super::*;
use crate::json::Json;

/// A small valid config used across the core's tests (and the browser tests).
pub(crate) const SAMPLE: &str = include_str!("../../tests/data/small-config.json");

pub(crate) fn sample() -> Config {
    Config::from_json_text(SAMPLE).expect("sample config is valid")
}

/// Applies `edit` to the sample's JSON and returns the error it causes.
fn refused(edit: impl FnOnce(&mut Json)) -> ConfigError {
    let mut json = Json::parse(SAMPLE).unwrap();
    edit(&mut json);
    Config::from_json(&json).expect_err("edited config must be refused")
}

fn member<'a>(json: &'a mut Json, path: &[&str]) -> &'a mut Json {
    let mut at = json;
    for key in path {
        at = match at {
            Json::Object(members) => &mut members.iter_mut().find(|(k, _)| k == key).unwrap().1,
            Json::Array(items) => &mut items[key.parse::<usize>().unwrap()],
            _ => panic!("no {key}"),
        };
    }
    at
}

fn remove(json: &mut Json, path: &[&str], key: &str) {
    if let Json::Object(members) = member(json, path) {
        members.retain(|(k, _)| k != key);
    }
}

#[test]
fn sample_config_reads_every_field() {
    let cfg = sample();
    assert_eq!(cfg.operator.bin.as_deref(), Some("980540000397"));
    assert_eq!(cfg.languages, vec![Lang::Kk, Lang::Ru, Lang::En]);
    assert_eq!(cfg.purposes.len(), 2);
    assert!(cfg.purposes[0].required && !cfg.purposes[1].required);
    assert_eq!(cfg.transfers.cross_border, CrossBorder::Countries(vec!["RU".into()]));
    assert_eq!(
        cfg.policy.url.unwrap().get(Lang::En),
        "https://beeline.kz/kk/privacy",
        "en URL falls back to kk"
    );
    assert_eq!(cfg.term.get(Lang::Ru), "До окончания договора");
}

#[test]
fn missing_russian_text_names_the_field() {
    let err = refused(|j| remove(j, &["purposes", "1", "title"], "ru"));
    assert_eq!(err.to_string(), "config: purposes[1].title: no \"ru\" text");
}

#[test]
fn missing_english_text_is_refused_only_when_english_is_offered() {
    let err = refused(|j| remove(j, &["term"], "en"));
    assert_eq!(err.field, "term");
    let mut json = Json::parse(SAMPLE).unwrap();
    *member(&mut json, &["languages"]) = Json::Array(vec!["kk".into(), "ru".into()]);
    remove(&mut json, &["term"], "en");
    assert!(Config::from_json(&json).is_ok());
}

#[test]
fn languages_without_kazakh_are_refused() {
    let err = refused(|j| *member(j, &["languages"]) = Json::Array(vec!["ru".into(), "en".into()]));
    assert_eq!(err.field, "languages");
    assert!(err.problem.contains("\"kk\""));
}

#[test]
fn duplicate_purpose_id_is_refused() {
    let err = refused(|j| *member(j, &["purposes", "1", "id"]) = "service".into());
    assert_eq!(err.field, "purposes[1].id");
    assert!(err.problem.contains("duplicate"));
}

#[test]
fn unknown_data_category_names_the_list_entry() {
    let err = refused(|j| *member(j, &["purposes", "1", "data"]) = Json::Array(vec!["iin".into()]));
    assert_eq!(err.field, "purposes[1].data[0]");
}

#[test]
fn malformed_bin_is_refused_with_the_reason() {
    let err = refused(|j| *member(j, &["operator", "bin"]) = "980540000398".into());
    assert_eq!(err.field, "operator.bin");
    assert!(err.problem.contains("check digit"));
}

#[test]
fn a_policy_without_bin_or_url_is_read_and_shown_without_them() {
    let mut json = Json::parse(SAMPLE).unwrap();
    remove(&mut json, &["operator"], "bin");
    remove(&mut json, &["policy"], "url");
    let cfg = Config::from_json(&json).expect("BIN and policy URL are optional");
    assert_eq!((cfg.operator.bin, cfg.policy.url), (None, None));
}

#[test]
fn non_http_policy_url_is_refused() {
    let err = refused(|j| *member(j, &["policy", "url", "ru"]) = "javascript:alert(1)".into());
    assert_eq!(err.field, "policy.url.ru");
}

#[test]
fn protocol_relative_endpoint_is_refused() {
    let err = refused(|j| *member(j, &["endpoint"]) = "//evil.example/collect".into());
    assert_eq!(err.field, "endpoint");
}

#[test]
fn misspelt_field_is_reported_as_unknown() {
    let err = refused(|j| {
        if let Json::Object(m) = member(j, &["purposes", "0"]) {
            m.push(("withdrawlEffect".into(), "x".into()));
        }
    });
    assert_eq!(err.field, "purposes[0].withdrawlEffect");
}

#[test]
fn wrong_type_says_what_was_expected() {
    let err = refused(|j| *member(j, &["purposes", "0", "required"]) = "yes".into());
    assert_eq!(err.to_string(), "config: purposes[0].required: expected true or false, found a string");
}

#[test]
fn missing_required_field_is_named() {
    let err = refused(|j| remove(j, &[], "transfers"));
    assert_eq!(err.field, "transfers");
}

#[test]
fn empty_text_is_refused() {
    let err = refused(|j| *member(j, &["policy", "summary", "kk"]) = "  ".into());
    assert_eq!(err.field, "policy.summary.kk");
}

#[test]
fn text_that_is_not_json_is_refused_at_the_root() {
    let err = Config::from_json_text("{\"languages\": [").unwrap_err();
    assert_eq!(err.field, "");
    assert!(err.problem.starts_with("not valid JSON"));
}

#[cfg(feature = "form")]
fn with_form(form: &str) -> Result<Config, ConfigError> {
    let mut json = Json::parse(SAMPLE).unwrap();
    if let Json::Object(m) = &mut json {
        m.push(("form".into(), Json::parse(form).unwrap()));
    }
    Config::from_json(&json)
}

#[cfg(feature = "form")]
#[test]
fn a_signup_form_binding_is_read() {
    let cfg = with_form(
        r##"{"selector": "#signup", "minimumAge": 16, "subject": "phone", "fields": [
            {"name": "surname", "kind": "name", "required": true},
            {"name": "patronymic", "kind": "patronymic"},
            {"name": "phone", "kind": "phone", "required": true, "allowLandline": true}]}"##,
    )
    .unwrap();
    let form = cfg.form.unwrap();
    assert_eq!(
        (form.selector.as_str(), form.minimum_age, form.subject.as_deref()),
        ("#signup", 16, Some("phone"))
    );
    assert_eq!(form.fields[2].kind, crate::validate::FieldKind::Phone);
    assert!(form.fields[2].required && form.fields[2].allow_landline && !form.fields[1].required);
}

#[cfg(feature = "form")]
#[test]
fn form_errors_name_the_field() {
    let err =
        with_form(r##"{"selector": "#f", "fields": [{"name": "x", "kind": "passport"}]}"##).unwrap_err();
    assert_eq!(err.field, "form.fields[0].kind");
    let err =
        with_form(r##"{"selector": "#f", "subject": "iin", "fields": [{"name": "x", "kind": "phone"}]}"##)
            .unwrap_err();
    assert_eq!(err.field, "form.subject");
    let err = with_form(r##"{"selector": "#f", "minimumAge": 99, "fields": []}"##).unwrap_err();
    assert_eq!(err.field, "form.minimumAge");
}

#[test]
fn cookies_storage_keys_and_consent_mode_read_and_each_mistake_is_named() {
    let mut json = Json::parse(SAMPLE).unwrap();
    if let Json::Object(members) = member(&mut json, &["purposes", "1"]) {
        members.push(("cookies".into(), Json::parse(r#"["_ym_uid", "_ga*"]"#).unwrap()));
        members.push(("storageKeys".into(), Json::parse(r#"["_ym*"]"#).unwrap()));
        members.push(("consentMode".into(), Json::parse(r#"["ad_storage", "ad_user_data"]"#).unwrap()));
    }
    let cfg = Config::from_json(&json).unwrap();
    let p = &cfg.purposes[1];
    assert_eq!(
        p.cookies,
        [Trace { name: "_ym_uid".into(), prefix: false }, Trace { name: "_ga".into(), prefix: true }]
    );
    assert_eq!(p.storage_keys, [Trace { name: "_ym".into(), prefix: true }]);
    assert_eq!(p.consent_mode, ["ad_storage", "ad_user_data"]);
    assert!(cfg.purposes[0].cookies.is_empty() && cfg.purposes[0].consent_mode.is_empty(), "all optional");
    for (key, value, message) in [
        ("cookies", r#"["_ga;x"]"#, "config: purposes[1].cookies[0]: a cookie or key name"),
        ("cookies", r#"["*"]"#, "config: purposes[1].cookies[0]: a cookie or key name"),
        ("storageKeys", r#"["a*b"]"#, "config: purposes[1].storageKeys[0]: a cookie or key name"),
        ("consentMode", r#"["ads"]"#, "config: purposes[1].consentMode[0]: not a Consent Mode signal"),
        (
            "consentMode",
            r#"["ad_storage", "ad_storage"]"#,
            "config: purposes[1].consentMode[1]: listed twice",
        ),
    ] {
        let err = refused(|j| {
            if let Json::Object(members) = member(j, &["purposes", "1"]) {
                members.push((key.into(), Json::parse(value).unwrap()));
            }
        });
        assert!(err.to_string().starts_with(message), "{key} {value}: {err}");
    }
}
