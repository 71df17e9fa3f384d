//! A file's new events held compactly until their one bulk write (issue 12: memory).
//!
//! The events table is written in id order (its tree is appended to, and its pages stay
//! full), so every event of a first ingest must be at hand before the first is written.
//! Held as [`Event`]s that was about 0.7 KB each; an [`EventRows`] row keeps the numbers,
//! the id and member list as text, and each distinct place and label (type, title,
//! organizers) once, so a million events take about a tenth of that. The rows are
//! written by the same binding as [`Event`]s (`events::EventColumns`).

use crate::events::EventColumns;
use std::fmt::Write as _;
pub use tally_model::pool::NumberedEvent;
use tally_model::pool::{PlacePool, TextPool};
use tally_model::{Date, Event, EventId, Place, ReportId};

/// Which of [`Row::numbers`] are present.
const LOW: u8 = 1;
const HIGH: u8 = 2;
const LOW_FROM: u8 = 4;
const HIGH_FROM: u8 = 8;

/// One event, its texts as numbers into [`EventRows`]' tables.
#[derive(Debug, Clone)]
struct Row {
    /// Where the id starts in [`EventRows::text`]; the member list follows it.
    text_start: usize,
    id_len: u32,
    members_len: u32,
    report_count: u32,
    date: Option<Date>,
    place: u32,
    event_type: u32,
    title: u32,
    organizers: u32,
    /// size low, size high, low from, high from; see `present`.
    numbers: [u64; 4],
    present: u8,
    coded_by_rule: bool,
}

/// Events held for one bulk write (see the module's documentation).
#[derive(Debug, Default, Clone)]
pub struct EventRows {
    rows: Vec<Row>,
    /// Each row's id followed by its member report ids ("3 17 42", as stored).
    text: String,
    places: PlacePool,
    labels: TextPool,
    /// The rows are in id order, each id once ([`EventRows::into_id_order`]).
    in_order: bool,
}

impl EventRows {
    pub fn new() -> EventRows {
        EventRows::default()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Holds `event` for the write.
    pub fn push(&mut self, event: &Event) {
        self.in_order = false;
        let text_start = self.text.len();
        self.text.push_str(&event.id.0);
        for (i, report) in event.reports.iter().enumerate() {
            if i > 0 {
                self.text.push(' ');
            }
            write!(self.text, "{}", report.0).expect("writing to a String cannot fail");
        }
        let id_len = event.id.0.len();
        let (numbers, present) = pack_numbers(
            event.size_low,
            event.size_high,
            event.low_from.map(|r| r.0),
            event.high_from.map(|r| r.0),
        );
        let row = Row {
            text_start,
            id_len: id_len as u32,
            members_len: (self.text.len() - text_start - id_len) as u32,
            report_count: event.reports.len() as u32,
            date: event.date,
            place: self.places.number(&event.place),
            event_type: self.labels.number(event.event_type.as_deref()),
            title: self.labels.number(event.title.as_deref()),
            organizers: self.labels.number(event.organizers.as_deref()),
            numbers,
            present,
            coded_by_rule: event.coded_by_rule,
        };
        self.rows.push(row);
    }

    /// The number of `place` among the rows' places, for [`NumberedEvent::place`].
    pub fn place_number(&mut self, place: &Place) -> u32 {
        self.places.number(place)
    }

    /// The number of `label` among the rows' labels, for the labels of a
    /// [`NumberedEvent`].
    pub fn label_number(&mut self, label: Option<&str>) -> u32 {
        self.labels.number(label)
    }

    /// Holds an event of one report given by numbers (issue 12: a first ingest's events
    /// of one report each, never made into [`Event`]s); it is stored as [`push`]
    /// stores the same event.
    ///
    /// [`push`]: EventRows::push
    pub fn push_numbered(&mut self, event: &NumberedEvent) {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        self.in_order = false;
        let text_start = self.text.len();
        let mut id = *b"ev-0000000000000000";
        for (i, digit) in id[3..].iter_mut().enumerate() {
            *digit = DIGITS[(event.id >> (60 - 4 * i) & 15) as usize];
        }
        self.text
            .push_str(std::str::from_utf8(&id).expect("hex digits are text"));
        write!(self.text, "{}", event.report.0).expect("writing to a String cannot fail");
        let (numbers, present) = pack_numbers(
            event.size_low,
            event.size_high,
            event.low_from.map(|r| r.0),
            event.high_from.map(|r| r.0),
        );
        self.rows.push(Row {
            text_start,
            id_len: id.len() as u32,
            members_len: (self.text.len() - text_start - id.len()) as u32,
            report_count: 1,
            date: event.date,
            place: event.place,
            event_type: event.event_type,
            title: event.title,
            organizers: event.organizers,
            numbers,
            present,
            coded_by_rule: event.coded_by_rule,
        });
    }

    /// The id of row `index`.
    pub(crate) fn id(&self, index: usize) -> &str {
        let row = &self.rows[index];
        &self.text[row.text_start..row.text_start + row.id_len as usize]
    }

    /// What the per-day sums read of row `index`: its day, the number of its place
    /// (see [`EventRows::place`]) and its range.
    pub(crate) fn sums_of(&self, index: usize) -> (Option<Date>, u32, Option<(u64, u64)>) {
        let row = &self.rows[index];
        let size =
            (row.present & (LOW | HIGH) == LOW | HIGH).then_some((row.numbers[0], row.numbers[1]));
        (row.date, row.place, size)
    }

    /// The place numbered `number` among the rows' places.
    pub(crate) fn place(&self, number: u32) -> &Place {
        self.places.get(number)
    }

    /// How many places the rows hold, numbered from 0.
    pub(crate) fn place_count(&self) -> usize {
        self.places.len()
    }

    /// The number of row `index`'s place among the rows' places.
    pub(crate) fn place_number_of(&self, index: usize) -> u32 {
        self.rows[index].place
    }

    /// The columns of row `index`, as the events table stores them.
    pub(crate) fn columns(&self, index: usize) -> EventColumns<'_> {
        let row = &self.rows[index];
        let members_start = row.text_start + row.id_len as usize;
        let number = |bit: u8, slot: usize| (row.present & bit != 0).then_some(row.numbers[slot]);
        EventColumns {
            id: self.id(index),
            date: row.date,
            place: self.places.get(row.place),
            event_type: self.labels.get(row.event_type),
            title: self.labels.get(row.title),
            organizers: self.labels.get(row.organizers),
            size_low: number(LOW, 0),
            size_high: number(HIGH, 1),
            low_from: number(LOW_FROM, 2).map(|v| v as i64),
            high_from: number(HIGH_FROM, 3).map(|v| v as i64),
            coded_by_rule: row.coded_by_rule,
            members: &self.text[members_start..members_start + row.members_len as usize],
            report_count: row.report_count as usize,
        }
    }

