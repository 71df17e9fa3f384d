//! `tally estimate`: totals for a selection of events — counts, coverage, the known
//! ranges, the imputed total with its 90% interval, the median-fill baseline, and the
//! selected area's population and per-capita share, from `tally_query::estimate`. Also
//! the printing that `check`, `compare` and `demo` share with it.

use crate::cli::Global;
use crate::exit::{bad_input, query_error, Outcome};
use crate::selection::SelectionArgs;
use tally_estimate::{By, EstimateConfig, Totals};
use tally_model::{Event, Selection};
use tally_query::{EstimateRequest, ModelOptions};

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
    /// The selection is known to hold this many events (more than the ledger has): add
    /// `extrapolated`, the total over all of them.
    #[arg(long, value_name = "N", conflicts_with_all = ["by", "no_impute"])]
    pub expected_events: Option<usize>,
    /// Extrapolate to the event count stated by the aggregate claims stored for the
    /// selection's days ("in over 2,000 places").
    #[arg(long, conflicts_with_all = ["by", "no_impute"])]
    pub extrapolate: bool,
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
    pub fn options(&self) -> ModelOptions {
        ModelOptions {
            replicates: self.replicates,
            seed: self.seed,
        }
    }

    pub fn config(&self) -> EstimateConfig {
        self.options().config()
    }
}

/// The events a selection picks, from the ledger named by the global options.
pub fn load_events(global: &Global, selection: &Selection) -> anyhow::Result<Vec<Event>> {
    let ledger = crate::ledger::open(global)?;
    tally_query::load_events(&ledger, selection).map_err(query_error)
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
    let filter = args.selection.place_filter(&selection);
    let request = EstimateRequest {
        selection,
        by,
        no_impute: args.no_impute,
        model: args.model.options(),
        expected_events: args.expected_events,
        extrapolate: args.extrapolate,
    };
    let ledger = crate::ledger::open(global)?;
    let answer = tally_query::estimate(&ledger, &request).map_err(query_error)?;
    if let (0, Some(filter)) = (answer.totals.events, filter) {
        eprintln!("no events match; looked for {filter}");
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&answer)?);
        return Ok(Outcome::Success);
    }
    print!("{}", describe_totals(&answer.totals));
    if let Some(rows) = &answer.by {
        println!();
        println!(
            "{:<32} {:>7} {:>9} {:>23} {:>12}",
            "group", "events", "coverage", "known range", "imputed"
        );
        for row in rows {
            let t = &row.totals;
            println!(
                "{:<32} {:>7} {:>8.0}% {:>23} {:>12}",
                row.key,
                t.events,
                t.coverage * 100.0,
                format!("{}–{}", group(t.known_low), group(t.known_high)),
                t.imputed
                    .as_ref()
                    .map(|i| group(i.point))
                    .unwrap_or_else(|| "—".into()),
            );
        }
    }
    Ok(Outcome::Success)
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
    if let Some(x) = &t.extrapolated {
        out.push_str(&format!(
            "extrapolated      {} (90% interval {} – {}) over {} more events known to exist\n                  method: {}\n",
            group(x.point),
            group(x.low),
            group(x.high),
            group(x.events_missing as u64),
            x.method
        ));
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
