//! Reading a [`Config`] out of JSON, with every error naming the field it is about.

use crate::prelude::*;

#[cfg(feature = "form")]
mod form;

use super::{
    Config, Contacts, CrossBorder, DataCategory, Operator, Policy, Purpose, Section, Text, Transfers,
};
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
        ["config: ", &self.field, field_sep, &self.problem].concat()
    }
}

impl core::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for ConfigError {}

/// Reads a config, keeping the first problem met and carrying on with empty values after it.
///
/// Carrying on instead of returning at every `?` is deliberate: early returns make the compiler
/// emit drop code for every partly built value at every exit, which measured ~10 KB of wasm.
#[derive(Default)]
struct Reader {
    first_error: Option<ConfigError>,
}

static NULL: Json = Json::Null;

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        [path, ".", key].concat()
    }
}

fn index(path: &str, i: usize) -> String {
    let mut p = path.to_owned();
    p.push('[');
    crate::json::push_uint(&mut p, i as u64);
    p.push(']');
    p
}

impl Reader {
    fn fail(&mut self, path: &str, problem: impl Into<String>) {
        if self.first_error.is_none() {
            self.first_error = Some(ConfigError::new(path, problem));
        }
    }

    fn expected(&mut self, path: &str, what: &str, found: &Json) {
        let problem = ["expected ", what, ", found ", found.kind()].concat();
        self.fail(path, problem);
    }

    fn string(&mut self, path: &str, json: &Json) -> String {
        match json.as_str() {
            Some(s) if !s.trim().is_empty() => return s.to_owned(),
            Some(_) => self.fail(path, "must not be empty"),
            None => self.expected(path, "a string", json),
        }
        String::new()
    }

    fn boolean(&mut self, path: &str, json: &Json) -> bool {
        json.as_bool().unwrap_or_else(|| {
            self.expected(path, "true or false", json);
            false
        })
    }

    fn array<'a>(&mut self, path: &str, json: &'a Json) -> &'a [Json] {
        json.as_array().unwrap_or_else(|| {
            self.expected(path, "an array", json);
            &[]
        })
    }

    /// An identifier: ASCII letters, digits, `-` and `_`, starting with a letter.
    fn identifier(&mut self, path: &str, json: &Json) -> String {
        let s = self.string(path, json);
        let mut chars = s.chars();
        let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
        let valid = starts_with_letter
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && s.len() <= 64;
        if !s.is_empty() && !valid {
            self.fail(
                path,
                "must be an identifier: ASCII letters, digits, '-' or '_', starting with a letter",
            );
        }
        s
    }

    fn http_url(&mut self, path: &str, json: &Json) -> String {
        let s = self.string(path, json);
        if !s.is_empty() && !url::is_http(&s) {
            self.fail(path, "must be an http:// or https:// URL");
        }
        s
    }

    /// Reads a language map. Every language in `langs` must be present and non-empty.
    fn text(&mut self, path: &str, json: &Json, langs: &[Lang]) -> Text {
        self.text_with(path, json, langs, Reader::string)
    }

    fn text_with(
        &mut self,
        path: &str,
        json: &Json,
        langs: &[Lang],
        item: fn(&mut Reader, &str, &Json) -> String,
    ) -> Text {
        let mut out = Text::default();
        let Some(members) = json.as_object() else {
            self.expected(path, "an object of texts by language", json);
            return out;
        };
        for (key, value) in members {
            let at = join(path, key);
            match Lang::from_tag(key) {
                Some(lang) if lang.code() == key => out.set(lang, item(self, &at, value)),
                _ => self.fail(&at, "unknown language: use \"kk\", \"ru\" or \"en\""),
            }
        }
        for lang in langs {
            if out.try_get(*lang).is_none() {
                self.fail(path, ["no \"", lang.code(), "\" text"].concat());
            }
        }
        out
    }

    fn texts(&mut self, path: &str, json: &Json, langs: &[Lang]) -> Vec<Text> {
        let items = self.array(path, json);
        items.iter().enumerate().map(|(i, item)| self.text(&index(path, i), item, langs)).collect()
    }

    fn languages(&mut self, path: &str, json: &Json) -> Vec<Lang> {
        let mut out = Vec::new();
        for (i, item) in self.array(path, json).iter().enumerate() {
            let at = index(path, i);
            let code = self.string(&at, item);
            match Lang::from_tag(&code) {
                Some(lang) if lang.code() == code && !out.contains(&lang) => out.push(lang),
                Some(_) => self.fail(&at, "listed twice or not lower-case"),
                None => self.fail(&at, "unknown language: use \"kk\", \"ru\" or \"en\""),
            }
        }
        for must in [Lang::Kk, Lang::Ru] {
            if !out.contains(&must) {
                let problem = [
                    "must include \"",
                    must.code(),
                    "\": consumer information in Kazakhstan is given in Kazakh and Russian",
                ];
                self.fail(path, problem.concat());
                out.push(must);
            }
        }
        out
    }
}

