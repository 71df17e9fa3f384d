//! The resolver: from parsed candidates to one place, trying the cheap and certain
//! lookups first (curated aliases, exact names, counties, alternate names), then name
//! variants ("City of X", "X Township"), then a bounded typo search.
//!
//! Every lookup is filtered by the candidate's state, and `finish` checks the answer
//! once more: when a state is given, a place in another state is never returned.

use crate::gazetteer::{fips_number, Curated, Gazetteer, Kind};
use crate::geo::distance_km;
use crate::normalize::{normalize, squash};
use crate::parse::{is_online, parse_place, Candidate, Parsed, ONLINE_WORDS};
use crate::states::{capital, lookup_state_key, parse_state};
use crate::Resolution;
use tally_model::{Confidence, ResolvedPlace, StateCode};

/// What a lookup matched.
enum Hit<'a> {
    Place(u32, Option<&'a Curated>),
    County(u32),
}

struct Found<'a> {
    hit: Hit<'a>,
    confidence: Confidence,
    ambiguous: bool,
    alternatives: Vec<String>,
}

/// Words in front of a name that do not belong to it ("City of Boise").
const PREFIXES: &[&str] = &[
    "unincorporated ",
    "city and county of ",
    "city of ",
    "town of ",
    "village of ",
    "borough of ",
    "municipality of ",
    "downtown ",
    "greater ",
    "metro ",
    "the ",
    "central ",
    "uptown ",
    "near ",
    "outside ",
    "uc ",
    "suny ",
];

/// Words after a name that do not belong to it ("Boise City", "Door County").
const SUFFIXES: &[&str] = &[
    " city",
    " town",
    " village",
    " borough",
    " boro",
    " cdp",
    " metro area",
    " area",
    " metro",
    " downtown",
    " hamlet",
    " municipality",
    " proper",
    " county",
    " co",
    " college",
    " state university",
    " university",
    " campus",
];

/// Words for a state's capitol building: in a known state they mean its capital.
const CAPITOL_WORDS: &[&str] = &[
    "capitol",
    "state capitol",
    "capitol building",
    "state capitol building",
    "capitol steps",
    "state capital",
    "statehouse",
    "state house",
];

/// Keys too generic to match through an alternate name, a variant or a typo: "Bay
/// Area" must not become Bodega Bay because one of its alternate names is "Bay".
const GENERIC: &[&str] = &[
    "bay",
    "beach",
    "city",
    "county",
    "downtown",
    "east",
    "fort",
    "heights",
    "island",
    "lake",
    "mount",
    "new",
    "north",
    "park",
    "point",
    "port",
    "saint",
    "south",
    "springs",
    "town",
    "township",
    "valley",
    "village",
    "west",
    "center",
    "central",
    "state",
    "university",
    "college",
    "campus",
    "area",
    "metro",
];

/// Direction words in front of (or after) a part of a place: "North Austin", "South
/// Whidbey", "Saginaw Township North".
const DIRECTIONS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "upper",
    "lower",
    "inner",
    "outer",
    "old",
];

/// Last words of a neighbourhood or development named after its place ("Ortley
/// Beach", "Jupiter Farms", "Natrona Heights"): tried against the base name.
const AREA_SUFFIXES: &[&str] = &[
    "beach", "beaches", "heights", "farms", "hills", "shores", "park", "estates", "gardens",
    "manor", "terrace", "station", "crossing", "side",
];

/// How far outside a county named with it a place may lie and still be meant (km).
const BESIDE_COUNTY_KM: f64 = 12.0;

/// How far a neighbouring place may lie from the namesake it picks (km).
const NEIGHBOUR_KM: f64 = 80.0;

/// A population share under which a same-named place elsewhere is not worth flagging.
const AMBIGUITY_SHARE: u64 = 20;

fn variants(key: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut stripped = key;
    for prefix in PREFIXES {
        if let Some(rest) = stripped.strip_prefix(prefix) {
            stripped = rest;
            out.push(rest.to_string());
        }
    }
    for suffix in SUFFIXES {
        if let Some(rest) = stripped.strip_suffix(suffix) {
            if !rest.is_empty() {
                out.push(rest.to_string());
            }
            break;
        }
    }
    out.retain(|v| !v.is_empty() && v != key && !GENERIC.contains(&v.as_str()));
    out
}

/// Other forms of a key that name the same or an enclosing place, each with the
/// confidence of answering with it: township words dropped (`township_of`), direction
/// words and area suffixes dropped (`area_of`), "court house" and "courthouse" swapped
/// (`alias`). Forms combine ("North Clinton Township" → "clinton"); the most specific
/// come first.
fn forms(key: &str) -> Vec<(String, Confidence)> {
    let mut out: Vec<(String, Confidence)> = Vec::new();
    let push = |form: String, confidence: Confidence, out: &mut Vec<(String, Confidence)>| {
        if form.len() >= 3
            && form != key
            && !GENERIC.contains(&form.as_str())
            && !DIRECTIONS.contains(&form.as_str())
            && !out.iter().any(|(f, _)| *f == form)
        {
            out.push((form, confidence));
        }
    };
    // Spelling variants of the same name first.
    if key.contains("courthouse") {
        push(
            key.replace("courthouse", "court house"),
            Confidence::Alias,
            &mut out,
        );
    } else if key.contains("court house") {
        push(
            key.replace("court house", "courthouse"),
            Confidence::Alias,
            &mut out,
        );
    }
    let words: Vec<&str> = key.split(' ').collect();
    // Township words anywhere: "Clinton Township", "Pittsfield Charter Township",
    // "Township of Zion", "Clinton Twp".
    let township = words.contains(&"township");
    let base: Vec<&str> = if township {
        let mut kept: Vec<&str> = Vec::with_capacity(words.len());
        for (i, w) in words.iter().enumerate() {
            let next = words.get(i + 1).copied();
            let before_township = matches!(*w, "charter" | "of") && next == Some("township");
            let of_after = *w == "of" && i > 0 && words[i - 1] == "township";
            if *w == "township" || before_township || of_after {
                continue;
            }
            kept.push(w);
        }
        kept
    } else {
        words.clone()
    };
    let first_confidence = if township {
        Confidence::TownshipOf
    } else {
        Confidence::AreaOf
    };
    if township && !base.is_empty() {
        push(base.join(" "), Confidence::TownshipOf, &mut out);
    }
    // Direction words first or last, then area suffixes, each on the township-free base.
    let mut trimmed = base.clone();
    if trimmed.len() > 1 && DIRECTIONS.contains(&trimmed[0]) {
        trimmed.remove(0);
        push(trimmed.join(" "), first_confidence.max_area(), &mut out);
    }
    if trimmed.len() > 1 && DIRECTIONS.contains(trimmed.last().unwrap_or(&"")) {
        trimmed.pop();
        push(trimmed.join(" "), first_confidence.max_area(), &mut out);
    }
    if trimmed.len() > 1 && AREA_SUFFIXES.contains(trimmed.last().unwrap_or(&"")) {
        trimmed.pop();
        push(trimmed.join(" "), first_confidence.max_area(), &mut out);
    }
    out
}

