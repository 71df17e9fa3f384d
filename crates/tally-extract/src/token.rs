//! A small tokenizer over article text: words, numbers and punctuation with byte
//! offsets, plus the sentence and clause boundaries the extractor reasons within.
//!
//! It works on the original text and on an ASCII-lowercased copy that has the same
//! byte offsets, so no token allocates.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters, with inner apostrophes and hyphens ("rally-goers", "organizers'"),
    /// and dotted initialisms ("u.s.", "a.m.").
    Word,
    /// Digits with thousands separators (",", a narrow or plain space before a group
    /// of three) and one decimal part.
    Number,
    /// Any other single character that is not white space.
    Punct,
}

/// One token: a byte range of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// True when the token's first character is an uppercase letter.
    pub capitalized: bool,
    /// White space separates this token from the previous one.
    pub space_before: bool,
    /// Line breaks between the previous token and this one (0, 1 or 2 for "more").
    pub newlines_before: u8,
    /// A word of ASCII letters only (no apostrophe, hyphen, dot or other script):
    /// `Doc` needs no second look at its bytes for a possessive or a hyphenated number.
    pub plain: bool,
}

/// Spaces that typesetters put inside numbers ("125 000") or between a number and
/// its unit: no-break, figure, thin and narrow no-break spaces.
pub fn is_number_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{2007}' | '\u{2009}' | '\u{202f}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// An ASCII letter: one comparison (the case bit set, then a range).
#[inline]
fn is_letter(b: u8) -> bool {
    (b | 0x20).wrapping_sub(b'a') < 26
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    tokenize_into(text, &mut tokens);
    tokens
}

/// `tokenize` into `tokens` (emptied first), reusing its allocation.
pub fn tokenize_into(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    // About one token per five bytes of prose; a quarter spares the regrowth of most
    // texts.
    tokens.reserve(text.len() / 4 + 1);
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut space_before = false;
    let mut newlines: u8 = 0;
    while let Some(&b) = bytes.get(i) {
        // Most frequent first, as plain comparisons: a `match` on a byte class compiles
        // to a jump table, whose indirect jump is mispredicted more often.
        let (end, kind, capitalized, plain) = if is_letter(b) {
            let (end, plain) = scan_word(text, i);
            (end, Kind::Word, b.is_ascii_uppercase(), plain)
        } else if b == b' ' {
            space_before = true;
            i += 1;
            continue;
        } else if b.is_ascii_digit() {
            if let Some(end) = joined_word(text, tokens.last(), i) {
                // "C4L": the word before goes on through the digits.
                if let Some(word) = tokens.last_mut() {
                    word.end = end;
                    word.plain = false;
                }
                i = end;
                continue;
            }
            (scan_number(text, i), Kind::Number, false, false)
        } else if b < 0x80 {
            if b == b'\n' {
                newlines = newlines.saturating_add(1);
            }
            if b.is_ascii_whitespace() {
                space_before = true;
                i += 1;
                continue;
            }
            (i + 1, Kind::Punct, false, false)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            if c.is_whitespace() {
                if c == '\u{2028}' || c == '\u{2029}' {
                    newlines = newlines.saturating_add(1);
                }
                space_before = true;
                i += c.len_utf8();
                continue;
            }
            // Digits of other scripts are kept as one punctuation-like token so
            // that they never parse as figures.
            if c.is_alphabetic() {
                (scan_word(text, i).0, Kind::Word, c.is_uppercase(), false)
            } else {
                (i + c.len_utf8(), Kind::Punct, c.is_uppercase(), false)
            }
        };
        tokens.push(Token {
            start: i,
            end,
            kind,
            capitalized,
            space_before,
            newlines_before: newlines.min(2),
            plain,
        });
        // The space after a token (most tokens have one) is passed here, not by a turn
        // of the loop.
        i = end;
        newlines = 0;
        space_before = bytes.get(i) == Some(&b' ');
        if space_before {
            i += 1;
        }
    }
}

