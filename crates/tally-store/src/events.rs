//! The derived events: written after linking (whole, or as an update), read by selection.

use crate::compact::{insert_many, PlaceWriter, PLACE_COLUMNS};
use crate::error::StoreError;
use crate::event_rows::EventRows;
use crate::ledger::Ledger;
use rusqlite::{params, Connection, OptionalExtension, Row};
use rustc_hash::FxHashSet;
use std::collections::HashSet;
use std::fmt::Write as _;
pub use tally_model::SlimEvent;
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

/// How much of the ledger a scan of slim rows maps into memory (SQLite's own cap,
/// `SQLITE_MAX_MMAP_SIZE`, is 2 GiB; beyond it pages are read as usual).
const SLIM_SCAN_MMAP_BYTES: i64 = 2 << 30;

/// Ledgers smaller than this are read by one connection: a second one and its thread
/// cost more than they save.
const SLIM_SPLIT_BYTES: u64 = if cfg!(test) { 1 } else { 32 << 20 };

/// Event ids from `from` (inclusive) to `below` (exclusive); `None` is unbounded.
#[derive(Debug, Clone, PartialEq, Eq)]
struct IdRange {
    from: Option<String>,
    below: Option<String>,
}

impl IdRange {
    const ALL: IdRange = IdRange {
        from: None,
        below: None,
    };
}

/// The query of slim rows for one selection, run on any connection to the ledger, over
/// all events or a range of their ids.
struct SlimScan<'a> {
    selection: &'a Selection,
    columns: String,
    clause: String,
    values: Vec<String>,
    /// The selection matches labels: the model's predicate reads the organizers too.
    labels: bool,
}

