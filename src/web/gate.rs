//! Tells the page's gating what stands: after the notice is built and after each decision it
//! dispatches `kelisim:gate` on the document with the core's plan; the glue's gating code
//! (`assets/kelisim-gate.js`) runs the scripts and loads the embeds it allows, clears the cookies
//! and keys it names, and tells Google Consent Mode.

use super::global::Borrow;
use super::instance::Shared;
use super::platform;
use crate::gate;
use wasm_bindgen::prelude::*;

/// Announces the standing decision to the page; `first` once per mount, before anything runs.
pub fn announce(shared: &Shared, first: bool) {
    let plan = {
        let inst = shared.read();
        let Some(banner) = inst.banner.as_ref() else { return };
        let granted = |id: &str| banner.granted(id);
        let decided = banner.saved().is_some();
        gate::plan(banner.config(), &granted, banner.language(), banner.id_prefix(), first, decided)
    };
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&js_sys::JSON::parse(&plan).unwrap_or(JsValue::NULL));
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict("kelisim:gate", &init) {
        let _ = platform::document().dispatch_event(&event);
    }
}
