//! Reading a consent record received over the wire, strictly: unknown fields are refused.

use super::{Channel, ConsentRecord, Kind, PolicyRef, SCHEMA};
use crate::choices::Choice;
use crate::config::{CrossBorder, Transfers};
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

type Result<T> = core::result::Result<T, RecordError>;

/// Longest string accepted in any field.
const MAX_STRING: usize = 2048;

fn err(code: &'static str, field: &str, message: &str) -> RecordError {
    RecordError { code, field: field.to_owned(), message: message.to_owned() }
}

fn invalid(field: &str, message: &str) -> RecordError {
    err("invalid_field", field, message)
}

/// An object being read; reports missing and unknown members by path.
struct Obj<'a> {
    path: &'a str,
    members: &'a [(String, Json)],
    used: Vec<bool>,
}

impl<'a> Obj<'a> {
    fn of(path: &'a str, json: &'a Json) -> Result<Obj<'a>> {
        let members = json.as_object().ok_or_else(|| invalid(path, "must be an object"))?;
        Ok(Obj { path, used: vec![false; members.len()], members })
    }

    fn path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            let mut p = self.path.to_owned();
            p.push('.');
            p.push_str(key);
            p
        }
    }

    fn optional(&mut self, key: &str) -> Option<&'a Json> {
        let i = self.members.iter().position(|(k, _)| k == key)?;
        self.used[i] = true;
        Some(&self.members[i].1).filter(|v| **v != Json::Null)
    }

    fn required(&mut self, key: &str) -> Result<&'a Json> {
        self.optional(key).ok_or_else(|| err("missing_field", &self.path(key), "is required"))
    }

    fn string(&mut self, key: &str) -> Result<String> {
        let value = self.required(key)?;
        text(&self.path(key), value)
    }

    fn optional_string(&mut self, key: &str) -> Result<Option<String>> {
        match self.optional(key) {
            Some(value) => text(&self.path(key), value).map(Some),
            None => Ok(None),
        }
    }

    fn boolean(&mut self, key: &str) -> Result<bool> {
        let value = self.required(key)?;
        value.as_bool().ok_or_else(|| invalid(&self.path(key), "must be true or false"))
    }

    fn finish(self) -> Result<()> {
        match self.members.iter().zip(&self.used).find(|(_, used)| !**used) {
            Some(((key, _), _)) => {
                Err(err("unknown_field", &self.path(key), "is not a field of a schema 1 record"))
            }
            None => Ok(()),
        }
    }
}

fn text(path: &str, json: &Json) -> Result<String> {
    match json.as_str() {
        Some("") => Err(invalid(path, "must not be empty")),
        Some(s) if s.len() > MAX_STRING => Err(invalid(path, "is longer than 2048 bytes")),
        // A database text column cannot hold U+0000, and no text shown to a visitor contains it.
        Some(s) if s.as_bytes().contains(&0) => Err(invalid(path, "must not contain U+0000")),
        Some(s) => Ok(s.to_owned()),
        None => Err(invalid(path, "must be a string")),
    }
}

fn array<'a>(path: &str, json: &'a Json) -> Result<&'a [Json]> {
    json.as_array().ok_or_else(|| invalid(path, "must be an array"))
}

fn indexed(path: &str, i: usize) -> String {
    let mut p = path.to_owned();
    p.push('[');
    p.push_str(&i.to_string());
    p.push(']');
    p
}

pub(super) fn record_text(body: &str) -> Result<ConsentRecord> {
    let json = Json::parse(body).map_err(|e| err("invalid_json", "", &e.to_string()))?;
    record(&json)
}

