//! Performs the core's delivery commands in the browser: the site-wide turn (a Web Lock), the
//! POST, the timer, the `delivered` and `error` events. Local storage is the core's [`Store`].

use super::events::{call_all, error_value, Topic};
use super::global::Borrow;
use super::instance::{emit_problems, Shared};
use super::{json, platform, transport};
use crate::concat::concat;
use crate::delivery::{Command, Event, Store};
use crate::json::Json;
use crate::prelude::*;
use alloc::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The browser's local storage, read with the engine's JSON parser.
pub struct LocalStore;

impl Store for LocalStore {
    fn entries(&self, prefix: &str) -> Option<Vec<(String, String)>> {
        platform::stored_with_prefix(prefix)
    }

    fn save(&mut self, key: &str, value: &str) -> bool {
        platform::save(key, value)
    }

    fn remove(&mut self, key: &str) {
        platform::remove(key);
    }

    fn parse(&self, text: &str) -> Option<Json> {
        json::parse(text).ok()
    }
}

/// Feeds `event` to the mount's delivery and performs what it asks.
pub fn feed(shared: &Shared, event: Event) {
    let commands = {
        let mut inst = shared.write();
        if inst.banner.is_none() {
            return;
        }
        inst.delivery.handle(event, &mut LocalStore, platform::now_ms(), platform::jitter())
    };
    perform(shared, commands);
}

/// Performs delivery commands, then announces any problem.
pub fn perform(shared: &Shared, commands: Vec<Command>) {
    let weak = Rc::downgrade(shared);
    for command in commands {
        match command {
            Command::RequestTurn => {
                let lock = concat(&["kelisim.delivery.v1 ", &shared.read().endpoint]);
                let weak = weak.clone();
                transport::exclusively(&lock, move || {
                    // The turn lasts until the POST this step makes has been answered (and the
                    // answer stored); a step that makes none gives the turn back at once.
                    let shared = weak.upgrade()?;
                    feed(&shared, Event::Turn);
                    let waited = shared.write().sending.take();
                    waited
                });
            }
            Command::Post { body, .. } => {
                let weak = weak.clone();
                let endpoint = shared.read().endpoint.clone();
                let sending = transport::post(&endpoint, &body, move |status| {
                    if let Some(shared) = weak.upgrade() {
                        feed(&shared, Event::Answered(status));
                    }
                });
                shared.write().sending = Some(sending);
            }
            // The turn ends when the POST's promise settles, after its answer was stored.
            Command::EndTurn => {}
            Command::PostBeforeLeaving { body } => {
                let _ = transport::post(&shared.read().endpoint, &body, |_| {});
            }
            Command::WakeAfter(ms) => shared.write().schedule(ms),
            Command::Flushed => {
                let waiters = core::mem::take(&mut shared.write().flush_waiters);
                call_all(&waiters, &JsValue::UNDEFINED);
            }
            Command::Delivered { id, status } => {
                let listeners = shared.read().emitter.listeners(Topic::Delivered);
                call_all(&listeners, &ack(&id, status));
            }
            Command::TellOtherTabs { id, status } => {
                if let Some(channel) = &shared.read().channel {
                    let _ = channel.post_message(&ack(&id, status));
                }
            }
            Command::Problem(problem) => {
                shared.write().report(error_value(problem.code(), &problem.message()));
            }
        }
    }
    emit_problems(shared);
}

/// The `delivered` event's value, `{ recordId, status }`; also what one tab tells the others.
fn ack(id: &str, status: u16) -> JsValue {
    let ack = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&ack, &"recordId".into(), &id.into());
    let _ = js_sys::Reflect::set(&ack, &"status".into(), &JsValue::from(status));
    ack.into()
}

/// Reads what another tab told with [`ack`].
pub fn read_ack(value: &JsValue) -> Option<(String, u16)> {
    let id = js_sys::Reflect::get(value, &"recordId".into()).ok()?.as_string()?;
    let status = js_sys::Reflect::get(value, &"status".into()).ok()?.as_f64()?;
    Some((id, status as u16))
}

impl super::instance::Instance {
    /// Feeds [`Event::Timer`] after `wait_ms`, replacing the timer set before.
    pub(super) fn schedule(&mut self, wait_ms: i64) {
        if let Some(t) = self.timer.take() {
            platform::window().clear_timeout_with_handle(t);
        }
        if let Some(cb) = &self.timer_callback {
            let wait = wait_ms.clamp(0, i64::from(i32::MAX)) as i32;
            self.timer = platform::window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(cb.as_ref().unchecked_ref(), wait)
                .ok();
        }
    }
}
