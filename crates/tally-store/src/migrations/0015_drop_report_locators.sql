-- The report locators (0007, 0008) and their recent part (0011) are no longer kept in a
-- SQLite ledger (issue 12): every reader that asked them which reports are at a place
-- and day now asks the link rows (0014), which answer the same question from the place's
-- number and the day, and which every file writes anyway. Kept, they were some 600,000
-- rows written by a bulk load of 300,000 reports (11.5 MB of the ledger) and two more
-- tables written by every small add, read by nothing. PostgreSQL keeps its own locators
-- (it has no link rows). (IF EXISTS: a ledger whose record of migrations was rewritten
-- may have dropped them already.)
DROP TABLE IF EXISTS report_locators_recent;
DROP TABLE IF EXISTS report_locators;
