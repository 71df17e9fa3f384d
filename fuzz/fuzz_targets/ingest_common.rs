//! Shared by the four table-reader fuzz targets: a reader of tally-ingest never panics on
//! any bytes, and what it reads holds the plausibility bounds (issue 13): ordered ranges
//! within the bound for one gathering, dates within 1900 to a year after receipt, short
//! reject reasons.

use tally_ingest::{read_file, Format, IngestOptions};

pub fn check_reader(format: Format, data: &[u8]) {
    let received = chrono::DateTime::from_timestamp(1_750_000_000, 0).unwrap();
    let mut options = IngestOptions::new(received);
    options.format = format;
    options.date = chrono::NaiveDate::from_ymd_opt(2025, 6, 14);
    let Ok(parsed) = read_file("fuzz.csv", data, &options) else {
        return;
    };
    let today = received.date_naive();
    for record in &parsed.records {
        assert!(record.line >= 1);
        for estimate in &record.report.estimates {
            assert!(estimate.low() <= estimate.high());
            assert!(tally_model::bounds::check_estimate(estimate).is_ok());
        }
        if let Some(date) = record.report.date {
            assert!(tally_model::bounds::check_date(date, today).is_ok());
        }
    }
    for reject in &parsed.rejects {
        assert!(reject.line >= 1);
        assert!(reject.reason.len() < 2_000, "{} bytes", reject.reason.len());
    }
}
