//! Each distinct value once, by number: the compact rows of a large ingest keep their
//! texts and places this way (issue 12: tally-link's held reports and tally-store's
//! held events share a few thousand places and labels over a million rows).

use crate::{Date, Place, ReportId};
use indexmap::{Equivalent, IndexSet};
use rustc_hash::FxBuildHasher;
use std::hash::{Hash, Hasher};

/// The number [`TextPool::number`] gives an absent text.
pub const NO_TEXT: u32 = u32::MAX;

/// The event of one report, its place and labels given as numbers into a [`PlacePool`]
/// and a [`TextPool`] that its holder keeps (tally-link's held reports give it, in
/// their numbers; tally-store's held events keep it, in theirs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberedEvent {
    /// The event id is `ev-` and this number as 16 lowercase hex digits.
    pub id: u64,
    /// The one report.
    pub report: ReportId,
    pub date: Option<Date>,
    /// The place, as a number among the holder's places.
    pub place: u32,
    /// Labels, as numbers among the holder's texts ([`NO_TEXT`] for none).
    pub event_type: u32,
    pub title: u32,
    pub organizers: u32,
    pub size_low: Option<u64>,
    pub size_high: Option<u64>,
    pub low_from: Option<ReportId>,
    pub high_from: Option<ReportId>,
    pub coded_by_rule: bool,
}

/// Optional texts, each distinct one stored once.
#[derive(Debug, Default, Clone)]
pub struct TextPool(IndexSet<Box<str>, FxBuildHasher>);

impl TextPool {
    /// The number of `text` ([`NO_TEXT`] for none), adding it when new.
    pub fn number(&mut self, text: Option<&str>) -> u32 {
        let Some(text) = text else {
            return NO_TEXT;
        };
        match self.0.get_index_of(text) {
            Some(index) => index as u32,
            None => self.0.insert_full(text.into()).0 as u32,
        }
    }

    /// The text that [`TextPool::number`] numbered `number`.
    pub fn get(&self, number: u32) -> Option<&str> {
        (number != NO_TEXT).then(|| &*self.0[number as usize])
    }

    /// How many distinct texts are stored.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Places, each distinct one stored once: equal when every field is, coordinates bit
/// for bit ([`Place::eq_exact`]).
#[derive(Debug, Default, Clone)]
pub struct PlacePool(IndexSet<ExactPlace, FxBuildHasher>);

impl PlacePool {
    /// The number of `place`, adding it when new.
    pub fn number(&mut self, place: &Place) -> u32 {
        match self.0.get_index_of(&PlaceRef(place)) {
            Some(index) => index as u32,
            None => self.0.insert_full(ExactPlace(place.clone())).0 as u32,
        }
    }

    /// The place that [`PlacePool::number`] numbered `number`.
    pub fn get(&self, number: u32) -> &Place {
        &self.0[number as usize].0
    }

    /// The distinct places, in the order of their numbers.
    pub fn iter(&self) -> impl Iterator<Item = &Place> {
        self.0.iter().map(|p| &p.0)
    }

    /// How many distinct places are stored.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A place as a key of a set, by exact equality.
#[derive(Debug, Clone)]
struct ExactPlace(Place);

/// A borrowed place, to look one up without cloning it.
struct PlaceRef<'a>(&'a Place);

impl Hash for ExactPlace {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash_exact(state);
    }
}

impl PartialEq for ExactPlace {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_exact(&other.0)
    }
}

impl Eq for ExactPlace {}

impl Hash for PlaceRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash_exact(state);
    }
}

impl Equivalent<ExactPlace> for PlaceRef<'_> {
    fn equivalent(&self, key: &ExactPlace) -> bool {
        self.0.eq_exact(&key.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_12_pools_number_each_distinct_value_once() {
        let mut texts = TextPool::default();
        assert_eq!(texts.number(None), NO_TEXT);
        let a = texts.number(Some("Rally"));
        assert_eq!(texts.number(Some("March")), a + 1);
        assert_eq!(texts.number(Some("Rally")), a);
        assert_eq!(texts.get(a), Some("Rally"));
        assert_eq!(texts.get(NO_TEXT), None);

        let mut places = PlacePool::default();
        let austin = Place::from_parts(Some("Austin"), Some("TX".parse().unwrap()));
        let dallas = Place::from_parts(Some("Dallas"), Some("TX".parse().unwrap()));
        let first = places.number(&austin);
        assert_eq!(places.number(&dallas), first + 1);
        assert_eq!(places.number(&austin.clone()), first);
        assert_eq!(places.len(), 2);
        assert!(places.get(first).eq_exact(&austin));
        assert_eq!(places.iter().count(), 2);
    }
}
