//! Whole-ledger rows on PostgreSQL, for `tally migrate-ledger`: read in id order, in one
//! snapshot.

use crate::copy::{
    DecisionRow, FileRow, LedgerRows, RevocationRow, SourceRow, SubmissionDecisionRow,
    SubmissionRow, TokenRow,
};
use crate::error::StoreError;
use crate::time::parse_timestamp;
use postgres::GenericClient;
use tally_model::{Source, SourceId, SourceKind};

pub(crate) fn export_rows(conn: &mut impl GenericClient) -> Result<LedgerRows, StoreError> {
    // One snapshot for every table, so that a writer committing meanwhile cannot make
    // the copy inconsistent.
    let mut tx = conn.transaction()?;
    tx.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
    let demo = tx
        .query_opt("SELECT 1 FROM meta WHERE key = 'demo'", &[])?
        .is_some();
    let tokens = tx
        .query(
            "SELECT id, role, name, hash, created_at FROM tokens ORDER BY id",
            &[],
        )?
        .iter()
        .map(|r| TokenRow {
            id: r.get(0),
            role: r.get(1),
            name: r.get(2),
            hash: r.get(3),
            created_at: r.get(4),
        })
        .collect();
    let token_revocations = tx
        .query(
            "SELECT token_id, revoked_at, revoked_by FROM token_revocations ORDER BY token_id",
            &[],
        )?
        .iter()
        .map(|r| RevocationRow {
            token_id: r.get(0),
            revoked_at: r.get(1),
            revoked_by: r.get(2),
        })
        .collect();
    let files = tx
        .query(
            "SELECT id, origin, content_hash, format, encoding, received_at, rows_read,
                    reports_added, duplicates, rejected, token_id
             FROM files WHERE sealed ORDER BY id",
            &[],
        )?
        .iter()
        .map(|r| FileRow {
            id: r.get(0),
            origin: r.get(1),
            content_hash: r.get(2),
            format: r.get(3),
            encoding: r.get(4),
            received_at: r.get(5),
            rows_read: r.get(6),
            reports_added: r.get(7),
            duplicates: r.get(8),
            rejected: r.get(9),
            token_id: r.get(10),
        })
        .collect();
    let mut sources = Vec::new();
    for r in tx.query(
        "SELECT id, kind, origin, locator, content, received_at, file_id
         FROM sources ORDER BY row",
        &[],
    )? {
        let id: String = r.get(0);
        let corrupt = |reason: String| StoreError::Corrupt {
            what: "source",
            id: id.clone(),
            reason,
        };
        let kind: String = r.get(1);
        let received_at: String = r.get(5);
        sources.push(SourceRow {
            file_id: r.get(6),
            source: Source {
                kind: SourceKind::parse(&kind)
                    .ok_or_else(|| corrupt(format!("unknown kind {kind:?}")))?,
                origin: r.get(2),
                locator: r.get(3),
                content: r.get(4),
                received_at: parse_timestamp(&received_at)
                    .ok_or_else(|| corrupt(format!("bad receipt time {received_at:?}")))?,
                id: SourceId(id.clone()),
            },
        });
    }
    let reports = super::read_reports(&mut tx, "true", &[])?;
    let decisions = tx
        .query(
            "SELECT id, made_at, kind, body, token_id FROM decisions ORDER BY id",
            &[],
        )?
        .iter()
        .map(|r| DecisionRow {
            id: r.get(0),
            made_at: r.get(1),
            kind: r.get(2),
            body: r.get(3),
            token_id: r.get(4),
        })
        .collect();
    let submissions = tx
        .query(
            "SELECT id, received_at, body, place_resolved FROM submissions ORDER BY id",
            &[],
        )?
        .iter()
        .map(|r| SubmissionRow {
            id: r.get(0),
            received_at: r.get(1),
            body: r.get(2),
            place_resolved: r.get(3),
        })
        .collect();
    let submission_decisions = tx
        .query(
            "SELECT submission_id, outcome, reason, report_id, decided_at, token_id
             FROM submission_decisions ORDER BY submission_id",
            &[],
        )?
        .iter()
        .map(|r| SubmissionDecisionRow {
            submission_id: r.get(0),
            outcome: r.get(1),
            reason: r.get(2),
            report_id: r.get(3),
            decided_at: r.get(4),
            token_id: r.get(5),
        })
        .collect();
    tx.commit()?;
    Ok(LedgerRows {
        demo,
        tokens,
        token_revocations,
        files,
        sources,
        reports,
        decisions,
        submissions,
        submission_decisions,
    })
}
