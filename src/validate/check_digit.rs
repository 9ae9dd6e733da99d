//! The mod-11 check digit shared by the IIN and the BIN.

/// Weights of the first pass.
const FIRST: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/// Weights of the second pass, used when the first gives 10.
const SECOND: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit of the first 11 digits, or `None` when both passes give 10 (no valid number
/// has these 11 digits).
pub fn compute(digits: &[u8; 11]) -> Option<u8> {
    let pass = |weights: &[u32; 11]| -> u32 {
        digits.iter().zip(weights).map(|(d, w)| u32::from(*d) * w).sum::<u32>() % 11
    };
    let first = pass(&FIRST);
    let check = if first == 10 { pass(&SECOND) } else { first };
    (check != 10).then_some(check as u8)
}

/// Reads exactly 12 ASCII digits into their values.
pub fn twelve_digits(s: &str) -> Option<[u8; 12]> {
    let bytes = s.as_bytes();
    if bytes.len() != 12 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut out = [0u8; 12];
    for (o, b) in out.iter_mut().zip(bytes) {
        *o = b - b'0';
    }
    Some(out)
}

/// Whether the last of the 12 digits is the check digit of the other 11.
pub fn matches(digits: &[u8; 12]) -> bool {
    let mut head = [0u8; 11];
    head.copy_from_slice(&digits[..11]);
    compute(&head) == Some(digits[11])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_bins_pass() {
        for bin in ["980540000397", "220240037922"] {
            assert!(matches(&twelve_digits(bin).unwrap()), "{bin}");
        }
    }

    #[test]
    fn second_pass_is_used_when_the_first_gives_ten() {
        // Find digits whose first pass is 10 and check the second pass decides.
        let digits = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0];
        // first pass: 1*10 = 10 -> second pass: 1*1 = 1
        assert_eq!(compute(&digits), Some(1));
    }

    #[test]
    fn a_changed_digit_breaks_the_check() {
        let mut d = twelve_digits("980540000397").unwrap();
        d[11] = 8;
        assert!(!matches(&d));
    }

    #[test]
    fn only_twelve_ascii_digits_are_read() {
        assert!(twelve_digits("98054000039").is_none());
        assert!(twelve_digits("98054000039x").is_none());
        assert!(twelve_digits("９８０５４０００００３９７").is_none());
    }
}
