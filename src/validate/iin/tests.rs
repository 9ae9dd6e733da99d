//! IINs: a table of typed forms, a naive oracle over generated numbers, and what digits 1–7 say.

use super::*;

/// The check digit computed the way the rule is written, with no shortcuts: the oracle.
fn oracle_check_digit(first11: &[u32]) -> Option<u32> {
    let first: u32 = (1..=11).map(|w| first11[w - 1] * w as u32).sum::<u32>() % 11;
    if first != 10 {
        return Some(first);
    }
    let weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
    let second: u32 = first11.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 11;
    (second != 10).then_some(second)
}

/// A deterministic stream of pseudo-random digits (xorshift), so failures reproduce.
fn digits(seed: &mut u64) -> Vec<u32> {
    (0..11)
        .map(|_| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            (*seed % 10) as u32
        })
        .collect()
}

#[test]
fn agrees_with_the_oracle_on_every_check_digit_for_100_000_numbers() {
    let mut seed = 0x9e37_79b9_7f4a_7c15;
    let (mut valid, mut no_check_digit) = (0, 0);
    for _ in 0..100_000 {
        let head = digits(&mut seed);
        let text: String = head.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
        for last in 0..10u32 {
            let candidate = format!("{text}{last}");
            let expected = oracle_check_digit(&head) == Some(last);
            assert_eq!(Iin::parse(&candidate).is_ok(), expected, "{candidate}");
            valid += usize::from(expected);
        }
        no_check_digit += usize::from(oracle_check_digit(&head).is_none());
    }
    assert_eq!(valid + no_check_digit, 100_000, "each 11-digit head has one check digit or none");
    assert!(no_check_digit > 0, "the both-passes-give-10 case was exercised");
}

#[test]
fn typed_forms_are_compacted() {
    // 900101300123 is not valid; build a valid one from a date and serial instead.
    let head = "90010130012";
    let d: Vec<u32> = head.chars().map(|c| c.to_digit(10).unwrap()).collect();
    let iin = format!("{head}{}", oracle_check_digit(&d).unwrap());
    for typed in [
        iin.clone(),
        format!("{} {} {}", &iin[..6], &iin[6..7], &iin[7..]),
        iin.replace('0', "0-").trim_end_matches('-').to_owned(),
        format!(" {iin}\u{a0}"),
    ] {
        assert_eq!(Iin::parse(&typed).map(|i| i.as_str().to_owned()), Ok(iin.clone()), "{typed:?}");
    }
}

#[test]
fn errors_are_specific() {
    assert_eq!(Iin::parse(""), Err(IinError::Empty));
    assert_eq!(Iin::parse("  "), Err(IinError::Empty));
    assert_eq!(Iin::parse("90010130012"), Err(IinError::Length));
    assert_eq!(Iin::parse("9001013001234"), Err(IinError::Length));
    assert_eq!(Iin::parse("90010130012O"), Err(IinError::NotDigits));
    assert_eq!(Iin::parse("９００１０１３００１２３"), Err(IinError::NotDigits));
    let head: Vec<u32> = "90010130012".chars().map(|c| c.to_digit(10).unwrap()).collect();
    let good = oracle_check_digit(&head).unwrap();
    assert_eq!(Iin::parse(&format!("90010130012{}", (good + 1) % 10)), Err(IinError::CheckDigit));
}

#[test]
fn digits_1_to_7_give_birth_date_and_sex() {
    for (head, birth, sex) in [
        ("90010130012", Some((1990, 1, 1)), Some(Sex::Male)),
        ("05123160001", Some((2005, 12, 31)), Some(Sex::Female)),
        ("85022940001", None, Some(Sex::Female)), // 1985-02-29 does not exist
        ("90010100012", None, None),              // century digit 0
    ] {
        let d: Vec<u32> = head.chars().map(|c| c.to_digit(10).unwrap()).collect();
        let Some(check) = oracle_check_digit(&d) else { continue };
        let iin = Iin::parse(&format!("{head}{check}")).unwrap();
        assert_eq!((iin.birth_date(), iin.sex()), (birth, sex), "{head}");
        assert_eq!(iin.has_unusual_date(), birth.is_none());
    }
}
