//! Which links kelisim will show or call: absolute http(s) only.

/// Whether `s` is an absolute `http://` or `https://` URL with a host and no whitespace.
pub fn is_http(s: &str) -> bool {
    let scheme_len = match s.as_bytes() {
        [h, t1, t2, p, s, b':', b'/', b'/', ..] if b"https".eq_ignore_ascii_case(&[*h, *t1, *t2, *p, *s]) => {
            8
        }
        [h, t1, t2, p, b':', b'/', b'/', ..] if b"http".eq_ignore_ascii_case(&[*h, *t1, *t2, *p]) => 7,
        _ => return false,
    };
    // The scheme is ASCII, so `scheme_len` is a character boundary.
    let rest = s.get(scheme_len..).unwrap_or("");
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty() && !host.starts_with(':') && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::is_http;

    #[test]
    fn only_absolute_http_urls_pass() {
        for ok in ["https://beeline.kz/policy", "http://a.kz", "HTTPS://X.KZ/a?b#c"] {
            assert!(is_http(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "//beeline.kz",
            "/policy",
            "ftp://x.kz",
            "https://",
            "https:///x",
            "https://a b.kz",
            "data:text/html,x",
            "https://:80/x",
            "",
        ] {
            assert!(!is_http(bad), "{bad}");
        }
    }
}
