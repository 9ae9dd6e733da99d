//! Keyboard focus for a modal notice: moved in when it opens, kept inside while it is open, and
//! given back when it closes.

use crate::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// Focuses `el` if it can take focus.
pub fn focus(el: &Element) {
    if let Some(el) = el.dyn_ref::<HtmlElement>() {
        let _ = el.focus();
    }
}

/// The dialog itself (`tabindex="-1"`): focused on open, so a screen reader reads its title and
/// summary and the next Tab reaches its first control.
pub fn dialog(root: &Element) -> Option<Element> {
    root.query_selector("[aria-modal]").ok().flatten()
}

/// The controls a visitor can Tab to inside `root`, in order (none inside a hidden layer).
fn controls(root: &Element) -> Vec<Element> {
    let mut out = Vec::new();
    let Ok(list) = root.query_selector_all("button,input:not([disabled]),a[href]") else { return out };
    for i in 0..list.length() {
        if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            if el.closest("[hidden]").ok().flatten().is_none() {
                out.push(el);
            }
        }
    }
    out
}

/// Wraps Tab and Shift+Tab around the ends of the dialog in `root`; true if it moved focus.
pub fn wrap(root: &Element, active: Option<Element>, backwards: bool) -> bool {
    let controls = controls(root);
    let (Some(first), Some(last)) = (controls.first(), controls.last()) else { return false };
    let at_start = active.as_ref().map_or(true, |a| a == first || Some(a) == dialog(root).as_ref());
    let at_end = active.as_ref().map_or(true, |a| a == last);
    let target = match backwards {
        true if at_start => last,
        false if at_end => first,
        _ => return false,
    };
    focus(target);
    true
}
