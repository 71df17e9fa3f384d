//! Populations for per-capita figures, from the embedded gazetteer.

use tally_estimate::AreaPopulation;
use tally_model::{Fips, StateCode};
use tally_places::Gazetteer;

/// Populations from a gazetteer (the embedded one: [`populations`]).
pub struct GazetteerPopulation(pub &'static Gazetteer);

impl AreaPopulation for GazetteerPopulation {
    fn united_states(&self) -> Option<u64> {
        Some(self.0.us_population()).filter(|&p| p > 0)
    }
    fn state(&self, state: StateCode) -> Option<u64> {
        self.0.state_population(state)
    }
    fn county(&self, fips: &Fips) -> Option<u64> {
        self.0.county_population(fips)
    }
    fn locality(&self, name: &str, state: Option<StateCode>) -> Option<u64> {
        self.0
            .resolve_parts(Some(name), state.map(|s| s.as_str()))
            .place
            .and_then(|p| p.population)
    }
}

/// The embedded gazetteer's populations.
pub fn populations() -> GazetteerPopulation {
    GazetteerPopulation(Gazetteer::embedded())
}
