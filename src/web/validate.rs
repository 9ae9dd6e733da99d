//! `validateField(kind, value, lang)`: one form value checked with the signup form's own rules.

use crate::lang::Lang;
use crate::prelude::*;
use crate::validate::{check, FieldKind, Rules};
use wasm_bindgen::prelude::*;

/// Checks one form value: `validateField("phone", "8 (701) 234-56-78", "ru")` →
/// `{ valid, code, message, normalized }`. Kinds: iin, bin, phone, email, name, patronymic,
/// postcode, birthDate. The message is in `lang` (kk by default); warnings come on valid values.
#[wasm_bindgen(js_name = validateField)]
pub fn validate_field(kind: &str, value: &str, lang: Option<String>) -> Result<JsValue, JsValue> {
    let kind = FieldKind::parse(kind).ok_or_else(|| {
        js_sys::TypeError::new("kelisim: validateField kind is one of iin, bin, phone, email, name, patronymic, postcode, birthDate")
    })?;
    let lang = lang.as_deref().and_then(Lang::from_tag).unwrap_or(Lang::Kk);
    let now = js_sys::Date::new_0();
    let today = (i64::from(now.get_full_year()), now.get_month() + 1, now.get_date());
    let verdict = check(kind, value, &Rules { today, minimum_age: 0, allow_landline: true });
    let out = js_sys::Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&out, &JsValue::from_str(key), &value);
    };
    set("valid", JsValue::from_bool(verdict.valid));
    set("code", JsValue::from_str(verdict.code.as_str()));
    set("message", JsValue::from_str(verdict.code.message(lang)));
    set("normalized", JsValue::from_str(&verdict.normalized));
    Ok(out.into())
}
