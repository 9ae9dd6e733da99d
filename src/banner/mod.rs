//! The banner's state machine: messages in, effects out; the web shell performs the effects.

use crate::prelude::*;

#[cfg(feature = "form")]
mod confirm;
#[cfg(feature = "form")]
mod receipt;
mod render;
mod saved;
#[cfg(feature = "form")]
mod words;

#[cfg(feature = "form")]
pub use confirm::{SmsMsg, SmsProblem, SmsStep};
#[cfg(feature = "form")]
pub use receipt::{grouped, ReceiptMsg};
pub use saved::SavedDecision;

use crate::choices::Choices;
use crate::config::Config;
use crate::lang::Lang;
use crate::record::{self, ConsentRecord, Context, Stamp};
use crate::view::{Sink, View};

/// What the visitor (or the page, through the JS API) did.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// Tick or untick an optional purpose.
    Toggle(String),
    /// Grant every purpose.
    AcceptAll,
    /// Grant the ticked purposes, refuse the rest.
    AcceptSelected,
    /// Grant only the required purposes.
    RequiredOnly,
    /// Show the notice in another language.
    SetLanguage(Lang),
    /// Reopen the choices after a decision.
    Manage,
    /// Withdraw consent for these purposes.
    Withdraw(Vec<String>),
    /// Go ahead with the withdrawal the banner asked to confirm.
    ConfirmWithdrawal,
    /// Go back to the choices instead of withdrawing.
    CancelWithdrawal,
    /// The bound signup form was sent with valid fields: record the choices as they stand, for
    /// this subject (the normalized phone or IIN), if the form names one; a withdrawal among them
    /// is confirmed first.
    SubmitForm(Option<String>),
    /// Show or hide the notice's second layer: the Art. 8(4) facts and the full descriptions.
    Details,
    /// The visitor pressed Escape: the innermost layer closes; nothing is ever decided by it.
    Escape,
    /// Grant this one optional purpose, every other choice as it stands (an embed's placeholder).
    Grant(String),
    /// A step of the SMS confirmation (form build).
    #[cfg(feature = "form")]
    Sms(SmsMsg),
    /// The receipt, or the kiosk's next customer (form build).
    #[cfg(feature = "form")]
    Receipt(ReceiptMsg),
    /// The collector answered a [`Call`]: its status (`None`: no answer) and JSON body.
    #[cfg(feature = "form")]
    Answer(Call, Option<u16>, crate::json::Json),
}

/// A request to the collector's confirmations API the shell makes for the core (form build).
#[cfg(feature = "form")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// `POST /v1/confirmations`: send a code.
    SendCode,
    /// `POST /v1/confirmations/{id}`: check the code typed.
    CheckCode,
    /// `POST /v1/confirmations/{id}/receipt`: send the receipt by SMS (once the record is delivered).
    SendReceipt,
}

impl Msg {
    /// Reads a `data-k-act` action from the view: `toggle:<id>`, `lang:<code>`, `accept-all`, ...
    pub fn from_action(action: &str) -> Option<Msg> {
        if let Some(id) = action.strip_prefix("toggle:") {
            return Some(Msg::Toggle(id.to_owned()));
        }
        if let Some(id) = action.strip_prefix("grant:") {
            return Some(Msg::Grant(id.to_owned()));
        }
        if let Some(code) = action.strip_prefix("lang:") {
            return Lang::from_tag(code).map(Msg::SetLanguage);
        }
        match action {
            "accept-all" => Some(Msg::AcceptAll),
            "accept-selected" => Some(Msg::AcceptSelected),
            "required-only" => Some(Msg::RequiredOnly),
            "manage" => Some(Msg::Manage),
            "confirm-withdrawal" => Some(Msg::ConfirmWithdrawal),
            "cancel-withdrawal" => Some(Msg::CancelWithdrawal),
            "details" => Some(Msg::Details),
            #[cfg(feature = "form")]
            "sms-back" => Some(Msg::Sms(SmsMsg::Back)),
            #[cfg(feature = "form")]
            "receipt" => Some(Msg::Receipt(ReceiptMsg::Open)),
            #[cfg(feature = "form")]
            "print-receipt" => Some(Msg::Receipt(ReceiptMsg::Print)),
            #[cfg(feature = "form")]
            "save-receipt" => Some(Msg::Receipt(ReceiptMsg::Save)),
            #[cfg(feature = "form")]
            "sms-receipt" => Some(Msg::Receipt(ReceiptMsg::SendBySms)),
            #[cfg(feature = "form")]
            "close-receipt" => Some(Msg::Receipt(ReceiptMsg::Close)),
            #[cfg(feature = "form")]
            "next-customer" => Some(Msg::Receipt(ReceiptMsg::NextCustomer)),
            _ => None,
        }
    }
}

