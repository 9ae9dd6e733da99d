//! Any bytes as an operator config: a config or an error naming the field, never a panic.
#![no_main]

use kelisim::config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(config) = Config::from_json_text(text) {
        for lang in config.languages.clone() {
            let _ = kelisim::canonical::text_sha256(&config, lang);
        }
    }
});
