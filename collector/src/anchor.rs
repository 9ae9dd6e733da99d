//! Anchors: a chain head (seq and hash) written down outside the ledger — in a report to the
//! regulator, a ticket, an e-mail — so that a later `verify` proves the ledger up to it is unchanged,
//! even against someone who rewrites the whole file and its recorded head.

use crate::store::Entry;

/// A seq and the hash the row at that seq had when the anchor was taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
}

impl Anchor {
    /// Reads `SEQ:HASH`, as `verify` prints it.
    pub fn parse(value: &str) -> Result<Anchor, String> {
        let bad =
            || format!("--anchor {value}: expected SEQ:HASH as verify prints it, e.g. 42:<64 hex digits>");
        let (seq, hash) = value.split_once(':').ok_or_else(bad)?;
        let seq: i64 = seq.parse().ok().filter(|s| *s >= 1).ok_or_else(bad)?;
        let hex = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !hex {
            return Err(bad());
        }
        Ok(Anchor { seq, hash: hash.to_owned() })
    }

    /// The anchor of a row.
    pub fn of(entry: &Entry) -> Anchor {
        Anchor { seq: entry.seq, hash: entry.hash.clone() }
    }

    /// Whether the row the ledger holds at this seq (if any) is the anchored one; why not, if not.
    pub fn check(&self, row: Option<&Entry>) -> Result<(), String> {
        match row {
            Some(e) if e.seq == self.seq && e.hash == self.hash => Ok(()),
            Some(e) if e.seq == self.seq => Err(format!(
                "seq {}: hash differs from the anchor (the ledger was rewritten up to this row)",
                self.seq
            )),
            _ => Err(format!("seq {}: the anchored row is not in the ledger (rows were removed)", self.seq)),
        }
    }
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(seq: i64, hash: &str) -> Entry {
        Entry {
            seq,
            received_at: "2026-12-01T00:00:00.000Z".into(),
            text_check: "match".into(),
            decision_check: "consistent".into(),
            decision_findings: "[]".into(),
            body: "{}".into(),
            prev_hash: "0".repeat(64),
            hash: hash.into(),
            ..Entry::default()
        }
    }

    #[test]
    fn an_anchor_reads_back_from_what_it_prints() {
        let anchor = Anchor::of(&row(42, &"ab".repeat(32)));
        assert_eq!(Anchor::parse(&anchor.to_string()), Ok(anchor));
        let bad =
            ["42".to_owned(), format!("0:{}", "a".repeat(64)), "x:y".into(), format!("3:{}", "A".repeat(64))];
        for bad in bad {
            assert!(Anchor::parse(&bad).unwrap_err().contains("SEQ:HASH"), "{bad}");
        }
    }

    #[test]
    fn only_the_same_row_at_the_same_seq_holds() {
        let anchor = Anchor { seq: 2, hash: "a".repeat(64) };
        assert_eq!(anchor.check(Some(&row(2, &"a".repeat(64)))), Ok(()));
        assert!(anchor.check(Some(&row(2, &"b".repeat(64)))).unwrap_err().contains("rewritten"));
        assert!(anchor.check(None).unwrap_err().contains("removed"));
    }
}
