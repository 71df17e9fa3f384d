//! Number phrases: figures in digits or words, multipliers, ranges with a shared
//! multiplier, qualifiers, and the vague words of the coding rules.
//!
//! This module only reads quantities; whether a quantity is a crowd is decided in
//! `extract.rs`.

use crate::lexicon;
use crate::token::{Kind, Token};
use tally_model::{CodingRules, Estimate};

/// The text and its tokens, shared by the phrase readers.
pub struct Doc<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    /// Word classes of each token (`lexicon::flags`), looked up once, and above
    /// them `QUANTITY_START` and `DATE_START`.
    flags: Vec<u16>,
    /// Every class of each token's word as written, looked up once with its flags: a
    /// reference to the word's set in the lexicon's table of sets
    /// (`lexicon::classes_of`), eight bytes a token where the set is 24 (a 10 MB text
    /// has two million tokens). `is(k, &LIST)` is a bit test of it.
    classes: Vec<&'static lexicon::Classes>,
    /// The lowercased text of each token (a slice of `text` with ASCII letters
    /// lowercased, same byte offsets), sliced once: the rules ask for a token's word many
    /// times, and slicing a `str` checks its bounds and char boundaries on every call.
    words: Vec<&'a str>,
    /// The text of each token as written (`words` for numbers and punctuation, whose
    /// lowercasing changes nothing), sliced once like `words`.
    raws: Vec<&'a str>,
    /// The tokens that are double quotation marks ('"', U+201C, U+201D), in order:
    /// most texts have none, so "is there a quotation mark in `[lo, hi)`" is answered
    /// without reading the tokens (`quote_in`).
    quote_marks: Vec<usize>,
    /// The text's publication date, when the caller knows it: attribution reads a
    /// speaker's role by it (a candidate's rally claims before and after a term).
    pub publication_date: Option<tally_model::Date>,
}

/// The vectors of a `Doc`, emptied, to be reused by the next (`Doc::with_buffers`).
#[derive(Default)]
pub struct DocBuffers {
    flags: Vec<u16>,
    classes: Vec<&'static lexicon::Classes>,
    words: Vec<&'static str>,
    raws: Vec<&'static str>,
    quote_marks: Vec<usize>,
}

impl DocBuffers {
    /// The bytes held.
    pub fn capacity(&self) -> usize {
        let per_token =
            2 + std::mem::size_of::<&lexicon::Classes>() + 2 * std::mem::size_of::<&str>();
        self.flags.capacity() * per_token
            + self.quote_marks.capacity() * std::mem::size_of::<usize>()
    }
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str, lower: &'a str, tokens: &'a [Token]) -> Doc<'a> {
        Doc::with_buffers(text, lower, tokens, DocBuffers::default())
    }

    /// `Doc::new` in the vectors of an earlier `Doc` (`into_buffers`).
    pub fn with_buffers(
        text: &'a str,
        lower: &'a str,
        tokens: &'a [Token],
        buffers: DocBuffers,
    ) -> Doc<'a> {
        let DocBuffers {
            mut flags,
            mut classes,
            words,
            raws,
            mut quote_marks,
        } = buffers;
        flags.clear();
        classes.clear();
        quote_marks.clear();
        let mut words = recycle(words);
        let mut raws = recycle(raws);
        flags.reserve(tokens.len());
        classes.reserve(tokens.len());
        words.reserve(tokens.len());
        raws.reserve(tokens.len());
        // Each vector is filled by one `extend` over the tokens, which writes with no
        // capacity check per token (a loop of four pushes checks four times a token).
        words.extend(tokens.iter().map(|t| &lower[t.start..t.end]));
        raws.extend(tokens.iter().zip(&words).map(|(t, &w)| {
            if t.kind == Kind::Word {
                &text[t.start..t.end]
            } else {
                w
            }
        }));
        classes.extend(tokens.iter().zip(&words).enumerate().map(|(k, (t, &w))| {
            // A punctuation token is in no list unless a list holds such a word, and a
            // number none unless a list holds a word of its length led by a digit.
            let id = match t.kind {
                Kind::Punct => {
                    if is_quote_mark(w) {
                        quote_marks.push(k);
                    }
                    if lexicon::PUNCTUATION_WORDS {
                        lexicon::class_id(w)
                    } else {
                        0
                    }
                }
                Kind::Number if lexicon::NUMBER_WORD_LENGTHS & 1 << w.len().min(63) == 0 => 0,
                _ => lexicon::class_id(w),
            };
            lexicon::classes_of(id)
        }));
        // A word of ASCII letters only has no possessive to trim and no hyphen: its
        // flags are its classes' (`word_flags` would find the same). Whether the token
        // can start a quantity is worked out here too, once (`may_start_quantity`: the
        // extractor asks it of every token, and its rules of many again).
        flags.extend(tokens.iter().zip(&words).zip(&classes).enumerate().map(
            |(k, ((t, &w), &c))| {
                let f = match t.kind {
                    Kind::Word if t.plain => lexicon::flags_of(*c),
                    Kind::Word => word_flags(w, *c),
                    _ => 0,
                };
                let next = |d: usize| words.get(k + d).copied().unwrap_or("");
                let start = match t.kind {
                    Kind::Number => true,
                    Kind::Punct => false,
                    Kind::Word if f & lexicon::NUMBER_START != 0 => {
                        word_starts_quantity(w, next(1))
                    }
                    // "another couple hundred": "couple" before a multiplier.
                    Kind::Word => {
                        w == "couple"
                            && matches!(next(1), "hundred" | "thousand" | "dozen")
                            && !matches!(k.checked_sub(1).map_or("", |p| words[p]), "a" | "the")
                    }
                };
                // A number, or a word of `DATE_WORDS`, may start a date (`find_dates`).
                let date = match t.kind {
                    Kind::Number => true,
                    Kind::Word => lexicon::DATE_WORDS.in_classes(c),
                    Kind::Punct => false,
                };
                u16::from(f)
                    | if start { QUANTITY_START } else { 0 }
                    | if date { DATE_START } else { 0 }
            },
        ));
        Doc {
            text,
            tokens,
            flags,
            classes,
            words,
            raws,
            quote_marks,
            publication_date: None,
        }
    }

    /// The vectors of this `Doc`, for the next one.
    pub fn into_buffers(self) -> DocBuffers {
        DocBuffers {
            flags: self.flags,
            classes: self.classes,
            words: recycle(self.words),
            raws: recycle(self.raws),
            quote_marks: self.quote_marks,
        }
    }

    /// True when token `i` has any of the word classes in `mask`.
    pub fn has(&self, i: usize, mask: u8) -> bool {
        self.flags.get(i).is_some_and(|f| f & u16::from(mask) != 0)
    }

    /// True when the word of token `i` (lowercased, as written) is in `list`: the same
    /// answer as `list.contains(doc.word(i))`, by a bit test.
    #[inline]
    pub fn is(&self, i: usize, list: &lexicon::WordList) -> bool {
        self.classes.get(i).is_some_and(|c| list.in_classes(c))
    }

    /// True when the word of token `i` is in one of the lists whose bits `mask` holds
    /// (a union of `WordList::bits`).
    #[inline]
    pub fn in_any(&self, i: usize, mask: &lexicon::Classes) -> bool {
        self.classes
            .get(i)
            .is_some_and(|c| lexicon::share_a_class(c, mask))
    }

    /// Every class of the words of tokens `[lo, hi)` (a sentence): `list.in_classes` of
    /// it is true when some token of them is in `list` (`rules::Figure::needs`).
    pub fn classes_in(&self, lo: usize, hi: usize) -> lexicon::Classes {
        let mut all = lexicon::NO_CLASSES;
        for c in self.classes.get(lo..hi).unwrap_or_default() {
            lexicon::add_classes(&mut all, c);
        }
        all
    }

    /// Every class and every flag (`lexicon::flags`, as `has` reads them) of the words
    /// of tokens `[lo, hi)`, in one pass: a sentence's "is there a crowd word", "is
    /// there a venue" and its gates' classes (`classes_in`) without a scan each.
    pub fn sets_in(&self, lo: usize, hi: usize) -> (lexicon::Classes, u16) {
        let mut all = lexicon::NO_CLASSES;
        let classes = self.classes.get(lo..hi).unwrap_or_default();
        for c in classes {
            lexicon::add_classes(&mut all, c);
        }
        let flags = self
            .flags
            .get(lo..hi)
            .unwrap_or_default()
            .iter()
            .fold(0, |a, f| a | f);
        (all, flags & 0xff)
    }

    /// The lowercased text of token `i`, or "" past the end.
    #[inline]
    pub fn word(&self, i: usize) -> &'a str {
        self.words.get(i).copied().unwrap_or("")
    }

    /// The lowercased word of token `i` without a closing single quote: "'millions'"
    /// reads as "millions" (the tokenizer keeps a trailing apostrophe as a possessive).
    pub fn bare(&self, i: usize) -> &'a str {
        lexicon::trim_apostrophes(self.word(i))
    }

    /// The text of token `i` as written, or "" past the end. Lowercasing changes only
    /// ASCII letters, so a number or punctuation token is its `word`.
    #[inline]
    pub fn raw(&self, i: usize) -> &'a str {
        self.raws.get(i).copied().unwrap_or("")
    }

    /// True when a token of `[lo, hi)` is a double quotation mark (`is_quote_mark`).
    #[inline]
    pub fn quote_in(&self, lo: usize, hi: usize) -> bool {
        if self.quote_marks.is_empty() {
            return false;
        }
        let at = self.quote_marks.partition_point(|&q| q < lo);
        self.quote_marks.get(at).is_some_and(|&q| q < hi)
    }

    pub fn kind(&self, i: usize) -> Option<Kind> {
        self.tokens.get(i).map(|t| t.kind)
    }

    /// True when token `i` directly follows token `i - 1` with no space.
    pub fn adjacent(&self, i: usize) -> bool {
        i > 0 && i < self.tokens.len() && self.tokens[i - 1].end == self.tokens[i].start
    }

    pub fn is_dash(&self, i: usize) -> bool {
        // A dash is one punctuation character, whose `word` is its text: one byte, or
        // three that start with 0xe2 (no `str` slice of the text).
        match self.tokens.get(i) {
            Some(t) if t.kind == Kind::Punct => matches!(
                self.words[i],
                "-" | "\u{2013}" | "\u{2014}" | "\u{2012}" | "\u{2212}" | "\u{2010}" | "\u{2011}"
            ),
            _ => false,
        }
    }
}

