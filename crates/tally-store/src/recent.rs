//! Recent small changes kept apart (issue 12, migration 0011): additions cost what they
//! add.
//!
//! The main derived tables are keyed by hashes (`events` by id, `source_addresses` by
//! address) or by days spread over the years (`events_by_date`, `event_sums`), so a small
//! relink written into them changes one page per row in each: about 3,700 pages of
//! 16 KiB for 1,000 rows added to a ledger of a million, all logged and checkpointed by
//! the add. A small relink (an ingest into a ledger that has reports to link against, or
//! a reviewer decision) writes instead into three small tables that grow at their end:
//!
//! * `events_recent`: the current row of each event the relink wrote, or a mark
//!   (`present = 0`) for one it removed; a row here stands in for any row of `events`
//!   with its id.
//! * `event_sums_recent`: changes to the per-day sums, added to `event_sums` when read.
//! * `report_locators_recent`: the new reports' locators (until migration 0015, which
//!   dropped the locators: the link rows stand in for them).
//! * `link_rows_recent` (migration 0014): what linking reads of the new reports (see
//!   `crate::link_rows`, which reads it with `link_rows` and folds it in at [`merge`]).
//! * `source_addresses_recent` (migration 0012): the addresses of the sources of recent
//!   files, which every new source files there by a trigger; an address is looked up
//!   in it and in `source_addresses` ([`ADDRESS_TAKEN_SQL`], [`SOURCE_ROW_SQL`]).
//!
//! Every read of those tables goes through this module's merge ([`events_sql`] for the
//! events, [`fold_recent_sums`] for the sums, [`recent_locator_ids`] for the locators of
//! a ledger from before migration 0015 read as it stands),
//! so every reader sees the same ledger as if the changes had been written into the main
//! tables. A bulk write (a first ingest, a full relink, an update of at least
//! [`BULK_UPDATE`] events) and a small write that leaves the recent tables larger than a
//! share of the main ones ([`merge_if_grown`]) fold them into the main tables in one
//! sorted pass ([`merge`]), inside the write's own transaction.

use crate::error::StoreError;
use rusqlite::Connection;
use rustc_hash::FxHashSet;

/// An update of at least this many events (removed and written) goes into the main
/// tables (after a merge), as a bulk write does: kept apart, it would only be merged
/// again at once.
pub(crate) const BULK_UPDATE: usize = 20_000;

/// The recent tables are merged when they hold more events than the ledger holds
/// reports divided by this (at a million reports: after about 30 adds of 1,000 rows).
const RECENT_SHARE: u64 = 32;

/// ... and at least this many (in a small ledger, merging costs little either way).
const RECENT_AT_LEAST: u64 = if cfg!(test) { 8 } else { 4096 };

/// True when the ledger has the recent tables (migration 0011): a ledger opened
/// read-only before that migration has none, and is read as before.
pub(crate) fn tables_exist(conn: &Connection) -> Result<bool, StoreError> {
    has_tables(conn, &["events_recent", "event_sums_recent"])
}

/// True when the ledger has every table of `names` (a ledger opened read-only before
/// the migration that made them has none).
pub(crate) fn has_tables(conn: &Connection, names: &[&str]) -> Result<bool, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1")?;
    for name in names {
        if !stmt.exists([name])? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// True when the sources' addresses are kept in two tables, the main one and the recent
/// one (migration 0012): a ledger opened read-only before that migration has an index
/// of `sources(id)` instead.
pub(crate) fn addresses_apart(conn: &Connection) -> Result<bool, StoreError> {
    has_tables(conn, &["source_addresses", "source_addresses_recent"])
}

/// Selects a row when a source has the address `?1` (as stored: see
/// `compact::id_key`), in the main address table or among the recent ones.
pub(crate) const ADDRESS_TAKEN_SQL: &str = "SELECT 1 FROM source_addresses WHERE id = ?1
     UNION ALL SELECT 1 FROM source_addresses_recent WHERE id = ?1";

/// The row of the source with the address `?1` (as stored), as an expression: NULL
/// when there is none.
pub(crate) const SOURCE_ROW_SQL: &str = "(SELECT row FROM source_addresses WHERE id = ?1
     UNION ALL SELECT row FROM source_addresses_recent WHERE id = ?1 LIMIT 1)";

