//! What the page may run, load and keep once the visitor has decided: the plan the page's gating
//! script follows (each purpose granted or not; a mark runs only when every purpose it names is a
//! granted one, a rule the script applies to the page's marks), which cookies and storage keys a
//! refusal clears, and the Google Consent Mode signals it stands for.

use crate::concat::concat;
use crate::config::{Config, Trace};
use crate::i18n::{phrase, Phrase};
use crate::json::Writer;
use crate::lang::Lang;
use crate::prelude::*;

#[cfg(test)]
mod tests;

/// The Google Consent Mode v2 signals a config may tie to a purpose.
pub const SIGNALS: [&str; 7] = [
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
    "security_storage",
];

/// What the page's gating script needs, as JSON text: each purpose granted or not, its title in
/// `lang`, the placeholder's words, `prefix` (the mount whose placeholders these are); the
/// Consent Mode signals (`consent`, each granted or not; `consentDefault` on the first plan of a
/// page, when every signal is to be denied before anything runs); and, once `decided`, the
/// cookies and storage keys of the purposes not granted (`clear`, a trailing `*` for a prefix).
pub fn plan(
    config: &Config,
    granted: &dyn Fn(&str) -> bool,
    lang: Lang,
    prefix: &str,
    first: bool,
    decided: bool,
) -> String {
    let mut w = Writer::object();
    w.str(Some("for"), prefix).bool(Some("consentDefault"), first).bool(Some("decided"), decided);
    w.open(Some("consent"));
    for (signal, on) in consent_mode(config, granted) {
        w.bool(Some(signal), on);
    }
    w.close();
    let (cookies, keys) = if decided { to_clear(config, granted) } else { (Vec::new(), Vec::new()) };
    w.open(Some("clear"));
    for (name, list) in [("cookies", cookies), ("keys", keys)] {
        w.open_list(name);
        for t in list {
            w.str(None, &concat(&[&t.name, if t.prefix { "*" } else { "" }]));
        }
        w.close_list();
    }
    w.close();
    w.open(Some("purposes"));
    for p in &config.purposes {
        w.bool(Some(&p.id), granted(&p.id));
    }
    w.close().open(Some("titles"));
    for p in &config.purposes {
        w.str(Some(&p.id), p.title.get(lang));
    }
    w.close();
    w.str(Some("lang"), lang.code());
    w.str(Some("needs"), phrase(Phrase::EmbedNeeds, lang))
        .str(Some("allow"), phrase(Phrase::AllowEmbed, lang));
    w.finish()
}

/// Each signal the config ties to a purpose, granted if any granted purpose carries it, in the
/// order of [`SIGNALS`]. Signals no purpose names are left out: the page's own defaults stand.
pub fn consent_mode(config: &Config, granted: &dyn Fn(&str) -> bool) -> Vec<(&'static str, bool)> {
    let mut out = Vec::new();
    for signal in SIGNALS {
        let mut named = false;
        let mut on = false;
        for p in &config.purposes {
            if p.consent_mode.contains(&signal) {
                named = true;
                on |= p.required || granted(&p.id);
            }
        }
        if named {
            out.push((signal, on));
        }
    }
    out
}

/// The cookies and storage keys of the purposes not granted: what a refusal or a withdrawal clears.
pub fn to_clear<'a>(config: &'a Config, granted: &dyn Fn(&str) -> bool) -> (Vec<&'a Trace>, Vec<&'a Trace>) {
    let (mut cookies, mut keys) = (Vec::new(), Vec::new());
    for p in config.purposes.iter().filter(|p| !p.required && !granted(&p.id)) {
        cookies.extend(p.cookies.iter());
        keys.extend(p.storage_keys.iter());
    }
    (cookies, keys)
}
