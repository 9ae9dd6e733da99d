//! The core's strict readers held against serde_json on the same inputs: whatever the core's JSON
//! reader or record reader accepts, serde_json accepts and reads as the same value; whatever
//! serde_json refuses, the core refuses. Inputs are valid records broken in small ways (the tricky
//! escapes, numbers and whitespace of JSON) and short strings of JSON's own characters.

mod common;

use kelisim::json::Json;
use kelisim::record::ConsentRecord;
use proptest::prelude::*;
use serde_json::Value;

/// Fragments that JSON readers disagree on when they are careless.
const TRICKY: &[&str] = &[
    "\\u0000",
    "\\ud800",
    "\\udc00",
    "\\ud83d\\ude00",
    "\\u00e9",
    "\\/",
    "\\x41",
    "\\'",
    "\u{0}",
    "\u{1}",
    "\u{7f}",
    "\u{a0}",
    "\u{feff}",
    "\u{2028}",
    "\t",
    "\r\n",
    " ",
    ",",
    ":",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "\\",
    "1e999",
    "-0",
    "01",
    ".5",
    "1.",
    "+1",
    "0x10",
    "1E+2",
    "NaN",
    "true",
    "null",
    "/*x*/",
    "\"schema\":1,",
    "\"recordId\":\"x\",",
    "é",
    "𝄞",
];

/// A valid record as the banner sends it, with `seed` varying its id and subject.
fn record_text(seed: u8) -> String {
    common::grant(seed).to_text()
}

/// `base` with one small edit: a fragment inserted, a span removed, or a span doubled.
fn mutated() -> impl Strategy<Value = String> {
    (any::<u8>(), any::<prop::sample::Index>(), 0usize..3, prop::sample::select(TRICKY), 0usize..12).prop_map(
        |(seed, at, how, fragment, span)| {
            let base = record_text(seed);
            let boundaries: Vec<usize> = (0..=base.len()).filter(|i| base.is_char_boundary(*i)).collect();
            let start = boundaries[at.index(boundaries.len())];
            let end = boundaries.iter().copied().find(|b| *b >= start + span).unwrap_or(base.len());
            match how {
                0 => format!("{}{fragment}{}", &base[..start], &base[start..]),
                1 => format!("{}{}", &base[..start], &base[end..]),
                _ => format!("{}{}{}", &base[..end], &base[start..end], &base[end..]),
            }
        },
    )
}

/// Short strings made of JSON's own characters and a few that are not.
fn jsonish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TRICKY), 0..12).prop_map(|parts| parts.concat())
}

/// The property, for one input.
fn agree(input: &str) -> Result<(), TestCaseError> {
    let serde: Result<Value, _> = serde_json::from_str(input);
    match Json::parse(input) {
        // A number beyond f64 (1e999) is JSON by RFC 8259's grammar, which the core follows (it keeps
        // numbers as text); serde_json refuses it. No record field can hold one: see below.
        Ok(_) if serde.as_ref().is_err_and(|e| e.to_string().starts_with("number out of range")) => {}
        Ok(json) => {
            let serde = serde.map_err(|e| {
                TestCaseError::fail(format!("core accepts, serde_json refuses ({e}): {input:?}"))
            })?;
            let round: Value = serde_json::from_str(&json.to_text()).map_err(|e| {
                TestCaseError::fail(format!("core writes what serde_json refuses ({e}): {input:?}"))
            })?;
            prop_assert_eq!(round, serde, "the same value: {:?}", input);
        }
        Err(_) => {
            // serde_json keeps the last of duplicate keys, and nests up to 128 deep; the core
            // refuses both (a record nests 3 deep). Nothing else may be refused by one reader and
            // read by the other.
            if let Ok(value) = &serde {
                let stricter = has_duplicate_keys(input) || depth(value) > CORE_MAX_DEPTH;
                prop_assert!(stricter, "serde_json reads what the core refuses: {:?} = {}", input, value);
            }
        }
    }
    if let Ok(record) = ConsentRecord::from_json_text(input) {
        let value: Value = serde_json::from_str(input)
            .map_err(|e| TestCaseError::fail(format!("a record serde_json refuses ({e}): {input:?}")))?;
        prop_assert_eq!(value["recordId"].as_str(), Some(record.record_id.as_str()));
        prop_assert_eq!(value["subject"]["ref"].as_str(), Some(record.subject_ref.as_str()));
        prop_assert_eq!(value["policy"]["textSha256"].as_str(), Some(record.policy.text_sha256.as_str()));
        prop_assert_eq!(value["kind"].as_str(), Some(record.kind.as_str()));
        prop_assert_eq!(value["term"].as_str(), Some(record.term.as_str()));
        let stored = record.to_text();
        prop_assert!(serde_json::from_str::<Value>(&stored).is_ok(), "the stored form is JSON");
        prop_assert_eq!(
            ConsentRecord::from_json_text(&stored).ok(),
            Some(record),
            "the stored form reads back"
        );
    }
    Ok(())
}

