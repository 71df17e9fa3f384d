-- Additions cost what they add (issue 12): what linking reads of a stored report, kept
-- apart from the reports and clustered by place and day. A small ingest relinks the
-- blocks its new reports touch; it read each stored report of those blocks by three
-- random b-tree lookups (the report, its source's address, its estimates: some 7,500
-- reports for 1,000 rows added to a ledger of a million). Here a block is one short
-- range read by (place, day). Derived from the reports (a row per report, the same
-- fields as stored; tally-store's `link_rows` module writes and checks them): `source` is
-- the source's address as `sources.id` holds it, `day` the report's date ('' when it has
-- none), `sizes` each estimate's low and high (and its scope when it is not 'event'),
-- in order, joined by ';'. (IF NOT EXISTS: a ledger whose record of migrations was
-- rewritten may hold them already.)
CREATE TABLE IF NOT EXISTS link_rows (
    place      INTEGER NOT NULL,
    day        TEXT NOT NULL,
    id         INTEGER NOT NULL,
    source     BLOB NOT NULL,
    batch      TEXT,
    title      TEXT,
    headline   TEXT,
    event_type TEXT,
    detail     TEXT,
    sizes      TEXT,
    PRIMARY KEY (place, day, id)
) WITHOUT ROWID;

-- The rows of recent small ingests, read together with `link_rows` and folded into it
-- at the same points as the other recent tables (0011).
CREATE TABLE IF NOT EXISTS link_rows_recent (
    place      INTEGER NOT NULL,
    day        TEXT NOT NULL,
    id         INTEGER NOT NULL,
    source     BLOB NOT NULL,
    batch      TEXT,
    title      TEXT,
    headline   TEXT,
    event_type TEXT,
    detail     TEXT,
    sizes      TEXT,
    PRIMARY KEY (place, day, id)
) WITHOUT ROWID;

-- Every report stored so far, by one sorted insert (the ledger's code: the same select
-- that every later file's rows are written by, `link_rows::LINK_ROWS_SELECT`).

-- convert