/// True when the text of a token is a double quotation mark: '"', U+201C or U+201D.
pub fn is_quote_mark(raw: &str) -> bool {
    matches!(raw.as_bytes(), [b'"'] | [0xe2, 0x80, 0x9c | 0x9d])
}

/// An emptied vector of words with another lifetime, in the same allocation: the
/// empty vector is collected in place (nothing is mapped), so no word outlives its text.
pub fn recycle<'y>(mut words: Vec<&str>) -> Vec<&'y str> {
    words.clear();
    words.into_iter().map(|_| "").collect()
}

/// The word classes of one lowercased word token (`lexicon::flags`), with the two
/// cases the lexicon cannot see: a closing quote kept as a possessive apostrophe and a
/// hyphenated number.
/// `classes` are the classes of `w` as written.
fn word_flags(w: &str, classes: lexicon::Classes) -> u8 {
    let mut f = if lexicon::plain_for_flags(w) {
        lexicon::flags_of(classes)
    } else {
        lexicon::flags(w)
    };
    // "'millions'": the tokenizer keeps the closing quote as a possessive apostrophe;
    // the word's classes are the bare word's.
    if f == 0
        && matches!(w.as_bytes().last(), Some(b'\'' | 0x99))
        && w.ends_with(['\'', '\u{2019}'])
    {
        f = lexicon::flags(lexicon::trim_apostrophes(w));
    }
    // A hyphenated number ("twenty-five") starts a quantity like its head. The shortest
    // is seven bytes ("one-two"): shorter words are not scanned for a hyphen.
    let hyphenated = || w.len() >= 7 && w.bytes().any(|b| b == b'-' || b == 0xe2);
    if f & lexicon::NUMBER_START == 0 && hyphenated() && compound_number_word(w).is_some() {
        f | lexicon::NUMBER_START
    } else {
        f
    }
}

/// One quantity: a figure, a spelled-out number or a vague phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: f64,
    /// Token index one past the quantity.
    pub end: usize,
    /// The multiplier that a bare number before it in a range shares ("3-4,000": 1,000).
    pub scale: u64,
    /// The figure states its own magnitude (separators, a multiplier word or suffix).
    pub explicit_scale: bool,
    /// Set when the value comes from the coding rules: the phrase as written.
    pub vague: Option<(usize, usize)>,
    /// A four-digit figure without separators that may be a year.
    pub yearlike: bool,
    /// The figure had a decimal point.
    pub decimal: bool,
}

/// A number phrase: a quantity or a range, with its qualifier.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    /// Token index of the qualifier or the first figure.
    pub first: usize,
    /// Token index of the first figure.
    pub number_start: usize,
    /// Token index one past the phrase (post-qualifiers like "or more" included).
    pub end: usize,
    /// Token index one past the last figure (before post-qualifiers).
    pub number_end: usize,
    pub low: u64,
    pub high: u64,
    pub qualifier: Option<(usize, usize)>,
    pub vague: Option<(usize, usize)>,
    pub yearlike: bool,
    /// Not a whole number ("2.5 percent"): never a count.
    pub fractional: bool,
    pub is_range: bool,
}

