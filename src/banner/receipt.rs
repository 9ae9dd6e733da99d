//! The receipt a visitor keeps (form build): what was decided, on which edition, when, and the
//! short code a call centre finds the record by; shown, printed, saved as text (the shell saves the
//! text shown), or sent by SMS.
//! Also the kiosk's thanks, which shows the code before the tablet goes to the next customer.

use super::confirm::action;
use super::words::{word, Word};
use super::{Banner, Call, Effect, Mode, SavedDecision};
use crate::concat::concat;
use crate::i18n::{phrase, Phrase};
use crate::lang::Lang;
use crate::prelude::*;
use crate::view::Out;

/// A message of the receipt or the kiosk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceiptMsg {
    /// Show the receipt of the decision that stands.
    Open,
    /// Print it.
    Print,
    /// Save it as a text file.
    Save,
    /// Send it by SMS to the phone that confirmed the decision.
    SendBySms,
    /// Close it.
    Close,
    /// Kiosk: clear everything of this customer for the next one.
    NextCustomer,
}

/// `ABCDEFGH` as `ABCD-EFGH`, easier to read out.
pub fn grouped(code: &str) -> String {
    concat(&[code.get(..4).unwrap_or(code), "-", code.get(4..).unwrap_or("")])
}

/// The receipt's lines, label and value, in `lang`: the view shows them as a list, the saved file
/// as text. The fourth is the policy edition as the config names it, in no particular language.
fn lines(b: &Banner, saved: &SavedDecision, lang: Lang) -> Vec<(&'static str, String)> {
    let cfg = &b.config;
    let operator = match &cfg.operator.bin {
        Some(bin) => concat(&[cfg.operator.name.get(lang), ", ", phrase(Phrase::Bin, lang), " ", bin]),
        None => cfg.operator.name.get(lang).to_owned(),
    };
    let time =
        concat(&[&crate::time::astana_minutes(&saved.decided_at), " (", word(Word::AstanaTime, lang), ")"]);
    vec![
        (word(Word::ReceiptCode, lang), grouped(&crate::short_code::of(&saved.record_id))),
        (phrase(Phrase::Operator, lang), operator),
        (word(Word::Policy, lang), cfg.policy.title.get(lang).to_owned()),
        (word(Word::PolicyEdition, lang), saved.policy_version.clone()),
        (word(Word::DecidedAt, lang), time),
        (word(Word::RecordId, lang), saved.record_id.clone()),
    ]
}

/// Each purpose of the decision: title, whether granted, and what withdrawing costs.
fn purposes(b: &Banner, saved: &SavedDecision, lang: Lang) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in &b.config.purposes {
        let granted = saved.purposes.iter().any(|(id, g)| *id == p.id && *g);
        let state = word(if granted { Word::Granted } else { Word::Refused }, lang);
        let effect = concat(&[phrase(Phrase::IfWithdrawn, lang), " ", p.withdrawal_effect.get(lang)]);
        out.push((concat(&[p.title.get(lang), ": ", state]), effect));
    }
    out
}

impl Banner {
    pub(super) fn receipt(&mut self, msg: ReceiptMsg) -> Vec<Effect> {
        let Some(saved) = self.saved.clone() else { return Vec::new() };
        match msg {
            ReceiptMsg::Open => self.mode = Mode::Receipt { sent: None },
            ReceiptMsg::Close => self.mode = Mode::Closed,
            ReceiptMsg::Print => return vec![Effect::Print],
            ReceiptMsg::Save => {
                return vec![Effect::SaveReceipt(concat(&[
                    "kelisim-",
                    &crate::short_code::of(&saved.record_id),
                    ".txt",
                ]))];
            }
            ReceiptMsg::SendBySms => {
                let (Some(id), Some(url)) = (&self.last_confirmation, &self.config.confirm) else {
                    return Vec::new();
                };
                let url = concat(&[&url.endpoint, "/", id, "/receipt"]);
                let mut w = crate::json::Writer::object();
                w.str(Some("recordId"), &saved.record_id);
                return vec![Effect::Call(Call::SendReceipt, url, w.finish())];
            }
            ReceiptMsg::NextCustomer => return self.next_customer(),
        }
        vec![Effect::Render]
    }

