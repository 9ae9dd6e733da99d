//! The banner's view in two layers: first the title, a summary, one checkbox per purpose and the
//! decision buttons; one tap away, the rest of what Law 94-V Art. 8(4) asks a consent to say.

use super::{Banner, Layout, Mode};
use crate::concat::concat;
use crate::config::{countries, CrossBorder, Purpose};
use crate::i18n::{phrase, Phrase};
use crate::lang::Lang;
use crate::prelude::*;
use crate::view::{Out, Sink};

pub(super) fn id(banner: &Banner, suffix: &str) -> String {
    concat(&[banner.id_prefix.as_str(), "-", suffix])
}

pub(super) fn render(b: &Banner, sink: &mut dyn Sink) {
    let v = &mut Out::new(sink);
    let layer = b.layout == Layout::Overlay && b.is_modal();
    if layer {
        // The backdrop: the page waits behind the dialog, which scrolls in it at any zoom.
        v.open("div").class("kelisim-layer");
    }
    match &b.mode {
        Mode::Closed => closed(b, v),
        Mode::Open { reconsent } => open(b, *reconsent, v),
        Mode::Confirm { withdrawn, .. } => confirm(b, withdrawn, v),
        #[cfg(feature = "form")]
        Mode::Sms(step) => super::confirm::render(b, step, v),
        #[cfg(feature = "form")]
        Mode::Receipt { sent } => super::receipt::render(b, *sent, v),
        #[cfg(feature = "form")]
        Mode::Thanks { sent } => super::receipt::thanks(b, *sent, v),
    }
    if layer {
        v.close();
    }
}

fn closed(b: &Banner, v: &mut Out<'_>) {
    let lang = b.lang;
    let saved = if b.just_decided { phrase(Phrase::Saved, lang) } else { "" };
    v.open("div").class("kelisim kelisim--closed").attr("lang", lang.code());
    v.open("p").class("k-saved").attr("role", "status").text(saved).close();
    button(b, "manage", Phrase::ManageConsent, "k-manage", v);
    #[cfg(feature = "form")]
    if b.saved.is_some() {
        let label = super::words::word(super::words::Word::Receipt, lang);
        v.open("button").attr("type", "button").class("k-manage").attr("id", &id(b, "receipt"));
        v.attr("data-k-act", "receipt").text(label).close();
    }
    v.close();
}

fn confirm(b: &Banner, withdrawn: &[String], v: &mut Out<'_>) {
    let lang = b.lang;
    titled(b, phrase(Phrase::WithdrawTitle, lang), v);
    v.open("div").class("k-body");
    v.leaf("p", "", phrase(Phrase::WithdrawIntro, lang));
    v.open("ul").class("k-withdrawn");
    for p in b.config.purposes.iter().filter(|p| withdrawn.contains(&p.id)) {
        v.open("li").leaf("strong", "", p.title.get(lang));
        effect(p, lang, "p", v);
        v.close();
    }
    v.close().close();
    v.open("div").class("k-actions");
    button(b, "cancel-withdrawal", Phrase::Back, "k-btn", v);
    button(b, "confirm-withdrawal", Phrase::ConfirmWithdrawal, "k-btn", v);
    v.close().close();
}

fn open(b: &Banner, reconsent: bool, v: &mut Out<'_>) {
    let lang = b.lang;
    let cfg = &b.config;
    let title_id = id(b, "title");
    let summary_id = id(b, "summary");
    dialog(b, &title_id, v);
    v.attr("aria-describedby", &summary_id);
    v.open("div").class("k-head");
    v.open("h2").class("k-title").attr("id", &title_id).text(cfg.policy.title.get(lang)).close();
    switcher(b, v);
    v.close();
    if reconsent {
        v.open("p")
            .class("k-changed")
            .attr("role", "status")
            .text(phrase(Phrase::PolicyChanged, lang))
            .close();
    }
    v.open("div").class("k-body");
    v.open("p").class("k-summary").attr("id", &summary_id).text(cfg.policy.summary.get(lang)).close();
    v.open("button").attr("type", "button").class("k-details").attr("id", &id(b, "details"));
    v.attr("data-k-act", "details").attr("aria-expanded", if b.expanded { "true" } else { "false" });
    v.text(phrase(if b.expanded { Phrase::LessDetails } else { Phrase::MoreDetails }, lang)).close();
    // The second layer stays in the document, hidden until asked for: a screen reader hears
    // each purpose's description with its checkbox either way.
    v.open("div").class("k-more").flag("hidden", !b.expanded);
    facts(b, v);
    transfers(b, v);
    notices(b, v);
    // Only http(s) URLs pass the config reader, so the link cannot run script.
    if let Some(url) = &cfg.policy.url {
        v.open("p").class("k-links").open("a").attr("href", url.get(lang)).attr("target", "_blank");
        v.attr("rel", "noopener noreferrer").text(phrase(Phrase::FullPolicy, lang)).close().close();
    }
    v.close();
    purposes(b, v);
    v.close();
    actions(b, v);
    v.close();
}

