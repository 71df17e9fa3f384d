//! `tally compare A B`: two selections' totals and the ratio of A to B with an interval.
//!
//! A selection is written `key=value` pairs joined by commas (or semicolons):
//! `date=2025-06-14,match=No Kings`, `state=DC,locality=Washington,type=parade`. Keys:
//! `date`, `from`, `to`, `state`, `locality`, `match` (words in the title, organizers or
//! type), `type`. A selection without `=` is read as `match=...` ("parade", "No Kings").
//! `--date`, `--from`, `--to` and `--as-of` given as flags apply to both sides unless a
//! side sets its own. Two sides that pick the same events are refused; events picked by
//! both are named. The ratio's interval resamples both totals jointly.

use crate::cli::Global;
use crate::commands::estimate::{describe_totals, group, ModelArgs};
use crate::exit::{query_error, Outcome};
use crate::selection::SelectionArgs;
use tally_query::CompareRequest;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  tally compare --date 2025-06-14 \"No Kings\" \"parade\"\n  tally compare \"date=2025-06-14,match=No Kings\" \"date=2025-06-14,state=DC,match=parade\""
)]
pub struct Args {
    /// The first selection ("key=value,..." or words to match).
    pub a: String,
    /// The second selection.
    pub b: String,
    /// Defaults for both sides (a side's own keys win).
    #[command(flatten)]
    pub selection: SelectionArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Print JSON: {"a": {...}, "b": {...}, "ratio": {...}}.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let request = CompareRequest {
        a: args.a.clone(),
        b: args.b.clone(),
        defaults: args.selection.to_selection()?,
        model: args.model.options(),
    };
    let ledger = crate::ledger::open(global)?;
    let answer = tally_query::compare(&ledger, &request).map_err(query_error)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&answer)?);
        return Ok(Outcome::Success);
    }
    println!("A: {}\n{}", args.a, describe_totals(&answer.a.totals));
    println!("B: {}\n{}", args.b, describe_totals(&answer.b.totals));
    let r = &answer.ratio;
    match r.point {
        Some(point) => println!(
            "A / B     {:.2} (interval {} – {}; {})",
            point,
            r.low.map_or("?".to_string(), |l| format!("{l:.2}")),
            r.high
                .map_or("unbounded".to_string(), |h| format!("{h:.2}")),
            r.method
        ),
        None => println!("A / B     — (B has no size to compare with)"),
    }
    if let Some(overlap) = &answer.overlap {
        println!(
            "overlap   {} {} counted on both sides (known {} – {}): {}{}",
            group(overlap.events as u64),
            if overlap.events == 1 {
                "event"
            } else {
                "events"
            },
            group(overlap.known_low),
            group(overlap.known_high),
            overlap
                .ids
                .iter()
                .zip(&overlap.titles)
                .map(|(id, title)| format!("{id} {title}"))
                .collect::<Vec<_>>()
                .join(", "),
            if overlap.events > overlap.ids.len() {
                ", …"
            } else {
                ""
            }
        );
    }
    Ok(Outcome::Success)
}
