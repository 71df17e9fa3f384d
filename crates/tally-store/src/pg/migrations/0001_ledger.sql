-- The ledger on PostgreSQL: the same tables as the SQLite ledger (through its migration
-- 0004), with the same append-only guards, enforced here by triggers that no client can
-- step around (`psql` included). Timestamps and dates are kept as the same fixed-width
-- UTC text as in SQLite, so that "as of" cut-offs and orderings are byte-identical.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE tokens (
    id         TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('curator', 'reviewer', 'admin')),
    name       TEXT,
    hash       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE token_revocations (
    token_id   TEXT PRIMARY KEY REFERENCES tokens(id),
    revoked_at TEXT NOT NULL,
    revoked_by TEXT REFERENCES tokens(id)
);

-- Ids are handed out by tally (the next number, under the ledger's write lock) rather
-- than by sequences, so that a rolled-back file leaves no gap and the same files get the
-- same report numbers in SQLite and PostgreSQL.
CREATE TABLE files (
    id            BIGINT PRIMARY KEY,
    origin        TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    format        TEXT NOT NULL,
    encoding      TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    rows_read     BIGINT NOT NULL,
    reports_added BIGINT NOT NULL,
    duplicates    BIGINT NOT NULL,
    rejected      BIGINT NOT NULL,
    sealed        BOOLEAN NOT NULL,
    token_id      TEXT REFERENCES tokens(id)
);

CREATE TABLE sources (
    row         BIGINT PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    origin      TEXT NOT NULL,
    locator     TEXT,
    content     TEXT NOT NULL,
    received_at TEXT NOT NULL,
    file_id     BIGINT REFERENCES files(id)
);
CREATE INDEX sources_by_file ON sources(file_id);

CREATE TABLE reports (
    id          BIGINT PRIMARY KEY,
    source_row  BIGINT NOT NULL REFERENCES sources(row),
    received_at TEXT NOT NULL,
    date        TEXT,
    batch       TEXT,
    body        TEXT NOT NULL
);
CREATE INDEX reports_by_source ON reports(source_row);

CREATE TABLE decisions (
    id       BIGINT PRIMARY KEY,
    made_at  TEXT NOT NULL,
    kind     TEXT NOT NULL,
    body     TEXT NOT NULL,
    token_id TEXT REFERENCES tokens(id)
);

CREATE TABLE submissions (
    id             BIGINT PRIMARY KEY,
    received_at    TEXT NOT NULL,
    body           TEXT NOT NULL,
    place_resolved BOOLEAN NOT NULL
);

CREATE TABLE submission_decisions (
    id            BIGSERIAL PRIMARY KEY,
    submission_id BIGINT NOT NULL UNIQUE REFERENCES submissions(id),
    outcome       TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
    reason        TEXT,
    report_id     BIGINT REFERENCES reports(id),
    decided_at    TEXT NOT NULL,
    token_id      TEXT REFERENCES tokens(id)
);

-- Derived: rebuilt from reports and decisions, so rows change freely.
CREATE TABLE events (
    id                TEXT PRIMARY KEY,
    date              TEXT,
    state             TEXT,
    locality          TEXT,
    place_raw         TEXT NOT NULL,
    place_locality    TEXT,
    place_state       TEXT,
    online            BOOLEAN NOT NULL,
    resolved_state    TEXT,
    resolved_locality TEXT,
    county            TEXT,
    fips              TEXT,
    lat               DOUBLE PRECISION,
    lon               DOUBLE PRECISION,
    population        BIGINT,
    confidence        TEXT,
    event_type        TEXT,
    title             TEXT,
    organizers        TEXT,
    size_low          BIGINT,
    size_high         BIGINT,
    low_from          BIGINT,
    high_from         BIGINT,
    coded_by_rule     BOOLEAN NOT NULL,
    reports           TEXT NOT NULL
);
CREATE INDEX events_by_date ON events(date);
CREATE INDEX events_for_totals ON events(state, locality, date, size_low, size_high);

-- The guards. One function refuses any change; each append-only table calls it before
-- UPDATE, DELETE and TRUNCATE. An upsert's update path (`ON CONFLICT DO UPDATE`) fires
-- the UPDATE trigger too, and a taken key is refused by the primary key, so nothing can
-- rewrite a row.
CREATE FUNCTION tally_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% are append-only', replace(TG_TABLE_NAME, '_', ' ')
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER sources_are_append_only BEFORE UPDATE OR DELETE ON sources
    FOR EACH ROW EXECUTE FUNCTION tally_append_only();
CREATE TRIGGER sources_refuse_truncate BEFORE TRUNCATE ON sources
    FOR EACH STATEMENT EXECUTE FUNCTION tally_append_only();
CREATE TRIGGER reports_are_append_only BEFORE UPDATE OR DELETE ON reports
    FOR EACH ROW EXECUTE FUNCTION tally_append_only();
CREATE TRIGGER reports_refuse_truncate BEFORE TRUNCATE ON reports
    FOR EACH STATEMENT EXECUTE FUNCTION tally_append_only();
CREATE TRIGGER decisions_are_append_only BEFORE UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION tally_append_only();
CREATE TRIGGER decisions_refuse_truncate BEFORE TRUNCATE ON decisions
    FOR EACH STATEMENT EXECUTE FUNCTION tally_append_only();
CREATE TRIGGER submissions_are_append_only BEFORE UPDATE OR DELETE ON submissions
    FOR EACH ROW EXECUTE FUNCTION tally_append_only();
CREATE TRIGGER submissions_refuse_truncate BEFORE TRUNCATE ON submissions
    FOR EACH STATEMENT EXECUTE FUNCTION tally_append_only();
CREATE TRIGGER submission_decisions_are_append_only BEFORE UPDATE OR DELETE ON submission_decisions
    FOR EACH ROW EXECUTE FUNCTION tally_append_only();
CREATE TRIGGER submission_decisions_refuse_truncate BEFORE TRUNCATE ON submission_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION tally_append_only();
CREATE TRIGGER tokens_are_append_only BEFORE UPDATE OR DELETE ON tokens
    FOR EACH ROW EXECUTE FUNCTION tally_append_only();
CREATE TRIGGER tokens_refuse_truncate BEFORE TRUNCATE ON tokens
    FOR EACH STATEMENT EXECUTE FUNCTION tally_append_only();
CREATE TRIGGER token_revocations_are_append_only BEFORE UPDATE OR DELETE ON token_revocations
    FOR EACH ROW EXECUTE FUNCTION tally_append_only();
CREATE TRIGGER token_revocations_refuse_truncate BEFORE TRUNCATE ON token_revocations
    FOR EACH STATEMENT EXECUTE FUNCTION tally_append_only();

-- A file's record is written when its ingest starts and sealed, with its counts, when
-- the ingest commits; after that it never changes, and it is never deleted.
CREATE FUNCTION tally_files_are_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR OLD.sealed OR NOT NEW.sealed
       OR NEW.id IS DISTINCT FROM OLD.id OR NEW.origin IS DISTINCT FROM OLD.origin
       OR NEW.content_hash IS DISTINCT FROM OLD.content_hash
       OR NEW.format IS DISTINCT FROM OLD.format OR NEW.encoding IS DISTINCT FROM OLD.encoding
       OR NEW.received_at IS DISTINCT FROM OLD.received_at
       OR NEW.token_id IS DISTINCT FROM OLD.token_id THEN
        RAISE EXCEPTION 'files are append-only: a file record is sealed when its ingest commits'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER files_are_sealed BEFORE UPDATE OR DELETE ON files
    FOR EACH ROW EXECUTE FUNCTION tally_files_are_sealed();
CREATE TRIGGER files_refuse_truncate BEFORE TRUNCATE ON files
    FOR EACH STATEMENT EXECUTE FUNCTION tally_append_only();

-- meta: only the markers of how far the derived events were built may change.
CREATE FUNCTION tally_meta_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.key NOT IN ('events_built_through', 'events_built_with_decisions')
       OR (TG_OP = 'UPDATE' AND NEW.key IS DISTINCT FROM OLD.key) THEN
        RAISE EXCEPTION 'meta is append-only' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER meta_is_append_only BEFORE UPDATE OR DELETE ON meta
    FOR EACH ROW EXECUTE FUNCTION tally_meta_is_append_only();
CREATE TRIGGER meta_refuse_truncate BEFORE TRUNCATE ON meta
    FOR EACH STATEMENT EXECUTE FUNCTION tally_append_only();
