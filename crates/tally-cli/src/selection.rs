//! The selection flags that `estimate`, `events`, `export`, `check` and `compare` share.
//! Their grammar and validation live in `tally-query`; this is only the clap side.

use crate::exit::query_error;
use tally_model::{Date, Selection};
use tally_query::SelectionInput;

#[derive(Debug, Clone, Default, clap::Args)]
pub struct SelectionArgs {
    /// One day (YYYY-MM-DD).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub date: Option<Date>,
    /// First day, inclusive.
    #[arg(long)]
    pub from: Option<Date>,
    /// Last day, inclusive.
    #[arg(long)]
    pub to: Option<Date>,
    /// State or territory (postal code: IL, DC, PR).
    #[arg(long)]
    pub state: Option<String>,
    /// Locality name, case-insensitive.
    #[arg(long)]
    pub locality: Option<String>,
    /// Words in the title, organizers or type ("No Kings", "parade").
    #[arg(long = "match")]
    pub text: Option<String>,
    /// Kind of event (protest, march, rally, parade, ...).
    #[arg(long = "type")]
    pub event_type: Option<String>,
    /// Answer from what the ledger knew at this time (RFC 3339, or a date for its end).
    #[arg(long)]
    pub as_of: Option<String>,
}

impl SelectionArgs {
    /// The model's selection; a bad state or time is bad input.
    pub fn to_selection(&self) -> anyhow::Result<Selection> {
        SelectionInput {
            date: self.date,
            from: self.from,
            to: self.to,
            state: self.state.clone(),
            locality: self.locality.clone(),
            text: self.text.clone(),
            event_type: self.event_type.clone(),
            as_of: self.as_of.clone(),
        }
        .to_selection()
        .map_err(query_error)
    }

    /// What the place filters looked for, as resolved ("locality \"New York\" (read
    /// from \"New York City\"), state NY"), for the message when nothing matches.
    pub fn place_filter(&self, selection: &Selection) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(locality) = &selection.locality {
            let mut part = format!("locality {locality:?}");
            if let Some(text) = self.locality.as_deref().map(str::trim) {
                if text != locality {
                    part.push_str(&format!(" (read from {text:?})"));
                }
            }
            parts.push(part);
        }
        if let Some(state) = selection.state {
            parts.push(format!("state {state}"));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}
