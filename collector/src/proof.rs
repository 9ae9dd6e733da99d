//! The chain's state as proof: every link walked, the head to write down, and whether an anchor
//! written down earlier still holds. `verify` prints it; the console shows it.

use serde::Serialize;

use crate::anchor::Anchor;
use crate::store::{Entry, Ledger, Range, StoreError, Verdict};

/// What a walk of the whole chain found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Proof {
    /// Every link holds (and the anchor, when one was given).
    pub intact: bool,
    /// Rows walked before the end or the first broken link.
    pub records: u64,
    /// The head as `SEQ:HASH`, to keep outside the ledger; `null` for an empty or broken ledger.
    pub head: Option<String>,
    /// The first broken link, `seq N: why`.
    pub broken: Option<String>,
    /// The anchor given, and whether the ledger still holds its row.
    pub anchor: Option<AnchorCheck>,
}

/// An anchor held against the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnchorCheck {
    /// The anchor, `SEQ:HASH`.
    pub anchor: String,
    /// The row at its seq is the anchored one.
    pub holds: bool,
    /// Why not, when it does not.
    pub why: Option<String>,
}

/// Walks the chain of `ledger` and holds `anchor` against it.
pub fn prove(ledger: &dyn Ledger, anchor: Option<&Anchor>) -> Result<Proof, StoreError> {
    let records = match ledger.verify()? {
        Verdict::Intact { records } => records,
        Verdict::Broken(broken) => {
            let records = u64::try_from(broken.seq.saturating_sub(1)).unwrap_or(0);
            return Ok(Proof {
                intact: false,
                records,
                head: None,
                broken: Some(broken.to_string()),
                anchor: None,
            });
        }
    };
    let head = row_at(ledger, i64::try_from(records).unwrap_or(i64::MAX))?;
    let anchor = match anchor {
        Some(anchor) => {
            let why = anchor.check(row_at(ledger, anchor.seq)?.as_ref()).err();
            Some(AnchorCheck { anchor: anchor.to_string(), holds: why.is_none(), why })
        }
        None => None,
    };
    let intact = anchor.as_ref().is_none_or(|a| a.holds);
    Ok(Proof { intact, records, head: head.map(|e| Anchor::of(&e).to_string()), broken: None, anchor })
}

/// The row at `seq`, if the ledger holds one.
pub fn row_at(ledger: &dyn Ledger, seq: i64) -> Result<Option<Entry>, StoreError> {
    let range = Range { from: None, to: None, after_seq: seq - 1, limit: 1 };
    Ok(ledger.range(&range)?.into_iter().next().filter(|e| e.seq == seq))
}
