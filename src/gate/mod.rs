//! What the page may run, load and keep once the visitor has decided: which gated scripts and
//! embeds a decision allows, which cookies and storage keys a refusal clears, and the Google
//! Consent Mode signals it stands for. Pure: the web shell applies it to the page.

use crate::concat::concat;
use crate::config::{Config, Trace};
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

/// The first purpose a mark names that is not granted: the one a placeholder offers to grant.
pub fn missing<'a>(names: &'a str, granted: &dyn Fn(&str) -> bool) -> Option<&'a str> {
    names.split_ascii_whitespace().find(|id| !granted(id))
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
    let mut domain = host;
    // An IP address or a single label has no parent domain to try.
    let is_ip = host.bytes().all(|b| b.is_ascii_digit() || b == b'.') || host.contains(':');
    while !is_ip && domain.contains('.') {
        out.push(concat(&[&base, "; domain=", domain]));
        domain = match domain.split_once('.') {
            Some((_, rest)) if rest.contains('.') => rest,
            _ => break,
        };
    }
    out
}
