//! One-time codes: six digits from the OS random source, stored only as a salted SHA-256, and
//! compared in constant time.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Digits in a code.
pub const DIGITS: usize = 6;

/// A fresh code, the salt its hash is made with, and that hash (hex): what is sent, and what is kept.
pub struct Fresh {
    pub code: String,
    pub salt: String,
    pub hash: String,
}

/// A new code, or why the OS random source could not give one.
pub fn fresh() -> Result<Fresh, String> {
    // 2^64 is not a multiple of 10^6; the bias this leaves is under one part in 10^13.
    let n = getrandom::u64().map_err(|e| format!("the OS random source failed: {e}"))? % 1_000_000;
    let code = format!("{n:06}");
    let salt = hex(&random_bytes::<16>()?);
    let hash = hash(&salt, &code);
    Ok(Fresh { code, salt, hash })
}

/// `N` bytes from the OS random source.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], String> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| format!("the OS random source failed: {e}"))?;
    Ok(bytes)
}

/// `hex(sha256(salt ":" code))`.
pub fn hash(salt: &str, code: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update(b":");
    hasher.update(code.as_bytes());
    hex(&hasher.finalize())
}

/// Whether `typed` hashes to `stored` with `salt`, compared in constant time.
pub fn matches(salt: &str, stored: &str, typed: &str) -> bool {
    hash(salt, typed).as_bytes().ct_eq(stored.as_bytes()).into()
}

/// Whether `typed` has the form of a code: exactly six ASCII digits.
pub fn is_code(typed: &str) -> bool {
    typed.len() == DIGITS && typed.bytes().all(|b| b.is_ascii_digit())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_code_is_six_digits_kept_only_as_a_salted_hash() {
        let a = fresh().unwrap();
        let b = fresh().unwrap();
        assert!(is_code(&a.code), "{}", a.code);
        assert_ne!(a.salt, b.salt);
        assert!(!a.hash.contains(&a.code) && a.hash.len() == 64);
        assert!(matches(&a.salt, &a.hash, &a.code));
        assert!(!matches(&b.salt, &a.hash, &a.code), "another salt, another hash");
        let wrong = format!("{:06}", (a.code.parse::<u32>().unwrap() + 1) % 1_000_000);
        assert!(!matches(&a.salt, &a.hash, &wrong));
    }

    #[test]
    fn only_six_ascii_digits_are_a_code() {
        for bad in ["12345", "1234567", "12345a", "١٢٣٤٥٦", " 12345", ""] {
            assert!(!is_code(bad), "{bad}");
        }
        assert!(is_code("012345"));
    }
}
