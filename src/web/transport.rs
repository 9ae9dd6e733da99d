//! One POST of a record body; the HTTP status (or `None` for a network failure) goes to a callback.

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
    let callback = Closure::once_into_js(f);
    promise.unchecked_ref::<Thenable>().then(&callback, &callback);
}

/// POSTs `body` as JSON to `url` with `keepalive`, so it survives the page being closed, and
/// calls `done` exactly once with the status.
pub fn post(url: &str, body: &str, done: impl FnOnce(Option<u16>) + 'static) {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    init.set_credentials(RequestCredentials::Omit);
    let headers = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&headers, &"content-type".into(), &"application/json".into());
    init.set_headers(&headers);
    // keepalive bodies are capped at 64 KiB in total; records are far smaller.
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE);
    let promise = super::platform::window().fetch_with_str_and_init(url, &init);
    when_settled(&promise, move |value| done(value.dyn_ref::<Response>().map(Response::status)));
}
