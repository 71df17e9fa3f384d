//! What linking reads of each stored report, clustered by place and day (issue 12,
//! migrations 0014 and 0016): a small ingest relinks the blocks its new reports touch, and a
//! block is then one short range read of `link_rows` by (place, day) instead of three
//! random b-tree lookups a report (the report, its source's address, its estimates).
//!
//! The table is derived from the reports, a row per report, written by one select
//! over the rows already stored ([`LINK_ROWS_SELECT`]): by the migration for every
//! report, and at each file's commit for that file's reports, in key order into
//! `link_rows` for a large file, else into `link_rows_recent`, which is read with it and
//! folded into it at the same points as the other recent tables (`crate::recent`).
//! `tally verify` checks both against the reports ([`link_row_problems`]).
//!
//! A row gives a report *for linking* ([`linking_reports_at`]): its id, source address,
//! day, place (from `places`), batch, title, headline, type, location detail, organizers
//! and each estimate's low, high, scope and whether it was coded by rule, which is
//! everything the linker compares, every field of a report's content key and every
//! field an event is built from; its other fields are empty. The linker builds the
//! events that change from them, reading no report whole (migration 0016; before it,
//! without organizers and coding, it read those events' reports whole by id).
//!
//! The layout (migration 0016) keeps a row small, since a bulk load writes one per
//! report on the single writer: the day as a number ([`day_number`]), the batch, type
//! and organizers as numbers into `link_texts` (each text once), the sizes as short
//! text ([`write_sizes`]).

use crate::compact::{id_text, read_place, PLACE_COLUMNS};
use crate::error::StoreError;
use rusqlite::{params, Connection, OptionalExtension};
use tally_model::{Estimate, Place, Report, ReportId, Scope, SourceId, SourceKey};

/// The link rows of the reports that `condition` (over `reports r`) picks, as the
/// columns of `link_rows` in their order; `ORDER BY 1, 2, 3` gives the table's key order
/// (migration 0016's layout: see [`day_number`], [`TEXTS_OF`] and [`write_sizes`]). The
/// texts of `batch`, `event_type` and `organizers` must be in `link_texts` first
/// ([`add_texts`]).
pub(crate) const LINK_ROWS_SELECT: &str =
    "SELECT r.place, coalesce(CAST(julianday(r.date) - 2440587.5 AS INTEGER), -2147483648),
        r.id, s.id,
        (SELECT t.id FROM link_texts t WHERE t.text = r.batch),
        (SELECT t.id FROM link_texts t WHERE t.text = r.event_type),
        (SELECT t.id FROM link_texts t WHERE t.text = r.organizers),
        r.title, r.headline, r.location_detail,
        (SELECT group_concat(CASE WHEN e.coded_by_rule THEN '*' ELSE '' END || e.low
                    || CASE WHEN e.high = e.low THEN '' ELSE ' ' || e.high END
                    || CASE WHEN e.scope = 'event' THEN '' ELSE ' ' || e.scope END,
                    ';' ORDER BY e.ord)
         FROM report_estimates e WHERE e.report_id = r.id)
     FROM reports r JOIN sources s ON s.row = r.source_row";

const COLUMNS: &str =
    "place, day, id, source, batch, event_type, organizers, title, headline, detail, sizes";

/// The columns of `reports` whose texts a link row holds by their number in
/// `link_texts` (few distinct texts, each written once: a file's batch, the types, the
/// organizers).
const TEXTS_OF: [&str; 3] = ["batch", "event_type", "organizers"];

/// The day column of a report without a date: below every day a date can hold (a
/// date's day is its number of days from 1970-01-01), as the text `''` sorted before
/// every date in migration 0014's layout.
pub(crate) const NO_DAY: i64 = i32::MIN as i64;

/// The day column of a report's date: days from 1970-01-01, as SQL's
/// `julianday(date) - 2440587.5` gives them ([`LINK_ROWS_SELECT`]), [`NO_DAY`] without a
/// date.
pub(crate) fn day_number(date: Option<tally_model::Date>) -> i64 {
    date.map_or(NO_DAY, |date| {
        date.signed_duration_since(epoch()).num_days()
    })
}

fn epoch() -> tally_model::Date {
    tally_model::Date::from_ymd_opt(1970, 1, 1).expect("a valid date")
}

