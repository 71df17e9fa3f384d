//! Integration tests of tally-extract: the labelled corpus in `test_data/extract/`
//! scored end to end, a snapshot of every passage's extraction, and property tests
//! of the extractor's invariants.

mod corpus;
mod properties;
mod snapshot;