/// Something the shell must do after an update.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Replace the rendered banner with [`Banner::view`].
    Render,
    /// Store the record, announce it (`decision`) and deliver it.
    Deliver(Box<ConsentRecord>),
    /// Keep this decision as the visitor's current state.
    SaveDecision(SavedDecision),
    /// Remember the visitor's language choice.
    SaveLanguage(Lang),
    /// Send the bound form on to the page, without recording again: its withdrawal was confirmed.
    SubmitForm,
    /// POST this JSON body to this URL and answer with [`Msg::Answer`] (form build).
    #[cfg(feature = "form")]
    Call(Call, String, String),
    /// Print the receipt showing.
    #[cfg(feature = "form")]
    Print,
    /// Offer the receipt showing, as text, for download under this file name.
    #[cfg(feature = "form")]
    SaveReceipt(String),
    /// Kiosk: empty the bound form and its messages, once it has been sent on; `to_top` when the
    /// next customer starts, so the page shows its beginning.
    #[cfg(feature = "form")]
    ClearForm {
        /// Scroll the page to its top.
        to_top: bool,
    },
}

/// How the notice sits in the page, chosen by the host element's `data-kelisim-layout`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// Over the page, which waits behind it: a modal dialog.
    #[default]
    Overlay,
    /// The whole screen of a mobile web view: a modal dialog too.
    Fullscreen,
    /// In the page's flow, e.g. inside a signup form: a region of the page, not a dialog.
    Inline,
}

impl Layout {
    /// Reads `data-kelisim-layout`; anything else overlays.
    pub fn from_attr(value: Option<&str>) -> Layout {
        match value {
            Some("inline") => Layout::Inline,
            Some("fullscreen") => Layout::Fullscreen,
            _ => Layout::Overlay,
        }
    }

    /// Whether the open notice is a modal dialog: the page behind it waits.
    pub fn is_modal(self) -> bool {
        self != Layout::Inline
    }
}

/// Whether the notice is showing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The notice with its choices is showing; `reconsent` when the policy changed since the
    /// visitor's last decision.
    Open {
        /// The policy changed since the last decision.
        reconsent: bool,
    },
    /// The visitor unticked purposes granted earlier: the banner shows what withdrawing them
    /// costs and asks to confirm before recording a withdrawal.
    Confirm {
        /// The purposes that would be withdrawn.
        withdrawn: Vec<String>,
        /// The bound form's submit asked for it: once confirmed, the form goes on.
        from_form: bool,
    },
    /// The visitor has decided; only a "manage consent" button shows.
    Closed,
    /// The decision waits for the SMS code that confirms it (form build).
    #[cfg(feature = "form")]
    Sms(SmsStep),
    /// The receipt of the decision that stands; `sent` once it was sent by SMS (or failed to be).
    #[cfg(feature = "form")]
    Receipt {
        /// Whether the receipt went by SMS.
        sent: Option<bool>,
    },
    /// Kiosk: thanks and the receipt code, until the next customer.
    #[cfg(feature = "form")]
    Thanks {
        /// Whether the receipt went by SMS.
        sent: Option<bool>,
    },
}

