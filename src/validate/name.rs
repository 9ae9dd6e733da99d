//! Personal names — surname, given name, patronymic — in Kazakh or Russian Cyrillic or the 2021
//! Kazakh Latin alphabet, composed to NFC, with words that mix the two scripts flagged.
//!
//! Only the letters these alphabets use are composed (`и` + U+0306 → `й`, `A` + U+0308 → `Ä`, …):
//! a general Unicode normalizer would add tens of kilobytes to the wasm for letters no name here
//! needs. Patronymics end in -ұлы, -қызы, -ович, -овна or anything else: no ending is assumed.

use crate::prelude::*;
use crate::validate::Code;

/// A name part as it should be stored: trimmed, single-spaced, NFC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name(String);

/// Why a text is not a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameError {
    /// Nothing was typed.
    Empty,
    /// A character that is not a letter of these alphabets, a hyphen, an apostrophe or a space.
    Chars,
    /// A word mixes Cyrillic and Latin letters (often a Latin `a`, `c`, `e`, `o`, `p` or `Ə` typed
    /// into a Cyrillic name).
    MixedScript,
    /// Starts or ends with a hyphen or apostrophe, or has two in a row.
    Shape,
    /// Longer than 64 characters.
    TooLong,
}

impl NameError {
    /// The stable error code.
    pub fn code(self) -> Code {
        match self {
            NameError::Empty => Code::NameEmpty,
            NameError::Chars => Code::NameChars,
            NameError::MixedScript => Code::NameMixedScript,
            NameError::Shape => Code::NameShape,
            NameError::TooLong => Code::NameTooLong,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Cyrillic,
    Latin,
}

fn script(c: char) -> Option<Script> {
    match c {
        'А'..='я'
        | 'Ё'
        | 'ё'
        | 'Ә'
        | 'ә'
        | 'Ғ'
        | 'ғ'
        | 'Қ'
        | 'қ'
        | 'Ң'
        | 'ң'
        | 'Ө'
        | 'ө'
        | 'Ұ'
        | 'ұ'
        | 'Ү'
        | 'ү'
        | 'Һ'
        | 'һ'
        | 'І'
        | 'і' => Some(Script::Cyrillic),
        'A'..='Z'
        | 'a'..='z'
        | 'Ä'
        | 'ä'
        | 'Ğ'
        | 'ğ'
        | 'İ'
        | 'ı'
        | 'Ñ'
        | 'ñ'
        | 'Ö'
        | 'ö'
        | 'Ş'
        | 'ş'
        | 'Ū'
        | 'ū'
        | 'Ü'
        | 'ü' => Some(Script::Latin),
        _ => None,
    }
}

/// Composes a base letter with a combining mark, for the letters these alphabets use.
fn compose(base: char, mark: char) -> Option<char> {
    Some(match (base, mark) {
        ('и', '\u{306}') => 'й',
        ('И', '\u{306}') => 'Й',
        ('е', '\u{308}') => 'ё',
        ('Е', '\u{308}') => 'Ё',
        ('a', '\u{308}') => 'ä',
        ('A', '\u{308}') => 'Ä',
        ('o', '\u{308}') => 'ö',
        ('O', '\u{308}') => 'Ö',
        ('u', '\u{308}') => 'ü',
        ('U', '\u{308}') => 'Ü',
        ('g', '\u{306}') => 'ğ',
        ('G', '\u{306}') => 'Ğ',
        ('n', '\u{303}') => 'ñ',
        ('N', '\u{303}') => 'Ñ',
        ('s', '\u{327}') => 'ş',
        ('S', '\u{327}') => 'Ş',
        ('u', '\u{304}') => 'ū',
        ('U', '\u{304}') => 'Ū',
        ('I', '\u{307}') => 'İ',
        _ => return None,
    })
}

fn is_separator(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | 'ʼ' | ' ')
}

impl Name {
    /// Parses one name part.
    pub fn parse(s: &str) -> Result<Name, NameError> {
        let mut out = String::with_capacity(s.len());
        for c in s.trim().chars() {
            let c = match c {
                '\u{a0}' | '\t' => ' ',
                '\u{2010}' | '\u{2011}' => '-',
                c => c,
            };
            if ('\u{300}'..='\u{36f}').contains(&c) {
                let base = out.pop().ok_or(NameError::Chars)?;
                out.push(compose(base, c).ok_or(NameError::Chars)?);
            } else if c == ' ' && out.ends_with(' ') {
                continue;
            } else {
                out.push(c);
            }
        }
        if out.is_empty() {
            return Err(NameError::Empty);
        }
        if out.chars().count() > 64 {
            return Err(NameError::TooLong);
        }
        for word in out.split(is_separator) {
            if word.is_empty() {
                return Err(NameError::Shape);
            }
            let mut seen = None;
            for c in word.chars() {
                let Some(s) = script(c) else {
                    return Err(if matches!(c, 'Ə' | 'ə') {
                        NameError::MixedScript
                    } else {
                        NameError::Chars
                    });
                };
                if seen.is_some_and(|first| first != s) {
                    return Err(NameError::MixedScript);
                }
                seen = Some(s);
            }
        }
        Ok(Name(out))
    }

    /// The normalized name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_kazakh_and_russian_names_pass() {
        for name in [
            "Нұрсұлтанова",
            "Әлия",
            "Ғабит",
            "Қасымұлы",
            "Нұрланқызы",
            "Өмірзақ",
            "Үкілі",
            "Һәкім",
            "Іңкәр",
            "Иванова-Сейітқали",
            "Дмитриевич",
            "Ёлкин",
            "Äliya",
            "Qasymuly",
            "Nūrsūltan",
            "Ğabit",
            "Şynar",
            "İlyas",
            "D'Artagnan",
            "Мамыр Ай",
        ] {
            assert_eq!(Name::parse(name).map(|n| n.0), Ok(name.to_owned()), "{name}");
        }
    }

    #[test]
    fn decomposed_letters_are_composed_and_spaces_tidied() {
        assert_eq!(Name::parse("Аи\u{306}гүл").unwrap().0, "Айгүл");
        assert_eq!(Name::parse("A\u{308}liya").unwrap().0, "Äliya");
        assert_eq!(Name::parse("  Мамыр \u{a0}  Ай ").unwrap().0, "Мамыр Ай");
        assert_eq!(Name::parse("Сейітқали\u{2010}Иванова").unwrap().0, "Сейітқали-Иванова");
    }

    #[test]
    fn look_alikes_from_the_other_script_are_flagged() {
        // Latin "a" (U+0061) and "o" inside Cyrillic words, Latin Ə for Cyrillic Ә.
        for mixed in ["Нурлaн", "Бoлат", "\u{18f}лия", "Aйгүл", "Qасым"] {
            assert_eq!(Name::parse(mixed), Err(NameError::MixedScript), "{mixed}");
        }
        // Two scripts in two words is a person's choice, not a typo.
        assert!(Name::parse("Aliya Нұрланқызы").is_ok());
    }

    #[test]
    fn malformed_names_have_specific_errors() {
        for (typed, error) in [
            ("", NameError::Empty),
            ("   ", NameError::Empty),
            ("Иван2", NameError::Chars),
            ("Иван!", NameError::Chars),
            ("\u{306}Иван", NameError::Chars),
            ("-Иван", NameError::Shape),
            ("Иван-", NameError::Shape),
            ("Иван--Петров", NameError::Shape),
        ] {
            assert_eq!(Name::parse(typed), Err(error), "{typed:?}");
        }
        assert_eq!(Name::parse(&"а".repeat(65)), Err(NameError::TooLong));
    }
}
