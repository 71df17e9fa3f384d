//! The population of a selected area, for per-capita figures. The numbers come from
//! outside (the gazetteer); this module only decides which area a selection covers.

use std::collections::HashMap;
use tally_model::{Event, Fips, Selection, StateCode};

/// Where populations come from. The places crate's gazetteer implements this in the
/// command; tests use [`StaticPopulation`].
pub trait AreaPopulation {
    /// The United States (50 states and DC).
    fn united_states(&self) -> Option<u64>;
    fn state(&self, state: StateCode) -> Option<u64>;
    fn county(&self, _fips: &Fips) -> Option<u64> {
        None
    }
    fn locality(&self, _name: &str, _state: Option<StateCode>) -> Option<u64> {
        None
    }
}

/// Populations given as plain numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StaticPopulation {
    pub united_states: Option<u64>,
    pub states: HashMap<StateCode, u64>,
    pub counties: HashMap<String, u64>,
    /// Keyed by lowercase locality name and state.
    pub localities: HashMap<(String, Option<StateCode>), u64>,
}

impl AreaPopulation for StaticPopulation {
    fn united_states(&self) -> Option<u64> {
        self.united_states
    }
    fn state(&self, state: StateCode) -> Option<u64> {
        self.states.get(&state).copied()
    }
    fn county(&self, fips: &Fips) -> Option<u64> {
        self.counties.get(fips.as_str()).copied()
    }
    fn locality(&self, name: &str, state: Option<StateCode>) -> Option<u64> {
        self.localities
            .get(&(name.trim().to_lowercase(), state))
            .copied()
    }
}

/// The area a selection covers and its population.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Area {
    /// "United States", "IL", "Chicago, IL".
    pub name: String,
    pub population: Option<u64>,
}

/// The area of a selection: a locality when one is selected, else a state, else the
/// whole country. A locality the source does not know falls back to the population the
/// geocoder attached to the selected events (the largest, as the sub-places of a city
/// resolve to smaller areas).
pub fn selection_area(
    selection: &Selection,
    events: &[Event],
    source: &dyn AreaPopulation,
) -> Area {
    if let Some(locality) = &selection.locality {
        let population = source.locality(locality, selection.state).or_else(|| {
            events
                .iter()
                .filter(|e| {
                    e.place
                        .best_locality()
                        .is_some_and(|l| l.eq_ignore_ascii_case(locality.trim()))
                })
                .filter_map(|e| e.place.resolved.as_ref().and_then(|r| r.population))
                .max()
        });
        let name = match selection.state {
            Some(s) => format!("{}, {s}", locality.trim()),
            None => locality.trim().to_string(),
        };
        return Area { name, population };
    }
    if let Some(state) = selection.state {
        return Area {
            name: state.to_string(),
            population: source.state(state),
        };
    }
    Area {
        name: "United States".to_string(),
        population: source.united_states(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_narrowest_area() {
        let il: StateCode = "IL".parse().unwrap();
        let mut source = StaticPopulation {
            united_states: Some(331_000_000),
            ..Default::default()
        };
        source.states.insert(il, 12_800_000);
        source
            .localities
            .insert(("chicago".into(), Some(il)), 2_700_000);
        let mut selection = Selection::default();
        assert_eq!(
            selection_area(&selection, &[], &source).population,
            Some(331_000_000)
        );
        selection.state = Some(il);
        assert_eq!(
            selection_area(&selection, &[], &source).population,
            Some(12_800_000)
        );
        selection.locality = Some("Chicago".into());
        let area = selection_area(&selection, &[], &source);
        assert_eq!(
            (area.name.as_str(), area.population),
            ("Chicago, IL", Some(2_700_000))
        );
    }
}
