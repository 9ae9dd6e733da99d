//! Reading a consent record received over the wire, strictly: unknown fields are refused.

use super::{Channel, ConsentRecord, Kind, PolicyRef, SCHEMA};
#[cfg(feature = "form")]
use super::{Confirmation, Kiosk};
use crate::choices::Choice;
use crate::config::{CrossBorder, Transfers};
use crate::json::read::{Kind as Problem, Object, Path, Reader};
use crate::json::Json;
use crate::lang::Lang;
use crate::prelude::*;
use crate::validate::{bin::Bin, url};

/// Why a received record is refused: a stable code, the field, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordError {
    /// `invalid_json`, `missing_field`, `invalid_field`, `unknown_field` or `unsupported_schema`.
    pub code: &'static str,
    /// Path of the offending field, e.g. `policy.textSha256`; empty for the whole body.
    pub field: String,
    /// What is wrong, in English, for the developer reading the response.
    pub message: String,
}

impl core::fmt::Display for RecordError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if !self.field.is_empty() {
            f.write_str(&self.field)?;
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
    }
}

impl core::error::Error for RecordError {}

/// Longest string accepted in any field.
const MAX_STRING: usize = 2048;

/// What an unknown member of a record is told.
const UNKNOWN: &str = "is not a field of a schema 1 record";

fn invalid(r: &mut Reader, at: &Path<'_>, message: &str) {
    r.fail(at, Problem::Invalid, message);
}

/// A non-empty string of at most [`MAX_STRING`] bytes without U+0000.
fn text(r: &mut Reader, at: &Path<'_>, json: &Json) -> String {
    let problem = match json.as_str() {
        Some("") => "must not be empty",
        Some(s) if s.len() > MAX_STRING => "is longer than 2048 bytes",
        // A database text column cannot hold U+0000, and no text shown to a visitor contains it.
        Some(s) if s.as_bytes().contains(&0) => "must not contain U+0000",
        Some(s) => return s.to_owned(),
        None => "must be a string",
    };
    invalid(r, at, problem);
    String::new()
}

/// The required string member `key` of `m` at `at`.
fn string(r: &mut Reader, m: &mut Object<'_>, at: &Path<'_>, key: &str) -> String {
    let value = m.required(r, at, key);
    text(r, &at.key(key), value)
}

/// The string member `key` of `m` at `at`, if present.
fn optional_string(r: &mut Reader, m: &mut Object<'_>, at: &Path<'_>, key: &str) -> Option<String> {
    m.optional(key).map(|value| text(r, &at.key(key), value))
}

/// The required boolean member `key` of `m` at `at`.
fn boolean(r: &mut Reader, m: &mut Object<'_>, at: &Path<'_>, key: &str) -> bool {
    let value = m.required(r, at, key);
    value.as_bool().unwrap_or_else(|| {
        invalid(r, &at.key(key), "must be true or false");
        false
    })
}

/// A UUID v4 written lower-case with hyphens.
fn uuid(r: &mut Reader, at: &Path<'_>, id: &str) {
    if !id.is_empty() && !crate::id::is_uuid(id) {
        invalid(r, at, "must be a lower-case hyphenated UUID");
    }
}

pub(super) fn record_text(body: &str) -> Result<ConsentRecord, RecordError> {
    let json = Json::parse(body).map_err(|e| RecordError {
        code: "invalid_json",
        field: String::new(),
        message: e.to_string(),
    })?;
    record(&json)
}

