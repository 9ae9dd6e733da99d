//! The individual identification number (IIN): 12 digits, date of birth and sex, a mod-11 check digit.

use super::check_digit;
use crate::prelude::*;
use crate::validate::Code;

/// An IIN whose check digit is valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Iin {
    digits: String,
    birth: Option<(i64, u32, u32)>,
    sex: Option<Sex>,
}

/// Sex as digit 7 encodes it (odd male, even female).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sex {
    /// Digit 7 odd.
    Male,
    /// Digit 7 even.
    Female,
}

/// Why a text is not an IIN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IinError {
    /// Nothing was typed.
    Empty,
    /// Something other than digits, spaces or hyphens.
    NotDigits,
    /// Not exactly 12 digits.
    Length,
    /// The 12th digit is not the check digit of the first 11 (or no check digit exists).
    CheckDigit,
}

impl IinError {
    /// The stable error code.
    pub fn code(self) -> Code {
        match self {
            IinError::Empty => Code::IinEmpty,
            IinError::NotDigits => Code::IinNotDigits,
            IinError::Length => Code::IinLength,
            IinError::CheckDigit => Code::IinCheckDigit,
        }
    }
}

/// Keeps the digits of `s`, allowing spaces, non-breaking spaces and hyphens between them.
pub(super) fn compact_digits(s: &str) -> Result<String, IinError> {
    let mut out = String::with_capacity(12);
    for c in s.chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '\u{a0}' | '\u{202f}' | '-' | '\t' => {}
            _ => return Err(IinError::NotDigits),
        }
    }
    if out.is_empty() {
        return Err(IinError::Empty);
    }
    Ok(out)
}

impl Iin {
    /// Parses an IIN typed with or without spaces and hyphens.
    pub fn parse(s: &str) -> Result<Iin, IinError> {
        let digits = compact_digits(s)?;
        let d = check_digit::twelve_digits(&digits).ok_or(IinError::Length)?;
        if !check_digit::matches(&d) {
            return Err(IinError::CheckDigit);
        }
        let century = match d[6] {
            1 | 2 => Some(1800),
            3 | 4 => Some(1900),
            5 | 6 => Some(2000),
            _ => None,
        };
        let sex = match d[6] {
            1 | 3 | 5 => Some(Sex::Male),
            2 | 4 | 6 => Some(Sex::Female),
            _ => None,
        };
        let (yy, month, day) =
            (i64::from(d[0] * 10 + d[1]), u32::from(d[2] * 10 + d[3]), u32::from(d[4] * 10 + d[5]));
        let birth = century
            .map(|c| (c + yy, month, day))
            .filter(|&(y, m, dd)| dd >= 1 && dd <= crate::time::days_in_month(y, m));
        Ok(Iin { digits, birth, sex })
    }

    /// The 12 digits.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// The date of birth digits 1–7 encode, if they encode a real date.
    pub fn birth_date(&self) -> Option<(i64, u32, u32)> {
        self.birth
    }

    /// The sex digit 7 encodes, if it is 1–6.
    pub fn sex(&self) -> Option<Sex> {
        self.sex
    }

    /// Digits 1–7 do not encode a real date and century: allowed (IINs issued since 2013 need not
    /// encode them), but worth a second look.
    pub fn has_unusual_date(&self) -> bool {
        self.birth.is_none()
    }
}

#[cfg(test)]
mod tests;
