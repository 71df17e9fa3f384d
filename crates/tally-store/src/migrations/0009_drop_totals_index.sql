-- Additions cost what they add (issue 12): every event an ingest writes lands on a
-- page of each index of the events, scattered by date or by place, and the commit
-- writes each such page to SQLite's log and then into the ledger. Adding 1,000 rows to
-- a ledger of a million changed some 880 pages of `events_for_totals` (of 5,450 in
-- all). What it served is served otherwise now: known sums by day and state come from
-- `event_sums` (0006), selections of days from `events_by_date`, and a selection by
-- state alone (or by locality, text or type) reads the events table once, in storage
-- order, which at a million events costs about what walking a large state's entries
-- and opening each of its events did.
DROP INDEX IF EXISTS events_for_totals;