/// The date of a day column ([`day_number`]).
fn date_of_day(day: i64) -> Option<Option<tally_model::Date>> {
    if day == NO_DAY {
        return Some(None);
    }
    let days = chrono::Days::new(day.unsigned_abs());
    let date = if day >= 0 {
        epoch().checked_add_days(days)
    } else {
        epoch().checked_sub_days(days)
    };
    date.map(Some)
}

/// A day of a [`DayRange`] (text as `reports.date` writes it) as the day column: `''`
/// is [`NO_DAY`], and any other text that is not a date (`"~"`, after every day) is
/// after every day.
fn day_bound(text: &str) -> i64 {
    if text.is_empty() {
        return NO_DAY;
    }
    text.parse::<tally_model::Date>()
        .map_or(i64::MAX, |date| day_number(Some(date)))
}

/// Writes a report's estimates as the `sizes` column holds them (and
/// [`LINK_ROWS_SELECT`] writes them): for each, in order and joined by `;`, a `*` when it
/// was coded by rule, its low, its high when it differs, and its scope when it is not
/// `event`, apart by spaces.
pub(crate) fn write_sizes(
    sizes: &mut String,
    estimates: impl Iterator<Item = (u64, u64, Scope, bool)>,
) {
    use std::fmt::Write;
    sizes.clear();
    for (n, (low, high, scope, coded)) in estimates.enumerate() {
        if n > 0 {
            sizes.push(';');
        }
        if coded {
            sizes.push('*');
        }
        // As SQLite writes the stored integers.
        let _ = write!(sizes, "{}", low as i64);
        if high != low {
            let _ = write!(sizes, " {}", high as i64);
        }
        if scope != Scope::Event {
            sizes.push(' ');
            sizes.push_str(scope.as_str());
        }
    }
}

/// Files in `link_texts` every text of [`TEXTS_OF`] of the reports that `condition`
/// (over `reports r`, with `params`) picks, each once, by one scan of them.
fn add_texts(
    conn: &Connection,
    condition: &str,
    params: impl rusqlite::Params,
) -> Result<(), StoreError> {
    let [batch, event_type, organizers] = TEXTS_OF;
    conn.execute(
        &format!(
            "WITH picked AS MATERIALIZED (
                 SELECT DISTINCT r.{batch} AS a, r.{event_type} AS b, r.{organizers} AS c
                 FROM reports r WHERE {condition})
             INSERT OR IGNORE INTO link_texts (text)
             SELECT a FROM picked WHERE a IS NOT NULL
             UNION SELECT b FROM picked WHERE b IS NOT NULL
             UNION SELECT c FROM picked WHERE c IS NOT NULL"
        ),
        params,
    )?;
    Ok(())
}

/// A file of at least this many reports writes its rows into `link_rows` directly, as
/// the locators of a large file go into their main table.
const MAIN_FROM: u64 = 4 * crate::recent::BULK_UPDATE as u64;

/// True when the ledger has the link rows in migration 0016's layout: a ledger opened
/// read-only before it has none (or those of 0014's layout, which this build does not
/// read), and its reports are read whole.
pub(crate) fn tables_exist(conn: &Connection) -> Result<bool, StoreError> {
    crate::recent::has_tables(conn, &["link_rows", "link_rows_recent", "link_texts"])
}

/// Fills migration 0014's `link_rows` (its layout, by its select, kept as it was) with
/// every stored report: a ledger stopped between two migrations is a sound ledger of
/// 0014's schema. Migration 0016 then writes them again in its layout ([`fill_all`]).
pub(crate) fn fill_all_0014(conn: &Connection) -> Result<(), StoreError> {
    let started = std::time::Instant::now();
    conn.execute_batch("DELETE FROM link_rows; DELETE FROM link_rows_recent;")?;
    let rows = conn.execute(
        "INSERT INTO link_rows (place, day, id, source, batch, title, headline, event_type,
                                detail, sizes)
         SELECT r.place, coalesce(r.date, ''), r.id, s.id, r.batch, r.title, r.headline,
            r.event_type, r.location_detail,
            (SELECT group_concat(e.low || ' ' || e.high
                        || CASE WHEN e.scope = 'event' THEN '' ELSE ' ' || e.scope END,
                        ';' ORDER BY e.ord)
             FROM report_estimates e WHERE e.report_id = r.id)
         FROM reports r JOIN sources s ON s.row = r.source_row ORDER BY 1, 2, 3",
        [],
    )?;
    tracing::info!(rows, elapsed = ?started.elapsed(), "link rows filled (migration 0014)");
    Ok(())
}

