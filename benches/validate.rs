//! Benchmark: checking a whole 10-field signup form (names, IIN, BIN, birth date, phones, e-mail,
//! postcode), natively. Prints the median time per form over repeated batches. Run with
//! `cargo xtask bench`; figures go in the README, never into a test's assertion.

use kelisim::validate::{check, FieldKind, Rules};
use std::hint::black_box;
use std::time::Instant;

const FORM: [(FieldKind, &str); 10] = [
    (FieldKind::Name, "Нұрланқызы"),
    (FieldKind::Name, "Әлия"),
    (FieldKind::Patronymic, "Серікқызы"),
    (FieldKind::Iin, "910312400121"),
    (FieldKind::Bin, "980540000397"),
    (FieldKind::BirthDate, "12.03.1991"),
    (FieldKind::Phone, "8 (701) 234-56-78"),
    (FieldKind::Phone, "+7 (727) 350 06 06"),
    (FieldKind::Email, "Aliya.Nurlanqyzy@Mail.KZ"),
    (FieldKind::Postcode, "а15 с9к0"),
];

fn main() {
    let rules = Rules { today: (2026, 11, 23), minimum_age: 18, allow_landline: true };
    let form = || {
        let mut valid = 0;
        for (kind, value) in FORM {
            valid += usize::from(check(kind, black_box(value), &rules).valid);
        }
        valid
    };
    assert_eq!(form(), 10, "every field of the sample form is valid");
    const PER_BATCH: u32 = 2_000;
    let mut per_form_ns: Vec<f64> = (0..31)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..PER_BATCH {
                black_box(form());
            }
            start.elapsed().as_nanos() as f64 / f64::from(PER_BATCH)
        })
        .collect();
    per_form_ns.sort_by(f64::total_cmp);
    let (min, median, max) = (per_form_ns[0], per_form_ns[15], per_form_ns[30]);
    println!(
        "validate a 10-field form: median {:.2} µs (min {:.2}, max {:.2}) over 31 batches of {PER_BATCH}",
        median / 1e3,
        min / 1e3,
        max / 1e3
    );
}
