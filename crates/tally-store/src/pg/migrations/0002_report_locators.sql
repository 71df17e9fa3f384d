-- Where each report can be found by the reports it may link with (the SQLite ledger's
-- migration 0007): opaque locators computed by the linker from a report's day and place.
-- Derived: written with each file's reports and rewritten whole by a full relink.
CREATE TABLE report_locators (
    locator   BIGINT NOT NULL,
    report_id BIGINT NOT NULL,
    PRIMARY KEY (locator, report_id)
);
