//! Integration tests of tally-extract: the labelled corpus in `test_data/extract/`
//! scored end to end, and property tests of the extractor's invariants.

mod corpus;
mod properties;