    /// Row `index` as an [`Event`] again (for a backend without a bulk path).
    pub fn event(&self, index: usize) -> Event {
        let c = self.columns(index);
        Event {
            id: EventId(c.id.to_string()),
            date: c.date,
            place: c.place.clone(),
            event_type: c.event_type.map(str::to_string),
            title: c.title.map(str::to_string),
            organizers: c.organizers.map(str::to_string),
            reports: c
                .members
                .split(' ')
                .filter(|m| !m.is_empty())
                .map(|m| ReportId(m.parse().expect("member ids were written as numbers")))
                .collect(),
            size_low: c.size_low,
            size_high: c.size_high,
            low_from: c.low_from.map(ReportId),
            high_from: c.high_from.map(ReportId),
            coded_by_rule: c.coded_by_rule,
        }
    }

    /// The same events with their rows and texts laid out in id order, each id once
    /// (the last of a repeated id, as `INSERT OR REPLACE` would keep it): the write then
    /// reads them front to back, where rows in the order they were linked sent each
    /// event's read to a random place in memory (issue 12: a sixth of the single
    /// writer's event insert at 300,000 events). A caller can do it on a thread of its
    /// own while the writer is busy with something else.
    pub fn into_id_order(self) -> EventRows {
        if self.in_order {
            return self;
        }
        let order = self.in_id_order();
        let mut rows = Vec::with_capacity(order.len());
        let mut text = String::with_capacity(self.text.len());
        for &index in &order {
            let row = &self.rows[index as usize];
            let start = row.text_start;
            let end = start + (row.id_len + row.members_len) as usize;
            rows.push(Row {
                text_start: text.len(),
                ..row.clone()
            });
            text.push_str(&self.text[start..end]);
        }
        EventRows {
            rows,
            text,
            places: self.places,
            labels: self.labels,
            in_order: true,
        }
    }

    /// The rows' positions in id order, each id once (the last of a repeated id, as
    /// `INSERT OR REPLACE` would keep it).
    pub(crate) fn in_id_order(&self) -> Vec<u32> {
        if self.in_order {
            return (0..self.rows.len() as u32).collect();
        }
        // By id, then by position, so that repeated ids stay in the order they were
        // pushed; the ids sit beside their positions, not looked up per comparison.
        let mut order: Vec<(&str, u32)> = (0..self.rows.len())
            .map(|i| (self.id(i), i as u32))
            .collect();
        order.sort_unstable();
        let mut kept: Vec<(&str, u32)> = Vec::with_capacity(order.len());
        for entry in order {
            match kept.last_mut() {
                Some(last) if last.0 == entry.0 => *last = entry,
                _ => kept.push(entry),
            }
        }
        kept.into_iter().map(|(_, index)| index).collect()
    }
}

