//! The derived events on PostgreSQL: written after linking (whole, or as an update) in
//! batches of arrays, read by selection with the same filters as the SQLite backend.

use crate::error::StoreError;
use crate::events::{
    parse_confidence, parse_date, parse_report_list, selection_filter, KnownSums, SqlDialect,
};
use postgres::types::ToSql;
use postgres::GenericClient;
use rustc_hash::FxHashSet;
use std::collections::HashSet;
use tally_model::{Event, EventId, Fips, Place, ReportId, ResolvedPlace, Selection, StateCode};

const EVENT_COLUMNS: &str = "id, date, place_raw, place_locality, place_state, online, resolved_state,
    resolved_locality, county, fips, lat, lon, population, confidence, event_type, title, organizers,
    size_low, size_high, low_from, high_from, coded_by_rule, reports";

/// Events written per statement: each is one array per column.
const BATCH: usize = 5000;

/// Deletes every event and writes `events`, inside the caller's transaction.
pub(crate) fn write_all_events(
    conn: &mut impl GenericClient,
    events: &[Event],
) -> Result<(), StoreError> {
    conn.execute("DELETE FROM events", &[])?;
    insert_events(conn, events)?;
    mark_built(conn)
}

/// Removes `removed` events and writes `upserted` ones (new or changed), inside the
/// caller's transaction. An upserted event replaces the row of the same id.
pub(crate) fn write_event_update(
    conn: &mut impl GenericClient,
    removed: &[EventId],
    upserted: &[Event],
) -> Result<(), StoreError> {
    let gone: Vec<&str> = removed
        .iter()
        .chain(upserted.iter().map(|e| &e.id))
        .map(|id| id.0.as_str())
        .collect();
    for chunk in gone.chunks(BATCH) {
        conn.execute("DELETE FROM events WHERE id = ANY($1)", &[&chunk])?;
    }
    insert_events(conn, upserted)?;
    mark_built(conn)
}

fn insert_events(conn: &mut impl GenericClient, events: &[Event]) -> Result<(), StoreError> {
    let mut ordered: Vec<&Event> = events.iter().collect();
    ordered.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    for chunk in ordered.chunks(BATCH) {
        let mut columns = EventArrays::default();
        for event in chunk {
            columns.push(event);
        }
        let c = &columns;
        let params: [&(dyn ToSql + Sync); 25] = [
            &c.id,
            &c.date,
            &c.state,
            &c.locality,
            &c.place_raw,
            &c.place_locality,
            &c.place_state,
            &c.online,
            &c.resolved_state,
            &c.resolved_locality,
            &c.county,
            &c.fips,
            &c.lat,
            &c.lon,
            &c.population,
            &c.confidence,
            &c.event_type,
            &c.title,
            &c.organizers,
            &c.size_low,
            &c.size_high,
            &c.low_from,
            &c.high_from,
            &c.coded_by_rule,
            &c.reports,
        ];
        conn.execute(
            "INSERT INTO events (id, date, state, locality, place_raw, place_locality, place_state,
                                 online, resolved_state, resolved_locality, county, fips, lat, lon,
                                 population, confidence, event_type, title, organizers, size_low,
                                 size_high, low_from, high_from, coded_by_rule, reports)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                                  $6::text[], $7::text[], $8::bool[], $9::text[], $10::text[],
                                  $11::text[], $12::text[], $13::float8[], $14::float8[],
                                  $15::int8[], $16::text[], $17::text[], $18::text[], $19::text[],
                                  $20::int8[], $21::int8[], $22::int8[], $23::int8[], $24::bool[],
                                  $25::text[])",
            &params,
        )?;
    }
    Ok(())
}

