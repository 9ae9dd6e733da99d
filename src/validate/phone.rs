//! Kazakhstani phone numbers typed any common way, normalized to E.164 (`+77012345678`).
//!
//! Ranges from libphonenumber's metadata for KZ: mobile `7(?:0[0-25-8]|47|6[0-4]|7[15-8]|85)`,
//! fixed lines `7[12]xx`. Numbers are portable between operators, so the operator is never inferred.

use crate::prelude::*;
use crate::validate::Code;

/// A Kazakhstani number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    e164: String,
    kind: PhoneKind,
}

/// Mobile or fixed line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneKind {
    /// A mobile range (700–702, 705–708, 747, 760–764, 771, 775–778, 785).
    Mobile,
    /// A fixed line (area codes 71xx, 72xx).
    Landline,
}

/// Why a text is not a Kazakhstani phone number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneError {
    /// Nothing was typed.
    Empty,
    /// Letters or symbols other than `+`, digits and separators.
    Chars,
    /// Too few or too many digits.
    Length,
    /// Another country's number (`+996…`), or a +7 number of Russia (`+7 495…`, `8 800…`).
    NotKazakhstan,
    /// A +7 7xx number outside the ranges in use.
    NotInUse,
    /// A fixed line where the form asks for a mobile number.
    Landline,
}

impl PhoneError {
    /// The stable error code.
    pub fn code(self) -> Code {
        match self {
            PhoneError::Empty => Code::PhoneEmpty,
            PhoneError::Chars => Code::PhoneChars,
            PhoneError::Length => Code::PhoneLength,
            PhoneError::NotKazakhstan => Code::PhoneNotKazakhstan,
            PhoneError::NotInUse => Code::PhoneNotInUse,
            PhoneError::Landline => Code::PhoneLandline,
        }
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\t' | '-' | '\u{2010}'..='\u{2015}' | '.' | '(' | ')' | '/')
}

fn kind_of(national: &[u8]) -> Option<PhoneKind> {
    let range = &national[1..3];
    let mobile = matches!(
        range,
        b"00"
            | b"01"
            | b"02"
            | b"05"
            | b"06"
            | b"07"
            | b"08"
            | b"47"
            | b"60"
            | b"61"
            | b"62"
            | b"63"
            | b"64"
            | b"71"
            | b"75"
            | b"76"
            | b"77"
            | b"78"
            | b"85"
    );
    if mobile {
        Some(PhoneKind::Mobile)
    } else if matches!(range[0], b'1' | b'2') {
        Some(PhoneKind::Landline)
    } else {
        None
    }
}

impl Phone {
    /// Parses `+7 701 234 56 78`, `8 (701) 234-56-78`, `87012345678`, `7012345678` and the like.
    /// Fixed lines are accepted only when `allow_landline`.
    pub fn parse(s: &str, allow_landline: bool) -> Result<Phone, PhoneError> {
        let mut plus = false;
        let mut digits = String::with_capacity(12);
        for (i, c) in s.trim().chars().enumerate() {
            match c {
                '+' if i == 0 => plus = true,
                '0'..='9' => digits.push(c),
                c if is_separator(c) => {}
                _ => return Err(PhoneError::Chars),
            }
        }
        if digits.is_empty() {
            return Err(if plus { PhoneError::Length } else { PhoneError::Empty });
        }
        let d = digits.as_bytes();
        let n = match (plus, d.len(), d[0]) {
            (true, _, b) if b != b'7' => return Err(PhoneError::NotKazakhstan),
            (true, 11, _) | (false, 11, b'7' | b'8') => &d[1..],
            (false, 10, _) => d,
            _ => return Err(PhoneError::Length),
        };
        if n[0] != b'7' {
            return Err(PhoneError::NotKazakhstan);
        }
        let kind = kind_of(n).ok_or(PhoneError::NotInUse)?;
        if kind == PhoneKind::Landline && !allow_landline {
            return Err(PhoneError::Landline);
        }
        let mut e164 = String::from("+7");
        e164.extend(n.iter().map(|b| char::from(*b)));
        Ok(Phone { e164, kind })
    }

    /// E.164: `+7` and the ten national digits.
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// Mobile or fixed line.
    pub fn kind(&self) -> PhoneKind {
        self.kind
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_common_spelling_normalizes_to_e164() {
        for typed in [
            "+7 701 234 56 78",
            "+7 (701) 234-56-78",
            "8 (701) 234-56-78",
            "87012345678",
            "77012345678",
            "7012345678",
            "+7\u{a0}701\u{a0}234\u{a0}56\u{a0}78",
            "8.701.234.56.78",
            "+7-701-234-5678",
            "  8 701 2345678 ",
            "+7 701 234–56–78",
        ] {
            assert_eq!(Phone::parse(typed, false).map(|p| p.e164), Ok("+77012345678".into()), "{typed:?}");
        }
    }

    #[test]
    fn each_mobile_range_is_accepted_and_others_are_refused() {
        let mobile = [
            "700", "701", "702", "705", "706", "707", "708", "747", "760", "761", "762", "763", "764", "771",
            "775", "776", "777", "778", "785",
        ];
        for prefix in 700..800 {
            let number = format!("+7{prefix}1234567");
            let expected = if mobile.contains(&prefix.to_string().as_str()) {
                Ok(PhoneKind::Mobile)
            } else if (710..730).contains(&prefix) {
                Err(PhoneError::Landline)
            } else {
                Err(PhoneError::NotInUse)
            };
            assert_eq!(Phone::parse(&number, false).map(|p| p.kind), expected, "{number}");
        }
    }

    #[test]
    fn landlines_pass_only_where_the_form_allows_them() {
        assert_eq!(Phone::parse("8 (727) 350 06 06", false), Err(PhoneError::Landline));
        let almaty = Phone::parse("8 (727) 350 06 06", true).unwrap();
        assert_eq!((almaty.e164(), almaty.kind()), ("+77273500606", PhoneKind::Landline));
        assert_eq!(Phone::parse("+7 7172 55 00 00", true).unwrap().e164(), "+77172550000");
    }

    #[test]
    fn other_countries_and_russia_are_named_as_such() {
        for foreign in
            ["+7 495 123 45 67", "8 800 555 35 35", "+996 555 123 456", "+1 202 555 0100", "4951234567"]
        {
            assert_eq!(Phone::parse(foreign, true), Err(PhoneError::NotKazakhstan), "{foreign}");
        }
    }

    #[test]
    fn malformed_input_has_specific_errors() {
        assert_eq!(Phone::parse("", false), Err(PhoneError::Empty));
        assert_eq!(Phone::parse(" - ", false), Err(PhoneError::Empty));
        assert_eq!(Phone::parse("+", false), Err(PhoneError::Length));
        assert_eq!(Phone::parse("+7 701 234 56", false), Err(PhoneError::Length));
        assert_eq!(Phone::parse("8 701 234 56 78 9", false), Err(PhoneError::Length));
        assert_eq!(Phone::parse("701-CALL-NOW", false), Err(PhoneError::Chars));
        assert_eq!(Phone::parse("+7 701 +234", false), Err(PhoneError::Chars));
    }
}
