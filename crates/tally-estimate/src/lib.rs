//! tally-estimate: not built yet.