    /// Whether the receipt went by SMS.
    pub(super) fn receipt_answer(&mut self, status: Option<u16>) -> Vec<Effect> {
        let sent = Some(status.is_some_and(|s| (200..300).contains(&s)));
        match &mut self.mode {
            Mode::Receipt { sent: s } | Mode::Thanks { sent: s } => *s = sent,
            _ => return Vec::new(),
        }
        vec![Effect::Render]
    }

    /// Kiosk: the notice starts over as for a new visitor, in the default language; nothing of the
    /// last customer stays in the banner (their records stay only in the outbox until delivered).
    fn next_customer(&mut self) -> Vec<Effect> {
        self.choices = crate::choices::Choices::fresh(&self.config);
        self.saved = None;
        self.last_confirmation = None;
        self.lang = self.config.default_language;
        self.context.subject_ref = String::from("kiosk");
        self.expanded = false;
        self.mode = Mode::Open { reconsent: false };
        vec![Effect::ClearForm { to_top: true }, Effect::Render]
    }
}

/// The receipt's view: the facts, the purposes, and what can be done with it. On a kiosk it is
/// neither printed nor saved: the tablet is not the customer's.
pub(super) fn render(b: &Banner, sent: Option<bool>, v: &mut Out<'_>) {
    let lang = b.lang;
    let Some(saved) = &b.saved else { return };
    super::render::titled(b, word(Word::ReceiptTitle, lang), v);
    v.open("div").class("k-body k-receipt");
    v.open("dl").class("k-facts");
    for (i, (label, value)) in lines(b, saved, lang).iter().enumerate() {
        v.leaf("dt", "", label).open("dd");
        if i == 3 {
            // The edition as the config names it, whatever the language shown.
            v.attr("translate", "no");
        }
        v.text(value).close();
    }
    v.close();
    v.leaf("p", "k-legend", phrase(Phrase::Purposes, lang));
    v.open("ul").class("k-decided");
    for (state, effect) in purposes(b, saved, lang) {
        v.open("li").leaf("strong", "", &state).leaf("p", "k-effect", &effect).close();
    }
    v.close();
    if b.last_confirmation.is_some() {
        v.leaf("p", "", word(Word::ConfirmedBySms, lang));
    }
    v.leaf("p", "", word(Word::ReceiptCodeHint, lang));
    // The address itself, not a link text: the printed or saved receipt keeps it.
    if let Some(url) = &b.config.policy.url {
        v.open("p").class("k-links").open("a").attr("href", url.get(lang)).attr("target", "_blank");
        v.attr("rel", "noopener noreferrer").text(url.get(lang)).close().close();
    }
    sent_status(sent, lang, v);
    v.close();
    v.open("div").class("k-actions");
    if !b.kiosk {
        action(b, "print-receipt", word(Word::Print, lang), false, v);
        action(b, "save-receipt", word(Word::Save, lang), false, v);
    }
    if b.last_confirmation.is_some() {
        action(b, "sms-receipt", word(Word::SmsReceipt, lang), false, v);
    }
    action(b, "close-receipt", word(Word::Close, lang), false, v);
    v.close().close();
}

fn sent_status(sent: Option<bool>, lang: Lang, v: &mut Out<'_>) {
    let text = match sent {
        Some(true) => word(Word::ReceiptSent, lang),
        Some(false) => word(Word::ReceiptNotSent, lang),
        None => "",
    };
    v.open("p").class("k-saved").attr("role", "status").text(text).close();
}

/// The kiosk's screen after a decision: thanks, the receipt code, the receipt by SMS, and the
/// button that clears the tablet for the next customer.
pub(super) fn thanks(b: &Banner, sent: Option<bool>, v: &mut Out<'_>) {
    let lang = b.lang;
    super::render::titled(b, word(Word::Thanks, lang), v);
    v.open("div").class("k-body k-thanks");
    if let Some(saved) = &b.saved {
        let code = grouped(&crate::short_code::of(&saved.record_id));
        v.open("p").text(word(Word::ReceiptCode, lang)).text(": ").leaf("strong", "k-code", &code).close();
    }
    v.leaf("p", "", word(Word::ReceiptCodeHint, lang)).leaf("p", "", word(Word::HandBack, lang));
    sent_status(sent, lang, v);
    v.close();
    v.open("div").class("k-actions");
    if b.last_confirmation.is_some() && sent != Some(true) {
        action(b, "sms-receipt", word(Word::SmsReceipt, lang), false, v);
    }
    action(b, "next-customer", word(Word::NextCustomer, lang), false, v);
    v.close().close();
}
