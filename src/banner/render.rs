//! The banner's view: what Law 94-V Art. 8(4) asks a consent to say, then one checkbox per purpose.

use super::{Banner, Mode};
use crate::config::{countries, CrossBorder, Purpose};
use crate::i18n::{phrase, Phrase};
use crate::lang::Lang;
use crate::view::{el, text, Element, Node};

fn id(banner: &Banner, suffix: &str) -> String {
    let mut s = banner.id_prefix.clone();
    s.push('-');
    s.push_str(suffix);
    s
}

pub(super) fn view(b: &Banner) -> Node {
    let lang = b.lang;
    match &b.mode {
        Mode::Closed => el("div")
            .class("kelisim kelisim--closed")
            .attr("lang", lang.code())
            .child(el("p").class("k-saved").attr("role", "status").text(if b.just_decided {
                phrase(Phrase::Saved, lang)
            } else {
                ""
            }))
            .child(
                el("button")
                    .attr("type", "button")
                    .class("k-manage")
                    .attr("data-k-act", "manage")
                    .attr("id", id(b, "manage"))
                    .text(phrase(Phrase::ManageConsent, lang)),
            )
            .into(),
        Mode::Open { reconsent } => open(b, *reconsent).into(),
        Mode::Confirm { withdrawn } => confirm(b, withdrawn).into(),
    }
}

fn confirm(b: &Banner, withdrawn: &[String]) -> Element {
    let lang = b.lang;
    let title_id = id(b, "title");
    let items = b
        .config
        .purposes
        .iter()
        .filter(|p| withdrawn.contains(&p.id))
        .map(|p| el("li").child(el("strong").text(p.title.get(lang))).child(effect(p, lang, "p")).into());
    dialog(b, &title_id)
        .child(
            el("div").class("k-head").child(
                el("h2").class("k-title").attr("id", title_id).text(phrase(Phrase::WithdrawTitle, lang)),
            ),
        )
        .child(
            el("div")
                .class("k-body")
                .child(el("p").text(phrase(Phrase::WithdrawIntro, lang)))
                .child(el("ul").class("k-withdrawn").children(items)),
        )
        .child(
            el("div")
                .class("k-actions")
                .child(button(b, "cancel-withdrawal", Phrase::Back, "k-btn"))
                .child(button(b, "confirm-withdrawal", Phrase::ConfirmWithdrawal, "k-btn k-primary")),
        )
}

fn open(b: &Banner, reconsent: bool) -> Element {
    let lang = b.lang;
    let cfg = &b.config;
    let title_id = id(b, "title");
    let summary_id = id(b, "summary");
    let mut root = dialog(b, &title_id).attr("aria-describedby", summary_id.clone()).child(
        el("div")
            .class("k-head")
            .child(el("h2").class("k-title").attr("id", title_id).text(cfg.policy.title.get(lang)))
            .child(switcher(b)),
    );
    if reconsent {
        root = root.child(
            el("p").class("k-changed").attr("role", "status").text(phrase(Phrase::PolicyChanged, lang)),
        );
    }
    root.child(
        el("div").class("k-body").children([
            el("p").class("k-summary").attr("id", summary_id).text(cfg.policy.summary.get(lang)).into(),
            facts(b).into(),
            transfers(b).into(),
            notices(b),
            purposes(b).into(),
            match &cfg.policy.url {
                // Only http(s) URLs pass the config reader, so the link cannot run script.
                Some(url) => el("p")
                    .class("k-links")
                    .child(
                        el("a")
                            .attr("href", url.get(lang))
                            .attr("target", "_blank")
                            .attr("rel", "noopener noreferrer")
                            .text(phrase(Phrase::FullPolicy, lang)),
                    )
                    .into(),
                None => text(""),
            },
        ]),
    )
    .child(actions(b))
}

fn switcher(b: &Banner) -> Element {
    let buttons = b.config.languages.iter().map(|&l| {
        el("button")
            .attr("type", "button")
            .class("k-lang")
            .attr("lang", l.code())
            .attr("id", id(b, l.code()))
            .attr("data-k-act", ["lang:", l.code()].concat())
            .attr("aria-pressed", if l == b.lang { "true" } else { "false" })
            .text(l.native_name())
            .into()
    });
    el("div")
        .class("k-langs")
        .attr("role", "group")
        .attr("aria-label", phrase(Phrase::Language, b.lang))
        .children(buttons)
}

fn fact(term: &str, detail: impl Into<String>) -> [Node; 2] {
    [el("dt").text(term).into(), el("dd").text(detail).into()]
}

