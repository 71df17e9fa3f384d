//! Synthetic files read back through the dataset adapter give exactly the totals the
//! generator promised.

use chrono::Utc;
use proptest::prelude::*;
use tally_ingest::{read_file, Format, IngestOptions};
use tally_synth::{write_dataset, Era, SynthConfig, SynthSummary};

fn read_totals(bytes: &[u8]) -> (SynthSummary, usize, &'static str) {
    let parsed = read_file("synth.csv", bytes, &IngestOptions::new(Utc::now())).unwrap();
    assert_eq!(parsed.format, Format::Dataset);
    let mut summary = SynthSummary {
        rows: parsed.rows_read as u64,
        ..SynthSummary::default()
    };
    for record in &parsed.records {
        if record.report.place.online {
            summary.online_rows += 1;
        }
        if let Some(e) = record.report.estimates.first() {
            summary.rows_with_size += 1;
            summary.sum_low += e.low();
            summary.sum_high += e.high();
            if e.coded_by_rule() {
                summary.rows_coded_by_rule += 1;
            }
        }
    }
    (summary, parsed.rejects.len(), parsed.encoding)
}

fn check(config: &SynthConfig) {
    let mut bytes = Vec::new();
    let expected = write_dataset(&mut bytes, config).unwrap();
    let (found, rejects, _) = read_totals(&bytes);
    assert_eq!(rejects, 0);
    assert_eq!(found.rows, expected.rows);
    assert_eq!(found.rows_with_size, expected.rows_with_size);
    assert_eq!(found.rows_coded_by_rule, expected.rows_coded_by_rule);
    assert_eq!(found.sum_low, expected.sum_low);
    assert_eq!(found.sum_high, expected.sum_high);
    assert_eq!(found.online_rows, expected.online_rows);
}

#[test]
fn both_eras_read_back_exactly() {
    for era in [Era::Era2017, Era::Era2021] {
        check(&SynthConfig::new(5000, era));
    }
}

#[test]
fn windows_1252_and_bom_read_back_exactly() {
    let mut config = SynthConfig::new(3000, Era::Era2021);
    config.windows_1252 = true;
    let mut bytes = Vec::new();
    write_dataset(&mut bytes, &config).unwrap();
    assert_eq!(read_totals(&bytes).2, "windows-1252");
    check(&config);
    config.windows_1252 = false;
    config.bom = true;
    check(&config);
}

#[test]
fn the_quirks_are_present() {
    let mut bytes = Vec::new();
    let summary = write_dataset(&mut bytes, &SynthConfig::new(5000, Era::Era2017)).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(summary.identical_rows > 0);
    assert!(summary.repeated_city_day_rows > 0);
    assert!(summary.rows_coded_by_rule > 0);
    assert!(summary.rows_with_size < summary.rows);
    assert!(text.contains("\"marched downtown, then rallied\nat the capitol steps\""));
    assert!(text.contains(",-86.8104,Birmingham,Jefferson County,AL,1073\n"));
    assert!(text.contains(",NA,") && text.contains(",,"));
    assert!(text.contains("Espa\u{f1}ola"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn any_seed_reads_back_exactly(seed in any::<u64>(), rows in 0usize..400, late in any::<bool>()) {
        let mut config = SynthConfig::new(rows, if late { Era::Era2021 } else { Era::Era2017 });
        config.seed = seed;
        check(&config);
    }
}
