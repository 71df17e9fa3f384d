//! tally-link: not built yet.