fn switcher(b: &Banner, v: &mut Out<'_>) {
    v.open("div").class("k-langs").attr("role", "group").attr("aria-label", phrase(Phrase::Language, b.lang));
    for &l in &b.config.languages {
        v.open("button").attr("type", "button").class("k-lang").attr("lang", l.code());
        v.attr("id", &id(b, l.code())).attr("data-k-act", &concat(&["lang:", l.code()]));
        v.attr("aria-pressed", if l == b.lang { "true" } else { "false" }).text(l.native_name()).close();
    }
    v.close();
}

fn facts(b: &Banner, v: &mut Out<'_>) {
    let lang = b.lang;
    let cfg = &b.config;
    let operator = match &cfg.operator.bin {
        Some(bin) => concat(&[cfg.operator.name.get(lang), ", ", phrase(Phrase::Bin, lang), " ", bin]),
        None => cfg.operator.name.get(lang).to_owned(),
    };
    let mut data = String::new();
    for (i, c) in cfg.data_categories.iter().enumerate() {
        if i > 0 {
            data.push_str("; ");
        }
        data.push_str(c.title.get(lang));
    }
    v.open("dl").class("k-facts");
    v.leaf("dt", "", phrase(Phrase::Operator, lang)).leaf("dd", "", &operator);
    v.leaf("dt", "", phrase(Phrase::DataCollected, lang)).leaf("dd", "", &data);
    v.leaf("dt", "", phrase(Phrase::Term, lang)).leaf("dd", "", cfg.term.get(lang));
    v.close();
}

fn transfers(b: &Banner, v: &mut Out<'_>) {
    let lang = b.lang;
    let t = &b.config.transfers;
    let pick = |on: bool, yes: Phrase, no: Phrase| phrase(if on { yes } else { no }, lang);
    let cross = pick(t.cross_border.any(), Phrase::CrossBorderYes, Phrase::CrossBorderNo);
    v.open("ul").class("k-transfers");
    v.leaf("li", "", pick(t.third_parties, Phrase::ThirdPartiesYes, Phrase::ThirdPartiesNo));
    match &t.cross_border {
        CrossBorder::Countries(list) => {
            let mut named = concat(&[cross.strip_suffix('.').unwrap_or(cross), ": "]);
            for (i, code) in list.iter().enumerate() {
                if i > 0 {
                    named.push_str(", ");
                }
                // A validated config names only countries `countries` can name.
                named.push_str(countries::name(code, lang).unwrap_or(code));
            }
            named.push('.');
            v.leaf("li", "", &named)
        }
        _ => v.leaf("li", "", cross),
    };
    v.leaf("li", "", pick(t.public_sources, Phrase::PublicSourcesYes, Phrase::PublicSourcesNo));
    v.leaf(
        "li",
        "",
        pick(t.stored_in_kazakhstan, Phrase::StoredInKazakhstanYes, Phrase::StoredInKazakhstanNo),
    );
    v.close();
}

fn notices(b: &Banner, v: &mut Out<'_>) {
    if b.config.notices.is_empty() {
        return;
    }
    v.open("div").class("k-notices").leaf("p", "k-notices-title", phrase(Phrase::NotAChoice, b.lang));
    v.open("ul");
    for n in &b.config.notices {
        v.leaf("li", "", n.get(b.lang));
    }
    v.close().close();
}

