//! The derived events: written after linking (whole, or as an update), read by selection.

use crate::error::StoreError;
use crate::ledger::Ledger;
use rusqlite::{params, Connection, OptionalExtension, Row};
use rustc_hash::FxHashSet;
use std::collections::HashSet;
use tally_model::{
    Confidence, Date, Event, EventId, Fips, Place, ReportId, ResolvedPlace, Selection, StateCode,
};

/// Counts and sums over the events of a selection that have a size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KnownSums {
    pub events: u64,
    pub events_with_size: u64,
    pub localities: u64,
    pub states: u64,
    pub known_low: u64,
    pub known_high: u64,
}

const EVENT_COLUMNS: &str = "id, date, place_raw, place_locality, place_state, online, resolved_state,
    resolved_locality, county, fips, lat, lon, population, confidence, event_type, title, organizers,
    size_low, size_high, low_from, high_from, coded_by_rule, reports";

impl Ledger {
    /// Replaces every event with `events` in one transaction.
    pub fn replace_events(&mut self, events: &[Event]) -> Result<(), StoreError> {
        let tx = self.begin_write()?;
        write_all_events(&tx, events)?;
        tx.commit()?;
        Ok(())
    }

    /// The events that match `selection`, ordered by date, state, locality and id.
    /// `selection.as_of` is ignored here: answering as of a time means relinking the
    /// reports known then (see `Ledger::reports`).
    pub fn events(&self, selection: &Selection) -> Result<Vec<Event>, StoreError> {
        let mut events = self.events_in_any_order(selection)?;
        // Each key is built once, not once per comparison.
        events.sort_by_cached_key(|e| {
            (
                e.date,
                e.place.best_state().map(|s| s.as_str()),
                e.place.best_locality().map(str::to_string),
                e.id.clone(),
            )
        });
        Ok(events)
    }

    /// The events that match `selection`, in storage order: for totals, which do not
    /// care about order. A full selection is one scan of the table (ordering in SQL
    /// would walk the date index and look every row up again).
    pub fn events_in_any_order(&self, selection: &Selection) -> Result<Vec<Event>, StoreError> {
        let (clause, values) = sql_filter(selection);
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE {clause}");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), read_event)?;
        let mut events = Vec::new();
        for row in rows {
            let event = row??;
            // The SQL filter is a superset; the model's own predicate has the last word.
            if selection.matches(&event) {
                events.push(event);
            }
        }
        Ok(events)
    }

    /// The events that match `selection`, with only what totals read: id, date, the
    /// best-known locality and state with the locality's population, type, title and
    /// range. Everything else is left empty (no place text, county, coordinates,
    /// organizers or report list), which makes a million events several times cheaper to
    /// load; use [`Ledger::events`] for anything shown to a person. The selection is
    /// applied in SQL only.
    pub fn event_summaries(&self, selection: &Selection) -> Result<Vec<Event>, StoreError> {
        let (clause, values) = sql_filter(selection);
        let sql = format!(
            "SELECT id, date, state, locality, population, event_type, title, size_low, size_high,
                    coded_by_rule
             FROM events WHERE {clause}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
        let mut events = Vec::new();
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let corrupt = |reason: String| StoreError::Corrupt {
                what: "event",
                id: id.clone(),
                reason,
            };
            let date = match row
                .get_ref(1)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?
            {
                Some(text) => {
                    Some(parse_date(text).ok_or_else(|| corrupt(format!("date {text:?}")))?)
                }
                None => None,
            };
            let state = match row
                .get_ref(2)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?
            {
                Some(text) => Some(
                    text.parse::<StateCode>()
                        .map_err(|e| corrupt(e.to_string()))?,
                ),
                None => None,
            };
            let locality: Option<String> = row.get(3)?;
            let resolved = state.map(|state| ResolvedPlace {
                locality: locality.clone(),
                county: None,
                fips: None,
                state,
                lat: None,
                lon: None,
                population: row
                    .get::<_, Option<i64>>(4)
                    .ok()
                    .flatten()
                    .map(|p| p as u64),
                confidence: Confidence::None,
            });
            events.push(Event {
                id: EventId(id),
                date,
                place: Place {
                    raw: String::new(),
                    locality,
                    state,
                    online: false,
                    resolved,
                },
                event_type: row.get(5)?,
                title: row.get(6)?,
                organizers: None,
                reports: Vec::new(),
                size_low: row.get::<_, Option<i64>>(7)?.map(|v| v as u64),
                size_high: row.get::<_, Option<i64>>(8)?.map(|v| v as u64),
                low_from: None,
                high_from: None,
                coded_by_rule: row.get(9)?,
            });
        }
        Ok(events)
    }

