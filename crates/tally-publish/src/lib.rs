//! tally-publish: not built yet.