impl<'a> SlimScan<'a> {
    fn new(ledger: &Ledger, selection: &'a Selection) -> Result<SlimScan<'a>, StoreError> {
        let (clause, values) = selection_filter(selection, &SQLITE);
        let reports = if ledger.has_report_counts()? {
            "report_count"
        } else {
            // A ledger read before its migration to 0006: count the list's ids.
            "length(reports) - length(replace(reports, ' ', '')) + (reports <> '')"
        };
        let labels = selection.text.is_some() || selection.event_type.is_some();
        let columns = format!(
            "date, state, locality, population, {reports}, event_type, title, size_low,
             size_high{}",
            if labels { ", organizers" } else { "" }
        );
        Ok(SlimScan {
            selection,
            columns,
            clause,
            values,
            labels,
        })
    }

    /// Passes the slim rows of the events in `range` to `each`, in storage order.
    fn run(
        &self,
        conn: &Connection,
        range: &IdRange,
        each: &mut dyn FnMut(SlimEvent<'_>),
    ) -> Result<usize, StoreError> {
        let mut clause = self.clause.clone();
        let mut values = self.values.clone();
        for (bound, op) in [(&range.from, ">="), (&range.below, "<")] {
            if let Some(id) = bound {
                values.push(id.clone());
                clause.push_str(&format!(" AND id {op} ?{}", values.len()));
            }
        }
        // With recent changes kept apart (crate::recent), the main table's rows that a
        // recent row stands in for are left out here, by their id in a hash set read in
        // this connection's snapshot, rather than by a lookup in SQL for every row (a
        // fifth of the scan's time at a million events); and the rows come in the order
        // the scan of a merged ledger gives them (by id, or through the date index by
        // date and id), so that the parts and the sums made of them are the same.
        let shadowed = crate::recent::shadowed_ids(conn)?;
        let columns = &self.columns;
        let sql = if shadowed.is_some() {
            let by_date = self.selection.from.is_some() || self.selection.to.is_some();
            format!(
                "SELECT {columns}, id, 1 FROM events WHERE {clause}
                 UNION ALL
                 SELECT {columns}, id, 0 FROM events_recent WHERE present AND ({clause})
                 ORDER BY {}",
                if by_date { "date, id" } else { "id" }
            )
        } else {
            format!("SELECT {columns} FROM events WHERE {clause}")
        };
        let id_column = if self.labels { 10 } else { 9 };
        // The scan reads most pages of the events table once: in place, mapped, rather
        // than copied one by one into fresh page-cache memory (a third of the scan's
        // system time at a million events). A writer's connection maps already.
        conn.pragma_update(None, "mmap_size", SLIM_SCAN_MMAP_BYTES)?;
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
        let selection = self.selection;
        let labels = self.labels;
        let mut passed = 0;
        // States are a few dozen two-letter codes: each is parsed once, then looked up.
        let mut known_states: [Option<StateCode>; 26 * 26] = [None; 26 * 26];
        while let Some(row) = rows.next()? {
            let text = |index: usize| -> Result<Option<&str>, StoreError> {
                Ok(row
                    .get_ref(index)?
                    .as_str_or_null()
                    .map_err(rusqlite::Error::from)?)
            };
            let number = |index: usize| -> Result<Option<u64>, StoreError> {
                Ok(row
                    .get_ref(index)?
                    .as_i64_or_null()
                    .map_err(rusqlite::Error::from)?
                    .map(|v| v.max(0) as u64))
            };
            if let Some(shadowed) = &shadowed {
                let from_main = row.get::<_, bool>(id_column + 1)?;
                let id = row
                    .get_ref(id_column)?
                    .as_bytes()
                    .map_err(rusqlite::Error::from)?;
                if from_main && shadowed.contains(id) {
                    continue;
                }
            }
            let (event_type, title) = (text(5)?, text(6)?);
            // The SQL filter is a superset; the model's own predicate has the last word.
            if labels && !selection.matches_labels(event_type, title, text(9)?) {
                continue;
            }
            let corrupt = |reason: String| StoreError::Corrupt {
                what: "event",
                id: format!("with title {:?}", title.unwrap_or("")),
                reason,
            };
            let date = match text(0)? {
                Some(d) => Some(parse_date(d).ok_or_else(|| corrupt(format!("date {d:?}")))?),
                None => None,
            };
            let state = match text(1)? {
                Some(s) => {
                    let slot = match s.as_bytes() {
                        [a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => {
                            Some(usize::from(a - b'A') * 26 + usize::from(b - b'A'))
                        }
                        _ => None,
                    };
                    match slot.and_then(|i| known_states[i]) {
                        Some(code) => Some(code),
                        None => {
                            let code =
                                s.parse::<StateCode>().map_err(|e| corrupt(e.to_string()))?;
                            if let Some(i) = slot {
                                known_states[i] = Some(code);
                            }
                            Some(code)
                        }
                    }
                }
                None => None,
            };
            each(SlimEvent {
                date,
                state,
                locality: text(2)?,
                population: number(3)?,
                reports: u32::try_from(number(4)?.unwrap_or(0)).unwrap_or(u32::MAX),
                event_type,
                title,
                size_low: number(7)?,
                size_high: number(8)?,
            });
            passed += 1;
        }
        Ok(passed)
    }
}

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

    /// Applies an incremental relink in one transaction: drops `removed` events, writes
    /// `upserted` ones (new or changed) with their per-day sums, and marks the events
    /// current (a reviewer decision relinks only its blocks, issue 12).
    pub fn update_events(
        &mut self,
        removed: &[EventId],
        upserted: &[Event],
    ) -> Result<(), StoreError> {
        let tx = self.begin_write()?;
        write_event_update(&tx, removed, upserted)?;
        tx.commit()?;
        Ok(())
    }

    /// Passes the events that match `selection` to `each`, ordered by date, state,
    /// locality and id as [`Ledger::events`] orders them, straight from SQLite's cursor
    /// (NULL sorts first there as `None` does here; text compares bytewise in both), so
    /// an export holds one event at a time. Stops when `each` breaks; returns how many
    /// events it was given.
    pub fn for_each_event(
        &self,
        selection: &Selection,
        each: &mut dyn FnMut(Event) -> std::ops::ControlFlow<()>,
    ) -> Result<usize, StoreError> {
        let (clause, values) = selection_filter(selection, &SQLITE);
        // A selection of some days reads them by date: without statistics SQLite might
        // rather scan the table. A state's events over all days are one scan of the
        // table and a sort: SQLite would rather walk every event in date order to spare
        // the sort, opening each one (ten times slower at a million events).
        let all_days = selection.from.is_none() && selection.to.is_none();
        let index = if selection.from.is_some() && selection.to.is_some() {
            "INDEXED BY events_by_date"
        } else if all_days && selection.state.is_some() {
            "INDEXED BY sqlite_autoindex_events_1"
        } else {
            ""
        };
        let mut reader = EventReader::new(&self.conn)?;
        let columns = reader.columns();
        // With recent changes kept apart, both halves name the order's columns.
        let sql = if crate::recent::has_recent_events(&self.conn)? {
            let columns = format!("{columns}, state AS order_state, locality AS order_locality");
            format!(
                "{} ORDER BY date, order_state, order_locality, id",
                crate::recent::events_sql(&self.conn, &columns, &clause, index)?
            )
        } else {
            format!(
                "SELECT {columns} FROM events {index} WHERE {clause}
                 ORDER BY date, state, locality, id"
            )
        };
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
        let mut given = 0;
        while let Some(row) = rows.next()? {
            let event = reader.read(row)?;
            // The SQL filter is a superset; the model's own predicate has the last word.
            if !selection.matches(&event) {
                continue;
            }
            given += 1;
            if each(event).is_break() {
                break;
            }
        }
        Ok(given)
    }

    /// The events that match `selection`, in storage order: for totals, which do not
    /// care about order. A full selection is one scan of the table (ordering in SQL
    /// would walk the date index and look every row up again).
    pub fn events_in_any_order(&self, selection: &Selection) -> Result<Vec<Event>, StoreError> {
        let (clause, values) = selection_filter(selection, &SQLITE);
        let mut reader = EventReader::new(&self.conn)?;
        let sql = crate::recent::events_sql(&self.conn, reader.columns(), &clause, "")?;
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
        let mut events = Vec::new();
        while let Some(row) = rows.next()? {
            let event = reader.read(row)?;
            // The SQL filter is a superset; the model's own predicate has the last word.
            if selection.matches(&event) {
                events.push(event);
            }
        }
        Ok(events)
    }

    /// Streams what totals and the imputation model read of each event that matches
    /// `selection` — date, best-known state and locality, the locality's population, the
    /// number of reports, type, title and range — to `each`, in storage order, without
    /// building an [`Event`] or allocating per row: the text is borrowed from SQLite's
    /// row buffer for the duration of the call. Returns how many events were passed.
    /// `selection.as_of` is ignored, as in [`Ledger::events`].
    pub fn for_each_slim_event(
        &self,
        selection: &Selection,
        mut each: impl FnMut(SlimEvent<'_>),
    ) -> Result<usize, StoreError> {
        let scan = SlimScan::new(self, selection)?;
        self.in_read_transaction(|| scan.run(&self.conn, &IdRange::ALL, &mut each))
    }

    /// [`Ledger::for_each_slim_event`] read in `sinks.len()` parts at once, each on its
    /// own connection and thread (issue 12: the scan of a million events is most of an
    /// estimate, and SQLite's row loop runs on one core per connection). Part `k` holds
    /// the events of the `k`th range of ids, so the parts in order are the one scan's
    /// storage order. Every connection reads the same snapshot of the ledger (see
    /// [`Ledger::begin_same_snapshot`]); when that cannot be had (a write landed while
    /// the readers started), or the ledger is small, or the selection reads by date,
    /// every event goes to the first sink, read as by [`Ledger::for_each_slim_event`].
    pub fn for_each_slim_event_in_parts(
        &self,
        selection: &Selection,
        sinks: &mut [&mut (dyn FnMut(SlimEvent<'_>) + Send)],
    ) -> Result<usize, StoreError> {
        let Some((first, rest)) = sinks.split_first_mut() else {
            return Ok(0);
        };
        let scan = SlimScan::new(self, selection)?;
        // A selection of some days is read through the date index, in date order: split
        // by id, the parts would not add up to that order.
        let by_date = selection.from.is_some() || selection.to.is_some();
        let ranges = if rest.is_empty() || by_date || !self.conn.is_autocommit() {
            Vec::new()
        } else {
            self.id_ranges(1 + rest.len())?
        };
        if ranges.len() < 2 {
            return self.in_read_transaction(|| scan.run(&self.conn, &IdRange::ALL, first));
        }
        let others = match self.begin_same_snapshot(ranges.len() - 1, || {}) {
            Ok(Some(others)) => others,
            // No second reader (or no shared snapshot): one reader, in a read
            // transaction of its own.
            Ok(None) | Err(_) => {
                return self.in_read_transaction(|| scan.run(&self.conn, &IdRange::ALL, first))
            }
        };
        let result = std::thread::scope(|scope| {
            let handles: Vec<_> = others
                .into_iter()
                .zip(&ranges[1..])
                .zip(rest.iter_mut())
                .map(|((conn, range), sink)| {
                    let scan = &scan;
                    // Closing the connection ends its read transaction.
                    scope.spawn(move || scan.run(&conn, range, *sink))
                })
                .collect();
            let mut passed = scan.run(&self.conn, &ranges[0], first);
            for handle in handles {
                let part = handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                passed = match (passed, part) {
                    (Ok(a), Ok(b)) => Ok(a + b),
                    (Err(e), _) | (_, Err(e)) => Err(e),
                };
            }
            passed
        });
        // A read transaction: ending it cannot lose anything.
        let _ = self.conn.execute_batch("COMMIT");
        result
    }

    /// Runs `read` in one read transaction of this handle's connection (or in the
    /// caller's open transaction): a scan that reads the recent changes apart from the
    /// main table (`crate::recent::shadowed_ids`, then the rows) sees one snapshot.
    fn in_read_transaction<T>(
        &self,
        read: impl FnOnce() -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if !self.conn.is_autocommit() {
            return read();
        }
        self.conn.execute_batch("BEGIN")?;
        let result = read();
        // A read transaction: ending it cannot lose anything.
        let _ = self.conn.execute_batch("COMMIT");
        result
    }

    /// Opens `count` more connections to this ledger's file and starts a read
    /// transaction on each and on this handle's own, all on the same snapshot of the
    /// ledger; `None` for a ledger without a file, or when a write was committed while
    /// they started (this handle's transaction is then ended too).
    ///
    /// Why they agree: `PRAGMA data_version` on a connection changes between two reads
    /// of it exactly when some other connection committed in between (SQLite documents
    /// it so, for WAL and rollback journals alike). Each new connection reads it once
    /// before this handle's transaction starts and once more inside its own
    /// transaction; if it is unchanged on every one, no write was committed from the
    /// first of those reads to the last, and every transaction started inside that
    /// span sees the same commit. `between` runs after the first reads (for tests).
    pub(crate) fn begin_same_snapshot(
        &self,
        count: usize,
        between: impl FnOnce(),
    ) -> Result<Option<Vec<Connection>>, StoreError> {
        if !self.path().is_file() {
            return Ok(None);
        }
        let data_version = |conn: &Connection| -> rusqlite::Result<i64> {
            conn.pragma_query_value(None, "data_version", |row| row.get(0))
        };
        let mut others = Vec::with_capacity(count);
        for _ in 0..count {
            let conn = crate::ledger::open_for_reading(self.path())?;
            conn.pragma_update(None, "mmap_size", SLIM_SCAN_MMAP_BYTES)?;
            let before = data_version(&conn)?;
            others.push((conn, before));
        }
        between();
        // A read of the schema is what starts a read transaction's snapshot.
        let start = |conn: &Connection| -> rusqlite::Result<()> {
            conn.execute_batch("BEGIN")?;
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        };
        let same = (|| -> rusqlite::Result<bool> {
            start(&self.conn)?;
            let mut same = true;
            for (conn, before) in &others {
                start(conn)?;
                same &= data_version(conn)? == *before;
            }
            Ok(same)
        })();
        if !matches!(same, Ok(true)) {
            // Read transactions (or none): ending them cannot lose anything.
            for (conn, _) in &others {
                let _ = conn.execute_batch("COMMIT");
            }
            if !self.conn.is_autocommit() {
                let _ = self.conn.execute_batch("COMMIT");
            }
            return same.map(|_| None).map_err(StoreError::from);
        }
        Ok(Some(others.into_iter().map(|(conn, _)| conn).collect()))
    }

    /// Up to `parts` consecutive ranges of event ids that hold about as many events
    /// each, for reading a large ledger in parallel; fewer than two when it is not
    /// worth it. Ids are `ev-` and hex digits of a hash, so even steps over their first
    /// two digits between the smallest and largest id share the events about evenly
    /// (any other ids still fall in exactly one range: only the balance would suffer).
    fn id_ranges(&self, parts: usize) -> Result<Vec<IdRange>, StoreError> {
        let size = std::fs::metadata(self.path()).map_or(0, |m| m.len());
        if parts < 2 || size < SLIM_SPLIT_BYTES {
            return Ok(Vec::new());
        }
        // Each alone is one descent of the key's tree (together, SQLite would scan).
        let end = |order: &str| -> Result<Option<String>, StoreError> {
            let sql = format!("SELECT id FROM events ORDER BY id {order} LIMIT 1");
            Ok(self.conn.query_row(&sql, [], |row| row.get(0)).optional()?)
        };
        let (first, last) = (end("ASC")?, end("DESC")?);
        let digits = |id: &Option<String>| -> Option<u32> {
            let hex = id.as_deref()?.strip_prefix("ev-")?.get(..2)?;
            u32::from_str_radix(hex, 16).ok()
        };
        let (Some(low), Some(high)) = (digits(&first), digits(&last)) else {
            return Ok(Vec::new());
        };
        let span = (high + 1).saturating_sub(low);
        let mut bounds: Vec<String> = (1..parts as u32)
            .map(|k| low + span * k / parts as u32)
            .filter(|&b| b > low && b <= high)
            .map(|b| format!("ev-{b:02x}"))
            .collect();
        bounds.dedup();
        if bounds.is_empty() {
            return Ok(Vec::new());
        }
        let mut ranges = Vec::with_capacity(bounds.len() + 1);
        let mut from = None;
        for bound in bounds {
            ranges.push(IdRange {
                from: from.take(),
                below: Some(bound.clone()),
            });
            from = Some(bound);
        }
        ranges.push(IdRange { from, below: None });
        Ok(ranges)
    }

    /// The known sums of DESIGN.md for `selection`, without building any event: the
    /// fast path when no imputation is wanted. SQLite sums per (state, locality); the
    /// groups are then folded here, where names that differ only in case count as one
    /// place.
    ///
    /// A selection by dates and state only is answered from the per-day sums kept as
    /// events are written (`event_sums`, migration 0006), without reading any event.
    pub fn known_sums(&self, selection: &Selection) -> Result<KnownSums, StoreError> {
        let by_day_and_state = selection.locality.is_none()
            && selection.text.is_none()
            && selection.event_type.is_none();
        if by_day_and_state && self.has_event_sums()? {
            return self.known_sums_by_day(selection);
        }
        let (clause, values) = selection_filter(selection, &SQLITE);
        let sized = "size_low IS NOT NULL AND size_high IS NOT NULL";
        let events = crate::recent::events_sql(
            &self.conn,
            "state, locality, size_low, size_high",
            &clause,
            "",
        )?;
        let sql = format!(
            "SELECT state, locality, count(*), count(CASE WHEN {sized} THEN 1 END),
                    coalesce(sum(CASE WHEN {sized} THEN size_low END), 0),
                    coalesce(sum(CASE WHEN {sized} THEN size_high END), 0)
             FROM ({events}) GROUP BY state, locality"
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

    /// [`Ledger::known_sums`] of a selection by dates and state, from `event_sums`.
    fn known_sums_by_day(&self, selection: &Selection) -> Result<KnownSums, StoreError> {
        let mut clause = String::from("1");
        let mut values: Vec<String> = Vec::new();
        if let Some(from) = selection.from {
            values.push(from.to_string());
            // Undated events ('' sorts first) are outside any date range.
            clause.push_str(&format!(" AND date >= ?{} AND date <> ''", values.len()));
        }
        if let Some(to) = selection.to {
            values.push(to.to_string());
            clause.push_str(&format!(" AND date <= ?{} AND date <> ''", values.len()));
        }
        if let Some(state) = selection.state {
            values.push(state.as_str().to_string());
            clause.push_str(&format!(" AND state = ?{}", values.len()));
        }
        // The rows of the main table, then the recent changes folded in (see
        // `crate::recent`): what each (day, state, locality) holds.
        let read = |table: &str| -> Result<Vec<crate::recent::SumsRow>, StoreError> {
            let sql = format!(
                "SELECT date, state, locality, events, events_with_size, known_low, known_high
                 FROM {table} WHERE {clause}"
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    [row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?],
                ))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        let recent = if crate::recent::tables_exist(&self.conn)? {
            read("event_sums_recent")?
        } else {
            Vec::new()
        };
        let rows = crate::recent::fold_recent_sums(read("event_sums")?, recent);
        let mut sums = KnownSums::default();
        let mut states: HashSet<String> = HashSet::new();
        let mut localities: HashSet<(String, String)> = HashSet::new();
        let overflow = || StoreError::Corrupt {
            what: "event sums of",
            id: "the selection".to_string(),
            reason: "a negative count, or sizes that add up past 2^64 people".to_string(),
        };
        for (_, state, locality, numbers) in rows {
            if !state.is_empty() && !states.contains(&state) {
                states.insert(state.clone());
            }
            if !locality.is_empty() {
                localities.insert((state, locality));
            }
            let add = |total: &mut u64, index: usize| -> Result<(), StoreError> {
                let value = u64::try_from(numbers[index]).map_err(|_| overflow())?;
                *total = total.checked_add(value).ok_or_else(overflow)?;
                Ok(())
            };
            add(&mut sums.events, 0)?;
            add(&mut sums.events_with_size, 1)?;
            add(&mut sums.known_low, 2)?;
            add(&mut sums.known_high, 3)?;
        }
        sums.states = states.len() as u64;
        sums.localities = localities.len() as u64;
        Ok(sums)
    }

    fn has_event_sums(&self) -> Result<bool, StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'event_sums'",
            [],
            |row| row.get(0),
        )?)
    }

    /// One event by id.
    pub fn event(&self, id: &EventId) -> Result<Option<Event>, StoreError> {
        let mut reader = EventReader::new(&self.conn)?;
        let sql = crate::recent::events_sql(&self.conn, reader.columns(), "id = ?1", "")?;
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(params![id.0])?;
        match rows.next()? {
            Some(row) => Ok(Some(reader.read(row)?)),
            None => Ok(None),
        }
    }

    /// The event that holds a report, if any.
    pub fn event_of_report(&self, report: ReportId) -> Result<Option<EventId>, StoreError> {
        // A scan: this is a reviewer's lookup, not a hot path, and keeping a member
        // table would double the writes of every relink.
        let sql = crate::recent::events_sql(
            &self.conn,
            "id",
            "' ' || reports || ' ' LIKE '% ' || ?1 || ' %'",
            "",
        )?;
        Ok(self
            .conn
            .query_row(&sql, params![report.0], |row| row.get::<_, String>(0))
            .optional()?
            .map(EventId))
    }

    /// True when the events carry their report counts (migration 0006; a ledger opened
    /// read-only before that migration does not).
    fn has_report_counts(&self) -> Result<bool, StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*) > 0 FROM pragma_table_info('events') WHERE name = 'report_count'",
            [],
            |row| row.get(0),
        )?)
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

/// The events with these ids, in the order asked; ids with no event are skipped. Each
/// is one lookup of the primary key, so a caller that sorts the ids reads the table in
/// order.
pub(crate) fn events_by_id(conn: &Connection, ids: &[EventId]) -> Result<Vec<Event>, StoreError> {
    let mut reader = EventReader::new(conn)?;
    let mut select = conn.prepare_cached(&crate::recent::events_sql(
        conn,
        reader.columns(),
        "id = ?1",
        "",
    )?)?;
    let mut events = Vec::new();
    for id in ids {
        let mut rows = select.query(params![id.0])?;
        if let Some(row) = rows.next()? {
            events.push(reader.read(row)?);
        }
    }
    Ok(events)
}

/// Deletes every event and writes `events`, inside the caller's transaction, with
/// their per-day sums.
pub(crate) fn write_all_events(conn: &Connection, events: &[Event]) -> Result<(), StoreError> {
    crate::recent::clear_events(conn)?;
    conn.execute("DELETE FROM events", [])?;
    conn.execute("DELETE FROM event_sums", [])?;
    write_update(conn, &[], &in_id_order(events), &mut |_| {})
}

/// Removes `removed` events and writes `upserted` ones (new or changed), inside the
/// caller's transaction: the incremental form of [`write_all_events`].
///
/// An upserted event replaces the row of the same id. A small update goes into the
/// recent tables (see [`crate::recent`]), a large one into the main tables.
pub(crate) fn write_event_update(
    conn: &Connection,
    removed: &[EventId],
    upserted: &[Event],
) -> Result<(), StoreError> {
    write_event_update_some_new(conn, removed, upserted, &[])
}

/// [`write_event_update`] when no stored event has the ids `new` (see
/// `FileWrite::update_events_some_new`): a small update does not look for their old rows.
pub(crate) fn write_event_update_some_new(
    conn: &Connection,
    removed: &[EventId],
    upserted: &[Event],
    new: &[EventId],
) -> Result<(), StoreError> {
    let upserted = in_id_order(upserted);
    if removed.len() + upserted.len() < crate::recent::BULK_UPDATE
        && crate::recent::tables_exist(conn)?
    {
        // An id both removed and new (which a relink never gives) is looked up all the same.
        let removed_ids: FxHashSet<&str> = removed.iter().map(|id| id.0.as_str()).collect();
        let new: FxHashSet<&str> = new
            .iter()
            .map(|id| id.0.as_str())
            .filter(|id| !removed_ids.contains(id))
            .collect();
        return write_recent_update(conn, removed, &upserted, &new);
    }
    crate::recent::merge(conn)?;
    write_update(conn, removed, &upserted, &mut |_| {})
}

/// Writes events held as [`EventRows`] (a file's new events, built a part at a time),
/// inside the caller's transaction, as [`write_event_update`] writes [`Event`]s;
/// `progress` is told how many rows are written as the write goes on.
pub(crate) fn write_event_rows(
    conn: &Connection,
    rows: &EventRows,
    progress: &mut dyn FnMut(u64),
) -> Result<(), StoreError> {
    let ordered = OrderedRows {
        rows,
        order: rows.in_id_order(),
    };
    crate::recent::merge(conn)?;
    write_update(conn, &[], &ordered, progress)
}

/// Events to write, in id order, each id once.
pub(crate) trait EventsToWrite: Sync {
    fn len(&self) -> usize;
    fn id(&self, index: usize) -> &str;
    /// The columns of event `index`; `members` is room for its member list.
    fn columns<'a>(&'a self, index: usize, members: &'a mut String) -> EventColumns<'a>;
    /// What the per-day sums read of event `index`: day, place and range.
    fn sums_of(&self, index: usize) -> (Option<Date>, &Place, Option<(u64, u64)>);
    /// The ids in `places` of the events' places, found or added by `writer`, as
    /// [`EventsToWrite::place_id`] reads them.
    fn place_ids(
        &self,
        conn: &Connection,
        writer: &mut PlaceWriter,
    ) -> Result<Vec<i64>, StoreError>;
    /// The id in `places` of event `index`'s place, from [`EventsToWrite::place_ids`].
    fn place_id(&self, index: usize, ids: &[i64]) -> i64;

    /// The per-day sums of all the events, as changes to `event_sums`.
    fn sums(&self) -> SumsDelta {
        let mut sums = SumsDelta::default();
        sums.add_events((0..self.len()).map(|i| self.sums_of(i)));
        sums
    }
}

impl EventsToWrite for Vec<&Event> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }

    fn id(&self, index: usize) -> &str {
        &self[index].id.0
    }

    fn columns<'a>(&'a self, index: usize, members: &'a mut String) -> EventColumns<'a> {
        let event = self[index];
        members.clear();
        for (i, report) in event.reports.iter().enumerate() {
            if i > 0 {
                members.push(' ');
            }
            write!(members, "{}", report.0).expect("writing to a String cannot fail");
        }
        EventColumns {
            id: &event.id.0,
            date: event.date,
            place: &event.place,
            event_type: event.event_type.as_deref(),
            title: event.title.as_deref(),
            organizers: event.organizers.as_deref(),
            size_low: event.size_low,
            size_high: event.size_high,
            low_from: event.low_from.map(|r| r.0),
            high_from: event.high_from.map(|r| r.0),
            coded_by_rule: event.coded_by_rule,
            members,
            report_count: event.reports.len(),
        }
    }

    fn sums_of(&self, index: usize) -> (Option<Date>, &Place, Option<(u64, u64)>) {
        let event = self[index];
        (
            event.date,
            &event.place,
            event.size_low.zip(event.size_high),
        )
    }

    /// One id per event.
    fn place_ids(
        &self,
        conn: &Connection,
        writer: &mut PlaceWriter,
    ) -> Result<Vec<i64>, StoreError> {
        self.iter().map(|e| writer.id(conn, &e.place)).collect()
    }

    fn place_id(&self, index: usize, ids: &[i64]) -> i64 {
        ids[index]
    }
}

/// Held rows in id order.
pub(crate) struct OrderedRows<'r> {
    pub(crate) rows: &'r EventRows,
    pub(crate) order: Vec<u32>,
}

