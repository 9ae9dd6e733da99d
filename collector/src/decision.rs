//! The decision check: whether a record is a decision its registered notice could have produced
//! (purposes, required flags, operator, data, transfers, term), and whether a withdrawal or a
//! re-consent points to a record the ledger holds and withdraws what stands granted.

use kelisim::config::Config;
use kelisim::record::{ConsentRecord, Kind};
use serde::{Deserialize, Serialize};

use crate::registry::Edition;

/// The verdict stored with each record (and hashed into its row).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The registered edition could have produced this decision, and the ledger agrees with it.
    Consistent,
    /// Something differs: the findings name it.
    Inconsistent,
    /// The edition is not registered, so the decision could not be held against a notice (and the
    /// ledger found nothing wrong).
    Unregistered,
}

impl Outcome {
    /// The stored and reported spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Consistent => "consistent",
            Outcome::Inconsistent => "inconsistent",
            Outcome::Unregistered => "unregistered",
        }
    }

    /// Reads the stored spelling back.
    pub fn parse(s: &str) -> Option<Outcome> {
        [Outcome::Consistent, Outcome::Inconsistent, Outcome::Unregistered]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// What differs, named by a stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// The field's value is not the registered edition's (operator, BIN, URL, transfers, term).
    Differs,
    /// A purpose or data category the registered edition does not have.
    NotInNotice,
    /// A purpose's `required` is not what the notice says.
    Mislabelled,
    /// A grant refuses a purpose the notice makes required.
    RequiredRefused,
    /// A grant does not decide on a purpose of the notice (`detail` names it).
    Undecided,
    /// A data category a granted purpose uses is not listed (`detail` names it).
    Missing,
    /// A data category no granted purpose uses.
    NotUsed,
    /// The edition is registered, but not in this language.
    LanguageNotOffered,
    /// `previousRecordId` is the record's own id.
    PointsToItself,
    /// No record under `previousRecordId` was in the ledger when this one arrived.
    PointsNowhere,
    /// A withdrawal points to another subject's record.
    OtherSubject,
    /// `previousRecordId` is a record of another policy.
    OtherPolicy,
    /// A withdrawal withdraws a purpose that did not stand granted for the subject.
    NotGranted,
}

/// One thing that differs: the record field and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// Path of the record field, e.g. `purposes[2].id`.
    pub field: String,
    /// What is wrong.
    pub code: Code,
    /// The purpose or data category meant, where the field is a whole list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Finding {
    fn at(field: impl Into<String>, code: Code) -> Finding {
        Finding { field: field.into(), code, detail: None }
    }

    fn about(field: &str, code: Code, detail: &str) -> Finding {
        Finding { field: field.to_owned(), code, detail: Some(detail.to_owned()) }
    }
}

/// A record's decision check: the outcome and what differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionCheck {
    pub outcome: Outcome,
    pub findings: Vec<Finding>,
}

impl DecisionCheck {
    /// The check of a record whose edition was (or was not) `registered`, with these findings.
    pub fn of(registered: bool, findings: Vec<Finding>) -> DecisionCheck {
        let outcome = match (registered, findings.is_empty()) {
            (_, false) => Outcome::Inconsistent,
            (true, true) => Outcome::Consistent,
            (false, true) => Outcome::Unregistered,
        };
        DecisionCheck { outcome, findings }
    }

    /// The findings as stored: compact JSON, `[]` when there are none.
    pub fn findings_text(&self) -> String {
        serde_json::to_string(&self.findings).unwrap_or_else(|_| "[]".to_owned())
    }

    /// Reads a stored check back; `None` if it is not one this collector writes.
    pub fn parse(outcome: &str, stored: &str) -> Option<DecisionCheck> {
        let outcome = Outcome::parse(outcome)?;
        let findings: Vec<Finding> = serde_json::from_str(stored).ok()?;
        let check = DecisionCheck { outcome, findings };
        let coherent = (check.outcome == Outcome::Inconsistent) != check.findings.is_empty();
        (coherent && check.findings_text() == stored).then_some(check)
    }
}

/// What the registered edition says about a record: whether there is one, and what differs from it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EditionCheck {
    pub registered: bool,
    pub findings: Vec<Finding>,
}

/// Holds `record` against the edition it names (`None`: not registered).
pub fn against_edition(record: &ConsentRecord, edition: Option<&Edition>) -> EditionCheck {
    let Some(config) = edition.and_then(Edition::any) else {
        return EditionCheck::default();
    };
    let mut findings = Vec::new();
    let lang = record.policy.language;
    match edition.and_then(|e| e.in_language(lang)) {
        Some(shown) => {
            if record.operator_name != shown.operator.name.get(lang) {
                findings.push(Finding::at("operator.name", Code::Differs));
            }
            if record.policy.url.as_deref() != shown.policy.url.as_ref().map(|u| u.get(lang)) {
                findings.push(Finding::at("policy.url", Code::Differs));
            }
            if record.term != shown.term.get(lang) {
                findings.push(Finding::at("term", Code::Differs));
            }
        }
        None => findings.push(Finding::at("policy.language", Code::LanguageNotOffered)),
    }
    if record.operator_bin != config.operator.bin {
        findings.push(Finding::at("operator.bin", Code::Differs));
    }
    transfers(record, config, &mut findings);
    purposes(record, config, &mut findings);
    data_categories(record, config, &mut findings);
    EditionCheck { registered: true, findings }
}

