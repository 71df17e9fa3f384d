-- Tokens and roles for the HTTP API, public submissions and their review, and the
-- token behind every write. Like the rest of the ledger, these tables are append-only:
-- a revocation and a review outcome are new rows, never edits.

-- A token is stored only as an argon2 hash (a PHC string). `id` is the short public
-- prefix of the token itself, so verifying one hashes once instead of once per token.
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
    -- NULL: revoked from the command line.
    revoked_by TEXT REFERENCES tokens(id)
);

-- A public submission as validated: its JSON body, and whether its place resolved.
-- It counts nowhere until a reviewer accepts it.
CREATE TABLE submissions (
    id             INTEGER PRIMARY KEY,
    received_at    TEXT NOT NULL,
    body           TEXT NOT NULL,
    place_resolved INTEGER NOT NULL
);

-- A reviewer's outcome for a submission: accepted (with the report it became) or
-- rejected (with a reason). One per submission.
CREATE TABLE submission_decisions (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL UNIQUE REFERENCES submissions(id),
    outcome       TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
    reason        TEXT,
    report_id     INTEGER REFERENCES reports(id),
    decided_at    TEXT NOT NULL,
    token_id      TEXT REFERENCES tokens(id)
);

-- Which token made a file's ingest or a link decision (NULL: the command line).
ALTER TABLE files ADD COLUMN token_id TEXT REFERENCES tokens(id);
ALTER TABLE decisions ADD COLUMN token_id TEXT REFERENCES tokens(id);

CREATE TRIGGER tokens_are_append_only_update BEFORE UPDATE ON tokens
BEGIN SELECT RAISE(ABORT, 'tokens are append-only'); END;
CREATE TRIGGER tokens_are_append_only_delete BEFORE DELETE ON tokens
BEGIN SELECT RAISE(ABORT, 'tokens are append-only'); END;
CREATE TRIGGER token_revocations_are_append_only_update BEFORE UPDATE ON token_revocations
BEGIN SELECT RAISE(ABORT, 'token revocations are append-only'); END;
CREATE TRIGGER token_revocations_are_append_only_delete BEFORE DELETE ON token_revocations
BEGIN SELECT RAISE(ABORT, 'token revocations are append-only'); END;
CREATE TRIGGER submissions_are_append_only_update BEFORE UPDATE ON submissions
BEGIN SELECT RAISE(ABORT, 'submissions are append-only'); END;
CREATE TRIGGER submissions_are_append_only_delete BEFORE DELETE ON submissions
BEGIN SELECT RAISE(ABORT, 'submissions are append-only'); END;
CREATE TRIGGER submission_decisions_are_append_only_update BEFORE UPDATE ON submission_decisions
BEGIN SELECT RAISE(ABORT, 'submission decisions are append-only'); END;
CREATE TRIGGER submission_decisions_are_append_only_delete BEFORE DELETE ON submission_decisions
BEGIN SELECT RAISE(ABORT, 'submission decisions are append-only'); END;