    /// The known sums of DESIGN.md for `selection`, without building any event: the
    /// fast path when no imputation is wanted. SQLite sums per (state, locality) along
    /// a narrow covering index in that order, so there is nothing to sort; the groups
    /// are then folded here, where names that differ only in case count as one place.
    pub fn known_sums(&self, selection: &Selection) -> Result<KnownSums, StoreError> {
        let (clause, values) = sql_filter(selection);
        let sized = "size_low IS NOT NULL AND size_high IS NOT NULL";
        let sql = format!(
            "SELECT state, locality, count(*), count(CASE WHEN {sized} THEN 1 END),
                    coalesce(sum(CASE WHEN {sized} THEN size_low END), 0),
                    coalesce(sum(CASE WHEN {sized} THEN size_high END), 0)
             FROM events WHERE {clause} GROUP BY state, locality"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
        let mut sums = KnownSums::default();
        let mut states: HashSet<String> = HashSet::new();
        let mut localities: FxHashSet<u64> = FxHashSet::default();
        while let Some(row) = rows.next()? {
            let state: Option<String> = row.get(0)?;
            let locality: Option<String> = row.get(1)?;
            if let Some(name) = &locality {
                localities.insert(tally_model::locality_key(
                    state.as_deref().unwrap_or(""),
                    name,
                ));
            }
            if let Some(state) = &state {
                states.insert(state.clone());
            }
            // Sizes are bounded when read (tally_model::bounds), so these sums fit; a
            // negative or overflowing one means a damaged ledger, said as such rather
            // than wrapped or clamped into a plausible-looking total.
            let count = |index: usize| -> Result<u64, StoreError> {
                let value: i64 = row.get(index)?;
                u64::try_from(value).map_err(|_| StoreError::Corrupt {
                    what: "event sizes of",
                    id: format!(
                        "{}, {}",
                        locality.as_deref().unwrap_or("?"),
                        state.as_deref().unwrap_or("?")
                    ),
                    reason: format!("a sum of {value} people"),
                })
            };
            let overflow = || StoreError::Corrupt {
                what: "event sizes of",
                id: "the selection".to_string(),
                reason: "the known sizes add up past 2^64 people".to_string(),
            };
            sums.events += count(2)?;
            sums.events_with_size += count(3)?;
            sums.known_low = sums.known_low.checked_add(count(4)?).ok_or_else(overflow)?;
            sums.known_high = sums
                .known_high
                .checked_add(count(5)?)
                .ok_or_else(overflow)?;
        }
        sums.states = states.len() as u64;
        sums.localities = localities.len() as u64;
        Ok(sums)
    }

    /// One event by id.
    pub fn event(&self, id: &EventId) -> Result<Option<Event>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = ?1");
        let found = self
            .conn
            .query_row(&sql, params![id.0], read_event)
            .optional()?;
        found.transpose()
    }

    /// The event that holds a report, if any.
    pub fn event_of_report(&self, report: ReportId) -> Result<Option<EventId>, StoreError> {
        // A scan: this is a reviewer's lookup, not a hot path, and keeping a member
        // table would double the writes of every relink.
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM events WHERE ' ' || reports || ' ' LIKE '% ' || ?1 || ' %'",
                params![report.0],
                |row| row.get::<_, String>(0),
            )
            .optional()?
            .map(EventId))
    }

    /// The highest report id the stored events were built from (0 for none).
    pub fn events_built_through(&self) -> Result<i64, StoreError> {
        meta_number(&self.conn, "events_built_through")
    }

    /// The highest report id in the ledger (0 for none).
    pub fn last_report_id(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM reports", [], |row| {
                row.get(0)
            })?)
    }

    /// The highest decision id in the ledger (0 for none).
    pub fn last_decision_id(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM decisions", [], |row| {
                row.get(0)
            })?)
    }

    /// True when reports or decisions arrived after the events were last built, as
    /// after a crash between a write and its relink, or a decision recorded by hand.
    pub fn events_are_stale(&self) -> Result<bool, StoreError> {
        let decisions_built = meta_number(&self.conn, "events_built_with_decisions")?;
        Ok(self.events_built_through()? < self.last_report_id()?
            || decisions_built < self.last_decision_id()?)
    }
}

