//! Reports by locator on PostgreSQL (the SQLite ledger's `locators.rs`): each report is
//! filed under the opaque locators the linker gives it, so that an ingest reads only the
//! reports its new ones can link with.

use crate::error::StoreError;
use postgres::GenericClient;
use tally_model::{Report, ReportId};

/// Files reports under their locators, inside the caller's transaction.
pub(crate) fn insert_locators(
    conn: &mut impl GenericClient,
    locators: &[(ReportId, Vec<i64>)],
) -> Result<(), StoreError> {
    let rows = crate::locators::locator_rows(locators);
    for chunk in rows.chunks(10_000) {
        let keys: Vec<i64> = chunk.iter().map(|(key, _)| *key).collect();
        let ids: Vec<i64> = chunk.iter().map(|(_, id)| *id).collect();
        conn.execute(
            "INSERT INTO report_locators (locator, report_id)
             SELECT * FROM unnest($1::int8[], $2::int8[])",
            &[&keys, &ids],
        )?;
    }
    Ok(())
}

/// Every report filed under any of `locators`, each once, in order of receipt.
pub(crate) fn reports_at_locators(
    conn: &mut impl GenericClient,
    locators: &[i64],
) -> Result<Vec<Report>, StoreError> {
    super::read_reports(
        conn,
        "id IN (SELECT report_id FROM report_locators WHERE locator = ANY($1))",
        &[&locators],
    )
}

/// The ids of the reports filed under any of `locators`, each once, in order of receipt.
pub(crate) fn report_ids_at_locators(
    conn: &mut impl GenericClient,
    locators: &[i64],
) -> Result<Vec<ReportId>, StoreError> {
    Ok(conn
        .query(
            "SELECT DISTINCT report_id FROM report_locators WHERE locator = ANY($1)
             ORDER BY report_id",
            &[&locators],
        )?
        .iter()
        .map(|row| ReportId(row.get(0)))
        .collect())
}

/// The reports with these ids, in order of receipt; missing ids are skipped.
pub(crate) fn reports_with_ids(
    conn: &mut impl GenericClient,
    ids: &[ReportId],
) -> Result<Vec<Report>, StoreError> {
    let numbers: Vec<i64> = ids.iter().map(|id| id.0).collect();
    super::read_reports(conn, "id = ANY($1)", &[&numbers])
}
