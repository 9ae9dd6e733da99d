//! Any bytes as a iin field: no panic, and a value found valid normalizes to a fixed point.
#![no_main]

use kelisim::validate::{check, FieldKind, Rules};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for allow_landline in [false, true] {
        let rules = Rules { today: (2026, 11, 23), minimum_age: 18, allow_landline };
        let verdict = check(FieldKind::Iin, text, &rules);
        if verdict.valid {
            let again = check(FieldKind::Iin, &verdict.normalized, &rules);
            assert!(again.valid, "{text:?} -> {:?} is no longer valid", verdict.normalized);
            assert_eq!(again.normalized, verdict.normalized);
        }
    }
});