/// What is wrong with the sources' address tables (nothing, in a sound ledger): a
/// source whose address and row neither table holds, an address in both, or an entry
/// of no source.
pub(crate) fn address_problems(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let count =
        |sql: &str| -> Result<i64, StoreError> { Ok(conn.query_row(sql, [], |row| row.get(0))?) };
    let mut problems = Vec::new();
    let unfiled = count(
        "SELECT count(*) FROM sources s
         WHERE NOT EXISTS (SELECT 1 FROM source_addresses a WHERE a.id = s.id AND a.row = s.row)
           AND NOT EXISTS (SELECT 1 FROM source_addresses_recent a
                           WHERE a.id = s.id AND a.row = s.row)",
    )?;
    if unfiled > 0 {
        problems.push(format!(
            "source addresses: {unfiled} source(s) missing from the address tables"
        ));
    }
    let twice = count(
        "SELECT count(*) FROM source_addresses a JOIN source_addresses_recent r ON r.id = a.id",
    )?;
    if twice > 0 {
        problems.push(format!(
            "source addresses: {twice} address(es) filed twice (held by two sources)"
        ));
    }
    let extra = count(
        "SELECT (SELECT count(*) FROM source_addresses)
              + (SELECT count(*) FROM source_addresses_recent) - (SELECT count(*) FROM sources)",
    )?;
    if extra > 0 && twice == 0 {
        problems.push(format!(
            "source addresses: {extra} entr(ies) of no source in the address tables"
        ));
    }
    Ok(problems)
}

/// True when recent small relinks wrote events not yet merged into `events`.
pub(crate) fn has_recent_events(conn: &Connection) -> Result<bool, StoreError> {
    Ok(tables_exist(conn)?
        && conn.query_row("SELECT EXISTS (SELECT 1 FROM events_recent)", [], |row| {
            row.get(0)
        })?)
}

/// The SQL that selects `columns` (expressions over the events' columns) of every
/// current event whose row matches `clause`: the rows of `events` (read with
/// `main_hint`, e.g. an `INDEXED BY`) that no recent row stands in for, then the recent
/// rows of events that are present. Placeholders of `clause` are numbered (`?1`), so
/// both halves bind the same values. Without recent rows, one plain select of `events`.
pub(crate) fn events_sql(
    conn: &Connection,
    columns: &str,
    clause: &str,
    main_hint: &str,
) -> Result<String, StoreError> {
    Ok(if has_recent_events(conn)? {
        format!(
            "SELECT {columns} FROM events {main_hint}
             WHERE ({clause}) AND id NOT IN (SELECT id FROM events_recent)
             UNION ALL
             SELECT {columns} FROM events_recent WHERE present AND ({clause})"
        )
    } else {
        format!("SELECT {columns} FROM events {main_hint} WHERE {clause}")
    })
}

