//! The SMS step of a decision (form build): the collector sends a one-time code, the visitor types
//! it, and only then is the decision recorded, carrying that confirmation. The collector's answers
//! are read here, so the shell only carries requests and answers.

use super::words::{word, Word};
use super::{Banner, Call, Effect, Mode};
use crate::concat::concat;
use crate::json::{Json, Writer};
use crate::prelude::*;
use crate::record::{Confirmation, Stamp};
use crate::validate::phone::Phone;
use crate::view::Out;

/// What went wrong in the SMS step, as the visitor is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmsProblem {
    /// The typed phone is not a Kazakh mobile number.
    PhoneInvalid,
    /// The typed code is not six digits.
    CodeFormat,
    /// The code is wrong; this many attempts are left.
    WrongCode(u32),
    /// The code expired (or the collector no longer knows it).
    Expired,
    /// No attempts are left for this code.
    TooManyAttempts,
    /// Too many codes for this number or this device.
    TooManyCodes,
    /// The collector could not be reached or could not send.
    Unavailable,
}

/// Where the SMS step stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SmsStep {
    /// The phone the code goes to, E.164, once known.
    pub phone: Option<String>,
    /// What the visitor typed as their phone, shown again after a re-render.
    pub typed: String,
    /// The collector's confirmation id, once a code was sent.
    pub sent: Option<String>,
    /// The last problem.
    pub problem: Option<SmsProblem>,
    /// A request is on its way.
    pub busy: bool,
}

/// A message of the SMS step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SmsMsg {
    /// Send a code: to the phone typed (when the notice asks for one) or the one known.
    SendCode(Option<String>),
    /// Check the code typed.
    CheckCode(String),
    /// Back to the choices: nothing is recorded.
    Back,
}

/// A bound form names its phone field as the subject (the config reader sees to it), so a form's
/// subject is already the phone: the notice shows it rather than asking again.
fn phone_of(subject: &str) -> Option<String> {
    Phone::parse(subject, false).ok().map(|p| p.e164().to_owned())
}

/// `+77012345678` as `+7 701 234 56 78`, with no-break spaces: a number never wraps.
pub(super) fn spaced(e164: &str) -> String {
    let part = |a: usize, b: usize| e164.get(a..b).unwrap_or("");
    let gap = "\u{a0}";
    concat(&[part(0, 2), gap, part(2, 5), gap, part(5, 8), gap, part(8, 10), gap, part(10, 12)])
}

fn body(pairs: &[(&str, &str)]) -> String {
    let mut w = Writer::object();
    for (k, v) in pairs {
        w.str(Some(k), v);
    }
    w.finish()
}

impl Banner {
    /// Whether this decision must first be confirmed by SMS.
    pub(super) fn needs_sms(&self) -> bool {
        self.config.confirm.is_some() && self.context.confirmation.is_none()
    }

    /// Whether the SMS step is open for the phone `subject` names.
    pub(super) fn awaits_code_for(&self, subject: Option<&str>) -> bool {
        let Mode::Sms(step) = &self.mode else { return false };
        step.phone.is_some() && step.phone == subject.and_then(phone_of)
    }

    /// Opens the SMS step for the decision the visitor just made.
    pub(super) fn start_sms(&mut self) -> Vec<Effect> {
        let phone = if self.bound_to_form { phone_of(&self.context.subject_ref) } else { None };
        self.mode = Mode::Sms(SmsStep { phone, ..SmsStep::default() });
        vec![Effect::Render]
    }