fn record(json: &Json) -> Result<ConsentRecord, RecordError> {
    let r = &mut Reader::default();
    let at = &Path::ROOT;
    let mut root = r.object(at, json);
    let schema = root.required(r, at, "schema");
    if r.problem.is_none() && schema.as_uint() != Some(SCHEMA) {
        r.fail(&at.key("schema"), Problem::Unsupported, "must be 1");
    }
    let record_id = string(r, &mut root, at, "recordId");
    uuid(r, &at.key("recordId"), &record_id);
    let kind = match string(r, &mut root, at, "kind").as_str() {
        "grant" | "" => Kind::Grant,
        "withdrawal" => Kind::Withdrawal,
        _ => {
            invalid(r, &at.key("kind"), "must be \"grant\" or \"withdrawal\"");
            Kind::Grant
        }
    };
    let operator_at = at.key("operator");
    let operator_json = root.required(r, at, "operator");
    let mut operator = r.object(&operator_at, operator_json);
    let operator_name = string(r, &mut operator, &operator_at, "name");
    let operator_bin = optional_string(r, &mut operator, &operator_at, "bin");
    if let Some(bin) = operator_bin.as_deref().filter(|b| !b.is_empty()) {
        let bin_at = operator_at.key("bin");
        match Bin::parse(bin) {
            Err(e) => invalid(r, &bin_at, e.explain()),
            Ok(_) if bin.len() != 12 => invalid(r, &bin_at, "must be written as 12 digits"),
            Ok(_) => {}
        }
    }
    operator.finish(r, &operator_at, UNKNOWN);
    let policy_json = root.required(r, at, "policy");
    let policy = policy(r, &at.key("policy"), policy_json);
    let purposes_json = root.required(r, at, "purposes");
    let purposes = purposes(r, &at.key("purposes"), purposes_json);
    let categories_at = at.key("dataCategories");
    let categories_json = root.required(r, at, "dataCategories");
    let mut data_categories = Vec::new();
    for (i, c) in r.array(&categories_at, categories_json).iter().enumerate() {
        data_categories.push(text(r, &categories_at.index(i), c));
    }
    let transfers_json = root.required(r, at, "transfers");
    let transfers = transfers(r, &at.key("transfers"), transfers_json);
    let term = string(r, &mut root, at, "term");
    let subject_at = at.key("subject");
    let subject_json = root.required(r, at, "subject");
    let mut subject = r.object(&subject_at, subject_json);
    let subject_ref = string(r, &mut subject, &subject_at, "ref");
    subject.finish(r, &subject_at, UNKNOWN);
    #[cfg(feature = "form")]
    let confirmation =
        root.optional("confirmation").map(|json| confirmation(r, &at.key("confirmation"), json));
    let collected_at = string(r, &mut root, at, "collectedAt");
    if !collected_at.is_empty() && crate::time::parse_rfc3339_utc(&collected_at).is_none() {
        let problem = "must be an RFC 3339 UTC timestamp such as 2026-11-22T22:05:28.123Z";
        invalid(r, &at.key("collectedAt"), problem);
    }
    let channel = match string(r, &mut root, at, "channel").as_str() {
        "web" | "" => Channel::Web,
        "webview" => Channel::Webview,
        #[cfg(feature = "form")]
        "kiosk" => Channel::Kiosk,
        _ => {
            invalid(r, &at.key("channel"), "must be \"web\", \"webview\" or \"kiosk\"");
            Channel::Web
        }
    };
    #[cfg(feature = "form")]
    let kiosk = root.optional("kiosk").map(|json| kiosk(r, &at.key("kiosk"), json));
    #[cfg(feature = "form")]
    if kiosk.is_some() != (channel == Channel::Kiosk) && r.problem.is_none() {
        let problem =
            "a kiosk object comes with channel \"kiosk\", and channel \"kiosk\" with a kiosk object";
        invalid(r, &at.key("kiosk"), problem);
    }
    let page = optional_string(r, &mut root, at, "page");
    let user_agent = optional_string(r, &mut root, at, "userAgent");
    let previous_record_id = optional_string(r, &mut root, at, "previousRecordId");
    uuid(r, &at.key("previousRecordId"), previous_record_id.as_deref().unwrap_or_default());
    if kind == Kind::Withdrawal {
        if previous_record_id.is_none() {
            let problem = "a withdrawal must name the record it withdraws from";
            r.fail(&at.key("previousRecordId"), Problem::Missing, problem);
        }
        if purposes.iter().any(|c| c.granted) {
            invalid(r, &at.key("purposes"), "a withdrawal lists only withdrawn purposes (granted: false)");
        }
    }
    root.finish(r, at, UNKNOWN);
    if let Some(p) = r.problem.take() {
        let code = match p.kind {
            Problem::Missing => "missing_field",
            Problem::Invalid => "invalid_field",
            Problem::Unknown => "unknown_field",
            Problem::Unsupported => "unsupported_schema",
        };
        return Err(RecordError { code, field: p.field, message: p.message });
    }
    Ok(ConsentRecord {
        record_id,
        kind,
        operator_name,
        operator_bin,
        policy,
        purposes,
        data_categories,
        transfers,
        term,
        subject_ref,
        collected_at,
        channel,
        page,
        user_agent,
        previous_record_id,
        #[cfg(feature = "form")]
        confirmation,
        #[cfg(feature = "form")]
        kiosk,
    })
}

