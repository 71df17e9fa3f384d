//! Selections as front ends receive them: the shared flags (or query parameters) as
//! text, and the `key=value,...` grammar of `compare`'s two sides.

use crate::{bad_input, QueryError};
use tally_model::{Date, Selection, StateCode};

/// The selection options every front end takes, before validation: dates already
/// parsed, the state and the as-of time as the user wrote them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SelectionInput {
    /// One day; wins over `from`/`to`.
    pub date: Option<Date>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// A postal code ("IL", "dc") or a name ("Illinois").
    pub state: Option<String>,
    pub locality: Option<String>,
    /// Words in the title, organizers or type.
    pub text: Option<String>,
    pub event_type: Option<String>,
    /// RFC 3339, or a date for its end.
    pub as_of: Option<String>,
}

impl SelectionInput {
    /// The model's selection; a bad state, time or date order is bad input, named by
    /// its flag.
    pub fn to_selection(&self) -> Result<Selection, QueryError> {
        let state = match &self.state {
            Some(text) => Some(parse_state(text).ok_or_else(|| {
                bad_input(format!("--state {text:?}: not a US state or territory"))
            })?),
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
        let (locality, state) = match self.locality.as_deref() {
            Some(text) => read_locality(text, state),
            None => (None, state),
        };
        Ok(Selection {
            from: self.date.or(self.from),
            to: self.date.or(self.to),
            state,
            locality,
            text: self.text.clone(),
            event_type: self.event_type.clone(),
            as_of,
        })
    }
}

/// A locality filter read the way places are resolved: "New York City" is the "New
/// York" that events carry, "St. Paul" is "Saint Paul", and "Chicago, IL" also names
/// the state. A name the gazetteer lacks is matched as written.
fn read_locality(text: &str, state: Option<StateCode>) -> (Option<String>, Option<StateCode>) {
    let text = text.trim();
    if text.is_empty() {
        return (None, state);
    }
    let filter = tally_places::Gazetteer::embedded().locality_filter(text, state);
    (Some(filter.locality), state.or(filter.state))
}

/// A state or territory by postal code or name, case-insensitive, read as places
/// are ("Calif.", "N.Y.", "washington dc").
pub fn parse_state(text: &str) -> Option<StateCode> {
    text.trim()
        .parse::<StateCode>()
        .ok()
        .or_else(|| StateCode::from_name(text.trim()))
        .or_else(|| tally_places::parse_state(text))
}

/// Parses one side of `compare` on top of shared defaults.
///
/// A selection is `key=value` pairs joined by commas (or semicolons):
/// `date=2025-06-14,match=No Kings`, `state=DC,locality=Washington,type=parade`. Keys:
/// `date`, `from`, `to`, `state`, `locality`, `match` (words in the title, organizers or
/// type; also `text`, `title`), `type`. A selection without `=` is read as `match=...`
/// ("parade", "No Kings"). The defaults' fields stay unless the text sets its own.
pub fn parse_selection(text: &str, defaults: &Selection) -> Result<Selection, QueryError> {
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
            v.parse::<Date>().map_err(|_| {
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
                selection.state = Some(parse_state(value).ok_or_else(|| {
                    bad_input(format!("selection {text:?}: {value:?} is not a US state"))
                })?)
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
    if selection.locality != defaults.locality {
        if let Some(locality) = selection.locality.take() {
            (selection.locality, selection.state) = read_locality(&locality, selection.state);
        }
    }
    if let (Some(from), Some(to)) = (selection.from, selection.to) {
        if from > to {
            return Err(bad_input(format!(
                "selection {text:?}: from {from} is after to {to}"
            )));
        }
    }
    Ok(selection)
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
        assert!(parse_selection("  ", &base).is_err());
        assert!(parse_selection("from=2025-06-15,to=2025-06-14", &base).is_err());
    }

    #[test]
    fn a_side_keeps_the_defaults_it_does_not_set() {
        let base = Selection::on("2025-06-14".parse().unwrap());
        let s = parse_selection("state=Illinois", &base).unwrap();
        assert_eq!(s.from, base.from);
        assert_eq!(s.state.map(|s| s.to_string()).as_deref(), Some("IL"));
    }

    #[test]
    fn issue_14_locality_filters_are_resolved_like_places() {
        let read = |locality: &str| {
            SelectionInput {
                locality: Some(locality.into()),
                ..SelectionInput::default()
            }
            .to_selection()
            .unwrap()
        };
        assert_eq!(read("New York City").locality.as_deref(), Some("New York"));
        assert_eq!(read("St. Paul").locality.as_deref(), Some("Saint Paul"));
        let chicago = read("Chicago, IL");
        assert_eq!(chicago.locality.as_deref(), Some("Chicago"));
        assert_eq!(chicago.state.map(|s| s.to_string()).as_deref(), Some("IL"));
        // A name the gazetteer lacks is matched as written.
        assert_eq!(read("Narnia").locality.as_deref(), Some("Narnia"));
        assert_eq!(
            parse_state("Calif.").map(|s| s.to_string()).as_deref(),
            Some("CA")
        );
        let side = parse_selection("locality=NYC", &Selection::default()).unwrap();
        assert_eq!(side.locality.as_deref(), Some("New York"));
    }

    #[test]
    fn flags_become_a_selection() {
        let input = SelectionInput {
            date: Some("2025-06-14".parse().unwrap()),
            state: Some("texas".into()),
            ..SelectionInput::default()
        };
        let s = input.to_selection().unwrap();
        assert_eq!(s.from, s.to);
        assert_eq!(s.state.map(|s| s.to_string()).as_deref(), Some("TX"));
        let bad = SelectionInput {
            state: Some("Atlantis".into()),
            ..SelectionInput::default()
        };
        assert!(matches!(bad.to_selection(), Err(QueryError::BadInput(_))));
    }
}
