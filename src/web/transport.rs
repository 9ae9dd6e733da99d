//! One POST of a record body; the HTTP status (or `None` for a network failure) goes to a callback.

use crate::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{RequestCredentials, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    /// A promise seen only through `then(onFulfilled, onRejected)`.
    type Thenable;
    #[wasm_bindgen(method)]
    fn then(this: &Thenable, fulfilled: &JsValue, rejected: &JsValue);
}

/// Calls `f` once with the promise's value or its rejection reason. One function serves both
/// outcomes: it runs exactly once, so its memory is released either way.
pub fn when_settled(promise: &js_sys::Promise, f: impl FnOnce(JsValue) + 'static) {
    let callback = once(Box::new(f));
    promise.unchecked_ref::<Thenable>().then(&callback, &callback);
}

/// A JS function that runs `f` once with its argument. Boxed, so every caller shares one closure
/// shape in the glue and the wasm (each shape costs ~1 KB).
pub fn once(f: Box<dyn FnOnce(JsValue)>) -> JsValue {
    Closure::once_into_js(f)
}

/// How long one POST may take before it counts as a network failure and is retried.
const REQUEST_TIMEOUT_MS: u32 = 15_000;

/// `AbortSignal.timeout(ms)`, where the browser has it.
fn timeout_signal(ms: u32) -> Option<JsValue> {
    let global: JsValue = super::platform::window().into();
    let class = js_sys::Reflect::get(&global, &"AbortSignal".into()).ok()?;
    let timeout =
        js_sys::Reflect::get(&class, &"timeout".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    timeout.call1(&class, &JsValue::from(ms)).ok()
}

/// POSTs `body` as JSON to `url` with `keepalive`, so it survives the page being closed, and
/// calls `done` exactly once with the status; returns the request's promise.
pub fn post(url: &str, body: &str, done: impl FnOnce(Option<u16>) + 'static) -> js_sys::Promise {
    let promise = request(url, body);
    when_settled(&promise, move |value| done(value.dyn_ref::<Response>().map(Response::status)));
    promise
}

/// The `fetch` of one POST of JSON, with `keepalive` and a timeout.
pub fn request(url: &str, body: &str) -> js_sys::Promise {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    init.set_credentials(RequestCredentials::Omit);
    let headers = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&headers, &"content-type".into(), &"application/json".into());
    init.set_headers(&headers);
    // keepalive bodies are capped at 64 KiB in total; records are far smaller.
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE);
    // A server that accepts the request and never answers must not hold the record forever.
    if let Some(signal) = timeout_signal(REQUEST_TIMEOUT_MS) {
        let _ = js_sys::Reflect::set(&init, &"signal".into(), &signal);
    }
    super::platform::window().fetch_with_str_and_init(url, &init)
}

/// Runs `work` while holding the Web Lock `name`, shared by every tab of the site: the tabs take
/// turns, so no two send at once. `work` returns what the turn waits for (the POST's promise,
/// with the answer's handling attached before the lock's own), or `None` when it is over at
/// once. Without Web Locks (older browsers) `work` runs at once: a record sent twice is harmless,
/// since the collector answers a repeat with 200.
pub fn exclusively(name: &str, work: impl FnOnce() -> Option<js_sys::Promise> + 'static) {
    let locks = js_sys::Reflect::get(&super::platform::window().navigator(), &"locks".into()).ok();
    let request = locks
        .as_ref()
        .filter(|l| !l.is_undefined() && !l.is_null())
        .and_then(|l| js_sys::Reflect::get(l, &"request".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let (Some(locks), Some(request)) = (locks, request) else {
        work();
        return;
    };
    // The lock is held until the returned promise settles: once the POST has been answered and
    // that answer written to storage (its handler was attached first, so it runs first).
    let granted = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        work().map_or(JsValue::UNDEFINED, JsValue::from)
    });
    let _ = request.call2(&locks, &JsValue::from_str(name), &granted);
}
