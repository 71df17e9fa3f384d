//! The questions asked of a small ledger built through the normal pipeline.

mod answers;
mod calibrate;
mod export;

use tally_ingest::{Format, IngestOptions};
use tally_pipeline::{ingest_file, IngestRequest};
use tally_store::Ledger;

/// Statements about one invented Saturday, written for these tests: a parade whose
/// organizers and officials give the big figure (relayed by several outlets), and a
/// day of protests in five towns, one of them without a size.
pub const REPORTS: &str = "\
date,locality,state,event,size_low,size_high,size_text,attribution,publisher,url
2025-06-14,Washington,DC,Military parade,250000,250000,\"over 250,000\",officials,Outlet A,https://a.example/1
2025-06-14,Washington,DC,Military parade,250000,250000,\"250,000\",officials,Outlet B,https://b.example/1
2025-06-14,Washington,DC,Military parade,250000,250000,\"some 250,000\",officials,Outlet C,https://c.example/1
2025-06-14,Washington,DC,Military parade,250000,250000,\"roughly 250,000\",organizers,Outlet A,https://a.example/2
2025-06-14,Washington,DC,Military parade,20000,20000,tens of thousands,media,Outlet D,https://d.example/1
2025-06-14,Washington,DC,Military parade,80000,120000,\"100,000 give or take 20,000\",researchers,Outlet E,https://e.example/1
2025-06-14,Chicago,IL,No Kings,50000,50000,\"50,000\",police,Outlet F,https://f.example/1
2025-06-14,Chicago,IL,No Kings,75000,75000,\"75,000\",organizers,Outlet F,https://f.example/2
2025-06-14,Austin,TX,No Kings,10000,12000,\"10,000-12,000\",media,Outlet G,https://g.example/1
2025-06-14,Boise,ID,No Kings,3000,3000,\"3,000\",police,Outlet H,https://h.example/1
2025-06-14,Eugene,OR,No Kings,4000,5000,\"4,000-5,000\",media,Outlet I,https://i.example/1
2025-06-14,Keene,NH,No Kings,,,,media,Outlet J,https://j.example/1
";

/// A fresh ledger in a temp dir holding [`REPORTS`].
pub fn ledger() -> (tempfile::TempDir, Ledger) {
    ledger_with(REPORTS)
}

/// A fresh ledger in a temp dir holding `csv`, a reports CSV with its header.
pub fn ledger_with(csv: &str) -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut ledger = Ledger::open(&dir.path().join("tally.db")).expect("ledger");
    let mut options = IngestOptions::new(chrono::Utc::now());
    options.format = Format::Reports;
    let request = IngestRequest {
        origin: "reports.csv",
        bytes: csv.as_bytes().into(),
        options,
        strict: false,
    };
    let outcome = ingest_file(&mut ledger, request, &mut |_| {}).expect("ingest");
    assert!(outcome.rejected.is_empty(), "{:?}", outcome.rejected);
    (dir, ledger)
}
