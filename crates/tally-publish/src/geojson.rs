//! GeoJSON: a FeatureCollection of the events that have coordinates, each a Point
//! `[lon, lat]` with the event's fields as properties. Events without coordinates
//! (unresolved or online) are left out; the count written is returned.

use crate::{size_category, ExportRow, PublishError};
use serde_json::{json, Map, Value};
use std::io::Write;

/// Writes the FeatureCollection; returns the number of features (events with both
/// coordinates). Features are written one at a time, so a million events never sit in
/// memory as JSON.
pub fn write_geojson<W: Write>(w: W, rows: &[ExportRow]) -> Result<usize, PublishError> {
    let mut writer = GeoJsonWriter::new(w)?;
    for row in rows {
        writer.write_row(row)?;
    }
    writer.finish()
}

/// A FeatureCollection written a row at a time, for exports streamed from the ledger:
/// the opening on [`GeoJsonWriter::new`], each feature as it comes, the closing on
/// [`GeoJsonWriter::finish`].
pub struct GeoJsonWriter<W: Write> {
    w: std::io::BufWriter<W>,
    count: usize,
}

impl<W: Write> GeoJsonWriter<W> {
    pub fn new(w: W) -> Result<Self, PublishError> {
        let mut w = std::io::BufWriter::new(w);
        w.write_all(br#"{"type":"FeatureCollection","features":["#)?;
        Ok(GeoJsonWriter { w, count: 0 })
    }

    /// Writes the row's feature; a row without coordinates is left out.
    pub fn write_row(&mut self, row: &ExportRow) -> Result<(), PublishError> {
        let Some(feature) = feature(row) else {
            return Ok(());
        };
        if self.count > 0 {
            self.w.write_all(b",")?;
        }
        serde_json::to_writer(&mut self.w, &feature)
            .map_err(|e| PublishError::Json(e.to_string()))?;
        self.count += 1;
        Ok(())
    }

    /// Closes the collection; returns the number of features written.
    pub fn finish(mut self) -> Result<usize, PublishError> {
        self.w.write_all(b"]}\n")?;
        self.w.flush()?;
        Ok(self.count)
    }
}

fn feature(row: &ExportRow) -> Option<Value> {
    let (lat, lon) = (row.lat?, row.lon?);
    if !lat.is_finite() || !lon.is_finite() {
        return None;
    }
    let mut properties = Map::new();
    let mut put = |key: &str, value: Value| {
        properties.insert(key.to_string(), value);
    };
    put("id", json!(row.id));
    put("date", json!(row.date.map(|d| d.to_string())));
    put("locality", json!(row.locality));
    put("state", json!(row.state.map(|s| s.as_str())));
    put("location_detail", json!(row.location_detail));
    put("online", json!(row.online));
    put("type", json!(row.event_type));
    put("title", json!(row.title));
    put("organizations", json!(row.organizations));
    put("size_low", json!(row.size_low));
    put("size_high", json!(row.size_high));
    put("size_mean", json!(row.size_mean()));
    put("size_cat", json!(size_category(row.size_mean())));
    put("size_text", json!(row.size_text));
    put("coded_by_rule", json!(row.coded_by_rule));
    put("resolved_county", json!(row.resolved_county));
    put("fips_code", json!(row.fips.as_ref().map(|f| f.as_str())));
    put("sources", json!(row.sources));
    Some(json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_events_with_coordinates_become_points() {
        let located = ExportRow {
            id: Some("e1".into()),
            locality: Some("Boise".into()),
            size_low: Some(10),
            size_high: Some(30),
            lat: Some(43.615),
            lon: Some(-116.2023),
            ..ExportRow::default()
        };
        let unlocated = ExportRow {
            online: true,
            ..ExportRow::default()
        };
        let mut out = Vec::new();
        assert_eq!(write_geojson(&mut out, &[located, unlocated]).unwrap(), 1);
        let value: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["type"], "FeatureCollection");
        let feature = &value["features"][0];
        assert_eq!(
            feature["geometry"]["coordinates"],
            json!([-116.2023, 43.615])
        );
        assert_eq!(feature["properties"]["size_mean"], json!(20.0));
        assert_eq!(feature["properties"]["size_cat"], json!(1));
        assert_eq!(feature["properties"]["locality"], "Boise");
        assert_eq!(value["features"].as_array().unwrap().len(), 1);
        let mut empty = Vec::new();
        assert_eq!(write_geojson(&mut empty, &[]).unwrap(), 0);
        let value: Value = serde_json::from_slice(&empty).unwrap();
        assert_eq!(value["features"], json!([]));
    }
}
