//! `tally calibrate`: hide known sizes in the ledger's events (uniformly, biased toward
//! small events, and biased toward small towns), impute them, and report how often the
//! 90% interval held the true total and how wide it was.

use crate::cli::Global;
use crate::commands::estimate::{load_events, ModelArgs};
use crate::exit::{bad_input, Outcome};
use crate::selection::SelectionArgs;
use tally_estimate::{calibrate, CalibrationConfig, EstimateError};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Trials per hiding scheme.
    #[arg(long, default_value_t = 200)]
    pub trials: usize,
    /// Average share of sized events hidden in a trial.
    #[arg(long, default_value_t = 0.3)]
    pub hide_share: f64,
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
    if !(args.hide_share > 0.0 && args.hide_share < 1.0) {
        return Err(bad_input(format!(
            "--hide-share {} must be between 0 and 1",
            args.hide_share
        )));
    }
    if args.trials == 0 {
        return Err(crate::exit::usage("--trials must be at least 1"));
    }
    let selection = args.selection.to_selection()?;
    let events = load_events(global, &selection)?;
    let model = ModelArgs {
        replicates: args.replicates,
        seed: args.seed,
    };
    let config = CalibrationConfig {
        trials: args.trials,
        hide_share: args.hide_share,
        seed: args.seed,
        estimate: model.config(),
        ..CalibrationConfig::default()
    };
    let report = match calibrate(&events, &config) {
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
        "{} sized events; {:.0}% hidden on average; {:.0}% intervals\n",
        report.sized_events,
        report.hide_share * 100.0,
        report.level * 100.0
    );
    println!(
        "{:<13} {:>7} {:>9} {:>12} {:>13} {:>13} {:>10} {:>12}",
        "scheme",
        "trials",
        "coverage",
        "width/total",
        "width/hidden",
        "hidden share",
        "error",
        "median-fill"
    );
    for s in &report.schemes {
        println!(
            "{:<13} {:>7} {:>8.1}% {:>11.1}% {:>12.0}% {:>12.1}% {:>9.1}% {:>11.1}%",
            s.scheme.as_str(),
            s.trials,
            s.coverage * 100.0,
            s.median_relative_width * 100.0,
            s.median_hidden_relative_width * 100.0,
            s.median_hidden_share * 100.0,
            s.median_abs_error * 100.0,
            s.baseline_median_abs_error * 100.0
        );
    }
    println!("\nerror: median |point − truth| / truth of the model's total and of the median-fill baseline");
    Ok(Outcome::Success)
}