/// Deletes every event and writes `events`, inside the caller's transaction.
pub(crate) fn write_all_events(conn: &Connection, events: &[Event]) -> Result<(), StoreError> {
    conn.execute("DELETE FROM events", [])?;
    insert_events(conn, events)?;
    mark_built(conn)
}

/// Removes `removed` events and writes `upserted` ones (new or changed), inside the
/// caller's transaction: the incremental form of [`write_all_events`].
///
/// An upserted event replaces the row of the same id.
pub(crate) fn write_event_update(
    conn: &Connection,
    removed: &[EventId],
    upserted: &[Event],
) -> Result<(), StoreError> {
    let mut delete_event = conn.prepare_cached("DELETE FROM events WHERE id = ?1")?;
    for id in removed {
        delete_event.execute(params![id.0])?;
    }
    insert_events(conn, upserted)?;
    mark_built(conn)
}

fn insert_events(conn: &Connection, events: &[Event]) -> Result<(), StoreError> {
    let mut insert_event = conn.prepare_cached(
        "INSERT OR REPLACE INTO events (id, date, state, locality, place_raw, place_locality, place_state, online,
                             resolved_state, resolved_locality, county, fips, lat, lon, population,
                             confidence, event_type, title, organizers, size_low, size_high, low_from,
                             high_from, coded_by_rule, reports)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
                 ?20, ?21, ?22, ?23, ?24, ?25)",
    )?;
    let mut members = String::new();
    // In key order, the primary-key tree is appended to rather than split at random.
    let mut ordered: Vec<&Event> = events.iter().collect();
    ordered.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    for event in ordered {
        let place = &event.place;
        let resolved = place.resolved.as_ref();
        members.clear();
        for (i, report) in event.reports.iter().enumerate() {
            if i > 0 {
                members.push(' ');
            }
            members.push_str(&report.0.to_string());
        }
        insert_event.execute(params![
            event.id.0,
            event.date.map(|d| d.to_string()),
            place.best_state().map(|s| s.as_str()),
            place.best_locality(),
            place.raw,
            place.locality,
            place.state.map(|s| s.as_str()),
            place.online,
            resolved.map(|r| r.state.as_str()),
            resolved.and_then(|r| r.locality.as_deref()),
            resolved.and_then(|r| r.county.as_deref()),
            resolved.and_then(|r| r.fips.as_ref()).map(|f| f.as_str()),
            resolved.and_then(|r| r.lat),
            resolved.and_then(|r| r.lon),
            resolved.and_then(|r| r.population).map(|p| p as i64),
            resolved.map(|r| r.confidence.as_str()),
            event.event_type,
            event.title,
            event.organizers,
            event.size_low.map(|v| v as i64),
            event.size_high.map(|v| v as i64),
            event.low_from.map(|r| r.0),
            event.high_from.map(|r| r.0),
            event.coded_by_rule,
            members,
        ])?;
    }
    Ok(())
}

/// Records the last report and decision the events now reflect.
fn mark_built(conn: &Connection) -> Result<(), StoreError> {
    let upsert = "INSERT INTO meta (key, value) VALUES (?1, ?2)
                  ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    let through: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM reports", [], |row| {
        row.get(0)
    })?;
    let decisions: i64 =
        conn.query_row("SELECT coalesce(max(id), 0) FROM decisions", [], |row| {
            row.get(0)
        })?;
    conn.execute(upsert, params!["events_built_through", through.to_string()])?;
    conn.execute(
        upsert,
        params!["events_built_with_decisions", decisions.to_string()],
    )?;
    Ok(())
}

