//! Reading a [`Config`] out of JSON, with every error naming the field it is about.

use crate::concat::concat;
use crate::prelude::*;

#[cfg(feature = "form")]
mod confirm;
#[cfg(feature = "form")]
mod form;

use super::{
    countries, coverage, Config, Contacts, CrossBorder, DataCategory, Operator, Policy, Purpose, Section,
    Text, Trace, Transfers,
};
use crate::json::read::{Kind, Object, Path, Reader};
use crate::json::Json;
use crate::lang::Lang;
use crate::validate::{bin::Bin, url};

/// A config that cannot be used, and the field to fix, e.g. `purposes[1].title: no "ru" text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Path of the offending field, e.g. `purposes[1].title`; empty for the whole document.
    pub field: String,
    /// What is wrong with it and what to do.
    pub problem: String,
}

impl ConfigError {
    pub(crate) fn new(field: &str, problem: impl Into<String>) -> ConfigError {
        ConfigError { field: field.to_owned(), problem: problem.into() }
    }
}

impl ConfigError {
    /// `config: <field>: <problem>`, the message shown to the page's developer.
    pub fn message(&self) -> String {
        let field_sep = if self.field.is_empty() { "" } else { ": " };
        concat(&["config: ", &self.field, field_sep, &self.problem])
    }
}

impl core::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for ConfigError {}

/// What an unknown member of a config is told.
const UNKNOWN: &str = "unknown field: check its spelling against the config schema";

fn fail(r: &mut Reader, at: &Path<'_>, problem: impl Into<String>) {
    r.fail(at, Kind::Invalid, problem);
}

/// The required text member `key` of the object `m` at `at`.
fn text_member(r: &mut Reader, m: &mut Object<'_>, at: &Path<'_>, key: &str, langs: &[Lang]) -> Text {
    let value = m.required(r, at, key);
    text(r, &at.key(key), value, langs)
}

/// The required string member `key` of the object `m` at `at`.
fn string_member(r: &mut Reader, m: &mut Object<'_>, at: &Path<'_>, key: &str) -> String {
    let value = m.required(r, at, key);
    r.string(&at.key(key), value)
}

/// The required boolean member `key` of the object `m` at `at`.
fn bool_member(r: &mut Reader, m: &mut Object<'_>, at: &Path<'_>, key: &str) -> bool {
    let value = m.required(r, at, key);
    r.boolean(&at.key(key), value)
}

/// An identifier: ASCII letters, digits, `-` and `_`, starting with a letter.
fn identifier(r: &mut Reader, at: &Path<'_>, json: &Json) -> String {
    let s = r.string(at, json);
    let mut chars = s.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let valid = starts_with_letter
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && s.len() <= 64;
    if !s.is_empty() && !valid {
        fail(r, at, "must be an identifier: ASCII letters, digits, '-' or '_', starting with a letter");
    }
    s
}

fn http_url(r: &mut Reader, at: &Path<'_>, json: &Json) -> String {
    let s = r.string(at, json);
    if !s.is_empty() && !url::is_http(&s) {
        fail(r, at, "must be an http:// or https:// URL");
    }
    s
}

/// Reads a language map. Every language in `langs` must be present and non-empty.
fn text(r: &mut Reader, at: &Path<'_>, json: &Json, langs: &[Lang]) -> Text {
    text_with(r, at, json, langs, Reader::string)
}

