//! `tally events`: list the events a selection picks, one line (or JSON object) each.

use crate::cli::Global;
use crate::exit::{query_error, Outcome};
use crate::selection::SelectionArgs;
use crate::terminal::escape_line;
use tally_model::Event;
use tally_query::EventsRequest;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Show at most this many events (all when absent).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Skip this many first (a page of `--limit`, as the API's `offset`).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print a JSON array of events.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let selection = args.selection.to_selection()?;
    let ledger = crate::ledger::open(global)?;
    let request = EventsRequest {
        selection,
        limit: args.limit,
        offset: args.offset,
    };
    let filter = args.selection.place_filter(&request.selection);
    let events = tally_query::events(&ledger, &request).map_err(query_error)?;
    if let (true, Some(filter)) = (events.is_empty(), filter) {
        eprintln!("no events match; looked for {filter}");
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&events)?);
        return Ok(Outcome::Success);
    }
    println!(
        "{:<19} {:<10} {:<28} {:<5} {:>19}  {:>7}  title",
        "id", "date", "locality", "state", "size", "reports"
    );
    for event in &events {
        println!("{}", event_line(event));
    }
    println!(
        "{}",
        crate::format::count(events.len() as u64, "event", "events")
    );
    Ok(Outcome::Success)
}

/// One line per event for humans.
pub fn event_line(event: &Event) -> String {
    let size = match (event.size_low, event.size_high) {
        (Some(low), Some(high)) if low == high => group(low),
        (Some(low), Some(high)) => format!("{}–{}", group(low), group(high)),
        _ => "no size".to_string(),
    };
    format!(
        "{:<19} {:<10} {:<28} {:<5} {:>19}  {:>7}  {}",
        event.id.0,
        event
            .date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "?".into()),
        truncate(
            &escape_line(event.place.best_locality().unwrap_or(&event.place.raw)),
            28
        ),
        event.place.best_state().map(|s| s.as_str()).unwrap_or("?"),
        size,
        event.reports.len(),
        escape_line(event.title.as_deref().unwrap_or(""))
    )
}

pub use crate::format::group;
use crate::format::truncate;
