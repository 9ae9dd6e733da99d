//! Real BINs published by Kazakhstani organisations (tests/data/real-bins.tsv, with sources):
//! each one marked as passing parses; the few printed with a wrong check digit are refused.

use kelisim::validate::bin::{Bin, BinError};

#[test]
fn published_bins_are_judged_as_their_check_digit_says() {
    let table = include_str!("data/real-bins.tsv");
    let (mut passing, mut failing) = (0, 0);
    for line in table.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "malformed row: {line}");
        let (bin, organisation, passes) = (cols[0], cols[1], cols[3]);
        match passes {
            "yes" => {
                assert_eq!(
                    Bin::parse(bin).map(|b| b.as_str().to_owned()),
                    Ok(bin.to_owned()),
                    "{organisation}"
                );
                passing += 1;
            }
            "no" => {
                assert_eq!(Bin::parse(bin), Err(BinError::CheckDigit), "{organisation}");
                failing += 1;
            }
            other => panic!("passes_check must be yes or no, not {other}"),
        }
    }
    assert!(passing >= 30, "only {passing} real BINs");
    assert!(failing >= 1);
}
