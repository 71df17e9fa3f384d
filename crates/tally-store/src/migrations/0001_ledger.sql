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

CREATE TABLE sources (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    origin      TEXT NOT NULL,
    locator     TEXT,
    content     TEXT NOT NULL,
    received_at TEXT NOT NULL,
    file_id     INTEGER REFERENCES files(id)
) WITHOUT ROWID;

CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    source_id   TEXT NOT NULL REFERENCES sources(id),
    received_at TEXT NOT NULL,
    date        TEXT,
    batch       TEXT,
    body        TEXT NOT NULL
);
CREATE INDEX reports_by_source ON reports(source_id);

CREATE TABLE decisions (
    id       INTEGER PRIMARY KEY,
    made_at  TEXT NOT NULL,
    kind     TEXT NOT NULL,
    body     TEXT NOT NULL
);

CREATE TABLE events (
    id            TEXT PRIMARY KEY,
    date          TEXT,
    state         TEXT,
    locality      TEXT,
    fips          TEXT,
    lat           REAL,
    lon           REAL,
    population    INTEGER,
    event_type    TEXT,
    title         TEXT,
    organizers    TEXT,
    size_low      INTEGER,
    size_high     INTEGER,
    report_count  INTEGER NOT NULL,
    body          TEXT NOT NULL
);
CREATE INDEX events_by_date ON events(date);
CREATE INDEX events_by_state ON events(state, date);

CREATE TABLE event_reports (
    event_id  TEXT NOT NULL,
    report_id INTEGER NOT NULL,
    PRIMARY KEY (report_id, event_id)
) WITHOUT ROWID;
CREATE INDEX event_reports_by_event ON event_reports(event_id);

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
