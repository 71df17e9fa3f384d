//! Coordinates in: the county that holds a point, by point-in-polygon on the Census
//! county shapes of `us-atlas` (shipped as `data/county-shapes.tsv`), and the nearest
//! gazetteer place in that county.
//!
//! The shapes are parsed on the first coordinate lookup only, so loading the gazetteer
//! and resolving names never pay for them.

use crate::gazetteer::{fips_number, Gazetteer};
use crate::PlacesError;

/// The county shapes file, built by `scripts/build-gazetteer.sh`.
const SHAPES_TSV: &str = include_str!("../data/county-shapes.tsv");
/// ZIP code centres, built by the same script.
const ZIPS_TSV: &str = include_str!("../data/zips.tsv");

/// ZIP code centres by ZIP code read as a number.
pub(crate) fn parse_zips(text: &str) -> rustc_hash::FxHashMap<u32, (f32, f32)> {
    let mut zips = rustc_hash::FxHashMap::default();
    zips.reserve(42_000);
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut fields = line.split('\t');
        let (Some(zip), Some(lat), Some(lon)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        if let (Ok(zip), Ok(lat), Ok(lon)) = (zip.parse(), lat.parse(), lon.parse()) {
            zips.insert(zip, (lat, lon));
        }
    }
    zips
}

/// One county's outline: its rings as (lon, lat) points and their bounding box.
#[derive(Debug)]
struct Shape {
    county: u32,
    min: (f64, f64),
    max: (f64, f64),
    rings: Vec<Vec<(f64, f64)>>,
}

/// Every county's outline.
#[derive(Debug, Default)]
pub(crate) struct Shapes {
    shapes: Vec<Shape>,
}

fn data_error(line: usize, reason: String) -> PlacesError {
    PlacesError::Data {
        file: "county-shapes.tsv",
        line,
        reason,
    }
}

fn parse_pair(text: &str, line: usize) -> Result<(i64, i64), PlacesError> {
    let (x, y) = text
        .split_once(',')
        .ok_or_else(|| data_error(line, format!("bad point {text:?}")))?;
    let parse = |t: &str| {
        t.parse::<i64>()
            .map_err(|_| data_error(line, format!("bad number {t:?}")))
    };
    Ok((parse(x)?, parse(y)?))
}

impl Shapes {
    /// Parses the shapes file against the gazetteer's counties.
    pub(crate) fn parse(text: &str, gaz: &Gazetteer) -> Result<Shapes, PlacesError> {
        let mut transform = None;
        let mut arcs: Vec<Vec<(f64, f64)>> = Vec::with_capacity(10_000);
        let mut shapes = Vec::with_capacity(3_300);
        for (index, line) in text.lines().enumerate() {
            let line_no = index + 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            match fields[0] {
                "T" => {
                    let numbers: Vec<f64> = fields[1..]
                        .iter()
                        .map(|t| {
                            t.parse::<f64>()
                                .map_err(|_| data_error(line_no, format!("bad number {t:?}")))
                        })
                        .collect::<Result<_, _>>()?;
                    let [sx, sy, tx, ty] = numbers[..] else {
                        return Err(data_error(line_no, "expected 4 numbers".to_string()));
                    };
                    transform = Some((sx, sy, tx, ty));
                }
                "A" => {
                    let (sx, sy, tx, ty) = transform
                        .ok_or_else(|| data_error(line_no, "arc before transform".to_string()))?;
                    let (mut x, mut y) = (0i64, 0i64);
                    let mut points = Vec::new();
                    for pair in fields.get(1).unwrap_or(&"").split(' ') {
                        let (dx, dy) = parse_pair(pair, line_no)?;
                        x += dx;
                        y += dy;
                        points.push((x as f64 * sx + tx, y as f64 * sy + ty));
                    }
                    arcs.push(points);
                }
                "G" => {
                    let (Some(fips), Some(body)) = (fields.get(1), fields.get(2)) else {
                        return Err(data_error(line_no, "missing field".to_string()));
                    };
                    let Some(&county) = gaz.county_by_fips.get(&fips_number(fips)) else {
                        // A county-equivalent the gazetteer does not name is skipped.
                        continue;
                    };
                    let mut rings = Vec::new();
                    for ring_text in body.split(['|', ';']) {
                        let mut ring: Vec<(f64, f64)> = Vec::new();
                        for index in ring_text.split(',') {
                            let index: i64 = index
                                .parse()
                                .map_err(|_| data_error(line_no, format!("bad arc {index:?}")))?;
                            let (arc_index, reversed) = if index >= 0 {
                                (index as usize, false)
                            } else {
                                ((!index) as usize, true)
                            };
                            let arc = arcs.get(arc_index).ok_or_else(|| {
                                data_error(line_no, format!("unknown arc {arc_index}"))
                            })?;
                            let skip = usize::from(!ring.is_empty());
                            if reversed {
                                ring.extend(arc.iter().rev().skip(skip));
                            } else {
                                ring.extend(arc.iter().skip(skip));
                            }
                        }
                        rings.push(ring);
                    }
                    let points = rings.iter().flatten();
                    let min = points
                        .clone()
                        .fold((f64::MAX, f64::MAX), |m, p| (m.0.min(p.0), m.1.min(p.1)));
                    let max =
                        points.fold((f64::MIN, f64::MIN), |m, p| (m.0.max(p.0), m.1.max(p.1)));
                    shapes.push(Shape {
                        county,
                        min,
                        max,
                        rings,
                    });
                }
                other => {
                    return Err(data_error(
                        line_no,
                        format!("unknown record type {other:?}"),
                    ))
                }
            }
        }
        Ok(Shapes { shapes })
    }

