//! CSV in the column layout of the published US crowd dataset.
//!
//! Columns: date, locality, state, location_detail, online, type, title,
//! organizations, participants, claims, valence, size_low, size_high, size_mean,
//! size_text, size_cat, arrests, source_1 ... source_N (N = 30, or more when an event
//! has more sources), lat, lon, resolved_county, fips_code. Empty values are written
//! `NA`, as the published files do; `online` is 1 or 0; `size_cat` follows
//! [`crate::size_category`].

use crate::{size_category, ExportRow, PublishError};
use std::io::Write;
use tally_model::CodingRules;

/// The number of source columns of the published layout.
pub const CSV_SOURCE_COLUMNS: usize = 30;

const NA: &str = "NA";

/// The columns before the sources, in order (the Parquet export has the same).
pub(crate) const LEADING_COLUMNS: [&str; 17] = [
    "date",
    "locality",
    "state",
    "location_detail",
    "online",
    "type",
    "title",
    "organizations",
    "participants",
    "claims",
    "valence",
    "size_low",
    "size_high",
    "size_mean",
    "size_text",
    "size_cat",
    "arrests",
];

/// The columns after the sources, in order.
pub(crate) const TRAILING_COLUMNS: [&str; 4] = ["lat", "lon", "resolved_county", "fips_code"];

/// How many `source_N` columns an export of `rows` has: 30, or more when an event has
/// more sources.
pub(crate) fn source_columns(rows: &[ExportRow]) -> usize {
    rows.iter()
        .map(|r| r.sources.len())
        .max()
        .unwrap_or(0)
        .max(CSV_SOURCE_COLUMNS)
}

/// Writes the header and one row per event; returns the rows written.
pub fn write_csv<W: Write>(w: W, rows: &[ExportRow]) -> Result<usize, PublishError> {
    write_csv_with(w, rows, CsvOptions::default())
}

/// How a CSV export treats its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// Prefix with a single quote every text cell that a spreadsheet would run as a
    /// formula (the OWASP rule: a first character of `=`, `+`, `-`, `@`, tab or carriage
    /// return). On by default: titles and sources come from strangers.
    pub neutralise_formulas: bool,
}

impl Default for CsvOptions {
    fn default() -> CsvOptions {
        CsvOptions {
            neutralise_formulas: true,
        }
    }
}

/// A cell that a spreadsheet would evaluate, made inert by a leading single quote.
/// Numbers (`-87.63`) are left alone: they are values, not formulas.
pub fn neutralise_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && cell.trim().parse::<f64>().map_or(true, |v| !v.is_finite()) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// [`write_csv`] with explicit options (`tally export --raw` turns neutralising off).
pub fn write_csv_with<W: Write>(
    w: W,
    rows: &[ExportRow],
    options: CsvOptions,
) -> Result<usize, PublishError> {
    let sources = source_columns(rows);
    let mut writer = csv::WriterBuilder::new().from_writer(w);
    let mut header: Vec<String> = LEADING_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.extend((1..=sources).map(|i| format!("source_{i}")));
    header.extend(TRAILING_COLUMNS.map(str::to_string));
    writer.write_record(&header).map_err(csv_error)?;
    let rules = CodingRules::default();
    let mut record: Vec<String> = Vec::with_capacity(header.len());
    for row in rows {
        record.clear();
        let text = |value: &Option<String>| value.clone().unwrap_or_else(|| NA.to_string());
        let number = |value: Option<u64>| value.map_or_else(|| NA.to_string(), |v| v.to_string());
        let float = |value: Option<f64>| value.map_or_else(|| NA.to_string(), |v| v.to_string());
        record.push(row.date.map_or_else(|| NA.to_string(), |d| d.to_string()));
        record.push(text(&row.locality));
        record.push(row.state.map_or_else(|| NA.to_string(), |s| s.to_string()));
        record.push(text(&row.location_detail));
        record.push(if row.online { "1" } else { "0" }.to_string());
        record.push(text(&row.event_type));
        record.push(text(&row.title));
        record.push(text(&row.organizations));
        record.push(text(&row.participants));
        record.push(text(&row.claims));
        record.push(text(&row.valence));
        record.push(number(row.size_low));
        record.push(number(row.size_high));
        record.push(float(row.size_mean()));
        record.push(
            row.exported_size_text(&rules)
                .map_or_else(|| NA.to_string(), str::to_string),
        );
        record.push(size_category(row.size_mean()).to_string());
        record.push(text(&row.arrests));
        for i in 0..sources {
            record.push(
                row.sources
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| NA.to_string()),
            );
        }
        record.push(float(row.lat));
        record.push(float(row.lon));
        record.push(text(&row.resolved_county));
        record.push(
            row.fips
                .as_ref()
                .map_or_else(|| NA.to_string(), |f| f.to_string()),
        );
        if options.neutralise_formulas {
            for cell in record.iter_mut() {
                if let std::borrow::Cow::Owned(safe) = neutralise_formula(cell) {
                    *cell = safe;
                }
            }
        }
        writer.write_record(&record).map_err(csv_error)?;
    }
    writer.flush()?;
    Ok(rows.len())
}

fn csv_error(error: csv::Error) -> PublishError {
    match error.into_kind() {
        csv::ErrorKind::Io(io) => PublishError::Io(io),
        other => PublishError::Csv(format!("{other:?}")),
    }
}

#[cfg(test)]
mod issue_13 {
    use super::*;

    #[test]
    fn issue_13_formula_cells_are_neutralised_and_numbers_kept() {
        for (cell, safe) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("@SUM(1+1)", "'@SUM(1+1)"),
            ("-2+3", "'-2+3"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-87.63", "-87.63"),
            ("+5", "+5"),
            ("No Kings", "No Kings"),
            ("", ""),
        ] {
            assert_eq!(neutralise_formula(cell), safe, "{cell:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_a_row_follow_the_layout() {
        let row = ExportRow {
            date: Some("2025-06-14".parse().unwrap()),
            locality: Some("St. Paul, with commas".into()),
            state: Some("MN".parse().unwrap()),
            size_low: Some(25_000),
            size_high: Some(80_000),
            sources: vec!["https://a".into()],
            ..ExportRow::default()
        };
        let mut out = Vec::new();
        assert_eq!(write_csv(&mut out, &[row]).unwrap(), 1);
        let text = String::from_utf8(out).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        assert!(header.starts_with("date,locality,state,location_detail,online,type,title,organizations,participants,claims,valence,size_low,size_high,size_mean,size_text,size_cat,arrests,source_1,"));
        assert!(header.ends_with(",source_30,lat,lon,resolved_county,fips_code"));
        assert_eq!(header.split(',').count(), 17 + 30 + 4);
        let row = lines.next().unwrap();
        assert!(row.starts_with("2025-06-14,\"St. Paul, with commas\",MN,NA,0,NA,NA,NA,NA,NA,NA,25000,80000,52500,NA,4,NA,https://a,NA,"));
    }
}