/// An event's size and the reports it came from, packed as a [`Row`] holds them: the four
/// numbers and a bit of `present` for each that is there. Report ids are positive row
/// numbers; they are kept as their bits either way.
fn pack_numbers(
    low: Option<u64>,
    high: Option<u64>,
    low_from: Option<i64>,
    high_from: Option<i64>,
) -> ([u64; 4], u8) {
    let mut numbers = [0u64; 4];
    let mut present = 0u8;
    let values = [
        (LOW, low),
        (HIGH, high),
        (LOW_FROM, low_from.map(|r| r as u64)),
        (HIGH_FROM, high_from.map(|r| r as u64)),
    ];
    for (slot, (bit, value)) in values.into_iter().enumerate() {
        if let Some(value) = value {
            numbers[slot] = value;
            present |= bit;
        }
    }
    (numbers, present)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_model::{Confidence, Place, ResolvedPlace};

    /// Issue 12: an event held as a row comes back as it was, field for field.
    #[test]
    fn issue_12_an_event_held_as_a_row_comes_back_whole() {
        let mut place = Place::from_parts(Some("Austin"), Some("TX".parse().unwrap()));
        place.resolved = Some(ResolvedPlace {
            locality: Some("Austin".into()),
            county: Some("Travis County".into()),
            fips: Some(tally_model::Fips::parse("48453").unwrap()),
            state: "TX".parse().unwrap(),
            lat: Some(30.2672),
            lon: Some(-0.0),
            population: Some(961_855),
            confidence: Confidence::Exact,
        });
        let full = Event {
            id: EventId("ev-00000000000000ff".into()),
            date: Some("2025-06-14".parse().unwrap()),
            place: place.clone(),
            event_type: Some("protest".into()),
            title: Some("No Kings".into()),
            organizers: None,
            reports: vec![ReportId(3), ReportId(17), ReportId(42)],
            size_low: Some(0),
            size_high: Some(7_000),
            low_from: Some(ReportId(3)),
            high_from: None,
            coded_by_rule: true,
        };
        let bare = Event {
            id: EventId("ev-0000000000000001".into()),
            date: None,
            place: Place::from_parts(None, None),
            event_type: None,
            title: None,
            organizers: None,
            reports: vec![ReportId(9)],
            size_low: None,
            size_high: None,
            low_from: None,
            high_from: None,
            coded_by_rule: false,
        };
        let mut rows = EventRows::new();
        rows.push(&full);
        rows.push(&bare);
        rows.push(&full);
        assert_eq!(rows.event(0), full);
        assert_eq!(rows.event(1), bare);
        // One place and one title, however many events share them.
        assert_eq!(rows.places.len(), 2);
        assert_eq!(rows.labels.len(), 2);
        assert_eq!(rows.columns(0).members, "3 17 42");
        // In id order, a repeated id once: its last row.
        assert_eq!(rows.in_id_order(), vec![1, 2]);
        // Laid out in that order, the same events.
        let ordered = rows.clone().into_id_order();
        assert_eq!(ordered.len(), 2);
        assert_eq!(ordered.in_id_order(), vec![0, 1]);
        assert_eq!(ordered.event(0), bare);
        assert_eq!(ordered.event(1), full);
        assert_eq!(ordered.columns(1).members, "3 17 42");
        let mut more = ordered.clone();
        more.push(&bare);
        assert_eq!(more.in_id_order(), vec![2, 1]);
    }

    /// Issue 12: an event of one report given by numbers is held as the same event
    /// pushed whole is, sharing the rows' places and labels.
    #[test]
    fn issue_12_an_event_given_by_numbers_is_held_as_the_same_event() {
        let place = Place::from_parts(Some("Waco"), Some("TX".parse().unwrap()));
        let event = Event {
            id: EventId("ev-0f1e2d3c4b5a6978".into()),
            date: Some("2025-06-14".parse().unwrap()),
            place: place.clone(),
            event_type: Some("march".into()),
            title: None,
            organizers: Some("Indivisible".into()),
            reports: vec![ReportId(12_345)],
            size_low: Some(40),
            size_high: Some(60),
            low_from: Some(ReportId(12_345)),
            high_from: Some(ReportId(12_345)),
            coded_by_rule: false,
        };
        let mut rows = EventRows::new();
        rows.push(&event);
        let numbered = NumberedEvent {
            id: 0x0f1e_2d3c_4b5a_6978,
            report: ReportId(12_345),
            date: event.date,
            place: rows.place_number(&place),
            event_type: rows.label_number(Some("march")),
            title: rows.label_number(None),
            organizers: rows.label_number(Some("Indivisible")),
            size_low: Some(40),
            size_high: Some(60),
            low_from: Some(ReportId(12_345)),
            high_from: Some(ReportId(12_345)),
            coded_by_rule: false,
        };
        rows.push_numbered(&numbered);
        assert_eq!(rows.event(1), event);
        assert_eq!(rows.columns(1).members, "12345");
        assert_eq!(rows.places.len(), 1);
        assert_eq!(rows.labels.len(), 2);
        rows.push_numbered(&NumberedEvent {
            id: u64::MAX,
            size_low: None,
            low_from: None,
            coded_by_rule: true,
            ..numbered
        });
        let last = rows.event(2);
        assert_eq!(last.id.0, "ev-ffffffffffffffff");
        assert_eq!(
            (last.size_low, last.size_high, last.low_from),
            (None, Some(60), None)
        );
        assert!(last.coded_by_rule);
    }
}
