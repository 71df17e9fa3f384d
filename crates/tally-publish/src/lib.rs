//! Export writers: events as CSV in the column layout of the published US crowd dataset,
//! as Parquet with the same columns (typed, plus the event id), and as a GeoJSON
//! FeatureCollection.
//!
//! The writers are pure over model values: they take [`ExportRow`]s and write to any
//! `io::Write`; opening files is the caller's business. The CSV is built to round-trip:
//! reading it back with `tally_ingest`'s dataset adapter gives the same events, sizes
//! and totals (see `tests/it`).

mod csv_export;
mod geojson;
mod parquet_export;
mod row;

pub use csv_export::{
    neutralise_formula, write_csv, write_csv_with, CsvOptions, CSV_SOURCE_COLUMNS,
};
pub use geojson::{write_geojson, GeoJsonWriter};
pub use parquet_export::{write_parquet, ParquetOptions, PARQUET_ROW_GROUP_ROWS};
pub use row::{size_category, ExportRow};

impl From<std::io::Error> for PublishError {
    fn from(error: std::io::Error) -> PublishError {
        PublishError::Io(error)
    }
}

/// Errors of the writers: the destination failed, or a value could not be encoded.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The cause is in the message only (not also a `source`), so it is said once.
    #[error("cannot write the export: {0}")]
    Io(std::io::Error),
    #[error("cannot write the CSV export: {0}")]
    Csv(String),
    #[error("cannot write the GeoJSON export: {0}")]
    Json(String),
    #[error("cannot write the Parquet export: {0}")]
    Parquet(String),
}