/// Fills `link_rows` with every stored report, by one sorted insert (migration 0016;
/// rows already there, in a ledger whose record of migrations was rewritten, are
/// written again).
pub(crate) fn fill_all(conn: &Connection) -> Result<(), StoreError> {
    let started = std::time::Instant::now();
    conn.execute_batch("DELETE FROM link_rows; DELETE FROM link_rows_recent;")?;
    add_texts(conn, "1", [])?;
    let rows = conn.execute(
        &format!("INSERT INTO link_rows ({COLUMNS}) {LINK_ROWS_SELECT} WHERE 1 ORDER BY 1, 2, 3"),
        [],
    )?;
    tracing::info!(rows, elapsed = ?started.elapsed(), "link rows filled (migration 0016)");
    Ok(())
}

/// Writes the link rows of the `count` reports of one file, whose ids start at `first`,
/// inside its transaction: into `link_rows` in key order when the file is large (or the
/// ledger held no rows yet), else into `link_rows_recent`.
pub(crate) fn write_file_rows(conn: &Connection, first: i64, count: u64) -> Result<(), StoreError> {
    if count == 0 || !tables_exist(conn)? {
        return Ok(());
    }
    let table = table_for_file(conn, count)?;
    let started = std::time::Instant::now();
    let range = params![first, first + count as i64];
    add_texts(conn, "r.id >= ?1 AND r.id < ?2", range)?;
    conn.execute(
        &format!(
            "INSERT INTO {table} ({COLUMNS}) {LINK_ROWS_SELECT}
             WHERE r.id >= ?1 AND r.id < ?2 ORDER BY 1, 2, 3"
        ),
        range,
    )?;
    tracing::info!(table, rows = count, elapsed = ?started.elapsed(), "link rows written");
    Ok(())
}

/// One report's link row as a bulk load hands it over from what it holds in memory
/// (issue 12: a first ingest's linker holds every report's place, day, texts and
/// estimates, so its rows need no select over the stored rows, no join to the sources,
/// no subquery over the estimates and no sort by SQLite). The fields are the report's,
/// as stored: the place by its number in `places`, the source's address as
/// [`SourceKey`] (as `sources.id` holds it).
pub struct LinkRow<'a> {
    pub place: i64,
    pub day: Option<tally_model::Date>,
    pub id: i64,
    pub source: SourceKey<'a>,
    pub batch: Option<&'a str>,
    pub title: Option<&'a str>,
    pub headline: Option<&'a str>,
    pub event_type: Option<&'a str>,
    pub detail: Option<&'a str>,
    pub organizers: Option<&'a str>,
    /// Each estimate's low, high, scope and whether it was coded by rule, in order.
    pub sizes: &'a mut dyn Iterator<Item = (u64, u64, Scope, bool)>,
}

/// Takes one link row (see [`LinkRow`]).
pub type PutLinkRow<'p> = dyn FnMut(LinkRow<'_>) -> Result<(), StoreError> + 'p;

/// Gives a file's link rows, one for each of its reports, in key order (place, day, id),
/// to the [`PutLinkRow`] it is called with.
pub type FillLinkRows<'f> = dyn FnMut(&mut PutLinkRow<'_>) -> Result<(), StoreError> + 'f;