/// The bit of `Doc::flags` above the word classes: the token can start a quantity.
const QUANTITY_START: u16 = 1 << 8;

/// The bit of `Doc::flags` above `QUANTITY_START`: the token can start a date (a
/// number, or a word of `lexicon::DATE_WORDS`).
const DATE_START: u16 = 1 << 9;

/// True when token `i` can start a date, as `Doc` worked it out for every token
/// (`date::find_dates` passes every other token by this one test).
#[inline]
pub fn may_start_date(doc: &Doc, i: usize) -> bool {
    doc.flags.get(i).is_some_and(|f| f & DATE_START != 0)
}

/// True when token `i` can start a quantity (a digit, a number word or a vague word),
/// as `Doc` worked it out for every token. One flag test for most words: `Doc::new`
/// gives every number word, vague word and hyphenated number its `NUMBER_START` class.
#[inline]
pub fn may_start_quantity(doc: &Doc, i: usize) -> bool {
    doc.flags.get(i).is_some_and(|f| f & QUANTITY_START != 0)
}

/// Whether a word of the `NUMBER_START` class, `w`, starts a quantity before the word
/// `next`.
fn word_starts_quantity(w: &str, next: &str) -> bool {
    if w == "a" || w == "an" {
        // Frequent articles: only "a dozen", "a few", "a quarter million" and so on.
        return matches!(
            next,
            "hundred"
                | "thousand"
                | "million"
                | "billion"
                | "dozen"
                | "quarter"
                | "half"
                | "few"
                | "couple"
                | "handful"
                | "lone"
                | "score"
        ) || fraction_of_multiplier(next).is_some();
    }
    true
}

/// Reads the longest phrase of the coding rules starting at token `i`.
fn read_vague(doc: &Doc, i: usize, rules: &CodingRules) -> Option<(f64, usize)> {
    let mut best: Option<(f64, usize)> = None;
    let first = doc.bare(i);
    for rule in &rules.rules {
        // Most rules fail on their first word: test it before splitting the phrase.
        // (The first byte and the length before the bytes: `starts_with` is a call to
        // `memcmp`.)
        let p = rule.phrase.as_bytes();
        if p.first() != first.as_bytes().first()
            || p.get(first.len()).is_some_and(|b| *b != b' ')
            || !p.starts_with(first.as_bytes())
        {
            continue;
        }
        let mut j = i;
        let mut ok = true;
        let mut scale = 1.0;
        // (Split as bytes: the same words, a space being a byte no other character
        // holds, for far fewer instructions than `str::split`.)
        for part in p.split(|&b| b == b' ') {
            // "a few 100 thousand": "hundred" written in digits.
            let digits = part == b"hundred" && j > i && doc.raw(j) == "100";
            // "several million", "a few million": the table's "several thousand" and
            // "a few thousand" carried to the larger multiplier.
            let million = part == b"thousand" && j > i && doc.bare(j) == "million";
            if million {
                scale = 1000.0;
            } else if !digits && (doc.kind(j) != Some(Kind::Word) || doc.bare(j).as_bytes() != part)
            {
                ok = false;
                break;
            }
            j += 1;
        }
        if ok && best.map_or(true, |(_, end)| j > end) {
            best = Some((rule.value as f64 * scale, j));
        }
    }
    // "tens of millions", "hundreds of millions": the table's "tens of thousands" and
    // "hundreds of thousands" carried to the larger multiplier (20 and 200 of them).
    if matches!(first, "tens" | "hundreds") && doc.word(i + 1) == "of" {
        let unit = lexicon::multiplier_word(doc.bare(i + 2).trim_end_matches('s'))
            .filter(|&m| m >= 1_000_000 && doc.bare(i + 2).ends_with('s'));
        let of_thousands =
            |r: &&tally_model::VagueRule| r.phrase.strip_suffix(" of thousands") == Some(first);
        // (The table is searched only for a multiplier of millions after "of".)
        if let Some((m, rule)) =
            unit.and_then(|m| Some((m, rules.rules.iter().find(of_thousands)?)))
        {
            if best.map_or(true, |(_, end)| end <= i + 3) {
                best = Some((rule.value as f64 / 1000.0 * m as f64, i + 3));
            }
        }
    }
    // "a few hundred thousand", "several hundred thousand": the coded hundreds, times
    // the multiplier after them (as "hundreds of thousands" is 200 thousands).
    best.map(|(value, end)| {
        let last = if doc.raw(end - 1) == "100" {
            "hundred"
        } else {
            doc.bare(end - 1)
        };
        match lexicon::multiplier_word(doc.word(end)) {
            Some(m) if last == "hundred" && m >= 1000 && doc.kind(end) == Some(Kind::Word) => {
                (value * m as f64, end + 1)
            }
            _ => (value, end),
        }
    })
}

/// "quarter-million", "half-million": a fraction of a multiplier, written as one
/// hyphenated word.
fn fraction_of_multiplier(w: &str) -> Option<(f64, u64)> {
    // (The fraction's first letter before a search for the hyphen.)
    if !matches!(w.as_bytes().first(), Some(b'q' | b'h')) {
        return None;
    }
    let (fraction, multiplier) = w.split_once(['-', '\u{2010}', '\u{2011}'])?;
    let fraction = match fraction {
        "quarter" => 0.25,
        "half" => 0.5,
        _ => return None,
    };
    let m = lexicon::multiplier_word(multiplier).filter(|m| *m >= 1000)?;
    Some((fraction, m))
}

/// The multiplier of at least a thousand that a fraction word's phrase goes on to, read
/// from `k`, past an "of a" or an "a" ("a quarter of a million", "three quarters of a
/// million", "a quarter a million", "quarter million"), with the index after it.
fn multiplier_of_fraction(doc: &Doc, mut k: usize) -> Option<(u64, usize)> {
    if doc.word(k) == "of" && matches!(doc.word(k + 1), "a" | "an") {
        k += 2;
    } else if matches!(doc.word(k), "a" | "an") {
        // "a quarter a million", as "half a million" is said.
        k += 1;
    }
    let m = lexicon::multiplier_word(doc.word(k)).filter(|m| *m >= 1000)?;
    Some((m, k + 1))
}

/// Splits a hyphenated number word ("twenty-five") into its parts' sum.
fn compound_number_word(w: &str) -> Option<f64> {
    let mut total = 0u32;
    let mut parts = 0;
    for part in w.split(['-', '\u{2010}', '\u{2011}']) {
        total += lexicon::number_word(part)?;
        parts += 1;
    }
    (parts > 0).then_some(total as f64)
}

