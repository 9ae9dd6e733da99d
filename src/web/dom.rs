//! Builds the core's view as DOM nodes (elements, attributes and text nodes only) and puts it in
//! the page, keeping keyboard focus.

use crate::concat::concat;
use crate::prelude::*;
use crate::view::Sink;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

/// A view's edits made into nodes under a detached `<div>`: nothing in the page changes, and no
/// page event fires, until [`Detached::replace`] puts them in.
pub struct Detached {
    doc: Document,
    open: Vec<Element>,
}

impl Detached {
    /// An empty detached holder.
    pub fn new() -> Option<Detached> {
        let doc = super::platform::document();
        let holder = doc.create_element("div").ok()?;
        Some(Detached { doc, open: vec![holder] })
    }

    /// Replaces `root`'s content with what was built. With `keep_focus`, keyboard focus inside
    /// stays on the element with the same id, or goes to the first button if that one is gone.
    pub fn replace(self, root: &Element, keep_focus: bool) {
        let Some(built) = self.open.first().and_then(|holder| holder.first_child()) else { return };
        let focused = self.doc.active_element().filter(|a| keep_focus && root.contains(Some(a)));
        let focused_id = focused.as_ref().map(Element::id);
        root.set_text_content(None);
        let _ = root.append_child(&built);
        if let Some(id) = focused_id {
            let target = (!id.is_empty()).then(|| self.doc.get_element_by_id(&id)).flatten();
            if let Some(el) = target.or_else(|| root.query_selector("button").ok().flatten()) {
                super::focus::focus(&el);
            }
        }
    }
}

impl Sink for Detached {
    fn open(&mut self, tag: &'static str) {
        let Ok(el) = self.doc.create_element(tag) else { return };
        if let Some(parent) = self.open.last() {
            let _ = parent.append_child(&el);
        }
        self.open.push(el);
    }

    fn attr(&mut self, name: &'static str, value: &str) {
        if let Some(el) = self.open.last() {
            let _ = el.set_attribute(name, value);
        }
    }

    // Operator text becomes a text node: it is never parsed as HTML.
    fn text(&mut self, s: &str) {
        if let Some(el) = self.open.last() {
            let _ = el.append_child(&self.doc.create_text_node(s));
        }
    }

    fn close(&mut self) {
        if self.open.len() > 1 {
            self.open.pop();
        }
    }
}

/// The `data-k-act` action of the element an event started in, if it is inside `root` or in a
/// placeholder this mount (`prefix`) put in the page.
pub fn action_of(event: &web_sys::Event, root: &Element, prefix: &str) -> Option<String> {
    let target: Element = event.target()?.dyn_into().ok()?;
    let acting = target.closest("[data-k-act]").ok()??;
    let placeholder = acting.closest(".k-embed").ok().flatten();
    let ours = root.contains(Some(&acting))
        || placeholder.is_some_and(|p| p.get_attribute("data-k-for").as_deref() == Some(prefix));
    ours.then(|| acting.get_attribute("data-k-act")).flatten()
}

/// Finds the mount target: an element, or a CSS selector for one.
pub fn resolve_target(target: &JsValue) -> Result<Element, JsValue> {
    // Node or a Web Worker: the notice needs a page; `validateField` does not.
    if web_sys::window().and_then(|w| w.document()).is_none() {
        return Err(js_sys::TypeError::new("kelisim: mount needs a page; validateField does not").into());
    }
    if let Some(el) = target.dyn_ref::<Element>() {
        return Ok(el.clone());
    }
    let selector = target.as_string().ok_or_else(|| {
        js_sys::TypeError::new("kelisim: mount target must be an element or a CSS selector")
    })?;
    super::platform::document()
        .query_selector(&selector)
        .ok()
        .flatten()
        .ok_or_else(|| js_sys::TypeError::new(&concat(&["kelisim: no element matches ", &selector])).into())
}