impl EventsToWrite for OrderedRows<'_> {
    fn len(&self) -> usize {
        self.order.len()
    }

    fn id(&self, index: usize) -> &str {
        self.rows.id(self.order[index] as usize)
    }

    fn columns<'a>(&'a self, index: usize, _members: &'a mut String) -> EventColumns<'a> {
        self.rows.columns(self.order[index] as usize)
    }

    fn sums_of(&self, index: usize) -> (Option<Date>, &Place, Option<(u64, u64)>) {
        let columns = self.rows.columns(self.order[index] as usize);
        (
            columns.date,
            columns.place,
            columns.size_low.zip(columns.size_high),
        )
    }

    /// One id per place the rows hold (a few hundred for a file of a million rows).
    fn place_ids(
        &self,
        conn: &Connection,
        writer: &mut PlaceWriter,
    ) -> Result<Vec<i64>, StoreError> {
        (0..self.rows.place_count())
            .map(|n| writer.id(conn, self.rows.place(n as u32)))
            .collect()
    }

    fn place_id(&self, index: usize, ids: &[i64]) -> i64 {
        ids[self.rows.place_number_of(self.order[index] as usize) as usize]
    }

    /// Grouped first by day and the number of the place, which the rows keep: two
    /// numbers to hash per event, where the events' own places would be three texts.
    fn sums(&self) -> SumsDelta {
        let mut groups: rustc_hash::FxHashMap<(Option<Date>, u32), [i64; 4]> = Default::default();
        for &index in &self.order {
            let (date, place, size) = self.rows.sums_of(index as usize);
            add_one(groups.entry((date, place)).or_default(), size, 1);
        }
        let mut sums = SumsDelta::default();
        sums.add_groups(
            groups
                .into_iter()
                .map(|((date, place), delta)| (date, self.rows.place(place), delta)),
        );
        sums
    }
}

/// One event's columns as the events table stores them, borrowed from wherever the
/// event is held (an [`Event`], or a row of [`EventRows`]).
pub(crate) struct EventColumns<'a> {
    pub(crate) id: &'a str,
    pub(crate) date: Option<Date>,
    pub(crate) place: &'a Place,
    pub(crate) event_type: Option<&'a str>,
    pub(crate) title: Option<&'a str>,
    pub(crate) organizers: Option<&'a str>,
    pub(crate) size_low: Option<u64>,
    pub(crate) size_high: Option<u64>,
    pub(crate) low_from: Option<i64>,
    pub(crate) high_from: Option<i64>,
    pub(crate) coded_by_rule: bool,
    /// The member report ids, space-separated, ascending.
    pub(crate) members: &'a str,
    pub(crate) report_count: usize,
}

