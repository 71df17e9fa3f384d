//! Slim rows: what totals and the imputation model read of an event — numbers and short
//! codes, not the event itself.
//!
//! A million [`Event`]s are a million sets of strings (place text, title, organizers,
//! report lists); totals need none of them. [`EventRows`] holds, per event, its day,
//! state, a key of its locality, the locality's population, how many reports it has,
//! codes of its type and title, and its range: about 80 bytes. Rows are built one at a
//! time with [`RowsBuilder`] (from a ledger query that streams, or from events), and the
//! labels behind the codes are interned once, not once per event.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use tally_model::{Date, Event, SlimEvent, StateCode};

/// What the model and the counts read of one event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventRow {
    pub date: Option<Date>,
    /// The best-known state.
    pub state: Option<StateCode>,
    /// A case-insensitive key of the best-known (state, locality), for counting
    /// localities; `None` without a locality.
    pub locality: Option<u64>,
    /// The resolved locality's population.
    pub population: Option<u64>,
    /// Reports about the event; 0 when not known (the model then ignores it).
    pub reports: u32,
    /// Code of the event's type in [`EventRows::types`].
    pub event_type: Option<u32>,
    /// Code of the event's title in [`EventRows::titles`].
    pub title: Option<u32>,
    pub size_low: Option<u64>,
    pub size_high: Option<u64>,
}

impl EventRow {
    /// `(size_low + size_high) / 2`, when the event has a size.
    pub fn midpoint(&self) -> Option<f64> {
        Some((self.size_low? as f64 + self.size_high? as f64) / 2.0)
    }

    pub fn has_size(&self) -> bool {
        self.size_low.is_some() && self.size_high.is_some()
    }
}

/// Slim rows with the labels their codes stand for. Codes are ranks of the normalized
/// labels (trimmed, lowercase) in sorted order, so they do not depend on the order the
/// events came in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventRows {
    pub rows: Vec<EventRow>,
    /// Normalized type labels, by code.
    pub types: Vec<String>,
    /// Normalized titles, by code.
    pub titles: Vec<String>,
}

impl EventRows {
    /// The rows of `events`, in their order.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> EventRows {
        let mut builder = RowsBuilder::default();
        for e in events {
            builder.push_event(e);
        }
        builder.finish()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows at `indices`, with the same labels (codes stay valid).
    pub fn subset(&self, indices: impl IntoIterator<Item = usize>) -> EventRows {
        EventRows {
            rows: indices.into_iter().map(|i| self.rows[i]).collect(),
            types: self.types.clone(),
            titles: self.titles.clone(),
        }
    }
}

/// Builds [`EventRows`] one event at a time.
#[derive(Debug, Default)]
pub struct RowsBuilder {
    rows: Vec<EventRow>,
    types: Labels,
    titles: Labels,
}

impl RowsBuilder {
    pub fn with_capacity(capacity: usize) -> RowsBuilder {
        RowsBuilder {
            rows: Vec::with_capacity(capacity),
            ..RowsBuilder::default()
        }
    }

    pub fn push(&mut self, input: SlimEvent<'_>) {
        self.rows.push(EventRow {
            date: input.date,
            state: input.state,
            locality: input.locality.map(|name| {
                tally_model::locality_key(input.state.map_or("", |s| s.as_str()), name)
            }),
            population: input.population,
            reports: input.reports,
            event_type: input.event_type.and_then(|t| self.types.code(t)),
            title: input.title.and_then(|t| self.titles.code(t)),
            size_low: input.size_low,
            size_high: input.size_high,
        });
    }

    pub fn push_event(&mut self, e: &Event) {
        self.push(SlimEvent {
            date: e.date,
            state: e.place.best_state(),
            locality: e.place.best_locality(),
            population: e.place.resolved.as_ref().and_then(|r| r.population),
            reports: u32::try_from(e.reports.len()).unwrap_or(u32::MAX),
            event_type: e.event_type.as_deref(),
            title: e.title.as_deref(),
            size_low: e.size_low,
            size_high: e.size_high,
        });
    }

    /// Adds `other`'s rows after this builder's, as if they had been pushed here: how
    /// rows read in parts (each into its own builder) are put back in one order.
    pub fn append(&mut self, other: RowsBuilder) {
        let types = self.types.absorb(other.types);
        let titles = self.titles.absorb(other.titles);
        // Both parts copied into their place at once, on every core (a million rows are
        // about 100 MB).
        let mut rows = Vec::with_capacity(self.rows.len() + other.rows.len());
        rows.par_extend(
            self.rows
                .par_iter()
                .copied()
                .chain(other.rows.par_iter().map(|row| EventRow {
                    event_type: row.event_type.map(|c| types[c as usize]),
                    title: row.title.map(|c| titles[c as usize]),
                    ..*row
                })),
        );
        self.rows = rows;
    }