fn text_with(
    r: &mut Reader,
    at: &Path<'_>,
    json: &Json,
    langs: &[Lang],
    item: fn(&mut Reader, &Path<'_>, &Json) -> String,
) -> Text {
    let mut out = Text::default();
    let Some(members) = json.as_object() else {
        r.expected(at, "an object of texts by language", json);
        return out;
    };
    for (key, value) in members {
        let here = at.key(key);
        match Lang::from_tag(key) {
            Some(lang) if lang.code() == key => out.set(lang, item(r, &here, value)),
            _ => fail(r, &here, "unknown language: use \"kk\", \"ru\" or \"en\""),
        }
    }
    for lang in langs {
        if out.try_get(*lang).is_none() {
            fail(r, at, concat(&["no \"", lang.code(), "\" text"]));
        }
    }
    out
}

fn languages(r: &mut Reader, at: &Path<'_>, json: &Json) -> Vec<Lang> {
    let mut out = Vec::new();
    for (i, item) in r.array(at, json).iter().enumerate() {
        let here = at.index(i);
        let code = r.string(&here, item);
        match Lang::from_tag(&code) {
            Some(lang) if lang.code() == code && !out.contains(&lang) => out.push(lang),
            Some(_) => fail(r, &here, "listed twice or not lower-case"),
            None => fail(r, &here, "unknown language: use \"kk\", \"ru\" or \"en\""),
        }
    }
    for must in [Lang::Kk, Lang::Ru] {
        if !out.contains(&must) {
            let problem = [
                "must include \"",
                must.code(),
                "\": consumer information in Kazakhstan is given in Kazakh and Russian",
            ];
            fail(r, at, concat(&problem));
            out.push(must);
        }
    }
    out
}

pub(super) fn config(json: &Json) -> Result<Config, ConfigError> {
    let r = &mut Reader::default();
    let config = read(r, json);
    match r.problem.take() {
        Some(p) => Err(ConfigError { field: p.field, problem: p.message }),
        None => Ok(config),
    }
}

/// Every problem of the config in `json`, in the order met, each named once (native builds).
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn problems(json: &Json) -> Vec<ConfigError> {
    let mut r = Reader::default();
    read(&mut r, json);
    r.problems().into_iter().map(|p| ConfigError { field: p.field, problem: p.message }).collect()
}

/// Reads the config, noting its problems in `r`; what has a problem is read as an empty value.
fn read(r: &mut Reader, json: &Json) -> Config {
    let at = &Path::ROOT;
    let mut root = r.object(at, json);
    let langs = match root.optional("languages") {
        Some(value) => languages(r, &at.key("languages"), value),
        None => vec![Lang::Kk, Lang::Ru],
    };
    let default_language = match root.optional("defaultLanguage") {
        Some(value) => {
            let here = at.key("defaultLanguage");
            let code = r.string(&here, value);
            Lang::from_tag(&code).filter(|l| langs.contains(l)).unwrap_or_else(|| {
                fail(r, &here, "must be one of the listed languages");
                Lang::Kk
            })
        }
        None => Lang::Kk,
    };
    let operator_json = root.required(r, at, "operator");
    let operator = operator(r, &at.key("operator"), operator_json, &langs);
    let policy_json = root.required(r, at, "policy");
    let policy = policy(r, &at.key("policy"), policy_json, &langs);
    let data_categories_json = root.required(r, at, "dataCategories");
    let data_categories = data_categories(r, &at.key("dataCategories"), data_categories_json, &langs);
    let purposes_json = root.required(r, at, "purposes");
    let purposes = purposes(r, &at.key("purposes"), purposes_json, &langs, &data_categories);
    let transfers_json = root.required(r, at, "transfers");
    let transfers = transfers(r, &at.key("transfers"), transfers_json);
    let term = text_member(r, &mut root, at, "term", &langs);
    let notices = match root.optional("notices") {
        Some(value) => {
            let here = at.key("notices");
            let mut notices = Vec::new();
            for (i, item) in r.array(&here, value).iter().enumerate() {
                notices.push(text(r, &here.index(i), item, &langs));
            }
            notices
        }
        None => Vec::new(),
    };
    let here = at.key("endpoint");
    let endpoint_json = root.required(r, at, "endpoint");
    let endpoint = r.string(&here, endpoint_json);
    if !(url::is_http(&endpoint) || (endpoint.starts_with('/') && !endpoint.starts_with("//"))) {
        fail(r, &here, "must be an http(s) URL or a path starting with '/'");
    }
    #[cfg(feature = "form")]
    let form = root.optional("form").map(|value| form::form(r, &at.key("form"), value));
    #[cfg(not(feature = "form"))]
    let form = root.optional("form").and_then(|_| {
        let problem =
            "this config binds a signup form: load kelisim.js, the build with forms, not kelisim-banner.js";
        fail(r, &at.key("form"), problem);
        None
    });
    #[cfg(feature = "form")]
    let confirm = root
        .optional("confirm")
        .map(|v| confirm::confirm(r, &at.key("confirm"), v, &endpoint, form.as_ref()));
    #[cfg(not(feature = "form"))]
    if root.optional("confirm").is_some() {
        let problem = "this config asks for SMS confirmation: load kelisim.js, the build with forms, not kelisim-banner.js";
        fail(r, &at.key("confirm"), problem);
    }
    root.finish(r, at, UNKNOWN);
    coverage::check(r, form.as_ref(), &data_categories, &purposes);
    Config {
        operator,
        policy,
        purposes,
        data_categories,
        transfers,
        term,
        notices,
        languages: langs,
        default_language,
        endpoint,
        form,
        #[cfg(feature = "form")]
        confirm,
    }
}

fn operator(r: &mut Reader, at: &Path<'_>, json: &Json, langs: &[Lang]) -> Operator {
    let mut m = r.object(at, json);
    let name = text_member(r, &mut m, at, "name", langs);
    let bin = m.optional("bin").map(|v| {
        let here = at.key("bin");
        let bin = r.string(&here, v);
        if let (false, Err(problem)) = (bin.is_empty(), Bin::parse(&bin)) {
            fail(r, &here, problem.explain());
        }
        bin
    });
    let address = m.optional("address").map(|v| text(r, &at.key("address"), v, langs));
    let mut contacts = Contacts::default();
    if let Some(v) = m.optional("contacts") {
        let here = at.key("contacts");
        let mut c = r.object(&here, v);
        contacts.phone = c.optional("phone").map(|v| r.string(&here.key("phone"), v));
        contacts.email = c.optional("email").map(|v| r.string(&here.key("email"), v));
        contacts.site = c.optional("site").map(|v| http_url(r, &here.key("site"), v));
        c.finish(r, &here, UNKNOWN);
    }
    m.finish(r, at, UNKNOWN);
    Operator { name, bin, address, contacts }
}

fn policy(r: &mut Reader, at: &Path<'_>, json: &Json, langs: &[Lang]) -> Policy {
    let mut m = r.object(at, json);
    let id_json = m.required(r, at, "id");
    let id = identifier(r, &at.key("id"), id_json);
    let version = string_member(r, &mut m, at, "version");
    let effective_from = m.optional("effectiveFrom").map(|v| {
        let here = at.key("effectiveFrom");
        let s = r.string(&here, v);
        if crate::time::parse_date(&s).is_none() {
            fail(r, &here, "must be a date written YYYY-MM-DD");
        }
        s
    });
    let url = m.optional("url").map(|v| text_with(r, &at.key("url"), v, &[Lang::Kk, Lang::Ru], http_url));
    let title = text_member(r, &mut m, at, "title", langs);
    let summary = text_member(r, &mut m, at, "summary", langs);
    let mut sections = Vec::new();
    if let Some(v) = m.optional("text") {
        let list = at.key("text");
        for (i, item) in r.array(&list, v).iter().enumerate() {
            let here = list.index(i);
            let mut s = r.object(&here, item);
            let heading = text_member(r, &mut s, &here, "heading", langs);
            let body = text_member(r, &mut s, &here, "body", langs);
            s.finish(r, &here, UNKNOWN);
            sections.push(Section { heading, body });
        }
    }
    m.finish(r, at, UNKNOWN);
    Policy { id, version, effective_from, url, title, summary, sections }
}

fn data_categories(r: &mut Reader, at: &Path<'_>, json: &Json, langs: &[Lang]) -> Vec<DataCategory> {
    let mut out: Vec<DataCategory> = Vec::new();
    for (i, item) in r.array(at, json).iter().enumerate() {
        let here = at.index(i);
        let mut m = r.object(&here, item);
        let id_at = here.key("id");
        let id_json = m.required(r, &here, "id");
        let id = identifier(r, &id_at, id_json);
        if out.iter().any(|c| c.id == id) {
            fail(r, &id_at, "duplicate data category id");
        }
        let title = text_member(r, &mut m, &here, "title", langs);
        m.finish(r, &here, UNKNOWN);
        out.push(DataCategory { id, title });
    }
    out
}

fn purposes(
    r: &mut Reader,
    at: &Path<'_>,
    json: &Json,
    langs: &[Lang],
    categories: &[DataCategory],
) -> Vec<Purpose> {
    let mut out: Vec<Purpose> = Vec::new();
    let items = r.array(at, json);
    if items.is_empty() && json.as_array().is_some() {
        fail(r, at, "must list at least one purpose");
    }
    for (i, item) in items.iter().enumerate() {
        let here = at.index(i);
        let mut m = r.object(&here, item);
        let id_at = here.key("id");
        let id_json = m.required(r, &here, "id");
        let id = identifier(r, &id_at, id_json);
        if out.iter().any(|q| q.id == id) {
            fail(r, &id_at, "duplicate purpose id");
        }
        let required = bool_member(r, &mut m, &here, "required");
        let title = text_member(r, &mut m, &here, "title", langs);
        let description = text_member(r, &mut m, &here, "description", langs);
        let withdrawal_effect = text_member(r, &mut m, &here, "withdrawalEffect", langs);
        let data_at = here.key("data");
        let mut data = Vec::new();
        let data_json = m.required(r, &here, "data");
        for (j, cat) in r.array(&data_at, data_json).iter().enumerate() {
            let cat_at = data_at.index(j);
            let cat = r.string(&cat_at, cat);
            if !categories.iter().any(|c| c.id == cat) {
                fail(r, &cat_at, "unknown data category: list it in dataCategories first");
            }
            if !data.contains(&cat) {
                data.push(cat);
            }
        }
        let cookies = m.optional("cookies").map(|v| traces(r, &here.key("cookies"), v)).unwrap_or_default();
        let storage_keys =
            m.optional("storageKeys").map(|v| traces(r, &here.key("storageKeys"), v)).unwrap_or_default();
        let consent_mode =
            m.optional("consentMode").map(|v| signals(r, &here.key("consentMode"), v)).unwrap_or_default();
        m.finish(r, &here, UNKNOWN);
        out.push(Purpose {
            id,
            required,
            title,
            description,
            withdrawal_effect,
            data,
            cookies,
            storage_keys,
            consent_mode,
        });
    }
    out
}

/// Cookie or storage-key names, each a name or a prefix ending in `*`: the characters a cookie
/// name may have (RFC 6265 token), `*` only at the end.
fn traces(r: &mut Reader, at: &Path<'_>, json: &Json) -> Vec<Trace> {
    let mut out = Vec::new();
    for (i, item) in r.array(at, json).iter().enumerate() {
        let here = at.index(i);
        let s = r.string(&here, item);
        let (name, prefix) = match s.strip_suffix('*') {
            Some(stem) => (stem, true),
            None => (s.as_str(), false),
        };
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'+-.^_`|~".contains(&b);
        if name.is_empty() || !name.bytes().all(token) {
            fail(
                r,
                &here,
                "a cookie or key name, or a prefix ending in *: letters, digits and !#$%&'+-.^_`|~",
            );
        }
        out.push(Trace { name: name.to_owned(), prefix });
    }
    out
}

/// Google Consent Mode signal names, each once.
fn signals(r: &mut Reader, at: &Path<'_>, json: &Json) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for (i, item) in r.array(at, json).iter().enumerate() {
        let here = at.index(i);
        let s = r.string(&here, item);
        match crate::gate::SIGNALS.iter().find(|known| **known == s) {
            Some(known) if !out.contains(known) => out.push(known),
            Some(_) => fail(r, &here, "listed twice"),
            None => fail(
                r,
                &here,
                "not a Consent Mode signal: ad_storage, ad_user_data, ad_personalization, analytics_storage, functionality_storage, personalization_storage or security_storage",
            ),
        }
    }
    out
}