/// One mounted banner's state.
#[derive(Clone, Debug)]
pub struct Banner {
    config: Config,
    lang: Lang,
    choices: Choices,
    mode: Mode,
    saved: Option<SavedDecision>,
    context: Context,
    id_prefix: String,
    /// A decision was just made: the closed view confirms it once.
    just_decided: bool,
    /// A signup form's submit records the decision, so the banner shows no buttons of its own.
    bound_to_form: bool,
    /// The second layer (facts, full descriptions) is showing.
    expanded: bool,
    layout: Layout,
    /// The SMS confirmation of the last decision made here, for its receipt by SMS.
    #[cfg(feature = "form")]
    last_confirmation: Option<String>,
    /// A shop's tablet: nothing is kept between customers.
    #[cfg(feature = "form")]
    kiosk: bool,
}

impl Banner {
    /// A banner for `config` in `lang`, given the decision saved on this device (if any).
    /// It opens unless that decision still holds for this policy edition and purpose list.
    pub fn new(
        config: Config,
        lang: Lang,
        saved: Option<SavedDecision>,
        context: Context,
        id_prefix: &str,
    ) -> Banner {
        let (choices, mode) = match &saved {
            Some(s) if !s.is_stale(&config) => (Choices::resume(&config, &s.purposes), Mode::Closed),
            Some(s) => (Choices::resume(&config, &s.purposes), Mode::Open { reconsent: true }),
            None => (Choices::fresh(&config), Mode::Open { reconsent: false }),
        };
        Banner {
            config,
            lang,
            choices,
            mode,
            saved,
            context,
            id_prefix: id_prefix.to_owned(),
            just_decided: false,
            bound_to_form: false,
            expanded: false,
            layout: Layout::Overlay,
            #[cfg(feature = "form")]
            last_confirmation: None,
            #[cfg(feature = "form")]
            kiosk: false,
        }
    }

    /// Applies a message. `stamp` is called once for each record the message makes.
    pub fn update(&mut self, msg: Msg, mut stamp: impl FnMut() -> Stamp) -> Vec<Effect> {
        self.just_decided = false;
        match msg {
            Msg::Toggle(id) => {
                self.choices.toggle(&id);
                vec![Effect::Render]
            }
            Msg::SetLanguage(lang) if self.config.offers(lang) => {
                self.lang = lang;
                if self.keeps_nothing() {
                    return vec![Effect::Render];
                }
                vec![Effect::SaveLanguage(lang), Effect::Render]
            }
            Msg::SetLanguage(_) => Vec::new(),
            Msg::Manage => {
                self.mode = Mode::Open { reconsent: false };
                self.expanded = false;
                vec![Effect::Render]
            }
            Msg::Details => {
                self.expanded = !self.expanded;
                vec![Effect::Render]
            }
            // The decision that stands plus this purpose: ticks not yet submitted, and unticks
            // not yet confirmed, are not recorded by an embed's button.
            Msg::Grant(id) => match self.config.purpose(&id) {
                Some(p) if !p.required => {
                    self.choices = match self.saved.as_ref().filter(|s| !s.is_stale(&self.config)) {
                        Some(s) => Choices::resume(&self.config, &s.purposes),
                        None => Choices::fresh(&self.config),
                    };
                    self.choices.set(&id, true);
                    self.decide(stamp())
                }
                _ => Vec::new(),
            },
            Msg::Escape => match self.mode {
                Mode::Confirm { .. } => self.update(Msg::CancelWithdrawal, stamp),
                #[cfg(feature = "form")]
                Mode::Sms(_) => self.sms(SmsMsg::Back),
                #[cfg(feature = "form")]
                Mode::Receipt { .. } => self.receipt(ReceiptMsg::Close),
                Mode::Open { .. } if self.expanded => self.update(Msg::Details, stamp),
                _ => Vec::new(),
            },
            Msg::AcceptAll => {
                self.choices.grant_all();
                self.decide(stamp())
            }
            Msg::RequiredOnly => {
                self.choices.required_only();
                self.decide_or_confirm(stamp, false)
            }
            Msg::AcceptSelected => self.decide_or_confirm(stamp, false),
            Msg::Withdraw(ids) => self.withdraw(&ids, stamp()),
            Msg::ConfirmWithdrawal => {
                let Mode::Confirm { withdrawn, from_form } = self.mode.clone() else { return Vec::new() };
                let mut effects = self.withdraw(&withdrawn, stamp());
                if self.has_new_grants() {
                    effects.extend(self.decide(stamp()));
                }
                // A new grant waiting for its SMS code sends the form once confirmed.
                if from_form && !self.awaits_sms() {
                    effects.push(Effect::SubmitForm);
                }
                effects
            }
            Msg::CancelWithdrawal => {
                self.mode = Mode::Open { reconsent: false };
                vec![Effect::Render]
            }
            // Sent again while its code is awaited, for the same phone: the step stands (a new
            // step would drop the code already sent).
            #[cfg(feature = "form")]
            Msg::SubmitForm(subject) if self.awaits_code_for(subject.as_deref()) => Vec::new(),
            Msg::SubmitForm(subject) => {
                if let Some(s) = subject.filter(|s| !s.is_empty()) {
                    self.context.subject_ref = s;
                }
                self.decide_or_confirm(stamp, true)
            }
            #[cfg(feature = "form")]
            Msg::Sms(m) => self.sms(m),
            #[cfg(feature = "form")]
            Msg::Receipt(m) => self.receipt(m),
            #[cfg(feature = "form")]
            Msg::Answer(Call::SendReceipt, status, _) => self.receipt_answer(status),
            #[cfg(feature = "form")]
            Msg::Answer(call, status, answer) => self.sms_answer(call, status, &answer, stamp),
        }
    }

