//! The resolver: from parsed candidates to one place, trying the cheap and certain
//! lookups first (curated aliases, exact names, counties, alternate names), then name
//! variants ("City of X", "X Township"), then a bounded typo search.
//!
//! Every lookup is filtered by the candidate's state, and `finish` checks the answer
//! once more: when a state is given, a place in another state is never returned.

use crate::gazetteer::{Curated, Gazetteer};
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
    "township of ",
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

/// Words after a name that do not belong to it ("Cheltenham Township").
const SUFFIXES: &[&str] = &[
    " charter township",
    " township",
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

impl Gazetteer {
    fn in_state(&self, id: u32, state: Option<StateCode>) -> bool {
        state.map_or(true, |s| self.places[id as usize].state == s)
    }

    fn label(&self, id: u32) -> String {
        let p = &self.places[id as usize];
        format!("{}, {}", p.name, p.state)
    }

    /// Picks the best of a list of place ids and says whether other states have a
    /// comparable place of that name.
    fn choose(
        &self,
        ids: &[u32],
        state: Option<StateCode>,
        confidence: Confidence,
    ) -> Option<Found<'_>> {
        let best = self.best_of(ids, state)?;
        let mut found = Found {
            hit: Hit::Place(best, None),
            confidence,
            ambiguous: false,
            alternatives: Vec::new(),
        };
        if state.is_none() {
            let top = &self.places[best as usize];
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
        }
        Some(found)
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
    fn find_exact(
        &self,
        key: &str,
        state: Option<StateCode>,
        county: Option<u32>,
    ) -> Option<Found<'_>> {
        if key.is_empty() {
            return None;
        }
        let curated = self.curated_hit(key, state);
        let named = self.by_name.get(key).and_then(|ids| {
            // A county named beside the place ("Lafayette (Tippecanoe County)")
            // picks among same-named places.
            let in_county: Vec<u32> = county
                .map(|c| {
                    ids.iter()
                        .copied()
                        .filter(|&id| self.places[id as usize].county == c)
                        .collect()
                })
                .unwrap_or_default();
            let pool: &[u32] = if in_county.is_empty() {
                ids
            } else {
                &in_county
            };
            self.choose(pool, state, Confidence::Exact)
        });
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
        if key.is_empty() || GENERIC.contains(&key) {
            return None;
        }
        if let Some(ids) = self.secondary().by_alias.get(key) {
            if let Some(found) = self.choose(ids, state, Confidence::Alias) {
                return Some(found);
            }
        }
        self.find_variant(key, state)
            .or_else(|| self.find_contained(key, state?))
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

    /// Tries the parsed candidates in order, then the fallbacks, then the state.
    fn resolve_parsed(&self, text: &str, parsed: &Parsed) -> Resolution {
        if parsed.state_only {
            let state = parsed.state.expect("state_only implies a state");
            if let Some(found) = self.curated_hit(&normalize(text), Some(state)) {
                return self.found_resolution(found);
            }
            return self.state_place(state);
        }
        // A county named among the pieces ("Oakwood, Paulding County, OH") guides the
        // choice between same-named places.
        let county = parsed.candidates.iter().find_map(|c| {
            let key = normalize(&c.locality);
            let named_county = [" county", " parish", " borough", " census area"]
                .iter()
                .any(|suffix| key.ends_with(suffix));
            match self.county_hit(&key, c.state)?.hit {
                Hit::County(id) if named_county && c.state.is_some() => Some(id),
                _ => None,
            }
        });
        // Typo search runs only after every candidate failed the certain lookups, so
        // "St. Paul/Minneapolis" never settles for a near miss of its first half.
        // Each tier runs over every candidate before the next, looser tier: in
        // "Capitol Hill, Seattle, WA" the exact Seattle beats an alternate name of
        // the neighbourhood, and typo search never preempts a clean piece.
        for group in [&parsed.candidates, &parsed.fallbacks] {
            let keys: Vec<(String, Option<StateCode>)> = group
                .iter()
                .map(|c| (normalize(&c.locality), c.state))
                .collect();
            let found = keys
                .iter()
                .find_map(|(key, state)| self.find_exact(key, *state, county))
                .or_else(|| {
                    keys.iter()
                        .find_map(|(key, state)| self.find_loose(key, *state))
                })
                .or_else(|| {
                    keys.iter()
                        .find_map(|(key, state)| self.find_fuzzy(key, *state))
                });
            if let Some(found) = found {
                return self.found_resolution(found);
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
        if let Some(resolution) = self.resolve_clean(text) {
            return resolution;
        }
        if text.trim().is_empty() {
            return Resolution::unresolved("empty place".to_string());
        }
        if is_online(text) {
            return Resolution::online();
        }
        let parsed = parse_place(text);
        let mut resolution = self.resolve_parsed(text, &parsed);
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
        let locality = locality.map(str::trim).filter(|l| !l.is_empty());
        let state_text = state.map(str::trim).filter(|s| !s.is_empty());
        let given = state_text.and_then(parse_state);
        let Some(state) = given else {
            let mut resolution = match locality {
                Some(l) => self.resolve(l),
                None => Resolution::unresolved("empty place".to_string()),
            };
            if let Some(s) = state_text {
                resolution.note = Some(format!("unknown state {s:?} ignored"));
            }
            return resolution;
        };
        let Some(locality) = locality else {
            return self.state_place(state);
        };
        if let Some(resolution) = self.resolve_clean_parts(locality, state) {
            return resolution;
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
        let resolution = self.resolve_parsed(locality, &parsed);
        finish(resolution, Some(state))
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
            let slow = gaz.resolve_parsed(&text, &parse_place(&text));
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
            let slow = gaz.resolve_parsed(&place.name, &parsed);
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
    fn variants_strip_civic_words() {
        assert_eq!(variants("city of boise"), vec!["boise".to_string()]);
        assert_eq!(
            variants("cheltenham township"),
            vec!["cheltenham".to_string()]
        );
        assert_eq!(variants("boise"), Vec::<String>::new());
    }
}
