//! Event plumbing: DOM listeners removed when dropped, and the page's `on(...)` callbacks.

use crate::error_code::ErrorCode;
use crate::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::EventTarget;

/// A DOM event listener that is removed when this value is dropped.
#[must_use = "the listener is removed as soon as this is dropped"]
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    capture: bool,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    /// Listens for `kind` events on `target`.
    pub fn new(
        target: &EventTarget,
        kind: &'static str,
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> Listener {
        Listener::with_phase(target, kind, false, f)
    }

    /// Listens for `kind` events on `target` in the capture phase, before listeners below it.
    #[cfg(feature = "form")]
    pub fn capture(
        target: &EventTarget,
        kind: &'static str,
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> Listener {
        Listener::with_phase(target, kind, true, f)
    }

    fn with_phase(
        target: &EventTarget,
        kind: &'static str,
        capture: bool,
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> Listener {
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(f);
        let _ = target.add_event_listener_with_callback_and_bool(
            kind,
            callback.as_ref().unchecked_ref(),
            capture,
        );
        Listener { target: target.clone(), kind, capture, callback }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let callback = self.callback.as_ref().unchecked_ref();
        let _ = self.target.remove_event_listener_with_callback_and_bool(self.kind, callback, self.capture);
    }
}

/// The events a page can subscribe to with `on(...)`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// A grant or withdrawal was recorded (before delivery).
    Decision,
    /// The backend acknowledged a record.
    Delivered,
    /// A config, storage or delivery problem.
    Error,
    /// The purposes that stand changed: the new `state()`.
    Change,
}

impl Topic {
    /// Reads an event name.
    pub fn parse(name: &str) -> Option<Topic> {
        match name {
            "decision" => Some(Topic::Decision),
            "delivered" => Some(Topic::Delivered),
            "error" => Some(Topic::Error),
            "change" => Some(Topic::Change),
            _ => None,
        }
    }
}

/// The page's callbacks, and errors raised before anyone listened (replayed on subscribe).
#[derive(Default)]
pub struct Emitter {
    subscribers: Vec<(Topic, js_sys::Function)>,
    early_errors: Vec<JsValue>,
}

impl Emitter {
    /// Adds a callback; errors that happened before the first `error` subscriber are replayed.
    pub fn subscribe(&mut self, topic: Topic, f: js_sys::Function) {
        if topic == Topic::Error {
            for e in self.early_errors.drain(..) {
                let _ = f.call1(&JsValue::NULL, &e);
            }
        }
        self.subscribers.push((topic, f));
    }

    /// The callbacks for `topic`; the caller invokes them after releasing its borrows, since a
    /// callback may call back into the instance.
    pub fn listeners(&self, topic: Topic) -> Vec<js_sys::Function> {
        let mut out = Vec::new();
        for (t, f) in &self.subscribers {
            if *t == topic {
                out.push(f.clone());
            }
        }
        out
    }

    /// Keeps an error for the first `error` subscriber if nobody listens yet.
    pub fn keep_if_unheard(&mut self, error: &JsValue) -> bool {
        let heard = self.subscribers.iter().any(|(t, _)| *t == Topic::Error);
        if !heard {
            self.early_errors.push(error.clone());
        }
        heard
    }
}

/// Calls each callback with `value`; a throwing callback does not stop the others.
pub fn call_all(callbacks: &[js_sys::Function], value: &JsValue) {
    for f in callbacks {
        let _ = f.call1(&JsValue::NULL, value);
    }
}

/// `{ code, message }`, the shape of every `error` event.
pub fn error_value(code: ErrorCode, message: &str) -> JsValue {
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"code".into(), &code.as_str().into());
    let _ = js_sys::Reflect::set(&o, &"message".into(), &message.into());
    o.into()
}
