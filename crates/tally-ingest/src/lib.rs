//! tally-ingest: not built yet.
