//! Dates of birth: a real date, not in the future, and old enough for the consent asked.
//!
//! A child under 18 cannot give this consent alone: a parent, guardian or trustee (legal representative)
//! gives it (Law 94-V Art. 8(1); Civil Code: 14–18 with a parent's consent, under 14 the parent).

use crate::prelude::*;
use crate::validate::Code;

/// A date of birth, as (year, month, day).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BirthDate {
    /// Calendar year.
    pub year: i64,
    /// Month 1–12.
    pub month: u32,
    /// Day of the month.
    pub day: u32,
}

/// Why a text is not an acceptable date of birth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BirthDateError {
    /// Nothing was typed.
    Empty,
    /// Neither `YYYY-MM-DD` nor `DD.MM.YYYY`.
    Format,
    /// A day that does not exist, such as 30.02.
    Impossible,
    /// A day after today.
    Future,
    /// More than 120 years ago.
    TooOld,
    /// Younger than the minimum age the form sets: a legal representative must consent.
    Minor,
}

impl BirthDateError {
    /// The stable error code.
    pub fn code(self) -> Code {
        match self {
            BirthDateError::Empty => Code::BirthDateEmpty,
            BirthDateError::Format => Code::BirthDateFormat,
            BirthDateError::Impossible => Code::BirthDateImpossible,
            BirthDateError::Future => Code::BirthDateFuture,
            BirthDateError::TooOld => Code::BirthDateTooOld,
            BirthDateError::Minor => Code::BirthDateMinor,
        }
    }
}

fn number(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.bytes().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

impl BirthDate {
    /// Parses `1990-01-31` (what `<input type="date">` gives) or `31.01.1990` (how it is written
    /// in Kazakhstan), checked against `today` and the minimum age in whole years.
    pub fn parse(s: &str, today: (i64, u32, u32), minimum_age: u32) -> Result<BirthDate, BirthDateError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(BirthDateError::Empty);
        }
        let parts: Vec<&str> =
            if s.contains('-') { s.split('-').collect() } else { s.split(['.', '/']).collect() };
        let (y, m, d) = match parts.as_slice() {
            [y, m, d] if s.contains('-') && y.len() == 4 => (y, m, d),
            [d, m, y] if !s.contains('-') && y.len() == 4 => (y, m, d),
            _ => return Err(BirthDateError::Format),
        };
        let (Some(year), Some(month), Some(day)) = (number(y), number(m), number(d)) else {
            return Err(BirthDateError::Format);
        };
        let year = i64::from(year);
        if m.len() > 2 || d.len() > 2 || day == 0 || day > crate::time::days_in_month(year, month) {
            return Err(BirthDateError::Impossible);
        }
        let date = BirthDate { year, month, day };
        if (year, month, day) > today {
            return Err(BirthDateError::Future);
        }
        let age = date.age_on(today);
        if age > 120 {
            return Err(BirthDateError::TooOld);
        }
        if age < i64::from(minimum_age) {
            return Err(BirthDateError::Minor);
        }
        Ok(date)
    }

    /// Age in whole years on `day`.
    pub fn age_on(&self, (year, month, day): (i64, u32, u32)) -> i64 {
        let had_birthday = (month, day) >= (self.month, self.day);
        year - self.year - i64::from(!had_birthday)
    }

    /// `YYYY-MM-DD`.
    pub fn to_iso(&self) -> String {
        let mut out = String::with_capacity(10);
        for (n, width) in [(self.year.max(0) as u64, 4), (u64::from(self.month), 2), (u64::from(self.day), 2)]
        {
            if !out.is_empty() {
                out.push('-');
            }
            let mut digits = String::new();
            crate::json::push_uint(&mut digits, n);
            for _ in digits.len()..width {
                out.push('0');
            }
            out.push_str(&digits);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: (i64, u32, u32) = (2026, 11, 23);

    #[test]
    fn both_written_forms_are_read() {
        for typed in ["1990-01-31", "31.01.1990", "31/01/1990", " 31.1.1990 "] {
            assert_eq!(
                BirthDate::parse(typed, TODAY, 18).map(|d| d.to_iso()),
                Ok("1990-01-31".into()),
                "{typed}"
            );
        }
    }

    #[test]
    fn impossible_future_and_implausible_dates_are_refused() {
        for (typed, error) in [
            ("", BirthDateError::Empty),
            ("31-01-1990", BirthDateError::Format),
            ("1990/01", BirthDateError::Format),
            ("90.01.31", BirthDateError::Format),
            ("30.02.1990", BirthDateError::Impossible),
            ("29.02.2001", BirthDateError::Impossible),
            ("00.01.1990", BirthDateError::Impossible),
            ("24.11.2026", BirthDateError::Future),
            ("01.01.1900", BirthDateError::TooOld),
        ] {
            assert_eq!(BirthDate::parse(typed, TODAY, 0), Err(error), "{typed}");
        }
        assert!(BirthDate::parse("29.02.2000", TODAY, 0).is_ok());
    }

    #[test]
    fn minimum_age_counts_whole_years_to_the_day() {
        assert!(BirthDate::parse("23.11.2008", TODAY, 18).is_ok(), "18 today");
        assert_eq!(BirthDate::parse("24.11.2008", TODAY, 18), Err(BirthDateError::Minor), "18 tomorrow");
        assert!(BirthDate::parse("24.11.2008", TODAY, 14).is_ok());
    }
}