/// A fraction of a multiplier that a spelled-out number reads at token `j` ("any": a
/// number has been read before it; "pending_one": an "a" stands for one before a
/// multiplier): the fraction, the multiplier and the token after the phrase.
fn fraction_at(doc: &Doc, j: usize, any: bool, pending_one: bool) -> Option<(f64, u64, usize)> {
    let w = doc.word(j);
    if !any {
        // "quarter-million", and "a quarter-million" through the article before it.
        if let Some((fraction, m)) = fraction_of_multiplier(w) {
            return Some((fraction, m, j + 1));
        }
    }
    match w {
        // "a quarter million", "a half million", "a quarter of a million".
        "a" | "an" if !pending_one => {
            let fraction = match doc.word(j + 1) {
                "quarter" => 0.25,
                "half" => 0.5,
                _ => return None,
            };
            multiplier_of_fraction(doc, j + 2).map(|(m, after)| (fraction, m, after))
        }
        // "half a million", "half a dozen" (6: not "a dozen" read alone).
        "half" if !any && matches!(doc.word(j + 1), "a" | "an") => {
            let m = lexicon::multiplier_word(doc.word(j + 2))?;
            Some((0.5, m, j + 3))
        }
        // "an estimated quarter of a million", "quarter million": the article before it
        // belongs to the qualifier.
        "quarter" if !any => multiplier_of_fraction(doc, j + 1).map(|(m, after)| (0.25, m, after)),
        _ => None,
    }
}

/// Reads a spelled-out number: "sixty-two", "twenty-five hundred", "a quarter million",
/// "half a million", "a million and a half", "two and a half million".
fn read_spelled(doc: &Doc, i: usize) -> Option<(f64, usize, u64)> {
    let mut total = 0.0f64;
    let mut current = 0.0f64;
    let mut j = i;
    let mut any = false;
    let mut last_mult = 1u64;
    let mut largest_mult = 1u64;
    let mut pending_one = false;
    loop {
        if doc.kind(j) != Some(Kind::Word) {
            // "three thousand, two hundred people": a comma between a thousands part
            // and a hundreds part is one number, as a cheque writes it.
            if doc.raw(j) == ","
                && current == 0.0
                && last_mult >= 1000
                && doc.word(j + 2) == "hundred"
                && compound_number_word(doc.word(j + 1)).is_some_and(|n| n < 10.0)
            {
                j += 1;
                continue;
            }
            break;
        }
        let w = doc.word(j);
        if let Some(n) = compound_number_word(w) {
            if any && current != 0.0 && (current as u64) % 100 != 0 && n < 100.0 {
                // "five six": two numbers, not one.
                break;
            }
            current += n;
            any = true;
            pending_one = false;
            j += 1;
            continue;
        }
        if let Some(m) = lexicon::multiplier_word(w) {
            let base = if current == 0.0 { 1.0 } else { current };
            // "Another thousand gathered outside", "another hundred or so": one unit
            // more. Otherwise a bare "thousand" or "hundred" is not a figure by itself.
            let another = j == i && i > 0 && doc.word(i - 1) == "another";
            if current == 0.0 && !pending_one && !any && !another {
                break;
            }
            if m == 100 || m == 12 {
                current = base * m as f64;
            } else {
                total += base * m as f64;
                current = 0.0;
                last_mult = m;
            }
            largest_mult = largest_mult.max(m);
            any = true;
            pending_one = false;
            j += 1;
            continue;
        }
        if let Some((fraction, m, after)) = fraction_at(doc, j, any, pending_one) {
            total += fraction * m as f64;
            largest_mult = largest_mult.max(m);
            last_mult = m;
            any = true;
            j = after;
            continue;
        }
        match w {
            // "another couple hundred milling nearby": "couple" without its article.
            "couple" if !any && lexicon::multiplier_word(doc.word(j + 1)).is_some() => {
                current = 2.0;
                any = true;
                j += 1;
                continue;
            }
            "a" | "an" if !pending_one => {
                let next = doc.word(j + 1);
                if !any && fraction_of_multiplier(next).is_some() {
                    j += 1;
                    continue;
                }
                // "a couple thousand", "a couple hundred", "a couple of thousand".
                if next == "couple" {
                    let of = usize::from(doc.word(j + 2) == "of");
                    if lexicon::multiplier_word(doc.word(j + 2 + of)).is_some() {
                        current = 2.0;
                        any = true;
                        j += 2 + of;
                        continue;
                    }
                }
                if lexicon::multiplier_word(next).is_some() {
                    pending_one = true;
                    current = current.max(0.0);
                    j += 1;
                    continue;
                }
                break;
            }
            "quarters" | "quarter" if current > 0.0 => {
                // "three quarters of a million".
                if let Some((m, after)) = multiplier_of_fraction(doc, j + 1) {
                    total += current * 0.25 * m as f64;
                    current = 0.0;
                    largest_mult = largest_mult.max(m);
                    j = after;
                    continue;
                }
                break;
            }
            "and" if any => {
                // "a million and a half"; "two and a half million"; "one hundred and fifty".
                if matches!(doc.word(j + 1), "a" | "an") && doc.word(j + 2) == "half" {
                    if current == 0.0 && total > 0.0 {
                        total += last_mult as f64 / 2.0;
                        j += 3;
                        continue;
                    }
                    if let Some(m) = lexicon::multiplier_word(doc.word(j + 3)) {
                        total += (current + 0.5) * m as f64;
                        current = 0.0;
                        largest_mult = largest_mult.max(m);
                        last_mult = m;
                        j += 4;
                        continue;
                    }
                    // "two and a half times a normal Saturday", "two and a half hours":
                    // 2.5 of something, never "two" of it.
                    if total == 0.0 && current > 0.0 && current < 100.0 {
                        current += 0.5;
                        j += 3;
                    }
                    break;
                }
                if current >= 100.0 && compound_number_word(doc.word(j + 1)).is_some() {
                    j += 1;
                    continue;
                }
                break;
            }
            _ => break,
        }
    }
    if !any {
        return None;
    }
    // A trailing "a"/"an" was not consumed as a number.
    Some((total + current, j, largest_mult))
}

/// A capital "K" or "M" after a space ("849 K", "1 394 K", as tables of estimates
/// print them), when no word but "and", "or" or "to" follows it: "5 K Street" is an
/// address, "a 5 K run" a distance.
fn spaced_suffix(doc: &Doc, i: usize) -> Option<u64> {
    let m = match doc.raw(i) {
        "K" => 1_000,
        "M" => 1_000_000,
        _ => return None,
    };
    let next_is_word = doc.kind(i + 1) == Some(Kind::Word)
        && doc.tokens[i + 1].newlines_before == 0
        && !matches!(doc.word(i + 1), "and" | "or" | "to");
    (!next_is_word).then_some(m)
}