/// How deep the core's JSON reader nests (`src/json`): one level more is refused.
const CORE_MAX_DEPTH: usize = 65;

/// How many arrays and objects deep `value` nests.
fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(members) => 1 + members.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Whether some object in `input` (valid JSON to serde_json) repeats a key.
fn has_duplicate_keys(input: &str) -> bool {
    struct Probe;
    impl<'de> serde::de::Visitor<'de> for Probe {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("any JSON")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            let (mut keys, mut repeated) = (Vec::<String>::new(), false);
            while let Some(key) = map.next_key::<String>()? {
                repeated |= keys.contains(&key);
                keys.push(key);
                repeated |= map.next_value::<Dup>()?.0;
            }
            Ok(repeated)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
            let mut repeated = false;
            while let Some(Dup(d)) = seq.next_element()? {
                repeated |= d;
            }
            Ok(repeated)
        }
        fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_str<E>(self, _: &str) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }
    }
    struct Dup(bool);
    impl<'de> serde::Deserialize<'de> for Dup {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Dup, D::Error> {
            d.deserialize_any(Probe).map(Dup)
        }
    }
    let mut de = serde_json::Deserializer::from_str(input);
    serde::Deserialize::deserialize(&mut de).map(|Dup(d)| d).unwrap_or(false)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_record_broken_in_a_small_way_is_read_alike_by_the_core_and_serde_json(input in mutated()) {
        agree(&input)?;
    }

    #[test]
    fn short_strings_of_json_characters_are_read_alike(input in jsonish()) {
        agree(&input)?;
    }
}

#[test]
fn the_inputs_readers_most_often_disagree_on() {
    for input in [
        r#""\ud800""#,
        r#""\udc00\ud800""#,
        r#""\ud83d\ude00""#,
        "\"\u{0}\"",
        r#""\u0000""#,
        "1e999",
        "-0",
        "01",
        "[1,]",
        "{\"a\":1,}",
        "\u{feff}{}",
        " {} ",
        "{}\u{a0}",
        "\"\\x41\"",
        "[1e400]",
        "123456789012345678901234567890",
        r#"{"a":1,"a":2}"#,
        "",
        "nul",
    ] {
        agree(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
    }
    for levels in [CORE_MAX_DEPTH, CORE_MAX_DEPTH + 1, 100] {
        let nested = format!("{}{}", "[".repeat(levels), "]".repeat(levels));
        agree(&nested).unwrap_or_else(|e| panic!("{levels} levels: {e}"));
        assert_eq!(Json::parse(&nested).is_ok(), levels <= CORE_MAX_DEPTH, "{levels} levels");
    }
    agree(&record_text(1)).unwrap();
    let huge = record_text(1).replacen("\"schema\":1", "\"schema\":1e999", 1);
    assert!(ConsentRecord::from_json_text(&huge).is_err(), "no record field holds a number beyond f64");
}
