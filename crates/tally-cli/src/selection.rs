//! The selection flags that `estimate`, `events`, `export`, `check` and `compare` share.

use crate::exit::bad_input;
use tally_model::{Date, Selection, StateCode};

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
        let state = match &self.state {
            Some(text) => Some(
                text.parse::<StateCode>()
                    .ok()
                    .or_else(|| StateCode::from_name(text))
                    .ok_or_else(|| {
                        bad_input(format!("--state {text:?}: not a US state or territory"))
                    })?,
            ),
            None => None,
        };
        let as_of = match &self.as_of {
            Some(text) => Some(tally_store::parse_timestamp(text).ok_or_else(|| {
                bad_input(format!(
                    "--as-of {text:?}: expected a date or an RFC 3339 time"
                ))
            })?),
            None => None,
        };
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                return Err(bad_input(format!("--from {from} is after --to {to}")));
            }
        }
        Ok(Selection {
            from: self.date.or(self.from),
            to: self.date.or(self.to),
            state,
            locality: self.locality.clone(),
            text: self.text.clone(),
            event_type: self.event_type.clone(),
            as_of,
        })
    }
}