fn transfers(r: &mut Reader, at: &Path<'_>, json: &Json) -> Transfers {
    let mut m = r.object(at, json);
    let third_parties = bool_member(r, &mut m, at, "thirdParties");
    let cross_at = at.key("crossBorder");
    let cross_border = match m.required(r, at, "crossBorder") {
        Json::Bool(false) => CrossBorder::No,
        Json::Bool(true) => CrossBorder::Yes,
        Json::Array(items) => {
            let mut countries = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let here = cross_at.index(i);
                let code = r.string(&here, item);
                if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                    fail(r, &here, "must be an ISO 3166-1 alpha-2 country code such as \"RU\"");
                } else if countries::name(&code, Lang::Kk).is_none() {
                    let problem = [
                        "kelisim has no Kazakh, Russian and English name for \"",
                        &code,
                        "\": write true and name the destinations in a notice",
                    ];
                    fail(r, &here, concat(&problem));
                }
                countries.push(code);
            }
            if countries.is_empty() {
                CrossBorder::No
            } else {
                CrossBorder::Countries(countries)
            }
        }
        other => {
            r.expected(&cross_at, "true, false or a list of country codes", other);
            CrossBorder::No
        }
    };
    let public_sources = bool_member(r, &mut m, at, "publicSources");
    let stored_in_kazakhstan = bool_member(r, &mut m, at, "storedInKazakhstan");
    m.finish(r, at, UNKNOWN);
    Transfers { third_parties, cross_border, public_sources, stored_in_kazakhstan }
}