/// A multiplier of at least a thousand joined to the figure before token `k` by a
/// hyphen ("1-million", "1-million-strong") or an ellipsis ("325...Thousand",
/// "325... thousand"): the multiplier and the token after it.
fn joined_multiplier(doc: &Doc, k: usize) -> Option<(u64, usize)> {
    let big = |w: &str| lexicon::multiplier_word(w).filter(|m| *m >= 1000);
    if doc.is_dash(k)
        && doc.adjacent(k)
        && doc.adjacent(k + 1)
        && doc.kind(k + 1) == Some(Kind::Word)
    {
        let w = doc.word(k + 1);
        let m = big(w).or_else(|| strong_compound(w, big))?;
        return Some((m, k + 2));
    }
    // An ellipsis: one character, or three points.
    let after = if doc.raw(k) == "\u{2026}" {
        k + 1
    } else if (k..k + 3).all(|q| doc.raw(q) == ".") && doc.adjacent(k + 1) && doc.adjacent(k + 2) {
        k + 3
    } else {
        return None;
    };
    if !doc.adjacent(k) || doc.kind(after) != Some(Kind::Word) {
        return None;
    }
    big(doc.word(after)).map(|m| (m, after + 1))
}

/// "million-strong", "k-strong": a multiplier (read by `multiplier`) heading a
/// hyphenated word whose tail says the figure counts people (`dash-crowd-words.txt`).
pub(crate) fn strong_compound(w: &str, multiplier: impl Fn(&str) -> Option<u64>) -> Option<u64> {
    let (head, tail) = w.split_once(['-', '\u{2010}', '\u{2011}'])?;
    if !lexicon::DASH_CROWD_WORDS.contains(tail) {
        return None;
    }
    multiplier(head)
}

/// The value of a vulgar fraction character ("½" is 0.5), the ones news text writes
/// after a whole number.
fn vulgar_fraction(raw: &str) -> Option<f64> {
    Some(match raw {
        "\u{bd}" => 0.5,
        "\u{bc}" => 0.25,
        "\u{be}" => 0.75,
        "\u{2153}" => 1.0 / 3.0,
        "\u{2154}" => 2.0 / 3.0,
        _ => return None,
    })
}

/// A figure written with European thousands points: one to three digits (not a lone
/// zero), then groups of exactly three digits after each point ("500.000", "1.250").
pub(crate) fn european_thousands(raw: &str) -> bool {
    let mut parts = raw.split('.');
    let head = parts.next().unwrap_or("");
    !head.is_empty()
        && head.len() <= 3
        && head != "0"
        && head.bytes().all(|b| b.is_ascii_digit())
        && parts.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Reads a figure in digits at token `i`, with a run-in suffix ("5k") or a
/// multiplier word ("1.5 million").
fn read_digits(doc: &Doc, i: usize) -> Option<Quantity> {
    let t = doc.tokens.get(i)?;
    if t.kind != Kind::Number {
        return None;
    }
    // (A number's text as written is its `word`, sliced once by `Doc`.)
    let raw = doc.raw(i);
    // The digits without their separators, on the stack: every figure of a text comes
    // through here. A figure too long for the buffer is far above `MAX_FIGURE`.
    let mut grouped = 0u32;
    let mut digits = [0u8; 48];
    let mut n = 0;
    let mut decimal = false;
    // The value of the first eighteen digits, read in the same pass: a whole figure
    // (nearly all) needs no second one.
    let mut whole_value = 0u64;
    for b in raw.bytes() {
        if b.is_ascii_digit() || b == b'.' {
            decimal |= b == b'.';
            if n < digits.len() {
                digits[n] = b;
            }
            if n < 18 && b != b'.' {
                whole_value = whole_value * 10 + u64::from(b - b'0');
            }
            n += 1;
        } else if !(0x80..0xc0).contains(&b) {
            // A separator: "," or a space, or the first byte of a wide space.
            grouped += 1;
        }
    }
    let mut value: f64 = if n > digits.len() {
        f64::INFINITY
    } else if !decimal && n <= 18 {
        // Whole figures (nearly all) without a float parse.
        whole_value as f64
    } else {
        std::str::from_utf8(&digits[..n]).ok()?.parse().ok()?
    };
    let mut end = i + 1;
    // "500.000 people", "1.000.000": a European thousands point (a point before exactly
    // three digits, no multiplier after) groups thousands; "2.5", "0.500" stay decimals.
    if decimal && european_thousands(raw) && lexicon::multiplier_word(doc.word(end)).is_none() {
        let mut whole = digits[..n.min(digits.len())]
            .iter()
            .filter(|d| d.is_ascii_digit())
            .fold(0u64, |v, d| {
                v.saturating_mul(10).saturating_add(u64::from(d - b'0'))
            });
        grouped += 1;
        while doc.raw(end) == "."
            && doc.adjacent(end)
            && doc.adjacent(end + 1)
            && doc.kind(end + 1) == Some(Kind::Number)
            && doc.raw(end + 1).len() == 3
            && doc.raw(end + 1).bytes().all(|b| b.is_ascii_digit())
        {
            whole = whole.saturating_mul(1000);
            grouped += 1;
            end += 2;
        }
        value = whole as f64;
        decimal = false;
    }
    // "upwards 800,00 people": a thousands comma with a zero dropped after it is read as
    // the thousands the writer began ("800,000"), not as 800.
    if !decimal
        && grouped == 0
        && raw.len() <= 3
        && doc.raw(end) == ","
        && doc.adjacent(end)
        && doc.adjacent(end + 1)
        && doc.raw(end + 1) == "00"
        && !(doc.raw(end + 2) == "," && doc.adjacent(end + 2))
        && !(doc.kind(end + 2) == Some(Kind::Number) && doc.adjacent(end + 2))
    {
        value *= 1000.0;
        grouped = 1;
        end += 2;
    }
    // "1½ million", "2¼ million": a vulgar fraction written against the whole number is
    // its decimal part, as "1.5 million" writes it.
    if !decimal && grouped == 0 && doc.adjacent(end) {
        if let Some(part) = vulgar_fraction(doc.raw(end)) {
            value += part;
            decimal = true;
            end += 1;
        }
    }
    let yearlike = grouped == 0 && !decimal && raw.len() == 4;
    let mut scale: u64 = if grouped > 0 {
        10u64.saturating_pow(3 * grouped)
    } else {
        1
    };
    let mut explicit = grouped > 0;
    if doc.adjacent(end) && doc.kind(end) == Some(Kind::Word) {
        if let Some(m) = lexicon::multiplier_suffix(doc.word(end))
            .or_else(|| strong_compound(doc.word(end), lexicon::multiplier_suffix))
        {
            // "1.5M", "70K": only when the letters end there ("5km" is a distance).
            value *= m as f64;
            scale = m;
            explicit = true;
            end += 1;
        }
    } else if let Some(m) = spaced_suffix(doc, end) {
        value *= m as f64;
        scale = m;
        explicit = true;
        end += 1;
    }
    if !explicit || grouped == 0 {
        if let Some(m) = lexicon::multiplier_word(doc.word(end)) {
            if m != 12 || !decimal {
                value *= m as f64;
                scale = m;
                explicit = true;
                end += 1;
                if m >= 1000 {
                    if let Some(m2) = lexicon::multiplier_word(doc.word(end)).filter(|m2| *m2 > m) {
                        // "500 thousand million" never happens; "two hundred thousand" does.
                        value *= m2 as f64;
                        scale = m2;
                        end += 1;
                    }
                } else if m == 100 {
                    if let Some(m2) =
                        lexicon::multiplier_word(doc.word(end)).filter(|m2| *m2 >= 1000)
                    {
                        value *= m2 as f64;
                        scale = m2;
                        end += 1;
                    }
                }
            }
        }
    }
    // "a 1-million-strong march", "2-million people", "300-325...Thousand": a
    // multiplier joined to the figure by a hyphen or an ellipsis scales it as a space
    // does.
    if !explicit {
        if let Some((m, next)) = joined_multiplier(doc, end) {
            value *= m as f64;
            scale = m;
            explicit = true;
            end = next;
        }
    }
    Some(Quantity {
        value,
        end,
        scale,
        explicit_scale: explicit,
        vague: None,
        yearlike: yearlike && end == i + 1,
        decimal,
    })
}

/// Reads one quantity at token `i`. With `allow_vague`, phrases of the coding rules
/// count; a rule phrase wins a tie with a spelled number ("a dozen") so that the
/// chosen convention decides.
pub fn read_quantity(
    doc: &Doc,
    i: usize,
    rules: &CodingRules,
    allow_vague: bool,
) -> Option<Quantity> {
    if let Some(q) = read_digits(doc, i) {
        return Some(q);
    }
    if doc.kind(i) != Some(Kind::Word) {
        return None;
    }
    let vague = if allow_vague {
        read_vague(doc, i, rules)
    } else {
        None
    };
    let spelled = read_spelled(doc, i);
    match (vague, spelled) {
        (Some((v, vend)), s) if s.as_ref().map_or(true, |(_, send, _)| vend >= *send) => {
            // "dozens" or "a few hundred"; also "many thousands" read from "thousands".
            let start = doc.tokens[i].start;
            // A closing single quote is not part of the words ("'millions'").
            let last = doc.tokens[vend - 1];
            let stop = last.start + doc.bare(vend - 1).len();
            Some(Quantity {
                value: v,
                end: vend,
                scale: 1,
                explicit_scale: true,
                vague: Some((start, stop)),
                yearlike: false,
                decimal: false,
            })
        }
        (_, Some((value, end, mult))) => Some(Quantity {
            value,
            end,
            scale: mult,
            explicit_scale: mult > 1,
            vague: None,
            yearlike: false,
            decimal: false,
        }),
        _ => None,
    }
}

/// Matches the longest qualifier that ends right before token `i`; returns its
/// first token index. A tilde ("~5,000", "≈ 5,000") is the sign for "about".
pub fn qualifier_before(doc: &Doc, i: usize) -> Option<usize> {
    if i > 0 && matches!(doc.raw(i - 1), "~" | "\u{2248}") {
        return Some(i - 1);
    }
    // Most words end no qualifier: one flag test instead of a pass over the list.
    if i == 0 || doc.kind(i - 1) != Some(Kind::Word) || !doc.has(i - 1, lexicon::QUALIFIER_END) {
        return None;
    }
    let last = doc.word(i - 1);
    for q in qualifiers_ending_in(last) {
        let n = q.len();
        if i < n {
            continue;
        }
        // Its last word is token `i - 1`'s (a word): the others are compared from the
        // end, where qualifiers that share a last word differ.
        if q[..n - 1]
            .iter()
            .rev()
            .enumerate()
            .all(|(k, w)| doc.word(i - 2 - k) == *w && doc.kind(i - 2 - k) == Some(Kind::Word))
        {
            return Some(i - n);
        }
    }
    None
}

/// The qualifiers of `lexicon::QUALIFIERS` that end in `last`, longest first (the
/// list's order), from an index built once.
fn qualifiers_ending_in(last: &str) -> &'static [&'static [&'static str]] {
    type Index = rustc_hash::FxHashMap<&'static str, Vec<&'static [&'static str]>>;
    static INDEX: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index = Index::default();
        for q in lexicon::QUALIFIERS {
            index.entry(q[q.len() - 1]).or_default().push(*q);
        }
        index
    });
    index.get(last).map_or(&[], Vec::as_slice)
}

