//! Form fields kelisim checks, each a parser returning a typed value or a typed error, and the one
//! entry point the browser calls: [`check`], which also gives the normalized value.

use crate::prelude::*;

pub mod bin;
pub mod birth_date;
pub mod check_digit;
mod code;
pub mod email;
pub mod iin;
pub mod messages;
pub mod name;
pub mod phone;
pub mod postcode;
pub mod url;

pub use code::Code;

/// The kinds of field a form binds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Individual identification number.
    Iin,
    /// Business identification number.
    Bin,
    /// Kazakhstani phone number.
    Phone,
    /// E-mail address.
    Email,
    /// Surname or given name.
    Name,
    /// Patronymic: a name that may be left empty.
    Patronymic,
    /// Postcode, old or new.
    Postcode,
    /// Date of birth.
    BirthDate,
}

impl FieldKind {
    /// Reads a kind as configs and `validateField` name it.
    pub fn parse(s: &str) -> Option<FieldKind> {
        Some(match s {
            "iin" => FieldKind::Iin,
            "bin" => FieldKind::Bin,
            "phone" => FieldKind::Phone,
            "email" => FieldKind::Email,
            "name" | "surname" | "givenName" => FieldKind::Name,
            "patronymic" => FieldKind::Patronymic,
            "postcode" => FieldKind::Postcode,
            "birthDate" => FieldKind::BirthDate,
            _ => return None,
        })
    }
}

/// What a check may depend on besides the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// Today's date, for birth dates.
    pub today: (i64, u32, u32),
    /// Minimum age in whole years for a date of birth (0: no minimum).
    pub minimum_age: u32,
    /// Whether a phone field takes fixed lines as well as mobiles.
    pub allow_landline: bool,
}

/// The outcome of checking one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Whether the value may be submitted.
    pub valid: bool,
    /// [`Code::Ok`], an error such as `iin.checkDigit`, or a warning on a valid value
    /// (`iin.unusualDate`, `birthDate.minorWarning`).
    pub code: Code,
    /// The value as it should be stored (E.164 phone, 12-digit IIN, …); the input if invalid.
    pub normalized: String,
}

fn verdict<T>(value: &str, parsed: Result<T, Code>, normalize: impl FnOnce(&T) -> String) -> Verdict {
    match parsed {
        Ok(v) => Verdict { valid: true, code: Code::Ok, normalized: normalize(&v) },
        Err(code) => Verdict { valid: false, code, normalized: value.to_owned() },
    }
}

/// Checks `value` as a field of `kind`.
pub fn check(kind: FieldKind, value: &str, rules: &Rules) -> Verdict {
    match kind {
        FieldKind::Iin => {
            let mut v =
                verdict(value, iin::Iin::parse(value).map_err(|e| e.code()), |i| i.as_str().to_owned());
            if v.valid && iin::Iin::parse(value).is_ok_and(|i| i.has_unusual_date()) {
                v.code = Code::IinUnusualDate;
            }
            v
        }
        FieldKind::Bin => {
            verdict(value, bin::Bin::parse(value).map_err(|e| e.code()), |b| b.as_str().to_owned())
        }
        FieldKind::Phone => {
            verdict(value, phone::Phone::parse(value, rules.allow_landline).map_err(|e| e.code()), |p| {
                p.e164().to_owned()
            })
        }
        FieldKind::Email => {
            verdict(value, email::Email::parse(value).map_err(|e| e.code()), |e| e.as_str().to_owned())
        }
        FieldKind::Name => {
            verdict(value, name::Name::parse(value).map_err(|e| e.code()), |n| n.as_str().to_owned())
        }
        FieldKind::Patronymic if value.trim().is_empty() => {
            Verdict { valid: true, code: Code::Ok, normalized: String::new() }
        }
        FieldKind::Patronymic => {
            verdict(value, name::Name::parse(value).map_err(|e| e.code()), |n| n.as_str().to_owned())
        }
        FieldKind::Postcode => {
            verdict(value, postcode::Postcode::parse(value).map_err(|e| e.code()), |p| p.as_str().to_owned())
        }
        FieldKind::BirthDate => {
            let parsed =
                birth_date::BirthDate::parse(value, rules.today, rules.minimum_age).map_err(|e| e.code());
            let mut v = verdict(value, parsed, |d| d.to_iso());
            let minor =
                birth_date::BirthDate::parse(value, rules.today, 0).is_ok_and(|d| d.age_on(rules.today) < 18);
            if v.valid && minor {
                v.code = Code::BirthDateMinorWarning;
            }
            v
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
