//! `tally estimate`: totals for a selection of events — counts, coverage, the known
//! ranges, the imputed total with its 90% interval, the median-fill baseline, and the
//! selected area's population and per-capita share. Also the helpers that `check`,
//! `compare` and `calibrate` share with it.

use crate::cli::Global;
use crate::exit::{bad_input, Outcome};
use crate::selection::SelectionArgs;
use serde_json::{json, Value};
use tally_estimate::{breakdown, estimate, AreaPopulation, By, EstimateConfig, Totals};
use tally_model::{Event, Fips, Selection, StateCode};
use tally_places::Gazetteer;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Break the totals down by state, locality or date.
    #[arg(long, value_name = "state|locality|date")]
    pub by: Option<String>,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Only the counts and known sums (no imputed total or baseline): one scan of the
    /// ledger, fast over millions of events.
    #[arg(long, conflicts_with = "by")]
    pub no_impute: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// The knobs of the imputation model that every estimating command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct ModelArgs {
    /// Bootstrap replicates for the imputed interval.
    #[arg(long, default_value_t = 500)]
    pub replicates: usize,
    /// Seed of the bootstrap: the same ledger and seed give the same interval.
    #[arg(long, default_value_t = 20250614)]
    pub seed: u64,
}

impl ModelArgs {
    pub fn config(&self) -> EstimateConfig {
        let mut config = EstimateConfig::default();
        config.impute.replicates = self.replicates.clamp(20, 100_000);
        config.impute.seed = self.seed;
        config
    }
}

/// Populations from the embedded gazetteer.
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

pub fn populations() -> GazetteerPopulation {
    GazetteerPopulation(Gazetteer::embedded())
}

/// The events a selection picks, from the ledger named by the global options.
pub fn load_events(global: &Global, selection: &Selection) -> anyhow::Result<Vec<Event>> {
    let ledger = crate::ledger::open(global)?;
    Ok(tally_pipeline::events_for_totals(&ledger, selection)?)
}

/// Totals with the selected area's population.
/// The counts and known sums from one SQL scan (no imputation), with the area's
/// population; the per-capita share is of the known midpoints.
fn known_totals(global: &Global, selection: &Selection) -> anyhow::Result<Totals> {
    let ledger = crate::ledger::open(global)?;
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

pub fn totals_for(selection: &Selection, events: &[Event], config: &EstimateConfig) -> Totals {
    let area = tally_estimate::selection_area(selection, events, &populations());
    estimate(events, config).with_population(area.population)
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let selection = args.selection.to_selection()?;
    let by = match &args.by {
        Some(text) => Some(
            text.parse::<By>()
                .map_err(|e| bad_input(format!("--by: {e}")))?,
        ),
        None => None,
    };
    let config = args.model.config();
    if args.no_impute && selection.as_of.is_none() {
        let totals = known_totals(global, &selection)?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&totals)?);
        } else {
            print!("{}", describe_totals(&totals));
        }
        return Ok(Outcome::Success);
    }
    let events = load_events(global, &selection)?;
    let mut totals = totals_for(&selection, &events, &config);
    if args.no_impute {
        totals.imputed = None;
        totals.baseline = None;
        let population = totals.population;
        totals = totals.with_population(population);
    }
    let rows = by.map(|by| breakdown_rows(&selection, &events, by, &config));
    if args.json {
        let mut value = serde_json::to_value(&totals)?;
        if let Some(rows) = &rows {
            value["by"] = Value::Array(rows.clone());
        }
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(Outcome::Success);
    }
    print!("{}", describe_totals(&totals));
    if let Some(rows) = rows {
        println!();
        println!(
            "{:<32} {:>7} {:>9} {:>23} {:>12}",
            "group", "events", "coverage", "known range", "imputed"
        );
        for row in rows {
            println!(
                "{:<32} {:>7} {:>8.0}% {:>23} {:>12}",
                row["key"].as_str().unwrap_or("?"),
                row["events"],
                row["coverage"].as_f64().unwrap_or(0.0) * 100.0,
                format!(
                    "{}–{}",
                    group(row["known_low"].as_u64().unwrap_or(0)),
                    group(row["known_high"].as_u64().unwrap_or(0))
                ),
                row["imputed"]["point"]
                    .as_u64()
                    .map(group)
                    .unwrap_or_else(|| "—".into()),
            );
        }
    }
    Ok(Outcome::Success)
}

/// Breakdown rows as JSON, each with its own area's population where one is known.
fn breakdown_rows(
    selection: &Selection,
    events: &[Event],
    by: By,
    config: &EstimateConfig,
) -> Vec<Value> {
    let populations = populations();
    breakdown(events, by, config)
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
            let totals = row.totals.with_population(population);
            let mut value = serde_json::to_value(&totals).unwrap_or(Value::Null);
            value["key"] = json!(row.key);
            value
        })
        .collect()
}

/// The totals for humans.
pub fn describe_totals(t: &Totals) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "events            {} ({} with a size, coverage {:.0}%)\n",
        group(t.events as u64),
        group(t.events_with_size as u64),
        t.coverage * 100.0
    ));
    out.push_str(&format!(
        "places            {} localities in {} states\n",
        group(t.localities as u64),
        t.states
    ));
    out.push_str(&format!(
        "known             {} – {} (sum of sized events' ranges)\n",
        group(t.known_low),
        group(t.known_high)
    ));
    match &t.imputed {
        // Every event has a size: the midpoint total is exact arithmetic, and the known
        // range above is the whole of the uncertainty.
        Some(i) if t.events_with_size == t.events => out.push_str(&format!(
            "midpoint total    {} (every event has a size: nothing to impute)\n",
            group(i.point)
        )),
        Some(i) => out.push_str(&format!(
            "imputed total     {} (90% interval {} – {})\n                  method: {}\n",
            group(i.point),
            group(i.low),
            group(i.high),
            i.method
        )),
        None => out.push_str("imputed total     — (too few events with a size)\n"),
    }
    if let Some(b) = &t.baseline {
        out.push_str(&format!(
            "baseline          {} ({})\n",
            group(b.point),
            b.method
        ));
    }
    match (t.population, t.per_capita) {
        (Some(p), Some(share)) => out.push_str(&format!(
            "population        {} (participants {:.3}% of it)\n",
            group(p),
            share * 100.0
        )),
        (Some(p), None) => out.push_str(&format!("population        {}\n", group(p))),
        _ => {}
    }
    out
}

/// 1234567 → "1,234,567".
pub fn group(value: u64) -> String {
    crate::commands::events::group(value)
}