/// The ids of the events that recent rows stand in for (see [`events_sql`]), for a
/// reader that leaves the main table's rows out itself; `None` when there are none.
pub(crate) fn shadowed_ids(conn: &Connection) -> Result<Option<FxHashSet<Vec<u8>>>, StoreError> {
    if !has_recent_events(conn)? {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached("SELECT id FROM events_recent")?;
    let ids = stmt
        .query_map([], |row| Ok(row.get_ref(0)?.as_bytes()?.to_vec()))?
        .collect::<Result<_, _>>()?;
    Ok(Some(ids))
}

/// One row of per-day sums: day, state, locality, then events, events with a size, and
/// the low and high sums.
pub(crate) type SumsRow = (String, String, String, [i64; 4]);

/// Folds the recent changes to the per-day sums into rows of `event_sums`: `main` are the
/// main table's rows that match a filter, `recent` the recent rows that match it (a key
/// may repeat). Returns what each key holds, keys whose events add up to none left out,
/// main keys first, in their order, then keys only the recent rows have, in key order.
pub(crate) fn fold_recent_sums(main: Vec<SumsRow>, recent: Vec<SumsRow>) -> Vec<SumsRow> {
    if recent.is_empty() {
        return main;
    }
    let mut changes: std::collections::BTreeMap<(String, String, String), [i64; 4]> =
        std::collections::BTreeMap::new();
    for (date, state, locality, numbers) in recent {
        let entry = changes.entry((date, state, locality)).or_default();
        for (total, change) in entry.iter_mut().zip(numbers) {
            *total += change;
        }
    }
    let mut folded = Vec::with_capacity(main.len() + changes.len());
    for (date, state, locality, mut numbers) in main {
        if let Some(change) = changes.remove(&(date.clone(), state.clone(), locality.clone())) {
            for (total, change) in numbers.iter_mut().zip(change) {
                *total += change;
            }
        }
        if numbers[0] > 0 {
            folded.push((date, state, locality, numbers));
        }
    }
    folded.extend(
        changes
            .into_iter()
            .filter(|(_, numbers)| numbers[0] > 0)
            .map(|((date, state, locality), numbers)| (date, state, locality, numbers)),
    );
    folded
}

/// The ids of reports filed by recent small ingests under any of `locators` (sorted),
/// each once: one scan of the recent locators, which are few (a ledger of migrations
/// 0011 to 0013 opened read-only; 0015 dropped them).
pub(crate) fn recent_locator_ids(
    conn: &Connection,
    locators: &[i64],
) -> Result<Vec<i64>, StoreError> {
    if !crate::locators::recent_kept(conn)? {
        return Ok(Vec::new());
    }
    let asked: FxHashSet<i64> = locators.iter().copied().collect();
    let mut stmt = conn.prepare_cached("SELECT report_id, locator FROM report_locators_recent")?;
    let mut rows = stmt.query([])?;
    let mut ids = Vec::new();
    while let Some(row) = rows.next()? {
        if asked.contains(&row.get::<_, i64>(1)?) {
            ids.push(row.get::<_, i64>(0)?);
        }
    }
    ids.dedup();
    Ok(ids)
}

/// Empties the recent tables without merging them (before a full relink rewrites the
/// main ones).
pub(crate) fn clear_events(conn: &Connection) -> Result<(), StoreError> {
    if tables_exist(conn)? {
        conn.execute_batch("DELETE FROM events_recent; DELETE FROM event_sums_recent;")?;
    }
    Ok(())
}

/// Folds the recent sources' addresses into the main address table, in address order,
/// and empties the recent one, inside the caller's transaction; returns how many there
/// were.
fn merge_addresses(conn: &Connection) -> Result<u64, StoreError> {
    if !addresses_apart(conn)? {
        return Ok(0);
    }
    let merged = conn.execute(
        "INSERT INTO source_addresses (id, row)
         SELECT id, row FROM source_addresses_recent WHERE 1 ORDER BY id",
        [],
    )?;
    conn.execute("DELETE FROM source_addresses_recent", [])?;
    Ok(merged as u64)
}

/// Folds the recent tables into the main ones, in one sorted pass each, inside the
/// caller's transaction: the events a recent row stands in for are deleted and the
/// present ones inserted in id order, the sums' changes added key by key (keys left with
/// no events deleted), the link rows and the sources' addresses inserted in key order;
/// then the recent tables are emptied. Returns how many recent events there were.
pub(crate) fn merge(conn: &Connection) -> Result<u64, StoreError> {
    let addresses = merge_addresses(conn)?;
    let link_rows = crate::link_rows::merge(conn)?;
    if !tables_exist(conn)? {
        return Ok(0);
    }
    let events: i64 = conn.query_row("SELECT count(*) FROM events_recent", [], |row| row.get(0))?;
    let started = std::time::Instant::now();
    conn.execute_batch(
        "DELETE FROM events WHERE id IN (SELECT id FROM events_recent);
         INSERT INTO events (id, date, state, locality, place, population, event_type, title,
             organizers, size_low, size_high, low_from, high_from, coded_by_rule, reports,
             report_count)
         SELECT id, date, state, locality, place, population, event_type, title,
             organizers, size_low, size_high, low_from, high_from, coded_by_rule, reports,
             report_count
         FROM events_recent WHERE present ORDER BY id;
         INSERT INTO event_sums (date, state, locality, events, events_with_size, known_low,
             known_high)
         SELECT date, state, locality, sum(events), sum(events_with_size), sum(known_low),
             sum(known_high)
         FROM event_sums_recent WHERE 1 GROUP BY date, state, locality ORDER BY 1, 2, 3
         ON CONFLICT (date, state, locality) DO UPDATE SET
             events = events + excluded.events,
             events_with_size = events_with_size + excluded.events_with_size,
             known_low = known_low + excluded.known_low,
             known_high = known_high + excluded.known_high;
         DELETE FROM event_sums WHERE events <= 0
             AND (date, state, locality) IN (SELECT date, state, locality FROM event_sums_recent);
         DELETE FROM events_recent;
         DELETE FROM event_sums_recent;",
    )?;

    tracing::info!(events, addresses, link_rows, elapsed = ?started.elapsed(), "recent changes merged");
    Ok(events.max(0) as u64)
}

/// Merges the recent tables ([`merge`]) when they hold more events than the ledger's
/// share ([`RECENT_SHARE`], at least [`RECENT_AT_LEAST`]) of `stored` reports, or more
/// recent sources' addresses or link rows (`crate::link_rows`) than twice that.
///
/// The share is of the reports, the highest report id (reports are append-only and
/// numbered from 1: a lookup at the end of their tree), not of the stored events (until
/// session 25 a sum over the per-day sums, some 125,000 rows and 330 pages in a ledger
/// of a million events: about 2.5% of an add of 1,000 rows into it, issue 12). It only
/// decides when the recent tables are folded in, never what any reader sees; a ledger
/// whose reports are mostly events of their own (the benchmark's: 1,000,000 reports,
/// 1,015,000 events) merges as before, and one whose events hold several reports each
/// keeps a larger share of its events apart.
pub(crate) fn merge_if_grown(
    conn: &Connection,
    stored: impl FnOnce() -> Result<u64, StoreError>,
) -> Result<bool, StoreError> {
    if !tables_exist(conn)? {
        return Ok(false);
    }
    let events: i64 = conn.query_row("SELECT count(*) FROM events_recent", [], |row| row.get(0))?;
    let addresses: i64 = if addresses_apart(conn)? {
        conn.query_row("SELECT count(*) FROM source_addresses_recent", [], |row| {
            row.get(0)
        })?
    } else {
        0
    };
    let link_rows = crate::link_rows::recent_count(conn)?;
    let within = |limit: u64| {
        events as u64 <= limit && addresses as u64 <= 2 * limit && link_rows <= 2 * limit
    };
    if within(RECENT_AT_LEAST) {
        return Ok(false);
    }
    let limit = (stored()? / RECENT_SHARE).max(RECENT_AT_LEAST);
    if !within(limit) {
        merge(conn)?;
        return Ok(true);
    }
    Ok(false)
}

/// How many reports the ledger holds, as [`merge_if_grown`] weighs them: the highest
/// report id (reports are numbered from 1 and never removed).
pub(crate) fn stored_reports(conn: &Connection) -> Result<u64, StoreError> {
    let highest: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM reports", [], |row| {
        row.get(0)
    })?;
    Ok(highest.max(0) as u64)
}
