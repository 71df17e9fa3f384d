-- Where each report can be found by the reports it may link with (issue 12): opaque
-- locators (a day and a place, hashed by the linker), so that an ingest reads only the
-- reports its new ones can reach instead of the whole ledger. Derived data: written
-- with the reports of every file and rewritten whole by every full relink. A ledger
-- that held reports before this migration has none; the first writer to open it files
-- them (see `Ledger::locators_missing`).
-- (IF NOT EXISTS: a ledger whose record of migrations was rewritten may hold it already.)
CREATE TABLE IF NOT EXISTS report_locators (
    locator   INTEGER NOT NULL,
    report_id INTEGER NOT NULL,
    PRIMARY KEY (locator, report_id)
) WITHOUT ROWID;
