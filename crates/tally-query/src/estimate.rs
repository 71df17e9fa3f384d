//! Totals for a selection: counts, coverage, the known ranges, the imputed total with its
//! 90% interval, the median-fill baseline, the area's population and per-capita share,
//! and optional breakdowns by state, locality or day.

use crate::population::populations;
use crate::QueryError;
use serde::Serialize;
use tally_estimate::{
    AreaPopulation, BreakdownRow, By, EstimateConfig, EventRows, RowsBuilder, Totals,
};
use tally_model::{Event, Selection, SlimEvent, StateCode};
use tally_store::Ledger;

/// The knobs of the imputation model that every estimating question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelOptions {
    /// Bootstrap replicates for the imputed interval (clamped to 20..=100,000).
    pub replicates: usize,
    /// Seed of the bootstrap: the same ledger and seed give the same interval.
    pub seed: u64,
}

impl Default for ModelOptions {
    fn default() -> Self {
        ModelOptions {
            replicates: 500,
            seed: 20250614,
        }
    }
}

impl ModelOptions {
    pub fn config(&self) -> EstimateConfig {
        let mut config = EstimateConfig::default();
        config.impute.replicates = self.replicates.clamp(20, 100_000);
        config.impute.seed = self.seed;
        config
    }
}

/// `tally estimate`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EstimateRequest {
    pub selection: Selection,
    /// Break the totals down by state, locality or day.
    pub by: Option<By>,
    /// Only counts and known sums: no imputed total, no baseline.
    pub no_impute: bool,
    pub model: ModelOptions,
    /// The selection is known to hold this many events: totals carry `extrapolated`.
    pub expected_events: Option<usize>,
    /// Without `expected_events`, take the event count stated by the aggregate claims
    /// stored for the selection's days.
    pub extrapolate: bool,
}

/// The totals of DESIGN.md, with the breakdown rows when one was asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EstimateAnswer {
    #[serde(flatten)]
    pub totals: Totals,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<Vec<BreakdownRow>>,
}

/// The events a selection picks, in no particular order (cheap, for totals).
pub fn load_events(ledger: &Ledger, selection: &Selection) -> Result<Vec<Event>, QueryError> {
    Ok(tally_pipeline::events_for_totals(ledger, selection)?)
}

/// Totals of already selected events, with the selected area's population. When the
/// selection is known to hold more events than given, the extrapolation learns how many
/// places of each size the area has (`place_populations`).
pub fn totals_for(selection: &Selection, events: &[Event], config: &EstimateConfig) -> Totals {
    let area = tally_estimate::selection_area(selection, events, &populations());
    let mut config = config.clone();
    if config.expected_events.is_some_and(|n| n > events.len()) && config.places.is_none() {
        config.places = place_populations(selection);
    }
    tally_estimate::estimate(events, &config).with_population(area.population)
}

/// The populations of every populated place of the selection's area (one state, or the
/// 50 states and DC), from the embedded gazetteer; `None` for a selection of one
/// locality, which holds no other places.
pub fn place_populations(selection: &Selection) -> Option<std::sync::Arc<[u64]>> {
    if selection.locality.is_some() {
        return None;
    }
    let places = tally_places::Gazetteer::embedded().place_populations(selection.state);
    (!places.is_empty()).then(|| places.into())
}

/// Answers `tally estimate`.
pub fn estimate(ledger: &Ledger, request: &EstimateRequest) -> Result<EstimateAnswer, QueryError> {
    let selection = &request.selection;
    // Counts and known sums come from one SQL scan when nothing needs the events.
    let extrapolating = request.expected_events.is_some() || request.extrapolate;
    if request.no_impute && selection.as_of.is_none() && request.by.is_none() && !extrapolating {
        return Ok(EstimateAnswer {
            totals: known_totals(ledger, selection)?,
            by: None,
        });
    }
    let mut config = request.model.config();
    config.expected_events = match request.expected_events {
        Some(n) => Some(n),
        None if request.extrapolate => crate::check::stated_event_count(ledger, selection)?,
        None => None,
    };
    if let Some(by) = request.by {
        let events = load_events(ledger, selection)?;
        let mut totals = totals_for(selection, &events, &config);
        if request.no_impute {
            totals = without_imputation(totals);
        }
        let by = breakdown_rows(selection, &events, by, &config);
        return Ok(EstimateAnswer {
            totals,
            by: Some(by),
        });
    }
    // Totals alone read slim rows (numbers and label codes), never whole events. The
    // embedded gazetteer (the area's population, the sizes of its places) is parsed on
    // a thread of its own meanwhile, rather than after the rows.
    let rows = std::thread::scope(|scope| {
        scope.spawn(tally_places::Gazetteer::embedded);
        load_rows(ledger, selection)
    })?;
    let mut totals = totals_for_rows(selection, &rows, &config);
    if request.no_impute {
        totals = without_imputation(totals);
    }
    Ok(EstimateAnswer { totals, by: None })
}

