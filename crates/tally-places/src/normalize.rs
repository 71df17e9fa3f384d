//! Text normalization: the one function that turns both gazetteer names and messy
//! input into comparable keys ("St. Paul" and "saint paul" give the same key).
//!
//! A key is lowercase ASCII words separated by single spaces. Accents are dropped,
//! apostrophes vanish ("O'Fallon" → "ofallon"), other punctuation separates words,
//! and common abbreviations are spelled out (St. → saint, Mt. → mount, Ft. → fort,
//! Twp. → township). Runs of single letters join ("D.C." → "dc"). Words that are
//! also state codes ("CO", "MT" at the end) are left alone for the state parser.

/// Folds one character to lowercase ASCII. `None` drops the character (apostrophes
/// and marks); a space separates words.
fn fold_char(c: char) -> Option<char> {
    if c.is_ascii_alphanumeric() {
        return Some(c.to_ascii_lowercase());
    }
    let folded = match c {
        '\'' | '`' | '\u{2018}' | '\u{2019}' | '\u{02bb}' | '\u{02bc}' | '\u{00b4}' => return None,
        'à'..='å' | 'À'..='Å' | 'ā' | 'Ā' | 'ă' | 'Ă' | 'ą' | 'Ą' => 'a',
        'ç' | 'Ç' | 'ć' | 'č' | 'Č' => 'c',
        'è'..='ë' | 'È'..='Ë' | 'ē' | 'Ē' | 'ę' | 'ě' => 'e',
        'ì'..='ï' | 'Ì'..='Ï' | 'ī' | 'Ī' => 'i',
        'ñ' | 'Ñ' | 'ń' => 'n',
        'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' | 'ō' | 'Ō' => 'o',
        'ù'..='ü' | 'Ù'..='Ü' | 'ū' | 'Ū' | 'ů' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ß' => 's',
        'š' | 'Š' => 's',
        'ž' | 'Ž' => 'z',
        _ => ' ',
    };
    Some(folded)
}

/// Spelled-out forms of abbreviations found anywhere in a place name.
fn expand_word(word: &str) -> &str {
    match word {
        "st" | "saint" => "saint",
        "ste" => "sainte",
        "mt" | "mnt" => "mount",
        "mtn" => "mountain",
        "ft" => "fort",
        "twp" | "twsp" | "townshp" => "township",
        "hts" | "hgts" => "heights",
        "pt" => "point",
        "spgs" | "spg" => "springs",
        "jct" => "junction",
        "ctr" => "center",
        "bch" => "beach",
        "vlg" => "village",
        "lk" => "lake",
        "isl" => "island",
        "hbr" => "harbor",
        "vly" => "valley",
        "cty" => "city",
        "cnty" => "county",
        "and" | "&" => "and",
        other => other,
    }
}

/// Directions abbreviated at the start of a name ("N. Charleston", "W Palm Beach").
fn expand_direction(word: &str) -> Option<&'static str> {
    match word {
        "n" => Some("north"),
        "s" => Some("south"),
        "e" => Some("east"),
        "w" => Some("west"),
        _ => None,
    }
}

/// True for a one-letter word.
fn is_initial(word: &str) -> bool {
    word.len() == 1 && word.as_bytes()[0].is_ascii_alphabetic()
}

/// The normalized key of a place name or of a piece of input.
pub fn normalize(text: &str) -> String {
    let mut folded = String::with_capacity(text.len() + 4);
    if text.is_ascii() {
        // Most text is ASCII: fold bytes without decoding characters.
        for b in text.bytes() {
            match b {
                b'a'..=b'z' | b'0'..=b'9' => folded.push(b as char),
                b'A'..=b'Z' => folded.push(b.to_ascii_lowercase() as char),
                b'\'' | b'`' => {}
                b'&' => folded.push_str(" and "),
                _ => folded.push(' '),
            }
        }
    } else {
        for c in text.chars() {
            if c == '&' {
                folded.push_str(" and ");
            } else if let Some(f) = fold_char(c) {
                folded.push(f);
            }
        }
    }
    let mut out = String::with_capacity(folded.len() + 8);
    let mut words = folded.split_ascii_whitespace().peekable();
    let mut first = true;
    while let Some(word) = words.next() {
        if !out.is_empty() {
            out.push(' ');
        }
        let next = words.peek().copied();
        if is_initial(word) && next.is_some_and(is_initial) {
            // A run of initials: "d c" → "dc", "u s a" → "usa".
            out.push_str(word);
            while let Some(initial) = words.next_if(|w| is_initial(w)) {
                out.push_str(initial);
            }
        } else if first && is_initial(word) && next.is_some() {
            match expand_direction(word) {
                Some(direction) => out.push_str(direction),
                None => out.push_str(word),
            }
        } else if word == "mt" && next.is_none() {
            // "Mt" is "mount" only in front of a name; alone or last it is Montana.
            out.push_str(word);
        } else {
            out.push_str(expand_word(word));
        }
        first = false;
    }
    out
}

/// The key without its spaces, to match "Mc Allen" with "McAllen" and "De Kalb" with
/// "DeKalb".
pub fn squash(key: &str) -> String {
    key.chars().filter(|c| *c != ' ').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_and_punctuation_normalize_alike() {
        assert_eq!(normalize("St. Paul"), "saint paul");
        assert_eq!(normalize("Saint  Paul"), "saint paul");
        assert_eq!(normalize("Mt. Vernon"), normalize("Mount Vernon"));
        assert_eq!(normalize("Ft Worth"), "fort worth");
        assert_eq!(normalize("Washington, D.C."), "washington dc");
        assert_eq!(normalize("O'Fallon"), "ofallon");
        assert_eq!(normalize("Hagåtña"), "hagatna");
        assert_eq!(normalize("Ta`ū"), "tau");
        assert_eq!(normalize("N. Charleston"), "north charleston");
        assert_eq!(normalize("Door Co."), "door co");
        assert_eq!(normalize("MT"), "mt");
        assert_eq!(normalize("Helena MT"), "helena mt");
        assert_eq!(normalize("Cheltenham Twp."), "cheltenham township");
        assert_eq!(normalize("Winston-Salem"), "winston salem");
        assert_eq!(normalize("  "), "");
        assert_eq!(squash("mc allen"), "mcallen");
    }
}
