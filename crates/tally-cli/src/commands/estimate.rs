//! `tally estimate`: totals for a selection of events — counts, coverage, the known
//! ranges, the imputed total with its 90% interval, the median-fill baseline, and the
//! selected area's population and per-capita share, from `tally_query::estimate`. Also
//! the printing that `check`, `compare` and `demo` share with it.

use crate::cli::Global;
use crate::exit::{query_error, usage, Outcome};
use crate::selection::SelectionArgs;
use tally_estimate::{By, EstimateConfig, Totals};
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

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let selection = args.selection.to_selection()?;
    let by = match &args.by {
        Some(text) => Some(
            text.parse::<By>()
                .map_err(|e| usage(format!("--by: {e}")))?,
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
    let detail = Detail {
        verbose: global.verbose > 0,
        imputed_requested: !args.no_impute,
    };
    print!("{}", describe_totals_with(&answer.totals, detail));
    if let Some(rows) = &answer.by {
        use crate::format::{Align, Table};
        let mut table = Table::new(&[
            ("group", Align::Left),
            ("events", Align::Right),
            ("coverage", Align::Right),
            ("known range", Align::Right),
            ("estimated", Align::Right),
        ]);
        for row in rows {
            let t = &row.totals;
            table.push(vec![
                row.key.clone(),
                group(t.events as u64),
                format!("{:.0}%", t.coverage * 100.0),
                format!("{}–{}", group(t.known_low), group(t.known_high)),
                t.imputed
                    .as_ref()
                    .map(|i| group(i.point))
                    .unwrap_or_else(|| "—".into()),
            ]);
        }
        println!();
        print!("{}", table.render());
    }
    Ok(Outcome::Success)
}

/// How much of the method a description of totals tells.
#[derive(Debug, Clone, Copy)]
pub struct Detail {
    /// Name the statistical method and its parameters (`--verbose`).
    pub verbose: bool,
    /// The imputed total was asked for (false under `--no-impute`).
    pub imputed_requested: bool,
}

/// The totals for humans, in plain words; the method details are left to `--verbose`.
pub fn describe_totals(t: &Totals) -> String {
    describe_totals_with(
        t,
        Detail {
            verbose: false,
            imputed_requested: true,
        },
    )
}

/// The totals for humans, telling as much of the method as `detail` asks.
pub fn describe_totals_with(t: &Totals, detail: Detail) -> String {
    use crate::format::count;
    let mut out = String::new();
    let unsized_events = t.events.saturating_sub(t.events_with_size) as u64;
    out.push_str(&format!(
        "events            {} ({} with a size: {:.0}% coverage)\n",
        group(t.events as u64),
        group(t.events_with_size as u64),
        t.coverage * 100.0
    ));
    out.push_str(&format!(
        "places            {} in {}\n",
        count(t.localities as u64, "locality", "localities"),
        count(t.states as u64, "state", "states")
    ));
    out.push_str(&format!(
        "known sizes       {} – {} people (the reported ranges of the {} with a size, added up)\n",
        group(t.known_low),
        group(t.known_high),
        count(t.events_with_size as u64, "event", "events")
    ));
    match &t.imputed {
        // Every event has a size: the midpoint total is exact arithmetic, and the known
        // range above is the whole of the uncertainty.
        Some(i) if t.events_with_size == t.events => out.push_str(&format!(
            "midpoint total    {} people (every event has a size: nothing is estimated)\n",
            group(i.point)
        )),
        Some(i) => {
            out.push_str(&format!(
                "estimated total   {} people (90% likely between {} and {}), counting the {} without a size as about as large as sized events in places like theirs\n",
                group(i.point),
                group(i.low),
                group(i.high),
                count(unsized_events, "event", "events")
            ));
            if detail.verbose {
                out.push_str(&format!("                  method: {}\n", i.method));
            }
        }
        None if !detail.imputed_requested => {
            out.push_str("estimated total   not computed (--no-impute)\n")
        }
        None if t.events_with_size == t.events => out.push_str(
            "estimated total   nothing to estimate (every event has a size: the known sizes are the total)\n",
        ),
        None => out.push_str(
            "estimated total   — (too few events with a size to estimate the others from)\n",
        ),
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
            "simple check      {} people (each event without a size counted at the median reported size)\n",
            group(b.point),
        ));
        if detail.verbose {
            out.push_str(&format!("                  method: {}\n", b.method));
        }
    }
    match (t.population, t.per_capita) {
        (Some(p), Some(share)) => out.push_str(&format!(
            "population        {} (participants were {:.3}% of it)\n",
            group(p),
            share * 100.0
        )),
        (Some(p), None) => out.push_str(&format!("population        {}\n", group(p))),
        _ => {}
    }
    out
}

pub use crate::format::group;
