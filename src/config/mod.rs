//! The operator's config: what a notice says, in which languages, and where records go.
//!
//! A [`Config`] only exists validated: [`Config::from_json_text`] refuses anything half-translated
//! or malformed with a [`ConfigError`] that names the field, so the banner never shows a wrong notice.

pub mod countries;
pub mod coverage;
mod read;
mod text;

use crate::prelude::*;

pub use read::ConfigError;
pub use text::Text;

use crate::json::Json;
use crate::lang::Lang;
use crate::validate::FieldKind;

/// A validated operator config.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Who collects the data (Law 94-V Art. 8(4): name and BIN).
    pub operator: Operator,
    /// The policy edition the notice summarises.
    pub policy: Policy,
    /// One checkbox each; required ones are locked on.
    pub purposes: Vec<Purpose>,
    /// The kinds of data collected.
    pub data_categories: Vec<DataCategory>,
    /// Where the data may go.
    pub transfers: Transfers,
    /// How long the consent lasts.
    pub term: Text,
    /// Statements the visitor cannot refuse (e.g. service messages), shown but not offered.
    pub notices: Vec<Text>,
    /// Languages offered; always contains Kazakh and Russian.
    pub languages: Vec<Lang>,
    /// Shown when nothing about the visitor says otherwise.
    pub default_language: Lang,
    /// Where records are POSTed: an http(s) URL or a same-origin path.
    pub endpoint: String,
    /// The signup form to validate and bind to the consent, if any.
    pub form: Option<Form>,
    /// Whether a decision is recorded only once the subject confirms it with an SMS code.
    #[cfg(feature = "form")]
    pub confirm: Option<Confirm>,
}

/// SMS confirmation of decisions: the collector sends a one-time code and checks it.
#[cfg(feature = "form")]
#[derive(Clone, Debug, PartialEq)]
pub struct Confirm {
    /// Where confirmations are asked for (`POST`), and checked (`POST {endpoint}/{id}`).
    pub endpoint: String,
}

/// A signup form whose fields kelisim validates and whose submit records the consent.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// CSS selector of the `<form>`.
    pub selector: String,
    /// Minimum age in whole years for a `birthDate` field (0: none). Below it, a legal
    /// representative must consent, and the form says so.
    pub minimum_age: u32,
    /// The field whose normalized value becomes the record's `subject.ref` (a phone or an IIN).
    pub subject: Option<String>,
    /// The fields, by their `name` in the form.
    pub fields: Vec<FormField>,
}

/// One validated field of a bound form.
#[derive(Clone, Debug, PartialEq)]
pub struct FormField {
    /// The control's `name` attribute.
    pub name: String,
    /// What the field holds.
    pub kind: FieldKind,
    /// Whether it must be filled in.
    pub required: bool,
    /// For a phone: whether fixed lines are accepted as well as mobiles.
    pub allow_landline: bool,
}

/// The operator: the legal entity that asks for consent.
#[derive(Clone, Debug, PartialEq)]
pub struct Operator {
    /// Registered name.
    pub name: Text,
    /// Business identification number, 12 digits with a valid check digit. Law 94-V Art. 8(4)
    /// asks a consent to name it; it is optional here only because not every published policy
    /// states it.
    pub bin: Option<String>,
    /// Legal address.
    pub address: Option<Text>,
    /// How a data subject reaches the operator.
    pub contacts: Contacts,
}

/// Operator contacts; each one optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contacts {
    /// Telephone, as the operator writes it.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Website, http(s).
    pub site: Option<String>,
}

/// One edition of the operator's privacy policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// Stable identifier of the policy across editions.
    pub id: String,
    /// The edition: a date or an order number.
    pub version: String,
    /// When the edition took effect, `YYYY-MM-DD`.
    pub effective_from: Option<String>,
    /// The full policy online, per language (http(s) only), when it is published.
    pub url: Option<Text>,
    /// Heading of the notice.
    pub title: Text,
    /// The notice text shown in the banner.
    pub summary: Text,
    /// Optional full text for an in-page reader.
    pub sections: Vec<Section>,
}

