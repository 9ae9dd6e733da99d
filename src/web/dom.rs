//! Applies the core's view to the DOM: elements, attributes and text nodes only.

use crate::prelude::*;
use crate::view::{Op, View};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

/// Builds the view's elements under a detached `<div>` and returns its first child.
fn build(doc: &Document, view: &View<'_>) -> Result<Option<web_sys::Node>, JsValue> {
    let holder = doc.create_element("div")?;
    let mut open: Vec<Element> = vec![holder.clone()];
    for op in &view.ops {
        let Some(parent) = open.last() else { break };
        match op {
            Op::Open(tag) => {
                let el = doc.create_element(tag)?;
                parent.append_child(&el)?;
                open.push(el);
            }
            Op::Attr(name, value) => parent.set_attribute(name, value)?,
            // Operator text becomes a text node: it is never parsed as HTML.
            Op::Text(s) => {
                parent.append_child(&doc.create_text_node(s))?;
            }
            Op::Close => {
                open.pop();
            }
        }
    }
    Ok(holder.first_child())
}

/// Replaces `root`'s content with `view`, keeping keyboard focus on the element with the same id,
/// or on the first button if that element is gone.
pub fn render(root: &Element, view: &View<'_>) {
    let doc = super::platform::document();
    let focused = doc.active_element().filter(|a| root.contains(Some(a)));
    let focused_id = focused.as_ref().map(Element::id);
    let Ok(Some(built)) = build(&doc, view) else { return };
    root.set_text_content(None);
    let _ = root.append_child(&built);
    if let Some(id) = focused_id {
        let target = (!id.is_empty()).then(|| doc.get_element_by_id(&id)).flatten();
        let target = target.or_else(|| root.query_selector("button").ok().flatten());
        if let Some(el) = target.and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
            let _ = el.focus();
        }
    }
}
/// The `data-k-act` action of the element an event started in, if any.
pub fn action_of(event: &web_sys::Event) -> Option<String> {
    let target: Element = event.target()?.dyn_into().ok()?;
    target.closest("[data-k-act]").ok()??.get_attribute("data-k-act")
}

/// Finds the mount target: an element, or a CSS selector for one.
pub fn resolve_target(target: &JsValue) -> Result<Element, JsValue> {
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
        .ok_or_else(|| js_sys::TypeError::new(&["kelisim: no element matches ", &selector].concat()).into())
}