/// How many files' link rows were written from what the caller held, for tests
/// ([`crate::testing::link_rows_given`]).
pub(crate) static GIVEN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Writes the `count` link rows `fill` gives (see [`LinkRow`]), which must be in key
/// order (place, day, id) for the main table to be appended to, into `table`, in
/// statements of [`crate::compact::ROWS_PER_INSERT`] rows (issue 12: SQLite's own insert
/// of the rows is a small part of their write; most of it was the run of one statement
/// a row), the last one shorter; returns how many were given (a row past `count` is an
/// error, and rows short of it are not written: the caller checks the count). The texts
/// held by number are looked up (or filed) in `link_texts` once each.
pub(crate) fn write_given_rows(
    conn: &Connection,
    table: &str,
    count: u64,
    fill: &mut FillLinkRows<'_>,
) -> Result<u64, StoreError> {
    const WIDTH: usize = 11;
    let full = crate::compact::ROWS_PER_INSERT as u64;
    let insert = |rows: u64| {
        conn.prepare_cached(&crate::compact::values_sql(
            &format!("INSERT INTO {table} ({COLUMNS}) VALUES "),
            WIDTH,
            rows as usize,
        ))
    };
    let mut size = full.min(count);
    let mut stmt = insert(size.max(1))?;
    // Rows bound into `stmt`, and rows written before them.
    let mut bound = 0u64;
    let mut written = 0u64;
    let mut texts = TextNumbers::new(conn)?;
    let mut sizes = String::new();
    fill(&mut |row: LinkRow<'_>| {
        if written + bound >= count {
            return Err(StoreError::Corrupt {
                what: "link row",
                id: row.id.to_string(),
                reason: format!("more link rows given than the file's {count} reports"),
            });
        }
        write_sizes(&mut sizes, &mut *row.sizes);
        let first = 1 + bound as usize * WIDTH;
        stmt.raw_bind_parameter(first, row.place)?;
        stmt.raw_bind_parameter(first + 1, day_number(row.day))?;
        stmt.raw_bind_parameter(first + 2, row.id)?;
        match &row.source {
            SourceKey::Address(bytes) => stmt.raw_bind_parameter(first + 3, bytes)?,
            SourceKey::Text(text) => stmt.raw_bind_parameter(first + 3, text)?,
        }
        stmt.raw_bind_parameter(first + 4, texts.number(row.batch)?)?;
        stmt.raw_bind_parameter(first + 5, texts.number(row.event_type)?)?;
        stmt.raw_bind_parameter(first + 6, texts.number(row.organizers)?)?;
        stmt.raw_bind_parameter(first + 7, row.title)?;
        stmt.raw_bind_parameter(first + 8, row.headline)?;
        stmt.raw_bind_parameter(first + 9, row.detail)?;
        stmt.raw_bind_parameter(first + 10, (!sizes.is_empty()).then_some(sizes.as_str()))?;
        bound += 1;
        if bound == size {
            stmt.raw_execute()?;
            written += bound;
            bound = 0;
            let left = count - written;
            if left > 0 && left < size {
                size = left;
                stmt = insert(size)?;
            }
        }
        Ok(())
    })?;
    GIVEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok(written + bound)
}

/// The numbers of texts in `link_texts`, each asked of SQLite once (and filed when it
/// is not there).
struct TextNumbers<'c> {
    conn: &'c Connection,
    known: rustc_hash::FxHashMap<Box<str>, i64>,
}

impl<'c> TextNumbers<'c> {
    fn new(conn: &'c Connection) -> Result<TextNumbers<'c>, StoreError> {
        Ok(TextNumbers {
            conn,
            known: Default::default(),
        })
    }

    fn number(&mut self, text: Option<&str>) -> Result<Option<i64>, StoreError> {
        let Some(text) = text else { return Ok(None) };
        if let Some(&number) = self.known.get(text) {
            return Ok(Some(number));
        }
        let found: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM link_texts WHERE text = ?1")?
            .query_row([text], |row| row.get(0))
            .optional()?;
        let number = match found {
            Some(number) => number,
            None => {
                self.conn
                    .prepare_cached("INSERT INTO link_texts (text) VALUES (?1)")?
                    .execute([text])?;
                self.conn.last_insert_rowid()
            }
        };
        self.known.insert(text.into(), number);
        Ok(Some(number))
    }
}

/// The table a file's `count` new link rows go into: `link_rows` for a large file (or
/// when the ledger holds none yet), written in key order, else `link_rows_recent`.
pub(crate) fn table_for_file(conn: &Connection, count: u64) -> Result<&'static str, StoreError> {
    let into_main = count >= MAIN_FROM
        || !conn.query_row("SELECT EXISTS (SELECT 1 FROM link_rows)", [], |row| {
            row.get::<_, bool>(0)
        })?;
    Ok(if into_main {
        "link_rows"
    } else {
        "link_rows_recent"
    })
}

/// How many link rows recent small ingests wrote (not yet folded into `link_rows`).
pub(crate) fn recent_count(conn: &Connection) -> Result<u64, StoreError> {
    if !tables_exist(conn)? {
        return Ok(0);
    }
    let count: i64 = conn.query_row("SELECT count(*) FROM link_rows_recent", [], |row| {
        row.get(0)
    })?;
    Ok(count as u64)
}

