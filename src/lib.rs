//! kelisim — consent notices for personal-data operators in Kazakhstan, compiled to WebAssembly.
//!
//! The crate shows an operator's privacy notice with one checkbox per purpose in Kazakh, Russian
//! or English; records each decision with its time, the policy edition and a SHA-256 of the exact
//! text shown; and delivers the record to the operator's backend without losing or doubling it.
//! The same core is compiled natively into the collector, so browser and ledger agree on what a
//! valid config, record and text hash are.
//!
//! ```
//! use kelisim::{config::Config, choices::Choices, lang::Lang, record};
//!
//! let config = Config::from_json_text(include_str!("../www/consent/karatel.json")).unwrap();
//! let mut choices = Choices::fresh(&config);            // required ticked, optional not
//! choices.toggle("marketing");
//! let ctx = record::Context {
//!     subject_ref: "anon-7d1f".into(),
//!     channel: record::Channel::Web,
//!     page: None,
//!     user_agent: None,
//!     ..Default::default()
//! };
//! let stamp = record::Stamp {
//!     now_ms: 1_795_385_128_123,
//!     record_id: kelisim::id::uuid_v4([7; 16]),
//!     previous_record_id: None,
//! };
//! let rec = record::grant(&config, &choices, Lang::Kk, &ctx, stamp);
//! assert_eq!(rec.policy.text_sha256.len(), 64);
//! assert!(rec.to_text().starts_with(r#"{"schema":1,"#));
//! ```
//!
//! | module | owns |
//! |---|---|
//! | [`config`] | the operator's config, validated with errors that name the field |
//! | [`lang`] | languages and which one a visitor sees |
//! | [`i18n`] | built-in interface strings in kk, ru and en |
//! | [`choices`] | purpose choices: required locked on, optional never pre-ticked |
//! | [`canonical`] | the canonical shown text and its `textSha256` |
//! | [`record`] | the consent record, built and read |
//! | [`outbox`] | the queue of records waiting for the backend, and its stored form |
//! | [`delivery`] | delivery as a state machine: events in, commands out |
//! | [`error_code`] | the codes of the page's `error` events |
//! | [`banner`] | the banner's state machine: messages in, effects out |
//! | [`view`] | the view model the web shell renders |
//! | [`validate`] | field parsers |
//! | [`json`], [`time`], [`id`], [`sha256`], [`concat`] | JSON, timestamps, record ids, hashing, joining strings |

#![deny(missing_docs)]
// The shipped wasm builds leave the standard library out: a panic is then a trap, and no
// formatting or unwinding machinery is downloaded (measured in the README). Native code always
// has `std`.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

/// What `std`'s prelude gives and `core`'s does not, for the modules that work without `std`.
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod banner;
pub mod canonical;
pub mod choices;
pub mod concat;
pub mod config;
pub mod delivery;
pub mod error_code;
pub mod gate;
pub mod i18n;
pub mod id;
pub mod json;
pub mod lang;
pub mod outbox;
pub mod record;
pub mod sha256;
pub mod short_code;
pub mod time;
pub mod validate;
pub mod view;

/// Without `std` a panic stops the module: the browser reports a wasm trap, and nothing else runs.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

// The browser shell: the only code that names wasm-bindgen, web-sys or js-sys.
#[cfg(target_arch = "wasm32")]
mod web;
#[cfg(all(target_arch = "wasm32", feature = "form"))]
pub use web::validate_field;
#[cfg(target_arch = "wasm32")]
pub use web::Kelisim;
