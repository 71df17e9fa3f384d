//! Word lists the extractor reasons with: which nouns name crowds, events or other
//! things, which verbs say a crowd came, which words cancel a figure, and who speaks.
//!
//! The word lists are data files under `lexicon/` (one word a line), which `build.rs`
//! compiles into named classes (`negative-nouns.txt` → `NEGATIVE_NOUNS`) whose lookup
//! is a `match` split by word length. Every function takes an ASCII-lowercased word.
//! Each list also has a bit of `Classes`: `classes(w)`, one hash lookup, gives all the
//! lists of a word at once, so `Doc` looks each token up once and asks "is token k in
//! list L" (`Doc::is`) with a bit test. The first eight bits are the `flags`.

/// The word can start a number phrase ("five", "dozens", "a").
pub const NUMBER_START: u8 = 1;
/// The word can break a clause ("while", "but").
pub const CLAUSE_BREAK: u8 = 2;
/// The word can start a source ("police", "organizers", "the White House").
pub const SOURCE_START: u8 = 4;
/// The word says the sentence is about a crowd ("crowd", "protesters").
pub const CROWD_WORD: u8 = 8;
/// The word names a non-political venue ("game", "concert").
pub const VENUE: u8 = 16;
/// The word can start an aggregate cue ("nationwide", "across").
pub const AGGREGATE_START: u8 = 32;
/// The word can end a qualifier before a figure ("than", "about": `QUALIFIERS`).
pub const QUALIFIER_END: u8 = 64;
/// The word can make a name before or after it a source ("said", "per", "estimate").
pub const NAME_CUE: u8 = 128;

/// The word classes of a word: one bit per data-file list (`WordList::bits`), the
/// first eight (of word 0) the flags above. `build.rs` sizes it
/// for every list: none is left without a bit.
pub type Classes = [u64; CLASS_WORDS_PER_SET];

/// The classes of a word in no list.
pub const NO_CLASSES: Classes = [0; CLASS_WORDS_PER_SET];

/// True when `a` and `b` share a class: a word's classes and a union of lists' bits.
#[inline]
pub fn share_a_class(a: &Classes, b: &Classes) -> bool {
    a.iter().zip(b).fold(0, |any, (x, y)| any | (x & y)) != 0
}

/// Adds the classes `more` to `all`: the classes of a sentence are every class of its
/// words (`Doc::classes_in`).
#[inline]
pub fn add_classes(all: &mut Classes, more: &Classes) {
    for (a, m) in all.iter_mut().zip(more) {
        *a |= m;
    }
}

include!("word_hash.rs");

/// A set of classes by its index in `CLASS_SETS` (0: no class): what `Doc` keeps per
/// token, two bytes instead of the set's eight a 64 lists.
pub type ClassId = u16;

/// The set of classes `id` (`class_id`).
#[inline]
pub fn classes_of(id: ClassId) -> &'static Classes {
    // (The table's length is a power of two: the mask spares a bounds check.)
    &CLASS_SETS[usize::from(id) & (CLASS_SETS.len() - 1)]
}

/// All the classes of a lowercased word, as written: the bit of `L.bits` is set when
/// the word is in list `L` (`L.contains(w)`).
#[inline]
pub fn classes(w: &str) -> Classes {
    *classes_of(class_id(w))
}

/// The index of the set of all the classes of a lowercased word, as written (0 for a
/// word in no list). One probe of a table laid out by `build.rs` (`CLASS_TABLE`, a slot
/// per word by `word_hash`), a second for a few words; a 16-bit fingerprint in the slot
/// spares the string comparison of nearly every word that is not there.
#[inline]
pub fn class_id(w: &str) -> ClassId {
    // (Longer words are in no list: not hashed.)
    if w.len() > LONGEST_CLASS_WORD {
        return 0;
    }
    let h = word_hash(w.as_bytes());
    let fingerprint = u32::from((h >> 16) as u16);
    let mask = CLASS_TABLE.len() - 1;
    let mut slot = (h >> (64 - CLASS_TABLE_BITS)) as usize;
    loop {
        let e = CLASS_TABLE[slot];
        if e == 0 {
            return 0;
        }
        if e >> 16 == fingerprint {
            let (word, id) = CLASS_WORDS[(e & 0xffff) as usize - 1];
            if same_word(word.as_bytes(), w.as_bytes()) {
                return id;
            }
        }
        slot = (slot + 1) & mask;
    }
}