fn record(json: &Json) -> Result<ConsentRecord> {
    let mut root = Obj::of("", json)?;
    match root.required("schema")? {
        Json::Number(n) if n.parse::<u64>() == Ok(SCHEMA) => {}
        _ => return Err(err("unsupported_schema", "schema", "must be 1")),
    }
    let record_id = root.string("recordId")?;
    if !crate::id::is_uuid(&record_id) {
        return Err(invalid("recordId", "must be a lower-case hyphenated UUID"));
    }
    let kind = match root.string("kind")?.as_str() {
        "grant" => Kind::Grant,
        "withdrawal" => Kind::Withdrawal,
        _ => return Err(invalid("kind", "must be \"grant\" or \"withdrawal\"")),
    };
    let mut operator = Obj::of("operator", root.required("operator")?)?;
    let operator_name = operator.string("name")?;
    let operator_bin = operator.optional_string("bin")?;
    if let Some(bin) = &operator_bin {
        if let Err(e) = Bin::parse(bin) {
            return Err(invalid("operator.bin", e.explain()));
        }
        if bin.len() != 12 {
            return Err(invalid("operator.bin", "must be written as 12 digits"));
        }
    }
    operator.finish()?;
    let policy = policy(root.required("policy")?)?;
    let purposes = purposes(root.required("purposes")?)?;
    let data_categories = array("dataCategories", root.required("dataCategories")?)?
        .iter()
        .enumerate()
        .map(|(i, c)| text(&indexed("dataCategories", i), c))
        .collect::<Result<Vec<_>>>()?;
    let transfers = transfers(root.required("transfers")?)?;
    let term = root.string("term")?;
    let mut subject = Obj::of("subject", root.required("subject")?)?;
    let subject_ref = subject.string("ref")?;
    subject.finish()?;
    let collected_at = root.string("collectedAt")?;
    if crate::time::parse_rfc3339_utc(&collected_at).is_none() {
        return Err(invalid(
            "collectedAt",
            "must be an RFC 3339 UTC timestamp such as 2026-11-22T22:05:28.123Z",
        ));
    }
    let channel = match root.string("channel")?.as_str() {
        "web" => Channel::Web,
        "webview" => Channel::Webview,
        _ => return Err(invalid("channel", "must be \"web\" or \"webview\"")),
    };
    let page = root.optional_string("page")?;
    let user_agent = root.optional_string("userAgent")?;
    let previous_record_id = root.optional_string("previousRecordId")?;
    if previous_record_id.as_deref().is_some_and(|id| !crate::id::is_uuid(id)) {
        return Err(invalid("previousRecordId", "must be a lower-case hyphenated UUID"));
    }
    if kind == Kind::Withdrawal {
        if previous_record_id.is_none() {
            return Err(err(
                "missing_field",
                "previousRecordId",
                "a withdrawal must name the record it withdraws from",
            ));
        }
        if purposes.iter().any(|c| c.granted) {
            return Err(invalid("purposes", "a withdrawal lists only withdrawn purposes (granted: false)"));
        }
    }
    root.finish()?;
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
    })
}

fn policy(json: &Json) -> Result<PolicyRef> {
    let mut p = Obj::of("policy", json)?;
    let id = p.string("id")?;
    let version = p.string("version")?;
    let language = Lang::from_tag(&p.string("language")?)
        .ok_or_else(|| invalid("policy.language", "must be \"kk\", \"ru\" or \"en\""))?;
    let text_sha256 = p.string("textSha256")?;
    if text_sha256.len() != 64
        || !text_sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(invalid("policy.textSha256", "must be 64 lower-case hex digits"));
    }
    let url = p.optional_string("url")?;
    if url.as_deref().is_some_and(|u| !url::is_http(u)) {
        return Err(invalid("policy.url", "must be an http(s) URL"));
    }
    p.finish()?;
    Ok(PolicyRef { id, version, language, text_sha256, url })
}

fn purposes(json: &Json) -> Result<Vec<Choice>> {
    let items = array("purposes", json)?;
    if items.is_empty() {
        return Err(invalid("purposes", "must list at least one purpose"));
    }
    let mut out: Vec<Choice> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = indexed("purposes", i);
        let mut p = Obj::of(&path, item)?;
        let id = p.string("id")?;
        if out.iter().any(|c| c.id == id) {
            return Err(invalid(&p.path("id"), "is listed twice"));
        }
        let required = p.boolean("required")?;
        let granted = p.boolean("granted")?;
        p.finish()?;
        out.push(Choice { id, required, granted });
    }
    Ok(out)
}

fn transfers(json: &Json) -> Result<Transfers> {
    let mut t = Obj::of("transfers", json)?;
    let third_parties = t.boolean("thirdParties")?;
    let cross_border = match t.required("crossBorder")? {
        Json::Bool(false) => CrossBorder::No,
        Json::Bool(true) => CrossBorder::Yes,
        Json::Array(items) => {
            let mut list = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let code = text(&indexed("transfers.crossBorder", i), item)?;
                if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(invalid(
                        &indexed("transfers.crossBorder", i),
                        "must be an ISO 3166-1 alpha-2 code",
                    ));
                }
                list.push(code);
            }
            if list.is_empty() {
                CrossBorder::No
            } else {
                CrossBorder::Countries(list)
            }
        }
        _ => return Err(invalid("transfers.crossBorder", "must be true, false or a list of country codes")),
    };
    let public_sources = t.boolean("publicSources")?;
    let stored_in_kazakhstan = t.boolean("storedInKazakhstan")?;
    t.finish()?;
    Ok(Transfers { third_parties, cross_border, public_sources, stored_in_kazakhstan })
}
