//! The `Debug` of the extraction of every line of a JSON Lines input, one line each:
//! for checking that a change leaves every output byte-identical (not a test; see
//! BENCHMARKS.md, "Extraction").
//!
//! `ident [DATE] < texts.jsonl > out.txt`: each input line is `{"text": ..., "date":
//! "YYYY-MM-DD" or null}`; with `DATE`, every text is read with that publication date
//! instead. Run the build before and after a change and `cmp` the outputs.

use std::io::{BufRead, Write};
use tally_extract::{extract, ExtractOptions};

fn main() {
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let every = std::env::args().nth(1).map(|d| date(&d).expect("DATE"));
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line.expect("input");
        let v: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        let options = ExtractOptions {
            publication_date: every.or_else(|| v["date"].as_str().and_then(date)),
            ..ExtractOptions::default()
        };
        let text = v["text"].as_str().unwrap_or("");
        writeln!(out, "{:?}", extract(text, &options)).expect("output");
    }
}
