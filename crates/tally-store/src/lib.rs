//! tally-store: not built yet.