/// An object being read: remembers which members were used, so unknown ones are reported.
struct Members<'a> {
    path: String,
    members: &'a [(String, Json)],
    used: Vec<bool>,
}

impl<'a> Members<'a> {
    fn of(r: &mut Reader, path: String, json: &'a Json) -> Members<'a> {
        let members = json.as_object().unwrap_or_else(|| {
            r.expected(&path, "an object", json);
            &[]
        });
        Members { path, used: vec![false; members.len()], members }
    }

    fn optional(&mut self, key: &str) -> Option<(String, &'a Json)> {
        let i = self.members.iter().position(|(k, _)| k == key)?;
        self.used[i] = true;
        match &self.members[i].1 {
            Json::Null => None,
            value => Some((join(&self.path, key), value)),
        }
    }

    fn required(&mut self, r: &mut Reader, key: &str) -> (String, &'a Json) {
        self.optional(key).unwrap_or_else(|| {
            let path = join(&self.path, key);
            r.fail(&path, "missing: this field is required");
            (path, &NULL)
        })
    }

    /// Reports the first member never asked for (a typo, or a field this version does not
    /// know). `$schema` is always allowed.
    fn finish(self, r: &mut Reader) {
        if let Some(((key, _), _)) =
            self.members.iter().zip(&self.used).find(|((k, _), used)| !**used && k != "$schema")
        {
            r.fail(&join(&self.path, key), "unknown field: check its spelling against the config schema");
        }
    }
}

pub(super) fn config(json: &Json) -> Result<Config, ConfigError> {
    let r = &mut Reader::default();
    let mut root = Members::of(r, String::new(), json);
    let langs = match root.optional("languages") {
        Some((path, value)) => r.languages(&path, value),
        None => vec![Lang::Kk, Lang::Ru],
    };
    let default_language = match root.optional("defaultLanguage") {
        Some((path, value)) => {
            let code = r.string(&path, value);
            Lang::from_tag(&code).filter(|l| langs.contains(l)).unwrap_or_else(|| {
                r.fail(&path, "must be one of the listed languages");
                Lang::Kk
            })
        }
        None => Lang::Kk,
    };
    let (path, value) = root.required(r, "operator");
    let operator = operator(r, path, value, &langs);
    let (path, value) = root.required(r, "policy");
    let policy = policy(r, path, value, &langs);
    let (path, value) = root.required(r, "dataCategories");
    let data_categories = data_categories(r, &path, value, &langs);
    let (path, value) = root.required(r, "purposes");
    let purposes = purposes(r, &path, value, &langs, &data_categories);
    let (path, value) = root.required(r, "transfers");
    let transfers = transfers(r, path, value);
    let (path, value) = root.required(r, "term");
    let term = r.text(&path, value, &langs);
    let notices = match root.optional("notices") {
        Some((path, value)) => r.texts(&path, value, &langs),
        None => Vec::new(),
    };
    let (path, value) = root.required(r, "endpoint");
    let endpoint = r.string(&path, value);
    if !(url::is_http(&endpoint) || (endpoint.starts_with('/') && !endpoint.starts_with("//"))) {
        r.fail(&path, "must be an http(s) URL or a path starting with '/'");
    }
    #[cfg(feature = "form")]
    let form = root.optional("form").map(|(path, value)| form::form(r, path, value));
    #[cfg(not(feature = "form"))]
    let form = root.optional("form").and_then(|(path, _)| {
        r.fail(
            &path,
            "this config binds a signup form: load kelisim.js, the build with forms, not kelisim-banner.js",
        );
        None
    });
    root.finish(r);
    match r.first_error.take() {
        Some(e) => Err(e),
        None => Ok(Config {
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
        }),
    }
}

fn operator(r: &mut Reader, path: String, json: &Json, langs: &[Lang]) -> Operator {
    let mut m = Members::of(r, path, json);
    let (p, v) = m.required(r, "name");
    let name = r.text(&p, v, langs);
    let bin = m.optional("bin").map(|(p, v)| {
        let bin = r.string(&p, v);
        if let (false, Err(problem)) = (bin.is_empty(), Bin::parse(&bin)) {
            r.fail(&p, problem.explain());
        }
        bin
    });
    let address = m.optional("address").map(|(p, v)| r.text(&p, v, langs));
    let mut contacts = Contacts::default();
    if let Some((p, v)) = m.optional("contacts") {
        let mut c = Members::of(r, p, v);
        contacts.phone = c.optional("phone").map(|(p, v)| r.string(&p, v));
        contacts.email = c.optional("email").map(|(p, v)| r.string(&p, v));
        contacts.site = c.optional("site").map(|(p, v)| r.http_url(&p, v));
        c.finish(r);
    }
    m.finish(r);
    Operator { name, bin, address, contacts }
}

fn policy(r: &mut Reader, path: String, json: &Json, langs: &[Lang]) -> Policy {
    let mut m = Members::of(r, path, json);
    let (p, v) = m.required(r, "id");
    let id = r.identifier(&p, v);
    let (p, v) = m.required(r, "version");
    let version = r.string(&p, v);
    let effective_from = m.optional("effectiveFrom").map(|(p, v)| {
        let s = r.string(&p, v);
        if crate::time::parse_date(&s).is_none() {
            r.fail(&p, "must be a date written YYYY-MM-DD");
        }
        s
    });
    let url = m.optional("url").map(|(p, v)| r.text_with(&p, v, &[Lang::Kk, Lang::Ru], Reader::http_url));
    let (p, v) = m.required(r, "title");
    let title = r.text(&p, v, langs);
    let (p, v) = m.required(r, "summary");
    let summary = r.text(&p, v, langs);
    let mut sections = Vec::new();
    if let Some((p, v)) = m.optional("text") {
        for (i, item) in r.array(&p, v).iter().enumerate() {
            let mut s = Members::of(r, index(&p, i), item);
            let (hp, hv) = s.required(r, "heading");
            let heading = r.text(&hp, hv, langs);
            let (bp, bv) = s.required(r, "body");
            let body = r.text(&bp, bv, langs);
            s.finish(r);
            sections.push(Section { heading, body });
        }
    }
    m.finish(r);
    Policy { id, version, effective_from, url, title, summary, sections }
}

fn data_categories(r: &mut Reader, path: &str, json: &Json, langs: &[Lang]) -> Vec<DataCategory> {
    let mut out: Vec<DataCategory> = Vec::new();
    for (i, item) in r.array(path, json).iter().enumerate() {
        let mut m = Members::of(r, index(path, i), item);
        let (p, v) = m.required(r, "id");
        let id = r.identifier(&p, v);
        if out.iter().any(|c| c.id == id) {
            r.fail(&p, "duplicate data category id");
        }
        let (p, v) = m.required(r, "title");
        let title = r.text(&p, v, langs);
        m.finish(r);
        out.push(DataCategory { id, title });
    }
    out
}

fn purposes(
    r: &mut Reader,
    path: &str,
    json: &Json,
    langs: &[Lang],
    categories: &[DataCategory],
) -> Vec<Purpose> {
    let mut out: Vec<Purpose> = Vec::new();
    let items = r.array(path, json);
    if items.is_empty() && json.as_array().is_some() {
        r.fail(path, "must list at least one purpose");
    }
    for (i, item) in items.iter().enumerate() {
        let mut m = Members::of(r, index(path, i), item);
        let (p, v) = m.required(r, "id");
        let id = r.identifier(&p, v);
        if out.iter().any(|q| q.id == id) {
            r.fail(&p, "duplicate purpose id");
        }
        let (p, v) = m.required(r, "required");
        let required = r.boolean(&p, v);
        let (p, v) = m.required(r, "title");
        let title = r.text(&p, v, langs);
        let (p, v) = m.required(r, "description");
        let description = r.text(&p, v, langs);
        let (p, v) = m.required(r, "withdrawalEffect");
        let withdrawal_effect = r.text(&p, v, langs);
        let (p, v) = m.required(r, "data");
        let mut data = Vec::new();
        for (j, cat) in r.array(&p, v).iter().enumerate() {
            let at = index(&p, j);
            let cat = r.string(&at, cat);
            if !categories.iter().any(|c| c.id == cat) {
                r.fail(&at, "unknown data category: list it in dataCategories first");
            }
            if !data.contains(&cat) {
                data.push(cat);
            }
        }
        m.finish(r);
        out.push(Purpose { id, required, title, description, withdrawal_effect, data });
    }
    out
}

fn transfers(r: &mut Reader, path: String, json: &Json) -> Transfers {
    let mut m = Members::of(r, path, json);
    let (p, v) = m.required(r, "thirdParties");
    let third_parties = r.boolean(&p, v);
    let (p, v) = m.required(r, "crossBorder");
    let cross_border = match v {
        Json::Bool(false) => CrossBorder::No,
        Json::Bool(true) => CrossBorder::Yes,
        Json::Array(items) => {
            let mut countries = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let at = index(&p, i);
                let code = r.string(&at, item);
                if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                    r.fail(&at, "must be an ISO 3166-1 alpha-2 country code such as \"RU\"");
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
            r.expected(&p, "true, false or a list of country codes", other);
            CrossBorder::No
        }
    };
    let (p, v) = m.required(r, "publicSources");
    let public_sources = r.boolean(&p, v);
    let (p, v) = m.required(r, "storedInKazakhstan");
    let stored_in_kazakhstan = r.boolean(&p, v);
    m.finish(r);
    Transfers { third_parties, cross_border, public_sources, stored_in_kazakhstan }
}
