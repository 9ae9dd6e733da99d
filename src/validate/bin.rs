//! The business identification number (BIN) of a Kazakhstani legal entity.

use super::check_digit;
use crate::prelude::*;
use crate::validate::Code;

/// A BIN whose structure and check digit are valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bin(String);

/// Why a text is not a BIN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinError {
    /// Nothing was typed.
    Empty,
    /// Something other than digits, spaces or hyphens.
    NotDigits,
    /// Not exactly 12 digits.
    Length,
    /// Digits 3–4 are not a month 01–12.
    Month,
    /// Digit 5 is not 4, 5 or 6 (legal entity, non-resident, joint individual entrepreneurship).
    EntityType,
    /// Digit 6 is not 0–4 (head office, branch, representative office, farm).
    Unit,
    /// The last digit is not the check digit of the first 11.
    CheckDigit,
}

impl BinError {
    /// A stable code for the error, as carried in JSON.
    pub fn code(self) -> Code {
        match self {
            BinError::Empty => Code::BinEmpty,
            BinError::NotDigits => Code::BinNotDigits,
            BinError::Length => Code::BinLength,
            BinError::Month => Code::BinMonth,
            BinError::EntityType => Code::BinEntityType,
            BinError::Unit => Code::BinUnit,
            BinError::CheckDigit => Code::BinCheckDigit,
        }
    }

    /// An English explanation for developers.
    pub fn explain(self) -> &'static str {
        match self {
            BinError::Empty => "a BIN is required",
            BinError::NotDigits => "a BIN has only digits",
            BinError::Length => "a BIN is exactly 12 digits",
            BinError::Month => "digits 3-4 of a BIN are the registration month, 01-12",
            BinError::EntityType => "digit 5 of a BIN is 4, 5 or 6 (legal entity type)",
            BinError::Unit => "digit 6 of a BIN is 0-4 (head office, branch, representative office, farm)",
            BinError::CheckDigit => "the check digit does not match: check the 12 digits of the BIN",
        }
    }
}

impl Bin {
    /// Parses a BIN written as 12 digits, with spaces or hyphens allowed between them.
    pub fn parse(s: &str) -> Result<Bin, BinError> {
        let compact = super::iin::compact_digits(s).map_err(|e| match e {
            super::iin::IinError::Empty => BinError::Empty,
            _ => BinError::NotDigits,
        })?;
        let d = check_digit::twelve_digits(&compact).ok_or(BinError::Length)?;
        let month = d[2] * 10 + d[3];
        if !(1..=12).contains(&month) {
            return Err(BinError::Month);
        }
        if !(4..=6).contains(&d[4]) {
            return Err(BinError::EntityType);
        }
        if d[5] > 4 {
            return Err(BinError::Unit);
        }
        if !check_digit::matches(&d) {
            return Err(BinError::CheckDigit);
        }
        Ok(Bin(compact))
    }

    /// The 12 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_bins_parse() {
        assert_eq!(Bin::parse("980540000397").unwrap().as_str(), "980540000397");
        assert_eq!(Bin::parse("2202 4003 7922").unwrap().as_str(), "220240037922");
    }

    #[test]
    fn each_structural_fault_has_its_own_error() {
        assert_eq!(Bin::parse("98054000039"), Err(BinError::Length));
        assert_eq!(Bin::parse("981340000397"), Err(BinError::Month));
        assert_eq!(Bin::parse("980530000397"), Err(BinError::EntityType));
        assert_eq!(Bin::parse("980545000397"), Err(BinError::Unit));
        assert_eq!(Bin::parse("980540000398"), Err(BinError::CheckDigit));
    }
}
