//! `tally compare A B`: two selections' totals and the ratio of A to B with an interval.
//!
//! A selection is written `key=value` pairs joined by commas (or semicolons):
//! `date=2025-06-14,match=No Kings`, `state=DC,locality=Washington,type=parade`. Keys:
//! `date`, `from`, `to`, `state`, `locality`, `match` (words in the title, organizers or
//! type), `type`. A selection without `=` is read as `match=...` ("parade", "No Kings").
//! `--date`, `--from`, `--to` and `--as-of` given as flags apply to both sides unless a
//! side sets its own.

use crate::cli::Global;
use crate::commands::estimate::{describe_totals, load_events, totals_for, ModelArgs};
use crate::exit::{bad_input, Outcome};
use crate::selection::SelectionArgs;
use serde_json::json;
use tally_estimate::compare;
use tally_model::{Selection, StateCode};

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

/// Parses one side's selection on top of the shared defaults.
pub fn parse_selection(text: &str, defaults: &Selection) -> anyhow::Result<Selection> {
    let mut selection = defaults.clone();
    if !text.contains('=') {
        let words = text.trim();
        if words.is_empty() {
            return Err(bad_input("an empty selection"));
        }
        selection.text = Some(words.to_string());
        return Ok(selection);
    }
    for pair in text
        .split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| bad_input(format!("selection {text:?}: {pair:?} is not key=value")))?;
        let value = value.trim();
        let date = |v: &str| {
            v.parse::<tally_model::Date>().map_err(|_| {
                bad_input(format!(
                    "selection {text:?}: {v:?} is not a date (YYYY-MM-DD)"
                ))
            })
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "date" => {
                let d = date(value)?;
                selection.from = Some(d);
                selection.to = Some(d);
            }
            "from" => selection.from = Some(date(value)?),
            "to" => selection.to = Some(date(value)?),
            "state" => {
                selection.state = Some(
                    value
                        .parse::<StateCode>()
                        .ok()
                        .or_else(|| StateCode::from_name(value))
                        .ok_or_else(|| bad_input(format!("selection {text:?}: {value:?} is not a US state")))?,
                )
            }
            "locality" => selection.locality = Some(value.to_string()),
            "match" | "text" | "title" => selection.text = Some(value.to_string()),
            "type" => selection.event_type = Some(value.to_string()),
            other => {
                return Err(bad_input(format!(
                    "selection {text:?}: unknown key {other:?} (date, from, to, state, locality, match, type)"
                )))
            }
        }
    }
    Ok(selection)
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let defaults = args.selection.to_selection()?;
    let a = parse_selection(&args.a, &defaults)?;
    let b = parse_selection(&args.b, &defaults)?;
    let config = args.model.config();
    let events_a = load_events(global, &a)?;
    let events_b = load_events(global, &b)?;
    let comparison = compare(
        totals_for(&a, &events_a, &config),
        totals_for(&b, &events_b, &config),
    );
    if args.json {
        let mut side_a = serde_json::to_value(&comparison.a)?;
        side_a["selection"] = json!(args.a);
        let mut side_b = serde_json::to_value(&comparison.b)?;
        side_b["selection"] = json!(args.b);
        let value = json!({"a": side_a, "b": side_b, "ratio": comparison.ratio});
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(Outcome::Success);
    }
    println!("A: {}\n{}", args.a, describe_totals(&comparison.a));
    println!("B: {}\n{}", args.b, describe_totals(&comparison.b));
    let r = &comparison.ratio;
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
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_parse() {
        let base = Selection::default();
        let s = parse_selection("date=2025-06-14,match=No Kings,state=dc", &base).unwrap();
        assert_eq!(s.from, Some("2025-06-14".parse().unwrap()));
        assert_eq!(s.text.as_deref(), Some("No Kings"));
        assert_eq!(s.state.map(|s| s.to_string()).as_deref(), Some("DC"));
        let s = parse_selection("parade", &base).unwrap();
        assert_eq!(s.text.as_deref(), Some("parade"));
        assert!(parse_selection("colour=red", &base).is_err());
        assert!(parse_selection("date=June", &base).is_err());
    }
}
