//! Fuzz target: the extractor, the size-phrase parser and the article readers must
//! never panic, and every estimate must be an ordered range whose offsets are char
//! boundaries of the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tally_extract::{extract, parse_size_phrase, read_articles, ExtractOptions};
use tally_model::CodingRules;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let options = ExtractOptions {
        rules: CodingRules::default(),
        publication_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 15),
    };
    let out = extract(&text, &options);
    for f in &out.estimates {
        assert!(f.estimate.low() <= f.estimate.high());
        assert!(f.start < f.end && f.end <= text.len());
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
    }
    if let Some(e) = parse_size_phrase(&text, &options.rules) {
        assert!(e.low() <= e.high());
    }
    let received = chrono::DateTime::<chrono::Utc>::from_timestamp(0, 0).unwrap();
    let _ = read_articles("fuzz", data, received, &options);
});
