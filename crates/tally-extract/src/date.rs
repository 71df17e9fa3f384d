//! When a gathering was: explicit dates ("June 14", "June 14, 2025", "6/14/2025",
//! "2025-06-14") and relative days ("on Saturday", "yesterday") resolved against the
//! publication date.

use crate::lexicon;
use crate::number::{self, Doc};
use crate::token::Kind;
use chrono::{Datelike, Duration, NaiveDate};
use tally_model::Date;

/// A date named in the text, at token `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    pub at: usize,
    /// Token index one past the mention.
    pub end: usize,
    pub date: Option<Date>,
    /// True for relative days that needed the publication date.
    pub relative: bool,
    /// A year naming an earlier gathering, with no day ("rivaling a 1982 antinuclear
    /// rally"): its number is no figure, and the gathering's year is this (`date` is
    /// `None`).
    pub year: Option<i32>,
}

fn number_at(doc: &Doc, i: usize) -> Option<u32> {
    if doc.kind(i) != Some(Kind::Number) {
        return None;
    }
    doc.raw(i).parse().ok()
}

/// The year of a month and day with no year: the publication year, or the one before
/// when that would put the day well after publication.
fn infer_year(month: u32, day: u32, published: Option<Date>) -> Option<Date> {
    let published = published?;
    let this_year = NaiveDate::from_ymd_opt(published.year(), month, day)?;
    if this_year > published + Duration::days(14) {
        NaiveDate::from_ymd_opt(published.year() - 1, month, day)
    } else {
        Some(this_year)
    }
}

