-- Totals at scale (issue 12). Two things derived from the events, kept up to date as
-- events are written (whole or as an update), so that totals need no scan of the wide
-- events table:
--
-- * `events.report_count`: how many reports an event holds, a number that the
--   imputation model reads, instead of the space-separated list it would have to parse.
-- * `event_sums`: counts and known sums per day, state and locality. The known sums of
--   a selection by date and state are then a read of a few thousand rows, and the
--   localities and states it spans come from the same rows. `date`, `state` and
--   `locality` are '' when the events lack them; `locality` is the best-known locality
--   with spaces trimmed and ASCII letters lowercased (SQLite's trim() and lower()), so
--   names that differ only in case count as one place.
ALTER TABLE events ADD COLUMN report_count INTEGER NOT NULL DEFAULT 0;
UPDATE events SET report_count = length(reports) - length(replace(reports, ' ', '')) + (reports <> '');

CREATE TABLE event_sums (
    date             TEXT NOT NULL,
    state            TEXT NOT NULL,
    locality         TEXT NOT NULL,
    events           INTEGER NOT NULL,
    events_with_size INTEGER NOT NULL,
    known_low        INTEGER NOT NULL,
    known_high       INTEGER NOT NULL,
    PRIMARY KEY (date, state, locality)
) WITHOUT ROWID;

INSERT INTO event_sums (date, state, locality, events, events_with_size, known_low, known_high)
SELECT coalesce(date, ''), coalesce(state, ''), lower(trim(coalesce(locality, ''))),
       count(*),
       count(CASE WHEN size_low IS NOT NULL AND size_high IS NOT NULL THEN 1 END),
       coalesce(sum(CASE WHEN size_low IS NOT NULL AND size_high IS NOT NULL THEN size_low END), 0),
       coalesce(sum(CASE WHEN size_low IS NOT NULL AND size_high IS NOT NULL THEN size_high END), 0)
FROM events
GROUP BY 1, 2, 3;
