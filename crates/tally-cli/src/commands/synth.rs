//! `tally synth`: writes a synthetic file in the published dataset layout, for tests and
//! benchmarks, and reports the totals an exact reader must find in it.

use crate::cli::Global;
use crate::exit::{bad_input, Outcome};
use anyhow::Context;
use std::io::{self, Write};
use std::path::PathBuf;
use tally_synth::{write_dataset, Era, SynthConfig};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of data rows.
    #[arg(long)]
    pub rows: usize,
    /// The same seed gives the same file.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Header era of the dataset: 2017 (2017–2020 layout) or 2021 (2021 on).
    #[arg(long, default_value_t = 2021)]
    pub era: u16,
    /// First day of the dates (default: January 1 of the era's first year).
    #[arg(long)]
    pub from: Option<chrono::NaiveDate>,
    /// Number of days the dates spread over.
    #[arg(long, default_value_t = 1461)]
    pub days: u32,
    /// Write Windows-1252 instead of UTF-8.
    #[arg(long)]
    pub windows_1252: bool,
    /// Where to write the file (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write the expected totals as JSON to this file.
    #[arg(long)]
    pub summary_json: Option<PathBuf>,
    /// Print the expected totals as JSON on standard output (needs --out, since
    /// standard output otherwise carries the file).
    #[arg(long, requires = "out")]
    pub json: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    if !(2017..=2100).contains(&args.era) {
        return Err(bad_input(format!(
            "--era {}: expected a year from 2017, such as 2017 or 2021",
            args.era
        )));
    }
    let mut config = SynthConfig::new(args.rows, Era::from_year(args.era));
    config.seed = args.seed;
    config.days = args.days.max(1);
    config.windows_1252 = args.windows_1252;
    if let Some(from) = args.from {
        config.start = from;
    }
    let summary = match &args.out {
        Some(path) => crate::outfile::write_atomically(path, &global.db, |w| {
            write_dataset(w, &config).with_context(|| format!("writing {}", path.display()))
        })?,
        None => {
            let stdout = io::stdout();
            let mut lock = stdout.lock();
            let summary = write_dataset(&mut lock, &config).context("writing standard output")?;
            lock.flush().context("writing standard output")?;
            summary
        }
    };
    if let Some(path) = &args.summary_json {
        let json = serde_json::to_string_pretty(&summary)?;
        crate::outfile::write_atomically(path, &global.db, |w| {
            Ok(w.write_all((json + "\n").as_bytes())?)
        })?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else if !global.quiet {
        eprintln!(
            "synth: {} rows ({} with a size, {} coded by rule, {} online, {} identical to the row before), sum of lows {}, sum of highs {}, {} bytes",
            summary.rows,
            summary.rows_with_size,
            summary.rows_coded_by_rule,
            summary.online_rows,
            summary.identical_rows,
            summary.sum_low,
            summary.sum_high,
            summary.bytes
        );
    }
    Ok(Outcome::Success)
}
