//! A small parser for the quantities in claims: figures ("250,000", "4.8 million",
//! "5k"), words ("one million", "half a million", "twenty-five hundred"), ranges
//! ("between 2 and 4.8 million", "2-4.8 million") and vague amounts ("tens of
//! thousands"), each with the qualifier that bounds it ("over", "fewer than", "about").
//!
//! It is kept small on purpose: claims are short sentences about crowds and places, not
//! articles (the extraction crate has the full phrase parser for those).

/// A word or a figure, with its byte span in the text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    /// A figure as written, with the digits after its decimal point (for rounding).
    Number {
        value: f64,
        decimals: u32,
    },
    Word(String),
    /// Punctuation that matters: `-`, `–`, `,`, `.`, `+`, `"`.
    Mark(char),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spanned {
    pub token: Token,
    pub start: usize,
    pub end: usize,
    /// True when the word starts with a capital letter in the text.
    pub capitalized: bool,
}

/// Splits a claim into words, figures and marks. "5k" and "2.5M" split into a figure and
/// a word; thousands separators are kept inside figures.
pub(crate) fn tokenize(text: &str) -> Vec<Spanned> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_ascii_digit() {
            let mut j = i;
            let mut digits = String::new();
            let mut decimals = 0u32;
            let mut seen_point = false;
            while j < chars.len() {
                let ch = chars[j].1;
                if ch.is_ascii_digit() {
                    digits.push(ch);
                    if seen_point {
                        decimals += 1;
                    }
                    j += 1;
                } else if ch == ',' && !seen_point && is_thousands_group(&chars[j + 1..]) {
                    j += 1;
                } else if ch == '.'
                    && !seen_point
                    && chars.get(j + 1).is_some_and(|(_, d)| d.is_ascii_digit())
                {
                    seen_point = true;
                    digits.push('.');
                    j += 1;
                } else {
                    break;
                }
            }
            let end = chars.get(j).map_or(text.len(), |(b, _)| *b);
            out.push(Spanned {
                token: Token::Number {
                    value: digits.parse().unwrap_or(0.0),
                    decimals,
                },
                start,
                end,
                capitalized: false,
            });
            i = j;
        } else if c.is_alphabetic() || c == '\'' || c == '’' {
            let mut j = i;
            while j < chars.len()
                && (chars[j].1.is_alphanumeric() || chars[j].1 == '\'' || chars[j].1 == '’')
            {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |(b, _)| *b);
            let word = &text[start..end];
            out.push(Spanned {
                token: Token::Word(word.to_lowercase().replace('’', "'")),
                start,
                end,
                capitalized: c.is_uppercase(),
            });
            i = j;
        } else {
            if matches!(
                c,
                '-' | '–' | '—' | ',' | '.' | '+' | '"' | '“' | '”' | '~' | ';'
            ) {
                let mark = match c {
                    '–' | '—' => '-',
                    '“' | '”' => '"',
                    other => other,
                };
                out.push(Spanned {
                    token: Token::Mark(mark),
                    start,
                    end: start + c.len_utf8(),
                    capitalized: false,
                });
            }
            i += 1;
        }
    }
    out
}

/// True when the characters after a comma are exactly three digits: "250,000" but not
/// "1,2" or "12,3456".
fn is_thousands_group(rest: &[(usize, char)]) -> bool {
    rest.len() >= 3
        && rest[..3].iter().all(|(_, d)| d.is_ascii_digit())
        && rest.get(3).is_none_or_not(|c| c.is_ascii_digit())
}

trait NoneOrNot {
    fn is_none_or_not(&self, test: impl Fn(char) -> bool) -> bool;
}

impl NoneOrNot for Option<&(usize, char)> {
    fn is_none_or_not(&self, test: impl Fn(char) -> bool) -> bool {
        match self {
            None => true,
            Some((_, c)) => !test(*c),
        }
    }
}