    /// The rows, with codes renumbered to the sorted order of the labels.
    pub fn finish(mut self) -> EventRows {
        let (types, type_rank) = self.types.finish();
        let (titles, title_rank) = self.titles.finish();
        for row in &mut self.rows {
            row.event_type = row.event_type.map(|c| type_rank[c as usize]);
            row.title = row.title.map(|c| title_rank[c as usize]);
        }
        EventRows {
            rows: self.rows,
            types,
            titles,
        }
    }
}

/// Interned labels: raw text is looked up first (a million events with a handful of
/// distinct labels allocate a handful of strings), then normalized.
#[derive(Debug, Default)]
struct Labels {
    raw: FxHashMap<Box<str>, Option<u32>>,
    normalized: Vec<String>,
    index: FxHashMap<String, u32>,
}

impl Labels {
    fn code(&mut self, label: &str) -> Option<u32> {
        if let Some(&code) = self.raw.get(label) {
            return code;
        }
        let name = label.trim().to_lowercase();
        let code = (!name.is_empty()).then(|| self.intern(name));
        self.raw.insert(label.into(), code);
        code
    }

    /// Takes in `other`'s labels; returns the code here of each of `other`'s codes.
    fn absorb(&mut self, other: Labels) -> Vec<u32> {
        other
            .normalized
            .into_iter()
            .map(|name| self.intern(name))
            .collect()
    }

    /// The code of a normalized, non-empty label.
    fn intern(&mut self, name: String) -> u32 {
        let next = self.normalized.len() as u32;
        *self.index.entry(name.clone()).or_insert_with(|| {
            self.normalized.push(name);
            next
        })
    }

    /// The labels in sorted order, and the rank of each first-seen code.
    fn finish(self) -> (Vec<String>, Vec<u32>) {
        let mut order: Vec<u32> = (0..self.normalized.len() as u32).collect();
        order.sort_by(|&a, &b| self.normalized[a as usize].cmp(&self.normalized[b as usize]));
        let mut rank = vec![0u32; self.normalized.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i as usize] = r as u32;
        }
        let mut normalized = self.normalized;
        let sorted = order
            .iter()
            .map(|&i| std::mem::take(&mut normalized[i as usize]))
            .collect();
        (sorted, rank)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_sorted_labels_not_event_order() {
        let mut a = RowsBuilder::default();
        for title in ["No Kings", "  no kings ", "Hands Off", "", "Pride"] {
            a.push(SlimEvent {
                title: Some(title),
                ..SlimEvent::default()
            });
        }
        let rows = a.finish();
        assert_eq!(rows.titles, vec!["hands off", "no kings", "pride"]);
        let codes: Vec<Option<u32>> = rows.rows.iter().map(|r| r.title).collect();
        assert_eq!(codes, vec![Some(1), Some(1), Some(0), None, Some(2)]);
    }

    #[test]
    fn issue_12_rows_built_in_parts_and_appended_are_the_rows_built_at_once() {
        let labels = [
            ("march", "No Kings"),
            ("rally", "Hands Off"),
            ("", "  no kings "),
            ("Vigil", "Pride"),
            ("rally", ""),
            ("march", "Good Trouble"),
        ];
        let slim = |(event_type, title): (&'static str, &'static str)| SlimEvent {
            event_type: Some(event_type),
            title: Some(title),
            size_low: Some(title.len() as u64),
            ..SlimEvent::default()
        };
        let mut whole = RowsBuilder::default();
        labels.iter().for_each(|&l| whole.push(slim(l)));
        for cut in 0..=labels.len() {
            let (mut first, mut second) = (RowsBuilder::default(), RowsBuilder::default());
            labels[..cut].iter().for_each(|&l| first.push(slim(l)));
            labels[cut..].iter().for_each(|&l| second.push(slim(l)));
            first.append(second);
            let mut again = RowsBuilder::default();
            labels.iter().for_each(|&l| again.push(slim(l)));
            assert_eq!(first.finish(), again.finish(), "cut after {cut} rows");
        }
        assert_eq!(
            whole.finish().titles,
            vec!["good trouble", "hands off", "no kings", "pride"]
        );
    }
}