    /// Whether a decision waits for its SMS code.
    fn awaits_sms(&self) -> bool {
        #[cfg(feature = "form")]
        return matches!(self.mode, Mode::Sms(_));
        #[cfg(not(feature = "form"))]
        false
    }

    /// A kiosk keeps no decision and no language on the device.
    fn keeps_nothing(&self) -> bool {
        #[cfg(feature = "form")]
        return self.kiosk;
        #[cfg(not(feature = "form"))]
        false
    }

    /// Purposes granted in the current (not stale) decision that the visitor has now unticked.
    fn unticked_grants(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(s) = self.saved.as_ref().filter(|s| !s.is_stale(&self.config)) {
            for (id, granted) in &s.purposes {
                if *granted && !self.choices.is_granted(id) {
                    out.push(id.clone());
                }
            }
        }
        out
    }

    /// Whether the visitor ticked a purpose the current decision does not grant.
    fn has_new_grants(&self) -> bool {
        let granted_before =
            |id: &str| self.saved.as_ref().is_some_and(|s| s.purposes.iter().any(|(p, g)| p == id && *g));
        self.choices.items().iter().any(|c| c.granted && !granted_before(&c.id))
    }

    /// Records the choices, unless that would withdraw earlier grants: then asks first.
    fn decide_or_confirm(&mut self, mut stamp: impl FnMut() -> Stamp, from_form: bool) -> Vec<Effect> {
        let withdrawn = self.unticked_grants();
        if withdrawn.is_empty() {
            self.decide(stamp())
        } else {
            self.mode = Mode::Confirm { withdrawn, from_form };
            vec![Effect::Render]
        }
    }

    fn decide(&mut self, mut stamp: Stamp) -> Vec<Effect> {
        #[cfg(feature = "form")]
        if self.needs_sms() {
            return self.start_sms();
        }
        stamp.previous_record_id = self.saved.as_ref().map(|s| s.record_id.clone());
        let rec = record::grant(&self.config, &self.choices, self.lang, &self.context, stamp);
        self.finish(rec)
    }

