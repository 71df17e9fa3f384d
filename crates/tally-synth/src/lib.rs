//! Synthetic files in the published US crowd dataset layout, at any size, deterministic
//! from a seed, together with the totals an exact reader must find in them.
//!
//! The rows carry the quirks of the real files: log-normal sizes, vague words instead
//! of numbers, blanks and `NA`, one-sided ranges, several rows for one city and day,
//! identical rows, quoted commas and newlines in notes, numbers with thousands
//! separators, county FIPS codes that lost their leading zero, online events and a
//! non-ASCII place name. The generator writes; it does no other I/O.

mod places;

use chrono::{Days, NaiveDate};
use places::{City, CITIES, POPULATIONS};
use serde::Serialize;
use std::io::{self, Write};
use tally_model::rng::Rng;

/// The header era of the published dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Era {
    /// 2017–2020: `actors`, `issues`, no title.
    Era2017,
    /// 2021 on: adds `title`, `macroevent`, `organizations`, `participants` and the
    /// measures and deaths columns.
    Era2021,
}

impl Era {
    /// The era a year selects: before 2021 is the first era.
    pub fn from_year(year: u16) -> Era {
        if year < 2021 {
            Era::Era2017
        } else {
            Era::Era2021
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthConfig {
    /// Data rows (the header excluded).
    pub rows: usize,
    pub seed: u64,
    pub era: Era,
    /// First day of the date range.
    pub start: NaiveDate,
    /// Number of days the dates spread over.
    pub days: u32,
    /// Write Windows-1252 instead of UTF-8 (the non-ASCII place names change bytes).
    pub windows_1252: bool,
    /// Start the file with a UTF-8 byte-order mark (ignored for Windows-1252).
    pub bom: bool,
}

impl SynthConfig {
    /// `rows` rows of the given era, seed 1, dates over four years from the era's start.
    pub fn new(rows: usize, era: Era) -> SynthConfig {
        let start = match era {
            Era::Era2017 => NaiveDate::from_ymd_opt(2017, 1, 1),
            Era::Era2021 => NaiveDate::from_ymd_opt(2021, 1, 1),
        }
        .expect("valid date");
        SynthConfig {
            rows,
            seed: 1,
            era,
            start,
            days: 1461,
            windows_1252: false,
            bom: false,
        }
    }
}

/// The totals an exact reader finds in the generated file, coded by the DESIGN.md
/// rules: one bound gives low = high, vague words take their table value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SynthSummary {
    pub rows: u64,
    pub rows_with_size: u64,
    /// Rows whose size comes from a vague word (alone, or with the numbers it codes to).
    pub rows_coded_by_rule: u64,
    pub sum_low: u64,
    pub sum_high: u64,
    pub online_rows: u64,
    /// Rows that repeat the row before them byte for byte (still distinct events).
    pub identical_rows: u64,
    /// Rows that share the city and day of the row before them.
    pub repeated_city_day_rows: u64,
    pub bytes: u64,
}

/// Vague wording and the value DESIGN.md codes it to. Kept here, independent of the
/// model's table, so that tests of ingest check against a second statement of the rules.
const VAGUE: &[(&str, u64)] = &[
    ("dozens", 24),
    ("hundreds", 200),
    ("thousands", 2000),
    ("a few", 3),
    ("several hundred", 200),
    ("scores", 40),
    ("tens of thousands", 20_000),
    ("a handful", 3),
    ("several dozen", 24),
];

const TYPES: &[&str] = &[
    "protest",
    "rally",
    "march",
    "vigil",
    "strike",
    "demonstration",
    "walkout",
    "counter-protest",
    "march; rally",
];
const CLAIMS: &[&str] = &[
    "for climate action",
    "against police violence",
    "for reproductive rights",
    "in support of immigrants",
    "against the war",
    "for workers' rights and a fair contract",
    "for voting rights",
    "in support of the president",
    "against authoritarianism",
    "for gun safety laws",
];
const ISSUES: &[&str] = &[
    "environment",
    "policing; racism",
    "women's rights",
    "immigration",
    "foreign affairs",
    "labor",
    "democracy",
    "guns",
];
const GROUPS: &[&str] = &[
    "Indivisible",
    "Sunrise Movement",
    "local teachers' union",
    "students",
    "Women's March; Planned Parenthood",
    "50501",
    "veterans",
    "faith leaders",
];
const DETAILS: &[&str] = &[
    "City Hall",
    "the state capitol",
    "Main Street",
    "the federal courthouse",
    "a public park",
    "the university campus",
];
const NOTES: &[&str] = &[
    "marched downtown, then rallied\nat the capitol steps",
    "counter-protesters present; no arrests",
    "estimate from \"local paper\", photo shows more",
    "second gathering the same day, across town",
    "rain, smaller than planned",
];
const TITLES: &[&str] = &[
    "No Kings",
    "Hands Off",
    "Climate Strike",
    "May Day",
    "Good Trouble Lives On",
    "Workers over Billionaires",
];

const SOURCES: usize = 30;

fn header(era: Era) -> String {
    let mut columns: Vec<String> = match era {
        Era::Era2017 => "date,locality,state,location_detail,online,type,actors,claims,valence,issues,size_low,size_high,size_mean,size_text,size_cat,arrests,injuries_crowd,injuries_police,property_damage,chemical_agents",
        Era::Era2021 => "date,locality,state,location_detail,online,type,title,macroevent,organizations,participants,claims,valence,issues,issues_major,size_low,size_high,size_mean,size_text,size_cat,arrests,participant_measures,police_measures,participant_injuries,police_injuries,participant_deaths,police_deaths,property_damage,chemical_agents",
    }
    .split(',')
    .map(str::to_string)
    .collect();
    columns.extend((1..=SOURCES).map(|i| format!("source_{i}")));
    columns.extend(
        "notes,lat,lon,resolved_locality,resolved_county,resolved_state,fips_code"
            .split(',')
            .map(str::to_string),
    );
    columns.join(",")
}

/// How a row gives its size, and what it counts for.
struct Sized {
    low_cell: String,
    high_cell: String,
    text_cell: String,
    /// (low, high) an exact reader finds, if any.
    counted: Option<(u64, u64)>,
    coded: bool,
}

/// The row just written, for rows that repeat it byte for byte.
struct Previous {
    text: String,
    counted: Option<(u64, u64)>,
    coded: bool,
    online: bool,
}

/// Writes a dataset file of `config.rows` rows and returns its expected totals.
pub fn write_dataset<W: Write>(w: W, config: &SynthConfig) -> io::Result<SynthSummary> {
    let mut out = io::BufWriter::with_capacity(1 << 16, w);
    let mut rng = Rng::new(config.seed);
    let mut summary = SynthSummary::default();
    let mut line = String::with_capacity(1024);
    let mut bytes = Vec::with_capacity(1024);
    if config.bom && !config.windows_1252 {
        out.write_all(b"\xEF\xBB\xBF")?;
        summary.bytes += 3;
    }
    line.push_str(&header(config.era));
    line.push('\n');
    summary.bytes += emit(&mut out, &line, config.windows_1252, &mut bytes)?;
    let mut previous: Option<Previous> = None;
    let mut previous_place: Option<(usize, NaiveDate)> = None;
    for _ in 0..config.rows {
        summary.rows += 1;
        // A few rows repeat the row before them byte for byte.
        if let Some(row) = &previous {
            if rng.chance(0.003) {
                summary.identical_rows += 1;
                count(&mut summary, row.counted, row.coded, row.online);
                summary.bytes += emit(&mut out, &row.text, config.windows_1252, &mut bytes)?;
                continue;
            }
        }
        let (city_index, date) = match previous_place {
            Some(place) if rng.chance(0.05) => {
                summary.repeated_city_day_rows += 1;
                place
            }
            _ => (
                rng.below(CITIES.len()),
                config.start + Days::new(rng.below(config.days.max(1) as usize) as u64),
            ),
        };
        previous_place = Some((city_index, date));
        let online = rng.chance(0.01);
        let sized = size(&mut rng, POPULATIONS[city_index]);
        line.clear();
        write_row(
            &mut line,
            &mut rng,
            config.era,
            &CITIES[city_index],
            date,
            online,
            &sized,
        );
        count(&mut summary, sized.counted, sized.coded, online);
        summary.bytes += emit(&mut out, &line, config.windows_1252, &mut bytes)?;
        previous = Some(Previous {
            text: line.clone(),
            counted: sized.counted,
            coded: sized.coded,
            online,
        });
    }
    out.flush()?;
    Ok(summary)
}

fn count(summary: &mut SynthSummary, counted: Option<(u64, u64)>, coded: bool, online: bool) {
    if let Some((low, high)) = counted {
        summary.rows_with_size += 1;
        summary.sum_low += low;
        summary.sum_high += high;
    }
    if coded {
        summary.rows_coded_by_rule += 1;
    }
    if online {
        summary.online_rows += 1;
    }
}

/// Writes text in the chosen encoding; returns the bytes written.
fn emit<W: Write>(
    out: &mut W,
    text: &str,
    windows_1252: bool,
    buffer: &mut Vec<u8>,
) -> io::Result<u64> {
    if !windows_1252 {
        out.write_all(text.as_bytes())?;
        return Ok(text.len() as u64);
    }
    buffer.clear();
    // The generator's only non-ASCII characters are Latin-1 letters, which Windows-1252
    // encodes as the same code point.
    buffer.extend(
        text.chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')),
    );
    out.write_all(buffer)?;
    Ok(buffer.len() as u64)
}

/// A crowd size shaped like a real day of action (ESTIMATION.md): log size grows with
/// the log of the city's population (slope 0.6) and scatters about 2 around that line, so
/// that most crowds are under 1,000, a quarter under 100 and the largest city's can be a
/// tenth of the day; rounded the way reporters round.
fn crowd(rng: &mut Rng, population: u64) -> u64 {
    let log_size = 6.0 + 0.6 * ((population.max(1) as f64).ln() - 12.7) + 2.0 * rng.normal();
    let value = log_size.exp().clamp(1.0, 300_000.0) as u64;
    match value {
        0..=99 => value.max(1),
        100..=999 => value / 10 * 10,
        _ => value / 100 * 100,
    }
}

fn missing(rng: &mut Rng) -> String {
    if rng.chance(0.8) { "NA" } else { "" }.to_string()
}

fn size(rng: &mut Rng, population: u64) -> Sized {
    let u = rng.uniform();
    let low = crowd(rng, population);
    let high = if rng.chance(0.6) {
        low
    } else {
        low + (low as f64 * 2.0 * rng.uniform()) as u64
    };
    let plain = |low: u64, high: u64, rng: &mut Rng| Sized {
        low_cell: low.to_string(),
        high_cell: high.to_string(),
        text_cell: missing(rng),
        counted: Some((low, high)),
        coded: false,
    };
    if u < 0.50 {
        plain(low, high, rng)
    } else if u < 0.57 {
        Sized {
            low_cell: low.to_string(),
            high_cell: missing(rng),
            text_cell: missing(rng),
            counted: Some((low, low)),
            coded: false,
        }
    } else if u < 0.63 {
        Sized {
            low_cell: missing(rng),
            high_cell: high.to_string(),
            text_cell: missing(rng),
            counted: Some((high, high)),
            coded: false,
        }
    } else if u < 0.73 {
        let (word, value) = VAGUE[rng.below(VAGUE.len())];
        Sized {
            low_cell: missing(rng),
            high_cell: missing(rng),
            text_cell: word.to_string(),
            counted: Some((value, value)),
            coded: true,
        }
    } else if u < 0.77 {
        // The curator's own coding: the numbers are filled from the word.
        let (word, value) = VAGUE[rng.below(VAGUE.len())];
        Sized {
            low_cell: value.to_string(),
            high_cell: value.to_string(),
            text_cell: word.to_string(),
            counted: Some((value, value)),
            coded: true,
        }
    } else if u < 0.79 {
        Sized {
            low_cell: missing(rng),
            high_cell: missing(rng),
            text_cell: format!("about {low}"),
            counted: Some((low, low)),
            coded: false,
        }
    } else if u < 0.81 {
        let (low, high) = (low.max(1000), high.max(1000).max(low));
        Sized {
            low_cell: thousands(low),
            high_cell: thousands(high),
            text_cell: missing(rng),
            counted: Some((low, high)),
            coded: false,
        }
    } else {
        Sized {
            low_cell: missing(rng),
            high_cell: missing(rng),
            text_cell: missing(rng),
            counted: None,
            coded: false,
        }
    }
}

/// "12,300": digits grouped by thousands.
fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn pick<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    list[rng.below(list.len())]
}

/// Appends one cell, quoting it when it holds a comma, a quote or a line break.
fn cell(line: &mut String, value: &str) {
    if value.contains([',', '"', '\n', '\r']) {
        line.push('"');
        line.push_str(&value.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(value);
    }
    line.push(',');
}

/// The mean and category columns as the curators derive them (see tally-publish's
/// size_cat convention: 0 unknown, 1 under 100, 2 under 1,000, 3 under 10,000, 4 more).
fn mean_and_category(counted: Option<(u64, u64)>) -> (String, String) {
    match counted {
        None => ("NA".to_string(), "0".to_string()),
        Some((low, high)) => {
            let mean = (low + high) as f64 / 2.0;
            let category = match mean {
                m if m < 100.0 => 1,
                m if m < 1000.0 => 2,
                m if m < 10_000.0 => 3,
                _ => 4,
            };
            (format!("{mean}"), category.to_string())
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn write_row(
    line: &mut String,
    rng: &mut Rng,
    era: Era,
    city: &City,
    date: NaiveDate,
    online: bool,
    sized: &Sized,
) {
    let &(locality, state, county, fips, lat, lon) = city;
    cell(line, &date.format("%Y-%m-%d").to_string());
    if online {
        cell(line, "NA");
        cell(line, "NA");
        cell(line, "online");
        cell(line, "1");
    } else {
        cell(line, locality);
        cell(line, state);
        cell(
            line,
            if rng.chance(0.4) {
                pick(rng, DETAILS)
            } else {
                "NA"
            },
        );
        cell(line, "0");
    }
    cell(line, pick(rng, TYPES));
    let group = pick(rng, GROUPS);
    match era {
        Era::Era2017 => {
            cell(line, group);
            cell(line, pick(rng, CLAIMS));
            cell(line, &rng.below(3).to_string());
            cell(line, pick(rng, ISSUES));
        }
        Era::Era2021 => {
            let title = pick(rng, TITLES);
            cell(line, title);
            cell(
                line,
                &format!(
                    "{}-{}",
                    date.format("%Y%m%d"),
                    title.to_lowercase().replace(' ', "")
                ),
            );
            cell(line, group);
            cell(line, if rng.chance(0.5) { "residents" } else { "NA" });
            cell(line, pick(rng, CLAIMS));
            cell(line, &rng.below(3).to_string());
            cell(line, pick(rng, ISSUES));
            cell(line, pick(rng, ISSUES));
        }
    }
    cell(line, &sized.low_cell);
    cell(line, &sized.high_cell);
    let (mean, category) = mean_and_category(sized.counted);
    cell(line, &mean);
    cell(line, &sized.text_cell);
    cell(line, &category);
    cell(line, if rng.chance(0.03) { "2" } else { "NA" });
    let measures = match era {
        Era::Era2017 => 4,
        Era::Era2021 => 8,
    };
    for _ in 0..measures {
        cell(line, "NA");
    }
    let sources = 1 + rng.below(3) as u64;
    for i in 0..SOURCES as u64 {
        if i < sources {
            cell(
                line,
                &format!(
                    "https://news.example.org/{}/{:x}",
                    state.to_lowercase(),
                    rng.next_u64() >> 24
                ),
            );
        } else {
            cell(line, "NA");
        }
    }
    cell(
        line,
        if rng.chance(0.15) {
            pick(rng, NOTES)
        } else {
            "NA"
        },
    );
    if online {
        for _ in 0..5 {
            cell(line, "NA");
        }
        line.push_str("NA");
    } else {
        cell(line, &format!("{lat}"));
        cell(line, &format!("{lon}"));
        cell(line, locality);
        cell(line, county);
        cell(line, state);
        // Spreadsheets turn codes into numbers and drop the leading zero.
        let lost_zero = fips.starts_with('0') && rng.chance(0.7);
        line.push_str(if lost_zero { &fips[1..] } else { fips });
    }
    line.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes() {
        let config = SynthConfig::new(200, Era::Era2021);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let sa = write_dataset(&mut a, &config).unwrap();
        let sb = write_dataset(&mut b, &config).unwrap();
        assert_eq!(a, b);
        assert_eq!(sa, sb);
        assert_eq!(sa.bytes, a.len() as u64);
        let mut other = config.clone();
        other.seed = 2;
        let mut c = Vec::new();
        write_dataset(&mut c, &other).unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn header_has_every_source_column() {
        let first = header(Era::Era2017);
        assert!(first.starts_with("date,locality,state,location_detail,online,type,actors"));
        assert!(first.contains("source_30,notes,lat,lon"));
        assert!(first.ends_with("resolved_state,fips_code"));
        assert!(header(Era::Era2021).contains("title,macroevent,organizations,participants"));
    }

    /// Issue 8: sized rows look like a real day: log sizes scatter about 2 around a
    /// population slope near 0.6, most crowds are under 1,000 and about a quarter under 100.
    #[test]
    fn issue_8_crowds_have_real_tails() {
        let mut rng = Rng::new(3);
        let (mut xs, mut ys) = (Vec::new(), Vec::new());
        for i in 0..20_000 {
            let city = i % CITIES.len();
            xs.push((POPULATIONS[city] as f64).ln());
            ys.push((crowd(&mut rng, POPULATIONS[city]) as f64).ln());
        }
        let n = xs.len() as f64;
        let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
        let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
        let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
        let slope = sxy / sxx;
        let sd = (ys
            .iter()
            .zip(&xs)
            .map(|(y, x)| (y - my - slope * (x - mx)).powi(2))
            .sum::<f64>()
            / n)
            .sqrt();
        assert!((0.5..=0.7).contains(&slope), "{slope}");
        assert!((1.8..=2.2).contains(&sd), "{sd}");
        let under = |v: f64| ys.iter().filter(|&&y| y < v.ln()).count() as f64 / n;
        assert!(under(1_000.0) > 0.5, "{}", under(1_000.0));
        assert!((0.18..=0.32).contains(&under(100.0)), "{}", under(100.0));
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