/// `a == b`, inline for the short words of the lexicon (two overlapping loads from each
/// side) instead of a call to `memcmp`.
#[inline]
fn same_word(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let eight = |s: &[u8], at: usize| {
        s.get(at..at + 8)
            .map(|x| u64::from_le_bytes(x.try_into().unwrap_or([0; 8])))
    };
    let four = |s: &[u8], at: usize| {
        s.get(at..at + 4)
            .map(|x| u32::from_le_bytes(x.try_into().unwrap_or([0; 4])))
    };
    match n {
        8..=16 => eight(a, 0) == eight(b, 0) && eight(a, n - 8) == eight(b, n - 8),
        4..=7 => four(a, 0) == four(b, 0) && four(a, n - 4) == four(b, n - 4),
        // "a", "of", "the": the first, middle and last bytes are all of them.
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        _ => a == b,
    }
}

/// True when the flags of `w` are those of `w` as written: no possessive to trim.
#[inline]
pub fn plain_for_flags(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() < 2 || b[b.len() - 1] < 0x80 && b[b.len() - 1] != b'\'' && b[b.len() - 2] != b'\''
}

/// The flags (the first eight classes) of the given classes.
#[inline]
pub fn flags_of(classes: Classes) -> u8 {
    (classes[0] & 0xff) as u8
}

/// `w` without one possessive "'s" or "\u{2019}s" ("police's" is "police").
#[inline]
pub fn without_apostrophe_s(w: &str) -> &str {
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("\u{2019}s"))
        .unwrap_or(w)
}

/// `w` without its trailing apostrophes, straight or curly (as
/// `w.trim_end_matches(['\'', '\u{2019}'])`): most words end in neither, and are
/// passed by one byte test instead of a decoding of their last character.
#[inline]
pub fn trim_apostrophes(w: &str) -> &str {
    match w.as_bytes().last() {
        // ('\u{2019}' ends in 0x99, as some other characters do.)
        Some(b'\'' | 0x99) => w.trim_end_matches(['\'', '\u{2019}']),
        _ => w,
    }
}

/// `w` without its trailing "'s" (repeated, as `trim_end_matches("'s")` does), without
/// the substring searcher that a `&str` pattern sets up on every call.
pub fn trim_possessive(mut w: &str) -> &str {
    while let Some(bare) = w.strip_suffix("'s") {
        w = bare;
    }
    w
}

/// The word classes of a lowercased word. Possessives ("police's", "organizers'")
/// take the classes of the bare word; strong crowd nouns are `CROWD_WORD`.
pub fn flags(w: &str) -> u8 {
    if plain_for_flags(w) {
        return flags_of(classes(w));
    }
    let bare = trim_apostrophes(w);
    let bare = without_apostrophe_s(bare);
    flags_of(classes(bare))
}

/// Nouns for people in a gathering. `Strong` needs no further evidence; `Weak` nouns
/// ("residents", "students") name people who are often counted for other reasons, so
/// they need a verb or context that says they gathered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crowd {
    Strong,
    Weak,
}

pub fn crowd_noun(w: &str) -> Option<Crowd> {
    let w = trim_apostrophes(w);
    // (The lists' generated lookups: split by length and first byte.)
    if CROWD_NOUNS_STRONG.contains(w) {
        Some(Crowd::Strong)
    } else if CROWD_NOUNS_WEAK.contains(w) {
        Some(Crowd::Weak)
    } else {
        None
    }
}

/// Plural nouns for kinds of people not in the lists ("Oregonians", "farmworkers").
pub fn person_like(w: &str) -> bool {
    w.len() > 5
        && (w.ends_with("ers")
            || w.ends_with("ians")
            || w.ends_with("ans")
            || w.ends_with("ists")
            || w.ends_with("ees")
            || w.ends_with("ites"))
        && !negative_noun(w)
        && !event_noun(w)
        && !matches!(
            w,
            "flyers"
                | "fliers"
                | "stickers"
                | "posters"
                | "banners"
                | "numbers"
                | "papers"
                | "letters"
                | "orders"
                | "dollars"
                | "meters"
                | "centers"
                | "towers"
                | "corners"
                | "layers"
                | "chambers"
                | "members"
                | "headquarters"
                | "quarters"
                | "others"
                | "answers"
                | "computers"
                | "speakers"
                | "speakers'"
                | "containers"
                | "trailers"
                | "powers"
                | "offers"
                | "filters"
                | "plans"
                | "fans"
                | "vans"
                | "loans"
                | "scans"
                | "cans"
                | "guardians"
                | "lists"
                | "tourists"
        )
}

