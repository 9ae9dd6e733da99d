//! The field checks as the browser calls them: verdicts, normalized values, warnings, and
//! properties over arbitrary input (no panic; a normalized value checks again to itself).

use super::*;
use proptest::prelude::*;

const RULES: Rules = Rules { today: (2026, 11, 23), minimum_age: 0, allow_landline: false };

fn kinds() -> [FieldKind; 8] {
    use FieldKind::*;
    [Iin, Bin, Phone, Email, Name, Patronymic, Postcode, BirthDate]
}

#[test]
fn verdicts_carry_codes_and_normalized_values() {
    let v = check(FieldKind::Phone, "8 (701) 234-56-78", &RULES);
    assert_eq!((v.valid, v.code.as_str(), v.normalized.as_str()), (true, "ok", "+77012345678"));
    let v = check(FieldKind::Phone, "8 (727) 350 06 06", &RULES);
    assert_eq!((v.valid, v.code.as_str()), (false, "phone.landline"));
    let v = check(FieldKind::Phone, "8 (727) 350 06 06", &Rules { allow_landline: true, ..RULES });
    assert!(v.valid);
    let v = check(FieldKind::Bin, "9805 4000 0397", &RULES);
    assert_eq!((v.valid, v.normalized.as_str()), (true, "980540000397"));
    let v = check(FieldKind::Postcode, "а15 с9к0", &RULES);
    assert_eq!(v.normalized, "A15C9K0");
    let v = check(FieldKind::Email, "Aigerim@MAIL.kz", &RULES);
    assert_eq!(v.normalized, "Aigerim@mail.kz");
}

#[test]
fn patronymic_may_be_empty_but_names_may_not() {
    assert!(check(FieldKind::Patronymic, "  ", &RULES).valid);
    assert_eq!(check(FieldKind::Name, "  ", &RULES).code.as_str(), "name.empty");
    assert!(check(FieldKind::Patronymic, "Қасымұлы", &RULES).valid);
}

#[test]
fn a_minor_is_refused_under_the_minimum_age_and_warned_about_otherwise() {
    let strict = Rules { minimum_age: 16, ..RULES };
    assert_eq!(check(FieldKind::BirthDate, "01.01.2012", &strict).code.as_str(), "birthDate.minor");
    let v = check(FieldKind::BirthDate, "01.01.2009", &strict);
    assert_eq!(
        (v.valid, v.code.as_str(), v.normalized.as_str()),
        (true, "birthDate.minorWarning", "2009-01-01")
    );
    assert_eq!(check(FieldKind::BirthDate, "01.01.1990", &strict).code.as_str(), "ok");
}

#[test]
fn an_iin_whose_date_is_not_real_is_accepted_with_a_warning() {
    // 85022940001 encodes 29.02.1985, which does not exist; find its check digit.
    let v = (0..10).map(|d| check(FieldKind::Iin, &format!("85022940001{d}"), &RULES)).find(|v| v.valid);
    if let Some(v) = v {
        assert_eq!(v.code, Code::IinUnusualDate);
    }
}

#[test]
fn every_error_code_a_check_gives_has_a_message() {
    let samples = [
        "",
        " ",
        "x",
        "0",
        "123456789012",
        "980540000398",
        "+7 495 123 45 67",
        "8 703 123 45 67",
        "a@",
        "a@b",
        "Нурлaн",
        "-Иван",
        "A15C9KK",
        "30.02.1990",
        "01.01.2099",
        "01.01.1800",
        "2026-13-01",
        "+7 701 234 56",
        "7012345678901",
        "981340000397",
        "980530000397",
        "980545000397",
        "аа..бб@mail.kz",
        "Иван2",
    ];
    for kind in kinds() {
        for s in samples {
            let v = check(kind, s, &Rules { minimum_age: 200, ..RULES });
            assert!(
                v.code == Code::Ok || Code::ALL.contains(&v.code),
                "{kind:?} {s:?} gave {} which has no message",
                v.code.as_str()
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn any_input_gives_a_verdict_and_a_normalized_value_checks_again_to_itself(s in "\\PC{0,40}") {
        for kind in kinds() {
            let v = check(kind, &s, &RULES);
            if v.valid {
                let again = check(kind, &v.normalized, &RULES);
                prop_assert!(again.valid, "{:?} {:?} -> {:?} no longer valid", kind, s, v.normalized);
                prop_assert_eq!(&again.normalized, &v.normalized);
            }
        }
    }

    #[test]
    fn near_valid_input_never_panics(s in "[0-9 +()\\-.]{0,20}|[А-яӘәҚқҢңӨөҰұҮүІіA-Za-z' \\-]{0,20}|[a-z.]{0,8}@[a-z.]{0,8}") {
        for kind in kinds() {
            let _ = check(kind, &s, &RULES);
        }
    }

    #[test]
    fn any_mobile_number_in_any_spelling_normalizes_to_the_same_e164(
        range in prop::sample::select(vec!["700", "701", "702", "705", "706", "707", "708", "747", "760", "761", "762", "763", "764", "771", "775", "776", "777", "778", "785"]),
        rest in "[0-9]{7}",
        prefix in prop::sample::select(vec!["+7", "8", "7", "", "+7 ", "8 ("]),
        sep in prop::sample::select(vec!["", " ", "-", ".", "\u{a0}"]),
    ) {
        let close = if prefix.ends_with('(') { ")" } else { "" };
        let typed = format!("{prefix}{range}{close}{sep}{}{sep}{}{sep}{}", &rest[..3], &rest[3..5], &rest[5..]);
        let v = check(FieldKind::Phone, &typed, &RULES);
        prop_assert!(v.valid, "{:?} -> {}", typed, v.code.as_str());
        prop_assert_eq!(v.normalized, format!("+7{range}{rest}"));
    }
}
