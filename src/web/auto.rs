//! Mounts every `<div data-kelisim="/consent/x.json">` on the page when the module starts.

use super::instance::{self, Options, Shared};
use super::platform;
use super::transport::when_settled;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Response};

thread_local! {
    /// Auto-mounted banners live as long as the page.
    static AUTO: RefCell<Vec<Shared>> = const { RefCell::new(Vec::new()) };
}

fn options_of(el: &Element) -> Options {
    Options { lang: el.get_attribute("data-kelisim-lang"), subject: el.get_attribute("data-kelisim-subject") }
}

fn mount_with(el: Element, text: Result<String, String>) {
    let shared = instance::mount(el.clone(), text, options_of(&el));
    instance::emit_problems(&shared);
    AUTO.with(|a| a.borrow_mut().push(shared));
}

/// Fetches `url` as text and hands it (or why it failed) to `done`.
fn fetch_text(url: &str, done: impl FnOnce(Result<String, String>) + 'static) {
    let failed = |url: &str| Err(["config: could not load ", url].concat());
    let url_owned = url.to_owned();
    let response = platform::window().fetch_with_str(url);
    when_settled(&response, move |value| {
        let Some(response) = value.dyn_ref::<Response>().filter(|r| r.ok()) else {
            return done(failed(&url_owned));
        };
        let Ok(text) = response.text() else { return done(failed(&url_owned)) };
        when_settled(&text, move |value| match value.as_string() {
            Some(s) => done(Ok(s)),
            None => done(failed(&url_owned)),
        });
    });
}

#[wasm_bindgen(start)]
fn start() {
    let Ok(found) = platform::document().query_selector_all("[data-kelisim]") else { return };
    for i in 0..found.length() {
        let Some(el) = found.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        let url = el.get_attribute("data-kelisim").unwrap_or_default();
        if url.trim().is_empty() {
            mount_with(el, Err("config: data-kelisim needs the URL of a config file".into()));
        } else {
            fetch_text(&url, move |text| mount_with(el, text));
        }
    }
}
