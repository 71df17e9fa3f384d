//! API tokens and public submissions: stored, listed and reviewed, append-only.
//!
//! The ledger keeps only what it is handed: a token's hash (made by the server crate),
//! a submission's validated JSON. Revocations and review outcomes are new rows.

use crate::error::StoreError;
use crate::ledger::Ledger;
use crate::time::format_timestamp;
use rusqlite::{params, OptionalExtension};
use tally_model::Timestamp;

/// A token as stored: never the token itself, only its public id and its hash.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredToken {
    /// The token's public prefix, printed by `tally token list`.
    pub id: String,
    pub role: String,
    pub name: Option<String>,
    #[serde(skip)]
    pub hash: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// A public submission as stored, with its review outcome when it has one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredSubmission {
    pub id: i64,
    pub received_at: String,
    /// The validated submission, as JSON.
    pub body: String,
    pub place_resolved: bool,
    /// `pending`, `accepted` or `rejected`.
    pub status: String,
    pub reason: Option<String>,
    pub report_id: Option<i64>,
    pub decided_at: Option<String>,
}

/// Which submissions to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmissionStatus {
    Pending,
    Accepted,
    Rejected,
}

impl SubmissionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionStatus::Pending => "pending",
            SubmissionStatus::Accepted => "accepted",
            SubmissionStatus::Rejected => "rejected",
        }
    }
}

const SUBMISSION_COLUMNS: &str = "s.id, s.received_at, s.body, s.place_resolved,
    coalesce(d.outcome, 'pending'), d.reason, d.report_id, d.decided_at";

fn read_submission(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredSubmission> {
    Ok(StoredSubmission {
        id: row.get(0)?,
        received_at: row.get(1)?,
        body: row.get(2)?,
        place_resolved: row.get::<_, i64>(3)? != 0,
        status: row.get(4)?,
        reason: row.get(5)?,
        report_id: row.get(6)?,
        decided_at: row.get(7)?,
    })
}

impl Ledger {
    /// Appends a token. `id` must be new.
    pub fn add_token(
        &mut self,
        id: &str,
        role: &str,
        name: Option<&str>,
        hash: &str,
        created_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO tokens (id, role, name, hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, role, name, hash, format_timestamp(created_at)],
        )?;
        Ok(())
    }

    /// One token by its public id, revoked or not.
    pub fn token(&self, id: &str) -> Result<Option<StoredToken>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.id, t.role, t.name, t.hash, t.created_at, r.revoked_at
             FROM tokens t LEFT JOIN token_revocations r ON r.token_id = t.id WHERE t.id = ?1",
        )?;
        Ok(stmt.query_row(params![id], read_token).optional()?)
    }

    /// Every token, oldest first.
    pub fn tokens(&self) -> Result<Vec<StoredToken>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.id, t.role, t.name, t.hash, t.created_at, r.revoked_at
             FROM tokens t LEFT JOIN token_revocations r ON r.token_id = t.id
             ORDER BY t.created_at, t.id",
        )?;
        let rows = stmt.query_map([], read_token)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Appends a revocation; false when the token was already revoked. The author of
    /// this handle (if any) is recorded as the one who revoked it.
    pub fn revoke_token(&mut self, id: &str, at: Timestamp) -> Result<bool, StoreError> {
        let added = self.conn.execute(
            "INSERT OR IGNORE INTO token_revocations (token_id, revoked_at, revoked_by)
             VALUES (?1, ?2, ?3)",
            params![id, format_timestamp(at), self.author],
        )?;
        Ok(added == 1)
    }

    /// Appends a public submission; returns its number.
    pub fn add_submission(
        &mut self,
        received_at: Timestamp,
        body: &str,
        place_resolved: bool,
    ) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO submissions (received_at, body, place_resolved) VALUES (?1, ?2, ?3)",
            params![format_timestamp(received_at), body, place_resolved as i64],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// One submission with its review outcome.
    pub fn submission(&self, id: i64) -> Result<Option<StoredSubmission>, StoreError> {
        let sql = format!(
            "SELECT {SUBMISSION_COLUMNS} FROM submissions s
             LEFT JOIN submission_decisions d ON d.submission_id = s.id WHERE s.id = ?1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row(params![id], read_submission).optional()?)
    }

    /// Submissions with this status, oldest first, `limit` at most from `offset`.
    pub fn submissions(
        &self,
        status: SubmissionStatus,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<StoredSubmission>, StoreError> {
        let sql = format!(
            "SELECT {SUBMISSION_COLUMNS} FROM submissions s
             LEFT JOIN submission_decisions d ON d.submission_id = s.id
             WHERE coalesce(d.outcome, 'pending') = ?1 ORDER BY s.id LIMIT ?2 OFFSET ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![status.as_str(), limit as i64, offset as i64],
            read_submission,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many submissions wait for review.
    pub fn pending_submissions(&self) -> Result<u64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM submissions s
             WHERE NOT EXISTS (SELECT 1 FROM submission_decisions d WHERE d.submission_id = s.id)",
            [],
            |row| row.get::<_, i64>(0),
        )? as u64)
    }

    /// Appends a review outcome for a submission; false when it already had one (the
    /// first outcome stands). The author of this handle is recorded as the reviewer.
    pub fn decide_submission(
        &mut self,
        id: i64,
        status: SubmissionStatus,
        reason: Option<&str>,
        report_id: Option<i64>,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let added = self.conn.execute(
            "INSERT OR IGNORE INTO submission_decisions
                 (submission_id, outcome, reason, report_id, decided_at, token_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                id,
                status.as_str(),
                reason,
                report_id,
                format_timestamp(at),
                self.author
            ],
        )?;
        Ok(added == 1)
    }

    /// The newest report of the file with this origin, if any: what accepting a
    /// submission added.
    pub fn last_report_of_origin(&self, origin: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT max(r.id) FROM reports r JOIN sources s ON s.row = r.source_row
                 LEFT JOIN files f ON f.id = s.file_id
                 WHERE coalesce(s.origin, f.origin) = ?1",
                params![origin],
                |row| row.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten())
    }

    /// The token that made a file's ingest (`None`: the command line).
    pub fn file_author(&self, file_id: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT token_id FROM files WHERE id = ?1",
                params![file_id],
                |row| row.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    }

    /// The token that made a decision (`None`: the command line).
    pub fn decision_author(&self, decision_id: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT token_id FROM decisions WHERE id = ?1",
                params![decision_id],
                |row| row.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    }
}

