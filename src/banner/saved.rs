//! The visitor's last decision as kept in the browser (`state()`), and whether it still holds.

use crate::config::Config;
use crate::json::{Json, Writer};
use crate::prelude::*;

/// The last decision recorded on this device for one policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedDecision {
    /// Policy edition decided on.
    pub policy_version: String,
    /// Each purpose known at the time, and whether it was granted.
    pub purposes: Vec<(String, bool)>,
    /// The record of that decision.
    pub record_id: String,
    /// When it was made, RFC 3339.
    pub decided_at: String,
}

impl SavedDecision {
    /// Whether the visitor must be asked again: the edition changed or a purpose was added.
    pub fn is_stale(&self, config: &Config) -> bool {
        self.policy_version != config.policy.version
            || config.purposes.iter().any(|p| !self.purposes.iter().any(|(id, _)| *id == p.id))
    }

    /// The JSON kept in storage and returned by `state()`.
    pub fn to_text(&self) -> String {
        let mut w = Writer::object();
        w.str(Some("policyVersion"), &self.policy_version).open(Some("purposes"));
        for (id, granted) in &self.purposes {
            w.bool(Some(id), *granted);
        }
        w.close().str(Some("recordId"), &self.record_id).str(Some("decidedAt"), &self.decided_at);
        w.finish()
    }

    /// Reads what [`SavedDecision::to_text`] wrote; `None` for anything else (storage is not trusted).
    pub fn from_json(json: &Json) -> Option<SavedDecision> {
        let mut purposes = Vec::new();
        for (id, v) in json.get("purposes")?.as_object()? {
            purposes.push((id.clone(), v.as_bool()?));
        }
        Some(SavedDecision {
            policy_version: json.get("policyVersion")?.as_str()?.to_owned(),
            purposes,
            record_id: json.get("recordId")?.as_str()?.to_owned(),
            decided_at: json.get("decidedAt")?.as_str()?.to_owned(),
        })
    }

    /// The storage key for a policy's decision: `kelisim.decision.v1.<policyId>`.
    pub fn storage_key(policy_id: &str) -> String {
        let mut key = String::from("kelisim.decision.v1.");
        key.push_str(policy_id);
        key
    }
}