/// Reads a full phrase whose first figure starts at token `i`: a quantity, then a
/// range ("to", "-", "and" after "between", "or"), then post-qualifiers ("or more",
/// "+", "-plus").
pub fn read_phrase(doc: &Doc, i: usize, rules: &CodingRules, allow_vague: bool) -> Option<Phrase> {
    let a = read_quantity(doc, i, rules, allow_vague)?;
    let between = i > 0 && matches!(doc.word(i - 1), "between" | "from");
    let mut low = a.value;
    let mut high = a.value;
    let mut end = a.end;
    let mut is_range = false;
    let mut vague = a.vague;
    let connector = doc.word(end);
    let is_connector = doc.is_dash(end)
        || connector == "to"
        || (connector == "and" && between)
        || (connector == "or" && a.vague.is_none());
    if is_connector {
        let mut b_start = end + 1;
        // "somewhere between 230 and nearly 300": a qualifier on the high end belongs
        // to the one range. ("Estimates ranged from 400,000 to nearly 1.1 million"
        // gives two estimates, each its own source's.)
        if between && connector == "and" {
            if let Some(k) = (b_start + 1..b_start + 4)
                .find(|&k| may_start_quantity(doc, k) && qualifier_before(doc, k) == Some(b_start))
            {
                b_start = k;
            }
        }
        if let Some(b) = read_quantity(doc, b_start, rules, a.vague.is_some()) {
            let mut a_value = a.value;
            if !a.explicit_scale
                && a.vague.is_none()
                && b.scale > 1
                && a_value * (b.scale as f64) <= b.value
            {
                a_value *= b.scale as f64;
            }
            // "1995-2000" is years; "500-1000" (a high end of four digits that is no
            // year, or a low end of fewer digits) is a range of sizes.
            let year = |q: &Quantity| q.yearlike && (1700.0..=2100.0).contains(&q.value);
            let dash_ok = !doc.is_dash(end)
                || !a.yearlike && !b.yearlike
                || !year(&b) && !a.yearlike
                || !a.yearlike && a.value >= 10.0 && a.value < 1000.0 && b.yearlike;
            let both_vague = a.vague.is_some() == b.vague.is_some();
            if a_value <= b.value && dash_ok && both_vague && b.value > 0.0 {
                low = a_value;
                high = b.value;
                end = b.end;
                is_range = true;
                if let (Some((s, _)), Some((_, e))) = (a.vague, b.vague) {
                    vague = Some((s, e));
                }
            }
        }
    }
    let number_end = end;
    let mut qualifier = qualifier_before(doc, i).map(|s| (s, i));
    let mut first = qualifier.map_or(i, |(s, _)| s);
    if between && is_range {
        first = i - 1;
    }
    // Post-qualifiers: "10,000+", "10,000-plus", "5,000 or more", "or so".
    if doc.raw(end) == "+" && doc.adjacent(end) {
        qualifier.get_or_insert((end, end + 1));
        end += 1;
    } else if (doc.is_dash(end) && doc.adjacent(end) && doc.word(end + 1) == "plus")
        || (doc.word(end) == "or" && matches!(doc.word(end + 1), "more" | "so" | "greater"))
    {
        qualifier.get_or_insert((end, end + 2));
        end += 2;
    } else if doc.word(end) == "plus" {
        qualifier.get_or_insert((end, end + 1));
        end += 1;
    }
    let fractional = has_fraction(low) || has_fraction(high);
    // A figure past 2^53 is not a count anyone stated: reject it rather than clamp.
    if !(low.is_finite() && high.is_finite())
        || high > crate::reader::MAX_FIGURE as f64
        || low > crate::reader::MAX_FIGURE as f64
    {
        return None;
    }
    Some(Phrase {
        first,
        number_start: i,
        end,
        number_end,
        low: clamp(low),
        high: clamp(high),
        qualifier,
        vague,
        yearlike: a.yearlike && !is_range,
        fractional,
        is_range,
    })
}