fn read_token(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredToken> {
    Ok(StoredToken {
        id: row.get(0)?,
        role: row.get(1)?,
        name: row.get(2)?,
        hash: row.get(3)?,
        created_at: row.get(4)?,
        revoked_at: row.get(5)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn tokens_and_submissions_are_append_only() {
        let mut ledger = Ledger::open_in_memory().unwrap();
        ledger
            .add_token(
                "abc12345",
                "reviewer",
                Some("desk"),
                "$argon2id$x",
                Utc::now(),
            )
            .unwrap();
        assert!(ledger.revoke_token("abc12345", Utc::now()).unwrap());
        assert!(!ledger.revoke_token("abc12345", Utc::now()).unwrap());
        assert!(ledger
            .token("abc12345")
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some());
        let id = ledger.add_submission(Utc::now(), "{}", true).unwrap();
        assert_eq!(ledger.pending_submissions().unwrap(), 1);
        assert!(ledger
            .decide_submission(
                id,
                SubmissionStatus::Rejected,
                Some("spam"),
                None,
                Utc::now()
            )
            .unwrap());
        // The first outcome stands; a second one is not recorded.
        assert!(!ledger
            .decide_submission(id, SubmissionStatus::Accepted, None, None, Utc::now())
            .unwrap());
        assert_eq!(ledger.pending_submissions().unwrap(), 0);
        let rejected = ledger
            .submissions(SubmissionStatus::Rejected, 10, 0)
            .unwrap();
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].reason.as_deref(), Some("spam"));
        for sql in [
            "UPDATE tokens SET role = 'admin'",
            "DELETE FROM tokens",
            "DELETE FROM token_revocations",
            "UPDATE submissions SET body = '{\"x\":1}'",
            "DELETE FROM submissions",
            "UPDATE submission_decisions SET outcome = 'accepted'",
            "DELETE FROM submission_decisions",
        ] {
            let error = ledger.conn.execute(sql, []).unwrap_err().to_string();
            assert!(error.contains("append-only"), "{sql}: {error}");
        }
    }

    #[test]
    fn writes_record_their_author() {
        let mut ledger = Ledger::open_in_memory().unwrap();
        ledger
            .add_token("tok00001", "reviewer", None, "$argon2id$x", Utc::now())
            .unwrap();
        let by_cli = ledger.record_decision(Utc::now(), "reject", "{}").unwrap();
        ledger.set_author(Some("tok00001".into()));
        let by_token = ledger.record_decision(Utc::now(), "reject", "{}").unwrap();
        assert_eq!(ledger.decision_author(by_cli).unwrap(), None);
        assert_eq!(
            ledger.decision_author(by_token).unwrap().as_deref(),
            Some("tok00001")
        );
    }
}