/// The weaker of a form's confidence and `area_of`: a township stays `township_of`.
trait AreaConfidence {
    fn max_area(self) -> Confidence;
}

impl AreaConfidence for Confidence {
    fn max_area(self) -> Confidence {
        match self {
            Confidence::TownshipOf => Confidence::TownshipOf,
            _ => Confidence::AreaOf,
        }
    }
}

/// What the rest of a string (or the caller) says about where a place is: counties
/// named beside it and points of neighbouring places. It picks among places that
/// share a name in one state.
#[derive(Debug, Default, Clone)]
pub(crate) struct Context {
    /// Counties named in the string or given by the caller.
    pub counties: Vec<u32>,
    /// How many of `counties`, from the first, were named with their county word
    /// ("Bradford County") or given by the caller; the rest were bare names
    /// ("Troy, Bradford"), which may also be towns.
    pub explicit: usize,
    /// (key of the piece that gave it, lat, lon): neighbouring places and given points.
    pub points: Vec<(String, f64, f64)>,
}

impl Context {
    fn is_empty(&self) -> bool {
        self.counties.is_empty() && self.points.is_empty()
    }
}

/// Hints that come with a place string from elsewhere in its row, sheet or article.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Hints {
    /// A county column: a name ("Bradford County", "Bradford") or a 5-digit FIPS code.
    pub county: Option<String>,
    /// Coordinates given with the report (latitude, longitude).
    pub point: Option<(f64, f64)>,
    /// Points of other places in the same sheet or article.
    pub near: Vec<(f64, f64)>,
    /// A ZIP code column.
    pub zip: Option<String>,
}

impl Gazetteer {
    fn in_state(&self, id: u32, state: Option<StateCode>) -> bool {
        state.map_or(true, |s| self.places[id as usize].state == s)
    }

    fn label(&self, id: u32) -> String {
        let p = &self.places[id as usize];
        format!("{}, {}", p.name, p.state)
    }

    /// "Troy, PA (Bradford County)": a label that tells same-named places in one
    /// state apart.
    fn label_with_county(&self, id: u32) -> String {
        let p = &self.places[id as usize];
        let county = &self.counties[p.county as usize];
        format!("{}, {} ({})", p.name, p.state, county.name)
    }

