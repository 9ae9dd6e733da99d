//! The consent record (`schema: 1`): what was decided, on which text, when — built from values
//! passed in (clock, random id), never from the environment.

use crate::prelude::*;

mod read;

pub use read::RecordError;

use crate::canonical;
use crate::choices::{Choice, Choices};
use crate::config::{Config, CrossBorder, Transfers};
use crate::json::Writer;
use crate::lang::Lang;

/// The record format version carried in every record.
pub const SCHEMA: u64 = 1;

/// A grant (including refusals of optional purposes) or a withdrawal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The visitor decided on every purpose of the notice.
    Grant,
    /// The visitor withdrew consent for the purposes listed.
    Withdrawal,
}

/// Where the decision was made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Channel {
    /// A web page.
    #[default]
    Web,
    /// A page inside a mobile app's web view.
    Webview,
    /// A shop's tablet, handed to one customer after another.
    #[cfg(feature = "form")]
    Kiosk,
}

impl Kind {
    /// `grant` or `withdrawal`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Grant => "grant",
            Kind::Withdrawal => "withdrawal",
        }
    }
}

impl Channel {
    /// `web`, `webview` or `kiosk`.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Webview => "webview",
            #[cfg(feature = "form")]
            Channel::Kiosk => "kiosk",
        }
    }
}

/// How the subject confirmed a decision beyond ticking it: the collector's confirmation that a
/// one-time code sent by SMS came back (the collector decides whether it holds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    /// The id the collector gave the confirmation (`POST /v1/confirmations`).
    pub id: String,
}

impl Confirmation {
    /// The only method so far, as written in the record.
    pub const METHOD: &'static str = "sms";
}

/// Where a kiosk stands and who hands it over, as the page names them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kiosk {
    /// The shop or point of sale.
    pub shop: Option<String>,
    /// The consultant handing the tablet to customers.
    pub consultant: Option<String>,
}

/// The policy edition and exact text a decision was made on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyRef {
    /// Policy id from the config.
    pub id: String,
    /// Policy edition.
    pub version: String,
    /// Language the notice was shown in.
    pub language: Lang,
    /// SHA-256 of the canonical shown text (see [`crate::canonical`]).
    pub text_sha256: String,
    /// The full policy in that language, when published.
    pub url: Option<String>,
}

/// One consent record, as sent to the collector and stored in the ledger.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsentRecord {
    /// Random UUID made on the client; the idempotency key.
    pub record_id: String,
    /// Grant or withdrawal.
    pub kind: Kind,
    /// Operator name in the shown language.
    pub operator_name: String,
    /// Operator BIN, when the config names it.
    pub operator_bin: Option<String>,
    /// Policy edition and text hash.
    pub policy: PolicyRef,
    /// Each purpose decided (all of them for a grant; the withdrawn ones for a withdrawal).
    pub purposes: Vec<Choice>,
    /// Data categories used by the granted purposes.
    pub data_categories: Vec<String>,
    /// Transfer flags as shown.
    pub transfers: Transfers,
    /// Term of consent in the shown language.
    pub term: String,
    /// Who decided: an opaque id, or the normalized phone/IIN the form supplied.
    pub subject_ref: String,
    /// Client clock, RFC 3339 UTC with milliseconds (informative).
    pub collected_at: String,
    /// Web page or app web view.
    pub channel: Channel,
    /// The page, without query or fragment.
    pub page: Option<String>,
    /// The browser's user agent.
    pub user_agent: Option<String>,
    /// The record this one updates: required for a withdrawal, set on a re-consent.
    pub previous_record_id: Option<String>,
    /// The SMS confirmation the subject completed for this decision.
    #[cfg(feature = "form")]
    pub confirmation: Option<Confirmation>,
    /// The kiosk the decision was made on (with `Channel::Kiosk`).
    #[cfg(feature = "form")]
    pub kiosk: Option<Kiosk>,
}

/// What the shell knows about where and by whom a decision is made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// Subject reference (see [`ConsentRecord::subject_ref`]).
    pub subject_ref: String,
    /// Web page or app web view.
    pub channel: Channel,
    /// The page, without query or fragment.
    pub page: Option<String>,
    /// The browser's user agent.
    pub user_agent: Option<String>,
    /// The SMS confirmation completed for the decision being recorded.
    pub confirmation: Option<Confirmation>,
    /// The kiosk, on a shop's tablet.
    pub kiosk: Option<Kiosk>,
}

/// The values from the outside world a record is stamped with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// Unix milliseconds.
    pub now_ms: i64,
    /// A fresh record id.
    pub record_id: String,
    /// The record this one updates, if any.
    pub previous_record_id: Option<String>,
}

fn data_in_use(config: &Config, purposes: &[Choice]) -> Vec<String> {
    let mut out = Vec::new();
    for cat in &config.data_categories {
        let used = |c: &Choice| c.granted && config.purpose(&c.id).is_some_and(|p| p.data.contains(&cat.id));
        if purposes.iter().any(used) {
            out.push(cat.id.clone());
        }
    }
    out
}

