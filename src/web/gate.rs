//! Applies the core's gating to the page: runs the gated scripts a decision allows in document
//! order, loads the gated embeds or shows their placeholders, clears what a refusal clears, and
//! tells Google Consent Mode. Marks added later are found by a `MutationObserver`.

use super::global::Borrow;
use super::instance::Shared;
use super::{dom, platform};
use crate::gate;
use crate::prelude::*;
use alloc::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// The marks kelisim gates: scripts kept from running, embeds kept from loading.
const MARKS: &str =
    "script[type='text/plain'][data-kelisim-purpose],iframe[data-kelisim-purpose][data-kelisim-src]";

/// The page-side state of gating for one mount.
pub struct Gate {
    /// Scans the page again: the observer's callback, and a gated script's `load` and `error`.
    rescan: Closure<dyn FnMut(web_sys::Event)>,
    observer: Option<web_sys::MutationObserver>,
    /// Consent Mode's default has been pushed.
    defaulted: bool,
}

impl Drop for Gate {
    fn drop(&mut self) {
        if let Some(o) = &self.observer {
            o.disconnect();
        }
    }
}

/// Starts gating once the notice is built: Consent Mode's default (all denied) first, then the
/// standing decision, then the marks already in the page and every one added later.
pub fn start(shared: &Shared) {
    let weak = Rc::downgrade(shared);
    // The observer passes (records, observer); the argument is not read, so the listeners'
    // closure shape serves.
    let rescan = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        if let Some(shared) = weak.upgrade() {
            apply(&shared, false);
        }
    });
    let observer = web_sys::MutationObserver::new(rescan.as_ref().unchecked_ref()).ok();
    if let (Some(o), Some(html)) = (&observer, platform::document().document_element()) {
        let init = web_sys::MutationObserverInit::new();
        init.set_child_list(true);
        init.set_subtree(true);
        let _ = o.observe_with_options(&html, &init);
    }
    shared.write().gate = Some(Gate { rescan, observer, defaulted: false });
    apply(shared, true);
}

/// What one mark gets.
enum Step {
    Run(Element),
    Load(Element),
    Hold(Element, Option<dom::Detached>),
}

/// Brings the page in line with the standing decision. With `decided` (at start and after each
/// decision) Consent Mode hears the decision and a refusal's cookies and keys are cleared.
pub fn apply(shared: &Shared, decided: bool) {
    let doc = platform::document();
    let Ok(marks) = doc.query_selector_all(MARKS) else { return };
    let mut steps = Vec::new();
    let mut consent = Vec::new();
    let mut clear: (Vec<crate::config::Trace>, Vec<crate::config::Trace>) = (Vec::new(), Vec::new());
    let mut default = false;
    {
        let mut guard = shared.write();
        let inst = &mut *guard;
        let (Some(banner), Some(gate_state)) = (inst.banner.as_ref(), inst.gate.as_mut()) else { return };
        let granted = |id: &str| banner.granted(id);
        for i in 0..marks.length() {
            let Some(el) = marks.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
            let names = el.get_attribute("data-kelisim-purpose").unwrap_or_default();
            let allowed = gate::allows(&names, banner.config(), &granted);
            let is_script = el.tag_name() == "SCRIPT";
            steps.push(match (allowed, is_script) {
                (true, true) => Step::Run(el),
                (true, false) => Step::Load(el),
                (false, true) => continue,
                (false, false) => {
                    let placeholder = match el.has_attribute("data-kelisim-held") {
                        true => None,
                        false => gate::missing(&names, &granted).and_then(|id| {
                            let what = el.get_attribute("title").unwrap_or_default();
                            let mut built = dom::Detached::new()?;
                            banner.render_embed(&what, id, &mut built);
                            Some(built)
                        }),
                    };
                    Step::Hold(el, placeholder)
                }
            });
        }
        if decided {
            default = !core::mem::replace(&mut gate_state.defaulted, true);
            consent = gate::consent_mode(banner.config(), &granted);
            if banner.saved().is_some() {
                let (cookies, keys) = gate::to_clear(banner.config(), &granted);
                clear = (cookies.into_iter().cloned().collect(), keys.into_iter().cloned().collect());
            }
        }
    }
    if !consent.is_empty() {
        if default {
            tell_consent_mode("default", &consent, true);
        }
        if shared.read().banner.as_ref().is_some_and(|b| b.saved().is_some()) {
            tell_consent_mode("update", &consent, false);
        }
    }
    clear_traces(&clear.0, &clear.1);
    for step in steps {
        match step {
            Step::Run(el) => {
                // An external script that must run before the next waits for its `load`.
                if run(shared, &el) {
                    break;
                }
            }
            Step::Load(el) => {
                if let Some(src) = el.get_attribute("data-kelisim-src") {
                    if let Some(p) = el.previous_element_sibling().filter(|p| p.class_name() == "k-embed") {
                        p.remove();
                    }
                    let _ = el.remove_attribute("data-kelisim-src");
                    let _ = el.remove_attribute("hidden");
                    let _ = el.set_attribute("src", &src);
                }
            }
            Step::Hold(el, placeholder) => {
                if let Some(built) = placeholder {
                    built.insert_before(&el);
                    let _ = el.set_attribute("data-kelisim-held", "");
                    let _ = el.set_attribute("hidden", "");
                }
            }
        }
    }
}

