//! The subject view: one person's history in chain order, and per purpose the decision that stands.

use kelisim::record::ConsentRecord;
use serde::Serialize;

use crate::answer::{self, EntryView};
use crate::store::{Entry, StoreError};

/// The standing decision on one purpose of one policy: the latest grant or withdrawal by seq.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Standing {
    pub policy_id: String,
    pub purpose_id: String,
    pub granted: bool,
    pub record_id: String,
    pub seq: u64,
    pub received_at: String,
    pub text_check: String,
    pub decision_check: String,
}

/// The standing decisions of a subject whose rows are `entries`, in seq order; sorted by policy
/// and purpose id.
pub fn standing(entries: &[Entry]) -> Result<Vec<Standing>, StoreError> {
    let mut out: Vec<Standing> = Vec::new();
    for entry in entries {
        let record = ConsentRecord::from_json_text(&entry.body)
            .map_err(|e| StoreError(format!("the stored record at seq {} does not read: {e}", entry.seq)))?;
        for choice in &record.purposes {
            let decision = Standing {
                policy_id: record.policy.id.clone(),
                purpose_id: choice.id.clone(),
                granted: choice.granted,
                record_id: record.record_id.clone(),
                seq: answer::seq(entry.seq),
                received_at: entry.received_at.clone(),
                text_check: entry.text_check.clone(),
                decision_check: entry.decision_check.clone(),
            };
            let same =
                |s: &Standing| s.policy_id == decision.policy_id && s.purpose_id == decision.purpose_id;
            match out.iter_mut().find(|s| same(s)) {
                Some(slot) if slot.seq <= decision.seq => *slot = decision,
                Some(_) => {}
                None => out.push(decision),
            }
        }
    }
    out.sort_by(|a, b| (&a.policy_id, &a.purpose_id).cmp(&(&b.policy_id, &b.purpose_id)));
    Ok(out)
}

/// `{subject, purposes: [standing...], history: [entry...]}`.
#[derive(Debug, Serialize)]
pub struct View<'a> {
    subject: &'a str,
    purposes: Vec<Standing>,
    history: Vec<EntryView<'a>>,
}

/// The view of `subject_ref`, whose rows are `entries` in seq order.
pub fn view<'a>(subject_ref: &'a str, entries: &'a [Entry]) -> Result<View<'a>, StoreError> {
    let history = entries.iter().map(EntryView::of).collect::<Result<Vec<_>, _>>()?;
    Ok(View { subject: subject_ref, purposes: standing(entries)?, history })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored row whose record decides `purposes` of policy `p`.
    fn row(seq: i64, kind: &str, purposes: &[(&str, bool)]) -> Entry {
        let config: kelisim::config::Config =
            kelisim::config::Config::from_json_text(include_str!("../tests/data/config.json")).unwrap();
        let mut choices = kelisim::choices::Choices::fresh(&config);
        for (id, granted) in purposes {
            choices.set(id, *granted);
        }
        let ctx = kelisim::record::Context {
            subject_ref: "anon-1".into(),
            channel: kelisim::record::Channel::Web,
            page: None,
            user_agent: None,
            ..Default::default()
        };
        let stamp = kelisim::record::Stamp {
            now_ms: 1_795_385_128_123,
            record_id: kelisim::id::uuid_v4([seq as u8; 16]),
            previous_record_id: (kind == "withdrawal").then(|| kelisim::id::uuid_v4([1; 16])),
        };
        let lang = kelisim::lang::Lang::Kk;
        let record = if kind == "withdrawal" {
            let ids: Vec<String> = purposes.iter().map(|(p, _)| (*p).to_owned()).collect();
            kelisim::record::withdrawal(&config, &ids, lang, &ctx, stamp)
        } else {
            kelisim::record::grant(&config, &choices, lang, &ctx, stamp)
        };
        Entry {
            seq,
            received_at: format!("2026-11-2{seq}T00:00:00.000Z"),
            text_check: "match".into(),
            decision_check: "consistent".into(),
            decision_findings: "[]".into(),
            body: record.to_text(),
            prev_hash: "0".repeat(64),
            hash: "1".repeat(64),
            ..Entry::default()
        }
    }

    fn granted(entries: &[Entry]) -> Vec<(String, bool, u64)> {
        standing(entries).unwrap().into_iter().map(|s| (s.purpose_id, s.granted, s.seq)).collect()
    }

    #[test]
    fn a_later_withdrawal_overrides_the_grant_of_that_purpose_only() {
        let rows = [row(1, "grant", &[("marketing", true)]), row(2, "withdrawal", &[("marketing", false)])];
        let state = granted(&rows);
        let marketing = state.iter().find(|(p, _, _)| p == "marketing").unwrap();
        assert_eq!(marketing, &("marketing".to_owned(), false, 2));
        assert!(state.iter().filter(|(p, _, _)| p != "marketing").all(|(_, _, seq)| *seq == 1));
    }

    #[test]
    fn a_later_grant_restores_a_withdrawn_purpose() {
        let rows = [
            row(1, "grant", &[("marketing", true)]),
            row(2, "withdrawal", &[("marketing", false)]),
            row(3, "grant", &[("marketing", true)]),
        ];
        assert!(granted(&rows).contains(&("marketing".to_owned(), true, 3)));
    }

    #[test]
    fn the_view_carries_the_history_in_seq_order_with_both_checks() {
        let rows = [row(1, "grant", &[]), row(2, "withdrawal", &[("marketing", false)])];
        let view = serde_json::to_value(view("anon-1", &rows).unwrap()).unwrap();
        let seqs: Vec<u64> =
            view["history"].as_array().unwrap().iter().map(|e| e["seq"].as_u64().unwrap()).collect();
        assert_eq!(seqs, [1, 2]);
        assert_eq!(view["subject"], "anon-1");
        assert_eq!(view["purposes"][0]["decisionCheck"], "consistent");
        assert_eq!(view["history"][1]["decisionFindings"], serde_json::json!([]));
    }
}