    fn withdraw(&mut self, ids: &[String], mut stamp: Stamp) -> Vec<Effect> {
        let Some(saved) = &self.saved else { return Vec::new() };
        let mut known = Vec::new();
        for id in ids {
            if self.config.purpose(id).is_some() {
                known.push(id.clone());
            }
        }
        if known.is_empty() {
            return Vec::new();
        }
        stamp.previous_record_id = Some(saved.record_id.clone());
        for id in &known {
            self.choices.set(id, false);
        }
        let rec = record::withdrawal(&self.config, &known, self.lang, &self.context, stamp);
        self.finish(rec)
    }

    fn finish(&mut self, rec: ConsentRecord) -> Vec<Effect> {
        let mut purposes: Vec<(String, bool)> =
            self.saved.as_ref().map(|s| s.purposes.clone()).unwrap_or_default();
        for c in &rec.purposes {
            match purposes.iter_mut().find(|(id, _)| *id == c.id) {
                Some(entry) => entry.1 = c.granted,
                None => purposes.push((c.id.clone(), c.granted)),
            }
        }
        let saved = SavedDecision {
            policy_version: rec.policy.version.clone(),
            purposes,
            record_id: rec.record_id.clone(),
            decided_at: rec.collected_at.clone(),
        };
        self.saved = Some(saved.clone());
        self.mode = Mode::Closed;
        self.just_decided = true;
        if self.keeps_nothing() {
            #[cfg(feature = "form")]
            {
                self.mode = Mode::Thanks { sent: None };
            }
            return vec![Effect::Deliver(Box::new(rec)), Effect::Render];
        }
        vec![Effect::SaveDecision(saved), Effect::Deliver(Box::new(rec)), Effect::Render]
    }

    /// Makes this notice a shop's tablet (form build): records say `channel: "kiosk"` and where,
    /// each decision ends on a thank-you screen, and nothing is kept between customers.
    #[cfg(feature = "form")]
    pub fn set_kiosk(&mut self, kiosk: record::Kiosk) {
        self.kiosk = true;
        self.context.channel = record::Channel::Kiosk;
        self.context.kiosk = Some(kiosk);
        self.context.subject_ref = String::from("kiosk");
        self.saved = None;
        self.choices = Choices::fresh(&self.config);
        self.mode = Mode::Open { reconsent: false };
    }

    /// Lets a signup form's submit record the decision: the banner drops its own buttons.
    pub fn bind_to_form(&mut self) {
        self.bound_to_form = true;
    }

    /// Places the notice in the page as `layout` says.
    pub fn set_layout(&mut self, layout: Layout) {
        self.layout = layout;
    }

    /// Whether the notice is showing as a modal dialog now.
    pub fn is_modal(&self) -> bool {
        self.modal_layout() && self.mode != Mode::Closed
    }

    /// Whether the layout makes a modal dialog: never for a notice bound to a form, whose submit
    /// decides (a dialog without buttons over the form would lock the page).
    pub(super) fn modal_layout(&self) -> bool {
        self.layout.is_modal() && !self.bound_to_form
    }

    /// The language shown.
    pub fn language(&self) -> Lang {
        self.lang
    }

    /// Whether the notice is open.
    pub fn mode(&self) -> Mode {
        self.mode.clone()
    }

    /// The last decision, as `state()` reports it.
    pub fn saved(&self) -> Option<&SavedDecision> {
        self.saved.as_ref()
    }

    /// Whether the decision that stands (this policy edition's) grants purpose `id`.
    pub fn granted(&self, id: &str) -> bool {
        let standing = self.saved.as_ref().filter(|s| !s.is_stale(&self.config));
        standing.is_some_and(|s| s.purposes.iter().any(|(p, g)| p == id && *g))
    }

    /// The prefix of every element id this banner renders.
    pub fn id_prefix(&self) -> &str {
        &self.id_prefix
    }

    /// The config shown.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sends the current view's edits to `sink`.
    pub fn render(&self, sink: &mut dyn Sink) {
        render::render(self, sink);
    }

    /// The current view, recorded as a tree.
    pub fn view(&self) -> View {
        let mut view = View::default();
        self.render(&mut view);
        view
    }
}

#[cfg(all(test, feature = "form"))]
mod confirm_tests;
#[cfg(test)]
mod tests;
