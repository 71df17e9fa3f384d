-- Ingest speed (issue 12, the event write): an event names its place by number. The
-- twelve columns that copied an event's place into every row (place_raw … confidence)
-- held a few hundred distinct places over a million events, while `places` (0005)
-- already holds each place once and every report refers to it. Now `events.place`
-- refers to `places(id)`; the best-known state and locality (the grouping and filter
-- keys), the locality's population (read by every estimate) and everything else stay
-- as they were. A row is some 90 bytes and eleven bound values narrower, which is what
-- the single writer of a first ingest spends its time on. `events_recent` (0011) takes
-- the same shape. Derived tables, rebuilt in full: the ledger's code converts each
-- event's place into its number (adding a place no report holds, which only events
-- written by hand can name), and nothing is relinked.

CREATE TABLE events_by_place (
    id             TEXT PRIMARY KEY,
    date           TEXT,
    state          TEXT,
    locality       TEXT,
    place          INTEGER NOT NULL REFERENCES places(id),
    population     INTEGER,
    event_type     TEXT,
    title          TEXT,
    organizers     TEXT,
    size_low       INTEGER,
    size_high      INTEGER,
    low_from       INTEGER,
    high_from      INTEGER,
    coded_by_rule  INTEGER NOT NULL,
    reports        TEXT NOT NULL,
    report_count   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- A row here stands for the event of its id, in place of any row of `events` with that
-- id; `present` is 0 for an event that a recent relink removed (the other columns are
-- then NULL), 1 for its current row (see 0011).
CREATE TABLE events_recent_by_place (
    id             TEXT NOT NULL UNIQUE,
    present        INTEGER NOT NULL DEFAULT 1,
    date           TEXT,
    state          TEXT,
    locality       TEXT,
    place          INTEGER REFERENCES places(id),
    population     INTEGER,
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

-- convert

DROP TABLE events;
ALTER TABLE events_by_place RENAME TO events;
CREATE INDEX events_by_date ON events(date);
DROP TABLE events_recent;
ALTER TABLE events_recent_by_place RENAME TO events_recent;
