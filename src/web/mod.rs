//! The browser shell: the only code that names wasm-bindgen, web-sys or js-sys.
//!
//! | module | owns |
//! |---|---|
//! | `api` | the JavaScript surface: `Kelisim.mount`, `on`, `state`, `withdraw`, `flush`, ... |
//! | `instance` | one mounted banner: applies the core's effects, runs delivery |
//! | `delivery` | the stored outbox, one POST at a time per site, backoff, the last send on leaving |
//! | `dom` | turns the core's view tree into DOM nodes, keeps focus across renders |
//! | `form` | binding a signup form: field checks, messages, submit as the decision (form build) |
//! | `validate` | `validateField` (form build) |
//! | `global` | statics shared by the shell's callbacks (one thread) |
//! | `events` | RAII event listeners and the `on(...)` callbacks |
//! | `json` | JSON through the engine's `JSON.parse` |
//! | `platform` | clock, randomness, storage, languages, page facts |
//! | `transport` | one POST, its status reported to a callback |
//! | `bridge` | handing records to a native app around a mobile web view |

/// A small allocator for the wasm build (measured: ~5 KB less than the default dlmalloc).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

mod api;
mod bridge;
mod delivery;
mod dom;
mod events;
#[cfg(feature = "form")]
mod form;
mod global;
mod instance;
mod json;
mod platform;
mod transport;
#[cfg(feature = "form")]
mod validate;

pub use api::Kelisim;
#[cfg(feature = "form")]
pub use validate::validate_field;
