//! tally-places: an offline US gazetteer and a resolver for messy place strings.
//!
//! The gazetteer (states, DC, territories, counties and about 34,000 places with
//! coordinates, 5-digit county FIPS codes and populations) is compiled into the
//! library from `data/`; nothing is read at run time beyond those embedded bytes and
//! nothing touches the network. [`Gazetteer::resolve`] takes a free-form string
//! ("St. Paul/Minneapolis, MN", "Honolulu (Oahu) HI", "NYC"), and
//! [`Gazetteer::resolve_parts`] takes separate locality and state columns.
//!
//! The hard rule: when a state is given, the answer is in that state or there is no
//! answer. Unresolved is better than wrong.

mod fuzzy;
mod gazetteer;
mod geo;
mod normalize;
mod parse;
mod resolve;
mod states;

pub use gazetteer::Gazetteer;
pub use normalize::normalize;
pub use resolve::{Hints, LocalityFilter};
pub use states::parse_state;

use std::sync::OnceLock;
use tally_model::{Fips, ResolvedPlace, StateCode};

/// The gazetteer data file, built by `scripts/build-gazetteer.sh`.
const GAZETTEER_TSV: &str = include_str!("../data/gazetteer.tsv");
/// Hand-written aliases: nicknames, boroughs, islands.
const ALIASES_TSV: &str = include_str!("../data/aliases.tsv");

/// Errors of this crate. Only a corrupt data file produces one.
#[derive(Debug, thiserror::Error)]
pub enum PlacesError {
    #[error("{file}:{line}: {reason}")]
    Data {
        file: &'static str,
        line: usize,
        reason: String,
    },
}

/// The outcome of resolving one place string.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Resolution {
    /// The place, when one was found (possibly only a state, with confidence `state`).
    pub place: Option<ResolvedPlace>,
    /// An online or virtual event: no place, no coordinates.
    pub online: bool,
    /// No state was given and other states have a comparable place of that name.
    pub ambiguous: bool,
    /// Other places the string could mean ("Springfield, MA"), best first.
    pub alternatives: Vec<String>,
    /// A remark on how the place was resolved.
    pub note: Option<String>,
    /// Why nothing was resolved; `None` when `place` is set or the event is online.
    pub error: Option<String>,
}

impl Resolution {
    pub(crate) fn unresolved(reason: String) -> Resolution {
        Resolution {
            error: Some(reason),
            ..Resolution::default()
        }
    }

    pub(crate) fn online() -> Resolution {
        Resolution {
            online: true,
            note: Some("online or virtual event: no physical place".to_string()),
            ..Resolution::default()
        }
    }
}

impl Gazetteer {
    /// The embedded gazetteer, parsed on first use and shared afterwards.
    pub fn embedded() -> &'static Gazetteer {
        static EMBEDDED: OnceLock<Gazetteer> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            // The data is compiled in and checked by this crate's tests, so a failure
            // here is a build defect, not bad input.
            Gazetteer::load().expect("the embedded gazetteer data is valid")
        })
    }

    /// Parses the embedded data into a new gazetteer.
    pub fn load() -> Result<Gazetteer, PlacesError> {
        Gazetteer::from_text(GAZETTEER_TSV, ALIASES_TSV)
    }

    /// Resident population of a state, DC or territory.
    pub fn state_population(&self, state: StateCode) -> Option<u64> {
        self.states.get(&state).map(|s| s.population)
    }

    /// Resident population of a county or county-equivalent.
    pub fn county_population(&self, fips: &Fips) -> Option<u64> {
        let id = self
            .county_by_fips
            .get(&gazetteer::fips_number(fips.as_str()))?;
        Some(self.counties[*id as usize].population)
    }

    /// The county's name ("Kings County", "Baltimore city").
    pub fn county_name(&self, fips: &Fips) -> Option<&str> {
        let id = self
            .county_by_fips
            .get(&gazetteer::fips_number(fips.as_str()))?;
        Some(&self.counties[*id as usize].name)
    }

    /// The centroid (latitude, longitude) of a county's shape.
    pub fn county_centroid(&self, fips: &Fips) -> Option<(f64, f64)> {
        let id = self
            .county_by_fips
            .get(&gazetteer::fips_number(fips.as_str()))?;
        let county = &self.counties[*id as usize];
        Some((county.lat, county.lon))
    }

    /// Resident population of the 50 states and DC (territories excluded).
    pub fn us_population(&self) -> u64 {
        self.us_population
    }

    /// The geographic centroid (latitude, longitude) of a state's shape.
    pub fn state_centroid(&self, state: StateCode) -> Option<(f64, f64)> {
        self.states.get(&state).map(|s| (s.lat, s.lon))
    }

    /// How many places the gazetteer holds.
    pub fn place_count(&self) -> usize {
        self.places.len()
    }

    /// The populations of the populated places (population above zero) of one state,
    /// or of the 50 states and DC: how many places of each size exist, for the
    /// extrapolation to gatherings the ledger lacks (one place holds about one).
    pub fn place_populations(&self, state: Option<StateCode>) -> Vec<u64> {
        self.places
            .iter()
            .filter(|p| p.population > 0)
            .filter(|p| match state {
                Some(s) => p.state == s,
                None => !p.state.is_territory(),
            })
            .map(|p| p.population)
            .collect()
    }

    /// How many counties and county-equivalents the gazetteer holds.
    pub fn county_count(&self) -> usize {
        self.counties.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_loads_with_every_state() {
        let gaz = Gazetteer::load().unwrap();
        assert!(gaz.place_count() > 30_000);
        assert!(gaz.county_count() > 3_200);
        for state in StateCode::all() {
            assert!(gaz.state_population(state).unwrap() > 0, "{state}");
            assert!(gaz.state_centroid(state).is_some());
        }
        let us = gaz.us_population();
        assert!((320_000_000..345_000_000).contains(&us), "{us}");
        let kings = Fips::parse("36047").unwrap();
        assert_eq!(gaz.county_name(&kings), Some("Kings County"));
        assert!(gaz.county_population(&kings).unwrap() > 2_000_000);
        let (lat, lon) = gaz.county_centroid(&kings).unwrap();
        assert!((40.5..40.8).contains(&lat) && (-74.1..-73.8).contains(&lon));
        assert!(gaz
            .county_centroid(&Fips::parse("99999").unwrap())
            .is_none());
    }
}
