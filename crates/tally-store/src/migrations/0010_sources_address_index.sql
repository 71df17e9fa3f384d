-- The sources' content addresses are kept unique by an index of their own (issue 12),
-- no longer by the UNIQUE constraint of migration 0005: SQLite cannot drop a
-- constraint's index, and a file that is large beside the ledger is loaded with this
-- index dropped inside its transaction and created again, by one sort, before it
-- commits (see `BulkLoad` in ingest.rs). Row by row, each address (a hash) landed on a
-- random page of the index: half of the time of writing a source. The table is rebuilt
-- the way SQLite changes a table; every row keeps its number, address and place.

CREATE TABLE sources_v10 (
    row         INTEGER PRIMARY KEY,
    id          BLOB NOT NULL,
    kind        TEXT NOT NULL,
    origin      TEXT,
    locator     TEXT,
    received_at TEXT,
    file_id     INTEGER REFERENCES files(id),
    chunk       INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    length      INTEGER NOT NULL
);
INSERT INTO sources_v10 (row, id, kind, origin, locator, received_at, file_id, chunk, start,
                         length)
SELECT row, id, kind, origin, locator, received_at, file_id, chunk, start, length
FROM sources ORDER BY row;
DROP TABLE sources;
ALTER TABLE sources_v10 RENAME TO sources;
CREATE UNIQUE INDEX sources_by_id ON sources(id);

-- The guards of 0005, again (they went with the old table).
CREATE TRIGGER sources_are_append_only_update BEFORE UPDATE ON sources
BEGIN SELECT RAISE(ABORT, 'sources are append-only'); END;
CREATE TRIGGER sources_are_append_only_delete BEFORE DELETE ON sources
BEGIN SELECT RAISE(ABORT, 'sources are append-only'); END;
CREATE TRIGGER sources_refuse_replace BEFORE INSERT ON sources
WHEN EXISTS (SELECT 1 FROM sources WHERE id = NEW.id OR row = NEW.row)
BEGIN SELECT RAISE(ABORT, 'sources are append-only: this source is already in the ledger'); END;
