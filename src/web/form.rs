//! Binds a signup form: validates its fields on blur and again as they are corrected, shows each
//! message in the notice's language, and turns a valid submit into the consent decision.

use super::events::Listener;
use super::global::Borrow;
use super::platform;
use crate::concat::concat;
use crate::config::{Form, FormField};
use crate::lang::Lang;
use crate::prelude::*;
use crate::validate::{check, Code, FieldKind, Rules, Verdict};
use alloc::rc::Rc;
use core::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// One bound control and the message element beside it.
struct Bound {
    field: FormField,
    control: Element,
    message: Element,
    /// An error was shown: re-check on every keystroke until it is fixed.
    live: bool,
    last: Option<Verdict>,
}

/// The fields of a bound form.
pub struct Fields {
    bound: Vec<Bound>,
    minimum_age: u32,
    subject: Option<String>,
    /// The next submit was made by kelisim after a confirmed withdrawal: it is not checked or
    /// recorded again.
    pub pass_next_submit: bool,
}

/// A bound form; its listeners are removed when this is dropped.
#[must_use = "the form is unbound as soon as this is dropped"]
pub struct Binding {
    /// The fields, shared with the listeners.
    pub fields: Rc<RefCell<Fields>>,
    /// The form element.
    pub form: Element,
    _listeners: Vec<Listener>,
}

/// Today's local date: a birthday is a local-calendar matter.
fn today() -> (i64, u32, u32) {
    let now = js_sys::Date::new_0();
    (i64::from(now.get_full_year()), now.get_month() + 1, now.get_date())
}

