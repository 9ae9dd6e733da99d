//! The JSON reader and writer: nesting, escapes, member order, and what is refused.

use super::*;

#[test]
fn parses_nested_values_and_keeps_member_order() {
    let v = Json::parse(r#" {"b": [1, -2.5e3, true, null], "a": "x\"y\u00e9\ud83d\ude00"} "#).unwrap();
    let members = v.as_object().unwrap();
    assert_eq!(members[0].0, "b");
    assert_eq!(v.get("a").unwrap().as_str(), Some("x\"yé😀"));
    assert_eq!(v.get("b").unwrap().as_array().unwrap()[1], Json::Number("-2.5e3".into()));
}

#[test]
fn round_trips_through_text() {
    let text = r#"{"k":"қазақша \n\t\\ \u0001","n":[0,12,-1.5],"o":{}}"#;
    let v = Json::parse(text).unwrap();
    assert_eq!(Json::parse(&v.to_text()).unwrap(), v);
}

#[test]
fn refuses_malformed_text_with_an_offset() {
    for bad in [
        "",
        "{",
        "[1,]",
        "{\"a\" 1}",
        "01",
        "1.",
        "\"\\x\"",
        "\"a",
        "tru",
        "{} x",
        "{\"a\":1,\"a\":2}",
        "\"\\ud800\"",
        "-",
        "1e",
        "\"\u{1}\"",
    ] {
        assert!(Json::parse(bad).is_err(), "{bad:?} should be refused");
    }
    assert_eq!(Json::parse("[1, x]").unwrap_err().offset, 4);
}

#[test]
fn refuses_nesting_deeper_than_the_limit() {
    let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
    assert!(Json::parse(&deep).is_err());
    let fine = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
    assert!(Json::parse(&fine).is_ok());
}

#[test]
fn writes_integers_without_fmt() {
    for n in [0u64, 7, 10, 99, 1_000, u64::MAX] {
        let mut s = String::new();
        push_uint(&mut s, n);
        assert_eq!(s, n.to_string());
    }
}

#[test]
fn escapes_control_and_separator_characters() {
    let mut out = String::new();
    write_string(&mut out, "a\u{2028}\u{7}");
    assert_eq!(out, r#""a\u2028\u0007""#);
}
