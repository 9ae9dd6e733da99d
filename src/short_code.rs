//! A record's receipt code: 8 characters a visitor can read out to a call centre, derived from the
//! record id so the browser and the collector agree without asking each other.

use crate::prelude::*;

/// The 32 symbols a code is written in: no `0`, `1`, `I` or `O`, which are read for each other.
pub const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Characters in a code.
pub const LEN: usize = 8;

/// The receipt code of `record_id`: the first 40 bits of SHA-256 of the id, 5 bits per symbol.
/// Codes are a lookup key, not an id: about one in a million pairs of records share one, so a
/// lookup may answer more than one entry.
pub fn of(record_id: &str) -> String {
    let digest = crate::sha256::digest(record_id.as_bytes());
    let mut bits = digest[..5].iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let mut out = [0u8; LEN];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(bits & 31) as usize];
        bits >>= 5;
    }
    out.iter().map(|b| char::from(*b)).collect()
}

/// A code as a person typed it, read back: case, spaces and hyphens do not matter, and the
/// Cyrillic letters that look like Latin ones (a keyboard left in Russian or Kazakh) count as them.
/// `None` when it is not 8 symbols of [`ALPHABET`].
pub fn normalize(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(LEN);
    for c in typed.chars() {
        if c == ' ' || c == '-' {
            continue;
        }
        let latin = match c.to_uppercase().next().unwrap_or(c) {
            'А' => 'A',
            'В' => 'B',
            'С' => 'C',
            'Е' => 'E',
            'Н' => 'H',
            'К' => 'K',
            'М' => 'M',
            'Р' => 'P',
            'Т' => 'T',
            'Х' => 'X',
            'У' | 'Ү' => 'Y',
            other => other,
        };
        if !latin.is_ascii() || !ALPHABET.contains(&(latin as u8)) {
            return None;
        }
        out.push(latin);
    }
    (out.len() == LEN).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_eight_symbols_of_the_alphabet_and_stable() {
        let id = "0f8e2b1c-3d4a-4b5c-8d6e-7f8091a2b3c4";
        let code = of(id);
        assert_eq!(code.len(), LEN);
        assert!(code.bytes().all(|b| ALPHABET.contains(&b)));
        assert_eq!(code, of(id));
        assert_ne!(code, of("0f8e2b1c-3d4a-4b5c-8d6e-7f8091a2b3c5"));
    }

    #[test]
    fn the_code_is_the_first_forty_bits_of_the_ids_hash() {
        // SHA-256("abc") starts ba 78 16 bf 8f: 10111 01001 11100 00001 01101 01111 11100 01111.
        let expected: String =
            [23, 9, 28, 1, 13, 15, 28, 15].iter().map(|&i| char::from(ALPHABET[i])).collect();
        assert_eq!(of("abc"), expected);
    }

    #[test]
    fn typed_codes_are_read_back_whatever_the_keyboard() {
        let code = of("0f8e2b1c-3d4a-4b5c-8d6e-7f8091a2b3c4");
        let spaced = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
        assert_eq!(normalize(&spaced).as_deref(), Some(code.as_str()));
        assert_eq!(normalize("АВСЕ НКМР").as_deref(), Some("ABCEHKMP"));
        assert_eq!(normalize("abcd efgh").as_deref(), Some("ABCDEFGH"));
    }

    #[test]
    fn anything_else_is_not_a_code() {
        for typed in ["", "ABCDEFG", "ABCDEFGHJ", "ABCDEFG0", "ABCDEFGI", "ABCDEFG1", "ABCDЖFGH", "ABCD_EFG"]
        {
            assert_eq!(normalize(typed), None, "{typed}");
        }
    }
}