/// The current value of a form control (input, select or textarea).
fn value_of(control: &Element) -> String {
    js_sys::Reflect::get(control, &JsValue::from_str("value"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

impl Fields {
    fn verdict(&self, b: &Bound) -> Verdict {
        let value = value_of(&b.control);
        if value.trim().is_empty() && !b.field.required {
            return Verdict { valid: true, code: Code::Ok, normalized: String::new() };
        }
        let kind = if b.field.kind == FieldKind::Patronymic && b.field.required {
            FieldKind::Name
        } else {
            b.field.kind
        };
        let rules =
            Rules { today: today(), minimum_age: self.minimum_age, allow_landline: b.field.allow_landline };
        check(kind, &value, &rules)
    }

    /// Checks the field whose control is `control`, shows the outcome, and starts live checking
    /// after an error. Returns false if `control` is not a bound field.
    pub fn check_control(&mut self, control: &Element, lang: impl Fn() -> Lang, only_if_live: bool) -> bool {
        let Some(i) = self.bound.iter().position(|b| &b.control == control) else { return false };
        if only_if_live && !self.bound[i].live {
            return true;
        }
        let verdict = self.verdict(&self.bound[i]);
        let b = &mut self.bound[i];
        b.live = !verdict.valid;
        b.last = Some(verdict);
        show(b, lang());
        true
    }

    /// Checks every field; returns the first invalid control, or the subject's normalized value.
    pub fn check_all(&mut self, lang: Lang) -> Result<Option<String>, Element> {
        let mut first_invalid = None;
        for i in 0..self.bound.len() {
            let verdict = self.verdict(&self.bound[i]);
            let b = &mut self.bound[i];
            if !verdict.valid && first_invalid.is_none() {
                first_invalid = Some(b.control.clone());
            }
            b.live = !verdict.valid;
            b.last = Some(verdict);
            show(b, lang);
        }
        if let Some(control) = first_invalid {
            return Err(control);
        }
        let subject =
            self.subject.as_ref().and_then(|name| self.bound.iter().find(|b| &b.field.name == name));
        Ok(subject.and_then(|b| b.last.as_ref()).map(|v| v.normalized.clone()).filter(|s| !s.is_empty()))
    }

    /// Forgets every verdict and message: the kiosk's next customer starts on a clean form.
    pub fn clear(&mut self, lang: Lang) {
        for b in &mut self.bound {
            b.live = false;
            b.last = None;
            show(b, lang);
        }
    }

    /// Shows every message again in `lang`.
    pub fn relabel(&mut self, lang: Lang) {
        for b in &mut self.bound {
            show(b, lang);
        }
    }
}

fn show(b: &Bound, lang: Lang) {
    let (invalid, text) = match &b.last {
        Some(v) => (!v.valid, v.code.message(lang)),
        None => (false, ""),
    };
    let _ = b.control.set_attribute("aria-invalid", if invalid { "true" } else { "false" });
    b.message.set_text_content(Some(text));
    let _ = b
        .message
        .set_attribute("class", if invalid { "k-field-msg k-field-msg--error" } else { "k-field-msg" });
}

/// Finds the form and its controls, adds a message element after each, and links it with
/// `aria-describedby`. `Err` names what is missing.
pub fn bind(
    spec: &Form,
    id_prefix: &str,
    on_submit: impl Fn(&web_sys::Event, &Rc<RefCell<Fields>>) + 'static,
    lang: impl Fn() -> Lang + 'static,
) -> Result<Binding, String> {
    let doc = platform::document();
    let form = doc
        .query_selector(&spec.selector)
        .ok()
        .flatten()
        .ok_or_else(|| concat(&["config: form.selector: no element matches ", &spec.selector]))?;
    let mut bound = Vec::new();
    for field in &spec.fields {
        let control =
            form.query_selector(&concat(&["[name=\"", &field.name, "\"]"])).ok().flatten().ok_or_else(
                || concat(&["config: form.fields: the form has no control named ", &field.name]),
            )?;
        let message = doc.create_element("p").map_err(|_| "cannot create a message element".to_owned())?;
        let id = concat(&[id_prefix, "-f-", &field.name]);
        let _ = message.set_attribute("id", &id);
        let _ = message.set_attribute("class", "k-field-msg");
        let _ = message.set_attribute("aria-live", "polite");
        let described = control.get_attribute("aria-describedby").map(|d| d + " ").unwrap_or_default() + &id;
        let _ = control.set_attribute("aria-describedby", &described);
        // After the wrapping <label>, if any: inside it the message would join the field's name.
        let anchor = control.closest("label").ok().flatten().unwrap_or_else(|| control.clone());
        if let Some(parent) = anchor.parent_node() {
            let _ = parent.insert_before(&message, anchor.next_sibling().as_ref());
        }
        bound.push(Bound { field: field.clone(), control, message, live: false, last: None });
    }
    let fields = Rc::new(RefCell::new(Fields {
        bound,
        minimum_age: spec.minimum_age,
        subject: spec.subject.clone(),
        pass_next_submit: false,
    }));
    let lang = Rc::new(lang);
    let on_blur = {
        let (fields, lang) = (fields.clone(), lang.clone());
        Listener::new(&form, "focusout", move |e| {
            if let Some(t) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                fields.write().check_control(&t, &*lang, false);
            }
        })
    };
    let on_input = {
        let (fields, lang) = (fields.clone(), lang.clone());
        Listener::new(&form, "input", move |e| {
            if let Some(t) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                fields.write().check_control(&t, &*lang, true);
            }
        })
    };
    // Capture on the document runs before the page's own submit handlers on the form, so an
    // invalid form never reaches them.
    let on_submit = {
        let (fields, form) = (fields.clone(), form.clone());
        Listener::capture(&doc, "submit", move |e| {
            let is_ours = e.target().and_then(|t| t.dyn_into::<Element>().ok()).is_some_and(|t| t == form);
            if is_ours {
                on_submit(&e, &fields);
            }
        })
    };
    Ok(Binding { fields, form, _listeners: vec![on_blur, on_input, on_submit] })
}

/// Stops a submit and moves focus to the first invalid field.
pub fn block(event: &web_sys::Event, first_invalid: &Element) {
    event.prevent_default();
    event.stop_propagation();
    if let Some(el) = first_invalid.dyn_ref::<HtmlElement>() {
        let _ = el.focus();
    }
}
