-- The linker files reports under finer locators (issue 12): the area of two by two
-- linking cells instead of a 0.2-degree tile, and a report that is not a curated row also
-- under the day before its own. Locators written before are dropped; the first writer
-- to open the ledger files every report again (see `Ledger::locators_missing`).
DELETE FROM report_locators;
