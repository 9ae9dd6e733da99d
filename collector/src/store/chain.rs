//! The hash chain: how a row's hash is made, and a walk over the rows that finds the first broken link.

use kelisim::json::Json;

use crate::confirm::check::ConfirmationCheck;
use crate::decision::DecisionCheck;

/// The `prev_hash` of the first row: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The columns of a row that its hash covers, besides the previous row's hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hashed<'a> {
    pub seq: i64,
    pub received_at: &'a str,
    pub text_check: &'a str,
    pub decision_check: &'a str,
    pub decision_findings: &'a str,
    /// The confirmation check and its reason (`""` when verified); `None` for a row without one.
    pub confirmation: Option<(&'a str, &'a str)>,
    pub body: &'a str,
}

/// `sha256_hex(prevHash \n seq \n receivedAt \n textCheck \n decisionCheck \n decisionFindings \n body)`,
/// and for a row with a confirmation check `... decisionFindings \n confirmationCheck \n
/// confirmationReason \n body`: a row without one hashes as in schema 3. None of the parts can hold
/// a line feed (the JSON ones are compact), so the lines cannot be shifted, and a body starts with
/// `{`, which no check does.
pub fn link_hash(prev_hash: &str, row: &Hashed<'_>) -> String {
    let mut text =
        String::with_capacity(prev_hash.len() + row.body.len() + row.decision_findings.len() + 100);
    let seq = row.seq.to_string();
    for part in [prev_hash, &seq, row.received_at, row.text_check, row.decision_check, row.decision_findings]
    {
        text.push_str(part);
        text.push('\n');
    }
    if let Some((check, reason)) = row.confirmation {
        for part in [check, reason] {
            text.push_str(part);
            text.push('\n');
        }
    }
    text.push_str(row.body);
    kelisim::canonical::sha256_hex(text.as_bytes())
}

/// The columns of a ledger row, in table order (both backends).
pub const COLUMNS: [&str; 17] = [
    "seq",
    "record_id",
    "received_at",
    "subject_ref",
    "policy_id",
    "policy_version",
    "kind",
    "text_check",
    "decision_check",
    "decision_findings",
    "body",
    "prev_hash",
    "hash",
    "confirmation_id",
    "confirmation_check",
    "confirmation_reason",
    "receipt_code",
];

/// The columns an `Entry` is read from, in the order the backends read them; `record_id` ninth.
pub const ENTRY_COLUMNS: &str = "seq, received_at, text_check, decision_check, decision_findings, body, \
     prev_hash, hash, record_id, confirmation_id, confirmation_check, confirmation_reason, receipt_code";

/// The head (last seq and its hash) as `meta` stores it: text, not yet trusted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredHead {
    pub seq: Option<String>,
    pub hash: Option<String>,
}

impl StoredHead {
    /// The head; `None` if none was recorded; why not, if `seq` is not a number.
    pub fn parse(self) -> Result<Option<(i64, String)>, String> {
        match (self.seq, self.hash) {
            (Some(seq), Some(hash)) => match seq.parse() {
                Ok(seq) => Ok(Some((seq, hash))),
                Err(_) => Err("the ledger head in the meta table is not a number (it was edited)".into()),
            },
            _ => Ok(None),
        }
    }
}

/// One row as read back for verification, every column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub seq: i64,
    pub record_id: String,
    pub received_at: String,
    pub subject_ref: String,
    pub policy_id: String,
    pub policy_version: String,
    pub kind: String,
    pub text_check: String,
    pub decision_check: String,
    pub decision_findings: String,
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
    pub confirmation_id: Option<String>,
    pub confirmation_check: Option<String>,
    pub confirmation_reason: Option<String>,
    pub receipt_code: String,
}

impl Row {
    /// A row read column by column in [`COLUMNS`] order: `seq` is column 0, `column(i)` reads text
    /// column `i` (`Some(None)` for NULL); a column of the wrong type is a broken link.
    pub fn read(seq: Option<i64>, column: impl Fn(usize) -> Option<Option<String>>) -> Result<Row, Broken> {
        let seq = seq.ok_or_else(|| Broken { seq: 0, why: "column seq is not an integer".into() })?;
        let wrong = |i: usize| Broken { seq, why: format!("column {} is not text", COLUMNS[i]) };
        let optional = |i: usize| column(i).ok_or_else(|| wrong(i));
        let text = |i: usize| optional(i)?.ok_or_else(|| wrong(i));
        Ok(Row {
            seq,
            record_id: text(1)?,
            received_at: text(2)?,
            subject_ref: text(3)?,
            policy_id: text(4)?,
            policy_version: text(5)?,
            kind: text(6)?,
            text_check: text(7)?,
            decision_check: text(8)?,
            decision_findings: text(9)?,
            body: text(10)?,
            prev_hash: text(11)?,
            hash: text(12)?,
            confirmation_id: optional(13)?,
            confirmation_check: optional(14)?,
            confirmation_reason: optional(15)?,
            receipt_code: text(16)?,
        })
    }

    /// The hashed part of the row.
    fn hashed(&self) -> Hashed<'_> {
        Hashed {
            seq: self.seq,
            received_at: &self.received_at,
            text_check: &self.text_check,
            decision_check: &self.decision_check,
            decision_findings: &self.decision_findings,
            confirmation: self
                .confirmation_check
                .as_deref()
                .map(|check| (check, self.confirmation_reason.as_deref().unwrap_or(""))),
            body: &self.body,
        }
    }
}