fn count_digits(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count()
}

/// Scans digits with separators starting at `i` (a digit) and returns the end.
fn scan_number(text: &str, i: usize) -> usize {
    let bytes = text.as_bytes();
    let first = count_digits(bytes, i);
    let mut end = i + first;
    let mut grouped = false;
    while end < bytes.len() {
        let b = bytes[end];
        if b == b',' {
            if count_digits(bytes, end + 1) == 3 && (grouped || first <= 3) {
                end += 4;
                grouped = true;
                continue;
            }
            break;
        }
        if b == b'.' {
            let n = count_digits(bytes, end + 1);
            if n > 0 {
                end += 1 + n;
            }
            break;
        }
        // A space-like separator joins a following group of exactly three digits when
        // the figure so far looks like a thousands group ("125 000", "1 250 000"). A
        // plain space after a day of the month ("June 14 500 people") does not.
        let c = text[end..].chars().next().unwrap_or('x');
        if is_number_space(c) && (grouped || first <= 3) {
            let after = end + c.len_utf8();
            let n = count_digits(bytes, after);
            let continues = bytes
                .get(after + n)
                .is_some_and(|b| b.is_ascii_digit() || *b == b',' || *b == b'.')
                && bytes.get(after + n + 1).is_some_and(|b| b.is_ascii_digit());
            if n == 3 && !continues && !(c == ' ' && after_month(text, i)) {
                end = after + 3;
                grouped = true;
                continue;
            }
        }
        break;
    }
    end
}

/// True when the word before position `i` is a month name ("June 14").
fn after_month(text: &str, i: usize) -> bool {
    let before = text[..i].trim_end();
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_ascii_alphabetic() && *c != '.')
        .map_or(0, |(p, c)| p + c.len_utf8());
    let word = before[word_start..]
        .trim_end_matches('.')
        .to_ascii_lowercase();
    crate::lexicon::month_number(&word).is_some()
}

/// Letters and digits run together and ending in a letter are one word, a name
/// ("C4L", "B52s"), not a figure between two words; a run that ends in digits ("G7",
/// "I95") stays a word and a number, and a run led by a digit ("70K", "2020s") a number
/// and a word. Given the token before the digit at `i`, returns where the word that it
/// starts ends when it goes on through the digits (only a word of ASCII letters right
/// before the digit does).
fn joined_word(text: &str, before: Option<&Token>, i: usize) -> Option<usize> {
    let word = before.filter(|t| t.end == i && t.plain && t.kind == Kind::Word)?;
    let bytes = text.as_bytes();
    let run = i + bytes[i..]
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(bytes.len() - i);
    if !is_letter(bytes[run - 1]) {
        return None;
    }
    // An apostrophe, a hyphen or another script after the run: the word's usual end
    // ("C4L's").
    Some(
        if matches!(bytes.get(run), Some(b'\'' | b'-' | 0x80..=0xff)) {
            word_rest(text, word.start, run)
        } else {
            run
        },
    )
}

/// Scans a word starting at `i` (a letter) and returns its end, and whether the word
/// is ASCII letters only (`Token::plain`).
#[inline(always)]
fn scan_word(text: &str, i: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    // The ASCII letters from `i` (none when the word starts in another script).
    let j = letters_end(bytes, i);
    // Dotted initialisms: "U.S.", "a.m.", "D.C.", "N.Y.": one letter, then a period
    // (asked once the letters are scanned: most words run past their first letter).
    if j == i + 1 && bytes.get(j) == Some(&b'.') && i + 3 < bytes.len() {
        let mut j = i;
        while j + 1 < bytes.len() && bytes[j].is_ascii_alphabetic() && bytes[j + 1] == b'.' {
            j += 2;
            if j >= bytes.len() || !bytes[j].is_ascii_alphabetic() {
                break;
            }
            if j + 1 < bytes.len() && bytes[j + 1].is_ascii_alphabetic() {
                // "U.Saturday": not an initialism after all.
                break;
            }
        }
        if j >= i + 4 {
            return (j, false);
        }
    }
    // Fast path: a plain ASCII word ends at the first byte that is not a letter,
    // an apostrophe or a hyphen.
    if j >= bytes.len() || !matches!(bytes[j], b'\'' | b'-' | 0x80..=0xff) {
        return (j, true);
    }
    let end = word_rest(text, i, j);
    (end, end == j)
}

