//! Every surface a visitor meets — the five operators' notices in every banner state, and every
//! field message — reads as written for its language: no raw codes or ids, no word that mixes
//! Cyrillic and Latin letters, no Kazakh left in Russian, no Cyrillic left in English.

use kelisim::banner::{Banner, Call, Mode, Msg, ReceiptMsg, SavedDecision, SmsMsg};
use kelisim::config::{Config, CrossBorder};
use kelisim::json::Json;
use kelisim::lang::Lang;
use kelisim::record::{Channel, Context, Kiosk, Stamp};
use kelisim::validate::Code;
use kelisim::view::Node;

const CONFIGS: [&str; 5] = ["karatel", "esperance", "simply", "hitter", "batys"];

/// Latin words a Kazakh or Russian text may carry: brand names, and the English switcher label.
const LATIN_IN_KK_RU: [&str; 5] = ["Beeline", "Simply", "hitter", "SMS", "English"];

fn config(name: &str) -> Config {
    let path = format!("{}/www/consent/{name}.json", env!("CARGO_MANIFEST_DIR"));
    Config::from_json_text(&std::fs::read_to_string(&path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn ctx() -> Context {
    Context {
        subject_ref: "anon-1".into(),
        channel: Channel::Web,
        page: None,
        user_agent: None,
        ..Default::default()
    }
}

fn stamp() -> Stamp {
    Stamp { now_ms: 1_795_385_128_123, record_id: kelisim::id::uuid_v4([9; 16]), previous_record_id: None }
}

fn saved(cfg: &Config, version: &str) -> SavedDecision {
    SavedDecision {
        policy_version: version.into(),
        purposes: cfg.purposes.iter().map(|p| (p.id.clone(), true)).collect(),
        record_id: kelisim::id::uuid_v4([8; 16]),
        decided_at: "2026-11-22T22:05:28.123Z".into(),
    }
}

/// Every state a visitor can see the banner in, named, for `cfg` in `lang`.
fn states(cfg: &Config, lang: Lang) -> Vec<(&'static str, Node)> {
    let new = |s: Option<SavedDecision>| Banner::new(cfg.clone(), lang, s, ctx(), "k");
    let mut out = vec![("open", new(None).view().tree())];
    if cfg.form.is_some() {
        let mut bound = new(None);
        bound.bind_to_form();
        out.push(("open, bound to its signup form", bound.view().tree()));
    }
    let reconsent = new(Some(saved(cfg, "an earlier edition")));
    assert_eq!(reconsent.mode(), Mode::Open { reconsent: true });
    out.push(("reconsent", reconsent.view().tree()));
    let mut decided = new(None);
    decided.update(Msg::AcceptAll, stamp);
    if cfg.confirm.is_some() {
        confirm_by_sms(&mut decided, &mut out);
    }
    assert_eq!(decided.mode(), Mode::Closed);
    out.push(("closed, just decided", decided.view().tree()));
    decided.update(Msg::Receipt(ReceiptMsg::Open), stamp);
    out.push(("receipt", decided.view().tree()));
    if cfg.form.is_some() {
        let mut kiosk = new(None);
        kiosk.bind_to_form();
        kiosk.set_kiosk(Kiosk { shop: Some("ALM-MEGA-014".into()), consultant: None });
        kiosk.update(Msg::SubmitForm(Some("+77012345678".into())), stamp);
        if cfg.confirm.is_some() {
            confirm_by_sms(&mut kiosk, &mut Vec::new());
        }
        out.push(("kiosk thanks", kiosk.view().tree()));
    }
    let returning = new(Some(saved(cfg, &cfg.policy.version)));
    assert_eq!(returning.mode(), Mode::Closed);
    out.push(("closed, returning visitor", returning.view().tree()));
    if let Some(optional) = cfg.purposes.iter().find(|p| !p.required) {
        let mut b = new(Some(saved(cfg, &cfg.policy.version)));
        b.update(Msg::Manage, stamp);
        b.update(Msg::Toggle(optional.id.clone()), stamp);
        b.update(Msg::AcceptSelected, stamp);
        assert!(matches!(b.mode(), Mode::Confirm { .. }));
        out.push(("confirm withdrawal", b.view().tree()));
    }
    out
}

fn answer(b: &mut Banner, call: Call, status: u16, body: &str) {
    b.update(Msg::Answer(call, Some(status), Json::parse(body).unwrap()), stamp);
}

/// The SMS step of a decision just made, in each state it can show, then the right code.
fn confirm_by_sms(b: &mut Banner, out: &mut Vec<(&'static str, Node)>) {
    out.push(("sms, phone asked", b.view().tree()));
    b.update(Msg::Sms(SmsMsg::SendCode(Some("8 701".into()))), stamp);
    out.push(("sms, phone not a mobile", b.view().tree()));
    b.update(Msg::Sms(SmsMsg::SendCode(Some("+77012345678".into()))), stamp);
    out.push(("sms, sending", b.view().tree()));
    answer(b, Call::SendCode, 201, r#"{"confirmationId":"5a1b7c9d-2e3f-4a5b-9c6d-7e8f9a0b1c2d"}"#);
    out.push(("sms, code sent", b.view().tree()));
    let problems: [(&'static str, Call, u16, &str); 4] = [
        ("sms, wrong code", Call::CheckCode, 422, r#"{"error":{"code":"wrong_code","attemptsLeft":2}}"#),
        ("sms, expired", Call::CheckCode, 410, "{}"),
        ("sms, too many codes", Call::SendCode, 429, r#"{"error":{"code":"too_many_codes"}}"#),
        ("sms, unavailable", Call::CheckCode, 503, "{}"),
    ];
    for (name, call, status, body) in problems {
        b.update(Msg::Sms(SmsMsg::CheckCode("123456".into())), stamp);
        answer(b, call, status, body);
        out.push((name, b.view().tree()));
    }
    b.update(Msg::Sms(SmsMsg::CheckCode("123456".into())), stamp);
    answer(b, Call::CheckCode, 200, "{}");
}

/// The strings a visitor reads or hears in `node`: text, and ARIA labels; parts marked as being
/// in another language than `lang` (the switcher's language names), and identifiers marked
/// `translate="no"` (a receipt's policy edition, as the config names it), are left out.
fn shown(node: &Node, lang: Lang, out: &mut Vec<String>) {
    match node {
        Node::Text(s) => out.push(s.clone()),
        Node::Element(e) => {
            if e.get("lang").is_some_and(|l| l != lang.code()) || e.get("translate") == Some("no") {
                return;
            }
            out.extend(e.get("aria-label").map(str::to_owned));
            for child in &e.children {
                shown(child, lang, out);
            }
        }
    }
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c)
}

const KAZAKH_ONLY: &str = "ӘәҒғҚқҢңӨөҰұҮүҺһІі";

/// What is wrong with `text` as a text in `lang`, word by word; `ids` must never be shown. URLs,
/// e-mail addresses, domains, single letters and words with digits (formats such as `A15C9K0`)
/// are not words.
fn problems(text: &str, lang: Lang, ids: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.split_whitespace() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let exempt = word.chars().count() <= 1
            || word.chars().any(|c| c.is_ascii_digit())
            || raw.contains("://")
            || raw.contains('@')
            || word.contains('.');
        if word.is_empty() || exempt {
            continue;
        }
        let cyrillic = word.chars().any(is_cyrillic);
        let latin = word.chars().any(is_latin);
        if cyrillic && latin {
            out.push(["mixes Cyrillic and Latin letters: ", word].concat());
        }
        if word.len() == 2 && word.bytes().all(|b| b.is_ascii_uppercase()) {
            out.push(["a raw code: ", word].concat());
        }
        // An id that is also a plain word ("marketing") may be that word in English.
        let plain = word.bytes().all(|b| b.is_ascii_lowercase());
        if ids.contains(&word) && !(lang == Lang::En && plain) {
            out.push(["an id, not a word: ", word].concat());
        }
        match lang {
            Lang::Kk | Lang::Ru if latin && !cyrillic && !LATIN_IN_KK_RU.contains(&word) => {
                out.push(["an untranslated Latin word: ", word].concat())
            }
            Lang::En if cyrillic => out.push(["Cyrillic in English: ", word].concat()),
            _ => {}
        }
        if lang == Lang::Ru && word.chars().any(|c| KAZAKH_ONLY.contains(c)) {
            out.push(["Kazakh in Russian: ", word].concat());
        }
    }
    out
}

fn ids(cfg: &Config) -> Vec<&str> {
    let mut ids: Vec<&str> = cfg.purposes.iter().map(|p| p.id.as_str()).collect();
    ids.extend(cfg.data_categories.iter().map(|c| c.id.as_str()));
    ids.push(&cfg.policy.id);
    if let CrossBorder::Countries(list) = &cfg.transfers.cross_border {
        ids.extend(list.iter().map(String::as_str));
    }
    ids
}

#[test]
fn every_banner_state_of_every_operator_reads_as_written_in_each_language() {
    let mut surfaces = 0;
    let mut found = Vec::new();
    for name in CONFIGS {
        let cfg = config(name);
        let ids = ids(&cfg);
        for lang in Lang::ALL {
            for (state, view) in states(&cfg, lang) {
                let mut strings = Vec::new();
                shown(&view, lang, &mut strings);
                assert!(
                    strings.iter().any(|s| !s.trim().is_empty()),
                    "{name} {state} {lang:?} shows nothing"
                );
                for s in &strings {
                    for p in problems(s, lang, &ids) {
                        found.push(format!("{name}, {state}, {}: {p}\n    in {s:?}", lang.code()));
                    }
                }
                surfaces += 1;
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert!(surfaces >= 5 * 3 * 4, "{surfaces} surfaces rendered");
}

#[test]
fn cross_border_countries_are_named_in_the_visitors_language() {
    let cfg = config("esperance");
    for (lang, name) in [
        (Lang::Kk, "Ресей Федерациясы"),
        (Lang::Ru, "Российская Федерация"),
        (Lang::En, "the Russian Federation"),
    ] {
        let text = Banner::new(cfg.clone(), lang, None, ctx(), "k").view().text_content();
        assert!(text.contains(&[": ", name, "."].concat()), "{lang:?}: {text}");
    }
}

#[test]
fn every_field_message_reads_as_written_in_each_language() {
    let mut found = Vec::new();
    for code in Code::ALL {
        for lang in Lang::ALL {
            let text = code.message(lang);
            for p in problems(text, lang, &[]) {
                found.push(format!("{}, {}: {p}\n    in {text:?}", code.as_str(), lang.code()));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_checks_catch_what_they_are_for() {
    assert_eq!(problems("Data may go to RU.", Lang::En, &[]), ["a raw code: RU"]);
    assert!(problems("Деректер RU елге", Lang::Kk, &[]).contains(&"a raw code: RU".to_owned()));
    assert_eq!(problems("Your fullName", Lang::En, &["fullName"]), ["an id, not a word: fullName"]);
    assert_eq!(
        problems("Маркетинг (marketing)", Lang::Ru, &["marketing"]).len(),
        2,
        "an id, and Latin in Russian"
    );
    assert_eq!(problems("Сaясат", Lang::Kk, &[]), ["mixes Cyrillic and Latin letters: Сaясат"]);
    assert_eq!(problems("Данные қорғау", Lang::Ru, &[]), ["Kazakh in Russian: қорғау"]);
    assert_eq!(problems("Data are деректер", Lang::En, &[]), ["Cyrillic in English: деректер"]);
    assert!(problems("Beeline, www.hitter.kz, support@hitter.kz, A15C9K0, «a»", Lang::Kk, &[]).is_empty());
}