/// `x.fract() != 0.0`, without the call to `trunc` for a value of at most 2^53 that
/// is not negative (every figure read), whose conversion to an integer is exact when
/// it is whole.
fn has_fraction(x: f64) -> bool {
    if (0.0..=9_007_199_254_740_992.0).contains(&x) {
        // (Through `i64`, one instruction each way where `u64` takes several.)
        (x as i64) as f64 != x
    } else {
        x.fract() != 0.0
    }
}

/// A checked figure (at most 2^53, see `read_phrase`) as a whole number; fractions
/// round, and negative or non-finite values (never produced) give zero.
fn clamp(v: f64) -> u64 {
    if v.is_finite() && v > 0.0 {
        let v = v.min(crate::reader::MAX_FIGURE as f64);
        // (A whole number, as nearly every figure is, needs no call to `round`.)
        let whole = v as i64;
        if whole as f64 == v {
            return whole.unsigned_abs();
        }
        v.round() as u64
    } else {
        0
    }
}

/// Turns a phrase into a model estimate (unknown attribution, event scope).
pub fn phrase_estimate(doc: &Doc, phrase: &Phrase) -> Estimate {
    let qualifier = phrase.qualifier.map(|(s, e)| {
        let start = doc.tokens[s].start;
        let end = doc.tokens[e - 1].end;
        doc.text[start..end].to_string()
    });
    let estimate =
        Estimate::range(phrase.low, phrase.high).unwrap_or_else(|_| Estimate::exact(phrase.low));
    let estimate = estimate.with_qualifier(qualifier);
    match phrase.vague {
        Some((s, e)) => estimate
            .with_vague_text(Some(doc.text[s..e].to_string()))
            .with_coded_by_rule(true),
        None => estimate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn may_start_date_is_a_number_or_a_date_word() {
        let text = "On Saturday, June 14, 2025, 5,000 marched; last week (6/7) \u{2014} \
                    today's crowd, Tuesday's 300 and MAY 1st.";
        let lower = text.to_ascii_lowercase();
        let tokens = crate::token::tokenize(text);
        let doc = Doc::new(text, &lower, &tokens);
        let mut dates = 0;
        for (i, t) in tokens.iter().enumerate() {
            let expected = t.kind == Kind::Number
                || t.kind == Kind::Word && lexicon::DATE_WORDS.contains(doc.word(i));
            assert_eq!(may_start_date(&doc, i), expected, "{:?}", doc.raw(i));
            dates += usize::from(expected);
        }
        assert!(dates >= 8, "{dates}");
    }

    #[test]
    fn has_fraction_and_clamp_agree_with_fract_and_round() {
        let values = [
            0.0,
            -0.0,
            0.5,
            2.5,
            3.0,
            1e15 + 0.5,
            4503599627370495.5,
            9007199254740992.0,
            9007199254740993.0,
            1e300,
            -3.0,
            -2.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            0.49999999999999994,
            1234.0000001,
        ];
        for v in values {
            assert_eq!(has_fraction(v), v.fract() != 0.0, "{v}");
            let rounded = if v.is_finite() && v > 0.0 {
                v.min(crate::reader::MAX_FIGURE as f64).round() as u64
            } else {
                0
            };
            assert_eq!(clamp(v), rounded, "{v}");
        }
    }

    #[test]
    fn quote_in_finds_the_double_quotation_marks_of_a_range() {
        // `Doc::quote_in` answers from the marks listed once: the same as reading the
        // tokens of the range. Single quotes and apostrophes are no double marks.
        let text = "He said \"5,000 came\" and \u{201c}more\u{201d}; 'fine' isn't it \u{2019}";
        let lower = text.to_ascii_lowercase();
        let tokens = crate::token::tokenize(text);
        let doc = Doc::new(text, &lower, &tokens);
        let marks: Vec<usize> = (0..tokens.len())
            .filter(|&k| matches!(doc.raw(k), "\"" | "\u{201c}" | "\u{201d}"))
            .collect();
        assert_eq!(marks.len(), 4);
        for lo in 0..=tokens.len() + 2 {
            for hi in lo..=tokens.len() + 2 {
                let scan = marks.iter().any(|&q| q >= lo && q < hi);
                assert_eq!(doc.quote_in(lo, hi), scan, "[{lo}, {hi})");
            }
        }
        let plain = "No quotation here, 5,000 came";
        let lower = plain.to_ascii_lowercase();
        let tokens = crate::token::tokenize(plain);
        assert!(!Doc::new(plain, &lower, &tokens).quote_in(0, tokens.len()));
    }

    #[test]
    fn doc_raw_word_and_dash_read_each_token() {
        // `raw` and `word` are sliced once per token; `is_dash` reads the word of a
        // punctuation token. Past the end, all are empty or false.
        let text =
            "Caf\u{e9} CROWDS \u{2014} 5,000-plus in D.C.\u{2013}Md. \u{201c}It's\u{201d} - OK";
        let lower = text.to_ascii_lowercase();
        let tokens = crate::token::tokenize(text);
        let doc = Doc::new(text, &lower, &tokens);
        for (k, t) in tokens.iter().enumerate() {
            assert_eq!(doc.raw(k), &text[t.start..t.end]);
            assert_eq!(doc.word(k), &lower[t.start..t.end]);
            let dash = matches!(doc.raw(k), "-" | "\u{2013}" | "\u{2014}");
            assert_eq!(doc.is_dash(k), dash, "{k}");
        }
        assert_eq!(doc.raw(2), "\u{2014}");
        assert!(doc.is_dash(2) && doc.is_dash(4));
        let n = tokens.len();
        assert_eq!((doc.raw(n), doc.word(n), doc.is_dash(n)), ("", "", false));
    }

    /// The first phrase read in `text`, as (its words, low, high, coded by a rule).
    fn first_phrase(text: &str) -> (String, u64, u64, bool) {
        let lower = text.to_ascii_lowercase();
        let tokens = crate::token::tokenize(text);
        let doc = Doc::new(text, &lower, &tokens);
        let rules = CodingRules::default();
        let p = (0..tokens.len())
            .filter(|&i| may_start_quantity(&doc, i))
            .find_map(|i| read_phrase(&doc, i, &rules, true))
            .expect("a phrase");
        let words = &text[tokens[p.number_start].start..tokens[p.number_end - 1].end];
        (words.to_string(), p.low, p.high, p.vague.is_some())
    }

    #[test]
    fn issue_9_real_text_misreads_are_read_as_a_careful_reader_would() {
        // A European thousands point groups thousands; a decimal stays a decimal.
        assert_eq!(first_phrase("500.000 people").1, 500_000);
        assert_eq!(first_phrase("1.250 people").1, 1_250);
        assert_eq!(first_phrase("2.5 million people").1, 2_500_000);
        assert!(european_thousands("12.345") && !european_thousands("0.500"));
        assert!(!european_thousands("2.5") && !european_thousands("1234.567"));
        // A thousands comma with a zero dropped after it.
        let (words, low, high, _) = first_phrase("upwards 800,00 people");
        assert_eq!((words.as_str(), low, high), ("800,00", 800_000, 800_000));
        assert_eq!(first_phrase("codes 800,00,12").1, 800);
        // A comma between the thousands and the hundreds of a spelled number.
        let (words, low, _, _) = first_phrase("three thousand, two hundred people");
        assert_eq!(
            (words.as_str(), low),
            ("three thousand, two hundred", 3_200)
        );
        assert_eq!(first_phrase("three thousand, and more").1, 3_000);
        // "two and a half" of anything is 2.5, never 2.
        let lower = "two and a half times".to_string();
        let tokens = crate::token::tokenize(&lower);
        let doc = Doc::new(&lower, &lower, &tokens);
        let p = read_phrase(&doc, 0, &CodingRules::default(), true).expect("a phrase");
        assert!(p.fractional);
        // A qualifier on the high end of "between X and Y" stays inside the range.
        let (_, low, high, _) = first_phrase("between 230 and nearly 300 people");
        assert_eq!((low, high), (230, 300));
        let (_, low, high, _) = first_phrase("from 300,000 to nearly 900,000");
        assert_eq!((low, high), (300_000, 300_000));
    }

    #[test]
    fn issue_9_a_vulgar_fraction_against_the_number_is_its_decimal_part() {
        assert_eq!(
            first_phrase("more than 1\u{bd} million people").1,
            1_500_000
        );
        assert_eq!(first_phrase("some 2\u{bc} million marched").1, 2_250_000);
        assert_eq!(first_phrase("3\u{be} million").1, 3_750_000);
        // Apart from the number, or after a grouped figure, it is not read into it.
        assert_eq!(first_phrase("1 \u{bd} million").1, 1);
        assert_eq!(first_phrase("5,000\u{bd} people").1, 5_000);
    }

    #[test]
    fn issue_9_a_multiplier_joined_by_a_hyphen_or_an_ellipsis_scales_the_figure() {
        assert_eq!(first_phrase("a 1-million-strong march").1, 1_000_000);
        assert_eq!(first_phrase("2-million people").1, 2_000_000);
        assert_eq!(first_phrase("a 10K-strong crowd").1, 10_000);
        let (_, low, high, _) = first_phrase("300-325...Thousand people");
        assert_eq!((low, high), (300_000, 325_000));
        assert_eq!(first_phrase("40\u{2026} thousand").1, 40_000);
        // Other hyphenated words and a lone point leave the figure as it is.
        assert_eq!(first_phrase("a 2-mile-long march").1, 2);
        assert_eq!(first_phrase("325. Thousands marched").1, 325);
        assert_eq!(
            strong_compound("million-strong", lexicon::multiplier_word),
            Some(1_000_000)
        );
        assert_eq!(
            strong_compound("million-dollar", lexicon::multiplier_word),
            None
        );
    }

    #[test]
    fn issue_9_half_a_dozen_is_six() {
        // "half a" took only a multiplier of a hundred or more, so "a dozen" was read
        // alone (12).
        for text in [
            "Half a dozen neighbours waved signs.",
            "Only about half a dozen of us stayed past noon.",
        ] {
            let (words, low, high, _) = first_phrase(text);
            assert_eq!(
                (words.to_lowercase().as_str(), low, high),
                ("half a dozen", 6, 6)
            );
        }
        assert_eq!(
            first_phrase("A dozen neighbours waved signs."),
            ("A dozen".to_string(), 12, 12, true)
        );
        assert_eq!(first_phrase("half a million voters").1, 500_000);
        assert_eq!(first_phrase("half a hundred chairs").1, 50);
    }

    #[test]
    fn issue_9_a_quarter_a_million_is_a_quarter_of_a_million() {
        // "a quarter a million" read "a million" alone (1,000,000).
        for text in [
            "A quarter a million walkers filled the bridge.",
            "a quarter of a million walkers",
            "a quarter-million walkers",
            "quarter a million walkers",
            "some three quarters a million walkers",
        ] {
            let (_, low, high, vague) = first_phrase(text);
            let want = if text.contains("three") {
                750_000
            } else {
                250_000
            };
            assert_eq!((low, high, vague), (want, want, false), "{text}");
        }
    }

    #[test]
    fn doc_is_answers_as_the_list_does() {
        let text = "Police said 5,000 Protesters marched, while organizers' estimate was \
                    higher: about 8,000 people crowded the Plaza. The 'millions' never came.";
        let lower = text.to_ascii_lowercase();
        let tokens = crate::token::tokenize(text);
        let doc = Doc::new(text, &lower, &tokens);
        for (_, list) in lexicon::all_lists() {
            for k in 0..tokens.len() + 2 {
                assert_eq!(doc.is(k, list), list.contains(doc.word(k)), "token {k}");
            }
        }
        assert!(doc.is(3, &lexicon::CROWD_WORDS) && doc.has(3, lexicon::CROWD_WORD));
        assert!(
            doc.has(7, lexicon::SOURCE_START),
            "organizers' is a source start"
        );
    }
}