/// Removes `removed` events and writes `upserted` ones (in id order, each id once),
/// with their per-day sums, and marks the events current.
fn write_update(
    conn: &Connection,
    removed: &[EventId],
    upserted: &impl EventsToWrite,
    progress: &mut dyn FnMut(u64),
) -> Result<(), StoreError> {
    // The per-day sums lose what the rows being removed or replaced held, and gain the
    // new rows.
    let mut sums = SumsDelta::default();
    let stored = stored_event_count(conn)?;
    // Into an empty table (a first ingest) no id has an old row to look up.
    if stored > 0 {
        let mut old_row = conn.prepare_cached(
            "SELECT date, state, locality, size_low, size_high FROM events WHERE id = ?1",
        )?;
        subtract_old_rows(
            &mut old_row,
            removed,
            upserted,
            &FxHashSet::default(),
            &mut sums,
        )?;
    }
    let mut delete_event = conn.prepare_cached("DELETE FROM events WHERE id = ?1")?;
    for id in removed {
        delete_event.execute(params![id.0])?;
    }
    // Rows go in without a look for one to replace only into a table known empty.
    let fresh = stored == 0
        && conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM events)", [], |row| {
            row.get::<_, bool>(0)
        })?;
    // The new rows' sums are worked out on a thread of their own while this one (the
    // single writer) inserts the rows, when there are many (issue 12: a first ingest).
    // They are also put in key order there, ready to bind: the writer only binds them.
    let new_sums = std::thread::scope(|scope| -> Result<SumsRows, StoreError> {
        let on_the_side = (upserted.len() >= BULK_EVENTS)
            .then(|| {
                std::thread::Builder::new()
                    .name("tally-event-sums".into())
                    .spawn_scoped(scope, || upserted.sums().into_rows())
                    .ok()
            })
            .flatten();
        insert_events(
            conn,
            upserted,
            stored.saturating_sub(removed.len() as u64),
            fresh,
            progress,
        )?;
        Ok(match on_the_side {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => upserted.sums().into_rows(),
        })
    })?;
    if sums.0.is_empty() {
        // Nothing taken away (a first ingest): the new rows are the changes.
        new_sums.write(conn, "event_sums")?;
    } else {
        sums.merge(new_sums.into_delta());
        sums.write(conn, "event_sums")?;
    }
    mark_built(conn)
}

/// Takes from `sums` what the stored rows of the events being removed or replaced held,
/// each id once; `old_row` selects date, state, locality and the low and high size of
/// the event with id `?1` (from `events`, or as every reader sees it).
fn subtract_old_rows(
    old_row: &mut rusqlite::Statement<'_>,
    removed: &[EventId],
    upserted: &impl EventsToWrite,
    new: &FxHashSet<&str>,
    sums: &mut SumsDelta,
) -> Result<(), StoreError> {
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let upserted_ids = (0..upserted.len()).map(|i| upserted.id(i));
    for id in removed.iter().map(|id| id.0.as_str()).chain(upserted_ids) {
        // An id known new has no old row (and is never among `removed`).
        if !seen.insert(id) || new.contains(id) {
            continue;
        }
        let old = old_row
            .query_row(params![id], |row| {
                let date: Option<String> = row.get(0)?;
                let state: Option<String> = row.get(1)?;
                let locality: Option<String> = row.get(2)?;
                let low: Option<i64> = row.get(3)?;
                let high: Option<i64> = row.get(4)?;
                Ok((date, state, locality, low.zip(high)))
            })
            .optional()?;
        if let Some((date, state, locality, size)) = old {
            let key = SumsKey::new(date, state.as_deref(), locality.as_deref());
            let size = size.map(|(l, h)| (l.max(0) as u64, h.max(0) as u64));
            sums.add(key, size, -1);
        }
    }
    Ok(())
}

/// [`write_update`] into the recent tables (see [`crate::recent`]): removed events are
/// marked gone, upserted ones written in place of any row of their id, and the sums'
/// changes appended; then the recent tables are merged if they grew past their share.
fn write_recent_update(
    conn: &Connection,
    removed: &[EventId],
    upserted: &impl EventsToWrite,
    new: &FxHashSet<&str>,
) -> Result<(), StoreError> {
    let mut sums = SumsDelta::default();
    {
        // What the events being removed or replaced held, as every reader sees them.
        let sql = crate::recent::events_sql(
            conn,
            "date, state, locality, size_low, size_high",
            "id = ?1",
            "",
        )?;
        let mut old_row = conn.prepare(&sql)?;
        subtract_old_rows(&mut old_row, removed, upserted, new, &mut sums)?;
    }
    sums.add_events((0..upserted.len()).map(|i| upserted.sums_of(i)));
    let mut gone =
        conn.prepare_cached("INSERT OR REPLACE INTO events_recent (id, present) VALUES (?1, 0)")?;
    for id in removed {
        gone.execute(params![id.0])?;
    }
    insert_event_rows(conn, "events_recent", upserted, false, &mut |_| {})?;
    sums.write(conn, "event_sums_recent")?;
    mark_built(conn)?;
    crate::recent::merge_if_grown(conn, || crate::recent::stored_reports(conn))?;
    Ok(())
}

/// The events by id, the last of any repeated id only (as INSERT OR REPLACE would
/// keep it). In key order, the primary-key tree is appended to rather than split at
/// random.
fn in_id_order(events: &[Event]) -> Vec<&Event> {
    let mut ordered: Vec<&Event> = events.iter().collect();
    // Stable, so that repeated ids stay in the order they were given.
    ordered.sort_by(|a, b| a.id.cmp(&b.id));
    let mut kept: Vec<&Event> = Vec::with_capacity(ordered.len());
    for event in ordered {
        match kept.last_mut() {
            Some(last) if last.id == event.id => *last = event,
            _ => kept.push(event),
        }
    }
    kept
}

/// A row of `event_sums`: day, state and locality, '' when unknown (migration 0006).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct SumsKey {
    date: String,
    state: String,
    locality: String,
}

impl SumsKey {
    /// The locality as migration 0006 keys it: SQLite's `lower(trim(x))` (spaces only,
    /// ASCII letters only), so rows written here and rows backfilled there agree.
    fn new(date: Option<String>, state: Option<&str>, locality: Option<&str>) -> SumsKey {
        SumsKey {
            date: date.unwrap_or_default(),
            state: state.unwrap_or_default().to_string(),
            locality: locality
                .unwrap_or_default()
                .trim_matches(' ')
                .to_ascii_lowercase(),
        }
    }
}

/// Changes to `event_sums`: per key, events, events with a size, low and high sums.
#[derive(Debug, Default)]
pub(crate) struct SumsDelta(rustc_hash::FxHashMap<SumsKey, [i64; 4]>);

impl SumsDelta {
    /// Adds (`sign` 1) or takes away (`sign` -1) one event.
    fn add(&mut self, key: SumsKey, size: Option<(u64, u64)>, sign: i64) {
        let entry = self.0.entry(key).or_default();
        add_one(entry, size, sign);
    }

    /// Adds events, given by their day, place and range: grouped first by their day,
    /// state and locality as the events hold them (no text made per event), then each
    /// group once under its [`SumsKey`].
    fn add_events<'e>(
        &mut self,
        events: impl Iterator<Item = (Option<Date>, &'e Place, Option<(u64, u64)>)>,
    ) {
        self.add_groups(events.map(|(date, place, size)| {
            let mut delta = [0; 4];
            add_one(&mut delta, size, 1);
            (date, place, delta)
        }));
    }

    /// Adds groups of events, each given by its day, place and changes.
    fn add_groups<'e>(
        &mut self,
        groups: impl Iterator<Item = (Option<Date>, &'e Place, [i64; 4])>,
    ) {
        type Borrowed<'e> = (Option<Date>, Option<&'static str>, Option<&'e str>);
        let mut by_key: rustc_hash::FxHashMap<Borrowed<'_>, [i64; 4]> = Default::default();
        for (date, place, delta) in groups {
            let key = (
                date,
                place.best_state().map(|s| s.as_str()),
                place.best_locality(),
            );
            add_delta(by_key.entry(key).or_default(), delta);
        }
        for ((date, state, locality), delta) in by_key {
            let key = SumsKey::new(date.map(|d| d.to_string()), state, locality);
            add_delta(self.0.entry(key).or_default(), delta);
        }
    }

    /// Adds the changes of `other`.
    fn merge(&mut self, other: SumsDelta) {
        if self.0.is_empty() {
            *self = other;
            return;
        }
        for (key, delta) in other.0 {
            add_delta(self.0.entry(key).or_default(), delta);
        }
    }

    /// Applies the changes to `table` (see [`SumsRows::write`]).
    fn write(self, conn: &Connection, table: &str) -> Result<(), StoreError> {
        self.into_rows().write(conn, table)
    }

    /// The changes that are not zero, in key order, ready to write.
    pub(crate) fn into_rows(self) -> SumsRows {
        let mut changes: Vec<(SumsKey, [i64; 4])> =
            self.0.into_iter().filter(|(_, d)| *d != [0; 4]).collect();
        changes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut rows = SumsRows {
            texts: String::with_capacity(changes.iter().map(|(k, _)| k.len()).sum()),
            rows: Vec::with_capacity(changes.len()),
        };
        for (key, delta) in changes {
            let start = rows.texts.len() as u32;
            let mut ends = [0u32; 3];
            for (end, text) in ends.iter_mut().zip([&key.date, &key.state, &key.locality]) {
                rows.texts.push_str(text);
                *end = rows.texts.len() as u32;
            }
            rows.rows.push(SumsRow { start, ends, delta });
        }
        rows
    }
}

impl SumsKey {
    /// The bytes of its three texts.
    fn len(&self) -> usize {
        self.date.len() + self.state.len() + self.locality.len()
    }
}

/// Changes to `event_sums` that are not zero, in key order, their keys' texts in one
/// buffer: worked out beside the single writer, which then only binds them, and let go
/// of as two allocations (issue 12: a first ingest of 300,000 rows writes 112,541 keys,
/// whose sort and three strings each were half of the writer's time on them).
pub(crate) struct SumsRows {
    texts: String,
    rows: Vec<SumsRow>,
}

/// One key of [`SumsRows`]: its day, state and locality end at `ends` in the texts,
/// the first starting at `start`; `delta` are its changes.
struct SumsRow {
    start: u32,
    ends: [u32; 3],
    delta: [i64; 4],
}

impl SumsRows {
    /// Day, state and locality of a row.
    fn key(&self, row: &SumsRow) -> [&str; 3] {
        let [date, state, locality] = row.ends.map(|end| end as usize);
        let start = row.start as usize;
        [
            &self.texts[start..date],
            &self.texts[date..state],
            &self.texts[state..locality],
        ]
    }