    /// The county whose shape holds the point (lon, lat).
    pub(crate) fn county_at(&self, lat: f64, lon: f64) -> Option<u32> {
        self.shapes
            .iter()
            .find(|s| {
                (s.min.0..=s.max.0).contains(&lon)
                    && (s.min.1..=s.max.1).contains(&lat)
                    && inside(&s.rings, lon, lat)
            })
            .map(|s| s.county)
    }

    /// The county with the shape edge nearest the point, within `limit_km`: the
    /// simplified shapes leave some shore points just outside.
    pub(crate) fn nearest_county(&self, lat: f64, lon: f64, limit_km: f64) -> Option<u32> {
        let mut best: Option<(f64, u32)> = None;
        for shape in &self.shapes {
            let margin = 1.0;
            if lon < shape.min.0 - margin
                || lon > shape.max.0 + margin
                || lat < shape.min.1 - margin
                || lat > shape.max.1 + margin
            {
                continue;
            }
            for &(x, y) in shape.rings.iter().flatten() {
                let d = distance_km((lat, lon), (y, x));
                if d <= limit_km && best.map_or(true, |(b, _)| d < b) {
                    best = Some((d, shape.county));
                }
            }
        }
        best.map(|(_, county)| county)
    }
}

impl Shapes {
    /// How far a point lies outside a county's shape (0 inside; `None` for a county
    /// without a shape).
    pub(crate) fn distance_outside(&self, county: u32, lat: f64, lon: f64) -> Option<f64> {
        let shape = self.shapes.iter().find(|s| s.county == county)?;
        if inside(&shape.rings, lon, lat) {
            return Some(0.0);
        }
        shape
            .rings
            .iter()
            .flatten()
            .map(|&(x, y)| distance_km((lat, lon), (y, x)))
            .min_by(f64::total_cmp)
    }
}

/// Even-odd ray casting over every ring (holes are rings like any other).
fn inside(rings: &[Vec<(f64, f64)>], x: f64, y: f64) -> bool {
    let mut inside = false;
    for ring in rings {
        let n = ring.len();
        if n < 3 {
            continue;
        }
        let mut j = n - 1;
        for i in 0..n {
            let (xi, yi) = ring[i];
            let (xj, yj) = ring[j];
            if (yi > y) != (yj > y) && x < xi + (y - yi) * (xj - xi) / (yj - yi) {
                inside = !inside;
            }
            j = i;
        }
    }
    inside
}

/// Great-circle distance in kilometres.
pub(crate) fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

impl Gazetteer {
    /// The centre of a ZIP code, from the table parsed on first use.
    pub(crate) fn zip_centre(&self, zip: u32) -> Option<(f64, f64)> {
        let zips = self.zips.get_or_init(|| parse_zips(ZIPS_TSV));
        zips.get(&zip)
            .map(|&(lat, lon)| (f64::from(lat), f64::from(lon)))
    }

    /// The county shapes, parsed on first use.
    pub(crate) fn shapes(&self) -> &Shapes {
        self.shapes.get_or_init(|| {
            // The data is compiled in and checked by this crate's tests, so a failure
            // here is a build defect, not bad input.
            Shapes::parse(SHAPES_TSV, self).expect("the embedded county shapes are valid")
        })
    }

    /// The nearest place to a point among `ids` (all places when `None`), preferring
    /// towns to neighbourhoods at equal distance.
    pub(crate) fn nearest_place(&self, lat: f64, lon: f64, county: Option<u32>) -> Option<u32> {
        let mut best: Option<(f64, u32)> = None;
        for (id, place) in self.places.iter().enumerate() {
            if county.is_some_and(|c| place.county != c) {
                continue;
            }
            // A cheap planar distance is enough to rank points this close.
            let dx = (place.lon - lon) * lat.to_radians().cos();
            let dy = place.lat - lat;
            let d = dx * dx + dy * dy;
            if best.map_or(true, |(b, _)| d < b) {
                best = Some((d, id as u32));
            }
        }
        best.map(|(_, id)| id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_county_has_a_shape_that_holds_its_centroid_or_is_near_it() {
        let gaz = Gazetteer::load().unwrap();
        let shapes = gaz.shapes();
        assert!(shapes.shapes.len() > 3_200, "{}", shapes.shapes.len());
        let mut inside = 0;
        for (id, county) in gaz.counties.iter().enumerate() {
            if shapes.county_at(county.lat, county.lon) == Some(id as u32) {
                inside += 1;
            }
        }
        // A few crescent-shaped counties have their centroid outside themselves.
        assert!(inside * 100 >= gaz.counties.len() * 97, "{inside}");
    }

    #[test]
    fn zip_centres_load() {
        let gaz = Gazetteer::load().unwrap();
        let (lat, lon) = gaz.zip_centre(2108).expect("Boston's 02108");
        assert!((42.3..42.4).contains(&lat) && (-71.1..-71.0).contains(&lon));
        assert!(gaz.zip_centre(99_999).is_none());
        assert!(parse_zips(ZIPS_TSV).len() > 30_000);
    }

    #[test]
    fn distances_are_great_circle_kilometres() {
        let d = distance_km((40.7128, -74.0060), (34.0522, -118.2437));
        assert!((3900.0..4000.0).contains(&d), "{d}");
    }
}
