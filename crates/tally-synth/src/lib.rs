//! tally-synth: not built yet.
