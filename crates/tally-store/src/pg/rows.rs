//! Whole-ledger rows on PostgreSQL, for `tally migrate-ledger`: read in id order, and
//! written into an empty ledger inside the caller's transaction, keeping every id.

use crate::copy::{
    DecisionRow, FileRow, LedgerRows, ReportRow, RevocationRow, SourceRow, SubmissionDecisionRow,
    SubmissionRow, TokenRow,
};
use crate::error::StoreError;
use postgres::GenericClient;
use std::path::Path;

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
    let sources = tx
        .query(
            "SELECT row, id, kind, origin, locator, content, received_at, file_id
             FROM sources ORDER BY row",
            &[],
        )?
        .iter()
        .map(|r| SourceRow {
            row: r.get(0),
            id: r.get(1),
            kind: r.get(2),
            origin: r.get(3),
            locator: r.get(4),
            content: r.get(5),
            received_at: r.get(6),
            file_id: r.get(7),
        })
        .collect();
    let reports = tx
        .query(
            "SELECT id, source_row, received_at, date, batch, body FROM reports ORDER BY id",
            &[],
        )?
        .iter()
        .map(|r| ReportRow {
            id: r.get(0),
            source_row: r.get(1),
            received_at: r.get(2),
            date: r.get(3),
            batch: r.get(4),
            body: r.get(5),
        })
        .collect();
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

pub(crate) fn import_rows(
    tx: &mut impl GenericClient,
    rows: &LedgerRows,
    path: &Path,
) -> Result<(), StoreError> {
    let held: i64 = tx
        .query_one(
            "SELECT (SELECT count(*) FROM files) + (SELECT count(*) FROM sources)
                  + (SELECT count(*) FROM decisions) + (SELECT count(*) FROM tokens)
                  + (SELECT count(*) FROM submissions)",
            &[],
        )?
        .get(0);
    if held > 0 {
        return Err(StoreError::NotEmpty {
            path: path.to_path_buf(),
        });
    }
    if rows.demo {
        tx.execute("INSERT INTO meta (key, value) VALUES ('demo', '1')", &[])?;
    }
    let insert = tx.prepare(
        "INSERT INTO tokens (id, role, name, hash, created_at) VALUES ($1, $2, $3, $4, $5)",
    )?;
    for t in &rows.tokens {
        tx.execute(&insert, &[&t.id, &t.role, &t.name, &t.hash, &t.created_at])?;
    }
    let insert = tx.prepare(
        "INSERT INTO token_revocations (token_id, revoked_at, revoked_by) VALUES ($1, $2, $3)",
    )?;
    for r in &rows.token_revocations {
        tx.execute(&insert, &[&r.token_id, &r.revoked_at, &r.revoked_by])?;
    }
    let insert = tx.prepare(
        "INSERT INTO files (id, origin, content_hash, format, encoding, received_at, rows_read,
                            reports_added, duplicates, rejected, token_id, sealed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, true)",
    )?;
    for f in &rows.files {
        tx.execute(
            &insert,
            &[
                &f.id,
                &f.origin,
                &f.content_hash,
                &f.format,
                &f.encoding,
                &f.received_at,
                &f.rows_read,
                &f.reports_added,
                &f.duplicates,
                &f.rejected,
                &f.token_id,
            ],
        )?;
    }
    let insert = tx.prepare(
        "INSERT INTO sources (row, id, kind, origin, locator, content, received_at, file_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )?;
    for s in &rows.sources {
        tx.execute(
            &insert,
            &[
                &s.row,
                &s.id,
                &s.kind,
                &s.origin,
                &s.locator,
                &s.content,
                &s.received_at,
                &s.file_id,
            ],
        )?;
    }
    let insert = tx.prepare(
        "INSERT INTO reports (id, source_row, received_at, date, batch, body)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )?;
    for r in &rows.reports {
        tx.execute(
            &insert,
            &[
                &r.id,
                &r.source_row,
                &r.received_at,
                &r.date,
                &r.batch,
                &r.body,
            ],
        )?;
    }
    let insert = tx.prepare(
        "INSERT INTO decisions (id, made_at, kind, body, token_id) VALUES ($1, $2, $3, $4, $5)",
    )?;
    for d in &rows.decisions {
        tx.execute(&insert, &[&d.id, &d.made_at, &d.kind, &d.body, &d.token_id])?;
    }
    let insert = tx.prepare(
        "INSERT INTO submissions (id, received_at, body, place_resolved) VALUES ($1, $2, $3, $4)",
    )?;
    for s in &rows.submissions {
        tx.execute(
            &insert,
            &[&s.id, &s.received_at, &s.body, &s.place_resolved],
        )?;
    }
    let insert = tx.prepare(
        "INSERT INTO submission_decisions
             (submission_id, outcome, reason, report_id, decided_at, token_id)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )?;
    for d in &rows.submission_decisions {
        tx.execute(
            &insert,
            &[
                &d.submission_id,
                &d.outcome,
                &d.reason,
                &d.report_id,
                &d.decided_at,
                &d.token_id,
            ],
        )?;
    }
    // The events are derived: the caller rebuilds them. Until then they are stale.
    tx.execute(
        "DELETE FROM meta WHERE key IN ('events_built_through', 'events_built_with_decisions')",
        &[],
    )?;
    tx.execute("DELETE FROM events", &[])?;
    Ok(())
}