fn without_imputation(mut totals: Totals) -> Totals {
    totals.imputed = None;
    totals.baseline = None;
    let population = totals.population;
    totals.with_population(population)
}

/// What totals read of the events a selection picks: slim rows streamed from the
/// ledger (see [`tally_estimate::EventRows`]), in no particular order. With `as_of`,
/// the events are linked afresh (see [`load_events`]) and then slimmed.
pub fn load_rows(ledger: &Ledger, selection: &Selection) -> Result<EventRows, QueryError> {
    if selection.as_of.is_some() {
        return Ok(EventRows::from_events(&load_events(ledger, selection)?));
    }
    // A large ledger is read in parts at once, one per core (two at most: SQLite's row
    // loop is most of the reading, and more parts would only contend for the same
    // pages), each into its own builder; the parts in order are the one scan's order,
    // so the rows (and every figure made from them) are the same.
    let parts = rayon::current_num_threads().clamp(1, 2);
    let (mut rows, mut second) = (RowsBuilder::default(), RowsBuilder::default());
    let mut push_first = |e: SlimEvent<'_>| rows.push(e);
    let mut push_second = |e: SlimEvent<'_>| second.push(e);
    let mut sinks: [&mut (dyn FnMut(SlimEvent<'_>) + Send); 2] =
        [&mut push_first, &mut push_second];
    ledger.for_each_slim_event_in_parts(selection, &mut sinks[..parts])?;
    rows.append(second);
    Ok(rows.finish())
}

/// [`totals_for`] over slim rows. A selected locality that the gazetteer lacks takes
/// the largest population the geocoder attached to its rows.
pub fn totals_for_rows(selection: &Selection, rows: &EventRows, config: &EstimateConfig) -> Totals {
    let mut area = tally_estimate::selection_area(selection, &[], &populations());
    if area.population.is_none() && selection.locality.is_some() {
        area.population = rows.rows.iter().filter_map(|r| r.population).max();
    }
    let mut config = config.clone();
    if config.expected_events.is_some_and(|n| n > rows.len()) && config.places.is_none() {
        config.places = place_populations(selection);
    }
    tally_estimate::estimate_rows(rows, &config).with_population(area.population)
}

/// The counts and known sums from one SQL scan (no imputation), with the area's
/// population; the per-capita share is of the known midpoints.
fn known_totals(ledger: &Ledger, selection: &Selection) -> Result<Totals, QueryError> {
    let sums = ledger.known_sums(selection)?;
    let area = tally_estimate::selection_area(selection, &[], &populations());
    let totals = Totals {
        events: sums.events as usize,
        events_with_size: sums.events_with_size as usize,
        coverage: if sums.events == 0 {
            0.0
        } else {
            sums.events_with_size as f64 / sums.events as f64
        },
        localities: sums.localities as usize,
        states: sums.states as usize,
        known_low: sums.known_low,
        known_high: sums.known_high,
        imputed: None,
        extrapolated: None,
        baseline: None,
        population: None,
        per_capita: None,
        known_midpoint: (sums.known_low as f64 + sums.known_high as f64) / 2.0,
    };
    Ok(totals.with_population(area.population))
}

/// Breakdown rows, each with its own area's population where one is known.
fn breakdown_rows(
    selection: &Selection,
    events: &[Event],
    by: By,
    config: &EstimateConfig,
) -> Vec<BreakdownRow> {
    let populations = populations();
    tally_estimate::breakdown(events, by, config)
        .into_iter()
        .map(|row| {
            let population = match by {
                By::State => row
                    .key
                    .parse::<StateCode>()
                    .ok()
                    .and_then(|s| populations.state(s)),
                By::Locality => {
                    let (name, state) = match row.key.rsplit_once(", ") {
                        Some((name, state)) => (name, state.parse::<StateCode>().ok()),
                        None => (row.key.as_str(), None),
                    };
                    let mut local = selection.clone();
                    local.locality = Some(name.to_string());
                    local.state = state.or(selection.state);
                    tally_estimate::selection_area(&local, events, &populations).population
                }
                By::Date => {
                    tally_estimate::selection_area(selection, events, &populations).population
                }
            };
            BreakdownRow {
                key: row.key,
                totals: row.totals.with_population(population),
            }
        })
        .collect()
}
