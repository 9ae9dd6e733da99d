//! What the page may run, load and keep once the visitor has decided: which gated scripts and
//! embeds a decision allows, which cookies and storage keys a refusal clears, and the Google
//! Consent Mode signals it stands for. Pure: the web shell applies it to the page.

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

/// Whether a script or embed marked `data-kelisim-purpose="<names>"` may run: every purpose it
/// names (space-separated) is known and granted. A mark that names nothing allows nothing.
pub fn allows(names: &str, config: &Config, granted: &dyn Fn(&str) -> bool) -> bool {
    let mut any = false;
    for id in names.split_ascii_whitespace() {
        if config.purpose(id).is_none() || !granted(id) {
            return false;
        }
        any = true;
    }
    any
}

/// What the page's gating script needs, as JSON text: each purpose granted or not, its title in
/// `lang`, the placeholder's words, and `prefix` (the mount whose placeholders these are).
pub fn plan(config: &Config, granted: &dyn Fn(&str) -> bool, lang: Lang, prefix: &str) -> String {
    let mut w = Writer::object();
    w.str(Some("for"), prefix);
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

/// Whether the cookie or key `name` is the one `trace` names (or starts with its prefix).
pub fn matches(trace: &Trace, name: &str) -> bool {
    if trace.prefix {
        name.starts_with(trace.name.as_str())
    } else {
        name == trace.name
    }
}

/// The `document.cookie` assignments that expire cookie `name` as set for `host` and for each of
/// its parent domains (trackers set theirs on `.example.kz` as often as on `www.example.kz`).
pub fn expiring(name: &str, host: &str) -> Vec<String> {
    let base = concat(&[name, "=; Max-Age=0; path=/"]);
    let mut out = vec![base.clone()];
    // An IP address or a single label has no parent domain to try.
    let is_ip = host.bytes().all(|b| b.is_ascii_digit() || b == b'.') || host.contains(':');
    let mut domain = host;
    while !is_ip && domain.contains('.') {
        out.push(concat(&[&base, "; domain=", domain]));
        // Byte positions and `get`, not slicing: no panic path (and its formatting) in the wasm.
        let dot = domain.bytes().position(|b| b == b'.').unwrap_or(0);
        domain = domain.get(dot + 1..).unwrap_or("");
        if !domain.contains('.') {
            break;
        }
    }
    out
}

/// The names in a `document.cookie` string (`a=1; b=2`).
pub fn cookie_names(jar: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = jar.as_bytes();
    let mut start = 0;
    for end in 0..=bytes.len() {
        if end == bytes.len() || bytes[end] == b';' {
            let pair = jar.get(start..end).unwrap_or("");
            let eq = pair.bytes().position(|b| b == b'=').unwrap_or(pair.len());
            let lead = pair.bytes().take_while(|b| *b == b' ').count();
            if let Some(name) = pair.get(lead..eq).filter(|n| !n.is_empty()) {
                out.push(name);
            }
            start = end + 1;
        }
    }
    out
}
