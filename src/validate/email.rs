//! E-mail addresses, checked pragmatically (no regex engine): a sensible local part, an `@`, and a
//! domain of dot-separated labels ending in a letters-only top-level domain, lower-cased.

use crate::concat::concat;
use crate::prelude::*;
use crate::validate::Code;

/// An e-mail address with its domain lower-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

/// Why a text is not an e-mail address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailError {
    /// Nothing was typed.
    Empty,
    /// No `@`, or more than one.
    At,
    /// The part before `@` is empty, too long, has spaces, or starts, ends or doubles a dot.
    Local,
    /// The part after `@` is not a domain such as `mail.kz`.
    Domain,
    /// Longer than 254 characters.
    TooLong,
}

impl EmailError {
    /// The stable error code.
    pub fn code(self) -> Code {
        match self {
            EmailError::Empty => Code::EmailEmpty,
            EmailError::At => Code::EmailAt,
            EmailError::Local => Code::EmailLocal,
            EmailError::Domain => Code::EmailDomain,
            EmailError::TooLong => Code::EmailTooLong,
        }
    }
}

/// ASCII letters and digits, or any non-ASCII character (internationalised addresses); checked
/// without Unicode tables, which would cost kilobytes of wasm for no practical gain here.
fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (!c.is_ascii()
            && !matches!(c, '\u{80}'..='\u{a0}' | '\u{2000}'..='\u{200f}' | '\u{2028}'..='\u{202f}' | '\u{3000}' | '\u{feff}'))
}

fn local_ok(local: &str) -> bool {
    let allowed = |c: char| word_char(c) || (c.is_ascii() && b"!#$%&'*+/=?^_`{|}~.-".contains(&(c as u8)));
    !local.is_empty()
        && local.len() <= 64
        && local.chars().all(allowed)
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.as_bytes().windows(2).any(|w| w == b"..")
}

fn domain_ok(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| word_char(c) || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let tld_ok = labels.last().is_some_and(|t| {
        t.chars().count() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic() || !c.is_ascii())
    });
    labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok
}

impl Email {
    /// Parses an address; surrounding spaces are dropped and the domain's ASCII letters are
    /// lower-cased.
    /// Internationalised domains and local parts (`почта@мысал.қаз`) are accepted.
    pub fn parse(s: &str) -> Result<Email, EmailError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.chars().count() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = match s.split_once('@') {
            Some((l, d)) if !d.contains('@') => (l, d),
            _ => return Err(EmailError::At),
        };
        if !local_ok(local) {
            return Err(EmailError::Local);
        }
        let domain = domain.to_ascii_lowercase();
        if !domain_ok(&domain) {
            return Err(EmailError::Domain);
        }
        Ok(Email(concat(&[local, "@", &domain])))
    }

    /// The address, domain lower-cased.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_pass_with_the_domain_lower_cased() {
        for (typed, normal) in [
            ("aigerim@mail.kz", "aigerim@mail.kz"),
            (" Aigerim.Nurlanqyzy@Mail.KZ ", "Aigerim.Nurlanqyzy@mail.kz"),
            ("d.kassym+loyalty@gmail.com", "d.kassym+loyalty@gmail.com"),
            ("info@batyser.kz", "info@batyser.kz"),
            ("айгерім@мысал.қаз", "айгерім@мысал.қаз"),
            ("a@b.co", "a@b.co"),
        ] {
            assert_eq!(Email::parse(typed).map(|e| e.0), Ok(normal.to_owned()), "{typed}");
        }
    }

    #[test]
    fn common_mistakes_are_named() {
        for (typed, error) in [
            ("", EmailError::Empty),
            ("aigerim.mail.kz", EmailError::At),
            ("a@b@mail.kz", EmailError::At),
            ("@mail.kz", EmailError::Local),
            (".aigerim@mail.kz", EmailError::Local),
            ("aig..erim@mail.kz", EmailError::Local),
            ("aig erim@mail.kz", EmailError::Local),
            ("aigerim@mail", EmailError::Domain),
            ("aigerim@mail.k", EmailError::Domain),
            ("aigerim@mail..kz", EmailError::Domain),
            ("aigerim@-mail.kz", EmailError::Domain),
            ("aigerim@mail.kz.", EmailError::Domain),
            ("aigerim@mail.123", EmailError::Domain),
            ("aigerim@mail,kz", EmailError::Domain),
        ] {
            assert_eq!(Email::parse(typed), Err(error), "{typed:?}");
        }
        let long = format!("{}@mail.kz", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }
}
