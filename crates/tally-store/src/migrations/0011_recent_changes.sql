-- Additions cost what they add (issue 12): a small ingest into a large ledger changed
-- one page per added row in each b-tree keyed by a hash or by a day spread over the
-- years (the events and their date index, the per-day sums, the report locators: some
-- 3,700 pages of 16 KiB for 1,000 rows into a ledger of a million). A small relink now
-- writes what it changes into these small tables instead, which every read of the ledger
-- merges with the main ones (tally-store's `recent` module), and which are folded into
-- the main tables in one sorted pass by a bulk write, or when they grow past a share of
-- the main tables. All derived: a full relink empties them. (IF NOT EXISTS: a ledger
-- whose record of migrations was rewritten may hold them already.)

-- Events written by recent small relinks: a row here stands for the event of its id,
-- in place of any row of `events` with that id. `present` is 0 for an event that a
-- recent relink removed (the other columns are then NULL), 1 for its current row.
-- Rows are appended in the order written (a rowid table: an add fills the last pages);
-- only the index of ids takes a row per page at random, and it is small.
CREATE TABLE IF NOT EXISTS events_recent (
    id             TEXT NOT NULL UNIQUE,
    present        INTEGER NOT NULL DEFAULT 1,
    date           TEXT,
    state          TEXT,
    locality       TEXT,
    place_raw      TEXT,
    place_locality TEXT,
    place_state    TEXT,
    online         INTEGER,
    resolved_state TEXT,
    resolved_locality TEXT,
    county         TEXT,
    fips           TEXT,
    lat            REAL,
    lon            REAL,
    population     INTEGER,
    confidence     TEXT,
    event_type     TEXT,
    title          TEXT,
    organizers     TEXT,
    size_low       INTEGER,
    size_high      INTEGER,
    low_from       INTEGER,
    high_from      INTEGER,
    coded_by_rule  INTEGER,
    reports        TEXT,
    report_count   INTEGER
);

-- Changes to `event_sums` by recent small relinks, appended in the order written (a
-- key may have several rows; counts and sums may be negative): what a key holds is its
-- row of `event_sums` plus all of its rows here, and a key whose events add up to none
-- holds nothing.
CREATE TABLE IF NOT EXISTS event_sums_recent (
    date             TEXT NOT NULL,
    state            TEXT NOT NULL,
    locality         TEXT NOT NULL,
    events           INTEGER NOT NULL,
    events_with_size INTEGER NOT NULL,
    known_low        INTEGER NOT NULL,
    known_high       INTEGER NOT NULL
);

-- Locators of reports filed by recent small ingests, read together with
-- `report_locators`. Keyed by report first, so that an ingest appends to the last
-- pages; a read scans the whole (small) table.
CREATE TABLE IF NOT EXISTS report_locators_recent (
    report_id INTEGER NOT NULL,
    locator   INTEGER NOT NULL,
    PRIMARY KEY (report_id, locator)
) WITHOUT ROWID;