    pub(super) fn sms(&mut self, msg: SmsMsg) -> Vec<Effect> {
        let Mode::Sms(step) = &mut self.mode else { return Vec::new() };
        // Back works even while the collector is slow to answer; its late answer is then ignored.
        if step.busy && msg != SmsMsg::Back {
            return Vec::new();
        }
        let lang = self.lang.code();
        let policy = self.config.policy.id.as_str();
        let url = self.config.confirm.as_ref().map_or("", |c| c.endpoint.as_str());
        let call = match msg {
            SmsMsg::Back => {
                self.mode = Mode::Open { reconsent: false };
                return vec![Effect::Render];
            }
            SmsMsg::SendCode(typed) => {
                if let Some(typed) = typed {
                    step.phone = phone_of(&typed);
                    step.typed = typed;
                }
                let Some(phone) = step.phone.clone() else {
                    step.problem = Some(SmsProblem::PhoneInvalid);
                    return vec![Effect::Render];
                };
                let body = body(&[("phone", &phone), ("policyId", policy), ("language", lang)]);
                Effect::Call(Call::SendCode, url.to_owned(), body)
            }
            SmsMsg::CheckCode(code) => {
                let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
                let Some(id) = step.sent.clone() else { return Vec::new() };
                if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
                    step.problem = Some(SmsProblem::CodeFormat);
                    return vec![Effect::Render];
                }
                Effect::Call(Call::CheckCode, concat(&[url, "/", &id]), body(&[("code", &code)]))
            }
        };
        step.busy = true;
        step.problem = None;
        vec![call, Effect::Render]
    }

    /// Reads the collector's answer to a call of the SMS step (`status` is `None` for a network
    /// failure).
    pub(super) fn sms_answer(
        &mut self,
        call: Call,
        status: Option<u16>,
        answer: &Json,
        stamp: impl FnOnce() -> Stamp,
    ) -> Vec<Effect> {
        let Mode::Sms(step) = &mut self.mode else { return Vec::new() };
        step.busy = false;
        let error = answer.get("error");
        let code = error.and_then(|e| e.get("code")).and_then(Json::as_str).unwrap_or("");
        let problem = match (call, status) {
            (Call::SendCode, Some(201)) => match answer.get("confirmationId").and_then(Json::as_str) {
                Some(id) => {
                    step.sent = Some(id.to_owned());
                    step.problem = None;
                    return vec![Effect::Render];
                }
                None => SmsProblem::Unavailable,
            },
            (Call::SendCode, Some(429)) if code == "too_many_codes" => SmsProblem::TooManyCodes,
            (Call::CheckCode, Some(200)) => return self.verified(stamp),
            (Call::CheckCode, Some(422)) => {
                // The last wrong code leaves none: say so now, not on the next try.
                match error.and_then(|e| e.get("attemptsLeft")).and_then(Json::as_uint).unwrap_or(0) {
                    0 => SmsProblem::TooManyAttempts,
                    left => SmsProblem::WrongCode(left as u32),
                }
            }
            (Call::CheckCode, Some(404 | 410)) => SmsProblem::Expired,
            (Call::CheckCode, Some(429)) => SmsProblem::TooManyAttempts,
            _ => SmsProblem::Unavailable,
        };
        step.problem = Some(problem);
        vec![Effect::Render]
    }

    /// The code was right: the decision is recorded for that phone, with that confirmation, which
    /// counts for this one record only.
    fn verified(&mut self, stamp: impl FnOnce() -> Stamp) -> Vec<Effect> {
        let Mode::Sms(step) = &self.mode else { return Vec::new() };
        let (Some(phone), Some(id)) = (step.phone.clone(), step.sent.clone()) else { return Vec::new() };
        self.context.subject_ref = phone;
        self.context.confirmation = Some(Confirmation { id: id.clone() });
        let mut effects = self.decide(stamp());
        self.context.confirmation = None;
        self.last_confirmation = Some(id);
        if self.bound_to_form {
            effects.push(Effect::SubmitForm);
            // A kiosk's form is sent on, then emptied: the thanks shows nothing of the customer.
            if self.kiosk {
                effects.push(Effect::ClearForm { to_top: false });
            }
        }
        effects
    }
}