fn meta_number(conn: &Connection, key: &str) -> Result<i64, StoreError> {
    let value: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            params![key],
            |row| row.get(0),
        )
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Rebuilds an [`Event`] from its columns (in [`EVENT_COLUMNS`] order). The outer
/// result is SQLite's; the inner one reports a row that does not decode.
fn read_event(row: &Row<'_>) -> rusqlite::Result<Result<Event, StoreError>> {
    let id: String = row.get(0)?;
    let date: Option<String> = row.get(1)?;
    let place_state: Option<String> = row.get(4)?;
    let resolved_state: Option<String> = row.get(6)?;
    let fips: Option<String> = row.get(9)?;
    let confidence: Option<String> = row.get(13)?;
    let members: String = row.get(22)?;
    let corrupt = |reason: String| StoreError::Corrupt {
        what: "event",
        id: id.clone(),
        reason,
    };
    let decode = || -> Result<Event, StoreError> {
        let date = date
            .map(|d| {
                d.parse::<Date>()
                    .map_err(|e| corrupt(format!("date {d:?}: {e}")))
            })
            .transpose()?;
        let state = |text: Option<String>| -> Result<Option<StateCode>, StoreError> {
            text.map(|s| s.parse::<StateCode>().map_err(|e| corrupt(e.to_string())))
                .transpose()
        };
        let resolved = match state(resolved_state)? {
            Some(state) => Some(ResolvedPlace {
                locality: row.get(7)?,
                county: row.get(8)?,
                fips: fips
                    .map(|f| Fips::parse(&f).map_err(|e| corrupt(e.to_string())))
                    .transpose()?,
                state,
                lat: row.get(10)?,
                lon: row.get(11)?,
                population: row.get::<_, Option<i64>>(12)?.map(|p| p as u64),
                confidence: parse_confidence(confidence.as_deref()),
            }),
            None => None,
        };
        let reports = members
            .split(' ')
            .filter(|m| !m.is_empty())
            .map(|m| {
                m.parse::<i64>()
                    .map(ReportId)
                    .map_err(|e| corrupt(format!("report list: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Event {
            id: EventId(id.clone()),
            date,
            place: Place {
                raw: row.get(2)?,
                locality: row.get(3)?,
                state: state(place_state)?,
                online: row.get(5)?,
                resolved,
            },
            event_type: row.get(14)?,
            title: row.get(15)?,
            organizers: row.get(16)?,
            reports,
            size_low: row.get::<_, Option<i64>>(17)?.map(|v| v as u64),
            size_high: row.get::<_, Option<i64>>(18)?.map(|v| v as u64),
            low_from: row.get::<_, Option<i64>>(19)?.map(ReportId),
            high_from: row.get::<_, Option<i64>>(20)?.map(ReportId),
            coded_by_rule: row.get(21)?,
        })
    };
    Ok(decode())
}

/// `YYYY-MM-DD` without the general date parser: this runs a million times in totals.
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return text.parse().ok();
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    Date::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)
}

pub(crate) fn parse_confidence(text: Option<&str>) -> Confidence {
    match text {
        Some("exact") => Confidence::Exact,
        Some("alias") => Confidence::Alias,
        Some("fuzzy") => Confidence::Fuzzy,
        Some("township_of") => Confidence::TownshipOf,
        Some("area_of") => Confidence::AreaOf,
        Some("coordinates") => Confidence::Coordinates,
        Some("state") => Confidence::State,
        _ => Confidence::None,
    }
}

/// A selection as SQL: a superset of what [`Selection::matches`] accepts (the text
/// match is a case-insensitive substring over title, organizers and type, as there).
fn sql_filter(selection: &Selection) -> (String, Vec<String>) {
    let mut clause = String::from("1");
    let mut values: Vec<String> = Vec::new();
    let mut bind = |clause: &mut String, sql: &str, value: String| {
        values.push(value);
        clause.push_str(&sql.replace("?N", &format!("?{}", values.len())));
    };
    if let Some(from) = selection.from {
        bind(&mut clause, " AND date >= ?N", from.to_string());
    }
    if let Some(to) = selection.to {
        bind(&mut clause, " AND date <= ?N", to.to_string());
    }
    if let Some(state) = selection.state {
        bind(&mut clause, " AND state = ?N", state.as_str().to_string());
    }
    if let Some(locality) = &selection.locality {
        bind(
            &mut clause,
            " AND locality = ?N COLLATE NOCASE",
            locality.trim().to_string(),
        );
    }
    if let Some(event_type) = &selection.event_type {
        // Most reports (articles, statements) carry no type: their title names it
        // ("military parade"), as `Selection::matches` reads it too.
        bind(
            &mut clause,
            " AND (lower(event_type) = ?N
                   OR (event_type IS NULL AND instr(lower(coalesce(title, '')), ?N) > 0))",
            event_type.trim().to_lowercase(),
        );
    }
    if let Some(text) = &selection.text {
        bind(
            &mut clause,
            " AND (instr(lower(coalesce(title, '')), ?N) > 0 OR instr(lower(coalesce(organizers, '')), ?N) > 0
                   OR instr(lower(coalesce(event_type, '')), ?N) > 0)",
            text.to_lowercase(),
        );
    }
    (clause, values)
}
