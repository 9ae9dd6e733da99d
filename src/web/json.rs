//! JSON in the browser: the engine's own `JSON.parse`, its result turned into the core's [`Json`].
//!
//! The core's parser stays the definition natively (the collector, the config checker); in the
//! browser the engine parses, so the wasm carries no parser of its own (~2.3 KB gzip, measured).
//! One difference: the engine keeps the last of duplicate member names where the core refuses
//! them, so a config with duplicates is refused natively and shown in the browser.

use crate::concat::concat;
use crate::json::{push_uint, Json};
use crate::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Nesting deeper than this is cut off (a config object passed to `mount` may even be cyclic).
const MAX_DEPTH: u32 = 64;

/// Parses JSON text with the engine's `JSON.parse`; the error is the engine's message.
pub fn parse(text: &str) -> Result<Json, String> {
    match js_sys::JSON::parse(text) {
        Ok(value) => Ok(from_js(&value)),
        Err(e) => {
            let detail = js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string());
            Err(concat(&["not valid JSON: ", &detail.unwrap_or_default()]))
        }
    }
}

/// The core's view of a JavaScript value: what JSON can hold; anything else (functions,
/// `undefined`, values nested too deep) reads as `null`.
pub fn from_js(value: &JsValue) -> Json {
    convert(value, 0)
}

fn convert(value: &JsValue, depth: u32) -> Json {
    if let Some(s) = value.as_string() {
        return Json::String(s);
    }
    if let Some(b) = value.as_bool() {
        return Json::Bool(b);
    }
    if let Some(n) = value.as_f64() {
        return Json::Number(number_text(n));
    }
    if depth >= MAX_DEPTH || !value.is_object() {
        return Json::Null;
    }
    if let Some(array) = value.dyn_ref::<js_sys::Array>() {
        let mut items = Vec::new();
        for item in array.iter() {
            items.push(convert(&item, depth + 1));
        }
        return Json::Array(items);
    }
    let mut members = Vec::new();
    for pair in js_sys::Object::entries(value.unchecked_ref()).iter() {
        let pair: js_sys::Array = pair.unchecked_into();
        if let Some(key) = pair.get(0).as_string() {
            members.push((key, convert(&pair.get(1), depth + 1)));
        }
    }
    Json::Object(members)
}

/// An integer as its digits; anything else as a text no reader takes for a whole number.
fn number_text(n: f64) -> String {
    let mut out = String::new();
    let whole = n as i64;
    if whole as f64 == n && n.abs() < 9_007_199_254_740_992.0 {
        if whole < 0 {
            out.push('-');
        }
        push_uint(&mut out, whole.unsigned_abs());
    } else {
        out.push_str("NaN");
    }
    out
}