/// The SMS step's view: the phone (asked for, or shown), then the code.
pub(super) fn render(b: &Banner, step: &SmsStep, v: &mut Out<'_>) {
    let lang = b.lang;
    super::render::titled(b, word(Word::SmsTitle, lang), v);
    v.open("div").class("k-body k-sms");
    v.leaf("p", "", word(Word::SmsIntro, lang));
    let wait = word(Word::Wait, lang);
    let input = |v: &mut Out<'_>, name: &'static str, label: Word, kind: &'static str, value: &str| {
        let input_id = super::render::id(b, name);
        v.open("label").attr("for", &input_id).class("k-field").text(word(label, lang)).close();
        v.open("input").attr("id", &input_id).attr("type", kind).attr("value", value);
        v.attr("data-k-enter", if name == "phone" { "send-code" } else { "check-code" });
    };
    match &step.sent {
        None => match &step.phone {
            Some(phone) if b.bound_to_form => {
                v.open("p").class("k-phone").text(&spaced(phone)).close();
            }
            _ => {
                input(v, "phone", Word::PhoneLabel, "tel", &step.typed);
                v.attr("autocomplete", "tel").attr("inputmode", "tel").attr("data-k-focus", "").close();
            }
        },
        Some(_) => {
            let phone = step.phone.as_deref().map(spaced).unwrap_or_default();
            v.open("p").class("k-phone").text(word(Word::CodeSentTo, lang)).text(" ").text(&phone).close();
            input(v, "code", Word::CodeLabel, "text", "");
            v.attr("autocomplete", "one-time-code").attr("inputmode", "numeric").attr("maxlength", "6");
            v.attr("data-k-focus", "").close();
        }
    }
    v.open("p").class("k-problem").attr("role", "alert");
    if let Some(p) = step.problem {
        let (w, left) = match p {
            SmsProblem::PhoneInvalid => (Word::PhoneInvalid, None),
            SmsProblem::CodeFormat => (Word::CodeFormat, None),
            SmsProblem::WrongCode(n) => (Word::WrongCode, Some(n)),
            SmsProblem::Expired => (Word::Expired, None),
            SmsProblem::TooManyAttempts => (Word::TooManyAttempts, None),
            SmsProblem::TooManyCodes => (Word::TooManyCodes, None),
            SmsProblem::Unavailable => (Word::Unavailable, None),
        };
        v.text(word(w, lang));
        if let Some(n) = left {
            let mut count = String::from(" ");
            crate::json::push_uint(&mut count, u64::from(n));
            v.text(&count);
        }
    }
    v.close().close();
    v.open("div").class("k-actions");
    super::render::button(b, "sms-back", crate::i18n::Phrase::Back, "k-btn", v);
    let (act, label) = match step.sent {
        None => ("send-code", Word::SendCode),
        Some(_) => ("check-code", Word::CheckCode),
    };
    // With no input to type in yet, focus goes to the button that sends the code.
    let focus = step.sent.is_none() && b.bound_to_form && step.phone.is_some();
    button(b, act, if step.busy { wait } else { word(label, lang) }, step.busy, focus, v);
    if step.sent.is_some() {
        action(b, "send-code", word(Word::SendAgain, lang), step.busy, v);
    }
    v.close().close();
}

/// A button labelled by a form-build word; `busy` disables it while the collector answers.
pub(super) fn action(b: &Banner, act: &'static str, label: &str, busy: bool, v: &mut Out<'_>) {
    button(b, act, label, busy, false, v);
}

/// [`action`], and with `focus` the control the shell puts focus on when it shows.
fn button(b: &Banner, act: &'static str, label: &str, busy: bool, focus: bool, v: &mut Out<'_>) {
    v.open("button").attr("type", "button").class("k-btn").attr("id", &super::render::id(b, act));
    v.attr("data-k-act", act).flag("data-k-focus", focus);
    if busy {
        v.attr("aria-disabled", "true");
    }
    v.text(label).close();
}