pub(crate) fn multiplier(word: &str) -> Option<f64> {
    Some(match word {
        "hundred" => 1e2,
        "thousand" | "k" => 1e3,
        "million" | "m" | "mn" | "mil" | "millions" => 1e6,
        "billion" | "bn" | "b" => 1e9,
        _ => return None,
    })
}

pub(crate) fn small_number_word(word: &str) -> Option<f64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = UNITS.iter().position(|u| *u == word) {
        return Some(i as f64);
    }
    if let Some(i) = TENS.iter().position(|t| *t == word) {
        return Some((i as f64 + 2.0) * 10.0);
    }
    match word {
        "dozen" => Some(12.0),
        _ => None,
    }
}

/// A quantity read from the text: the value and how precisely it was stated.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Quantity {
    pub value: f64,
    /// Half a unit of the last stated digit ("5 million" → 500,000; "4.8 million" →
    /// 50,000; "250,000" → 5,000): the rounding a bare figure implies.
    pub rounding: f64,
    /// Tokens consumed.
    pub len: usize,
}

/// Half a unit of the last non-zero digit of an integer value scaled by `scale`.
fn rounding_of(value: f64, decimals: u32, scale: f64) -> f64 {
    if decimals > 0 {
        return 0.5 * 10f64.powi(-(decimals as i32)) * scale;
    }
    let mut unit = 1.0;
    let mut v = value.round() as u64;
    while v > 0 && v % 10 == 0 {
        v /= 10;
        unit *= 10.0;
    }
    0.5 * unit * scale
}

