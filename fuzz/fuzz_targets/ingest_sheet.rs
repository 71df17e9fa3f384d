//! Fuzz target: the Sheet reader of tally-ingest never panics on any bytes, and what it
//! reads holds the plausibility bounds (see `ingest_common.rs`).
#![no_main]

#[path = "ingest_common.rs"]
mod ingest_common;

use libfuzzer_sys::fuzz_target;
use tally_ingest::Format;

fuzz_target!(|data: &[u8]| ingest_common::check_reader(Format::Sheet, data));
