//! What the shell reads from the browser: clock, randomness, storage, languages, page facts.

use crate::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Storage, Window};

/// The window; kelisim only runs in a window (not a worker).
pub fn window() -> Window {
    web_sys::window().expect_throw("kelisim runs in a browser window")
}

/// The document.
pub fn document() -> Document {
    window().document().expect_throw("kelisim needs a document")
}

/// Unix milliseconds from the browser's clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// 16 bytes from `crypto.getRandomValues`, or from `Math.random` if that is unavailable.
pub fn random16() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    let filled = window().crypto().and_then(|c| c.get_random_values_with_u8_array(&mut bytes)).is_ok();
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

/// A random u16 for backoff jitter.
pub fn jitter() -> u16 {
    (js_sys::Math::random() * 65_536.0) as u16
}

/// A fresh record id.
pub fn fresh_id() -> String {
    crate::id::uuid_v4(random16())
}

/// localStorage, if the browser allows it (it may not: private mode, disabled storage, sandbox).
fn storage() -> Option<Storage> {
    window().local_storage().ok().flatten()
}

/// Reads a stored string.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Stores a string; false if storage is unavailable or full.
pub fn save(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Every stored `(key, value)` whose key starts with `prefix`; `None` if storage is unavailable.
pub fn stored_with_prefix(prefix: &str) -> Option<Vec<(String, String)>> {
    let storage = storage()?;
    let count = storage.length().ok()?;
    let mut out = Vec::new();
    for i in 0..count {
        if let Some(key) = storage.key(i).ok().flatten().filter(|k| k.starts_with(prefix)) {
            if let Some(value) = storage.get_item(&key).ok().flatten() {
                out.push((key, value));
            }
        }
    }
    Some(out)
}

/// Removes a stored key.
pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// `<html lang>`, if set.
pub fn document_lang() -> Option<String> {
    let lang = document().document_element()?.get_attribute("lang")?;
    (!lang.is_empty()).then_some(lang)
}

/// `navigator.languages`, in preference order.
pub fn browser_languages() -> Vec<String> {
    let mut out = Vec::new();
    for v in window().navigator().languages().iter() {
        out.extend(v.as_string());
    }
    out
}

/// The user agent string.
pub fn user_agent() -> Option<String> {
    window().navigator().user_agent().ok()
}

/// The page's address without query or fragment (they may carry personal data).
pub fn page() -> Option<String> {
    let location = window().location();
    let origin = location.origin().ok()?;
    let path = location.pathname().ok()?;
    Some(origin + &path)
}

/// Runs `callback` in a task of its own ahead of other waiting work, through
/// `scheduler.postTask(callback, { priority: "user-blocking" })`; false where the browser has no
/// such scheduler (then a zero timeout does).
pub fn post_urgent_task(callback: &JsValue) -> bool {
    let get = |on: &JsValue, key: &str| {
        js_sys::Reflect::get(on, &key.into()).ok().filter(|v| v.is_object() || v.is_function())
    };
    let Some(scheduler) = get(&window().into(), "scheduler") else { return false };
    let Some(post) = get(&scheduler, "postTask").and_then(|f| f.dyn_into::<js_sys::Function>().ok()) else {
        return false;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"priority".into(), &"user-blocking".into());
    post.call2(&scheduler, callback, &options).is_ok()
}