/// Replaces a gated script with one that runs: its attributes but `type` and the `data-kelisim-*`
/// ones, `data-kelisim-type` as its type, its nonce, its text. True if it is external and in
/// order (not `async`): the next waits for it.
fn run(shared: &Shared, el: &Element) -> bool {
    let doc = platform::document();
    let Ok(script) = doc.create_element("script") else { return false };
    let names = el.get_attribute_names();
    for name in names.iter() {
        let Some(name) = name.as_string() else { continue };
        if name == "type" || name.starts_with("data-kelisim") {
            continue;
        }
        if let Some(value) = el.get_attribute(&name) {
            let _ = script.set_attribute(&name, &value);
        }
    }
    if let Some(kind) = el.get_attribute("data-kelisim-type") {
        let _ = script.set_attribute("type", &kind);
    }
    // A CSP nonce is hidden from getAttribute once the page has loaded; the property keeps it.
    let nonce = js_sys::Reflect::get(el, &"nonce".into()).unwrap_or(JsValue::UNDEFINED);
    let _ = js_sys::Reflect::set(&script, &"nonce".into(), &nonce);
    script.set_text_content(el.text_content().as_deref());
    let in_order = el.has_attribute("src") && !el.has_attribute("async");
    if in_order {
        // Inserted scripts are async unless told otherwise.
        let _ = js_sys::Reflect::set(&script, &"async".into(), &JsValue::FALSE);
        if let Some(gate) = &shared.read().gate {
            for kind in ["load", "error"] {
                let _ = script.add_event_listener_with_callback(kind, gate.rescan.as_ref().unchecked_ref());
            }
        }
    }
    let _ = el.replace_with_with_node_1(&script);
    in_order
}

/// `gtag('consent', command, { signal: 'granted' | 'denied', … })`, if the page defines `gtag`;
/// with `all_denied`, every signal denied.
fn tell_consent_mode(command: &str, signals: &[(&'static str, bool)], all_denied: bool) {
    let window = platform::window();
    let Some(gtag) = js_sys::Reflect::get(&window, &"gtag".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return;
    };
    let state = js_sys::Object::new();
    for (signal, on) in signals {
        let value = if *on && !all_denied { "granted" } else { "denied" };
        let _ = js_sys::Reflect::set(&state, &(*signal).into(), &value.into());
    }
    let _ = gtag.call3(&window, &"consent".into(), &command.into(), &state);
}

/// Expires the cookies and removes the storage keys that `cookies` and `keys` name.
fn clear_traces(cookies: &[crate::config::Trace], keys: &[crate::config::Trace]) {
    if cookies.is_empty() && keys.is_empty() {
        return;
    }
    let doc: JsValue = platform::document().into();
    let jar =
        js_sys::Reflect::get(&doc, &"cookie".into()).ok().and_then(|c| c.as_string()).unwrap_or_default();
    let host = platform::window().location().hostname().unwrap_or_default();
    for pair in jar.split(';') {
        let name = pair.split('=').next().unwrap_or("").trim_matches(' ');
        if cookies.iter().any(|t| gate::matches(t, name)) {
            for expiry in gate::expiring(name, &host) {
                let _ = js_sys::Reflect::set(&doc, &"cookie".into(), &expiry.as_str().into());
            }
        }
    }
    for (key, _) in platform::stored_with_prefix("").unwrap_or_default() {
        if keys.iter().any(|t| gate::matches(t, &key)) {
            platform::remove(&key);
        }
    }
}
