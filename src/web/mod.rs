//! The browser shell: the only code that names wasm-bindgen, web-sys or js-sys.
//!
//! | module | owns |
//! |---|---|
//! | `api` | the JavaScript surface: `Kelisim.mount`, `on`, `state`, `withdraw`, `flush`, ... |
//! | `instance` | one mounted banner: applies the core's effects, builds the notice in its own task |
//! | `delivery` | performs the core's delivery commands: the Web Lock turn, the POST, the timer |
//! | `dom` | the view sink that builds DOM nodes, and swapping them in with focus kept |
//! | `focus` | a modal notice's focus: moved in on open, kept inside, given back on close |
//! | `gate` | gated scripts and embeds, a refusal's cookies and keys, Google Consent Mode |
//! | `confirm` | the SMS step's and the receipt's calls, printing and saving it, the kiosk's reset (form build) |
//! | `form` | binding a signup form: field checks, messages, submit as the decision (form build) |
//! | `validate` | `validateField` (form build) |
//! | `global` | statics shared by the shell's callbacks (one thread) |
//! | `events` | RAII event listeners and the `on(...)` callbacks |
//! | `json` | JSON parsed by the engine, read by the core |
//! | `platform` | clock, randomness, storage, languages, page facts |
//! | `transport` | one POST, its status reported to a callback; the site-wide Web Lock |
//! | `bridge` | handing records to a native app around a mobile web view |

/// A small allocator for the wasm build (measured: ~5 KB less than the default dlmalloc).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

mod api;
mod bridge;
#[cfg(feature = "form")]
mod confirm;
mod delivery;
mod dom;
mod events;
mod focus;
#[cfg(feature = "form")]
mod form;
mod gate;
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