    /// Picks the best of a list of place ids and says whether other places of that
    /// name are comparable: in other states when no state is given, else in the
    /// same state (the most populous wins, the others are its alternatives).
    fn choose(
        &self,
        ids: &[u32],
        state: Option<StateCode>,
        confidence: Confidence,
    ) -> Option<Found<'_>> {
        self.choose_with(ids, state, confidence, None)
    }

    /// [`Self::choose`], letting the context (a county or a neighbouring place named
    /// beside `key`) pick among namesakes first.
    fn choose_with(
        &self,
        ids: &[u32],
        state: Option<StateCode>,
        confidence: Confidence,
        context: Option<(&Context, &str)>,
    ) -> Option<Found<'_>> {
        let picked = match context {
            Some((ctx, key)) if ids.len() > 1 && !ctx.is_empty() => {
                self.pick_by_context(ids, state, ctx, key)
            }
            _ => None,
        };
        let best = picked.or_else(|| self.best_of(ids, state))?;
        let mut found = Found {
            hit: Hit::Place(best, None),
            confidence,
            ambiguous: false,
            alternatives: Vec::new(),
        };
        let top = &self.places[best as usize];
        if state.is_none() {
            let mut others: Vec<u32> = ids
                .iter()
                .copied()
                .filter(|&id| self.places[id as usize].state != top.state)
                .collect();
            others.sort_by_key(|&id| std::cmp::Reverse(self.rank(id)));
            found.ambiguous = others
                .iter()
                .any(|&id| self.places[id as usize].population * AMBIGUITY_SHARE >= top.population);
            found.alternatives = others.iter().take(5).map(|&id| self.label(id)).collect();
        } else if picked.is_none() && ids.len() > 1 {
            // Towns that share a name in one state ("Troy, PA"): the most populous
            // was taken; comparable others are its alternatives.
            let mut others: Vec<u32> = ids
                .iter()
                .copied()
                .filter(|&id| {
                    let p = &self.places[id as usize];
                    id != best
                        && p.state == top.state
                        && p.kind != Kind::Section
                        && p.population * AMBIGUITY_SHARE >= top.population
                })
                .collect();
            if !others.is_empty() && top.kind != Kind::Section {
                others.sort_by_key(|&id| std::cmp::Reverse(self.rank(id)));
                found.ambiguous = true;
                found.alternatives = others
                    .iter()
                    .take(5)
                    .map(|&id| self.label_with_county(id))
                    .collect();
            }
        }
        Some(found)
    }

    /// The namesake the context points at: the one in a named county, else the one
    /// nearest a neighbouring place (within [`NEIGHBOUR_KM`]).
    fn pick_by_context(
        &self,
        ids: &[u32],
        state: Option<StateCode>,
        ctx: &Context,
        key: &str,
    ) -> Option<u32> {
        let pool: Vec<u32> = ids
            .iter()
            .copied()
            .filter(|&id| self.in_state(id, state))
            .collect();
        if pool.len() < 2 {
            return None;
        }
        let in_county: Vec<u32> = pool
            .iter()
            .copied()
            .filter(|&id| ctx.counties.contains(&self.places[id as usize].county))
            .collect();
        if !in_county.is_empty() {
            return self.best_of(&in_county, state);
        }
        let points: Vec<(f64, f64)> = ctx
            .points
            .iter()
            .filter(|(from, _, _)| from != key)
            .map(|(_, lat, lon)| (*lat, *lon))
            .collect();
        let (distance, id) = pool
            .iter()
            .map(|&id| {
                let p = &self.places[id as usize];
                let d = points
                    .iter()
                    .map(|&point| distance_km(point, (p.lat, p.lon)))
                    .fold(f64::MAX, f64::min);
                (d, id)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))?;
        (distance <= NEIGHBOUR_KM).then_some(id)
    }

    /// True when a fallback answer agrees with the counties named beside it.
    fn fits_context(&self, found: &Found<'_>, ctx: &Context) -> bool {
        if ctx.counties.is_empty() {
            return true;
        }
        let county = match found.hit {
            Hit::Place(id, curated) => curated
                .and_then(|c| c.county)
                .unwrap_or(self.places[id as usize].county),
            Hit::County(id) => id,
        };
        ctx.counties.contains(&county)
    }

    fn population(&self, found: &Found<'_>) -> u64 {
        match found.hit {
            Hit::Place(id, _) => self.places[id as usize].population,
            Hit::County(id) => self.counties[id as usize].population,
        }
    }

    fn curated_hit(&self, key: &str, state: Option<StateCode>) -> Option<Found<'_>> {
        let entries = self.curated.get(key)?;
        let entry = entries
            .iter()
            .filter(|c| self.in_state(c.place, state))
            .max_by_key(|c| self.places[c.place as usize].population)?;
        Some(Found {
            hit: Hit::Place(entry.place, Some(entry)),
            confidence: Confidence::Alias,
            ambiguous: false,
            alternatives: Vec::new(),
        })
    }

    fn county_hit(&self, key: &str, state: Option<StateCode>) -> Option<Found<'_>> {
        let ids = self.county_by_name.get(key)?;
        let id = ids
            .iter()
            .copied()
            .filter(|&id| state.map_or(true, |s| self.counties[id as usize].state == s))
            .max_by_key(|&id| self.counties[id as usize].population)?;
        Some(Found {
            hit: Hit::County(id),
            confidence: Confidence::Exact,
            ambiguous: false,
            alternatives: Vec::new(),
        })
    }

    /// The certain lookups for one locality: curated aliases, exact names, counties
    /// and capitols.
    fn find_exact(&self, key: &str, state: Option<StateCode>, ctx: &Context) -> Option<Found<'_>> {
        if key.is_empty() {
            return None;
        }
        let curated = self.curated_hit(key, state);
        // A county or a neighbouring place named beside the place ("Lafayette
        // (Tippecanoe County)", "Troy near Towanda") picks among same-named places.
        let named = self
            .by_name
            .get(key)
            .and_then(|ids| self.choose_with(ids, state, Confidence::Exact, Some((ctx, key))));
        match (curated, named) {
            // Without a state, a curated alias ("Saint John" for the Virgin Islands
            // district) yields to a larger place of that very name (St. John, Indiana).
            (Some(c), Some(n)) if state.is_none() && self.population(&n) > self.population(&c) => {
                return Some(n)
            }
            (Some(c), _) => return Some(c),
            (None, Some(n)) => return Some(n),
            (None, None) => {}
        }
        self.county_hit(key, state)
            .or_else(|| self.capitol_hit(key, state))
    }

    /// The looser lookups: alternate names, civic-word variants, squashed spellings.
    fn find_loose(&self, key: &str, state: Option<StateCode>) -> Option<Found<'_>> {
        self.find_alias(key, state)
            .or_else(|| self.find_contained(key, state?))
    }

    /// Alternate names, civic-word variants and squashed spellings.
    fn find_alias(&self, key: &str, state: Option<StateCode>) -> Option<Found<'_>> {
        if key.is_empty() || GENERIC.contains(&key) {
            return None;
        }
        if let Some(ids) = self.secondary().by_alias.get(key) {
            if let Some(found) = self.choose(ids, state, Confidence::Alias) {
                return Some(found);
            }
        }
        self.find_variant(key, state)
    }

    /// The other forms of a name ([`forms`]): a township without its township word, a
    /// part of a place without its direction word or area suffix. An answer must
    /// agree with any county named beside it; it carries the form's confidence.
    fn find_form(&self, key: &str, state: Option<StateCode>, ctx: &Context) -> Option<Found<'_>> {
        if key.is_empty() {
            return None;
        }
        for (form, confidence) in forms(key) {
            let found = self
                .find_exact(&form, state, ctx)
                .or_else(|| self.find_alias(&form, state));
            if let Some(mut found) = found {
                if !self.fits_context(&found, ctx) {
                    continue;
                }
                if confidence != Confidence::Alias || found.confidence == Confidence::Exact {
                    found.confidence = confidence;
                }
                return Some(found);
            }
        }
        None
    }

    /// Typo search on the other forms of a name ("Pitsfield Township").
    fn find_form_fuzzy(
        &self,
        key: &str,
        state: Option<StateCode>,
        ctx: &Context,
    ) -> Option<Found<'_>> {
        for (form, confidence) in forms(key) {
            if let Some(mut found) = self.find_fuzzy(&form, state) {
                if !self.fits_context(&found, ctx) {
                    continue;
                }
                if confidence != Confidence::Alias {
                    found.confidence = confidence;
                }
                return Some(found);
            }
        }
        None
    }

    /// A place named inside a longer phrase in a known state ("rally at the state
    /// capitol in madison"): word windows of up to four words, longest and last
    /// first, looked up exactly.
    fn find_contained(&self, key: &str, state: StateCode) -> Option<Found<'_>> {
        let words: Vec<&str> = key.split(' ').collect();
        if words.len() < 3 {
            return None;
        }
        for width in (1..=4.min(words.len() - 1)).rev() {
            for start in (0..=words.len() - width).rev() {
                let window = words[start..start + width].join(" ");
                if window.len() < 4 || GENERIC.contains(&window.as_str()) {
                    continue;
                }
                if let Some(ids) = self.by_name.get(&window) {
                    if let Some(found) = self.choose(ids, Some(state), Confidence::Alias) {
                        return Some(found);
                    }
                }
            }
        }
        None
    }

    fn find_variant(&self, key: &str, state: Option<StateCode>) -> Option<Found<'_>> {
        for variant in variants(key) {
            if let Some(mut found) = self.curated_hit(&variant, state) {
                found.confidence = Confidence::Alias;
                return Some(found);
            }
            if let Some(ids) = self.by_name.get(&variant) {
                if let Some(found) = self.choose(ids, state, Confidence::Alias) {
                    return Some(found);
                }
            }
            for suffix in [
                "",
                " county",
                " parish",
                " borough",
                " census area",
                " city and borough",
                " municipality",
                " municipio",
                " city",
            ] {
                let county_key = format!("{variant}{suffix}");
                if let Some(mut found) = self.county_hit(&county_key, state) {
                    found.confidence = Confidence::Alias;
                    return Some(found);
                }
            }
            if let Some(ids) = self.secondary().by_alias.get(&variant) {
                if let Some(found) = self.choose(ids, state, Confidence::Alias) {
                    return Some(found);
                }
            }
        }
        let squashed = squash(key);
        let ids = self.secondary().by_squash.get(&squashed).or_else(|| {
            // "Mc Allen" squashes to a name that has no space of its own.
            (squashed != key)
                .then(|| self.by_name.get(&squashed))
                .flatten()
        });
        if let Some(found) = ids.and_then(|ids| self.choose(ids, state, Confidence::Alias)) {
            return Some(found);
        }
        None
    }

    /// "State Capitol" in a known state is its capital city.
    fn capitol_hit(&self, key: &str, state: Option<StateCode>) -> Option<Found<'_>> {
        let state = state?;
        if !CAPITOL_WORDS.contains(&key) {
            return None;
        }
        let place = self.best_named(&normalize(capital(state)?), Some(state))?;
        Some(Found {
            hit: Hit::Place(place, None),
            confidence: Confidence::Alias,
            ambiguous: false,
            alternatives: Vec::new(),
        })
    }

    fn find_fuzzy(&self, key: &str, state: Option<StateCode>) -> Option<Found<'_>> {
        if GENERIC.contains(&key) {
            return None;
        }
        let matches = self.secondary().fuzzy.search(key, state);
        let best_distance = matches.iter().map(|(_, d)| *d).min()?;
        let ids: Vec<u32> = matches
            .iter()
            .filter(|(_, d)| *d == best_distance)
            .map(|(id, _)| *id)
            .collect();
        let mut found = self.choose(&ids, state, Confidence::Fuzzy)?;
        if state.is_none() && ids.len() > 1 {
            found.ambiguous = true;
        }
        Some(found)
    }

    /// A lone word that is a state's name with a typo ("Massachusets").
    fn misspelled_state(&self, text: &str) -> Option<StateCode> {
        let key = normalize(text);
        let limit = crate::fuzzy::max_distance(key.len());
        if limit == 0 {
            return None;
        }
        let mut matches = StateCode::all().filter(|s| {
            let name = normalize(s.name());
            crate::fuzzy::bounded_distance(key.as_bytes(), name.as_bytes(), limit).is_some()
        });
        let first = matches.next()?;
        // Two states within reach ("Virginia" typos) is no answer.
        matches.next().is_none().then_some(first)
    }

    fn place_of(&self, found: &Found<'_>) -> ResolvedPlace {
        match found.hit {
            Hit::Place(id, curated) => {
                let place = &self.places[id as usize];
                let county_id = curated.and_then(|c| c.county).unwrap_or(place.county);
                let county = &self.counties[county_id as usize];
                let (lat, lon) = curated
                    .and_then(|c| c.point)
                    .unwrap_or((place.lat, place.lon));
                ResolvedPlace {
                    locality: Some(place.name.clone()),
                    county: Some(county.name.clone()),
                    fips: Some(county.fips.clone()),
                    state: place.state,
                    lat: Some(lat),
                    lon: Some(lon),
                    population: (place.population > 0).then_some(place.population),
                    confidence: found.confidence,
                }
            }
            Hit::County(id) => {
                let county = &self.counties[id as usize];
                ResolvedPlace {
                    locality: Some(county.name.clone()),
                    county: Some(county.name.clone()),
                    fips: Some(county.fips.clone()),
                    state: county.state,
                    lat: Some(county.lat),
                    lon: Some(county.lon),
                    population: Some(county.population),
                    confidence: found.confidence,
                }
            }
        }
    }

    fn state_place(&self, state: StateCode) -> Resolution {
        // DC is one city: "DC" alone means Washington.
        if let Some(found) = self.curated_hit(&normalize(state.as_str()), Some(state)) {
            return self.found_resolution(found);
        }
        let row = &self.states[&state];
        Resolution {
            place: Some(ResolvedPlace {
                locality: None,
                county: None,
                fips: None,
                state,
                lat: Some(row.lat),
                lon: Some(row.lon),
                population: Some(row.population),
                confidence: Confidence::State,
            }),
            ..Resolution::default()
        }
    }

    fn found_resolution(&self, found: Found<'_>) -> Resolution {
        Resolution {
            place: Some(self.place_of(&found)),
            ambiguous: found.ambiguous,
            alternatives: found.alternatives,
            ..Resolution::default()
        }
    }

    /// The county a piece of text names ("Bradford County", or a bare "Bradford"
    /// when `bare`), within the state.
    fn named_county(&self, key: &str, state: StateCode, bare: bool) -> Option<u32> {
        let suffixed = [" county", " parish", " borough", " census area"]
            .iter()
            .any(|suffix| key.ends_with(suffix));
        let hit = if suffixed {
            self.county_hit(key, Some(state))
        } else if bare && !GENERIC.contains(&key) && key.len() >= 3 {
            [" county", " parish", " borough", " census area"]
                .iter()
                .find_map(|suffix| self.county_hit(&format!("{key}{suffix}"), Some(state)))
        } else {
            None
        }?;
        match hit.hit {
            Hit::County(id) => Some(id),
            Hit::Place(..) => None,
        }
    }

    /// What the other pieces of the string and the caller's hints say about where
    /// the place is.
    fn context_of(&self, parsed: &Parsed, hints: &Hints) -> Context {
        let mut ctx = Context::default();
        if let Some(county) = hints
            .county
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            let by_code = county
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| self.county_by_fips.get(&fips_number(county)).copied())
                .flatten();
            let by_name = || {
                let key = normalize(county);
                let state = parsed.state?;
                self.named_county(&key, state, true)
            };
            if let Some(id) = by_code.or_else(by_name) {
                ctx.counties.push(id);
                ctx.explicit = 1;
            }
        }
        if let Some((lat, lon)) = hints.point.or_else(|| self.zip_point(parsed, hints)) {
            ctx.points.push((String::new(), lat, lon));
        }
        for &(lat, lon) in &hints.near {
            ctx.points.push((String::new(), lat, lon));
        }
        if parsed.candidates.len() > 1 {
            for bare in [false, true] {
                for c in &parsed.candidates {
                    let Some(state) = c.state else { continue };
                    let key = normalize(&c.locality);
                    if let Some(id) = self.named_county(&key, state, bare) {
                        if !ctx.counties.contains(&id) {
                            ctx.counties.push(id);
                        }
                    }
                }
                if !bare {
                    ctx.explicit = ctx.counties.len();
                }
            }
            for c in &parsed.candidates {
                let Some(state) = c.state else { continue };
                let key = normalize(&c.locality);
                // "near Toledo" names its neighbour after a civic word.
                let named = std::iter::once(key.clone())
                    .chain(variants(&key))
                    .find_map(|k| self.best_named(&k, Some(state)));
                if let Some(id) = named {
                    let p = &self.places[id as usize];
                    ctx.points.push((key, p.lat, p.lon));
                }
            }
        }
        ctx
    }

    /// The centre of the ZIP code given as a hint or written in the string.
    fn zip_point(&self, parsed: &Parsed, hints: &Hints) -> Option<(f64, f64)> {
        let zip = hints
            .zip
            .as_deref()
            .and_then(|z| z.trim().get(..5)?.parse::<u32>().ok())
            .or(parsed.zip)?;
        self.zip_centre(zip)
    }

    /// Every tier over every piece, certain lookups first; the index of the piece
    /// that answered comes with the answer.
    fn find_in(&self, keys: &[(String, Option<StateCode>)], ctx: &Context) -> Option<Found<'_>> {
        let tier = |tier: usize, key: &str, state: Option<StateCode>| match tier {
            0 => self.find_exact(key, state, ctx),
            1 => self.find_loose(key, state),
            2 => self.find_form(key, state, ctx),
            3 => self.find_fuzzy(key, state),
            _ => self.find_form_fuzzy(key, state, ctx),
        };
        let (index, mut found) = (0..5).find_map(|t| {
            keys.iter()
                .enumerate()
                .find_map(|(i, (key, state))| tier(t, key, *state).map(|f| (i, f)))
        })?;
        if let (Confidence::Alias, Hit::Place(id, None)) = (found.confidence, &found.hit) {
            // An alternate name that is a form of the place's own ("Lakewood Twp",
            // "Jersey City Heights") says what kind of answer it is.
            let name = normalize(&self.places[*id as usize].name);
            if let Some((_, confidence)) =
                forms(&keys[index].0).into_iter().find(|(f, _)| *f == name)
            {
                found.confidence = confidence;
            }
        }
        if let (Hit::Place(id, curated), Some(&county)) = (&found.hit, ctx.counties.first()) {
            // A town of that name outside the county named with it ("Brunswick,
            // Brunswick County") is another town: the county is the answer.
            let in_county = curated
                .and_then(|c| c.county)
                .unwrap_or(self.places[*id as usize].county);
            let place = &self.places[*id as usize];
            let beside = || {
                // An independent city beside or inside its namesake county
                // ("Baltimore, Baltimore County") is still that city.
                self.shapes()
                    .distance_outside(county, place.lat, place.lon)
                    .is_some_and(|km| km <= BESIDE_COUNTY_KM)
            };
            if ctx.explicit > 0 && !ctx.counties[..ctx.explicit].contains(&in_county) && !beside() {
                return Some(Found {
                    hit: Hit::County(county),
                    confidence: Confidence::AreaOf,
                    ambiguous: false,
                    alternatives: Vec::new(),
                });
            }
        }
        if matches!(found.hit, Hit::County(_)) && index > 0 {
            // The county was named beside a place that is not found as written
            // ("Zion Township, Stearns County"): that place's other forms within the
            // county come first, else the county is the enclosing answer.
            for (key, state) in &keys[..index] {
                if let Some(form) = self.find_form(key, *state, ctx) {
                    return Some(form);
                }
            }
            found.confidence = Confidence::AreaOf;
        }
        Some(found)
    }

    /// Tries the parsed candidates in order, then the fallbacks, then what encloses
    /// them (a county named in the string, a given point), then the state.
    fn resolve_parsed(&self, text: &str, parsed: &Parsed, hints: &Hints) -> Resolution {
        if parsed.state_only {
            let state = parsed.state.expect("state_only implies a state");
            if let Some(found) = self.curated_hit(&normalize(text), Some(state)) {
                return self.found_resolution(found);
            }
            if let Some((lat, lon)) = hints.point {
                let located = self.locate(lat, lon);
                if located.place.as_ref().is_some_and(|p| p.state == state) {
                    return located;
                }
            }
            return self.state_place(state);
        }
        let ctx = self.context_of(parsed, hints);
        // Typo search runs only after every candidate failed the certain lookups, so
        // "St. Paul/Minneapolis" never settles for a near miss of its first half.
        // Each tier runs over every candidate before the next, looser tier: in
        // "Capitol Hill, Seattle, WA" the exact Seattle beats an alternate name of
        // the neighbourhood, and typo search never preempts a clean piece or a
        // name's other forms ("Ortley Beach" is tried as Ortley before any typo).
        for group in [&parsed.candidates, &parsed.fallbacks] {
            let keys: Vec<(String, Option<StateCode>)> = group
                .iter()
                .map(|c| (normalize(&c.locality), c.state))
                .collect();
            if let Some(found) = self.find_in(&keys, &ctx) {
                return self.found_resolution(found);
            }
        }
        // Nothing named resolved: a county named or given is the enclosing answer,
        // then a given point; the state centroid is the last resort.
        if let Some(&county) = ctx.counties.first() {
            let found = Found {
                hit: Hit::County(county),
                confidence: Confidence::AreaOf,
                ambiguous: false,
                alternatives: Vec::new(),
            };
            if parsed
                .state
                .map_or(true, |s| self.counties[county as usize].state == s)
            {
                return self.found_resolution(found);
            }
        }
        if let Some((lat, lon)) = hints.point.or_else(|| self.zip_point(parsed, hints)) {
            let located = self.locate(lat, lon);
            if located
                .place
                .as_ref()
                .is_some_and(|p| parsed.state.map_or(true, |s| p.state == s))
            {
                return located;
            }
        }
        match parsed.state {
            Some(state) => {
                let mut resolution = self.state_place(state);
                resolution.note = Some(format!(
                    "locality not found in {state}; resolved to the state"
                ));
                resolution
            }
            None => match self.misspelled_state(text) {
                Some(state) => self.state_place(state),
                None => Resolution::unresolved(format!("no place matches {:?}", text.trim())),
            },
        }
    }

    /// Resolves coordinates offline: the county whose Census shape holds the point
    /// (or, for a point the simplified shapes leave just offshore, the nearest one
    /// within a few kilometres), and the nearest gazetteer place in that county.
    pub fn locate(&self, lat: f64, lon: f64) -> Resolution {
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Resolution::unresolved(format!("coordinates out of range: {lat}, {lon}"));
        }
        let shapes = self.shapes();
        let Some(county) = shapes
            .county_at(lat, lon)
            .or_else(|| shapes.nearest_county(lat, lon, 10.0))
        else {
            return Resolution::unresolved(format!(
                "coordinates {lat}, {lon} are not in a US county or county-equivalent"
            ));
        };
        let row = &self.counties[county as usize];
        let nearest = self.nearest_place(lat, lon, Some(county));
        let place = nearest.map(|id| &self.places[id as usize]);
        Resolution {
            place: Some(ResolvedPlace {
                locality: Some(place.map_or_else(|| row.name.clone(), |p| p.name.clone())),
                county: Some(row.name.clone()),
                fips: Some(row.fips.clone()),
                state: row.state,
                lat: Some(lat),
                lon: Some(lon),
                population: Some(place.map_or(row.population, |p| p.population)).filter(|&p| p > 0),
                confidence: Confidence::Coordinates,
            }),
            note: place.map(|p| {
                let km = distance_km((lat, lon), (p.lat, p.lon));
                format!("nearest place {}, {} is {km:.1} km away", p.name, p.state)
            }),
            ..Resolution::default()
        }
    }

    /// The common clean shape "City, ST", answered with one normalization and two
    /// hash lookups; anything else (or a miss) goes through the full parser, which
    /// gives the same answer for these strings, only slower.
    fn resolve_clean(&self, text: &str) -> Option<Resolution> {
        let (name, code) = text.rsplit_once(',')?;
        let code = code.trim();
        if code.len() != 2 {
            return None;
        }
        self.resolve_clean_parts(name, code.parse().ok()?)
    }

    /// A plain locality in a known state, answered by exact lookups alone; `None`
    /// sends the input through the full parser.
    fn resolve_clean_parts(&self, name: &str, state: StateCode) -> Option<Resolution> {
        if name.contains(['(', ')', '[', ']', '{', '}', '/', ';', '|', '\\', ',', '&'])
            || name.contains(" - ")
        {
            return None;
        }
        let key = normalize(name);
        // A locality that is itself a state name ("Washington", "New York") takes
        // the parser's state-only path.
        if key.is_empty()
            || key.split(' ').any(|w| ONLINE_WORDS.contains(&w))
            || lookup_state_key(&key).is_some()
        {
            return None;
        }
        let found = self.curated_hit(&key, Some(state)).or_else(|| {
            let ids = self.by_name.get(&key)?;
            self.choose(ids, Some(state), Confidence::Exact)
        })?;
        Some(self.found_resolution(found))
    }

    /// Resolves a free-form place string ("St. Paul/Minneapolis, MN").
    pub fn resolve(&self, text: &str) -> Resolution {
        self.resolve_text(text, &Hints::default())
    }

    /// Resolves a place given as a string, or as locality and state columns, with
    /// hints from the rest of its row, sheet or article: a county column, the
    /// report's coordinates, the points of other places. The hints pick among towns
    /// that share a name in one state; a given point answers when no name does.
    pub fn resolve_with(
        &self,
        locality: Option<&str>,
        state: Option<&str>,
        hints: &Hints,
    ) -> Resolution {
        let has_text = locality.is_some_and(|l| !l.trim().is_empty());
        match (has_text, state.map(str::trim).filter(|s| !s.is_empty())) {
            (false, None) => match hints.point {
                Some((lat, lon)) => self.locate(lat, lon),
                None => Resolution::unresolved("empty place".to_string()),
            },
            (true, None) => self.resolve_text(locality.unwrap_or_default(), hints),
            (_, Some(_)) => self.resolve_parts_with(locality, state, hints),
        }
    }

    fn resolve_text(&self, text: &str, hints: &Hints) -> Resolution {
        let plain = *hints == Hints::default();
        if plain {
            if let Some(resolution) = self.resolve_clean(text) {
                return resolution;
            }
        }
        if text.trim().is_empty() {
            return match hints.point {
                Some((lat, lon)) => self.locate(lat, lon),
                None => Resolution::unresolved("empty place".to_string()),
            };
        }
        if is_online(text) {
            return Resolution::online();
        }
        let parsed = parse_place(text);
        let mut resolution = self.resolve_parsed(text, &parsed, hints);
        if parsed.state_only {
            // A bare "Washington" is read as the state, but cities share the name.
            if let Some(ids) = self.by_name.get(&normalize(text)) {
                let mut others: Vec<u32> = ids.to_vec();
                others.sort_by_key(|&id| std::cmp::Reverse(self.rank(id)));
                resolution.ambiguous = true;
                resolution.alternatives = others.iter().take(5).map(|&id| self.label(id)).collect();
            }
        }
        // A state the text names explicitly binds the answer; a trailing state name
        // without a comma does not, since it may belong to the name (fallbacks).
        let bound = (parsed.fallbacks.is_empty()
            && parsed
                .candidates
                .iter()
                .all(|c| c.state.is_some() && c.state == parsed.state))
        .then_some(parsed.state)
        .flatten();
        finish(resolution, bound)
    }

    /// Resolves separate locality and state columns. A valid state binds the answer:
    /// a place in another state is never returned.
    pub fn resolve_parts(&self, locality: Option<&str>, state: Option<&str>) -> Resolution {
        self.resolve_parts_with(locality, state, &Hints::default())
    }

    fn resolve_parts_with(
        &self,
        locality: Option<&str>,
        state: Option<&str>,
        hints: &Hints,
    ) -> Resolution {
        let plain = *hints == Hints::default();
        let locality = locality.map(str::trim).filter(|l| !l.is_empty());
        let state_text = state.map(str::trim).filter(|s| !s.is_empty());
        let given = state_text.and_then(parse_state);
        let Some(state) = given else {
            let mut resolution = match locality {
                Some(l) => self.resolve_text(l, hints),
                None => match hints.point {
                    Some((lat, lon)) => self.locate(lat, lon),
                    None => Resolution::unresolved("empty place".to_string()),
                },
            };
            if let Some(s) = state_text {
                resolution.note = Some(format!("unknown state {s:?} ignored"));
            }
            return resolution;
        };
        let Some(locality) = locality else {
            if let Some((lat, lon)) = hints.point {
                let located = self.locate(lat, lon);
                if located.place.as_ref().is_some_and(|p| p.state == state) {
                    return located;
                }
            }
            return self.state_place(state);
        };
        if plain {
            if let Some(resolution) = self.resolve_clean_parts(locality, state) {
                return resolution;
            }
        }
        if is_online(locality) {
            return Resolution::online();
        }
        let mut parsed = parse_place(locality);
        if parsed.state_only && parsed.state != Some(state) {
            // "Washington" in DC is a city, not the state of Washington.
            parsed.state_only = false;
        }
        if !parsed.state_only {
            // The column's state overrides whatever state the locality text carries;
            // a locality that parsed as nothing but a state is tried as a name.
            let mut candidates: Vec<Candidate> = parsed
                .candidates
                .into_iter()
                .map(|c| Candidate {
                    locality: c.locality,
                    state: Some(state),
                })
                .collect();
            if candidates.is_empty() {
                candidates.push(Candidate {
                    locality: locality.to_string(),
                    state: Some(state),
                });
            }
            candidates.extend(parsed.fallbacks.into_iter().map(|c| Candidate {
                locality: c.locality,
                state: Some(state),
            }));
            parsed.candidates = candidates;
            parsed.fallbacks = Vec::new();
        }
        parsed.state = Some(state);
        let resolution = self.resolve_parsed(locality, &parsed, hints);
        finish(resolution, Some(state))
    }
}

