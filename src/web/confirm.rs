//! The form build's extra effects: the calls of the SMS step and the receipt to the collector,
//! printing and saving the receipt, and clearing a kiosk for its next customer.

use super::global::Borrow;
use super::instance::{dispatch, Shared};
use super::{delivery, focus, platform, transport};
use crate::banner::{Call, Mode, Msg, ReceiptMsg, SmsMsg};
use crate::concat::concat;
use crate::delivery::Event;
use crate::json::Json;
use crate::prelude::*;
use alloc::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, Response};

/// How long a kiosk shows its thanks before clearing itself for the next customer.
const KIOSK_RESET_MS: i32 = 90_000;

/// The message for the SMS step's actions, which carry what was typed beside them.
pub fn typed_action(action: &str, root: &Element, prefix: &str) -> Option<Msg> {
    let value = |name: &str| {
        let input = root.query_selector(&concat(&["#", prefix, "-", name])).ok().flatten()?;
        js_sys::Reflect::get(&input, &"value".into()).ok()?.as_string()
    };
    match action {
        "send-code" => Some(Msg::Sms(SmsMsg::SendCode(value("phone")))),
        "check-code" => Some(Msg::Sms(SmsMsg::CheckCode(value("code").unwrap_or_default()))),
        _ => None,
    }
}

/// Enter in one of the step's inputs presses its button, and never submits the form around it.
pub fn on_enter(event: &web_sys::Event, root: &Element, prefix: &str) -> Option<Msg> {
    let target = event.target()?.dyn_into::<Element>().ok()?;
    let action = target.get_attribute("data-k-enter")?;
    event.prevent_default();
    typed_action(&action, root, prefix)
}

/// Puts focus on the input the step waits for, unless it has it.
pub fn focus_input(root: &Element) {
    let Some(input) = root.query_selector("[data-k-focus]").ok().flatten() else { return };
    let active = platform::document().active_element();
    if active.as_ref().map(Element::id) != Some(input.id()) {
        focus::focus(&input);
    }
}

/// POSTs `body` to `url` and gives the collector's answer back to the core; a receipt is asked
/// for once the record it names has been delivered.
pub fn call(shared: &Shared, call: Call, url: String, body: String) {
    let weak = Rc::downgrade(shared);
    let send = move || {
        let answered = move |status: Option<u16>, answer: Json| {
            if let Some(shared) = weak.upgrade() {
                dispatch(&shared, Msg::Answer(call, status, answer));
            }
        };
        post_json(&url, &body, answered);
    };
    if call != Call::SendReceipt {
        send();
        return;
    }
    let waiter = transport::once(Box::new(move |_| send()));
    shared.write().flush_waiters.push(waiter.unchecked_into());
    delivery::feed(shared, Event::Flush);
}

/// One POST of JSON; `done` gets the status and the answer's JSON (`null` when there is none).
fn post_json(url: &str, body: &str, done: impl FnOnce(Option<u16>, Json) + 'static) {
    let request = transport::request(url, body);
    transport::when_settled(&request, move |value| {
        let Some(response) = value.dyn_ref::<Response>() else { return done(None, Json::Null) };
        let status = response.status();
        match response.text() {
            Ok(text) => transport::when_settled(&text, move |text| {
                let answer = text.as_string().and_then(|t| super::json::parse(&t).ok());
                done(Some(status), answer.unwrap_or(Json::Null));
            }),
            Err(_) => done(Some(status), Json::Null),
        }
    });
}

/// Prints the page; the style sheet prints only the receipt.
pub fn print() {
    let _ = platform::window().print();
}

/// Offers the receipt shown in `root` as a text file named `name`: its title and body as the page
/// renders them (`innerText`), so the file says what the visitor read.
pub fn save_receipt(root: &Element, name: &str) {
    let text_of = |selector: &str| {
        let el = root.query_selector(selector).ok().flatten()?;
        Some(el.dyn_into::<web_sys::HtmlElement>().ok()?.inner_text())
    };
    let (Some(title), Some(body)) =
        (text_of("[data-k-receipt] .k-title"), text_of("[data-k-receipt] .k-body"))
    else {
        return;
    };
    let text = concat(&[&title, "\n\n", &body, "\n"]);
    let doc = platform::document();
    let Ok(link) = doc.create_element("a") else { return };
    let href =
        concat(&["data:text/plain;charset=utf-8,", &String::from(js_sys::encode_uri_component(&text))]);
    let _ = link.set_attribute("href", &href);
    let _ = link.set_attribute("download", name);
    if let Some(link) = link.dyn_ref::<web_sys::HtmlElement>() {
        link.click();
    }
}

/// After a kiosk's decision: the thanks clears itself if nobody presses "next customer".
pub fn schedule_kiosk_reset(shared: &Shared) {
    let Some(record) = thanked(shared) else { return };
    let weak = Rc::downgrade(shared);
    let reset = transport::once(Box::new(move |_| {
        let Some(shared) = weak.upgrade() else { return };
        // Only the thanks this timer was set for.
        if thanked(&shared).as_deref() == Some(record.as_str()) {
            dispatch(&shared, Msg::Receipt(ReceiptMsg::NextCustomer));
        }
    }));
    let _ = platform::window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(reset.unchecked_ref(), KIOSK_RESET_MS);
}

/// The record a kiosk is thanking its customer for, if it is.
fn thanked(shared: &Shared) -> Option<String> {
    let inst = shared.read();
    let banner = inst.banner.as_ref()?;
    matches!(banner.mode(), Mode::Thanks { .. }).then(|| banner.saved().map(|s| s.record_id.clone()))?
}