fn transfers(record: &ConsentRecord, config: &Config, findings: &mut Vec<Finding>) {
    let (got, want) = (&record.transfers, &config.transfers);
    for (field, same) in [
        ("transfers.thirdParties", got.third_parties == want.third_parties),
        ("transfers.crossBorder", got.cross_border == want.cross_border),
        ("transfers.publicSources", got.public_sources == want.public_sources),
        ("transfers.storedInKazakhstan", got.stored_in_kazakhstan == want.stored_in_kazakhstan),
    ] {
        if !same {
            findings.push(Finding::at(field, Code::Differs));
        }
    }
}

fn purposes(record: &ConsentRecord, config: &Config, findings: &mut Vec<Finding>) {
    let grant = record.kind == Kind::Grant;
    for (i, choice) in record.purposes.iter().enumerate() {
        let Some(purpose) = config.purpose(&choice.id) else {
            findings.push(Finding::at(format!("purposes[{i}].id"), Code::NotInNotice));
            continue;
        };
        if purpose.required != choice.required {
            findings.push(Finding::at(format!("purposes[{i}].required"), Code::Mislabelled));
        }
        if grant && purpose.required && !choice.granted {
            findings.push(Finding::at(format!("purposes[{i}].granted"), Code::RequiredRefused));
        }
    }
    if grant {
        for purpose in &config.purposes {
            if !record.purposes.iter().any(|c| c.id == purpose.id) {
                findings.push(Finding::about("purposes", Code::Undecided, &purpose.id));
            }
        }
    }
}

/// The categories a record must list are exactly those its granted purposes use (none for a
/// withdrawal, whose purposes are all withdrawn).
fn data_categories(record: &ConsentRecord, config: &Config, findings: &mut Vec<Finding>) {
    let used: Vec<&str> = config
        .data_categories
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| {
            record.granted().any(|p| config.purpose(p).is_some_and(|p| p.data.iter().any(|d| d == id)))
        })
        .collect();
    for (i, listed) in record.data_categories.iter().enumerate() {
        if config.data_category(listed).is_none() {
            findings.push(Finding::at(format!("dataCategories[{i}]"), Code::NotInNotice));
        } else if !used.contains(&listed.as_str()) {
            findings.push(Finding::at(format!("dataCategories[{i}]"), Code::NotUsed));
        }
    }
    for id in used {
        if !record.data_categories.iter().any(|listed| listed == id) {
            findings.push(Finding::about("dataCategories", Code::Missing, id));
        }
    }
}

/// What the ledger holds under a record's `previousRecordId`, when the record arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Previous<'a> {
    /// The record names none.
    NotNamed,
    /// It names itself.
    Itself,
    /// No record is stored under that id.
    Missing,
    /// A stored record of this subject and policy.
    Found { subject_ref: &'a str, policy_id: &'a str },
}

/// The facts of a new record the ledger check needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decided<'a> {
    pub kind: Kind,
    pub subject_ref: &'a str,
    pub policy_id: &'a str,
    /// Each purpose decided, with `granted`.
    pub purposes: &'a [(String, bool)],
}

/// Holds a record against the ledger: where its `previousRecordId` points, and, for a withdrawal,
/// whether each withdrawn purpose stood granted for the subject (`stands_granted(purpose id)`).
pub fn against_ledger(
    record: &Decided<'_>,
    previous: Previous<'_>,
    stands_granted: impl Fn(&str) -> bool,
) -> Vec<Finding> {
    let withdrawal = record.kind == Kind::Withdrawal;
    let mut findings = Vec::new();
    let field = "previousRecordId";
    match previous {
        Previous::NotNamed => {}
        Previous::Itself => findings.push(Finding::at(field, Code::PointsToItself)),
        Previous::Missing => findings.push(Finding::at(field, Code::PointsNowhere)),
        Previous::Found { subject_ref, policy_id } => {
            if withdrawal && subject_ref != record.subject_ref {
                findings.push(Finding::at(field, Code::OtherSubject));
            }
            if policy_id != record.policy_id {
                findings.push(Finding::at(field, Code::OtherPolicy));
            }
        }
    }
    if withdrawal {
        for (i, (purpose, _)) in record.purposes.iter().enumerate() {
            if !stands_granted(purpose) {
                findings.push(Finding::at(format!("purposes[{i}].id"), Code::NotGranted));
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests;
