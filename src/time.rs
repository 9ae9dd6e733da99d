//! Calendar arithmetic for timestamps: Unix milliseconds to and from RFC 3339 UTC text.

use crate::prelude::*;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days in `month` of `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn push_padded(out: &mut String, n: u64, width: usize) {
    let mut digits = String::new();
    crate::json::push_uint(&mut digits, n);
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(&digits);
}

/// Kazakhstan keeps one time zone, UTC+5, since 1 March 2024.
const ASTANA_OFFSET_MS: i64 = 5 * 3_600_000;

/// `2026-11-23 03:05`: an RFC 3339 UTC time to the minute in Astana time, as receipts give it (the
/// text itself when it is not such a time).
pub fn astana_minutes(utc: &str) -> String {
    let Some(ms) = parse_rfc3339_utc(utc) else { return utc.to_owned() };
    let local = format_rfc3339_millis(ms + ASTANA_OFFSET_MS);
    let mut out = String::with_capacity(16);
    out.push_str(local.get(..10).unwrap_or(""));
    out.push(' ');
    out.push_str(local.get(11..16).unwrap_or(""));
    out
}

/// `2026-11-22T22:05:28.123Z` for a count of milliseconds since the Unix epoch (years 0–9999).
pub fn format_rfc3339_millis(unix_ms: i64) -> String {
    let days = unix_ms.div_euclid(86_400_000);
    let ms_of_day = unix_ms.rem_euclid(86_400_000) as u64;
    let (year, month, day) = civil_from_days(days);
    let mut out = String::with_capacity(24);
    push_padded(&mut out, year.clamp(0, 9999) as u64, 4);
    out.push('-');
    push_padded(&mut out, u64::from(month), 2);
    out.push('-');
    push_padded(&mut out, u64::from(day), 2);
    out.push('T');
    push_padded(&mut out, ms_of_day / 3_600_000, 2);
    out.push(':');
    push_padded(&mut out, ms_of_day / 60_000 % 60, 2);
    out.push(':');
    push_padded(&mut out, ms_of_day / 1000 % 60, 2);
    out.push('.');
    push_padded(&mut out, ms_of_day % 1000, 3);
    out.push('Z');
    out
}

/// The value of a run of ASCII digits (at most 9, so it fits).
fn number(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

/// Reads `YYYY-MM-DD` into (year, month, day) if it is a real date.
pub fn parse_date(s: &str) -> Option<(i64, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i64::from(number(&b[0..4])?);
    let month = number(&b[5..7])?;
    let day = number(&b[8..10])?;
    (day >= 1 && day <= days_in_month(year, month)).then_some((year, month, day))
}

/// Reads an RFC 3339 UTC timestamp `YYYY-MM-DDTHH:MM:SS[.fff]Z` into Unix milliseconds.
pub fn parse_rfc3339_utc(s: &str) -> Option<i64> {
    let (date, rest) = (s.get(..10)?, s.get(10..)?);
    let (year, month, day) = parse_date(date)?;
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix('t'))?;
    let rest = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z'))?;
    let (hms, frac) = match rest.split_once('.') {
        Some((hms, frac)) => (hms, Some(frac)),
        None => (rest, None),
    };
    let b = hms.as_bytes();
    if b.len() != 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (h, m, sec) = (number(&b[0..2])?, number(&b[3..5])?, number(&b[6..8])?);
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    let millis = match frac {
        Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|c| c.is_ascii_digit()) => {
            let padded: Vec<u8> = f.bytes().chain(core::iter::repeat(b'0')).take(3).collect();
            i64::from(number(&padded)?)
        }
        Some(_) => return None,
        None => 0,
    };
    let days = days_from_civil(year, month, day);
    Some(((days * 24 + i64::from(h)) * 60 + i64::from(m)) * 60_000 + i64::from(sec) * 1000 + millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn astana_time_is_five_hours_ahead_across_a_new_year() {
        assert_eq!(astana_minutes("2026-12-31T19:05:28.123Z"), "2027-01-01 00:05");
        assert_eq!(astana_minutes("2026-11-22T12:00:00.000Z"), "2026-11-22 17:00");
        assert_eq!(astana_minutes("yesterday"), "yesterday");
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_rfc3339_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_rfc3339_millis(1_795_385_128_123), "2026-11-22T22:05:28.123Z");
        assert_eq!(format_rfc3339_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn parse_inverts_format_across_centuries() {
        let mut t = -2_208_988_800_000i64; // 1900-01-01
        while t < 4_102_444_800_000 {
            let text = format_rfc3339_millis(t);
            assert_eq!(parse_rfc3339_utc(&text), Some(t), "{text}");
            t += 86_399_917 * 7;
        }
    }

    #[test]
    fn refuses_impossible_dates_and_times() {
        for bad in [
            "2026-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-22T24:00:00Z",
            "2026-11-22 22:05:28Z",
            "2026-11-22T22:05:28+05:00",
            "2026-11-22T22:05:28.Z",
            "2026-11-22",
            "",
        ] {
            assert_eq!(parse_rfc3339_utc(bad), None, "{bad}");
        }
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("1900-02-29"), None);
    }
}
