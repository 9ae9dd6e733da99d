//! Any bytes as a received record (what the collector reads): a record or a 400, never a panic;
//! a record read back from its own canonical text is the same record.
#![no_main]

use kelisim::record::ConsentRecord;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(record) = ConsentRecord::from_json_text(text) {
        let again = ConsentRecord::from_json_text(&record.to_text()).expect("canonical text reads back");
        assert_eq!(again, record);
    }
});