/// The first broken link: the row's seq and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    /// The seq at which the chain breaks.
    pub seq: i64,
    /// Why, in English.
    pub why: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "seq {}: {}", self.seq, self.why)
    }
}

/// The outcome of walking the whole chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every link holds.
    Intact {
        /// How many rows were checked.
        records: u64,
    },
    /// The first link that does not.
    Broken(Broken),
}

/// A walk over the rows in seq order.
pub struct Walk {
    next_seq: i64,
    prev_hash: String,
}

impl Default for Walk {
    fn default() -> Walk {
        Walk::new()
    }
}

impl Walk {
    pub fn new() -> Walk {
        Walk { next_seq: 1, prev_hash: GENESIS.to_owned() }
    }

    /// Checks the next row: its seq, its link to the previous row, its hash, and its columns.
    pub fn step(&mut self, row: &Row) -> Result<(), Broken> {
        let broken = |seq: i64, why: String| Err(Broken { seq, why });
        if row.seq > self.next_seq {
            return broken(
                self.next_seq,
                format!("missing: the next row is seq {} (a row was deleted)", row.seq),
            );
        }
        if row.seq != self.next_seq {
            return broken(row.seq, format!("out of order: expected seq {}", self.next_seq));
        }
        if row.prev_hash != self.prev_hash {
            return broken(
                row.seq,
                match row.seq {
                    1 => "prev_hash of the first row is not 64 zeros".to_owned(),
                    n => format!(
                        "prev_hash does not match the hash of seq {} (rows were moved or replaced)",
                        n - 1
                    ),
                },
            );
        }
        if link_hash(&row.prev_hash, &row.hashed()) != row.hash {
            return broken(row.seq, "hash does not match the row's contents (the row was edited)".to_owned());
        }
        if super::TextCheck::parse(&row.text_check).is_none() {
            return broken(row.seq, "column text_check is not match, mismatch or unregistered".to_owned());
        }
        if DecisionCheck::parse(&row.decision_check, &row.decision_findings).is_none() {
            return broken(
                row.seq,
                "columns decision_check and decision_findings are not a decision check this collector writes"
                    .to_owned(),
            );
        }
        let check = (row.confirmation_check.as_deref(), row.confirmation_reason.as_deref());
        if ConfirmationCheck::from_columns(check).is_none()
            || (row.confirmation_check.is_some() && row.confirmation_id.is_none())
        {
            return broken(
                row.seq,
                "columns confirmation_check and confirmation_reason are not a confirmation check this \
                 collector writes"
                    .to_owned(),
            );
        }
        if let Some(column) = column_mismatch(row) {
            return broken(row.seq, format!("column {column} does not match the record body"));
        }
        self.next_seq += 1;
        self.prev_hash.clone_from(&row.hash);
        Ok(())
    }

    /// The verdict after the last row, given the head as `meta` stores it.
    pub fn finish_stored(self, head: StoredHead) -> Verdict {
        match head.parse() {
            Ok(head) => self.finish(head),
            Err(why) => Verdict::Broken(Broken { seq: self.next_seq.max(2) - 1, why }),
        }
    }

    /// The verdict after the last row, given the head (last seq and hash) the ledger recorded.
    pub fn finish(self, head: Option<(i64, String)>) -> Verdict {
        let last = self.next_seq - 1;
        let broken = |seq: i64, why: String| Verdict::Broken(Broken { seq, why });
        match head {
            None if last == 0 => Verdict::Intact { records: 0 },
            None => broken(last, "the ledger head is missing from the meta table".to_owned()),
            Some((seq, _)) if seq > last => broken(
                last + 1,
                format!("missing: the ledger head records seq {seq} as the last row (rows were deleted)"),
            ),
            Some((seq, _)) if seq < last => {
                broken(seq + 1, "not in the ledger head (rows were added outside the collector)".to_owned())
            }
            Some((_, hash)) if hash != self.prev_hash => {
                broken(last, "hash differs from the one recorded in the ledger head".to_owned())
            }
            Some(_) => Verdict::Intact { records: last as u64 },
        }
    }
}

/// The first indexed column that disagrees with the body it was taken from.
fn column_mismatch(row: &Row) -> Option<&'static str> {
    let Ok(body) = Json::parse(&row.body) else {
        return Some("body");
    };
    let at = |path: &[&str]| {
        let mut v = &body;
        for key in path {
            v = v.get(key)?;
        }
        v.as_str()
    };
    let columns = [
        ("record_id", &row.record_id, at(&["recordId"])),
        ("subject_ref", &row.subject_ref, at(&["subject", "ref"])),
        ("policy_id", &row.policy_id, at(&["policy", "id"])),
        ("policy_version", &row.policy_version, at(&["policy", "version"])),
        ("kind", &row.kind, at(&["kind"])),
    ];
    let mismatch = columns.into_iter().find(|(_, column, body)| Some(column.as_str()) != *body);
    if let Some((name, _, _)) = mismatch {
        return Some(name);
    }
    let in_body = body.get("confirmation").map(|c| c.get("id").and_then(Json::as_str));
    if row.confirmation_id.as_deref().map(Some) != in_body {
        return Some("confirmation_id");
    }
    (row.receipt_code != kelisim::short_code::of(&row.record_id)).then_some("receipt_code")
}