/// Every date mention in the text, in text order (callers search it by position).
pub fn find_dates(doc: &Doc, published: Option<Date>) -> Vec<DateMention> {
    let mut out = Vec::new();
    let n = doc.tokens.len();
    let mut i = 0;
    while i < n {
        // Punctuation never starts a date, and a word only when it is a month or day
        // name, "today", "last" and the like: one flag test for nearly every token.
        if !number::may_start_date(doc, i) {
            i += 1;
            continue;
        }
        let t = doc.tokens[i];
        let w = doc.word(i);
        // Month and day names count only capitalized; skip the rest fast.
        let month = if t.capitalized {
            lexicon::month_number(w.trim_end_matches('.'))
        } else {
            None
        };
        if let Some(month) = month {
            // "May" and "March" are also words: require a day number right after.
            let mut k = i + 1;
            if doc.raw(k) == "." {
                k += 1;
            }
            if let Some(day) = number_at(doc, k).filter(|d| (1..=31).contains(d)) {
                let capitalized = doc.tokens[i].capitalized;
                if capitalized {
                    let mut end = k + 1;
                    if doc.adjacent(end) && matches!(doc.word(end), "st" | "nd" | "rd" | "th") {
                        end += 1;
                    }
                    let mut year = None;
                    if doc.raw(end) == "," {
                        if let Some(y) =
                            number_at(doc, end + 1).filter(|y| (1900..2200).contains(y))
                        {
                            year = Some(y as i32);
                            end += 2;
                        }
                    } else if let Some(y) = number_at(doc, end).filter(|y| (1900..2200).contains(y))
                    {
                        year = Some(y as i32);
                        end += 1;
                    }
                    let date = match year {
                        Some(y) => NaiveDate::from_ymd_opt(y, month, day),
                        None => infer_year(month, day, published),
                    };
                    out.push(DateMention {
                        at: i,
                        end,
                        date,
                        relative: year.is_none(),
                        year: None,
                    });
                    i = end;
                    continue;
                }
            }
        }
        // The figure of a number token, parsed once for the numeric forms below.
        let figure = if t.kind == Kind::Number {
            number_at(doc, i)
        } else {
            None
        };
        // "6/14/2025" and "6/14".
        if let Some(m) = figure.filter(|m| (1..=12).contains(m)) {
            if doc.raw(i + 1) == "/" && doc.adjacent(i + 1) && doc.adjacent(i + 2) {
                if let Some(d) = number_at(doc, i + 2).filter(|d| (1..=31).contains(d)) {
                    let (date, end) = if doc.raw(i + 3) == "/" && doc.adjacent(i + 3) {
                        let y = number_at(doc, i + 4).map(|y| if y < 100 { y + 2000 } else { y });
                        (
                            y.and_then(|y| NaiveDate::from_ymd_opt(y as i32, m, d)),
                            i + 5,
                        )
                    } else {
                        (infer_year(m, d, published), i + 3)
                    };
                    out.push(DateMention {
                        at: i,
                        end,
                        date,
                        relative: false,
                        year: None,
                    });
                    i = end;
                    continue;
                }
            }
        }
        // "2025-06-14".
        if let Some(y) = figure.filter(|y| (1900..2200).contains(y)) {
            if doc.is_dash(i + 1) && doc.adjacent(i + 1) && doc.is_dash(i + 3) {
                if let (Some(m), Some(d)) = (number_at(doc, i + 2), number_at(doc, i + 4)) {
                    if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                        out.push(DateMention {
                            at: i,
                            end: i + 5,
                            date: Some(date),
                            relative: false,
                            year: None,
                        });
                        i += 5;
                        continue;
                    }
                }
            }
        }
        // "since a 2006 rally for immigration reform", "rivaling a 1982 antinuclear
        // rally", "the 2017 march": a year after an article and before a gathering
        // noun (at most two words between) names a gathering's year. ("The 2000 march
        // participants" are people.)
        if let Some(y) = figure.filter(|y| (1900..=2100).contains(y)) {
            if doc.raw(i).len() == 4
                && matches!(
                    doc.word(i.wrapping_sub(1)),
                    "a" | "an" | "the" | "that" | "its"
                )
            {
                // ("a 2000 person rally", "a 1500 strong march" are sizes.)
                let names_gathering = (i + 1..(i + 4).min(n))
                    .take_while(|&k| {
                        doc.kind(k) == Some(Kind::Word)
                            && !matches!(doc.word(k), "person" | "people" | "strong" | "member")
                    })
                    .find(|&k| lexicon::gathering_noun(doc.word(k)))
                    .is_some_and(|k| {
                        let next = doc.word(k + 1);
                        lexicon::crowd_noun(next).is_none()
                            && !lexicon::person_like(next)
                            && !lexicon::negative_noun(next)
                    });
                if names_gathering {
                    out.push(DateMention {
                        at: i,
                        end: i + 1,
                        date: None,
                        relative: false,
                        year: Some(y as i32),
                    });
                    i += 1;
                    continue;
                }
            }
        }
        if t.kind != Kind::Word {
            i += 1;
            continue;
        }
        // Relative days.
        let relative = match w {
            "today" | "tonight" => Some(0),
            "yesterday" => Some(-1),
            _ => None,
        };
        if let Some(offset) = relative {
            out.push(DateMention {
                at: i,
                end: i + 1,
                date: published.map(|p| p + Duration::days(offset)),
                relative: true,
                year: None,
            });
            i += 1;
            continue;
        }
        if w == "last" && doc.word(i + 1) == "night" {
            out.push(DateMention {
                at: i,
                end: i + 2,
                date: published.map(|p| p - Duration::days(1)),
                relative: true,
                year: None,
            });
            i += 2;
            continue;
        }
        // "Saturday's protests": the day's possessive is the day.
        let day_word = lexicon::without_apostrophe_s(w);
        if let Some(day) = t.capitalized.then(|| lexicon::weekday(day_word)).flatten() {
            if doc.tokens[i].capitalized && (w.len() > 3 || doc.raw(i + 1) == ".") {
                // "Saturday, June 14" is read as the explicit date that follows.
                let mut k = i + 1;
                if doc.raw(k) == "." {
                    k += 1;
                }
                if doc.raw(k) == ","
                    && lexicon::month_number(doc.word(k + 1).trim_end_matches('.')).is_some()
                {
                    i = k + 1;
                    continue;
                }
                let before = doc.word(i.wrapping_sub(1));
                let date = published.map(|p| {
                    let back = (7 + p.weekday().num_days_from_monday() as i64
                        - day.num_days_from_monday() as i64)
                        % 7;
                    match before {
                        "last" | "past" if back == 0 => p - Duration::days(7),
                        "next" | "coming" | "this" if before != "this" || back != 0 => {
                            p + Duration::days((7 - back) % 7)
                        }
                        _ => p - Duration::days(back),
                    }
                });
                out.push(DateMention {
                    at: i,
                    end: i + 1,
                    date,
                    relative: true,
                    year: None,
                });
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokenize;

    fn dates(text: &str, published: Option<Date>) -> Vec<Option<Date>> {
        let lower = text.to_ascii_lowercase();
        let tokens = tokenize(text);
        let doc = Doc::new(text, &lower, &tokens);
        find_dates(&doc, published)
            .into_iter()
            .map(|d| d.date)
            .collect()
    }

    fn d(y: i32, m: u32, day: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn explicit_and_relative_dates() {
        let sunday = d(2025, 6, 15);
        assert_eq!(dates("on June 14, 2025,", None), [d(2025, 6, 14)]);
        assert_eq!(dates("on June 14", sunday), [d(2025, 6, 14)]);
        assert_eq!(dates("on Saturday", sunday), [d(2025, 6, 14)]);
        assert_eq!(dates("on Sunday", sunday), [d(2025, 6, 15)]);
        assert_eq!(dates("last Sunday", sunday), [d(2025, 6, 8)]);
        assert_eq!(dates("yesterday", sunday), [d(2025, 6, 14)]);
        assert_eq!(dates("on 6/14/2025", None), [d(2025, 6, 14)]);
        assert_eq!(dates("Saturday, June 14", sunday), [d(2025, 6, 14)]);
        assert_eq!(
            dates("in May 2025 and may go", None),
            Vec::<Option<Date>>::new()
        );
        assert_eq!(dates("on Dec. 28", d(2026, 1, 3)), [d(2025, 12, 28)]);
    }
}
