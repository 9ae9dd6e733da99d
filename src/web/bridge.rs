//! Hands each record to the native app when the page runs in a mobile web view.
//!
//! iOS (`window.webkit.messageHandlers.kelisim`) receives the record object; Android
//! (`window.KelisimAndroid`, a `@JavascriptInterface`) and React Native (`window.ReactNativeWebView`)
//! receive its JSON text, since their bridges carry strings. The record is POSTed as well.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn lookup(path: &[&str]) -> Option<JsValue> {
    let mut at: JsValue = super::platform::window().into();
    for key in path {
        at = js_sys::Reflect::get(&at, &JsValue::from_str(key)).ok()?;
        if at.is_undefined() || at.is_null() {
            return None;
        }
    }
    Some(at)
}

fn post(target: &JsValue, message: &JsValue) {
    let method = js_sys::Reflect::get(target, &JsValue::from_str("postMessage")).ok();
    if let Some(f) = method.and_then(|m| m.dyn_into::<js_sys::Function>().ok()) {
        let _ = f.call1(target, message);
    }
}

/// Whether any native bridge is present.
pub fn present() -> bool {
    lookup(&["webkit", "messageHandlers", "kelisim"]).is_some()
        || lookup(&["KelisimAndroid"]).is_some()
        || lookup(&["ReactNativeWebView"]).is_some()
}

/// Sends `record` (and its JSON `text`) to every native bridge present.
pub fn hand_over(record: &JsValue, text: &str) {
    if let Some(ios) = lookup(&["webkit", "messageHandlers", "kelisim"]) {
        post(&ios, record);
    }
    let text = JsValue::from_str(text);
    for name in ["KelisimAndroid", "ReactNativeWebView"] {
        if let Some(target) = lookup(&[name]) {
            post(&target, &text);
        }
    }
}
