//! The area–density estimate crowd scientists use: the area a crowd covers times how
//! densely it stood, with ±20% for the uncertainty of both.
//!
//! Densities: light ≈ 1 person/m² (people can move freely), dense ≈ 2.5 (shoulder to
//! shoulder with some room), very dense ≈ 4 (packed). A polygon of latitude/longitude
//! points is measured with the shoelace formula on a local equirectangular projection
//! centred on the polygon, which is accurate to well under 1% for the few hundred
//! metres a crowd covers. Self-intersecting polygons are not detected: their shoelace
//! area is the signed sum of their lobes.

use crate::EstimateError;
use serde::Serialize;
use tally_model::{Attribution, Estimate};

/// How densely a crowd stood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Density {
    Light,
    Dense,
    VeryDense,
}

impl Density {
    pub fn per_square_metre(self) -> f64 {
        match self {
            Density::Light => 1.0,
            Density::Dense => 2.5,
            Density::VeryDense => 4.0,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Density::Light => "light",
            Density::Dense => "dense",
            Density::VeryDense => "very-dense",
        }
    }
}

impl std::str::FromStr for Density {
    type Err = EstimateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "light" => Ok(Density::Light),
            "dense" => Ok(Density::Dense),
            "very-dense" | "verydense" => Ok(Density::VeryDense),
            _ => Err(EstimateError::BadArea(format!(
                "unknown density {s:?}: expected light, dense or very-dense"
            ))),
        }
    }
}

/// The area a crowd covered.
#[derive(Debug, Clone, PartialEq)]
pub enum AreaInput {
    SquareMetres(f64),
    SquareFeet(f64),
    /// (latitude, longitude) corners, in order; the polygon closes itself.
    Polygon(Vec<(f64, f64)>),
}

const SQUARE_METRES_PER_SQUARE_FOOT: f64 = 0.092_903_04;
const EARTH_RADIUS_M: f64 = 6_371_008.8;
/// The ±20% of the method.
const MARGIN: f64 = 0.2;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaEstimate {
    pub area_m2: f64,
    pub density: Density,
    pub density_per_m2: f64,
    pub point: u64,
    pub low: u64,
    pub high: u64,
    pub method: String,
}

impl AreaEstimate {
    /// The estimate as a report figure: a range attributed to researchers.
    pub fn to_estimate(&self) -> Estimate {
        Estimate::range(self.low, self.high)
            .expect("low <= high by construction")
            .with_attribution(Attribution::Researchers)
            .with_qualifier(Some(format!(
                "area-density: {:.0} m² at {} ({} per m²) ±20%",
                self.area_m2,
                self.density.as_str(),
                self.density_per_m2
            )))
    }
}

/// Parses "lat,lon;lat,lon;..." (at least three corners).
pub fn parse_polygon(text: &str) -> Result<Vec<(f64, f64)>, EstimateError> {
    let mut points = Vec::new();
    for (i, pair) in text
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        let (lat, lon) = pair.split_once(',').ok_or_else(|| {
            EstimateError::BadArea(format!("corner {} {pair:?}: expected \"lat,lon\"", i + 1))
        })?;
        let parse = |v: &str, what: &str| {
            v.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    EstimateError::BadArea(format!(
                        "corner {} {pair:?}: {what} is not a number",
                        i + 1
                    ))
                })
        };
        let (lat, lon) = (parse(lat, "latitude")?, parse(lon, "longitude")?);
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(EstimateError::BadArea(format!(
                "corner {} {pair:?}: latitude must be within ±90 and longitude within ±180",
                i + 1
            )));
        }
        points.push((lat, lon));
    }
    if points.len() < 3 {
        return Err(EstimateError::BadArea(format!(
            "a polygon needs at least 3 corners, got {}",
            points.len()
        )));
    }
    Ok(points)
}

/// The area of a small lat/lon polygon in square metres.
pub fn polygon_area_m2(points: &[(f64, f64)]) -> f64 {
    if points.len() < 3 {
        return 0.0;
    }
    let lat0 = points.iter().map(|p| p.0).sum::<f64>() / points.len() as f64;
    let lon0 = points.iter().map(|p| p.1).sum::<f64>() / points.len() as f64;
    let k = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
    let xy: Vec<(f64, f64)> = points
        .iter()
        .map(|&(lat, lon)| ((lon - lon0) * k * lat0.to_radians().cos(), (lat - lat0) * k))
        .collect();
    let mut twice = 0.0;
    for i in 0..xy.len() {
        let (x1, y1) = xy[i];
        let (x2, y2) = xy[(i + 1) % xy.len()];
        twice += x1 * y2 - x2 * y1;
    }
    (twice / 2.0).abs()
}

/// Area × density, ±20%.
pub fn area_estimate(area: &AreaInput, density: Density) -> Result<AreaEstimate, EstimateError> {
    let area_m2 = match area {
        AreaInput::SquareMetres(m) => *m,
        AreaInput::SquareFeet(f) => f * SQUARE_METRES_PER_SQUARE_FOOT,
        AreaInput::Polygon(points) => polygon_area_m2(points),
    };
    if !area_m2.is_finite() || area_m2 <= 0.0 {
        return Err(EstimateError::BadArea(format!(
            "the area must be a positive number of square metres, got {area_m2}"
        )));
    }
    let d = density.per_square_metre();
    let point = area_m2 * d;
    Ok(AreaEstimate {
        area_m2,
        density,
        density_per_m2: d,
        point: point.round() as u64,
        low: (point * (1.0 - MARGIN)).round() as u64,
        high: (point * (1.0 + MARGIN)).round() as u64,
        method: "area × density class, ±20%".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_metres_and_feet() {
        let e = area_estimate(&AreaInput::SquareMetres(10_000.0), Density::Dense).unwrap();
        assert_eq!((e.low, e.point, e.high), (20_000, 25_000, 30_000));
        let f = area_estimate(&AreaInput::SquareFeet(107_639.104), Density::Light).unwrap();
        assert_eq!(f.point, 10_000);
        assert!(area_estimate(&AreaInput::SquareMetres(-1.0), Density::Light).is_err());
        assert!("very dense".parse::<Density>().is_err());
        assert_eq!("Very_Dense".parse::<Density>().unwrap(), Density::VeryDense);
    }

    #[test]
    fn polygon_of_a_known_size() {
        // A square of 0.001° latitude by 0.001°/cos(lat) longitude: about 111.2 m a side.
        let lat: f64 = 38.8895;
        let dlon = 0.001 / lat.to_radians().cos();
        let square = vec![
            (lat, -77.0353),
            (lat + 0.001, -77.0353),
            (lat + 0.001, -77.0353 + dlon),
            (lat, -77.0353 + dlon),
        ];
        let a = polygon_area_m2(&square);
        let side = 6_371_008.8 * 0.001f64.to_radians();
        assert!((a - side * side).abs() / (side * side) < 0.005, "{a}");
        let parsed = parse_polygon("38.8895,-77.0353; 38.8905,-77.0353;38.8905,-77.034").unwrap();
        assert_eq!(parsed.len(), 3);
        assert!(parse_polygon("1,2;3,4").is_err());
        assert!(parse_polygon("1,2;3,x;5,6").is_err());
        assert!(parse_polygon("91,2;3,4;5,6").is_err());
    }
}
