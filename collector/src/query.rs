//! The export's query string: `from` and `to`, each at most once, RFC 3339 UTC, nothing else
//! (`to` before `from` is an empty range, not an error).

/// A bound on `receivedAt`, normalized to RFC 3339 UTC with milliseconds; `None` for no bound.
pub type Bound = Option<String>;

/// The offending parameter and why.
pub type QueryError = (String, String);

/// `(from, to)` normalized for comparison with `receivedAt`.
pub fn time_range(query: &str) -> Result<(Bound, Bound), QueryError> {
    let (mut from, mut to) = (None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (field, slot) = match name {
            "from" => ("from", &mut from),
            "to" => ("to", &mut to),
            _ => {
                let unknown = format!("unknown query parameter {name:?}; the export takes from and to");
                // The field names the parameter; one without a name is named by the whole pair.
                let field = percent_decode(name).filter(|n| !n.is_empty()).unwrap_or_else(|| pair.to_owned());
                return Err((field, unknown));
            }
        };
        let fail = |why: String| (field.to_owned(), why);
        if slot.is_some() {
            return Err(fail(format!("{field} is given twice")));
        }
        let value =
            percent_decode(value).ok_or_else(|| fail(format!("{field} is not valid percent-encoding")))?;
        *slot = Some(crate::cli::time(&value).map_err(|e| fail(format!("{field}: {e}")))?);
    }
    Ok((from, to))
}

/// Decodes `%XX` escapes and `+` (a space in a query); `None` for a broken escape or non-UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'%' => {
                let hex = [bytes.next()?, bytes.next()?];
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                out.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
            }
            b'+' => out.push(b' '),
            _ => out.push(b),
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_bounds_are_optional_and_normalized() {
        assert_eq!(time_range(""), Ok((None, None)));
        assert_eq!(
            time_range("from=2026-01-01T00%3A00%3A00Z&to=2026-02-01T00:00:00.5Z"),
            Ok((Some("2026-01-01T00:00:00.000Z".into()), Some("2026-02-01T00:00:00.500Z".into())))
        );
    }

    #[test]
    fn bad_queries_name_the_parameter() {
        assert_eq!(time_range("from=yesterday").unwrap_err().0, "from");
        assert_eq!(time_range("from=2026-01-01T00%3+0Z").unwrap_err().0, "from");
        assert_eq!(time_range("to=2026-13-01T00:00:00Z").unwrap_err().0, "to");
        assert_eq!(time_range("from=2026-01-01T00:00:00Z&from=2026-01-02T00:00:00Z").unwrap_err().0, "from");
        assert_eq!(time_range("limit=5").unwrap_err().0, "limit");
        assert_eq!(time_range("from=2026-01-01T00:00:00Z%+1").unwrap_err().0, "from");
        assert!(time_range("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z").is_ok(), "an empty range");
        assert_eq!(time_range("from=%zz").unwrap_err().0, "from");
        assert_eq!(time_range("=true").unwrap_err().0, "=true", "a parameter without a name");
    }
}
