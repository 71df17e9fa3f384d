-- Additions cost what they add (issue 12): the sources' addresses of recent files are
-- kept apart. An address is a hash, so each new source's entry in the index of
-- migration 0010 landed on a random page of it: 1,000 rows added to a ledger of a
-- million changed some 900 pages of 16 KiB there, nine tenths of all the pages such an
-- add changes, each written to the log and again at the checkpoint. Now the addresses
-- are two tables of (address, row): `source_addresses`, the main one, and
-- `source_addresses_recent`, small, where every new source's address goes (by the
-- trigger below); the recent ones are folded into the main table in one sorted pass
-- at the same points as the other recent tables of migration 0011 (tally-store's
-- `recent` module), and a bulk load writes its addresses into the main table by one
-- sort. An address is looked up in both. The sources table, its rows and their
-- addresses are unchanged. (IF NOT EXISTS, and emptied first: a ledger whose record of
-- migrations was rewritten may hold them already.)

CREATE TABLE IF NOT EXISTS source_addresses (
    id  BLOB PRIMARY KEY,
    row INTEGER NOT NULL
) WITHOUT ROWID;
DELETE FROM source_addresses;
INSERT INTO source_addresses (id, row) SELECT id, row FROM sources ORDER BY id;

CREATE TABLE IF NOT EXISTS source_addresses_recent (
    id  BLOB PRIMARY KEY,
    row INTEGER NOT NULL
) WITHOUT ROWID;
DELETE FROM source_addresses_recent;

DROP INDEX IF EXISTS sources_by_id;

-- An address stays unique: a new source whose address either table holds (or whose row
-- is taken) is refused, as before.
DROP TRIGGER IF EXISTS sources_refuse_replace;
CREATE TRIGGER sources_refuse_replace BEFORE INSERT ON sources
WHEN EXISTS (SELECT 1 FROM sources WHERE row = NEW.row)
  OR EXISTS (SELECT 1 FROM source_addresses WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM source_addresses_recent WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'sources are append-only: this source is already in the ledger'); END;

-- Every new source files its address among the recent ones.
CREATE TRIGGER IF NOT EXISTS sources_file_their_address AFTER INSERT ON sources
BEGIN INSERT INTO source_addresses_recent (id, row) VALUES (NEW.id, NEW.row); END;