/// Folds the recent link rows into `link_rows`, in key order, and empties the recent
/// table, inside the caller's transaction; returns how many there were.
pub(crate) fn merge(conn: &Connection) -> Result<u64, StoreError> {
    if !tables_exist(conn)? {
        return Ok(0);
    }
    let merged = conn.execute(
        &format!(
            "INSERT INTO link_rows ({COLUMNS})
             SELECT {COLUMNS} FROM link_rows_recent WHERE 1 ORDER BY 1, 2, 3"
        ),
        [],
    )?;
    conn.execute("DELETE FROM link_rows_recent", [])?;
    Ok(merged as u64)
}

/// What is wrong with the link rows (nothing, in a sound ledger): a report without its
/// row, a row that differs from its report's, a row of no report, or a report with a
/// row in both tables.
pub(crate) fn link_row_problems(conn: &Connection) -> Result<Vec<String>, StoreError> {
    if !tables_exist(conn)? {
        return Ok(Vec::new());
    }
    let count =
        |sql: &str| -> Result<i64, StoreError> { Ok(conn.query_row(sql, [], |row| row.get(0))?) };
    // Compound selects bind from the left: the two tables' rows as one operand.
    let both = format!(
        "SELECT * FROM (SELECT {COLUMNS} FROM link_rows
                        UNION ALL SELECT {COLUMNS} FROM link_rows_recent)"
    );
    let mut problems = Vec::new();
    let missing = count(&format!(
        "SELECT count(*) FROM ({LINK_ROWS_SELECT} EXCEPT {both})"
    ))?;
    if missing > 0 {
        problems.push(format!(
            "link rows: {missing} report(s) without their row, or with a row that differs"
        ));
    }
    let extra = count(&format!(
        "SELECT count(*) FROM ({both} EXCEPT {LINK_ROWS_SELECT})"
    ))?;
    if extra > 0 {
        problems.push(format!(
            "link rows: {extra} row(s) of no report, or that differ from their report"
        ));
    }
    let twice =
        count("SELECT count(*) FROM link_rows m JOIN link_rows_recent r USING (place, day, id)")?;
    if twice > 0 {
        problems.push(format!("link rows: {twice} report(s) with two rows"));
    }
    Ok(problems)
}

/// The ledger's places by number when it keeps link rows (migration 0014), else `None`
/// (a ledger opened read-only before it, whose reports are read whole).
pub(crate) fn places_if_kept(conn: &Connection) -> Result<Option<Vec<(i64, Place)>>, StoreError> {
    if !tables_exist(conn)? {
        return Ok(None);
    }
    places(conn).map(Some)
}

/// The ledger's places by number, each as reports hold it.
pub(crate) fn places(conn: &Connection) -> Result<Vec<(i64, Place)>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, {PLACE_COLUMNS} FROM places ORDER BY id"
    ))?;
    let mut rows = stmt.query([])?;
    let mut places = Vec::new();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        places.push((id, read_place(row, 1, &id.to_string())?));
    }
    Ok(places)
}

/// Days of one place, as `reports.date` writes them (text order is day order for dates
/// of four-digit years; `""` is a report without a date): the reports of `first`, and
/// those of the days after it up to `last` that are not curated rows (no batch), or all
/// of them when `every_batch`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DayRange {
    pub place: i64,
    pub first: String,
    pub last: String,
    pub every_batch: bool,
}

