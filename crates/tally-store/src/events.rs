//! The derived events: written whole after a rebuild, read by selection.

use crate::error::StoreError;
use crate::ledger::Ledger;
use rusqlite::{params, Connection, OptionalExtension};
use tally_model::{Date, Event, EventId, ReportId, Selection};

/// The columns of an event that totals need, without decoding its whole body: the
/// fast path for estimates over millions of events.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    pub id: EventId,
    pub date: Option<Date>,
    pub state: Option<String>,
    pub locality: Option<String>,
    pub fips: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub population: Option<u64>,
    pub event_type: Option<String>,
    pub title: Option<String>,
    pub organizers: Option<String>,
    pub size_low: Option<u64>,
    pub size_high: Option<u64>,
    pub report_count: u64,
}

impl Ledger {
    /// Replaces every event with `events` in one transaction, and records the last
    /// report they were built from.
    pub fn replace_events(&mut self, events: &[Event]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        write_all_events(&tx, events)?;
        tx.commit()?;
        Ok(())
    }

    /// The events that match `selection`, ordered by date, state, locality and id.
    /// `selection.as_of` is ignored here: answering as of a time means rebuilding
    /// events from the reports known then (see `Ledger::reports`).
    pub fn events(&self, selection: &Selection) -> Result<Vec<Event>, StoreError> {
        let (clause, values) = sql_filter(selection);
        let sql = format!(
            "SELECT id, body FROM events WHERE {clause} ORDER BY date, state, locality, id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut events = Vec::new();
        for row in rows {
            let (id, body) = row?;
            let event: Event = serde_json::from_str(&body).map_err(|e| StoreError::Corrupt {
                what: "event",
                id,
                reason: e.to_string(),
            })?;
            if selection.matches(&event) {
                events.push(event);
            }
        }
        Ok(events)
    }

    /// The slim rows of the events that match `selection`, for totals.
    pub fn event_rows(&self, selection: &Selection) -> Result<Vec<EventRow>, StoreError> {
        let (mut clause, mut values) = sql_filter(selection);
        if let Some(locality) = &selection.locality {
            values.push(locality.trim().to_string());
            clause.push_str(&format!(" AND locality = ?{} COLLATE NOCASE", values.len()));
        }
        if let Some(event_type) = &selection.event_type {
            values.push(event_type.clone());
            clause.push_str(&format!(
                " AND event_type = ?{} COLLATE NOCASE",
                values.len()
            ));
        }
        if let Some(text) = &selection.text {
            values.push(text.to_lowercase());
            let n = values.len();
            clause.push_str(&format!(
                " AND (instr(lower(coalesce(title, '')), ?{n}) > 0
                       OR instr(lower(coalesce(organizers, '')), ?{n}) > 0
                       OR instr(lower(coalesce(event_type, '')), ?{n}) > 0)"
            ));
        }
        let sql = format!(
            "SELECT id, date, state, locality, fips, lat, lon, population, event_type, title, organizers,
                    size_low, size_high, report_count
             FROM events WHERE {clause}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |row| {
            let date: Option<String> = row.get(1)?;
            Ok(EventRow {
                id: EventId(row.get(0)?),
                date: date.and_then(|d| d.parse().ok()),
                state: row.get(2)?,
                locality: row.get(3)?,
                fips: row.get(4)?,
                lat: row.get(5)?,
                lon: row.get(6)?,
                population: row.get::<_, Option<i64>>(7)?.map(|p| p as u64),
                event_type: row.get(8)?,
                title: row.get(9)?,
                organizers: row.get(10)?,
                size_low: row.get::<_, Option<i64>>(11)?.map(|v| v as u64),
                size_high: row.get::<_, Option<i64>>(12)?.map(|v| v as u64),
                report_count: row.get::<_, i64>(13)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One event by id.
    pub fn event(&self, id: &EventId) -> Result<Option<Event>, StoreError> {
        let body: Option<String> = self
            .conn
            .query_row(
                "SELECT body FROM events WHERE id = ?1",
                params![id.0],
                |row| row.get(0),
            )
            .optional()?;
        body.map(|body| {
            serde_json::from_str(&body).map_err(|e| StoreError::Corrupt {
                what: "event",
                id: id.0.clone(),
                reason: e.to_string(),
            })
        })
        .transpose()
    }

    /// The event that holds a report, if any.
    pub fn event_of_report(&self, report: ReportId) -> Result<Option<EventId>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT event_id FROM event_reports WHERE report_id = ?1",
                params![report.0],
                |row| row.get::<_, String>(0),
            )
            .optional()?
            .map(EventId))
    }

    /// The highest report id the stored events were built from (0 for none). When it
    /// is below the highest report id, the events are stale and must be rebuilt.
    pub fn events_built_through(&self) -> Result<i64, StoreError> {
        let value: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'events_built_through'",
                [],
                |row| row.get(0),
            )
            .optional()?;
        Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
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

    /// True when reports or decisions arrived after the events were last built.
    pub fn events_are_stale(&self) -> Result<bool, StoreError> {
        let built: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'events_built_with_decisions'",
                [],
                |row| row.get(0),
            )
            .optional()?;
        let decisions_built = built.and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
        Ok(self.events_built_through()? < self.last_report_id()?
            || decisions_built < self.last_decision_id()?)
    }
}

/// Deletes every event and writes `events`, inside the caller's transaction.
pub(crate) fn write_all_events(conn: &Connection, events: &[Event]) -> Result<(), StoreError> {
    conn.execute("DELETE FROM event_reports", [])?;
    conn.execute("DELETE FROM events", [])?;
    let mut insert_event = conn.prepare_cached(
        "INSERT INTO events (id, date, state, locality, fips, lat, lon, population, event_type, title,
                             organizers, size_low, size_high, report_count, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    let mut insert_member =
        conn.prepare_cached("INSERT INTO event_reports (event_id, report_id) VALUES (?1, ?2)")?;
    for event in events {
        let body = serde_json::to_string(event).map_err(|source| StoreError::Encode {
            what: "event",
            source,
        })?;
        let resolved = event.place.resolved.as_ref();
        insert_event.execute(params![
            event.id.0,
            event.date.map(|d| d.to_string()),
            event.place.best_state().map(|s| s.as_str()),
            event.place.best_locality(),
            resolved.and_then(|r| r.fips.as_ref()).map(|f| f.as_str()),
            resolved.and_then(|r| r.lat),
            resolved.and_then(|r| r.lon),
            resolved.and_then(|r| r.population).map(|p| p as i64),
            event.event_type,
            event.title,
            event.organizers,
            event.size_low.map(|v| v as i64),
            event.size_high.map(|v| v as i64),
            event.reports.len() as i64,
            body
        ])?;
        for report in &event.reports {
            insert_member.execute(params![event.id.0, report.0])?;
        }
    }
    let through: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM reports", [], |row| {
        row.get(0)
    })?;
    let decisions: i64 =
        conn.query_row("SELECT coalesce(max(id), 0) FROM decisions", [], |row| {
            row.get(0)
        })?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('events_built_through', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![through.to_string()],
    )?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('events_built_with_decisions', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![decisions.to_string()],
    )?;
    Ok(())
}

/// The date and state parts of a selection as SQL (the rest is matched in Rust or by
/// `event_rows`), with its bound values.
fn sql_filter(selection: &Selection) -> (String, Vec<String>) {
    let mut clause = String::from("1");
    let mut values = Vec::new();
    if let Some(from) = selection.from {
        values.push(from.to_string());
        clause.push_str(&format!(" AND date >= ?{}", values.len()));
    }
    if let Some(to) = selection.to {
        values.push(to.to_string());
        clause.push_str(&format!(" AND date <= ?{}", values.len()));
    }
    if let Some(state) = selection.state {
        values.push(state.as_str().to_string());
        clause.push_str(&format!(" AND state = ?{}", values.len()));
    }
    (clause, values)
}
