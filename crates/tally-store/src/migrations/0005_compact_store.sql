-- Store once, derive cheaply (issue 12). A file's source rows are kept once, compressed
-- in chunks, and each source is addressed by (chunk, start, length) into its chunk's
-- text; reports are typed columns (no JSON body), their places and estimates in tables
-- of their own. Content addresses, verbatim content and append-only stay as they were:
-- the same source ids, the same report ids and row numbers, byte-exact content.
--
-- The migration runs in three steps in one transaction: this part makes the new
-- tables; the ledger's code then copies every source and report into them (compressing
-- and decoding, which SQL cannot do); the part after the `convert` line below drops the
-- old tables, gives the new ones their names and guards them.

-- A run of consecutive sources of one file, their texts concatenated, compressed.
-- `codec` names the compression ('zstd'); `raw_len` is the text's length in bytes.
CREATE TABLE source_chunks (
    id      INTEGER PRIMARY KEY,
    file_id INTEGER REFERENCES files(id),
    codec   TEXT NOT NULL,
    raw_len INTEGER NOT NULL,
    data    BLOB NOT NULL
);

-- `id` is the content address: its 32 bytes when it is 64 lowercase hex digits (every
-- address Tally makes), else the text as given. `origin` and `received_at` are NULL when
-- they are the file's. The content is bytes [start, start + length) of the chunk's text.
CREATE TABLE sources_v5 (
    row         INTEGER PRIMARY KEY,
    id          BLOB NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    origin      TEXT,
    locator     TEXT,
    received_at TEXT,
    file_id     INTEGER REFERENCES files(id),
    chunk       INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    length      INTEGER NOT NULL
);

-- A report's place as it was read and resolved; reports of one place share a row.
-- `key` is the BLAKE3 hash of every field, so a place is stored once.
CREATE TABLE places (
    id                INTEGER PRIMARY KEY,
    key               BLOB NOT NULL UNIQUE,
    raw               TEXT NOT NULL,
    locality          TEXT,
    state             TEXT,
    online            INTEGER NOT NULL,
    resolved_state    TEXT,
    resolved_locality TEXT,
    county            TEXT,
    fips              TEXT,
    lat               REAL,
    lon               REAL,
    population        INTEGER,
    confidence        TEXT
);

-- One column per field of a report. `urls` is the list joined by line breaks (a JSON
-- array when a URL holds a line break or the first starts with '['); NULL when empty.
CREATE TABLE reports_v5 (
    id              INTEGER PRIMARY KEY,
    source_row      INTEGER NOT NULL REFERENCES sources(row),
    received_at     TEXT NOT NULL,
    date            TEXT,
    batch           TEXT,
    place           INTEGER NOT NULL REFERENCES places(id),
    location_detail TEXT,
    size_text       TEXT,
    event_count     INTEGER,
    event_type      TEXT,
    title           TEXT,
    headline        TEXT,
    organizers      TEXT,
    participants    TEXT,
    claims          TEXT,
    valence         TEXT,
    arrests         TEXT,
    publisher       TEXT,
    urls            TEXT,
    notes           TEXT,
    rsvp            INTEGER
);

-- A report's size estimates, in the order the report gives them.
CREATE TABLE report_estimates (
    report_id     INTEGER NOT NULL REFERENCES reports(id),
    ord           INTEGER NOT NULL,
    low           INTEGER NOT NULL,
    high          INTEGER NOT NULL,
    qualifier     TEXT,
    vague_text    TEXT,
    attribution   TEXT NOT NULL,
    scope         TEXT NOT NULL,
    coded_by_rule INTEGER NOT NULL,
    PRIMARY KEY (report_id, ord)
) WITHOUT ROWID;

-- convert

DROP TABLE reports;
DROP TABLE sources;
ALTER TABLE sources_v5 RENAME TO sources;
ALTER TABLE reports_v5 RENAME TO reports;

-- The guards of 0001 and 0003, again (they went with the old tables), and the same for
-- the new tables: no update, no delete, no insert over a taken key.
CREATE TRIGGER sources_are_append_only_update BEFORE UPDATE ON sources
BEGIN SELECT RAISE(ABORT, 'sources are append-only'); END;
CREATE TRIGGER sources_are_append_only_delete BEFORE DELETE ON sources
BEGIN SELECT RAISE(ABORT, 'sources are append-only'); END;
CREATE TRIGGER reports_are_append_only_update BEFORE UPDATE ON reports
BEGIN SELECT RAISE(ABORT, 'reports are append-only'); END;
CREATE TRIGGER reports_are_append_only_delete BEFORE DELETE ON reports
BEGIN SELECT RAISE(ABORT, 'reports are append-only'); END;
CREATE TRIGGER sources_refuse_replace BEFORE INSERT ON sources
WHEN EXISTS (SELECT 1 FROM sources WHERE id = NEW.id OR row = NEW.row)
BEGIN SELECT RAISE(ABORT, 'sources are append-only: this source is already in the ledger'); END;
CREATE TRIGGER reports_refuse_replace BEFORE INSERT ON reports
WHEN EXISTS (SELECT 1 FROM reports WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'reports are append-only: this report id is taken'); END;

CREATE TRIGGER source_chunks_are_append_only_update BEFORE UPDATE ON source_chunks
BEGIN SELECT RAISE(ABORT, 'source chunks are append-only'); END;
CREATE TRIGGER source_chunks_are_append_only_delete BEFORE DELETE ON source_chunks
BEGIN SELECT RAISE(ABORT, 'source chunks are append-only'); END;
CREATE TRIGGER source_chunks_refuse_replace BEFORE INSERT ON source_chunks
WHEN EXISTS (SELECT 1 FROM source_chunks WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'source chunks are append-only: this chunk id is taken'); END;

CREATE TRIGGER places_are_append_only_update BEFORE UPDATE ON places
BEGIN SELECT RAISE(ABORT, 'places are append-only'); END;
CREATE TRIGGER places_are_append_only_delete BEFORE DELETE ON places
BEGIN SELECT RAISE(ABORT, 'places are append-only'); END;
CREATE TRIGGER places_refuse_replace BEFORE INSERT ON places
WHEN EXISTS (SELECT 1 FROM places WHERE id = NEW.id OR key = NEW.key)
BEGIN SELECT RAISE(ABORT, 'places are append-only: this place is already in the ledger'); END;

CREATE TRIGGER report_estimates_are_append_only_update BEFORE UPDATE ON report_estimates
BEGIN SELECT RAISE(ABORT, 'report estimates are append-only'); END;
CREATE TRIGGER report_estimates_are_append_only_delete BEFORE DELETE ON report_estimates
BEGIN SELECT RAISE(ABORT, 'report estimates are append-only'); END;
CREATE TRIGGER report_estimates_refuse_replace BEFORE INSERT ON report_estimates
WHEN EXISTS (SELECT 1 FROM report_estimates WHERE report_id = NEW.report_id AND ord = NEW.ord)
BEGIN SELECT RAISE(ABORT, 'report estimates are append-only: this estimate is taken'); END;
