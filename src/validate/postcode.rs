//! Kazakhstani postcodes: the old six digits, or Kazpost's seven-character code such as `A15C9K0`.

use crate::prelude::*;
use crate::validate::Code;

/// A postcode in its normalized form: six digits, or seven characters letter-digit-digit-letter-
/// digit-letter-digit in upper-case Latin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Postcode(String);

/// Why a text is not a postcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostcodeError {
    /// Nothing was typed.
    Empty,
    /// Neither six digits nor the letter-digit pattern of the new code.
    Format,
}

impl PostcodeError {
    /// The stable error code.
    pub fn code(self) -> Code {
        match self {
            PostcodeError::Empty => Code::PostcodeEmpty,
            PostcodeError::Format => Code::PostcodeFormat,
        }
    }
}

/// Upper-case Latin for ASCII letters and for the Cyrillic letters that look like them, as typed
/// on a Russian or Kazakh keyboard (no Unicode case tables: they would cost kilobytes of wasm).
fn latin_upper(c: char) -> char {
    match c {
        'А' | 'а' => 'A',
        'В' | 'в' => 'B',
        'Е' | 'е' => 'E',
        'К' | 'к' | 'Қ' | 'қ' => 'K',
        'М' | 'м' => 'M',
        'Н' | 'н' => 'H',
        'О' | 'о' => 'O',
        'Р' | 'р' => 'P',
        'С' | 'с' => 'C',
        'Т' | 'т' => 'T',
        'Х' | 'х' => 'X',
        'У' | 'у' => 'Y',
        c => c.to_ascii_uppercase(),
    }
}

impl Postcode {
    /// Parses `050000`, `A15C9K0`, `a15 c9k0`, or `А15С9К0` typed in Cyrillic look-alikes.
    pub fn parse(s: &str) -> Result<Postcode, PostcodeError> {
        let code: String =
            s.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '-')).map(latin_upper).collect();
        if code.is_empty() {
            return Err(PostcodeError::Empty);
        }
        let b = code.as_bytes();
        let old = b.len() == 6 && b.iter().all(u8::is_ascii_digit);
        let new = b.len() == 7
            && b.iter().zip(b"LDDLDLD").all(|(c, kind)| {
                if *kind == b'D' {
                    c.is_ascii_digit()
                } else {
                    c.is_ascii_uppercase()
                }
            });
        if old || new {
            Ok(Postcode(code))
        } else {
            Err(PostcodeError::Format)
        }
    }

    /// The normalized code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_and_new_codes_in_every_common_spelling() {
        for (typed, normal) in [
            ("050000", "050000"),
            ("A15C9K0", "A15C9K0"),
            ("a15c9k0", "A15C9K0"),
            ("A15 C9K0", "A15C9K0"),
            ("А15С9К0", "A15C9K0"),
            (" Z05T3E2 ", "Z05T3E2"),
        ] {
            assert_eq!(Postcode::parse(typed).map(|p| p.0), Ok(normal.to_owned()), "{typed}");
        }
    }

    #[test]
    fn wrong_shapes_are_refused() {
        assert_eq!(Postcode::parse(""), Err(PostcodeError::Empty));
        for bad in
            ["05000", "0500000", "A15C9K", "115C9K0", "AA5C9K0", "A1AC9K0", "A15C9KK", "A15-C9K0X", "Ж15С9К0"]
        {
            assert_eq!(Postcode::parse(bad), Err(PostcodeError::Format), "{bad}");
        }
    }
}
