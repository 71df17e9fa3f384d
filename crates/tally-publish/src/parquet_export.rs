//! Parquet with the CSV export's columns, typed, plus the event id.
//!
//! Columns, in order: `event_id`, then the CSV layout (date, locality, state,
//! location_detail, online, type, title, organizations, participants, claims, valence,
//! size_low, size_high, size_mean, size_text, size_cat, arrests, source_1 ... source_N,
//! lat, lon, resolved_county, fips_code). A value the CSV writes as `NA` is a null here,
//! so every column but `online` and `size_cat` is nullable. Types: `date` is a Parquet
//! DATE, `online` a boolean, `size_low`/`size_high` 64-bit integers, `size_cat` a 32-bit
//! integer, `size_mean`/`lat`/`lon` doubles, the rest UTF-8 strings (`fips_code` too: it
//! keeps its leading zero).
//!
//! Cells are the values, never neutralised for spreadsheets (no leading quote): Parquet
//! is read by data tools, which do not run formulas. Pages are snappy-compressed and
//! dictionary-encoded; rows are cut into row groups of [`PARQUET_ROW_GROUP_ROWS`] so
//! readers can work on a large export in parallel.
//!
//! Written with the `parquet` crate's low-level column writers (no Arrow).

use crate::csv_export::{source_columns, LEADING_COLUMNS, TRAILING_COLUMNS};
use crate::{size_category, ExportRow, PublishError};
use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::{SerializedColumnWriter, SerializedFileWriter};
use std::io::Write;
use std::sync::Arc;
use tally_model::{CodingRules, Date};

/// Rows per row group: large enough that the per-group overhead is small, small enough
/// that a million-event export has several groups to read in parallel.
pub const PARQUET_ROW_GROUP_ROWS: usize = 100_000;

/// How a Parquet export is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParquetOptions {
    /// Snappy-compress the pages (the default). Off, pages are stored as they are.
    pub compress: bool,
}

impl Default for ParquetOptions {
    fn default() -> ParquetOptions {
        ParquetOptions { compress: true }
    }
}

/// One column of the export: which value of a row it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    EventId,
    /// A column of the CSV layout other than the sources, by its CSV name.
    Csv(&'static str),
    /// `source_{n + 1}`.
    Source(usize),
}

impl Field {
    /// The columns in file order: the event id, then the CSV layout's.
    fn all(sources: usize) -> Vec<(Field, String)> {
        let mut fields = vec![(Field::EventId, "event_id".to_string())];
        fields.extend(LEADING_COLUMNS.map(|name| (Field::Csv(name), name.to_string())));
        fields.extend((0..sources).map(|i| (Field::Source(i), format!("source_{}", i + 1))));
        fields.extend(TRAILING_COLUMNS.map(|name| (Field::Csv(name), name.to_string())));
        fields
    }

    /// The column's line in the Parquet schema.
    fn schema_line(self, name: &str) -> String {
        let kind = match self {
            Field::Csv("date") => "OPTIONAL INT32 {} (DATE)",
            Field::Csv("online") => "REQUIRED BOOLEAN {}",
            Field::Csv("size_low" | "size_high") => "OPTIONAL INT64 {}",
            Field::Csv("size_cat") => "REQUIRED INT32 {}",
            Field::Csv("size_mean" | "lat" | "lon") => "OPTIONAL DOUBLE {}",
            _ => "OPTIONAL BYTE_ARRAY {} (UTF8)",
        };
        format!("  {};\n", kind.replace("{}", name))
    }

    /// The text of a string column, `None` for a null.
    fn text<'r>(self, row: &'r ExportRow, rules: &CodingRules) -> Option<&'r str> {
        match self {
            Field::EventId => row.id.as_deref(),
            Field::Source(i) => row.sources.get(i).map(String::as_str),
            Field::Csv("locality") => row.locality.as_deref(),
            Field::Csv("state") => row.state.map(|s| s.as_str()),
            Field::Csv("location_detail") => row.location_detail.as_deref(),
            Field::Csv("type") => row.event_type.as_deref(),
            Field::Csv("title") => row.title.as_deref(),
            Field::Csv("organizations") => row.organizations.as_deref(),
            Field::Csv("participants") => row.participants.as_deref(),
            Field::Csv("claims") => row.claims.as_deref(),
            Field::Csv("valence") => row.valence.as_deref(),
            Field::Csv("size_text") => row.exported_size_text(rules),
            Field::Csv("arrests") => row.arrests.as_deref(),
            Field::Csv("resolved_county") => row.resolved_county.as_deref(),
            Field::Csv("fips_code") => row.fips.as_ref().map(|f| f.as_str()),
            Field::Csv(other) => unreachable!("{other} is not a string column"),
        }
    }
}

/// Days since 1970-01-01, as a Parquet DATE holds them.
fn days_since_epoch(date: Date) -> i32 {
    let epoch = Date::from_ymd_opt(1970, 1, 1).expect("a valid date");
    // Dates are bounded (tally_model::bounds) to a few centuries around now.
    i32::try_from(date.signed_duration_since(epoch).num_days()).expect("a bounded date")
}