/// A section of the full policy text.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// Section heading.
    pub heading: Text,
    /// Section body, plain text.
    pub body: Text,
}

/// A purpose the visitor consents to.
#[derive(Clone, Debug, PartialEq)]
pub struct Purpose {
    /// Identifier carried in records.
    pub id: String,
    /// Required purposes (the contract itself) are shown ticked and locked.
    pub required: bool,
    /// Checkbox label.
    pub title: Text,
    /// What the purpose covers.
    pub description: Text,
    /// What withdrawing this consent costs the visitor.
    pub withdrawal_effect: Text,
    /// Data category ids this purpose uses.
    pub data: Vec<String>,
    /// The cookies this purpose's tools set: cleared when it is refused or withdrawn.
    pub cookies: Vec<Trace>,
    /// The local-storage keys this purpose's tools set: cleared likewise.
    pub storage_keys: Vec<Trace>,
    /// The Google Consent Mode signals a grant of this purpose stands for (`gate::SIGNALS`).
    pub consent_mode: Vec<&'static str>,
}

/// A cookie or storage key a tool sets: one name, or every name starting with a prefix
/// (written with a trailing `*` in the config).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// The name, or the prefix without its `*`.
    pub name: String,
    /// `name` is a prefix.
    pub prefix: bool,
}

/// A kind of personal data collected.
#[derive(Clone, Debug, PartialEq)]
pub struct DataCategory {
    /// Identifier carried in records (`fullName`, `phone`, ...).
    pub id: String,
    /// What the visitor reads.
    pub title: Text,
}

/// Where data may travel (Law 94-V Art. 8(4), 12, 16).
#[derive(Clone, Debug, PartialEq)]
pub struct Transfers {
    /// Data are passed to third parties.
    pub third_parties: bool,
    /// Data cross the border.
    pub cross_border: CrossBorder,
    /// Data are published in public sources.
    pub public_sources: bool,
    /// The primary database is in Kazakhstan.
    pub stored_in_kazakhstan: bool,
}

/// Cross-border transfer: none, unspecified destinations, or named countries.
#[derive(Clone, Debug, PartialEq)]
pub enum CrossBorder {
    /// No cross-border transfer.
    No,
    /// Cross-border transfer to destinations the policy does not name.
    Yes,
    /// Cross-border transfer to these ISO 3166-1 alpha-2 countries.
    Countries(Vec<String>),
}

impl CrossBorder {
    /// Whether any cross-border transfer happens.
    pub fn any(&self) -> bool {
        !matches!(self, CrossBorder::No)
    }
}

impl Config {
    /// Parses and validates a config from JSON text.
    pub fn from_json_text(text: &str) -> Result<Config, ConfigError> {
        let json = Json::parse(text).map_err(|e| ConfigError::new("", e.message()))?;
        Config::from_json(&json)
    }

    /// Validates a config from parsed JSON: its fields, and the rules over the whole config.
    pub fn from_json(json: &Json) -> Result<Config, ConfigError> {
        read::config(json)
    }

    /// Every problem of a config, for a checker (native builds): each mistake named once, in the
    /// order met, the first being the one [`Config::from_json_text`] reports. Empty when valid.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn problems_in(text: &str) -> Vec<ConfigError> {
        match Json::parse(text) {
            Ok(json) => read::problems(&json),
            Err(e) => vec![ConfigError::new("", e.message())],
        }
    }

    /// The purpose with this id.
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }

    /// The data category with this id.
    pub fn data_category(&self, id: &str) -> Option<&DataCategory> {
        self.data_categories.iter().find(|c| c.id == id)
    }

    /// Whether `lang` is offered, i.e. every text of this config has it.
    pub fn offers(&self, lang: Lang) -> bool {
        self.languages.contains(&lang)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod problems_tests;
#[cfg(test)]
pub(crate) mod tests;