    /// Back into changes by key, to be merged with others.
    fn into_delta(self) -> SumsDelta {
        let mut delta = SumsDelta::default();
        for row in &self.rows {
            let [date, state, locality] = self.key(row).map(str::to_string);
            let key = SumsKey {
                date,
                state,
                locality,
            };
            add_delta(delta.0.entry(key).or_default(), row.delta);
        }
        delta
    }

    /// Applies the changes to `table`; a key whose events all went is deleted. Keys are
    /// written in order, so the table's tree is appended to rather than split at random.
    /// Into `event_sums_recent`, the changes are appended as they are (see
    /// [`crate::recent`]).
    pub(crate) fn write(&self, conn: &Connection, table: &str) -> Result<(), StoreError> {
        let recent = table != "event_sums";
        // Many keys at a time (issue 12: a first ingest writes a row per day and place).
        for group in self.rows.chunks(SUMS_PER_UPSERT) {
            let mut upsert = conn.prepare_cached(&sums_upsert_sql(table, group.len()))?;
            for (i, row) in group.iter().enumerate() {
                let first = 1 + i * 7;
                for (at, text) in self.key(row).into_iter().enumerate() {
                    upsert.raw_bind_parameter(first + at, text)?;
                }
                for (at, number) in row.delta.iter().enumerate() {
                    upsert.raw_bind_parameter(first + 3 + at, number)?;
                }
            }
            upsert.raw_execute()?;
        }
        if recent {
            return Ok(());
        }
        let mut emptied = conn.prepare_cached(
            "DELETE FROM event_sums WHERE date = ?1 AND state = ?2 AND locality = ?3 AND events <= 0",
        )?;
        for row in self.rows.iter().filter(|row| row.delta[0] < 0) {
            let [date, state, locality] = self.key(row);
            emptied.execute(params![date, state, locality])?;
        }
        Ok(())
    }
}

/// How many keys of `event_sums` one statement writes.
const SUMS_PER_UPSERT: usize = 64;

/// The statement that adds `rows` rows of changes to `table` (`event_sums`, or appends
/// them to `event_sums_recent`).
fn sums_upsert_sql(table: &str, rows: usize) -> String {
    let mut sql = format!(
        "INSERT INTO {table} (date, state, locality, events, events_with_size, known_low, known_high) VALUES ",
    );
    for i in 0..rows {
        sql.push_str(if i == 0 {
            "(?,?,?,?,?,?,?)"
        } else {
            ",(?,?,?,?,?,?,?)"
        });
    }
    if table != "event_sums" {
        return sql;
    }
    sql.push_str(
        " ON CONFLICT (date, state, locality) DO UPDATE SET
             events = events + excluded.events,
             events_with_size = events_with_size + excluded.events_with_size,
             known_low = known_low + excluded.known_low,
             known_high = known_high + excluded.known_high",
    );
    sql
}

/// Adds the changes `delta` to a row of sums.
fn add_delta(sums: &mut [i64; 4], delta: [i64; 4]) {
    for (total, change) in sums.iter_mut().zip(delta) {
        *total += change;
    }
}

/// Adds (`sign` 1) or takes away (`sign` -1) one event of `size` to a row of sums.
fn add_one(sums: &mut [i64; 4], size: Option<(u64, u64)>, sign: i64) {
    sums[0] += sign;
    if let Some((low, high)) = size {
        sums[1] += sign;
        sums[2] += sign * low as i64;
        sums[3] += sign * high as i64;
    }
}

/// How many events the table holds, from their per-day sums (a few thousand rows, where
/// a count of the events would read a whole index).
pub(crate) fn stored_event_count(conn: &Connection) -> Result<u64, StoreError> {
    let mut count: i64 = conn.query_row(
        "SELECT coalesce(sum(events), 0) FROM event_sums",
        [],
        |row| row.get(0),
    )?;
    if crate::recent::tables_exist(conn)? {
        count += conn.query_row(
            "SELECT coalesce(sum(events), 0) FROM event_sums_recent",
            [],
            |row| row.get::<_, i64>(0),
        )?;
    }
    Ok(count.max(0) as u64)
}

/// Below this many events a write updates the secondary indexes row by row (a few in
/// this crate's own tests, so that they reach both paths cheaply).
const BULK_EVENTS: usize = if cfg!(test) { 50 } else { 20_000 };

/// Writes `events` (in id order, each id once; replacing rows of the same id) into a
/// table that holds about `stored` other rows (none at all when `fresh`).
///
/// A bulk write (at least [`BULK_EVENTS`], and at least as many as the table holds)
/// drops the table's secondary indexes and builds them again afterwards, with the SQL
/// they were created with: rows land in id order in the table's own tree, and each index
/// is built by one sort instead of a random insertion per event (issue 12: about 40% of
/// the write of a first ingest). It all happens in the caller's transaction, so readers
/// and a crash see either the old table with its indexes or the new one with them.
///
/// Returns whether it was a bulk write.
fn insert_events(
    conn: &Connection,
    events: &impl EventsToWrite,
    stored: u64,
    fresh: bool,
    progress: &mut dyn FnMut(u64),
) -> Result<bool, StoreError> {
    let bulk = events.len() >= BULK_EVENTS && events.len() as u64 >= stored;
    let rebuilt_indexes = if bulk {
        drop_event_indexes(conn)?
    } else {
        Vec::new()
    };
    insert_event_rows(conn, "events", events, fresh, progress)?;
    build_indexes(conn, &rebuilt_indexes)?;
    tracing::debug!(events = events.len(), bulk, "events written");
    Ok(bulk)
}

/// Creates the indexes of `sqls` (a table's, dropped for a bulk write) on a table full
/// of rows, each by one sort.
pub(crate) fn build_indexes(conn: &Connection, sqls: &[String]) -> Result<(), StoreError> {
    if !sqls.is_empty() {
        // SQLite sorts an index it builds in memory either way; told to keep temporary
        // data in files, it gathers the rows in one growing buffer instead of an
        // allocation each, and the build takes about a sixth less CPU (measured at a
        // million events). SQLite refuses the change once the transaction has used its
        // temporary database; the build then goes as it is. Set back at once: an ingest
        // keeps its statement journal in memory.
        //
        // SQLite sorts in runs as large as the page cache: with a cache of a few MiB,
        // each run fits the processor's caches and the runs are merged, where one run
        // of the whole table (a bulk load's 32 MiB cache) sorts from main memory. The
        // date index of 300,000 events took half the CPU so (0.13 s against 0.26 s in
        // the `sqlite3` shell; issue 12). The cache is set back after the build.
        let temp_store: i64 = conn.pragma_query_value(None, "temp_store", |row| row.get(0))?;
        let in_files = conn.pragma_update(None, "temp_store", "FILE").is_ok();
        let cache_size: i64 = conn.pragma_query_value(None, "cache_size", |row| row.get(0))?;
        conn.pragma_update(None, "cache_size", INDEX_BUILD_CACHE_KIB)?;
        let built = sqls.iter().try_for_each(|sql| conn.execute_batch(sql));
        conn.pragma_update(None, "cache_size", cache_size)?;
        built?;
        if in_files {
            conn.pragma_update(None, "temp_store", temp_store)?;
        }
        tracing::debug!(in_files, "event indexes built again");
    }
    Ok(())
}

/// The page cache while a bulk write builds the events' indexes again, as
/// `PRAGMA cache_size` gives it (negative: KiB), which sizes SQLite's sorted runs.
const INDEX_BUILD_CACHE_KIB: i64 = -2048;

/// The columns of `events`, in the order [`insert_event_rows`] binds them.
const EVENT_COLUMNS_WRITTEN: &str = "(id, date, state, locality, place, population,
    event_type, title, organizers, size_low, size_high, low_from, high_from, coded_by_rule,
    reports, report_count) VALUES ";
const EVENT_WIDTH: usize = 16;

/// Inserts the rows in multi-row statements (issue 12: a statement per event was a
/// third of the write), telling `progress` how many are written every few thousand.
/// Into an empty table (`fresh`), rows are plainly inserted; otherwise each replaces the
/// row of its id, if any.
fn insert_event_rows(
    conn: &Connection,
    table: &str,
    events: &impl EventsToWrite,
    fresh: bool,
    progress: &mut dyn FnMut(u64),
) -> Result<(), StoreError> {
    // Each place is written once, in `places` (migration 0013); the row names it.
    let place_ids = events.place_ids(conn, &mut PlaceWriter::default())?;
    insert_event_rows_placed(conn, table, events, fresh, &place_ids, progress)
}

/// [`insert_event_rows`] with the ids in `places` of the events' places given, as
/// [`EventsToWrite::place_ids`] gives them (for a table in another database than the
/// ledger's, see [`crate::events_aside`]).
pub(crate) fn insert_event_rows_placed(
    conn: &Connection,
    table: &str,
    events: &impl EventsToWrite,
    fresh: bool,
    place_ids: &[i64],
    progress: &mut dyn FnMut(u64),
) -> Result<(), StoreError> {
    let head = if fresh {
        format!("INSERT INTO {table} {EVENT_COLUMNS_WRITTEN}")
    } else {
        format!("INSERT OR REPLACE INTO {table} {EVENT_COLUMNS_WRITTEN}")
    };
    // Texts made per event are written into buffers kept across events (SQLite copies
    // what is bound).
    let (mut members, mut date) = (String::new(), String::new());
    let positions: Vec<u32> = (0..events.len() as u32).collect();
    let mut written = 0u64;
    insert_many(conn, &head, EVENT_WIDTH, &positions, |stmt, first, &i| {
        let event = events.columns(i as usize, &mut members);
        let place = event.place;
        let population = place.resolved.as_ref().and_then(|r| r.population);
        date.clear();
        if let Some(day) = event.date {
            write!(date, "{day}").expect("writing to a String cannot fail");
        }
        written += 1;
        if written % 4096 == 0 {
            progress(written);
        }
        // Each value bound as its own type (no `dyn ToSql`): 16 a row (issue 12).
        stmt.bind_now(first, event.id)?;
        stmt.bind_now(first + 1, event.date.map(|_| date.as_str()))?;
        stmt.bind_now(first + 2, place.best_state().map(|s| s.as_str()))?;
        stmt.bind_now(first + 3, place.best_locality())?;
        stmt.bind_now(first + 4, events.place_id(i as usize, place_ids))?;
        stmt.bind_now(first + 5, population.map(|p| p as i64))?;
        stmt.bind_now(first + 6, event.event_type)?;
        stmt.bind_now(first + 7, event.title)?;
        stmt.bind_now(first + 8, event.organizers)?;
        stmt.bind_now(first + 9, event.size_low.map(|v| v as i64))?;
        stmt.bind_now(first + 10, event.size_high.map(|v| v as i64))?;
        stmt.bind_now(first + 11, event.low_from)?;
        stmt.bind_now(first + 12, event.high_from)?;
        stmt.bind_now(first + 13, event.coded_by_rule)?;
        // One member, given as its number: the column's TEXT affinity stores it as the
        // same text, and SQLite makes no copy of a bound text for it (issue 12).
        match single_member(&event) {
            Some(member) => stmt.bind_now(first + 14, member)?,
            None => stmt.bind_now(first + 14, event.members)?,
        }
        stmt.bind_now(first + 15, event.report_count as i64)
    })?;
    progress(written);
    Ok(())
}

