//! Every problem of a config at once (native builds): each distinct mistake named, the first as the
//! browser names it, and no echo of a value that is absent, mistyped or empty.

use super::tests::SAMPLE;
use super::{Config, ConfigError};
use crate::json::Json;

/// The problems of the sample with `edit` applied, as `field: problem` lines.
fn problems(edit: impl FnOnce(&mut Json)) -> Vec<String> {
    let mut json = Json::parse(SAMPLE).unwrap();
    edit(&mut json);
    let text = json.to_text();
    let all = Config::problems_in(&text);
    if let Some(first) = all.first() {
        let browser = Config::from_json_text(&text).unwrap_err();
        assert_eq!(&browser, first, "the first problem is the one the browser reports");
    }
    all.iter().map(|e| format!("{}: {}", e.field, e.problem)).collect()
}

fn set(json: &mut Json, path: &[&str], value: Json) {
    let mut at = json;
    for key in &path[..path.len() - 1] {
        at = match at {
            Json::Object(members) => &mut members.iter_mut().find(|(k, _)| k == key).unwrap().1,
            Json::Array(items) => &mut items[key.parse::<usize>().unwrap()],
            _ => panic!("no {key}"),
        };
    }
    let last = path[path.len() - 1];
    match at {
        Json::Object(members) if matches!(value, Json::Null) => members.retain(|(k, _)| k != last),
        Json::Object(members) => match members.iter_mut().find(|(k, _)| k == last) {
            Some((_, v)) => *v = value,
            None => members.push((last.to_owned(), value)),
        },
        _ => panic!("no {last}"),
    }
}

#[test]
fn a_valid_config_has_no_problems() {
    assert_eq!(Config::problems_in(SAMPLE), Vec::<ConfigError>::new());
}

#[test]
fn distinct_mistakes_are_each_named_in_the_order_met() {
    let got = problems(|j| {
        set(j, &["purposes", "1", "title", "ru"], Json::Null);
        set(j, &["purposes", "1", "title", "en"], Json::Null);
        set(j, &["operator", "bin"], "980540000398".into());
        set(j, &["endpoint"], "//evil.example".into());
        set(j, &["purposes", "0", "withdrawlEffect"], "x".into());
        set(j, &["purposes", "0", "typo"], true.into());
    });
    assert_eq!(
        got,
        [
            "operator.bin: the check digit does not match: check the 12 digits of the BIN",
            "purposes[0].withdrawlEffect: unknown field: check its spelling against the config schema",
            "purposes[0].typo: unknown field: check its spelling against the config schema",
            "purposes[1].title: no \"ru\" text",
            "purposes[1].title: no \"en\" text",
            "endpoint: must be an http(s) URL or a path starting with '/'",
        ]
    );
}

#[test]
fn an_absent_mistyped_or_empty_value_is_one_problem_not_an_echo() {
    let got = problems(|j| {
        set(j, &["operator"], Json::Null);
        set(j, &["transfers", "crossBorder"], Json::Null);
        set(j, &["policy", "title"], "one text for all".into());
        set(j, &["endpoint"], " ".into());
    });
    assert_eq!(
        got,
        [
            "operator: missing: this field is required",
            "policy.title: expected an object of texts by language, found a string",
            "transfers.crossBorder: missing: this field is required",
            "endpoint: must not be empty",
        ]
    );
    assert_eq!(
        Config::problems_in("[1]").iter().map(|e| e.problem.as_str()).collect::<Vec<_>>(),
        ["expected an object, found an array"],
        "a document that is no object is one problem, not one per missing member"
    );
}

#[test]
fn text_that_is_not_json_is_one_problem_for_the_whole_document() {
    let got = Config::problems_in("{\"languages\": [");
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].field.as_str(), got[0].problem.as_str()),
        ("", "not valid JSON at byte 15: expected a value")
    );
}

#[test]
fn every_category_no_purpose_uses_is_named() {
    let got = problems(|j| {
        for i in ["0", "1"] {
            set(j, &["purposes", i, "data"], Json::Array(vec![]));
        }
    });
    assert!(got.len() >= 2 && got.iter().all(|l| l.contains("no purpose uses")), "{got:?}");
}