/// One array per column of a batch of events.
#[derive(Default)]
struct EventArrays {
    id: Vec<String>,
    date: Vec<Option<String>>,
    state: Vec<Option<&'static str>>,
    locality: Vec<Option<String>>,
    place_raw: Vec<String>,
    place_locality: Vec<Option<String>>,
    place_state: Vec<Option<&'static str>>,
    online: Vec<bool>,
    resolved_state: Vec<Option<&'static str>>,
    resolved_locality: Vec<Option<String>>,
    county: Vec<Option<String>>,
    fips: Vec<Option<String>>,
    lat: Vec<Option<f64>>,
    lon: Vec<Option<f64>>,
    population: Vec<Option<i64>>,
    confidence: Vec<Option<&'static str>>,
    event_type: Vec<Option<String>>,
    title: Vec<Option<String>>,
    organizers: Vec<Option<String>>,
    size_low: Vec<Option<i64>>,
    size_high: Vec<Option<i64>>,
    low_from: Vec<Option<i64>>,
    high_from: Vec<Option<i64>>,
    coded_by_rule: Vec<bool>,
    reports: Vec<String>,
}

impl EventArrays {
    fn push(&mut self, event: &Event) {
        let place = &event.place;
        let resolved = place.resolved.as_ref();
        self.id.push(event.id.0.clone());
        self.date.push(event.date.map(|d| d.to_string()));
        self.state.push(place.best_state().map(|s| s.as_str()));
        self.locality
            .push(place.best_locality().map(str::to_string));
        self.place_raw.push(place.raw.clone());
        self.place_locality.push(place.locality.clone());
        self.place_state.push(place.state.map(|s| s.as_str()));
        self.online.push(place.online);
        self.resolved_state.push(resolved.map(|r| r.state.as_str()));
        self.resolved_locality
            .push(resolved.and_then(|r| r.locality.clone()));
        self.county.push(resolved.and_then(|r| r.county.clone()));
        self.fips.push(
            resolved
                .and_then(|r| r.fips.as_ref())
                .map(|f| f.as_str().to_string()),
        );
        self.lat.push(resolved.and_then(|r| r.lat));
        self.lon.push(resolved.and_then(|r| r.lon));
        self.population
            .push(resolved.and_then(|r| r.population).map(|p| p as i64));
        self.confidence
            .push(resolved.map(|r| r.confidence.as_str()));
        self.event_type.push(event.event_type.clone());
        self.title.push(event.title.clone());
        self.organizers.push(event.organizers.clone());
        self.size_low.push(event.size_low.map(|v| v as i64));
        self.size_high.push(event.size_high.map(|v| v as i64));
        self.low_from.push(event.low_from.map(|r| r.0));
        self.high_from.push(event.high_from.map(|r| r.0));
        self.coded_by_rule.push(event.coded_by_rule);
        let members: Vec<String> = event.reports.iter().map(|r| r.0.to_string()).collect();
        self.reports.push(members.join(" "));
    }
}

/// Records the last report and decision the events now reflect.
fn mark_built(conn: &mut impl GenericClient) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO meta (key, value)
         SELECT 'events_built_through', coalesce(max(id), 0)::text FROM reports
         UNION ALL
         SELECT 'events_built_with_decisions', coalesce(max(id), 0)::text FROM decisions
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[],
    )?;
    Ok(())
}

pub(crate) fn meta_number(conn: &mut impl GenericClient, key: &str) -> Result<i64, StoreError> {
    let value: Option<String> = conn
        .query_opt("SELECT value FROM meta WHERE key = $1", &[&key])?
        .map(|row| row.get(0));
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

pub(crate) fn events_in_any_order(
    conn: &mut impl GenericClient,
    selection: &Selection,
) -> Result<Vec<Event>, StoreError> {
    let (clause, values) = selection_filter(selection, &POSTGRES);
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE {clause}");
    let params: Vec<&(dyn ToSql + Sync)> =
        values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
    let mut events = Vec::new();
    for row in conn.query(sql.as_str(), &params)? {
        let event = read_event(&row)?;
        // The SQL filter is a superset; the model's own predicate has the last word.
        if selection.matches(&event) {
            events.push(event);
        }
    }
    Ok(events)
}

pub(crate) fn event(
    conn: &mut impl GenericClient,
    id: &EventId,
) -> Result<Option<Event>, StoreError> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1");
    conn.query_opt(sql.as_str(), &[&id.0])?
        .map(|row| read_event(&row))
        .transpose()
}