/// Reads a quantity at `tokens[at..]`: a figure with an optional multiplier, or number
/// words ("two million", "half a million", "a dozen", "twenty-five hundred").
pub(crate) fn read_quantity(tokens: &[Spanned], at: usize) -> Option<Quantity> {
    let word = |i: usize| match tokens.get(i).map(|t| &t.token) {
        Some(Token::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    match &tokens.get(at)?.token {
        Token::Number { value, decimals } => {
            let mut len = 1;
            let mut scale = 1.0;
            // "5 million", "5k", "1.5 million", "5 thousand"; and "2 1/2" is not handled.
            while let Some(m) = word(at + len).and_then(multiplier) {
                scale *= m;
                len += 1;
            }
            Some(Quantity {
                value: value * scale,
                rounding: rounding_of(*value, *decimals, scale),
                len,
            })
        }
        Token::Word(w) => {
            let w = w.as_str();
            if w == "half" && word(at + 1) == Some("a") {
                let m = word(at + 2).and_then(multiplier)?;
                return Some(Quantity {
                    value: 0.5 * m,
                    rounding: 0.05 * m,
                    len: 3,
                });
            }
            if (w == "a" || w == "an")
                && word(at + 1).is_some_and(|n| multiplier(n).is_some() || n == "dozen")
            {
                let next = word(at + 1).unwrap_or("");
                let value = multiplier(next).unwrap_or(12.0);
                let mut len = 2;
                let mut value = value;
                // "a hundred thousand".
                while let Some(m) = word(at + len).and_then(multiplier) {
                    value *= m;
                    len += 1;
                }
                return Some(Quantity {
                    value,
                    rounding: value * 0.05,
                    len,
                });
            }
            let first = small_number_word(w)?;
            if w == "dozen" {
                return None;
            }
            let mut value = first;
            let mut len = 1;
            // "twenty-five", "twenty five".
            if first >= 20.0 {
                let mut k = at + 1;
                if matches!(tokens.get(k).map(|t| &t.token), Some(Token::Mark('-'))) {
                    k += 1;
                }
                if let Some(unit) = word(k)
                    .and_then(small_number_word)
                    .filter(|u| *u < 10.0 && *u > 0.0)
                {
                    value += unit;
                    len = k - at + 1;
                }
            }
            let mut scale = 1.0;
            while let Some(m) = word(at + len).and_then(multiplier) {
                scale *= m;
                len += 1;
            }
            if value == 0.0 || (len == 1 && value < 2.0 && w == "one") {
                // "one" alone is more often a pronoun than a crowd ("one of the largest").
                if scale == 1.0 {
                    return None;
                }
            }
            Some(Quantity {
                value: value * scale,
                rounding: rounding_of(value, 0, scale),
                len,
            })
        }
        Token::Mark(_) => None,
    }
}

/// Vague amounts, as ranges: the low end is the DESIGN.md coding (the conservative
/// reading), the high end the largest value the words allow.
pub(crate) fn read_vague(tokens: &[Spanned], at: usize) -> Option<(f64, f64, usize)> {
    let word = |i: usize| match tokens.get(i).map(|t| &t.token) {
        Some(Token::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    let mut i = at;
    // "a few thousand", "several hundred", "many thousands".
    if matches!(word(i), Some("a")) && matches!(word(i + 1), Some("few")) {
        i += 2;
    } else if matches!(word(i), Some("several" | "many" | "some")) {
        i += 1;
    }
    let ranges: [(&[&str], f64, f64); 9] = [
        (&["hundreds", "of", "thousands"], 200_000.0, 999_999.0),
        (&["tens", "of", "thousands"], 20_000.0, 99_999.0),
        (&["tens", "of", "millions"], 20_000_000.0, 99_999_999.0),
        (&["millions"], 2_000_000.0, 9_999_999.0),
        (&["thousands"], 2_000.0, 9_999.0),
        (&["thousand"], 2_000.0, 9_999.0),
        (&["hundreds"], 200.0, 999.0),
        (&["hundred"], 200.0, 999.0),
        (&["dozens"], 24.0, 99.0),
    ];
    for (words, low, high) in ranges {
        if words
            .iter()
            .enumerate()
            .all(|(k, w)| word(i + k) == Some(*w))
        {
            // "several hundred" and "a few thousand" need the prefix; bare "hundred" is not vague.
            if (words == ["thousand"] || words == ["hundred"]) && i == at {
                continue;
            }
            return Some((low, high, i - at + words.len()));
        }
    }
    if matches!(word(at), Some("a")) && matches!(word(at + 1), Some("handful")) {
        return Some((3.0, 9.0, 2));
    }
    if matches!(word(at), Some("scores")) {
        return Some((40.0, 99.0, 1));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Option<(f64, f64)> {
        let tokens = tokenize(text);
        read_quantity(&tokens, 0).map(|q| (q.value, q.rounding))
    }

    #[test]
    fn figures_and_multipliers() {
        assert_eq!(q("250,000"), Some((250_000.0, 5_000.0)));
        assert_eq!(q("4.8 million"), Some((4_800_000.0, 50_000.0)));
        assert_eq!(q("5 million"), Some((5_000_000.0, 500_000.0)));
        assert_eq!(q("5k"), Some((5_000.0, 500.0)));
        assert_eq!(q("2,100"), Some((2_100.0, 50.0)));
        assert_eq!(q("half a million").map(|x| x.0), Some(500_000.0));
        assert_eq!(q("one million").map(|x| x.0), Some(1_000_000.0));
        assert_eq!(q("twenty-five hundred").map(|x| x.0), Some(2_500.0));
        assert_eq!(q("a dozen").map(|x| x.0), Some(12.0));
        assert_eq!(q("one"), None);
        assert_eq!(q("1,2"), Some((1.0, 0.5)));
    }

    #[test]
    fn vague_amounts() {
        let t = tokenize("tens of thousands marched");
        assert_eq!(read_vague(&t, 0), Some((20_000.0, 99_999.0, 3)));
        let t = tokenize("a few thousand people");
        assert_eq!(read_vague(&t, 0), Some((2_000.0, 9_999.0, 3)));
        let t = tokenize("thousands");
        assert_eq!(read_vague(&t, 0).map(|v| v.0), Some(2_000.0));
        assert_eq!(read_vague(&tokenize("hundred people"), 0), None);
    }
}