/// Writes every row as Parquet to `w`; returns the rows written. The whole file is
/// produced in order (the footer last), so a caller that writes to a temporary file and
/// renames it never shows a reader half an export.
pub fn write_parquet<W: Write + Send>(
    w: W,
    rows: &[ExportRow],
    options: ParquetOptions,
) -> Result<usize, PublishError> {
    let fields = Field::all(source_columns(rows));
    let mut schema = String::from("message tally_events {\n");
    for (field, name) in &fields {
        schema.push_str(&field.schema_line(name));
    }
    schema.push('}');
    let schema = Arc::new(parquet::schema::parser::parse_message_type(&schema)?);
    let properties = WriterProperties::builder()
        .set_compression(if options.compress {
            Compression::SNAPPY
        } else {
            Compression::UNCOMPRESSED
        })
        .set_created_by(concat!("tally ", env!("CARGO_PKG_VERSION")).to_string())
        .build();
    let mut writer = SerializedFileWriter::new(w, schema, Arc::new(properties))?;
    let rules = CodingRules::default();
    for group in rows.chunks(PARQUET_ROW_GROUP_ROWS) {
        let mut row_group = writer.next_row_group()?;
        let mut fields = fields.iter();
        while let Some(mut column) = row_group.next_column()? {
            let (field, _) = fields.next().expect("one field per schema column");
            write_column(&mut column, *field, group, &rules)?;
            column.close()?;
        }
        row_group.close()?;
    }
    writer.close()?;
    Ok(rows.len())
}

/// Writes one column of a row group: the values that are present, and a definition
/// level per row (1 present, 0 null) for the nullable columns.
fn write_column(
    column: &mut SerializedColumnWriter<'_>,
    field: Field,
    rows: &[ExportRow],
    rules: &CodingRules,
) -> Result<(), PublishError> {
    /// The present values of a nullable column and the definition level of each row.
    fn levels<T>(values: impl Iterator<Item = Option<T>>) -> (Vec<T>, Vec<i16>) {
        let mut present = Vec::new();
        let mut definitions = Vec::new();
        for value in values {
            definitions.push(i16::from(value.is_some()));
            present.extend(value);
        }
        (present, definitions)
    }
    match field {
        Field::Csv("online") => {
            let values: Vec<bool> = rows.iter().map(|r| r.online).collect();
            column
                .typed::<BoolType>()
                .write_batch(&values, None, None)?;
        }
        Field::Csv("size_cat") => {
            let values: Vec<i32> = rows
                .iter()
                .map(|r| i32::from(size_category(r.size_mean())))
                .collect();
            column
                .typed::<Int32Type>()
                .write_batch(&values, None, None)?;
        }
        Field::Csv("date") => {
            let (values, definitions) = levels(rows.iter().map(|r| r.date.map(days_since_epoch)));
            column
                .typed::<Int32Type>()
                .write_batch(&values, Some(&definitions), None)?;
        }
        Field::Csv(name @ ("size_low" | "size_high")) => {
            let (values, definitions) = levels(rows.iter().map(|r| {
                let size = if name == "size_low" {
                    r.size_low
                } else {
                    r.size_high
                };
                // Sizes are bounded (tally_model::bounds) far below i64::MAX.
                size.map(|v| i64::try_from(v).expect("a bounded size"))
            }));
            column
                .typed::<Int64Type>()
                .write_batch(&values, Some(&definitions), None)?;
        }
        Field::Csv(name @ ("size_mean" | "lat" | "lon")) => {
            let (values, definitions) = levels(rows.iter().map(|r| match name {
                "size_mean" => r.size_mean(),
                "lat" => r.lat,
                _ => r.lon,
            }));
            column
                .typed::<DoubleType>()
                .write_batch(&values, Some(&definitions), None)?;
        }
        _ => {
            let (values, definitions) = levels(
                rows.iter()
                    .map(|r| field.text(r, rules).map(ByteArray::from)),
            );
            column
                .typed::<ByteArrayType>()
                .write_batch(&values, Some(&definitions), None)?;
        }
    }
    Ok(())
}

impl From<parquet::errors::ParquetError> for PublishError {
    fn from(error: parquet::errors::ParquetError) -> PublishError {
        match error {
            parquet::errors::ParquetError::External(inner) => {
                match inner.downcast::<std::io::Error>() {
                    Ok(io) => PublishError::Io(*io),
                    Err(other) => PublishError::Parquet(other.to_string()),
                }
            }
            other => PublishError::Parquet(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_is_the_csv_layout_with_the_event_id_first() {
        let fields = Field::all(30);
        let names: Vec<&str> = fields.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names[0], "event_id");
        assert_eq!(names[1..18], LEADING_COLUMNS);
        assert_eq!(names[18], "source_1");
        assert_eq!(names[47], "source_30");
        assert_eq!(names[48..], TRAILING_COLUMNS);
        assert_eq!(
            Field::Csv("date").schema_line("date"),
            "  OPTIONAL INT32 date (DATE);\n"
        );
    }

    #[test]
    fn dates_count_days_from_the_epoch() {
        assert_eq!(days_since_epoch("1970-01-01".parse().unwrap()), 0);
        assert_eq!(days_since_epoch("2025-06-14".parse().unwrap()), 20_253);
        assert_eq!(days_since_epoch("1969-12-31".parse().unwrap()), -1);
    }
}