/// A `--locality` filter as the resolver reads it: the name events carry once
/// resolved, and the state the text named.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalityFilter {
    /// The canonical locality ("New York" for "NYC"); the text as written when
    /// nothing resolved.
    pub locality: String,
    /// The state the filter text or the given state named.
    pub state: Option<StateCode>,
    /// False when the gazetteer knows no such place: the name is matched as written.
    pub resolved: bool,
}

impl Gazetteer {
    /// Reads a locality filter ("New York City", "St. Paul", "Chicago, IL") the way
    /// places are resolved, so that it matches the names events carry.
    pub fn locality_filter(&self, text: &str, state: Option<StateCode>) -> LocalityFilter {
        let resolution = match state {
            Some(s) => self.resolve_parts(Some(text), Some(s.as_str())),
            None => self.resolve(text),
        };
        let named_state = state.or_else(|| parse_place(text).state);
        match resolution.place {
            Some(place) if place.confidence != Confidence::State && place.locality.is_some() => {
                LocalityFilter {
                    locality: place.locality.unwrap_or_default(),
                    state: named_state.map(|_| place.state),
                    resolved: true,
                }
            }
            _ => LocalityFilter {
                locality: text.trim().to_string(),
                state: named_state,
                resolved: false,
            },
        }
    }
}