/// The one member of an event of one report, when its member list is the number as
/// SQLite writes it in a TEXT column (digits, the first not 0): bound as that number,
/// it is stored as the same text.
fn single_member(event: &EventColumns<'_>) -> Option<i64> {
    let first = *event.members.as_bytes().first()?;
    if event.report_count != 1 || !(b'1'..=b'9').contains(&first) {
        return None;
    }
    event.members.parse().ok()
}

/// Drops the secondary indexes of `events`; returns the SQL that creates them again.
fn drop_event_indexes(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let indexes: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY name",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, _) in &indexes {
        conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}

/// Records the last report and decision the events now reflect.
pub(crate) fn mark_built(conn: &Connection) -> Result<(), StoreError> {
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

/// Reads events from rows of [`EventReader::columns`], for one query: the place of an
/// event is its number into `places` (migration 0013), each read once, or in a ledger
/// read before that migration, twelve columns of the row itself.
pub(crate) struct EventReader<'c> {
    conn: &'c Connection,
    /// The events name their places by number (0013).
    numbered: bool,
    places: rustc_hash::FxHashMap<i64, Place>,
}

/// Where the place's columns start in a row of [`EventReader::columns`].
const PLACE_AT: usize = 11;

impl<'c> EventReader<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Result<EventReader<'c>, StoreError> {
        let numbered = conn.query_row(
            "SELECT count(*) > 0 FROM pragma_table_info('events') WHERE name = 'place'",
            [],
            |row| row.get(0),
        )?;
        Ok(EventReader {
            conn,
            numbered,
            places: Default::default(),
        })
    }

    /// The columns to select for [`EventReader::read`].
    pub(crate) fn columns(&self) -> &'static str {
        if self.numbered {
            "id, date, event_type, title, organizers, size_low, size_high, low_from, high_from,
             coded_by_rule, reports, place"
        } else {
            "id, date, event_type, title, organizers, size_low, size_high, low_from, high_from,
             coded_by_rule, reports, place_raw, place_locality, place_state, online,
             resolved_state, resolved_locality, county, fips, lat, lon, population, confidence"
        }
    }

    /// Rebuilds an [`Event`] from a row of [`EventReader::columns`].
    pub(crate) fn read(&mut self, row: &Row<'_>) -> Result<Event, StoreError> {
        let id: String = row.get(0)?;
        let corrupt = |reason: String| StoreError::Corrupt {
            what: "event",
            id: id.clone(),
            reason,
        };
        let place = if self.numbered {
            let number: i64 = row.get(PLACE_AT)?;
            match self.places.get(&number) {
                Some(place) => place.clone(),
                None => {
                    let sql = format!("SELECT {PLACE_COLUMNS} FROM places WHERE id = ?1");
                    let mut select = self.conn.prepare_cached(&sql)?;
                    let place = select
                        .query_row(params![number], |row| place_from(row, 0))
                        .optional()?
                        .ok_or_else(|| corrupt(format!("its place {number} is missing")))?
                        .map_err(&corrupt)?;
                    self.places.insert(number, place.clone());
                    place
                }
            }
        } else {
            place_from(row, PLACE_AT)?.map_err(&corrupt)?
        };
        let date = row
            .get::<_, Option<String>>(1)?
            .map(|d| {
                d.parse::<Date>()
                    .map_err(|e| corrupt(format!("date {d:?}: {e}")))
            })
            .transpose()?;
        let members: String = row.get(10)?;
        let reports = parse_report_list(&members).map_err(&corrupt)?;
        Ok(Event {
            id: EventId(id.clone()),
            date,
            place,
            event_type: row.get(2)?,
            title: row.get(3)?,
            organizers: row.get(4)?,
            reports,
            size_low: row.get::<_, Option<i64>>(5)?.map(|v| v as u64),
            size_high: row.get::<_, Option<i64>>(6)?.map(|v| v as u64),
            low_from: row.get::<_, Option<i64>>(7)?.map(ReportId),
            high_from: row.get::<_, Option<i64>>(8)?.map(ReportId),
            coded_by_rule: row.get(9)?,
        })
    }
}

/// A place from the twelve columns of [`PLACE_COLUMNS`] starting at `first` (the order
/// `crate::compact::read_place` reads them in). The outer
/// result is SQLite's; the inner one says which value does not decode.
fn place_from(row: &Row<'_>, first: usize) -> rusqlite::Result<Result<Place, String>> {
    let text = |at: usize| row.get::<_, Option<String>>(first + at);
    let state = |text: Option<String>| -> Result<Option<StateCode>, String> {
        text.map(|s| s.parse::<StateCode>().map_err(|e| e.to_string()))
            .transpose()
    };
    let resolved_state = match state(text(4)?) {
        Ok(state) => state,
        Err(reason) => return Ok(Err(reason)),
    };
    let resolved = match resolved_state {
        Some(state) => {
            let fips = match text(7)?.map(|f| Fips::parse(&f)).transpose() {
                Ok(fips) => fips,
                Err(e) => return Ok(Err(e.to_string())),
            };
            Some(ResolvedPlace {
                locality: text(5)?,
                county: text(6)?,
                fips,
                state,
                lat: row.get(first + 8)?,
                lon: row.get(first + 9)?,
                population: row.get::<_, Option<i64>>(first + 10)?.map(|p| p as u64),
                confidence: parse_confidence(text(11)?.as_deref()),
            })
        }
        None => None,
    };
    let state = match state(text(2)?) {
        Ok(state) => state,
        Err(reason) => return Ok(Err(reason)),
    };
    Ok(Ok(Place {
        raw: row.get(first)?,
        locality: text(1)?,
        state,
        online: row.get(first + 3)?,
        resolved,
    }))
}

/// Migration 0013's step: fills the new events tables from the old ones, each event's
/// place (its twelve columns) given by its number in `places`. Each distinct place is
/// found there by its key (every place an ingest linked is a report's) or added, then
/// the rows are copied with their place's number, in id order.
pub(crate) fn convert_to_places_by_number(conn: &Connection) -> Result<(), StoreError> {
    let rest = "event_type, title, organizers, size_low, size_high, low_from, high_from,
        coded_by_rule, reports, report_count";
    // A ledger whose record of migrations was rewritten may hold the new shape already.
    if EventReader::new(conn)?.numbered {
        conn.execute_batch(&format!(
            "INSERT INTO events_by_place (id, date, state, locality, place, population, {rest})
             SELECT id, date, state, locality, place, population, {rest}
             FROM events ORDER BY id;
             INSERT INTO events_recent_by_place (id, present, date, state, locality, place,
                 population, {rest})
             SELECT id, present, date, state, locality, place, population, {rest}
             FROM events_recent ORDER BY rowid;"
        ))?;
        return Ok(());
    }
    let old_columns = "place_raw, place_locality, place_state, online, resolved_state,
        resolved_locality, county, fips, lat, lon, population, confidence";
    conn.execute_batch(
        "CREATE TEMP TABLE place_numbers (raw, locality, state, online, resolved_state,
             resolved_locality, county, fips, lat, lon, population, confidence, place)",
    )?;
    let mut writer = PlaceWriter::default();
    {
        let mut distinct = conn.prepare(&format!(
            "SELECT {old_columns} FROM events
             UNION SELECT {old_columns} FROM events_recent WHERE present"
        ))?;
        let mut insert = conn.prepare(
            "INSERT INTO temp.place_numbers
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        let mut rows = distinct.query([])?;
        while let Some(row) = rows.next()? {
            let place = place_from(row, 0)?.map_err(|reason| StoreError::Corrupt {
                what: "event place",
                id: row.get::<_, String>(0).unwrap_or_default(),
                reason,
            })?;
            let number = writer.id(conn, &place)?;
            let mut values: Vec<rusqlite::types::Value> =
                (0..12).map(|i| row.get(i)).collect::<Result<_, _>>()?;
            values.push(number.into());
            insert.execute(rusqlite::params_from_iter(values))?;
        }
    }
    conn.execute_batch("CREATE INDEX temp.place_numbers_by_raw ON place_numbers (raw)")?;
    // The same values, compared as stored (`IS`: NULL matches NULL).
    let number_of = |e: &str| {
        format!(
            "(SELECT n.place FROM temp.place_numbers n WHERE n.raw = {e}.place_raw
                AND n.locality IS {e}.place_locality AND n.state IS {e}.place_state
                AND n.online IS {e}.online AND n.resolved_state IS {e}.resolved_state
                AND n.resolved_locality IS {e}.resolved_locality AND n.county IS {e}.county
                AND n.fips IS {e}.fips AND n.lat IS {e}.lat AND n.lon IS {e}.lon
                AND n.population IS {e}.population AND n.confidence IS {e}.confidence
             LIMIT 1)"
        )
    };
    conn.execute_batch(&format!(
        "INSERT INTO events_by_place (id, date, state, locality, place, population, {rest})
         SELECT e.id, e.date, e.state, e.locality, {}, e.population, {rest}
         FROM events e ORDER BY e.id;
         INSERT INTO events_recent_by_place (id, present, date, state, locality, place,
             population, {rest})
         SELECT e.id, e.present, e.date, e.state, e.locality,
             CASE WHEN e.present THEN {} END, e.population, {rest}
         FROM events_recent e ORDER BY e.rowid;
         DROP TABLE temp.place_numbers;",
        number_of("e"),
        number_of("e")
    ))?;
    Ok(())
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

