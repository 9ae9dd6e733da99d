//! The JavaScript surface of PRODUCT.md: `Kelisim.mount(target, config)` and the instance methods.

use super::delivery::{self, LocalStore};
use super::dom;
use super::events::Topic;
use super::global::{Borrow, Global};
use super::instance::{self, Options, Shared};
use super::json;
use crate::banner::Msg;
use crate::concat::concat;
use crate::delivery::Event;
use crate::json::Json;
use crate::lang::Lang;
use crate::prelude::*;
use alloc::rc::Rc;
use core::cell::RefCell;
use wasm_bindgen::prelude::*;

/// Every mounted banner, kept until `unmount()`: a page need not hold on to the object `mount`
/// returned, and the notice keeps working after the engine collects it.
static MOUNTED: Global<RefCell<Vec<Shared>>> = Global::new(RefCell::new(Vec::new()));

/// A mounted consent banner.
#[wasm_bindgen]
pub struct Kelisim {
    shared: Shared,
}

fn option_string(options: &JsValue, key: &str) -> Option<String> {
    if !options.is_object() {
        return None;
    }
    js_sys::Reflect::get(options, &JsValue::from_str(key)).ok()?.as_string()
}

/// `kiosk: true` with the optional `shop` and `consultant` the records name.
#[cfg(feature = "form")]
fn kiosk_option(options: &JsValue) -> Option<crate::record::Kiosk> {
    let on = options.is_object() && js_sys::Reflect::get(options, &"kiosk".into()).ok()?.is_truthy();
    on.then(|| crate::record::Kiosk {
        shop: option_string(options, "shop"),
        consultant: option_string(options, "consultant"),
    })
}

/// Reads the `config` argument: a config object, or its JSON text.
pub fn config_json(config: &JsValue) -> Result<Json, String> {
    if let Some(text) = config.as_string() {
        return json::parse(&text).map_err(|e| concat(&["config: ", &e]));
    }
    if !config.is_object() {
        return Err("config: expected a config object or JSON text".into());
    }
    Ok(json::from_js(config))
}

#[wasm_bindgen]
impl Kelisim {
    /// Mounts a banner into `target` (an element or a CSS selector) for `config` (an object or
    /// JSON text). `options` may carry `lang` and `subject`. A config that is refused shows
    /// nothing and is reported through `on("error")`; a missing target throws.
    pub fn mount(target: JsValue, config: JsValue, options: JsValue) -> Result<Kelisim, JsValue> {
        let root = dom::resolve_target(&target)?;
        let options = Options {
            lang: option_string(&options, "lang"),
            subject: option_string(&options, "subject"),
            #[cfg(feature = "form")]
            kiosk: kiosk_option(&options),
        };
        let shared = instance::mount(root, config_json(&config), options);
        MOUNTED.write().push(shared.clone());
        Ok(Kelisim { shared })
    }

    /// Subscribes to `decision`, `delivered`, `change` or `error`.
    pub fn on(&self, event: &str, callback: js_sys::Function) -> Result<(), JsValue> {
        let topic = Topic::parse(event).ok_or_else(|| {
            js_sys::TypeError::new("kelisim: on() takes \"decision\", \"delivered\", \"change\" or \"error\"")
        })?;
        self.shared.write().emitter.subscribe(topic, callback);
        Ok(())
    }

    /// The language shown: `kk`, `ru` or `en`.
    #[wasm_bindgen(getter)]
    pub fn language(&self) -> Option<String> {
        instance::language(&self.shared).map(|l| l.code().to_owned())
    }

    /// Shows the notice in another offered language; the next record carries it and its hash.
    #[wasm_bindgen(js_name = setLanguage)]
    pub fn set_language(&self, lang: &str) -> bool {
        match Lang::from_tag(lang) {
            Some(l) => {
                instance::dispatch(&self.shared, Msg::SetLanguage(l));
                instance::language(&self.shared) == Some(l)
            }
            None => false,
        }
    }

    /// `null`, or `{ policyVersion, purposes: { id: bool }, recordId, decidedAt }`.
    pub fn state(&self) -> JsValue {
        let inst = self.shared.read();
        match inst.banner.as_ref().and_then(|b| b.saved()) {
            Some(saved) => js_sys::JSON::parse(&saved.to_text()).unwrap_or(JsValue::NULL),
            None => JsValue::NULL,
        }
    }

    /// Records and delivers a withdrawal of `purposes`; a Promise of the record (or of `null`
    /// when there is no earlier decision or no such purpose).
    pub fn withdraw(&self, purposes: JsValue) -> js_sys::Promise {
        let mut ids = Vec::new();
        for v in js_sys::Array::from(&purposes).iter() {
            ids.extend(v.as_string());
        }
        let record = instance::dispatch(&self.shared, Msg::Withdraw(ids)).unwrap_or(JsValue::NULL);
        js_sys::Promise::resolve(&record)
    }

    /// Records stored but not yet acknowledged by the backend.
    pub fn pending(&self) -> js_sys::Array {
        let (bodies, problems) = self.shared.write().delivery.pending(&mut LocalStore);
        delivery::perform(&self.shared, problems);
        let records = js_sys::Array::new();
        for body in &bodies {
            records.push(&js_sys::JSON::parse(body).unwrap_or(JsValue::NULL));
        }
        records
    }

    /// A Promise that resolves when the outbox is empty.
    pub fn flush(&self) -> js_sys::Promise {
        let shared = self.shared.clone();
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            shared.write().flush_waiters.push(resolve);
        });
        delivery::feed(&self.shared, Event::Flush);
        promise
    }

    /// Removes the banner; undelivered records stay stored for the next page load.
    pub fn unmount(&self) {
        self.shared.write().unmount();
        MOUNTED.write().retain(|s| !Rc::ptr_eq(s, &self.shared));
    }
}
