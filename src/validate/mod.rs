//! Parsers for the identifiers and addresses kelisim checks: each returns a typed value or a typed error.

pub mod bin;
pub mod check_digit;
pub mod url;
