//! A selection of events: the filters that `estimate`, `events`, `check` and `compare`
//! share. Pure data; the store turns it into a query and the estimator into a predicate.

use crate::{Date, Event, StateCode, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    /// First day, inclusive.
    pub from: Option<Date>,
    /// Last day, inclusive.
    pub to: Option<Date>,
    pub state: Option<StateCode>,
    /// Locality name, matched case-insensitively against the resolved or given name.
    pub locality: Option<String>,
    /// Words matched case-insensitively in the title, organizers or type.
    pub text: Option<String>,
    pub event_type: Option<String>,
    /// Answer from what the ledger knew at this time.
    pub as_of: Option<Timestamp>,
}

impl Selection {
    /// One day.
    pub fn on(date: Date) -> Selection {
        Selection {
            from: Some(date),
            to: Some(date),
            ..Selection::default()
        }
    }

    /// True when the event falls in the selection (ignoring `as_of`, which applies to
    /// reports before events are built).
    pub fn matches(&self, event: &Event) -> bool {
        if self.from.is_some() || self.to.is_some() {
            let Some(date) = event.date else { return false };
            if self.from.is_some_and(|from| date < from) || self.to.is_some_and(|to| date > to) {
                return false;
            }
        }
        if let Some(state) = self.state {
            if event.place.best_state() != Some(state) {
                return false;
            }
        }
        if let Some(locality) = &self.locality {
            let matches_name = event
                .place
                .best_locality()
                .is_some_and(|name| name.eq_ignore_ascii_case(locality.trim()));
            if !matches_name {
                return false;
            }
        }
        self.matches_labels(
            event.event_type.as_deref(),
            event.title.as_deref(),
            event.organizers.as_deref(),
        )
    }

    /// The part of [`Selection::matches`] that reads an event's labels: its type, title
    /// and organizers (for readers that hold only those, not the event).
    pub fn matches_labels(
        &self,
        event_type: Option<&str>,
        title: Option<&str>,
        organizers: Option<&str>,
    ) -> bool {
        if let Some(wanted) = &self.event_type {
            // An event without a type is of the type its title names ("military
            // parade"): most reports (articles, statements) carry no type column.
            let wanted = wanted.trim().to_lowercase();
            let found = match event_type {
                Some(t) => t.to_lowercase() == wanted,
                None => title.is_some_and(|title| title.to_lowercase().contains(&wanted)),
            };
            if !found {
                return false;
            }
        }
        if let Some(text) = &self.text {
            let needle = text.to_lowercase();
            let found = [title, organizers, event_type]
                .into_iter()
                .flatten()
                .any(|field| field.to_lowercase().contains(&needle));
            if !found {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EventId, Place};

    fn event(date: &str, state: &str, locality: &str, title: &str) -> Event {
        Event {
            id: EventId("e".into()),
            date: Some(date.parse().unwrap()),
            place: Place::from_parts(Some(locality), Some(state.parse().unwrap())),
            event_type: Some("protest".into()),
            title: Some(title.into()),
            organizers: None,
            reports: vec![],
            size_low: Some(10),
            size_high: Some(20),
            low_from: None,
            high_from: None,
            coded_by_rule: false,
        }
    }

    #[test]
    fn filters_combine() {
        let e = event("2025-06-14", "IL", "Chicago", "No Kings");
        let day = Selection::on("2025-06-14".parse().unwrap());
        assert!(day.matches(&e));
        assert!(!Selection::on("2025-06-15".parse().unwrap()).matches(&e));
        let mut s = day.clone();
        s.state = Some("IL".parse().unwrap());
        s.locality = Some("chicago".into());
        s.text = Some("no kings".into());
        assert!(s.matches(&e));
        s.text = Some("parade".into());
        assert!(!s.matches(&e));
    }

    #[test]
    fn issue_13_type_is_read_from_the_title_when_absent() {
        let mut parade = event(
            "2025-06-14",
            "DC",
            "Washington",
            "Army 250th military parade",
        );
        parade.event_type = None;
        let selection = Selection {
            event_type: Some("Parade".into()),
            ..Selection::default()
        };
        assert!(selection.matches(&parade));
        // A typed event is held to its type, whatever its title says.
        let typed = event("2025-06-14", "DC", "Washington", "parade watchers' protest");
        assert!(!selection.matches(&typed));
    }
}