/// Nouns that make a figure a count of events or places.
pub fn event_noun(w: &str) -> bool {
    EVENT_NOUNS.contains(w)
}

/// Nouns that make a figure something other than a crowd: arrests, officers, money,
/// units, deaths, signs and so on.
pub fn negative_noun(w: &str) -> bool {
    let w = trim_apostrophes(w);
    NEGATIVE_NOUNS.contains(w)
}

/// Verbs (and verb starts) after a figure that say the crowd came: "5,000 marched".
pub fn crowd_verb(w: &str) -> bool {
    CROWD_VERBS.contains(w)
}

/// Nouns of a gathering: "a march of 5,000", "the rally drew".
pub fn gathering_noun(w: &str) -> bool {
    GATHERING_NOUNS.contains(w)
}

/// Qualifiers before a figure, longest first, as word sequences.
pub const QUALIFIERS: &[&[&str]] = &[
    &["somewhere", "in", "the", "neighborhood", "of"],
    &["in", "the", "neighborhood", "of"],
    &["on", "the", "order", "of"],
    &["in", "excess", "of"],
    &["no", "fewer", "than"],
    &["no", "less", "than"],
    &["not", "more", "than"],
    &["no", "more", "than"],
    &["a", "little", "more", "than"],
    &["a", "little", "over"],
    &["a", "bit", "more", "than"],
    &["slightly", "more", "than"],
    &["slightly", "fewer", "than"],
    &["somewhat", "more", "than"],
    &["well", "more", "than"],
    &["far", "more", "than"],
    &["many", "more", "than"],
    &["just", "more", "than"],
    &["a", "reported"],
    &["as", "many", "as"],
    &["as", "few", "as"],
    &["as", "high", "as"],
    &["as", "large", "as"],
    &["as", "big", "as"],
    &["as", "low", "as"],
    &["upwards", "of"],
    &["upward", "of"],
    &["more", "than"],
    &["fewer", "than"],
    &["less", "than"],
    &["greater", "than"],
    &["at", "least"],
    &["at", "most"],
    &["up", "to"],
    &["close", "to"],
    &["closer", "to"],
    &["near", "to"],
    &["north", "of"],
    &["shy", "of"],
    &["well", "over"],
    &["well", "above"],
    &["well", "under"],
    &["just", "over"],
    &["just", "under"],
    &["just", "shy", "of"],
    &["just", "below"],
    &["more", "like"],
    &["something", "like"],
    &["an", "estimated"],
    &["some", "estimated"],
    &["roughly"],
    &["about"],
    &["around"],
    &["approximately"],
    &["approx."],
    &["some"],
    &["nearly"],
    &["almost"],
    &["over"],
    &["above"],
    &["under"],
    &["below"],
    &["perhaps"],
    &["possibly"],
    &["maybe"],
    &["probably"],
    &["only"],
    &["just"],
    &["barely"],
    &["approaching"],
    &["exceeding"],
    &["easily"],
    &["potentially"],
    &["reportedly"],
    &["many"],
    &["several"],
    &["another"],
];

/// What a qualifier (lowercased, as written) says about the figure it qualifies.
pub fn qualifier_bound(q: &str) -> crate::reader::Bound {
    use crate::reader::Bound::*;
    let q = q.trim_start_matches(['-', ' ']);
    match q {
        "+" | "plus" | "or more" | "or greater" | "more than" | "over" | "above" | "at least"
        | "upwards of" | "upward of" | "in excess of" | "no fewer than" | "no less than"
        | "greater than" | "north of" | "well over" | "well above" | "just over"
        | "a little more than" | "a little over" | "a bit more than" | "slightly more than"
        | "somewhat more than" | "well more than" | "far more than" | "many more than"
        | "just more than" | "easily" | "exceeding" => Above,
        "fewer than"
        | "less than"
        | "under"
        | "below"
        | "at most"
        | "up to"
        | "not more than"
        | "no more than"
        | "shy of"
        | "just shy of"
        | "well under"
        | "just under"
        | "just below"
        | "slightly fewer than"
        | "barely"
        | "only" => Below,
        "nearly" | "almost" | "close to" | "closer to" | "near to" | "approaching"
        | "as many as" => Nearly,
        "about"
        | "around"
        | "roughly"
        | "approximately"
        | "approx."
        | "~"
        | "\u{2248}"
        | "some"
        | "an estimated"
        | "some estimated"
        | "or so"
        | "in the neighborhood of"
        | "somewhere in the neighborhood of"
        | "on the order of"
        | "perhaps"
        | "possibly"
        | "maybe"
        | "probably"
        | "more like"
        | "something like"
        | "potentially" => Approximate,
        _ => Exact,
    }
}

