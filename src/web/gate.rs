//! Tells the page's gating what stands: after the notice is built and after each decision it
//! dispatches `kelisim:gate` on the document (the glue's gating code runs the scripts and loads
//! the embeds this allows); it clears a refusal's cookies and keys and tells Google Consent Mode.

use super::global::Borrow;
use super::instance::Shared;
use super::platform;
use crate::config::Trace;
use crate::gate;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Announces the standing decision to the page. `first`: Consent Mode hears its default (every
/// signal denied) before anything else.
pub fn announce(shared: &Shared, first: bool) {
    let (plan, consent, decided) = {
        let inst = shared.read();
        let Some(banner) = inst.banner.as_ref() else { return };
        let granted = |id: &str| banner.granted(id);
        let decided = banner.saved().is_some();
        if decided {
            // Cookies and storage fire no event in this page: safe while the banner is borrowed.
            let (cookies, keys) = gate::to_clear(banner.config(), &granted);
            clear_traces(&cookies, &keys);
        }
        let plan = gate::plan(banner.config(), &granted, banner.language(), banner.id_prefix());
        (plan, gate::consent_mode(banner.config(), &granted), decided)
    };
    if !consent.is_empty() {
        if first {
            tell_consent_mode("default", &consent, true);
        }
        if decided {
            tell_consent_mode("update", &consent, false);
        }
    }
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&js_sys::JSON::parse(&plan).unwrap_or(JsValue::NULL));
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict("kelisim:gate", &init) {
        let _ = platform::document().dispatch_event(&event);
    }
}

/// `gtag('consent', command, { signal: 'granted' | 'denied', … })`, if the page defines `gtag`;
/// with `all_denied`, every signal denied.
fn tell_consent_mode(command: &str, signals: &[(&'static str, bool)], all_denied: bool) {
    let window = platform::window();
    let gtag = js_sys::Reflect::get(&window, &"gtag".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(gtag) = gtag else { return };
    let state = js_sys::Object::new();
    for (signal, on) in signals {
        let value = if *on && !all_denied { "granted" } else { "denied" };
        let _ = js_sys::Reflect::set(&state, &(*signal).into(), &value.into());
    }
    let _ = gtag.call3(&window, &"consent".into(), &command.into(), &state);
}

/// Expires the cookies and removes the storage keys that `cookies` and `keys` name.
fn clear_traces(cookies: &[&Trace], keys: &[&Trace]) {
    if cookies.is_empty() && keys.is_empty() {
        return;
    }
    let doc: JsValue = platform::document().into();
    let jar =
        js_sys::Reflect::get(&doc, &"cookie".into()).ok().and_then(|c| c.as_string()).unwrap_or_default();
    let host = platform::window().location().hostname().unwrap_or_default();
    for name in gate::cookie_names(&jar) {
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