/// The end of the word that starts at `i`, from `j` on (the ASCII letters and digits
/// before `j` need no second look): letters of any script, and an inner apostrophe or
/// hyphen between letters, character by character.
fn word_rest(text: &str, i: usize, j: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = j;
    let mut end = j;
    while let Some(c) = char_at(text, at) {
        let len = c.len_utf8();
        if c.is_alphabetic() {
            at += len;
            end = at;
            continue;
        }
        if (is_apostrophe(c) || is_hyphen(c)) && at > i {
            if char_at(text, at + len).is_some_and(char::is_alphabetic) {
                at += len;
                end = at;
                continue;
            }
            // A trailing possessive apostrophe ("organizers'") belongs to the word.
            if is_apostrophe(c) && bytes[at - 1] == b's' {
                end = at + len;
            }
        }
        break;
    }
    end
}

/// The end of the run of ASCII letters that starts at `i`: eight bytes at a time
/// (a letter test on each byte of a `u64` at once), then byte by byte near the end of
/// the text.
#[inline]
fn letters_end(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let v = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        // Per byte (each below 0x80 once the high bits are masked, so no carry crosses
        // a byte): the high bit of `ge_a` is set when the byte, case folded, is at
        // least 'a', that of `gt_z` when it is past 'z'.
        let folded = (v | (0x20 * ONES)) & !HIGH;
        let ge_a = folded + (0x80 - u64::from(b'a')) * ONES;
        let gt_z = folded + (0x7f - u64::from(b'z')) * ONES;
        let letter = ge_a & !gt_z & !v & HIGH;
        let other = !letter & HIGH;
        if other != 0 {
            return i + (other.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + bytes[i..]
        .iter()
        .position(|&b| !is_letter(b))
        .unwrap_or(bytes.len() - i)
}

/// The character that starts at byte `at` of `text` (a char boundary), if any.
#[inline]
fn char_at(text: &str, at: usize) -> Option<char> {
    match text.as_bytes().get(at) {
        Some(&b) if b < 0x80 => Some(char::from(b)),
        Some(_) => text.get(at..)?.chars().next(),
        None => None,
    }
}

/// Words that end in a period without ending a sentence: titles, months, days,
/// street words, single initials and AP state abbreviations ("Calif.", from
/// `tally_model`, their one home).
pub fn is_abbreviation(lower_word: &str) -> bool {
    is_title_or_initial(lower_word) || is_ap_abbreviation(lower_word)
}

/// `StateCode::from_ap_abbreviation(w).is_some()`, with most words turned away by
/// their first two bytes: the sentence splitter asks it of every short word before a
/// period. A word that begins with two lowercase ASCII letters has them as the first
/// two bytes of its key there (which only drops white space and trailing periods), so
/// it can be an abbreviation only if some abbreviation begins with them too (a bit per
/// pair, built once from `StateCode::ap_abbreviations`); any other word is asked of
/// `tally_model`.
fn is_ap_abbreviation(w: &str) -> bool {
    static PAIRS: std::sync::OnceLock<[u32; 26]> = std::sync::OnceLock::new();
    if let [first @ b'a'..=b'z', second @ b'a'..=b'z', ..] = *w.as_bytes() {
        let pairs = PAIRS.get_or_init(|| {
            let mut pairs = [0u32; 26];
            for (key, _) in tally_model::StateCode::ap_abbreviations() {
                if let [a @ b'a'..=b'z', b @ b'a'..=b'z', ..] = *key.as_bytes() {
                    pairs[usize::from(a - b'a')] |= 1 << (b - b'a');
                }
            }
            pairs
        });
        if pairs[usize::from(first - b'a')] & 1 << (second - b'a') == 0 {
            return false;
        }
    }
    tally_model::StateCode::from_ap_abbreviation(w).is_some()
}

pub(crate) fn is_title_or_initial(lower_word: &str) -> bool {
    matches!(
        lower_word,
        "st" | "mr"
            | "mrs"
            | "ms"
            | "dr"
            | "gov"
            | "sen"
            | "rep"
            | "gen"
            | "lt"
            | "sgt"
            | "col"
            | "capt"
            | "cmdr"
            | "adm"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
            | "ave"
            | "blvd"
            | "rd"
            | "no"
            | "vs"
            | "jr"
            | "sr"
            | "inc"
            | "co"
            | "corp"
            | "ft"
            | "mt"
            | "pres"
            | "supt"
            | "prof"
            | "rev"
            | "approx"
            | "est"
            | "sat"
            | "sun"
            | "mon"
            | "tue"
            | "tues"
            | "wed"
            | "thu"
            | "thur"
            | "thurs"
            | "fri"
            | "e"
            | "w"
            | "n"
            | "s"
            | "a"
            | "b"
            | "c"
            | "d"
            | "f"
            | "g"
            | "h"
            | "j"
            | "k"
            | "l"
            | "m"
            | "p"
            | "r"
            | "t"
            | "u"
            | "v"
            | "x"
            | "y"
            | "z"
    )
}

/// Token index ranges of sentences. A period, question or exclamation mark ends a
/// sentence unless it follows an abbreviation or the next word starts in lowercase;
/// a blank line always ends one, and a single line break ends one before a
/// capitalized word (headlines have no final period).
#[cfg(test)]
pub fn sentences(text: &str, lower: &str, tokens: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    sentences_into(text, lower, tokens, &mut out);
    out
}

/// `sentences` into `out` (emptied first), reusing its allocation.
pub fn sentences_into(text: &str, lower: &str, tokens: &[Token], out: &mut Vec<(usize, usize)>) {
    // Token texts are compared as bytes: a `str` slice would check char boundaries on
    // every token, and every punctuation token is one character.
    let bytes = text.as_bytes();
    out.clear();
    out.reserve(tokens.len() / 16 + 1);
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        if i > start && t.newlines_before > 0 {
            let prev = &tokens[i - 1];
            let prev_text = &bytes[prev.start..prev.end];
            let joins = prev_text == b","
                || prev.kind == Kind::Punct
                    && matches!(prev_text, b"-" | b"\xe2\x80\x90" | b"\xe2\x80\x91");
            if t.newlines_before >= 2 || (t.capitalized && !joins) {
                out.push((start, i));
                start = i;
            }
        }
        if t.kind == Kind::Punct && t.end == t.start + 1 {
            let c = bytes[t.start];
            if c == b'.' || c == b'!' || c == b'?' {
                // No title, initial or AP abbreviation is longer than six bytes
                // ("approx"; a word token ends in at most one dot): longer words are
                // not looked up.
                let abbreviation = c == b'.'
                    && i > 0
                    && tokens[i - 1].kind == Kind::Word
                    && tokens[i - 1].end == t.start
                    && tokens[i - 1].end - tokens[i - 1].start <= 6
                    && is_abbreviation(&lower[tokens[i - 1].start..tokens[i - 1].end]);
                let next_lower = tokens[i + 1..]
                    .iter()
                    .find(|n| n.kind != Kind::Punct)
                    .is_some_and(|n| {
                        n.kind == Kind::Word && !n.capitalized && n.newlines_before == 0
                    });
                // "300-325...Thousand": an ellipsis inside a figure ends no sentence.
                let in_figure = c == b'.' && figure_ellipsis(lower, tokens, i);
                if !(abbreviation || next_lower || in_figure) {
                    out.push((start, i + 1));
                    start = i + 1;
                }
            }
        }
    }
    if start < tokens.len() {
        out.push((start, tokens.len()));
    }
}

/// The point at `i` is part of an ellipsis (two or more points run together) between a
/// figure and a multiplier word: "300-325...Thousand", "325... million" is one figure.
fn figure_ellipsis(lower: &str, tokens: &[Token], i: usize) -> bool {
    let dot =
        |k: usize| tokens[k].kind == Kind::Punct && &lower[tokens[k].start..tokens[k].end] == ".";
    let mut first = i;
    while first > 0 && dot(first - 1) && tokens[first - 1].end == tokens[first].start {
        first -= 1;
    }
    let mut last = i;
    while last + 1 < tokens.len() && dot(last + 1) && tokens[last].end == tokens[last + 1].start {
        last += 1;
    }
    last > first
        && first > 0
        && tokens[first - 1].kind == Kind::Number
        && tokens.get(last + 1).is_some_and(|n| {
            n.kind == Kind::Word
                && matches!(&lower[n.start..n.end], "thousand" | "million" | "billion")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text)
            .into_iter()
            .map(|t| &text[t.start..t.end])
            .collect()
    }

    #[test]
    fn numbers_keep_their_separators() {
        assert_eq!(
            words("about 125 000 people, 7,000 and 1.5M"),
            ["about", "125 000", "people", ",", "7,000", "and", "1.5", "M"]
        );
        assert_eq!(words("3-4,000"), ["3", "-", "4,000"]);
        assert_eq!(
            words("12\u{202f}500 marchers"),
            ["12\u{202f}500", "marchers"]
        );
        assert_eq!(words("in 2025 100 people"), ["in", "2025", "100", "people"]);
        assert_eq!(words("1,2345"), ["1", ",", "2345"]);
    }

    #[test]
    fn words_keep_inner_hyphens_and_initialisms() {
        assert_eq!(
            words("rally-goers in the U.S. at 3 p.m. organizers' count"),
            [
                "rally-goers",
                "in",
                "the",
                "U.S.",
                "at",
                "3",
                "p.m.",
                "organizers'",
                "count"
            ]
        );
        assert_eq!(words("twenty\u{2011}five"), ["twenty\u{2011}five"]);
    }

    #[test]
    fn letters_end_eight_at_a_time_is_the_byte_scan() {
        // Every byte value beside letters, at every position of a run of up to 20
        // bytes: the word-at-a-time test must stop where the byte loop stops.
        let naive = |b: &[u8], i: usize| i + b[i..].iter().take_while(|&&c| is_letter(c)).count();
        for stop in 0..=255u8 {
            for len in 0..20 {
                let mut b: Vec<u8> = (0..len).map(|k| b"aZqMz"[k % 5]).collect();
                for at in 0..=len {
                    let mut v = b.clone();
                    v.insert(at, stop);
                    v.extend_from_slice(b"abc");
                    assert_eq!(letters_end(&v, 0), naive(&v, 0), "{v:?}");
                }
                b.push(stop);
                assert_eq!(letters_end(&b, 0), naive(&b, 0), "{b:?}");
            }
        }
    }

    #[test]
    fn plain_words_are_ascii_letters_only() {
        let text = "Rally-goers, U.S. organizers' caf\u{e9} don't marchers";
        let plain: Vec<(&str, bool)> = tokenize(text)
            .into_iter()
            .filter(|t| t.kind == Kind::Word)
            .map(|t| (&text[t.start..t.end], t.plain))
            .collect();
        assert_eq!(
            plain,
            [
                ("Rally-goers", false),
                ("U.S.", false),
                ("organizers'", false),
                ("caf\u{e9}", false),
                ("don't", false),
                ("marchers", true)
            ]
        );
    }

    #[test]
    fn issue_9_letters_and_digits_run_together_are_one_word() {
        // A group's initials with a digit ("C4L put the count at ...") are one word,
        // its name; a word that ends in digits and every figure read as before.
        let text = "C4L and B52s put it at 4,000, 1K or 70K in the 2020s, the 15th of \
                    100s on U.S. 290, I-95, G7 and 6400 Alondra Blvd at 11:30 (C4L's)";
        let tokens = tokenize(text);
        let kinds: Vec<(&str, Kind)> = tokens
            .iter()
            .filter(|t| t.kind != Kind::Punct)
            .map(|t| (&text[t.start..t.end], t.kind))
            .collect();
        let (w, n) = (Kind::Word, Kind::Number);
        assert_eq!(
            kinds,
            [
                ("C4L", w),
                ("and", w),
                ("B52s", w),
                ("put", w),
                ("it", w),
                ("at", w),
                ("4,000", n),
                ("1", n),
                ("K", w),
                ("or", w),
                ("70", n),
                ("K", w),
                ("in", w),
                ("the", w),
                ("2020", n),
                ("s", w),
                ("the", w),
                ("15", n),
                ("th", w),
                ("of", w),
                ("100", n),
                ("s", w),
                ("on", w),
                ("U.S.", w),
                ("290", n),
                ("I", w),
                ("95", n),
                ("G", w),
                ("7", n),
                ("and", w),
                ("6400", n),
                ("Alondra", w),
                ("Blvd", w),
                ("at", w),
                ("11", n),
                ("30", n),
                ("C4L's", w),
            ]
        );
        // Not plain: `Doc` looks at its bytes again.
        assert!(!tokens[0].plain && tokens[0].capitalized);
    }

    #[test]
    fn abbreviations_are_at_most_six_bytes() {
        // `sentences` does not look up a word longer than six bytes.
        assert!(is_abbreviation("approx") && is_abbreviation("thurs"));
        // The pair filter in front of the AP table turns no abbreviation away.
        for (key, _) in tally_model::StateCode::ap_abbreviations() {
            assert!(is_ap_abbreviation(key), "{key}");
        }
        let short = (b'a'..=b'z').flat_map(|a| {
            (b'a'..=b'z').flat_map(move |b| {
                (b'`'..=b'z').map(move |c| {
                    let w = [a, b, c];
                    String::from_utf8_lossy(if c == b'`' { &w[..2] } else { &w }).into_owned()
                })
            })
        });
        let words = [
            "calif", "tenn", "wash", "people", "rally", "n.y", "colo", "x", "",
        ];
        for w in short.chain(words.iter().map(|w| w.to_string())) {
            let w = w.as_str();
            assert_eq!(
                is_ap_abbreviation(w),
                tally_model::StateCode::from_ap_abbreviation(w).is_some(),
                "{w}"
            );
        }
        for (ap, _) in tally_model::StateCode::ap_abbreviations() {
            assert!(ap.len() <= 6, "{ap}");
        }
        let text = "Gov. Ruiz spoke. Approx. 500 came to Calif. on Sunday. They left.";
        let lower = text.to_ascii_lowercase();
        assert_eq!(sentences(text, &lower, &tokenize(text)).len(), 3);
    }

    #[test]
    fn sentences_skip_abbreviations() {
        let text = "Police in Springfield, Ill. said 500 came. Organizers said more.";
        let lower = text.to_ascii_lowercase();
        let tokens = tokenize(text);
        let s = sentences(text, &lower, &tokens);
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn sentences_go_on_through_an_ellipsis_inside_a_figure() {
        let text = "The crowd was 300-325...Thousand. Then it rained... Thousands left.";
        let lower = text.to_ascii_lowercase();
        let tokens = tokenize(text);
        let s = sentences(text, &lower, &tokens);
        let starts: Vec<&str> = s
            .iter()
            .map(|&(a, _)| &text[tokens[a].start..tokens[a].end])
            .collect();
        assert_eq!(starts[..2], ["The", "Then"]);
        assert!(starts.len() >= 3, "{starts:?}");
    }
}