/// The last guard of the hard rule: an answer outside the bound state is dropped.
fn finish(resolution: Resolution, bound: Option<StateCode>) -> Resolution {
    match (&resolution.place, bound) {
        (Some(place), Some(state)) if place.state != state => Resolution::unresolved(format!(
            "no place found in {state} (a match in {} was refused)",
            place.state
        )),
        _ => resolution,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clean_fast_path_agrees_with_the_full_parser() {
        let gaz = Gazetteer::load().unwrap();
        let mut checked = 0;
        for place in gaz.places.iter().step_by(37) {
            let text = format!("{}, {}", place.name, place.state);
            let Some(fast) = gaz.resolve_clean(&text) else {
                continue;
            };
            let slow = gaz.resolve_parsed(&text, &parse_place(&text), &Hints::default());
            assert_eq!(fast, slow, "{text}");
            checked += 1;
        }
        assert!(checked > 800, "{checked}");
    }

    #[test]
    fn the_clean_column_path_agrees_with_the_full_parser() {
        let gaz = Gazetteer::load().unwrap();
        let mut checked = 0;
        for place in gaz.places.iter().step_by(41) {
            let Some(fast) = gaz.resolve_clean_parts(&place.name, place.state) else {
                continue;
            };
            let mut parsed = parse_place(&place.name);
            for c in &mut parsed.candidates {
                c.state = Some(place.state);
            }
            for c in parsed.fallbacks.drain(..) {
                parsed.candidates.push(Candidate {
                    locality: c.locality,
                    state: Some(place.state),
                });
            }
            parsed.state = Some(place.state);
            let slow = gaz.resolve_parsed(&place.name, &parsed, &Hints::default());
            assert_eq!(fast, slow, "{}, {}", place.name, place.state);
            checked += 1;
        }
        assert!(checked > 700, "{checked}");
    }

    #[test]
    fn every_capital_is_in_the_gazetteer() {
        let gaz = Gazetteer::load().unwrap();
        for state in StateCode::all() {
            let name = capital(state).expect("a capital for every state");
            assert!(
                gaz.best_named(&normalize(name), Some(state)).is_some(),
                "{name}, {state}"
            );
        }
        let r = gaz.resolve_parts(Some("State Capitol"), Some("ID"));
        assert_eq!(r.place.unwrap().locality.as_deref(), Some("Boise"));
    }

    #[test]
    fn generic_words_do_not_match_through_aliases() {
        let gaz = Gazetteer::load().unwrap();
        let r = gaz.resolve_parts(Some("Bay Area"), Some("CA"));
        assert_eq!(r.place.unwrap().locality.as_deref(), Some("San Francisco"));
        let r = gaz.resolve_parts(Some("Ithaca College"), Some("NY"));
        assert_eq!(r.place.unwrap().locality.as_deref(), Some("Ithaca"));
    }

    #[test]
    fn a_county_beside_the_place_picks_among_namesakes() {
        let gaz = Gazetteer::load().unwrap();
        // Oakwood, Ohio: Montgomery County is the largest, Paulding the smallest.
        let plain = gaz.resolve("Oakwood, OH").place.unwrap();
        assert_eq!(plain.fips.unwrap().as_str(), "39113");
        let hinted = gaz.resolve("Oakwood (Paulding County), OH").place.unwrap();
        assert_eq!(hinted.fips.unwrap().as_str(), "39125");
        let columns = gaz.resolve_parts(Some("Oakwood, Paulding County"), Some("OH"));
        assert_eq!(columns.place.unwrap().fips.unwrap().as_str(), "39125");
    }

    #[test]
    fn a_bare_state_name_that_is_also_a_city_is_flagged() {
        let gaz = Gazetteer::load().unwrap();
        let r = gaz.resolve("Washington");
        assert_eq!(r.place.as_ref().unwrap().confidence, Confidence::State);
        assert!(r.ambiguous);
        assert_eq!(r.alternatives[0], "Washington, DC");
        assert!(!gaz.resolve("Texas").ambiguous);
    }

    #[test]
    fn a_place_inside_a_phrase_is_found_in_a_known_state() {
        let gaz = Gazetteer::load().unwrap();
        let r = gaz.resolve("Rally at the State Capitol in Madison, WI");
        assert_eq!(r.place.unwrap().locality.as_deref(), Some("Madison"));
        // Without a state a phrase is not searched: too many words are place names.
        assert!(gaz.resolve("rally at the park in madison").place.is_none());
    }

    #[test]
    fn issue_14_locality_filters_read_like_places() {
        let gaz = Gazetteer::load().unwrap();
        let ny: StateCode = "NY".parse().unwrap();
        let f = gaz.locality_filter("New York City", None);
        assert_eq!(
            (f.locality.as_str(), f.state, f.resolved),
            ("New York", None, true)
        );
        let f = gaz.locality_filter("St. Paul", None);
        assert_eq!(f.locality, "Saint Paul");
        let f = gaz.locality_filter("Chicago, IL", None);
        assert_eq!(f.locality, "Chicago");
        assert_eq!(f.state.map(|s| s.as_str()), Some("IL"));
        let f = gaz.locality_filter("NYC", Some(ny));
        assert_eq!((f.locality.as_str(), f.state), ("New York", Some(ny)));
        let f = gaz.locality_filter("Narnia", None);
        assert_eq!((f.locality.as_str(), f.resolved), ("Narnia", false));
    }

    #[test]
    fn variants_strip_civic_words() {
        assert_eq!(variants("city of boise"), vec!["boise".to_string()]);
        assert_eq!(variants("boise city"), vec!["boise".to_string()]);
        assert_eq!(variants("boise"), Vec::<String>::new());
    }
}
