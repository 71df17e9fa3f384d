//! tally-places: not built yet.
