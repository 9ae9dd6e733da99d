//! The canonical form of the text a visitor was shown, and its SHA-256 (`textSha256`).
//!
//! The browser and the collector call the same function on the same config, so a record's hash
//! can always be recomputed from the policy edition and language it names. The form, version 1:
//!
//! ```text
//! kelisim-text/1
//! language=kk
//! operator.name=«КаР-Тел» ЖШС
//! operator.bin=980540000397
//! policy.id=karatel-subscribers
//! policy.version=2018-02-26
//! policy.title=…
//! policy.summary=…
//! policy.url=https://…
//! purposes[0].id=basicServices
//! purposes[0].required=true
//! purposes[0].title=…
//! purposes[0].description=…
//! purposes[0].withdrawalEffect=…
//! purposes[0].data=fullName,phone
//! dataCategories[0].id=fullName
//! dataCategories[0].title=…
//! transfers.thirdParties=true
//! transfers.crossBorder=RU,BY          (true, false, or the country codes)
//! transfers.publicSources=false
//! transfers.storedInKazakhstan=true
//! term=…
//! notices[0]=…
//! ```
//!
//! One `key=value` line per field, each ending in `\n`, in exactly this order; values are the
//! config's strings in the shown language, byte for byte (UTF-8, no Unicode normalisation), with
//! `\` written as `\\`, line feed as `\n` and carriage return as `\r`; an absent optional value
//! (`operator.bin`, `policy.url`) is an empty value. Texts of the full policy
//! (`policy.text`) are reached through `policy.url` and are not part of the hash.

use crate::concat::join;
use crate::config::{Config, CrossBorder};
use crate::lang::Lang;
use crate::prelude::*;

/// The first line of the canonical text; bumped if the form ever changes.
pub const FORM: &str = "kelisim-text/1";

fn line(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push('=');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('\n');
}

fn flag(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// The canonical text of what `config` shows in `lang`.
pub fn shown_text(config: &Config, lang: Lang) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str(FORM);
    out.push('\n');
    line(&mut out, "language", lang.code());
    line(&mut out, "operator.name", config.operator.name.get(lang));
    line(&mut out, "operator.bin", config.operator.bin.as_deref().unwrap_or(""));
    let policy = &config.policy;
    line(&mut out, "policy.id", &policy.id);
    line(&mut out, "policy.version", &policy.version);
    line(&mut out, "policy.title", policy.title.get(lang));
    line(&mut out, "policy.summary", policy.summary.get(lang));
    line(&mut out, "policy.url", policy.url.as_ref().map_or("", |u| u.get(lang)));
    for (i, p) in config.purposes.iter().enumerate() {
        let key = |field: &str| {
            let mut k = String::from("purposes[");
            crate::json::push_uint(&mut k, i as u64);
            k.push_str("].");
            k.push_str(field);
            k
        };
        line(&mut out, &key("id"), &p.id);
        line(&mut out, &key("required"), flag(p.required));
        line(&mut out, &key("title"), p.title.get(lang));
        line(&mut out, &key("description"), p.description.get(lang));
        line(&mut out, &key("withdrawalEffect"), p.withdrawal_effect.get(lang));
        line(&mut out, &key("data"), &join(&p.data, ","));
    }
    for (i, c) in config.data_categories.iter().enumerate() {
        let mut key = String::from("dataCategories[");
        crate::json::push_uint(&mut key, i as u64);
        key.push_str("].");
        let id_key = key.clone() + "id";
        line(&mut out, &id_key, &c.id);
        line(&mut out, &(key + "title"), c.title.get(lang));
    }
    let t = &config.transfers;
    line(&mut out, "transfers.thirdParties", flag(t.third_parties));
    let cross = match &t.cross_border {
        CrossBorder::No => "false".to_owned(),
        CrossBorder::Yes => "true".to_owned(),
        CrossBorder::Countries(list) => join(list, ","),
    };
    line(&mut out, "transfers.crossBorder", &cross);
    line(&mut out, "transfers.publicSources", flag(t.public_sources));
    line(&mut out, "transfers.storedInKazakhstan", flag(t.stored_in_kazakhstan));
    line(&mut out, "term", config.term.get(lang));
    for (i, n) in config.notices.iter().enumerate() {
        let mut key = String::from("notices[");
        crate::json::push_uint(&mut key, i as u64);
        key.push(']');
        line(&mut out, &key, n.get(lang));
    }
    out
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = crate::sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0xf)] as char);
    }
    out
}

/// `textSha256` of what `config` shows in `lang`.
pub fn text_sha256(config: &Config, lang: Lang) -> String {
    sha256_hex(shown_text(config, lang).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::sample;

    #[test]
    fn sha256_matches_the_standard_test_vector() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn canonical_text_starts_with_its_form_and_language() {
        let cfg = sample();
        let text = shown_text(&cfg, Lang::Ru);
        assert!(text.starts_with("kelisim-text/1\nlanguage=ru\noperator.name=ТОО «КаР-Тел»\n"), "{text}");
        assert!(text.ends_with("term=До окончания договора\n"), "{text}");
    }

    #[test]
    fn each_language_has_its_own_hash() {
        let cfg = sample();
        let kk = text_sha256(&cfg, Lang::Kk);
        let ru = text_sha256(&cfg, Lang::Ru);
        assert_ne!(kk, ru);
        assert_eq!(kk.len(), 64);
        assert_eq!(kk, text_sha256(&cfg, Lang::Kk));
    }

    #[test]
    fn any_change_to_a_shown_string_changes_the_hash() {
        let cfg = sample();
        let mut edited = cfg.clone();
        edited.purposes[1].description.set(Lang::Kk, "өзгертілген".into());
        assert_ne!(text_sha256(&cfg, Lang::Kk), text_sha256(&edited, Lang::Kk));
        assert_eq!(text_sha256(&cfg, Lang::Ru), text_sha256(&edited, Lang::Ru));
    }

    #[test]
    fn line_breaks_in_values_cannot_forge_extra_lines() {
        let cfg = sample();
        let mut forged = cfg.clone();
        forged.term.set(Lang::Kk, "a\nnotices[0]=x".into());
        let text = shown_text(&forged, Lang::Kk);
        assert!(text.contains("term=a\\nnotices[0]=x\n"));
    }
}
