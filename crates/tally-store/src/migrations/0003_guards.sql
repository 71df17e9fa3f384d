-- The ledger defends itself (issue 13). The triggers of 0001 refuse UPDATE and DELETE,
-- but `REPLACE INTO` and `INSERT OR REPLACE` delete a conflicting row without firing
-- delete triggers, and an upsert's update path is easy to forget. So every append-only
-- table also refuses an INSERT whose key is already taken, before SQLite's conflict
-- handling can replace anything. The bookkeeping tables are guarded too.

-- A file's record is written when its ingest starts and sealed, with its counts, when
-- the ingest commits; after that it never changes. Earlier records are sealed.
ALTER TABLE files ADD COLUMN sealed INTEGER NOT NULL DEFAULT 1;

-- Event ids now derive from content (issue 13): mark the events stale so that the next
-- writer rebuilds them.
DELETE FROM meta WHERE key IN ('events_built_through', 'events_built_with_decisions');

CREATE TRIGGER sources_refuse_replace BEFORE INSERT ON sources
WHEN EXISTS (SELECT 1 FROM sources WHERE id = NEW.id OR row = NEW.row)
BEGIN SELECT RAISE(ABORT, 'sources are append-only: this source is already in the ledger'); END;

CREATE TRIGGER reports_refuse_replace BEFORE INSERT ON reports
WHEN EXISTS (SELECT 1 FROM reports WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'reports are append-only: this report id is taken'); END;

CREATE TRIGGER decisions_refuse_replace BEFORE INSERT ON decisions
WHEN EXISTS (SELECT 1 FROM decisions WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'decisions are append-only: this decision id is taken'); END;

CREATE TRIGGER files_refuse_replace BEFORE INSERT ON files
WHEN EXISTS (SELECT 1 FROM files WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'files are append-only: this file id is taken'); END;
CREATE TRIGGER files_are_append_only_delete BEFORE DELETE ON files
BEGIN SELECT RAISE(ABORT, 'files are append-only'); END;
CREATE TRIGGER files_are_sealed BEFORE UPDATE ON files
WHEN OLD.sealed <> 0 OR NEW.sealed <> 1
  OR NEW.id IS NOT OLD.id OR NEW.origin IS NOT OLD.origin
  OR NEW.content_hash IS NOT OLD.content_hash OR NEW.format IS NOT OLD.format
  OR NEW.encoding IS NOT OLD.encoding OR NEW.received_at IS NOT OLD.received_at
BEGIN SELECT RAISE(ABORT, 'files are append-only: a file record is sealed when its ingest commits'); END;

-- meta: only the markers of how far the derived events were built may change (they are
-- rewritten by every relink); every other key is written once and kept.
CREATE TRIGGER meta_refuse_replace BEFORE INSERT ON meta
WHEN EXISTS (SELECT 1 FROM meta WHERE key = NEW.key)
  AND NEW.key NOT IN ('events_built_through', 'events_built_with_decisions', 'migrations')
BEGIN SELECT RAISE(ABORT, 'meta is append-only: this key is already set'); END;
CREATE TRIGGER meta_is_append_only_update BEFORE UPDATE ON meta
WHEN NEW.key IS NOT OLD.key
  OR OLD.key NOT IN ('events_built_through', 'events_built_with_decisions', 'migrations')
BEGIN SELECT RAISE(ABORT, 'meta is append-only'); END;
CREATE TRIGGER meta_is_append_only_delete BEFORE DELETE ON meta
WHEN OLD.key NOT IN ('events_built_through', 'events_built_with_decisions', 'migrations')
BEGIN SELECT RAISE(ABORT, 'meta is append-only'); END;