#[cfg(feature = "form")]
fn confirmation(r: &mut Reader, at: &Path<'_>, json: &Json) -> Confirmation {
    let mut c = r.object(at, json);
    let id = string(r, &mut c, at, "id");
    uuid(r, &at.key("id"), &id);
    if string(r, &mut c, at, "method") != Confirmation::METHOD && r.problem.is_none() {
        invalid(r, &at.key("method"), "must be \"sms\"");
    }
    c.finish(r, at, UNKNOWN);
    Confirmation { id }
}

#[cfg(feature = "form")]
fn kiosk(r: &mut Reader, at: &Path<'_>, json: &Json) -> Kiosk {
    let mut k = r.object(at, json);
    let shop = optional_string(r, &mut k, at, "shop");
    let consultant = optional_string(r, &mut k, at, "consultant");
    k.finish(r, at, UNKNOWN);
    Kiosk { shop, consultant }
}

fn policy(r: &mut Reader, at: &Path<'_>, json: &Json) -> PolicyRef {
    let mut p = r.object(at, json);
    let id = string(r, &mut p, at, "id");
    let version = string(r, &mut p, at, "version");
    let language_text = string(r, &mut p, at, "language");
    let language = Lang::from_tag(&language_text).unwrap_or_else(|| {
        if !language_text.is_empty() {
            invalid(r, &at.key("language"), "must be \"kk\", \"ru\" or \"en\"");
        }
        Lang::Kk
    });
    let text_sha256 = string(r, &mut p, at, "textSha256");
    let hex = text_sha256.len() == 64
        && text_sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !text_sha256.is_empty() && !hex {
        invalid(r, &at.key("textSha256"), "must be 64 lower-case hex digits");
    }
    let url = optional_string(r, &mut p, at, "url");
    if url.as_deref().is_some_and(|u| !u.is_empty() && !url::is_http(u)) {
        invalid(r, &at.key("url"), "must be an http(s) URL");
    }
    p.finish(r, at, UNKNOWN);
    PolicyRef { id, version, language, text_sha256, url }
}

fn purposes(r: &mut Reader, at: &Path<'_>, json: &Json) -> Vec<Choice> {
    let items = r.array(at, json);
    if items.is_empty() && json.as_array().is_some() {
        invalid(r, at, "must list at least one purpose");
    }
    let mut out: Vec<Choice> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let here = at.index(i);
        let mut p = r.object(&here, item);
        let id = string(r, &mut p, &here, "id");
        if !id.is_empty() && out.iter().any(|c| c.id == id) {
            invalid(r, &here.key("id"), "is listed twice");
        }
        let required = boolean(r, &mut p, &here, "required");
        let granted = boolean(r, &mut p, &here, "granted");
        p.finish(r, &here, UNKNOWN);
        out.push(Choice { id, required, granted });
    }
    out
}

fn transfers(r: &mut Reader, at: &Path<'_>, json: &Json) -> Transfers {
    let mut t = r.object(at, json);
    let third_parties = boolean(r, &mut t, at, "thirdParties");
    let cross_at = at.key("crossBorder");
    let cross_border = match t.required(r, at, "crossBorder") {
        Json::Bool(false) => CrossBorder::No,
        Json::Bool(true) => CrossBorder::Yes,
        Json::Array(items) => {
            let mut list = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let here = cross_at.index(i);
                let code = text(r, &here, item);
                if !code.is_empty() && (code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase())) {
                    invalid(r, &here, "must be an ISO 3166-1 alpha-2 code");
                }
                list.push(code);
            }
            if list.is_empty() {
                CrossBorder::No
            } else {
                CrossBorder::Countries(list)
            }
        }
        Json::Null => CrossBorder::No,
        _ => {
            invalid(r, &cross_at, "must be true, false or a list of country codes");
            CrossBorder::No
        }
    };
    let public_sources = boolean(r, &mut t, at, "publicSources");
    let stored_in_kazakhstan = boolean(r, &mut t, at, "storedInKazakhstan");
    t.finish(r, at, UNKNOWN);
    Transfers { third_parties, cross_border, public_sources, stored_in_kazakhstan }
}
