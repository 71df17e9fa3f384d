//! `tally calibrate`: hide known sizes in the ledger's events, or drop whole events and
//! say how many there were, both uniformly and mostly from small events (a chance
//! ∝ 1/√size); estimate; and report how often the 90% interval held the true total, how
//! wide it was and how far the point was, beside the median-fill baseline.

use crate::cli::Global;
use crate::commands::estimate::ModelArgs;
use crate::exit::{bad_input, Outcome};
use crate::selection::SelectionArgs;
use tally_estimate::{calibrate_rows, CalibrationConfig, EstimateError};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Trials per setup (what is missing, and how it is picked).
    #[arg(long, default_value_t = 20)]
    pub trials: usize,
    /// Share of sized events whose size is hidden in a trial.
    #[arg(long, default_value_t = 0.2)]
    pub hide_share: f64,
    /// Share of sized events dropped whole in a trial (the extrapolation's setup).
    #[arg(long, default_value_t = 0.3)]
    pub drop_share: f64,
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Bootstrap replicates per trial (fewer than `estimate` uses, for speed).
    #[arg(long, default_value_t = 300)]
    pub replicates: usize,
    /// Seed of the trials and bootstraps.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    for (flag, share) in [
        ("--hide-share", args.hide_share),
        ("--drop-share", args.drop_share),
    ] {
        if !(share > 0.0 && share < 1.0) {
            return Err(bad_input(format!("{flag} {share} must be between 0 and 1")));
        }
    }
    if args.trials == 0 {
        return Err(crate::exit::usage("--trials must be at least 1"));
    }
    let selection = args.selection.to_selection()?;
    // Slim rows of the selected events only (issue 12), never whole events.
    let rows = {
        let ledger = crate::ledger::open(global)?;
        tally_query::load_rows(&ledger, &selection).map_err(crate::exit::query_error)?
    };
    let model = ModelArgs {
        replicates: args.replicates,
        seed: args.seed,
    };
    let mut estimate = model.config();
    // Dropped rows are extrapolated knowing how many places of each size the area has.
    estimate.places = tally_query::place_populations(&selection);
    let config = CalibrationConfig {
        trials: args.trials,
        hide_share: args.hide_share,
        drop_share: args.drop_share,
        seed: args.seed,
        estimate,
        ..CalibrationConfig::default()
    };
    let report = match calibrate_rows(&rows, &config) {
        Ok(report) => report,
        Err(e @ EstimateError::TooFewSizedEvents { .. }) => {
            return Err(bad_input(format!("{e}: ingest events with sizes first")))
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(Outcome::Success);
    }
    println!(
        "{} sized events; sizes: {:.0}% hidden, judged on the imputed total; rows: {:.0}% \
         dropped, judged on the extrapolated total; {:.0}% intervals\n",
        report.sized_events,
        report.hide_share * 100.0,
        report.drop_share * 100.0,
        report.level * 100.0
    );
    println!(
        "{:<7} {:<13} {:>9} {:>9} {:>12} {:>13} {:>8} {:>12}",
        "missing",
        "scheme",
        "covered",
        "coverage",
        "width/total",
        "hidden share",
        "error",
        "median-fill"
    );
    for s in &report.schemes {
        println!(
            "{:<7} {:<13} {:>9} {:>8.0}% {:>11.1}% {:>12.1}% {:>7.1}% {:>11.1}%",
            s.missing.as_str(),
            s.scheme.as_str(),
            format!("{}/{}", s.covered, s.trials),
            s.coverage * 100.0,
            s.median_relative_width * 100.0,
            s.median_hidden_share * 100.0,
            s.median_abs_error * 100.0,
            s.baseline_median_abs_error * 100.0
        );
    }
    println!(
        "\nsmall-events: missing with a chance ∝ 1/√size; error: median |point − truth| / truth \
         of the model's total and of the median-fill baseline"
    );
    Ok(Outcome::Success)
}