fn purposes(b: &Banner, v: &mut Out<'_>) {
    let lang = b.lang;
    v.open("fieldset").class("k-purposes").leaf("legend", "", phrase(Phrase::Purposes, lang));
    for p in &b.config.purposes {
        let box_id = id(b, &concat(&["p-", &p.id]));
        let desc_id = concat(&[&box_id, "-d"]);
        v.open("div").class("k-purpose");
        v.open("input").attr("type", "checkbox").attr("id", &box_id);
        v.attr("data-k-act", &concat(&["toggle:", &p.id])).attr("aria-describedby", &desc_id);
        v.flag("checked", b.choices.is_granted(&p.id)).flag("disabled", p.required).close();
        v.open("label").attr("for", &box_id).leaf("span", "k-ptitle", p.title.get(lang));
        if p.required {
            v.text(" ").leaf("span", "k-req", phrase(Phrase::Required, lang));
        }
        v.close();
        v.open("p").class("k-pdesc").attr("id", &desc_id).flag("hidden", !b.expanded);
        v.text(p.description.get(lang)).text(" ");
        effect(p, lang, "span", v);
        v.close().close();
    }
    v.close();
}

/// "On withdrawing consent: …" for a purpose.
fn effect(p: &Purpose, lang: Lang, tag: &'static str, v: &mut Out<'_>) {
    v.open(tag).class("k-effect").text(phrase(Phrase::IfWithdrawn, lang)).text(" ");
    v.text(p.withdrawal_effect.get(lang)).close();
}

/// Opens the notice's root (see [`dialog`]) with its heading, `title`.
pub(super) fn titled(b: &Banner, title: &str, v: &mut Out<'_>) {
    let title_id = id(b, "title");
    dialog(b, &title_id, v);
    v.open("div").class("k-head");
    v.open("h2").class("k-title").attr("id", &title_id).text(title).close();
    v.close();
}

/// Opens the notice's root, labelled by its title, in the shown language: a modal dialog over the
/// page or a web view's screen (focusable itself, so focus can move in); inline, a region of the
/// page.
pub(super) fn dialog(b: &Banner, title_id: &str, v: &mut Out<'_>) {
    #[cfg(feature = "form")]
    let class = match (b.expanded, b.kiosk) {
        (true, true) => "kelisim k-kiosk k-expanded",
        (false, true) => "kelisim k-kiosk",
        (true, false) => "kelisim k-expanded",
        (false, false) => "kelisim",
    };
    #[cfg(not(feature = "form"))]
    let class = if b.expanded { "kelisim k-expanded" } else { "kelisim" };
    v.open("section").class(class);
    if b.modal_layout() {
        v.attr("role", "dialog").attr("aria-modal", "true").attr("tabindex", "-1");
    }
    v.attr("aria-labelledby", title_id).attr("lang", b.lang.code());
    // The print style sheet prints only a receipt.
    #[cfg(feature = "form")]
    if matches!(b.mode, Mode::Receipt { .. }) {
        v.attr("data-k-receipt", "");
    }
}

pub(super) fn button(b: &Banner, act: &'static str, label: Phrase, class: &'static str, v: &mut Out<'_>) {
    v.open("button").attr("type", "button").class(class).attr("id", &id(b, act)).attr("data-k-act", act);
    v.text(phrase(label, b.lang)).close();
}

fn actions(b: &Banner, v: &mut Out<'_>) {
    if b.bound_to_form {
        return;
    }
    // Refusing and accepting look alike. "Confirm my choices" shows only once an optional purpose
    // is ticked: before that it would do what "required only" does, under another name.
    v.open("div").class("k-actions");
    let optional = b.config.purposes.iter().filter(|p| !p.required);
    let mut any_optional = false;
    let mut any_ticked = false;
    for p in optional {
        any_optional = true;
        any_ticked |= b.choices.is_granted(&p.id);
    }
    if any_optional {
        button(b, "required-only", Phrase::RequiredOnly, "k-btn", v);
    }
    if any_ticked {
        button(b, "accept-selected", Phrase::AcceptSelected, "k-btn", v);
    }
    button(b, "accept-all", Phrase::AcceptAll, "k-btn", v);
    v.close();
}