fn facts(b: &Banner) -> Element {
    let lang = b.lang;
    let cfg = &b.config;
    let operator = match &cfg.operator.bin {
        Some(bin) => [cfg.operator.name.get(lang), ", ", phrase(Phrase::Bin, lang), " ", bin].concat(),
        None => cfg.operator.name.get(lang).to_owned(),
    };
    let data: Vec<&str> = cfg.data_categories.iter().map(|c| c.title.get(lang)).collect();
    el("dl")
        .class("k-facts")
        .children(fact(phrase(Phrase::Operator, lang), operator))
        .children(fact(phrase(Phrase::DataCollected, lang), data.join("; ")))
        .children(fact(phrase(Phrase::Term, lang), cfg.term.get(lang)))
}

fn transfers(b: &Banner) -> Element {
    let lang = b.lang;
    let t = &b.config.transfers;
    let pick = |on: bool, yes: Phrase, no: Phrase| phrase(if on { yes } else { no }, lang).to_owned();
    let mut cross = pick(t.cross_border.any(), Phrase::CrossBorderYes, Phrase::CrossBorderNo);
    if let CrossBorder::Countries(list) = &t.cross_border {
        cross.pop();
        cross.push_str(": ");
        for (i, code) in list.iter().enumerate() {
            if i > 0 {
                cross.push_str(", ");
            }
            // A validated config names only countries `countries` can name.
            cross.push_str(countries::name(code, lang).unwrap_or(code));
        }
        cross.push('.');
    }
    let lines = [
        pick(t.third_parties, Phrase::ThirdPartiesYes, Phrase::ThirdPartiesNo),
        cross,
        pick(t.public_sources, Phrase::PublicSourcesYes, Phrase::PublicSourcesNo),
        pick(t.stored_in_kazakhstan, Phrase::StoredInKazakhstanYes, Phrase::StoredInKazakhstanNo),
    ];
    el("ul").class("k-transfers").children(lines.into_iter().map(|l| el("li").text(l).into()))
}

fn notices(b: &Banner) -> Node {
    if b.config.notices.is_empty() {
        return text("");
    }
    let items = b.config.notices.iter().map(|n| el("li").text(n.get(b.lang)).into());
    el("div")
        .class("k-notices")
        .child(el("p").class("k-notices-title").text(phrase(Phrase::NotAChoice, b.lang)))
        .child(el("ul").children(items))
        .into()
}

fn purposes(b: &Banner) -> Element {
    let lang = b.lang;
    let items = b.config.purposes.iter().map(|p| {
        let box_id = id(b, &["p-", &p.id].concat());
        let desc_id = [&box_id, "-d"].concat();
        let mut label = el("label")
            .attr("for", box_id.clone())
            .child(el("span").class("k-ptitle").text(p.title.get(lang)));
        if p.required {
            label = label.text(" ").child(el("span").class("k-req").text(phrase(Phrase::Required, lang)));
        }
        el("div")
            .class("k-purpose")
            .child(
                el("input")
                    .attr("type", "checkbox")
                    .attr("id", box_id)
                    .attr("data-k-act", ["toggle:", &p.id].concat())
                    .attr("aria-describedby", desc_id.clone())
                    .flag("checked", b.choices.is_granted(&p.id))
                    .flag("disabled", p.required),
            )
            .child(label)
            .child(
                el("p")
                    .class("k-pdesc")
                    .attr("id", desc_id)
                    .text(p.description.get(lang))
                    .text(" ")
                    .child(effect(p, lang, "span")),
            )
            .into()
    });
    el("fieldset")
        .class("k-purposes")
        .child(el("legend").text(phrase(Phrase::Purposes, lang)))
        .children(items)
}

/// "On withdrawing consent: …" for a purpose.
fn effect(p: &Purpose, lang: Lang, tag: &'static str) -> Element {
    el(tag)
        .class("k-effect")
        .text(phrase(Phrase::IfWithdrawn, lang))
        .text(" ")
        .text(p.withdrawal_effect.get(lang))
}

/// The notice's root: a non-modal dialog labelled by its title, in the shown language.
fn dialog(b: &Banner, title_id: &str) -> Element {
    el("section")
        .class("kelisim")
        .attr("role", "dialog")
        .attr("aria-modal", "false")
        .attr("aria-labelledby", title_id)
        .attr("lang", b.lang.code())
}

fn button(b: &Banner, act: &'static str, label: Phrase, class: &str) -> Node {
    el("button")
        .attr("type", "button")
        .class(class)
        .attr("id", id(b, act))
        .attr("data-k-act", act)
        .text(phrase(label, b.lang))
        .into()
}

fn actions(b: &Banner) -> Node {
    if b.bound_to_form {
        return text("");
    }
    let has_optional = b.config.purposes.iter().any(|p| !p.required);
    let mut row = el("div").class("k-actions");
    if has_optional {
        row = row.child(button(b, "required-only", Phrase::RequiredOnly, "k-btn")).child(button(
            b,
            "accept-selected",
            Phrase::AcceptSelected,
            "k-btn",
        ));
    }
    row.child(button(b, "accept-all", Phrase::AcceptAll, "k-btn k-primary")).into()
}