/// Every stored report (in `link_rows` or among the recent rows) of one of `ranges`, for
/// linking (see the module's comment), each once, in id order.
/// `places` gives each place by number.
pub(crate) fn linking_reports_at(
    conn: &Connection,
    ranges: &[DayRange],
    places: &rustc_hash::FxHashMap<i64, Place>,
) -> Result<Vec<Report>, StoreError> {
    let select = |table: &str| {
        format!(
            "SELECT {COLUMNS} FROM {table} WHERE place = ?1 AND day BETWEEN ?2 AND ?3
                 AND (day = ?2 OR batch IS NULL OR ?4)"
        )
    };
    // One statement a range, over the recent rows too when there are some.
    let sql = if recent_count(conn)? > 0 {
        format!(
            "{} UNION ALL {}",
            select("link_rows"),
            select("link_rows_recent")
        )
    } else {
        select("link_rows")
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut texts = TextsRead::default();
    let mut reports = Vec::new();
    for range in ranges {
        let Some(place) = places.get(&range.place) else {
            continue;
        };
        let mut rows = stmt.query(params![
            range.place,
            day_bound(&range.first),
            day_bound(&range.last),
            range.every_batch
        ])?;
        while let Some(row) = rows.next()? {
            reports.push(read_link_row(row, place, &mut texts)?);
        }
    }
    texts.fill(conn, &mut reports)?;
    reports.sort_unstable_by_key(|r: &Report| r.id);
    reports.dedup_by_key(|r| r.id);
    Ok(reports)
}

/// The texts that link rows hold by number, read once each after the rows: a report's
/// `batch`, `event_type` and `organizers` hold the number as text until
/// [`TextsRead::fill`] puts the text in its place.
#[derive(Default)]
struct TextsRead {
    numbers: Vec<i64>,
}

impl TextsRead {
    /// Keeps `number` to read, as the text standing for it.
    fn hold(&mut self, number: Option<i64>) -> Option<String> {
        number.map(|number| {
            self.numbers.push(number);
            number.to_string()
        })
    }

    /// Puts each text in place of its number in `reports`.
    fn fill(mut self, conn: &Connection, reports: &mut [Report]) -> Result<(), StoreError> {
        if self.numbers.is_empty() {
            return Ok(());
        }
        self.numbers.sort_unstable();
        self.numbers.dedup();
        let mut stmt = conn.prepare_cached("SELECT text FROM link_texts WHERE id = ?1")?;
        let mut texts: rustc_hash::FxHashMap<String, String> = Default::default();
        for number in self.numbers {
            let text: Option<String> = stmt.query_row([number], |row| row.get(0)).optional()?;
            let text = text.ok_or_else(|| StoreError::Corrupt {
                what: "link row",
                id: number.to_string(),
                reason: "a text number that link_texts does not hold".into(),
            })?;
            texts.insert(number.to_string(), text);
        }
        for report in reports {
            for field in [
                &mut report.batch,
                &mut report.event_type,
                &mut report.organizers,
            ] {
                if let Some(number) = field.as_mut() {
                    *number = texts[number.as_str()].clone();
                }
            }
        }
        Ok(())
    }
}

fn read_link_row(
    row: &rusqlite::Row<'_>,
    place: &Place,
    texts: &mut TextsRead,
) -> Result<Report, StoreError> {
    let id: i64 = row.get(2)?;
    let corrupt = |reason: String| StoreError::Corrupt {
        what: "link row",
        id: id.to_string(),
        reason,
    };
    let source = id_text(row.get_ref(3)?)?;
    let received_at: tally_model::Timestamp = chrono::DateTime::UNIX_EPOCH;
    let mut report = Report::new(SourceId(source), place.clone(), received_at);
    report.id = Some(ReportId(id));
    let day: i64 = row.get(1)?;
    report.date = date_of_day(day).ok_or_else(|| corrupt(format!("bad day {day}")))?;
    report.batch = texts.hold(row.get(4)?);
    report.event_type = texts.hold(row.get(5)?);
    report.organizers = texts.hold(row.get(6)?);
    report.title = row.get(7)?;
    report.headline = row.get(8)?;
    report.location_detail = row.get(9)?;
    let sizes: Option<String> = row.get(10)?;
    for size in sizes.iter().flat_map(|s| s.split(';')) {
        let (coded, size) = match size.strip_prefix('*') {
            Some(rest) => (true, rest),
            None => (false, size),
        };
        let bad = || corrupt(format!("bad sizes {size:?}"));
        let mut parts = size.split(' ');
        let low: u64 = parts.next().and_then(|n| n.parse().ok()).ok_or_else(bad)?;
        let mut high = low;
        let mut scope = Scope::Event;
        if let Some(part) = parts.next() {
            match part.parse() {
                Ok(number) => {
                    high = number;
                    if let Some(part) = parts.next() {
                        scope = part.parse().map_err(|_| bad())?;
                    }
                }
                Err(_) => scope = part.parse().map_err(|_| bad())?,
            }
        }
        if parts.next().is_some() {
            return Err(bad());
        }
        report.estimates.push(
            Estimate::range(low, high)
                .map_err(|e| corrupt(e.to_string()))?
                .with_scope(scope)
                .with_coded_by_rule(coded),
        );
    }
    Ok(report)
}
