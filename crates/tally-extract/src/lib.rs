//! tally-extract: not built yet.