/// The events with these ids, in the order asked; ids with no event are skipped.
pub(crate) fn events_by_id(
    conn: &mut impl GenericClient,
    ids: &[EventId],
) -> Result<Vec<Event>, StoreError> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = ANY($1)");
    let mut by_id = std::collections::HashMap::new();
    for chunk in ids.chunks(BATCH) {
        let keys: Vec<&str> = chunk.iter().map(|id| id.0.as_str()).collect();
        for row in conn.query(sql.as_str(), &[&keys])? {
            let event = read_event(&row)?;
            by_id.insert(event.id.clone(), event);
        }
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// The known sums of `selection`, grouped by place in SQL and folded here as the SQLite
/// backend folds them (names that differ only in case count as one place).
pub(crate) fn known_sums(
    conn: &mut impl GenericClient,
    selection: &Selection,
) -> Result<KnownSums, StoreError> {
    let (clause, values) = selection_filter(selection, &POSTGRES);
    let sized = "size_low IS NOT NULL AND size_high IS NOT NULL";
    // Sums of BIGINT are NUMERIC in PostgreSQL; as text they keep every digit, and a sum
    // that does not fit is said to be damage rather than wrapped.
    let sql = format!(
        "SELECT state, locality, count(*), count(CASE WHEN {sized} THEN 1 END),
                coalesce(sum(CASE WHEN {sized} THEN size_low END), 0)::text,
                coalesce(sum(CASE WHEN {sized} THEN size_high END), 0)::text
         FROM events WHERE {clause} GROUP BY state, locality"
    );
    let params: Vec<&(dyn ToSql + Sync)> =
        values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
    let mut sums = KnownSums::default();
    let mut states: HashSet<String> = HashSet::new();
    let mut localities: FxHashSet<u64> = FxHashSet::default();
    for row in conn.query(sql.as_str(), &params)? {
        let state: Option<String> = row.get(0);
        let locality: Option<String> = row.get(1);
        if let Some(name) = &locality {
            localities.insert(tally_model::locality_key(
                state.as_deref().unwrap_or(""),
                name,
            ));
        }
        if let Some(state) = &state {
            states.insert(state.clone());
        }
        let place = || {
            format!(
                "{}, {}",
                locality.as_deref().unwrap_or("?"),
                state.as_deref().unwrap_or("?")
            )
        };
        let sum = |index: usize| -> Result<u64, StoreError> {
            let text: String = row.get(index);
            text.parse::<u64>().map_err(|_| StoreError::Corrupt {
                what: "event sizes of",
                id: place(),
                reason: format!("a sum of {text} people"),
            })
        };
        let overflow = || StoreError::Corrupt {
            what: "event sizes of",
            id: "the selection".to_string(),
            reason: "the known sizes add up past 2^64 people".to_string(),
        };
        sums.events += row.get::<_, i64>(2) as u64;
        sums.events_with_size += row.get::<_, i64>(3) as u64;
        sums.known_low = sums.known_low.checked_add(sum(4)?).ok_or_else(overflow)?;
        sums.known_high = sums.known_high.checked_add(sum(5)?).ok_or_else(overflow)?;
    }
    sums.states = states.len() as u64;
    sums.localities = localities.len() as u64;
    Ok(sums)
}

/// Rebuilds an [`Event`] from its columns (in [`EVENT_COLUMNS`] order).
fn read_event(row: &postgres::Row) -> Result<Event, StoreError> {
    let id: String = row.get(0);
    let corrupt = |reason: String| StoreError::Corrupt {
        what: "event",
        id: id.clone(),
        reason,
    };
    let state = |index: usize| -> Result<Option<StateCode>, StoreError> {
        row.get::<_, Option<&str>>(index)
            .map(|s| s.parse::<StateCode>().map_err(|e| corrupt(e.to_string())))
            .transpose()
    };
    let date = row
        .get::<_, Option<&str>>(1)
        .map(|d| d.parse().map_err(|e| corrupt(format!("date {d:?}: {e}"))))
        .transpose()?;
    let resolved = match state(6)? {
        Some(state) => Some(ResolvedPlace {
            locality: row.get(7),
            county: row.get(8),
            fips: row
                .get::<_, Option<&str>>(9)
                .map(|f| Fips::parse(f).map_err(|e| corrupt(e.to_string())))
                .transpose()?,
            state,
            lat: row.get(10),
            lon: row.get(11),
            population: row.get::<_, Option<i64>>(12).map(|p| p as u64),
            confidence: parse_confidence(row.get(13)),
        }),
        None => None,
    };
    let reports = parse_report_list(row.get::<_, &str>(22)).map_err(corrupt)?;
    Ok(Event {
        id: EventId(id.clone()),
        date,
        place: Place {
            raw: row.get(2),
            locality: row.get(3),
            state: state(4)?,
            online: row.get(5),
            resolved,
        },
        event_type: row.get(14),
        title: row.get(15),
        organizers: row.get(16),
        reports,
        size_low: row.get::<_, Option<i64>>(17).map(|v| v as u64),
        size_high: row.get::<_, Option<i64>>(18).map(|v| v as u64),
        low_from: row.get::<_, Option<i64>>(19).map(ReportId),
        high_from: row.get::<_, Option<i64>>(20).map(ReportId),
        coded_by_rule: row.get(21),
    })
}

/// ASCII-only lower case, as SQLite's `lower()` and `NOCASE` fold: the same selection
/// picks the same events in both backends, whatever the database's locale.
fn ascii_lower(sql: &str) -> String {
    format!("translate({sql}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')")
}

/// PostgreSQL's spelling of the selection filter both backends share.
const POSTGRES: SqlDialect = SqlDialect {
    always: "true",
    placeholder: |n| format!("${n}"),
    lower: ascii_lower,
    equals_folded: |column, value| {
        format!(
            "{} = {}",
            ascii_lower(column),
            ascii_lower(&format!("{value}::text"))
        )
    },
    contains: |haystack, needle| format!("strpos({haystack}, {needle}) > 0"),
};

/// Streams what the estimator reads of each event of `selection` (the SQLite backend's
/// `for_each_slim_event`); how many passed the selection.
pub(crate) fn for_each_slim_event(
    conn: &mut impl GenericClient,
    selection: &Selection,
    each: &mut dyn FnMut(crate::events::SlimEvent<'_>),
) -> Result<usize, StoreError> {
    let (clause, values) = selection_filter(selection, &POSTGRES);
    let sql = format!(
        "SELECT date, state, locality, population, reports, event_type, title, size_low,
                size_high, organizers
         FROM events WHERE {clause}"
    );
    let params: Vec<&(dyn ToSql + Sync)> =
        values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
    let labels = selection.text.is_some() || selection.event_type.is_some();
    let mut passed = 0;
    for row in conn.query(sql.as_str(), &params)? {
        let event_type: Option<&str> = row.get(5);
        let title: Option<&str> = row.get(6);
        // The SQL filter is a superset; the model's own predicate has the last word.
        if labels && !selection.matches_labels(event_type, title, row.get(9)) {
            continue;
        }
        let corrupt = |reason: String| StoreError::Corrupt {
            what: "event",
            id: format!("with title {:?}", title.unwrap_or("")),
            reason,
        };
        let date = match row.get::<_, Option<&str>>(0) {
            Some(d) => Some(parse_date(d).ok_or_else(|| corrupt(format!("date {d:?}")))?),
            None => None,
        };
        let state = match row.get::<_, Option<&str>>(1) {
            Some(s) => Some(s.parse::<StateCode>().map_err(|e| corrupt(e.to_string()))?),
            None => None,
        };
        let members: &str = row.get(4);
        let number = |index: usize| row.get::<_, Option<i64>>(index).map(|v| v.max(0) as u64);
        each(crate::events::SlimEvent {
            date,
            state,
            locality: row.get(2),
            population: number(3),
            reports: members.split(' ').filter(|m| !m.is_empty()).count() as u32,
            event_type,
            title,
            size_low: number(7),
            size_high: number(8),
        });
        passed += 1;
    }
    Ok(passed)
}
