//! Record identifiers: random version-4 UUIDs made on the client, so retries are idempotent.

use crate::prelude::*;

/// Formats 16 random bytes as a version-4 UUID, `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0xf)] as char);
    }
    out
}

/// Whether `s` is a version-4 UUID (version nibble 4, RFC 4122 variant) in canonical lower-case
/// hyphenated form, as [`uuid_v4`] makes them.
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            14 => b == b'4',
            19 => matches!(b, b'8' | b'9' | b'a' | b'b'),
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_version_and_variant_bits() {
        let id = uuid_v4([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert!(is_uuid(&id));
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn only_canonical_uuids_are_accepted() {
        assert!(!is_uuid("FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF"));
        assert!(!is_uuid("ffffffffffff4fffbfffffffffffffff"));
        assert!(!is_uuid("ffffffff-ffff-4fff-bfff-fffffffffff"));
        assert!(!is_uuid("gfffffff-ffff-4fff-bfff-ffffffffffff"));
    }

    #[test]
    fn only_version_4_with_the_rfc_4122_variant_is_accepted() {
        assert!(is_uuid("5f0c2a9e-3b1d-4c6e-8f7a-0d9b8c7e6f5a"));
        assert!(!is_uuid("5f0c2a9e-3b1d-1c6e-8f7a-0d9b8c7e6f5a"), "version 1");
        assert!(!is_uuid("5f0c2a9e-3b1d-7c6e-8f7a-0d9b8c7e6f5a"), "version 7");
        assert!(!is_uuid("5f0c2a9e-3b1d-4c6e-cf7a-0d9b8c7e6f5a"), "Microsoft variant");
        assert!(!is_uuid("00000000-0000-0000-0000-000000000000"), "the nil UUID");
    }
}
