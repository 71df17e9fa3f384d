//! Issue 12: `tally calibrate` reads slim rows of the selected events, and its report is
//! the one the selected events themselves give (the rows come in the same order, so the
//! trials hide the same events).

use crate::export::ledger_of;
use tally_estimate::{calibrate, calibrate_rows, CalibrationConfig};
use tally_model::Selection;
use tally_query::{load_events, load_rows};

#[test]
fn issue_12_calibrating_the_selected_rows_equals_calibrating_their_events() {
    let towns = [
        "Aurora",
        "Bloomington",
        "Champaign",
        "Decatur",
        "Elgin",
        "Evanston",
        "Joliet",
        "Naperville",
        "Peoria",
        "Rockford",
        "Skokie",
        "Springfield",
        "Urbana",
        "Waukegan",
    ];
    let mut rows = Vec::new();
    // Days apart, so that each has ten sized events of its own (no report a day late).
    for (day, date) in ["2025-06-14", "2025-06-17"].iter().enumerate() {
        for (i, town) in towns.iter().enumerate() {
            let size = 100 * (i + 1) * (day + 2);
            let sized = if i % 5 == 4 {
                ",,".to_string()
            } else {
                format!("{size},{size},about {size}")
            };
            rows.push(format!(
                "{date},{town},IL,No Kings,{sized},media,Paper {i},https://p{i}.example/{day}"
            ));
        }
    }
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let (_dir, ledger) = ledger_of(&rows);
    let mut config = CalibrationConfig {
        trials: 2,
        ..CalibrationConfig::default()
    };
    config.estimate.impute.replicates = 20;
    for selection in [
        Selection::default(),
        Selection::on("2025-06-17".parse().unwrap()),
    ] {
        let from_rows = calibrate_rows(&load_rows(&ledger, &selection).unwrap(), &config).unwrap();
        let from_events = calibrate(&load_events(&ledger, &selection).unwrap(), &config).unwrap();
        assert_eq!(from_rows, from_events, "{selection:?}");
    }
}
