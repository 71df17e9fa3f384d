//! Issue 12: calibration reads slim rows, its trials flip sizes in a copy of them or keep
//! a subset, and the report is the one it gave when every trial rebuilt its rows from
//! events.

use tally_estimate::synthetic::{synthetic_events, SyntheticConfig};
use tally_estimate::{calibrate, calibrate_rows, CalibrationConfig, EventRows};

/// The report of the setup below, as the calibration over events gave it before slim
/// rows (printed by the code of that time).
const BEFORE: &str = r#"{"sized_events":257,"hide_share":0.2,"drop_share":0.3,"level":0.9,"schemes":[{"missing":"sizes","scheme":"uniform","trials":3,"covered":3,"coverage":1.0,"median_relative_width":0.3918554273298552,"median_hidden_share":0.13001608965101505,"median_abs_error":0.07398724103685007,"baseline_median_abs_error":0.11517501290207864,"misses_below":0.0},{"missing":"sizes","scheme":"small-events","trials":3,"covered":3,"coverage":1.0,"median_relative_width":0.392530238569192,"median_hidden_share":0.012174358040271832,"median_abs_error":0.06699973545317738,"baseline_median_abs_error":0.014951665994457528,"misses_below":0.0},{"missing":"rows","scheme":"uniform","trials":3,"covered":3,"coverage":1.0,"median_relative_width":0.6336217327383198,"median_hidden_share":0.3239978662780864,"median_abs_error":0.2928507305395454,"baseline_median_abs_error":0.301256814249099,"misses_below":0.0},{"missing":"rows","scheme":"small-events","trials":3,"covered":3,"coverage":1.0,"median_relative_width":0.9375183773305057,"median_hidden_share":0.05020361431675362,"median_abs_error":0.014722681203731412,"baseline_median_abs_error":0.013930124944163274,"misses_below":0.0}]}"#;

#[test]
fn issue_12_calibrating_slim_rows_gives_the_report_of_events() {
    let (mut truth, _) = synthetic_events(&SyntheticConfig {
        events: 300,
        seed: 7,
        ..Default::default()
    });
    // Some events without a size, which calibration leaves out.
    for (i, event) in truth.iter_mut().enumerate() {
        if i % 7 == 3 {
            event.size_low = None;
            event.size_high = None;
        }
    }
    let mut config = CalibrationConfig {
        trials: 3,
        seed: 7,
        ..CalibrationConfig::default()
    };
    config.estimate.impute.replicates = 40;
    let from_events = calibrate(&truth, &config).unwrap();
    let from_rows = calibrate_rows(&EventRows::from_events(&truth), &config).unwrap();
    assert_eq!(from_rows, from_events);
    assert_eq!(serde_json::to_string(&from_events).unwrap(), BEFORE);
}
