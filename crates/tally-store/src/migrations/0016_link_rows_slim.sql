-- Link rows of fewer bytes, holding what an event is built from (issue 12). The rows of
-- 0014 (about 105 bytes of payload a report, 37.7 MB for 300,000) are the bulk load's
-- last write on the single writer, and a small add read some 390 whole reports by id
-- after them (random b-tree lookups into the reports of a large ledger) for the only
-- two fields an event takes from a report that they lacked: its organizers and whether
-- each estimate was coded by rule. Here, a row per report as before, in the same key
-- order (place, day, id):
-- * `day` is the report's date as its number of days from 1970-01-01 (two bytes for
--   the dates of this century, against ten of text), -2147483648 without a date (below
--   every day, as '' sorted before every date);
-- * `batch`, `event_type` and `organizers` are numbers into `link_texts`, which holds
--   each of their texts once (a file's rows share their batch; types and organizers
--   repeat);
-- * `sizes` is each estimate, in order and joined by ';': '*' when it was coded by rule,
--   its low, its high when it differs, its scope when it is not 'event', apart by
--   spaces ('1500', '*250 628', '50000 aggregate').
-- Derived from the reports and written with them, as before (tally-store's `link_rows`
-- module; `tally verify` compares them); the rows of 0014's layout are dropped and
-- written again from the reports. (IF EXISTS / IF NOT EXISTS: a ledger whose record of
-- migrations was rewritten may hold them already.)
DROP TABLE IF EXISTS link_rows;
DROP TABLE IF EXISTS link_rows_recent;

CREATE TABLE IF NOT EXISTS link_texts (
    id   INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE
);

CREATE TABLE link_rows (
    place      INTEGER NOT NULL,
    day        INTEGER NOT NULL,
    id         INTEGER NOT NULL,
    source     BLOB NOT NULL,
    batch      INTEGER,
    event_type INTEGER,
    organizers INTEGER,
    title      TEXT,
    headline   TEXT,
    detail     TEXT,
    sizes      TEXT,
    PRIMARY KEY (place, day, id)
) WITHOUT ROWID;

CREATE TABLE link_rows_recent (
    place      INTEGER NOT NULL,
    day        INTEGER NOT NULL,
    id         INTEGER NOT NULL,
    source     BLOB NOT NULL,
    batch      INTEGER,
    event_type INTEGER,
    organizers INTEGER,
    title      TEXT,
    headline   TEXT,
    detail     TEXT,
    sizes      TEXT,
    PRIMARY KEY (place, day, id)
) WITHOUT ROWID;

-- Every report stored so far, by one sorted insert (the ledger's code: the same select
-- that every later file's rows are written by, `link_rows::LINK_ROWS_SELECT`).

-- convert
