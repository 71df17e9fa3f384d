//! The gazetteer: states, counties and places parsed from the embedded data files,
//! with the lookup indexes the resolver needs built once at load.
//!
//! The data files are text (format in `data/README.md`); parsing them takes a few
//! milliseconds, which is cheaper to maintain than a binary format.

use crate::fuzzy::FuzzyIndex;
use crate::normalize::{normalize, squash};
use crate::PlacesError;
use rustc_hash::FxHashMap as FastMap;
use std::sync::OnceLock;
use tally_model::{Fips, StateCode};

/// What kind of gazetteer entry a place is; it breaks ties between places that share a
/// name in one state (a county seat beats a hamlet, a city beats a neighbourhood).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// A neighbourhood or section of a larger place (GeoNames PPLX and similar).
    Section,
    /// A USPS post-office name that GeoNames lacks.
    Postal,
    /// A populated place.
    Populated,
    /// A capital or county seat.
    Seat,
}

#[derive(Debug, Clone)]
pub(crate) struct StateRow {
    pub population: u64,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct County {
    pub fips: Fips,
    pub name: String,
    pub state: StateCode,
    pub population: u64,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct PlaceRow {
    pub name: String,
    pub state: StateCode,
    pub county: u32,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    pub kind: Kind,
}

/// A hand-written alias: a nickname, borough or island that names a place, sometimes
/// with its own county and coordinates (Brooklyn is New York City, in Kings County).
#[derive(Debug, Clone)]
pub(crate) struct Curated {
    pub place: u32,
    pub county: Option<u32>,
    pub point: Option<(f64, f64)>,
}

/// The ids under one key. Most keys name one place, so the common case holds its id
/// inline instead of allocating a vector (this halves the load time).
#[derive(Debug, Clone)]
pub(crate) enum Ids {
    One([u32; 1]),
    Many(Vec<u32>),
}

impl Ids {
    fn push(&mut self, id: u32) {
        match self {
            Ids::One([first]) => *self = Ids::Many(vec![*first, id]),
            Ids::Many(ids) => ids.push(id),
        }
    }
}

impl std::ops::Deref for Ids {
    type Target = [u32];

    fn deref(&self) -> &[u32] {
        match self {
            Ids::One(one) => one,
            Ids::Many(ids) => ids,
        }
    }
}

/// Adds `id` under `key`, once.
fn add_id(map: &mut FastMap<String, Ids>, key: String, id: u32) {
    match map.entry(key) {
        std::collections::hash_map::Entry::Occupied(mut entry) => {
            if !entry.get().contains(&id) {
                entry.get_mut().push(id);
            }
        }
        std::collections::hash_map::Entry::Vacant(entry) => {
            entry.insert(Ids::One([id]));
        }
    }
}

/// An offline US gazetteer: states, DC, territories, counties and populated places.
#[derive(Debug)]
pub struct Gazetteer {
    pub(crate) states: FastMap<StateCode, StateRow>,
    pub(crate) counties: Vec<County>,
    /// County ids by FIPS code read as a number (text "06037" is 6037).
    pub(crate) county_by_fips: FastMap<u32, u32>,
    pub(crate) county_by_name: FastMap<String, Ids>,
    pub(crate) places: Vec<PlaceRow>,
    pub(crate) by_name: FastMap<String, Ids>,
    pub(crate) curated: FastMap<String, Vec<Curated>>,
    pub(crate) us_population: u64,
    /// The alternate names of each place, as written in the data file.
    /// Each place's alternate names as (place, range in `alternate_text`), kept in
    /// one string rather than one allocation per place.
    alternates: Vec<(u32, std::ops::Range<usize>)>,
    alternate_text: String,
    /// Indexes only messy input needs, built on first use so that loading the
    /// gazetteer and resolving clean "City, ST" strings never pay for them.
    secondary: OnceLock<Secondary>,
    /// County shapes for coordinate lookups, parsed on first use.
    pub(crate) shapes: OnceLock<crate::geo::Shapes>,
    /// ZIP code centres, parsed on first use.
    pub(crate) zips: OnceLock<FastMap<u32, (f32, f32)>>,
}

/// The alternate-name, squashed-name and typo indexes.
#[derive(Debug, Default)]
pub(crate) struct Secondary {
    pub by_alias: FastMap<String, Ids>,
    pub by_squash: FastMap<String, Ids>,
    pub fuzzy: FuzzyIndex,
}

/// A FIPS code as a number, for cheap hashing; `u32::MAX` for anything that is not
/// digits, which no county has.
pub(crate) fn fips_number(code: &str) -> u32 {
    code.parse().unwrap_or(u32::MAX)
}

/// The slot of a two-letter postal code in a 26 x 26 table.
fn code_slot(code: &str) -> Option<usize> {
    match code.as_bytes() {
        [a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => Some((a - b'A') as usize * 26 + (b - b'A') as usize),
        _ => None,
    }
}

fn field<'a>(
    fields: &[&'a str],
    index: usize,
    file: &'static str,
    line: usize,
) -> Result<&'a str, PlacesError> {
    fields.get(index).copied().ok_or_else(|| PlacesError::Data {
        file,
        line,
        reason: format!("missing field {}", index + 1),
    })
}

fn number<T: std::str::FromStr>(
    text: &str,
    what: &str,
    file: &'static str,
    line: usize,
) -> Result<T, PlacesError> {
    text.parse().map_err(|_| PlacesError::Data {
        file,
        line,
        reason: format!("bad {what} {text:?}"),
    })
}

fn state(text: &str, file: &'static str, line: usize) -> Result<StateCode, PlacesError> {
    text.parse().map_err(|_| PlacesError::Data {
        file,
        line,
        reason: format!("unknown state {text:?}"),
    })
}

impl Gazetteer {
    /// Parses a gazetteer from the text of the two data files.
    pub fn from_text(gazetteer: &str, aliases: &str) -> Result<Gazetteer, PlacesError> {
        const GAZ: &str = "gazetteer.tsv";
        let mut gaz = Gazetteer {
            states: FastMap::default(),
            counties: Vec::with_capacity(3300),
            county_by_fips: FastMap::default(),
            county_by_name: FastMap::default(),
            places: Vec::with_capacity(34_000),
            by_name: FastMap::default(),
            curated: FastMap::default(),
            us_population: 0,
            alternates: Vec::with_capacity(20_000),
            alternate_text: String::with_capacity(600_000),
            secondary: OnceLock::new(),
            shapes: OnceLock::new(),
            zips: OnceLock::new(),
        };
        gaz.by_name.reserve(34_000);
        // Postal codes by their two letters, to avoid a linear search per place.
        let mut codes: [Option<StateCode>; 26 * 26] = [None; 26 * 26];
        for code in StateCode::all() {
            if let Some(slot) = code_slot(code.as_str()) {
                codes[slot] = Some(code);
            }
        }
        for (index, line) in gazetteer.lines().enumerate() {
            let line_no = index + 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let f = |i| field(&fields, i, GAZ, line_no);
            match fields[0] {
                "S" => {
                    let code = state(f(1)?, GAZ, line_no)?;
                    let row = StateRow {
                        population: number(f(2)?, "population", GAZ, line_no)?,
                        lat: number(f(3)?, "latitude", GAZ, line_no)?,
                        lon: number(f(4)?, "longitude", GAZ, line_no)?,
                    };
                    if !code.is_territory() {
                        gaz.us_population += row.population;
                    }
                    gaz.states.insert(code, row);
                }
                "C" => {
                    let fips = Fips::parse(f(1)?).map_err(|e| PlacesError::Data {
                        file: GAZ,
                        line: line_no,
                        reason: e.to_string(),
                    })?;
                    let state_code = StateCode::from_fips(fips.state_fips()).ok_or_else(|| {
                        PlacesError::Data {
                            file: GAZ,
                            line: line_no,
                            reason: format!("no state for county {fips}"),
                        }
                    })?;
                    let name = f(2)?.to_string();
                    let id = gaz.counties.len() as u32;
                    gaz.county_by_fips.insert(fips_number(fips.as_str()), id);
                    add_id(&mut gaz.county_by_name, normalize(&name), id);
                    gaz.counties.push(County {
                        fips,
                        name,
                        state: state_code,
                        population: number(f(3)?, "population", GAZ, line_no)?,
                        lat: number(f(4)?, "latitude", GAZ, line_no)?,
                        lon: number(f(5)?, "longitude", GAZ, line_no)?,
                    });
                }
                "P" => {
                    let county = *gaz.county_by_fips.get(&fips_number(f(3)?)).ok_or_else(|| {
                        PlacesError::Data {
                            file: GAZ,
                            line: line_no,
                            reason: format!("unknown county {:?}", fields[3]),
                        }
                    })?;
                    let kind = match f(7)? {
                        "A" => Kind::Seat,
                        "P" => Kind::Populated,
                        "Z" => Kind::Postal,
                        "X" => Kind::Section,
                        other => {
                            return Err(PlacesError::Data {
                                file: GAZ,
                                line: line_no,
                                reason: format!("unknown place kind {other:?}"),
                            })
                        }
                    };
                    let place = PlaceRow {
                        name: f(1)?.to_string(),
                        state: code_slot(f(2)?)
                            .and_then(|slot| codes[slot])
                            .map_or_else(|| state(fields[2], GAZ, line_no), Ok)?,
                        county,
                        lat: number(f(4)?, "latitude", GAZ, line_no)?,
                        lon: number(f(5)?, "longitude", GAZ, line_no)?,
                        population: number(f(6)?, "population", GAZ, line_no)?,
                        kind,
                    };
                    let id = gaz.places.len() as u32;
                    add_id(&mut gaz.by_name, normalize(&place.name), id);
                    let alternates = f(8)?;
                    if !alternates.is_empty() {
                        let start = gaz.alternate_text.len();
                        gaz.alternate_text.push_str(alternates);
                        let end = gaz.alternate_text.len();
                        gaz.alternates.push((id, start..end));
                    }
                    gaz.places.push(place);
                }
                other => {
                    return Err(PlacesError::Data {
                        file: GAZ,
                        line: line_no,
                        reason: format!("unknown record type {other:?}"),
                    })
                }
            }
        }
        if gaz.states.len() != StateCode::all().count() {
            return Err(PlacesError::Data {
                file: GAZ,
                line: 0,
                reason: format!("{} states, expected 56", gaz.states.len()),
            });
        }
        gaz.load_curated(aliases)?;
        Ok(gaz)
    }

    fn load_curated(&mut self, aliases: &str) -> Result<(), PlacesError> {
        const FILE: &str = "aliases.tsv";
        for (index, line) in aliases.lines().enumerate() {
            let line_no = index + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let f = |i| field(&fields, i, FILE, line_no);
            let alias = normalize(f(0)?);
            let target_state = state(f(2)?, FILE, line_no)?;
            let target_key = normalize(f(1)?);
            let place = self
                .best_named(&target_key, Some(target_state))
                .ok_or_else(|| PlacesError::Data {
                    file: FILE,
                    line: line_no,
                    reason: format!("no place {:?} in {target_state}", fields[1]),
                })?;
            let optional = |i: usize| {
                fields
                    .get(i)
                    .copied()
                    .filter(|s| !s.is_empty() && *s != "-")
            };
            let county = match optional(3) {
                Some(code) => {
                    Some(*self.county_by_fips.get(&fips_number(code)).ok_or_else(|| {
                        PlacesError::Data {
                            file: FILE,
                            line: line_no,
                            reason: format!("unknown county {code:?}"),
                        }
                    })?)
                }
                None => None,
            };
            let point = match (optional(4), optional(5)) {
                (Some(lat), Some(lon)) => Some((
                    number(lat, "latitude", FILE, line_no)?,
                    number(lon, "longitude", FILE, line_no)?,
                )),
                _ => None,
            };
            self.curated.entry(alias).or_default().push(Curated {
                place,
                county,
                point,
            });
        }
        Ok(())
    }

    /// The indexes of alternate names, squashed names and typos, built once.
    pub(crate) fn secondary(&self) -> &Secondary {
        self.secondary.get_or_init(|| {
            let mut secondary = Secondary::default();
            secondary.by_alias.reserve(60_000);
            secondary.by_squash.reserve(12_000);
            for (id, place) in self.places.iter().enumerate() {
                let id = id as u32;
                let key = normalize(&place.name);
                // Names without spaces are their own squashed form, found in by_name.
                if key.contains(' ') {
                    add_id(&mut secondary.by_squash, squash(&key), id);
                }
                // "Dededo Village" is also plain "Dededo".
                for suffix in [" village", " township", " borough", " cdp"] {
                    if let Some(short) = key.strip_suffix(suffix) {
                        add_id(&mut secondary.by_alias, short.to_string(), id);
                    }
                }
                secondary.fuzzy.add(place.state, &key, id);
            }
            for (id, range) in &self.alternates {
                let alternates = &self.alternate_text[range.clone()];
                for alias in alternates.split('|').filter(|a| !a.is_empty()) {
                    add_id(&mut secondary.by_alias, normalize(alias), *id);
                }
            }
            secondary.fuzzy.finish();
            secondary
        })
    }

    /// The best place with this primary key, within a state when one is given: the
    /// highest kind, then the largest population.
    pub(crate) fn best_named(&self, key: &str, state: Option<StateCode>) -> Option<u32> {
        self.best_of(self.by_name.get(key)?, state)
    }

    pub(crate) fn best_of(&self, ids: &[u32], state: Option<StateCode>) -> Option<u32> {
        ids.iter()
            .copied()
            .filter(|&id| state.map_or(true, |s| self.places[id as usize].state == s))
            .max_by_key(|&id| self.rank(id))
    }

    /// The ordering key used to choose between same-named places.
    pub(crate) fn rank(&self, id: u32) -> (bool, u64, Kind) {
        let place = &self.places[id as usize];
        (place.kind != Kind::Section, place.population, place.kind)
    }
}
