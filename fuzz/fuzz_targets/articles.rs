//! Fuzz target: the article readers (plain text, HTML, RSS and Atom feeds) never panic
//! on any bytes, and every report they give has ordered ranges.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tally_extract::{read_articles, ExtractOptions};
use tally_model::CodingRules;

fuzz_target!(|data: &[u8]| {
    let options = ExtractOptions {
        rules: CodingRules::default(),
        publication_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 15),
    };
    let received = chrono::DateTime::from_timestamp(1_750_000_000, 0).unwrap();
    for origin in ["fuzz.html", "fuzz.xml", "fuzz.txt"] {
        if let Ok(articles) = read_articles(origin, data, received, &options) {
            for article in &articles {
                for report in &article.reports {
                    for estimate in &report.estimates {
                        assert!(estimate.low() <= estimate.high());
                    }
                }
            }
        }
    }
});