/// Words that source a figure vaguely by themselves: "reportedly", "unofficial".
pub fn hedge_word(w: &str) -> bool {
    matches!(
        w,
        "reportedly"
            | "purportedly"
            | "allegedly"
            | "supposedly"
            | "rumored"
            | "rumoured"
            | "unofficial"
            | "guesstimate"
            | "guesstimates"
            | "estimation"
            | "estimations"
    )
}

/// Capitalized words after "in" that do not start a town's name.
pub fn not_a_town(w: &str) -> bool {
    NOT_TOWNS.contains(w) || weekday(w).is_some()
}

/// Last words of a venue's name: "Grant Park", "Union Square", "City Hall".
pub fn venue_suffix(w: &str) -> bool {
    VENUE_SUFFIXES.contains(w)
}

/// A name added here belongs in `lexicon/date-words.txt` too (`find_dates` passes over
/// other words).
pub fn month_number(w: &str) -> Option<u32> {
    // (Most words asked are no month: turned away by their length and first byte.)
    if !(3..=9).contains(&w.len())
        || !matches!(
            w.as_bytes()[0],
            b'j' | b'f' | b'm' | b'a' | b's' | b'o' | b'n' | b'd'
        )
    {
        return None;
    }
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// Day names to chrono weekdays, short forms included.
pub fn weekday(w: &str) -> Option<chrono::Weekday> {
    use chrono::Weekday::*;
    Some(match w {
        "monday" | "mon" => Mon,
        "tuesday" | "tue" | "tues" => Tue,
        "wednesday" | "wed" => Wed,
        "thursday" | "thu" | "thur" | "thurs" => Thu,
        "friday" | "fri" => Fri,
        "saturday" | "sat" => Sat,
        "sunday" | "sun" => Sun,
        _ => return None,
    })
}

/// The small numbers in words.
pub fn number_word(w: &str) -> Option<u32> {
    Some(match w {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// Multiplier words after a figure: "1.5 million", "twenty-five hundred".
pub fn multiplier_word(w: &str) -> Option<u64> {
    Some(match w {
        "hundred" => 100,
        "thousand" => 1_000,
        "million" => 1_000_000,
        "billion" => 1_000_000_000,
        "dozen" => 12,
        _ => return None,
    })
}

/// Letters run into a figure that multiply it: "5k", "1.5M".
pub fn multiplier_suffix(w: &str) -> Option<u64> {
    Some(match w {
        "k" | "thou" => 1_000,
        "m" | "mn" | "mil" | "mill" | "mln" => 1_000_000,
        "b" | "bn" => 1_000_000_000,
        _ => return None,
    })
}

/// A word class kept as a data file under `crates/tally-extract/lexicon/` (one
/// lowercased word a line, `#` starts a comment line). The build script (`build.rs`)
/// turns `year-leads.txt` into `YEAR_LEADS`, whose lookup is a `match` on the word: as
/// fast as the inline `matches!` lists it replaced, with nothing built at run time.
pub struct WordList {
    /// The list's bit of `Classes`, alone.
    pub bits: Classes,
    /// The one word of `bits` that is not zero, and its value: `in_classes` tests that
    /// word alone (one load and one AND, where the whole set took four of each).
    word: usize,
    mask: u64,
    /// The data file of the list ("age-words.txt"), for messages.
    pub file: &'static str,
    #[cfg(test)]
    words: &'static [&'static str],
    matches: fn(&str) -> bool,
}

impl WordList {
    /// True when `w` (lowercased) is in the list.
    #[inline]
    pub fn contains(&self, w: &str) -> bool {
        (self.matches)(w)
    }

    /// True when `classes` (of a word: `classes(w)`) hold this list's bit: the
    /// answer of `contains` by a bit test.
    #[inline]
    pub fn in_classes(&self, classes: &Classes) -> bool {
        // (`word` is below `CLASS_WORDS_PER_SET`, as `build.rs` writes it: the mask
        // spares a bounds check.)
        classes[self.word % CLASS_WORDS_PER_SET] & self.mask != 0
    }

    /// The words of the list, in file order.
    #[cfg(test)]
    pub fn words(&self) -> impl Iterator<Item = &'static str> {
        self.words.iter().copied()
    }
}

include!(concat!(env!("OUT_DIR"), "/word_lists.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_starts_open_every_state_read_state_reads() {
        // `place::read_state` turns away every word not in `state-starts.txt` by one bit
        // test: the list must hold the first word of every state's name and every AP
        // abbreviation (as written, and with its final period as the tokenizer keeps
        // an initialism), or a state would go unread.
        for state in tally_model::StateCode::all() {
            let first = state.name().split(' ').next().unwrap_or("").to_lowercase();
            assert!(STATE_STARTS.contains(&first), "{first:?} ({state})");
            assert!(
                STATE_STARTS.in_classes(&classes(&first)),
                "{first:?} has no bit"
            );
        }
        for (ap, state) in tally_model::StateCode::ap_abbreviations() {
            assert!(STATE_STARTS.contains(ap), "{ap:?} ({state})");
            if ap.contains('.') {
                assert!(STATE_STARTS.contains(&format!("{ap}.")), "{ap:?}.");
            }
        }
        assert!(STATE_STARTS.contains("w"), "the \"w\" of \"W.Va.\"");
    }

    #[test]
    fn venue_nouns_are_venue_words() {
        // `look_back` tests the `VENUE` flag before the `VENUE_NOUNS` list.
        for w in VENUE_NOUNS.words() {
            assert!(flags(w) & VENUE != 0, "{w} is not in VENUES");
        }
    }

    #[test]
    fn flags_are_the_bits_of_their_lists() {
        for (flag, list) in [
            (NUMBER_START, &NUMBER_STARTS),
            (CLAUSE_BREAK, &CLAUSE_BREAKS),
            (SOURCE_START, &SOURCE_STARTS),
            (CROWD_WORD, &CROWD_WORDS),
            (VENUE, &VENUES),
            (AGGREGATE_START, &AGGREGATE_STARTS),
            (QUALIFIER_END, &QUALIFIER_ENDS),
            (NAME_CUE, &NAME_CUES),
        ] {
            assert_eq!(list.bits[0], u64::from(flag));
            assert!(list.bits[1..].iter().all(|b| *b == 0));
            for w in list.words() {
                assert!(flags(w) & flag != 0, "{w}");
            }
        }
        // Possessives take the bare word's flags.
        assert!(flags("police's") & SOURCE_START != 0);
        assert!(flags("organizers'") & SOURCE_START != 0);
        assert_eq!(flags("not-a-word-of-any-list"), 0);
    }

    #[test]
    fn month_and_day_names_are_date_words() {
        let names = [
            "january",
            "jan",
            "february",
            "feb",
            "march",
            "mar",
            "april",
            "apr",
            "may",
            "june",
            "jun",
            "july",
            "jul",
            "august",
            "aug",
            "september",
            "sept",
            "sep",
            "october",
            "oct",
            "november",
            "nov",
            "december",
            "dec",
            "monday",
            "mon",
            "tuesday",
            "tue",
            "tues",
            "wednesday",
            "wed",
            "thursday",
            "thu",
            "thur",
            "thurs",
            "friday",
            "fri",
            "saturday",
            "sat",
            "sunday",
            "sun",
        ];
        for w in names {
            assert!(month_number(w).is_some() || weekday(w).is_some(), "{w}");
            assert!(DATE_WORDS.contains(w), "{w}");
        }
        // Every name the two functions take is listed above.
        for w in DATE_WORDS.words() {
            let known = month_number(w).is_some() || weekday(w).is_some();
            assert_eq!(known, names.contains(&w), "{w}");
        }
    }

    #[test]
    fn qualifier_ends_are_the_last_words_of_the_qualifiers() {
        let ends: std::collections::BTreeSet<&str> =
            QUALIFIERS.iter().map(|q| q[q.len() - 1]).collect();
        let listed: std::collections::BTreeSet<&str> = QUALIFIER_ENDS.words().collect();
        assert_eq!(ends, listed);
    }

    #[test]
    fn strong_crowd_nouns_are_crowd_words() {
        // The crowd words that need not be strong crowd nouns.
        let crowd_only = [
            "crowd",
            "crowds",
            "turnout",
            "turnouts",
            "turn-out",
            "attendance",
            "attended",
        ];
        for w in crowd_only {
            assert!(CROWD_WORDS.contains(w), "{w}");
        }
        for w in CROWD_WORDS.words() {
            assert!(
                crowd_noun(w) == Some(Crowd::Strong) || crowd_only.contains(&w),
                "{w} is a crowd word but not a strong crowd noun"
            );
        }
        for w in CROWD_NOUNS_STRONG.words() {
            assert!(
                CROWD_WORDS.contains(w),
                "{w} is a strong crowd noun, not a crowd word"
            );
        }
    }

    #[test]
    fn month_numbers_pass_their_gate() {
        let months = [
            ("january", 1),
            ("jan", 1),
            ("february", 2),
            ("feb", 2),
            ("march", 3),
            ("mar", 3),
            ("april", 4),
            ("apr", 4),
            ("may", 5),
            ("june", 6),
            ("jun", 6),
            ("july", 7),
            ("jul", 7),
            ("august", 8),
            ("aug", 8),
            ("september", 9),
            ("sept", 9),
            ("sep", 9),
            ("october", 10),
            ("oct", 10),
            ("november", 11),
            ("nov", 11),
            ("december", 12),
            ("dec", 12),
        ];
        for (w, n) in months {
            assert_eq!(month_number(w), Some(n), "{w}");
        }
        for w in [
            "",
            "ma",
            "people",
            "marches",
            "junes",
            "septembers",
            "Jan",
            "\u{e9}t\u{e9}",
        ] {
            assert_eq!(month_number(w), None, "{w}");
        }
    }

    #[test]
    fn trim_apostrophes_is_trim_end_matches() {
        for w in [
            "",
            "'",
            "police",
            "organizers'",
            "organizers\u{2019}",
            "it's",
            "x''\u{2019}'",
            "\u{2019}",
            "cz\u{119}",
            "a\u{119}'",
            "\u{119}\u{2019}",
        ] {
            assert_eq!(
                trim_apostrophes(w),
                w.trim_end_matches(['\'', '\u{2019}']),
                "{w:?}"
            );
        }
    }

    #[test]
    fn classes_answer_as_every_list_does() {
        let lists = all_lists();
        // Every list has its own bit, in a set sized for all of them.
        assert_eq!(CLASS_WORDS_PER_SET, lists.len().div_ceil(64).max(2));
        let mut bits: Vec<Classes> = lists.iter().map(|(_, l)| l.bits).collect();
        assert!(bits
            .iter()
            .all(|b| b.iter().map(|w| w.count_ones()).sum::<u32>() == 1));
        // `in_classes` reads the one word of the bit.
        for (file, list) in &lists {
            assert_eq!(list.bits[list.word], list.mask, "{file}");
        }
        bits.sort_unstable();
        bits.dedup();
        assert_eq!(bits.len(), lists.len());
        // Every word of every list, and some that are in none.
        let mut words: Vec<&str> = lists.iter().flat_map(|(_, l)| l.words()).collect();
        words.extend(["", "the", "zzz", "crowd's", "5,000", ",", "\u{2014}"]);
        for w in words {
            let c = classes(w);
            for (file, list) in &lists {
                assert_eq!(list.in_classes(&c), list.contains(w), "{w} in {file}");
            }
        }
    }

    #[test]
    fn data_lists_are_lowercase_and_without_duplicates() {
        for (file, list) in all_lists() {
            let words: Vec<&str> = list.words().collect();
            assert!(!words.is_empty(), "{file} is empty");
            let mut seen = std::collections::HashSet::new();
            for w in &words {
                assert_eq!(*w, w.to_lowercase(), "{file}: {w} is not lowercase");
                assert!(seen.insert(*w), "{file}: {w} twice");
                assert!(list.contains(w));
            }
            assert!(!list.contains("") && !list.contains("not-a-word-of-any-list"));
        }
    }
}
