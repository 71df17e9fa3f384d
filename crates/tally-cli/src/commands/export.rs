//! `tally export --format csv|parquet|geojson`: events in the published dataset's CSV
//! layout (which `tally ingest` reads back to the same totals), as Parquet with the same
//! columns typed plus the event id, or as GeoJSON points.
//!
//! With `--out`, the file is written beside its destination and renamed into place, so
//! a crash never leaves half an export; the ledger and anything that is not a regular
//! file are refused (see `outfile`).

use crate::cli::Global;
use crate::exit::{bad_input, Outcome};
use crate::selection::SelectionArgs;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use tally_publish::{
    write_csv_with, write_parquet, CsvOptions, ExportRow, GeoJsonWriter, ParquetOptions,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// csv (the published dataset's columns), parquet (the same columns, typed, plus the
    /// event id) or geojson (events with coordinates).
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write CSV cells exactly as the sources gave them. By default a text cell that a
    /// spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a
    /// leading single quote.
    #[arg(long)]
    pub raw: bool,
    #[command(flatten)]
    pub selection: SelectionArgs,
}

#[derive(Debug, Clone, Copy)]
enum ExportFormat {
    Csv,
    Parquet,
    GeoJson,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let format = match args.format.to_ascii_lowercase().as_str() {
        "csv" => ExportFormat::Csv,
        "geojson" | "json" => ExportFormat::GeoJson,
        "parquet" => ExportFormat::Parquet,
        other => {
            return Err(bad_input(format!(
                "unknown --format {other:?}; expected csv, parquet or geojson"
            )))
        }
    };
    if matches!(format, ExportFormat::Parquet)
        && args.out.is_none()
        && std::io::stdout().is_terminal()
    {
        return Err(bad_input(
            "--format parquet writes a binary file: give --out FILE or redirect the output",
        ));
    }
    let selection = args.selection.to_selection()?;
    let ledger = crate::ledger::open(global)?;
    let export = |w: &mut dyn Write| -> anyhow::Result<usize> {
        match format {
            // Features are written as the events stream from the ledger (issue 12).
            ExportFormat::GeoJson => stream_geojson(w, &ledger, &selection),
            // The CSV header and the Parquet schema name as many source columns as the
            // event with the most sources has, so the rows are gathered first.
            ExportFormat::Csv | ExportFormat::Parquet => {
                let rows = tally_query::export_rows(&ledger, &selection)
                    .map_err(crate::exit::query_error)?;
                write_rows(w, format, &rows, args.raw)
            }
        }
    };
    let written = match &args.out {
        Some(path) => crate::outfile::write_atomically(path, &global.db, |w| export(w))?,
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let n = export(&mut out)?;
            out.flush()?;
            n
        }
    };
    tracing::info!(written, "exported");
    Ok(Outcome::Success)
}

/// Writes the GeoJSON of the selection's events one feature at a time.
fn stream_geojson(
    w: &mut dyn Write,
    ledger: &tally_store::Ledger,
    selection: &tally_model::Selection,
) -> anyhow::Result<usize> {
    let mut writer = GeoJsonWriter::new(w)?;
    let mut failed = None;
    tally_query::for_each_export_row(ledger, selection, |row| match writer.write_row(&row) {
        Ok(()) => std::ops::ControlFlow::Continue(()),
        Err(error) => {
            failed = Some(error);
            std::ops::ControlFlow::Break(())
        }
    })
    .map_err(crate::exit::query_error)?;
    if let Some(error) = failed {
        return Err(error.into());
    }
    Ok(writer.finish()?)
}

fn write_rows(
    w: &mut dyn Write,
    format: ExportFormat,
    rows: &[ExportRow],
    raw: bool,
) -> anyhow::Result<usize> {
    Ok(match format {
        ExportFormat::Csv => write_csv_with(
            w,
            rows,
            CsvOptions {
                neutralise_formulas: !raw,
            },
        )?,
        ExportFormat::GeoJson => tally_publish::write_geojson(w, rows)?,
        ExportFormat::Parquet => {
            // The Parquet writer needs a `Send` destination; the file is built in memory
            // (compressed, a fraction of the rows already held) and then written out.
            let mut bytes = Vec::new();
            let n = write_parquet(&mut bytes, rows, ParquetOptions::default())?;
            w.write_all(&bytes)?;
            n
        }
    })
}