fn base(
    config: &Config,
    lang: Lang,
    kind: Kind,
    purposes: Vec<Choice>,
    ctx: &Context,
    stamp: Stamp,
) -> ConsentRecord {
    ConsentRecord {
        record_id: stamp.record_id,
        kind,
        operator_name: config.operator.name.get(lang).to_owned(),
        operator_bin: config.operator.bin.clone(),
        policy: PolicyRef {
            id: config.policy.id.clone(),
            version: config.policy.version.clone(),
            language: lang,
            text_sha256: canonical::text_sha256(config, lang),
            url: config.policy.url.as_ref().map(|u| u.get(lang).to_owned()),
        },
        data_categories: data_in_use(config, &purposes),
        purposes,
        transfers: config.transfers.clone(),
        term: config.term.get(lang).to_owned(),
        subject_ref: ctx.subject_ref.clone(),
        collected_at: crate::time::format_rfc3339_millis(stamp.now_ms),
        channel: ctx.channel,
        page: ctx.page.clone(),
        user_agent: ctx.user_agent.clone(),
        previous_record_id: stamp.previous_record_id,
        #[cfg(feature = "form")]
        confirmation: ctx.confirmation.clone(),
        #[cfg(feature = "form")]
        kiosk: ctx.kiosk.clone(),
    }
}

/// A grant record: every purpose with its ticked state, on the text shown in `lang`.
pub fn grant(config: &Config, choices: &Choices, lang: Lang, ctx: &Context, stamp: Stamp) -> ConsentRecord {
    base(config, lang, Kind::Grant, choices.items().to_vec(), ctx, stamp)
}

/// A withdrawal record for the `withdrawn` purposes (each listed with `granted: false`).
/// Required purposes can be withdrawn too: the notice says what that costs.
pub fn withdrawal(
    config: &Config,
    withdrawn: &[String],
    lang: Lang,
    ctx: &Context,
    stamp: Stamp,
) -> ConsentRecord {
    let mut purposes = Vec::new();
    for p in &config.purposes {
        if withdrawn.contains(&p.id) {
            purposes.push(Choice { id: p.id.clone(), required: p.required, granted: false });
        }
    }
    base(config, lang, Kind::Withdrawal, purposes, ctx, stamp)
}

impl ConsentRecord {
    /// Compact JSON text of the record, members in the documented order; the exact body POSTed
    /// and stored.
    pub fn to_text(&self) -> String {
        let mut w = Writer::object();
        w.uint(Some("schema"), SCHEMA)
            .str(Some("recordId"), &self.record_id)
            .str(Some("kind"), self.kind.as_str());
        w.open(Some("operator")).str(Some("name"), &self.operator_name);
        w.str_if("bin", self.operator_bin.as_deref()).close();
        let p = &self.policy;
        w.open(Some("policy")).str(Some("id"), &p.id).str(Some("version"), &p.version);
        w.str(Some("language"), p.language.code()).str(Some("textSha256"), &p.text_sha256);
        w.str_if("url", p.url.as_deref()).close();
        w.open_list("purposes");
        for c in &self.purposes {
            w.open(None).str(Some("id"), &c.id).bool(Some("required"), c.required);
            w.bool(Some("granted"), c.granted).close();
        }
        w.close_list().open_list("dataCategories");
        for c in &self.data_categories {
            w.str(None, c);
        }
        let t = &self.transfers;
        w.close_list().open(Some("transfers")).bool(Some("thirdParties"), t.third_parties);
        match &t.cross_border {
            CrossBorder::Countries(list) => {
                w.open_list("crossBorder");
                for c in list {
                    w.str(None, c);
                }
                w.close_list()
            }
            other => w.bool(Some("crossBorder"), other.any()),
        };
        w.bool(Some("publicSources"), t.public_sources);
        w.bool(Some("storedInKazakhstan"), t.stored_in_kazakhstan).close();
        w.str(Some("term"), &self.term).open(Some("subject")).str(Some("ref"), &self.subject_ref).close();
        #[cfg(feature = "form")]
        if let Some(c) = &self.confirmation {
            w.open(Some("confirmation"))
                .str(Some("id"), &c.id)
                .str(Some("method"), Confirmation::METHOD)
                .close();
        }
        w.str(Some("collectedAt"), &self.collected_at).str(Some("channel"), self.channel.as_str());
        #[cfg(feature = "form")]
        if let Some(k) = &self.kiosk {
            w.open(Some("kiosk"))
                .str_if("shop", k.shop.as_deref())
                .str_if("consultant", k.consultant.as_deref());
            w.close();
        }
        w.str_if("page", self.page.as_deref()).str_if("userAgent", self.user_agent.as_deref());
        w.str_if("previousRecordId", self.previous_record_id.as_deref());
        w.finish()
    }

    /// Reads and checks a record received over the wire.
    pub fn from_json_text(text: &str) -> Result<ConsentRecord, RecordError> {
        read::record_text(text)
    }

    /// The purposes granted by this record.
    pub fn granted(&self) -> impl Iterator<Item = &str> {
        self.purposes.iter().filter(|c| c.granted).map(|c| c.id.as_str())
    }
}

#[cfg(test)]
mod tests;
