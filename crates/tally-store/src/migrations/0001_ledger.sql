-- The first ledger schema. Sources, reports and decisions are append-only (the
-- triggers refuse updates and deletes); events are derived and may be rebuilt.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE files (
    id            INTEGER PRIMARY KEY,
    origin        TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    format        TEXT NOT NULL,
    encoding      TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    rows_read     INTEGER NOT NULL,
    reports_added INTEGER NOT NULL,
    duplicates    INTEGER NOT NULL,
    rejected      INTEGER NOT NULL
);

-- Rows are large (a verbatim row or article), so sources keep a rowid and index
-- their content address separately.
CREATE TABLE sources (
    row         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    origin      TEXT NOT NULL,
    locator     TEXT,
    content     TEXT NOT NULL,
    received_at TEXT NOT NULL,
    file_id     INTEGER REFERENCES files(id)
);

-- The body is the report's JSON (its stored form; empty fields left out).
CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    source_row  INTEGER NOT NULL REFERENCES sources(row),
    received_at TEXT NOT NULL,
    date        TEXT,
    batch       TEXT,
    body        TEXT NOT NULL
);

CREATE TABLE decisions (
    id       INTEGER PRIMARY KEY,
    made_at  TEXT NOT NULL,
    kind     TEXT NOT NULL,
    body     TEXT NOT NULL
);

-- Events are derived: one row each, every field a column (no JSON body), so that
-- totals over millions of events read only numbers and short text. `state` and
-- `locality` are the best known (resolved, else as the source gave them);
-- `reports` lists the member report ids, space-separated, ascending.
CREATE TABLE events (
    id             TEXT PRIMARY KEY,
    date           TEXT,
    state          TEXT,
    locality       TEXT,
    place_raw      TEXT NOT NULL,
    place_locality TEXT,
    place_state    TEXT,
    online         INTEGER NOT NULL,
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
    coded_by_rule  INTEGER NOT NULL,
    reports        TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX events_by_date ON events(date);
CREATE INDEX events_by_state ON events(state, date);

CREATE TRIGGER sources_are_append_only_update BEFORE UPDATE ON sources
BEGIN SELECT RAISE(ABORT, 'sources are append-only'); END;
CREATE TRIGGER sources_are_append_only_delete BEFORE DELETE ON sources
BEGIN SELECT RAISE(ABORT, 'sources are append-only'); END;
CREATE TRIGGER reports_are_append_only_update BEFORE UPDATE ON reports
BEGIN SELECT RAISE(ABORT, 'reports are append-only'); END;
CREATE TRIGGER reports_are_append_only_delete BEFORE DELETE ON reports
BEGIN SELECT RAISE(ABORT, 'reports are append-only'); END;
CREATE TRIGGER decisions_are_append_only_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_are_append_only_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