/// An event's stored member list (report ids separated by spaces), as both backends
/// keep it; the error names what failed to parse.
pub(crate) fn parse_report_list(members: &str) -> Result<Vec<ReportId>, String> {
    members
        .split(' ')
        .filter(|m| !m.is_empty())
        .map(|m| {
            m.parse::<i64>()
                .map(ReportId)
                .map_err(|e| format!("report list: {e}"))
        })
        .collect()
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

/// How one backend's SQL spells the parts of a selection filter that differ between
/// dialects; [`selection_filter`] writes the filter itself once for both.
pub(crate) struct SqlDialect {
    /// The literal "true" the clause starts from.
    pub always: &'static str,
    /// The `n`th (1-based) placeholder.
    pub placeholder: fn(usize) -> String,
    /// A text expression in (ASCII) lower case.
    pub lower: fn(&str) -> String,
    /// True when `column` equals `value` without regard to (ASCII) case.
    pub equals_folded: fn(&str, &str) -> String,
    /// True when `needle` occurs in `haystack`.
    pub contains: fn(&str, &str) -> String,
}

/// SQLite's spelling of a selection filter.
const SQLITE: SqlDialect = SqlDialect {
    always: "1",
    placeholder: |n| format!("?{n}"),
    lower: |sql| format!("lower({sql})"),
    equals_folded: |column, value| format!("{column} = {value} COLLATE NOCASE"),
    contains: |haystack, needle| format!("instr({haystack}, {needle}) > 0"),
};

/// The placeholder of the value being bound, in [`selection_filter`]'s clauses.
const VALUE: &str = "\u{1}";

/// A selection as SQL: a superset of what [`Selection::matches`] accepts (the text
/// match is a case-insensitive substring over title, organizers and type, as there).
/// The same terms on every backend, spelled in `dialect`.
pub(crate) fn selection_filter(
    selection: &Selection,
    dialect: &SqlDialect,
) -> (String, Vec<String>) {
    let mut clause = String::from(dialect.always);
    let mut values: Vec<String> = Vec::new();
    let mut bind = |clause: &mut String, sql: String, value: String| {
        values.push(value);
        clause.push_str(&sql.replace(VALUE, &(dialect.placeholder)(values.len())));
    };
    if let Some(from) = selection.from {
        bind(
            &mut clause,
            format!(" AND date >= {VALUE}"),
            from.to_string(),
        );
    }
    if let Some(to) = selection.to {
        bind(&mut clause, format!(" AND date <= {VALUE}"), to.to_string());
    }
    if let Some(state) = selection.state {
        bind(
            &mut clause,
            format!(" AND state = {VALUE}"),
            state.as_str().to_string(),
        );
    }
    if let Some(locality) = &selection.locality {
        let sql = format!(" AND {}", (dialect.equals_folded)("locality", VALUE));
        bind(&mut clause, sql, locality.trim().to_string());
    }
    let contains_value = |column: &str| (dialect.contains)(&(dialect.lower)(column), VALUE);
    if let Some(event_type) = &selection.event_type {
        // Most reports (articles, statements) carry no type: their title names it
        // ("military parade"), as `Selection::matches` reads it too.
        let sql = format!(
            " AND ({} = {VALUE} OR (event_type IS NULL AND {}))",
            (dialect.lower)("event_type"),
            contains_value("coalesce(title, '')")
        );
        bind(&mut clause, sql, event_type.trim().to_lowercase());
    }
    if let Some(text) = &selection.text {
        let sql = format!(
            " AND ({} OR {} OR {})",
            contains_value("coalesce(title, '')"),
            contains_value("coalesce(organizers, '')"),
            contains_value("coalesce(event_type, '')")
        );
        bind(&mut clause, sql, text.to_lowercase());
    }
    (clause, values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FileReceipt;
    use std::collections::BTreeMap;

    fn event(n: usize) -> Event {
        let city = ["Austin", "Boise", "Tulsa"][n % 3];
        let state = ["TX", "ID", "OK"][n % 3];
        Event {
            id: EventId(format!("ev-{n:05}")),
            date: Some(format!("2025-06-{:02}", 1 + n % 28).parse().unwrap()),
            place: Place::from_parts(Some(city), Some(state.parse().unwrap())),
            event_type: Some("protest".into()),
            title: None,
            organizers: None,
            reports: vec![ReportId(n as i64 + 1)],
            size_low: (n % 4 != 0).then_some(100 + n as u64),
            size_high: (n % 4 != 0).then_some(200 + n as u64),
            low_from: None,
            high_from: None,
            coded_by_rule: false,
        }
    }

    /// The events' indexes as SQLite lists them: name and SQL.
    fn indexes(ledger: &Ledger) -> Vec<(String, String)> {
        ledger
            .conn
            .prepare(
                "SELECT name, sql FROM sqlite_master
                 WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY name",
            )
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// Events per day and state, read through the date index.
    fn by_date_and_state(ledger: &Ledger) -> Vec<(String, String, i64)> {
        ledger
            .conn
            .prepare(
                "SELECT date, state, count(*) FROM events INDEXED BY events_by_date
                 WHERE state IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
            )
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn counted_by_hand(events: &[Event]) -> Vec<(String, String, i64)> {
        let mut counts: BTreeMap<(String, String), i64> = BTreeMap::new();
        for e in events {
            let state = e.place.best_state().unwrap().as_str().to_string();
            *counts
                .entry((e.date.unwrap().to_string(), state))
                .or_default() += 1;
        }
        counts.into_iter().map(|((d, s), n)| (d, s, n)).collect()
    }

    fn update(ledger: &mut Ledger, name: &str, removed: &[EventId], upserted: &[Event]) {
        let receipt = FileReceipt {
            origin: name.into(),
            content_hash: format!("hash-of-{name}"),
            format: "dataset".into(),
            encoding: "utf-8".into(),
            received_at: "2025-06-20T00:00:00Z".parse().unwrap(),
        };
        let tx = ledger.begin_ingest(&receipt).unwrap();
        tx.update_events(removed, upserted).unwrap();
        tx.commit(0, 0).unwrap();
    }

    /// What a slim row says, owned.
    type OwnedSlim = (
        Option<tally_model::Date>,
        Option<StateCode>,
        Option<String>,
        Option<u64>,
        u32,
        Option<String>,
        Option<u64>,
        Option<u64>,
    );

    fn collector(into: &mut Vec<OwnedSlim>) -> impl FnMut(SlimEvent<'_>) + Send + '_ {
        move |e| {
            into.push((
                e.date,
                e.state,
                e.locality.map(str::to_string),
                e.population,
                e.reports,
                e.event_type.map(str::to_string),
                e.size_low,
                e.size_high,
            ))
        }
    }

    /// Events whose ids spread over the first two hex digits, as hashed ids do.
    fn spread_events(range: std::ops::Range<usize>) -> Vec<Event> {
        range
            .map(|n| Event {
                id: EventId(format!("ev-{:02x}{n:06}", (n * 37) % 256)),
                ..event(n)
            })
            .collect()
    }

    /// Issue 12: a large ledger's slim rows are read in parts on as many connections
    /// at once, and the parts in order are the rows of one scan, for any selection.
    #[test]
    fn issue_12_slim_rows_read_in_parts_are_the_rows_of_one_scan() {
        let empty = Ledger::open_in_memory().unwrap();
        assert_eq!(empty.id_ranges(2).unwrap(), Vec::new());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parts.db");
        let mut writer = Ledger::open(&path).unwrap();
        update(&mut writer, "a.csv", &[], &spread_events(0..300));
        // Changes kept apart (crate::recent): an event removed, two changed, two new;
        // the parts read them too, each in its range, in the order of a merged ledger.
        let mut changed = spread_events(10..12);
        for event in &mut changed {
            event.size_high = event.size_high.map(|h| h + 5);
        }
        changed.extend(spread_events(300..302));
        let removed = spread_events(20..21).remove(0).id;
        update(&mut writer, "b.csv", &[removed], &changed);
        assert_eq!(recent_events(&writer), 5);
        let reader = Ledger::open_read_only(&path).unwrap();
        let texas = Selection {
            state: Some("TX".parse().unwrap()),
            ..Selection::default()
        };
        let june = Selection {
            from: Some("2025-06-03".parse().unwrap()),
            ..Selection::default()
        };
        for selection in [Selection::default(), texas, june] {
            let mut whole = Vec::new();
            let passed = reader
                .for_each_slim_event(&selection, collector(&mut whole))
                .unwrap();
            assert_eq!(passed, whole.len());
            assert!(whole.len() > 50, "{selection:?}");
            for parts in 1..=3 {
                let mut got = vec![Vec::new(); parts];
                let passed = {
                    let mut each: Vec<_> = got.iter_mut().map(collector).collect();
                    let mut sinks: Vec<&mut (dyn FnMut(SlimEvent<'_>) + Send)> = each
                        .iter_mut()
                        .map(|f| f as &mut (dyn FnMut(SlimEvent<'_>) + Send))
                        .collect();
                    reader
                        .for_each_slim_event_in_parts(&selection, &mut sinks)
                        .unwrap()
                };
                assert_eq!(passed, whole.len());
                // Every part read something, except by date (read in date order).
                let split = selection.from.is_none() && parts > 1;
                assert_eq!(
                    got.iter().all(|part| !part.is_empty()),
                    split || parts == 1,
                    "{selection:?} in {parts} parts"
                );
                assert_eq!(got.concat(), whole, "{selection:?} in {parts} parts");
                assert!(reader.conn.is_autocommit(), "the read transaction ended");
            }
        }
        // Merged into the main table, the same rows in the same order.
        let selections = [
            Selection::default(),
            Selection {
                state: Some("TX".parse().unwrap()),
                ..Selection::default()
            },
            Selection {
                from: Some("2025-06-03".parse().unwrap()),
                ..Selection::default()
            },
        ];
        let scan = |ledger: &Ledger, selection: &Selection| {
            let mut rows = Vec::new();
            ledger
                .for_each_slim_event(selection, collector(&mut rows))
                .unwrap();
            rows
        };
        let kept_apart: Vec<_> = selections.iter().map(|s| scan(&reader, s)).collect();
        drop(reader);
        assert_eq!(writer.merge_recent_changes().unwrap(), 5);
        let merged = Ledger::open_read_only(&path).unwrap();
        let after: Vec<_> = selections.iter().map(|s| scan(&merged, s)).collect();
        assert_eq!(after, kept_apart);
    }

    /// Issue 12: the connections of a read in parts start on one snapshot of the
    /// ledger, or not at all when a write is committed while they start.
    #[test]
    fn issue_12_readers_in_parts_share_one_snapshot_or_give_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("snapshot.db");
        let mut writer = Ledger::open(&path).unwrap();
        update(&mut writer, "a.csv", &[], &spread_events(0..40));
        let reader = Ledger::open_read_only(&path).unwrap();
        let count = |conn: &Connection| -> i64 {
            conn.query_row("SELECT count(*) FROM events", [], |row| row.get(0))
                .unwrap()
        };

        let others = reader
            .begin_same_snapshot(2, || {})
            .unwrap()
            .expect("no write");
        // A write committed now is seen by none of them until they end.
        update(&mut writer, "b.csv", &[], &spread_events(40..50));
        assert_eq!(count(&reader.conn), 40);
        for conn in &others {
            assert_eq!(count(conn), 40);
        }
        drop(others);
        reader.conn.execute_batch("COMMIT").unwrap();
        assert_eq!(count(&reader.conn), 50);

        // A write committed while they start: no shared snapshot, nothing left open.
        let none = reader
            .begin_same_snapshot(1, || {
                update(&mut writer, "c.csv", &[], &spread_events(50..60));
            })
            .unwrap();
        assert!(none.is_none());
        assert!(reader.conn.is_autocommit());
        assert_eq!(count(&reader.conn), 60);
        // A ledger in memory has no file for a second reader.
        let memory = Ledger::open_in_memory().unwrap();
        assert!(memory.begin_same_snapshot(1, || {}).unwrap().is_none());
    }

    /// Issue 12: a bulk write builds the secondary indexes again with the SQL they were
    /// made with, and they answer as indexes kept row by row do; a small write keeps them.
    #[test]
    fn issue_12_a_bulk_write_rebuilds_the_event_indexes_as_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::open(&dir.path().join("bulk.db")).unwrap();
        let created = indexes(&ledger);
        assert_eq!(created.len(), 1, "{created:?}");

        let first: Vec<Event> = (0..BULK_EVENTS * 2).map(event).collect();
        let small: Vec<Event> = (BULK_EVENTS * 2..BULK_EVENTS * 2 + 5).map(event).collect();
        {
            let tx = ledger.conn.unchecked_transaction().unwrap();
            let bulk = insert_events(&tx, &first.iter().collect::<Vec<_>>(), 0, true, &mut |_| {})
                .unwrap();
            assert!(bulk, "a first write of many events is a bulk one");
            let stored = first.len() as u64;
            let bulk = insert_events(
                &tx,
                &small.iter().collect::<Vec<_>>(),
                stored,
                false,
                &mut |_| {},
            )
            .unwrap();
            assert!(!bulk, "a few events into many are written row by row");
            // Nothing kept: the rest goes through the ledger's own writes.
        }
        assert_eq!(indexes(&ledger), created);

        // Through the ledger: a bulk first write, then a small update.
        update(&mut ledger, "a.csv", &[], &first);
        assert_eq!(indexes(&ledger), created);
        update(&mut ledger, "b.csv", &[EventId("ev-00000".into())], &small);
        // The small update is kept apart (crate::recent) until merged; merged, the main
        // table and its index hold it.
        assert_eq!(ledger.merge_recent_changes().unwrap(), 6);
        let expected: Vec<Event> = first[1..].iter().chain(&small).cloned().collect();
        assert_eq!(by_date_and_state(&ledger), counted_by_hand(&expected));
        let check: String = ledger
            .conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        assert_eq!(
            stored_event_count(&ledger.conn).unwrap(),
            expected.len() as u64
        );

        // A full replace is a bulk write too, and reads back the same events.
        ledger.replace_events(&expected).unwrap();
        assert_eq!(indexes(&ledger), created);
        assert_eq!(by_date_and_state(&ledger), counted_by_hand(&expected));
        let sample = &expected[7];
        assert_eq!(ledger.event(&sample.id).unwrap().as_ref(), Some(sample));
    }

    /// Issue 12: an event of one report has its member bound as a number, which the
    /// column stores as the text it stood for; lists of several stay as they were.
    #[test]
    fn issue_12_one_member_bound_as_a_number_is_stored_as_its_text() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::open(&dir.path().join("members.db")).unwrap();
        let mut events: Vec<Event> = (0..BULK_EVENTS * 2).map(event).collect();
        events[3].reports = vec![ReportId(7), ReportId(12)];
        events[4].reports = vec![ReportId(9_007_199_254_740_993)];
        ledger.replace_events(&events).unwrap();
        let stored: Vec<(String, String, String)> = ledger
            .conn
            .prepare("SELECT id, typeof(reports), reports FROM events ORDER BY id")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expected: Vec<(String, String, String)> = events
            .iter()
            .map(|e| {
                let members: Vec<String> = e.reports.iter().map(|r| r.0.to_string()).collect();
                (e.id.0.clone(), "text".to_string(), members.join(" "))
            })
            .collect();
        assert_eq!(stored, expected);
        assert_eq!(stored[4].2, "9007199254740993");
        assert_eq!(
            ledger.event(&events[3].id).unwrap().as_ref(),
            Some(&events[3])
        );
    }

    fn recent_events(ledger: &Ledger) -> i64 {
        ledger
            .conn
            .query_row("SELECT count(*) FROM events_recent", [], |row| row.get(0))
            .unwrap()
    }

    /// Issue 12: a small update told which of its events are new to the ledger (a
    /// relink's events that its touched blocks did not hold) writes the same events and
    /// sums as one that looks for every old row.
    #[test]
    fn issue_12_events_known_new_are_written_as_any_others() {
        let write = |new_known: bool| {
            let mut ledger = Ledger::open_in_memory().unwrap();
            let first: Vec<Event> = (0..20).map(event).collect();
            update(&mut ledger, "first.csv", &[], &first);
            let mut changed = first[3].clone();
            changed.size_low = Some(5);
            changed.size_high = Some(7);
            let added = [event(40), event(41)];
            let upserted = [changed, added[0].clone(), added[1].clone()];
            let removed = [first[5].id.clone()];
            let receipt = FileReceipt {
                origin: "small.csv".into(),
                content_hash: "hash-of-small".into(),
                format: "dataset".into(),
                encoding: "utf-8".into(),
                received_at: "2025-06-20T00:00:00Z".parse().unwrap(),
            };
            let tx = ledger.begin_ingest(&receipt).unwrap();
            let new: Vec<EventId> = if new_known {
                added.iter().map(|e| e.id.clone()).collect()
            } else {
                Vec::new()
            };
            tx.update_events_some_new(&removed, &upserted, &new)
                .unwrap();
            tx.commit(0, 0).unwrap();
            assert!(recent_events(&ledger) > 0, "kept apart");
            let mut stored = ledger.events_in_any_order(&Selection::default()).unwrap();
            stored.sort_by(|a, b| a.id.cmp(&b.id));
            let sums = ledger.known_sums(&Selection::default()).unwrap();
            ledger.merge_recent_changes().unwrap();
            (stored, sums, by_date_and_state(&ledger))
        };
        let (events, sums, by_day) = write(true);
        assert_eq!((events.clone(), sums, by_day.clone()), write(false));
        assert_eq!(events.len(), 21);
        assert_eq!(sums.events, 21);
        assert_eq!(by_day, counted_by_hand(&events));
    }

    /// Issue 12 (additions cost what they add): small updates are kept apart until they
    /// outgrow their share of the events, and the update that makes them outgrow it
    /// merges them by itself; readers see the same events and sums all along.
    #[test]
    fn issue_12_small_updates_are_merged_once_they_outgrow_their_share() {
        let mut ledger = Ledger::open_in_memory().unwrap();
        let mut expected: BTreeMap<String, Event> = BTreeMap::new();
        let first: Vec<Event> = (0..60).map(event).collect();
        update(&mut ledger, "first.csv", &[], &first);
        expected.extend(first.into_iter().map(|e| (e.id.0.clone(), e)));
        assert_eq!(recent_events(&ledger), 0, "the first write is a main one");
        let mut kept_apart = Vec::new();
        for round in 0..6usize {
            // One event changed, one removed, one new, per round.
            let mut changed = expected.values().nth(round * 3).unwrap().clone();
            changed.size_high = changed.size_high.map(|h| h + 1);
            let removed = EventId(expected.keys().nth(round * 3 + 1).unwrap().clone());
            let new = event(100 + round);
            update(
                &mut ledger,
                &format!("round-{round}.csv"),
                std::slice::from_ref(&removed),
                &[changed.clone(), new.clone()],
            );
            expected.remove(&removed.0);
            expected.insert(changed.id.0.clone(), changed);
            expected.insert(new.id.0.clone(), new);
            kept_apart.push(recent_events(&ledger));
            let all: Vec<Event> = expected.values().cloned().collect();
            let mut stored = ledger.events_in_any_order(&Selection::default()).unwrap();
            stored.sort_by(|a, b| a.id.cmp(&b.id));
            assert_eq!(stored, all, "round {round}");
            assert_eq!(
                ledger.known_sums(&Selection::default()).unwrap().known_high,
                all.iter()
                    .filter_map(|e| e.size_low.and(e.size_high))
                    .sum::<u64>(),
                "round {round}"
            );
            assert_eq!(stored_event_count(&ledger.conn).unwrap(), all.len() as u64);
        }
        // Three recent rows a round; merged when more than eight (RECENT_AT_LEAST in
        // tests) are kept: in the third round.
        assert_eq!(kept_apart, vec![3, 6, 0, 3, 6, 0]);
        ledger.merge_recent_changes().unwrap();
        assert_eq!(
            by_date_and_state(&ledger),
            counted_by_hand(&expected.into_values().collect::<Vec<_>>())
        );
    }

    /// Issue 12: the recent tables' share is of the ledger's reports (the highest report
    /// id, a lookup), not of its stored events (a sum over every per-day row): a ledger
    /// of 320 reports keeps up to 10 events apart (320 / 32), where its 60 events would
    /// have allowed the least share (8) only.
    #[test]
    fn issue_12_the_recent_tables_share_is_of_the_ledgers_reports() {
        use tally_model::{Report, Source, SourceId, SourceKind};
        let mut ledger = Ledger::open_in_memory().unwrap();
        let at: tally_model::Timestamp = "2025-06-20T00:00:00Z".parse().unwrap();
        let receipt = FileReceipt {
            origin: "reports.csv".into(),
            content_hash: "hash-of-reports.csv".into(),
            format: "dataset".into(),
            encoding: "utf-8".into(),
            received_at: at,
        };
        let mut tx = ledger.begin_ingest(&receipt).unwrap();
        for n in 0..320 {
            let source = Source {
                id: SourceId(format!("{n:064x}")),
                kind: SourceKind::DatasetRow,
                origin: "reports.csv".into(),
                locator: Some(format!("line {}", n + 2)),
                content: format!("2025-06-01,Austin,TX,{n}"),
                received_at: at,
            };
            let report = Report::new(
                source.id.clone(),
                Place::from_parts(Some("Austin"), Some("TX".parse().unwrap())),
                at,
            );
            tx.add(&source, &[report]).unwrap();
        }
        tx.commit(320, 0).unwrap();
        assert_eq!(crate::recent::stored_reports(&ledger.conn).unwrap(), 320);
        let first: Vec<Event> = (0..60).map(event).collect();
        update(&mut ledger, "first.csv", &[], &first);
        assert_eq!(recent_events(&ledger), 0, "the first write is a main one");
        let mut kept_apart = Vec::new();
        for round in 0..5usize {
            let new: Vec<Event> = (0..3).map(|i| event(100 + round * 3 + i)).collect();
            update(&mut ledger, &format!("round-{round}.csv"), &[], &new);
            kept_apart.push(recent_events(&ledger));
        }
        assert_eq!(kept_apart, vec![3, 6, 9, 0, 3]);
        assert_eq!(stored_event_count(&ledger.conn).unwrap(), 75);
    }
}
