-- A narrow covering index for counts and known sums: a scan of it reads a tenth of the
-- bytes of the events table, and its (state, locality) order lets the sums be grouped
-- by place without sorting, so totals without imputation stay fast at a million events.
-- It starts with the state, so it also serves the state filter that events_by_state
-- served: one index to keep up to date on every relink instead of two.
CREATE INDEX events_for_totals ON events(state, locality, date, size_low, size_high);
DROP INDEX events_by_state;
