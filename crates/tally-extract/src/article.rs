//! Articles in: plain text, HTML pages and RSS/Atom feeds become sources (verbatim,
//! content-addressed) and reports (one per gathering mentioned, plus one for
//! aggregate statements, which are claims and never totals).
//!
//! Markup is read by maintained parsers (`markup`: html5ever through `scraper`, and
//! `quick-xml`); this file decides what an article is and which reports it makes. The
//! readers never fail on malformed markup; they read what they can.

use crate::{extract, markup, ExtractOptions, Extraction, FoundEstimate};
use tally_model::{Date, Place, Report, Scope, Source, SourceId, SourceKind, StateCode, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("{origin}: looks like binary data, not an article")]
    Binary { origin: String },
    #[error("{origin}: feed has no items")]
    EmptyFeed { origin: String },
}

/// What kind of document the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleFormat {
    Text,
    Html,
    Rss,
    Atom,
}

/// One article: its source, what the extractor read, and the reports made from it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleReports {
    pub source: Source,
    pub format: ArticleFormat,
    pub title: Option<String>,
    pub published: Option<Date>,
    pub url: Option<String>,
    /// The article's text as read (markup and boilerplate removed).
    pub text: String,
    pub extraction: Extraction,
    pub reports: Vec<Report>,
    /// Notes on what could not be read.
    pub diagnostics: Vec<String>,
}

/// Reads articles from `bytes` received from `origin`: one for a text or HTML
/// document, one per item for an RSS or Atom feed.
pub fn read_articles(
    origin: &str,
    bytes: &[u8],
    received_at: Timestamp,
    options: &ExtractOptions,
) -> Result<Vec<ArticleReports>, ExtractError> {
    let binary = bytes.iter().take(4096).filter(|b| **b == 0).count() > 8;
    if binary {
        return Err(ExtractError::Binary {
            origin: origin.to_string(),
        });
    }
    let mut diagnostics = Vec::new();
    let decoded = String::from_utf8_lossy(bytes);
    if matches!(decoded, std::borrow::Cow::Owned(_)) {
        diagnostics.push("not valid UTF-8: bad bytes replaced with U+FFFD".to_string());
    }
    let text: &str = decoded.trim_start_matches('\u{feff}');
    let format = detect_format(text);
    match format {
        ArticleFormat::Rss | ArticleFormat::Atom => {
            let feed = markup::read_feed(text);
            if feed.items.is_empty() {
                return Err(ExtractError::EmptyFeed {
                    origin: origin.to_string(),
                });
            }
            diagnostics.extend(feed.diagnostics);
            Ok(feed
                .items
                .into_iter()
                .enumerate()
                .map(|(n, item)| {
                    let raw = text.get(item.inner.clone()).unwrap_or("");
                    let source =
                        make_source(origin, Some(format!("item {}", n + 1)), raw, received_at);
                    build(
                        source,
                        format,
                        item.title,
                        item.published,
                        item.url,
                        item.body,
                        options,
                        diagnostics.clone(),
                    )
                })
                .collect())
        }
        ArticleFormat::Html => {
            let page = markup::read_html(text);
            let source = make_source(origin, None, text, received_at);
            Ok(vec![build(
                source,
                format,
                page.title,
                page.published,
                page.url,
                page.body,
                options,
                diagnostics,
            )])
        }
        ArticleFormat::Text => {
            if text.trim().is_empty() {
                return Ok(Vec::new());
            }
            // A short first line without a final period is a headline.
            let first = text.lines().next().unwrap_or("").trim();
            let title = (!first.is_empty()
                && first.len() < 160
                && !first.ends_with('.')
                && text.lines().nth(1).is_some())
            .then(|| first.to_string());
            let body = match &title {
                Some(_) => text.split_once('\n').map_or("", |(_, rest)| rest),
                None => text,
            };
            let source = make_source(origin, None, text, received_at);
            Ok(vec![build(
                source,
                format,
                title,
                None,
                None,
                body.trim().to_string(),
                options,
                diagnostics,
            )])
        }
    }
}

fn make_source(
    origin: &str,
    locator: Option<String>,
    content: &str,
    received_at: Timestamp,
) -> Source {
    Source {
        id: SourceId(blake3::hash(content.as_bytes()).to_hex().to_string()),
        kind: SourceKind::Article,
        origin: origin.to_string(),
        locator,
        content: content.to_string(),
        received_at,
    }
}

#[allow(clippy::too_many_arguments)]
fn build(
    source: Source,
    format: ArticleFormat,
    title: Option<String>,
    published: Option<Date>,
    url: Option<String>,
    text: String,
    options: &ExtractOptions,
    mut diagnostics: Vec<String>,
) -> ArticleReports {
    let options = ExtractOptions {
        rules: options.rules.clone(),
        publication_date: published.or(options.publication_date),
    };
    // The headline is read on its own: its places are not the body's places in force
    // ("Thousands rally in Austin" over a Chicago story), and its figures count only
    // where the body gives none.
    let extraction = extract(&text, &options);
    let headline_extraction = title
        .as_deref()
        .map(|t| extract(t, &options))
        .unwrap_or_default();
    diagnostics.extend(extraction.diagnostics.iter().map(|d| d.message.clone()));
    let reports = make_reports(
        &source,
        Read {
            text: &text,
            extraction: &extraction,
        },
        title.as_deref().map(|headline| Read {
            text: headline,
            extraction: &headline_extraction,
        }),
        url.as_deref(),
    );
    ArticleReports {
        source,
        format,
        title,
        published: options.publication_date,
        url,
        text,
        extraction,
        reports,
        diagnostics,
    }
}

/// A text and what the extractor read in it.
#[derive(Clone, Copy)]
struct Read<'a> {
    text: &'a str,
    extraction: &'a Extraction,
}

/// The gathering a figure describes: its place and day, and for an earlier gathering
/// named only by its year ("the largest protest in 2020 drew 25,000"), that year.
type Gathering = (
    Option<String>,
    Option<StateCode>,
    Option<Date>,
    Option<Option<i32>>,
);

fn gathering_of(f: &FoundEstimate) -> Gathering {
    (
        f.locality.clone(),
        f.state,
        f.date,
        f.past.then_some(f.year),
    )
}

/// True when a headline figure's place is one the body gives a figure for: the same
/// locality (ignoring case) in a compatible state, or the same state, or no place at all.
fn restates(headline: &FoundEstimate, body: &FoundEstimate) -> bool {
    let states_agree = match (headline.state, body.state) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    match (&headline.locality, &body.locality) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b) && states_agree,
        (Some(_), None) => false,
        (None, _) => headline.state.is_none() || states_agree,
    }
}

/// One report per gathering (place and day) the article gives event figures for; one
/// report for its aggregate statements (with the event count), which are claims and
/// never totals; and, when no figure is given but the article names a place, one report
/// for the gathering without a size.
///
/// Each figure goes to the place of the gathering it describes ("in nearby Evanston, a
/// few hundred" is an Evanston report even under a Chicago dateline); the dateline is
/// only the default. The headline is kept as the report's `headline`, never as its
/// `title`: it names the story, and a roundup's headline names one city of several.
/// A figure in the headline ("Thousands rally in Austin") restates the body, so it is
/// kept only for a place the body gives no figure for. A figure that counts a part of
/// a crowd on its own (`FoundEstimate::part`) is a note of its gathering's report, never
/// one of its estimates.
fn make_reports(
    source: &Source,
    body: Read<'_>,
    headline: Option<Read<'_>>,
    url: Option<&str>,
) -> Vec<Report> {
    let e = body.extraction;
    let new_report = |place: Place, date: Option<Date>| {
        let mut r = Report::new(source.id.clone(), place, source.received_at);
        r.date = date;
        // An article's report always carries a headline, empty when the article has
        // none: the linker names an event after its first report that is not an
        // article's, so an untitled article joining an event must not rename it.
        r.headline = Some(headline.map_or_else(String::new, |h| h.text.to_string()));
        r.urls = url.map(|u| vec![u.to_string()]).unwrap_or_default();
        r
    };
    let body_events: Vec<&FoundEstimate> = e
        .estimates
        .iter()
        .filter(|f| f.estimate.scope() == Scope::Event)
        .collect();
    let headline_only = headline.into_iter().flat_map(|h| {
        h.extraction
            .estimates
            .iter()
            .filter(|f| {
                f.estimate.scope() == Scope::Event && !body_events.iter().any(|b| restates(f, b))
            })
            .map(move |f| (h.text, f))
    });
    let figures: Vec<(&str, &FoundEstimate)> = e
        .estimates
        .iter()
        .map(|f| (body.text, f))
        .chain(headline_only)
        .collect();

    let mut reports: Vec<Report> = Vec::new();
    let mut keys: Vec<Gathering> = Vec::new();
    let mut aggregate: Option<Report> = None;
    for (text, f) in figures {
        let phrase = text.get(f.start..f.end).unwrap_or("").to_string();
        if f.estimate.scope() == Scope::Aggregate {
            let r = aggregate.get_or_insert_with(|| {
                let mut r = new_report(Place::default(), e.date);
                r.event_count = e.event_count;
                r
            });
            r.estimates.push(f.estimate.clone());
            push_text(&mut r.claims, &phrase);
            push_text(&mut r.size_text, &phrase);
            continue;
        }
        let key = gathering_of(f);
        let index = match keys.iter().position(|k| *k == key) {
            Some(i) => i,
            None => {
                keys.push(key);
                let place = Place::from_parts(f.locality.as_deref(), f.state);
                let date = if f.past { f.date } else { f.date.or(e.date) };
                let mut r = new_report(place, date);
                if f.past {
                    let when = f
                        .date
                        .map(|d| d.to_string())
                        .or_else(|| f.year.map(|y| y.to_string()))
                        .unwrap_or_else(|| "an earlier day".to_string());
                    push_text(
                        &mut r.notes,
                        &format!("an earlier gathering ({when}) named as a comparison"),
                    );
                }
                reports.push(r);
                reports.len() - 1
            }
        };
        let r = &mut reports[index];
        // A part of the crowd counted on its own ("several hundred people from Toledo
        // rode buses to the Cleveland rally", "1,000 were turned away") is no size of
        // the gathering: kept as a note, it never lowers the event's low.
        if f.part {
            push_text(
                &mut r.notes,
                &format!("{phrase:?}: a part of the crowd, counted on its own"),
            );
            continue;
        }
        r.estimates.push(f.estimate.clone());
        push_text(&mut r.size_text, &phrase);
        if let Some(label) = &f.rules {
            push_text(&mut r.notes, &format!("{phrase:?} coded by rules {label}"));
        }
    }
    if reports.is_empty() && aggregate.is_none() && (e.locality.is_some() || e.state.is_some()) {
        reports.push(new_report(
            Place::from_parts(e.locality.as_deref(), e.state),
            e.date,
        ));
    }
    if let Some(mut a) = aggregate {
        if let Some(note) = coded_note(&a, e) {
            push_text(&mut a.notes, &note);
        }
        reports.push(a);
    } else if let (Some(count), Some(first)) = (e.event_count, reports.first_mut()) {
        first.event_count = Some(count);
    }
    reports
}

fn coded_note(r: &Report, e: &Extraction) -> Option<String> {
    let label = e.estimates.iter().find_map(|f| {
        (f.estimate.scope() == Scope::Aggregate && f.rules.is_some()).then(|| f.rules.clone())
    })??;
    (r.estimates.iter().any(|x| x.coded_by_rule()))
        .then(|| format!("vague sizes coded by rules {label}"))
}

fn push_text(slot: &mut Option<String>, text: &str) {
    match slot {
        Some(s) => {
            s.push_str("; ");
            s.push_str(text);
        }
        None => *slot = Some(text.to_string()),
    }
}

/// Guesses the format from the first markup.
pub fn detect_format(text: &str) -> ArticleFormat {
    let head: String = text
        .trim_start()
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with('<') {
        if head.contains("<rss") || head.contains("<rdf:rdf") {
            return ArticleFormat::Rss;
        }
        if head.contains("<feed") {
            return ArticleFormat::Atom;
        }
        return ArticleFormat::Html;
    }
    if head.contains("<html") || head.contains("<body") || head.contains("<p>") {
        return ArticleFormat::Html;
    }
    ArticleFormat::Text
}

/// Dates in feeds and meta tags: "2025-06-14T...", "Sat, 14 Jun 2025 12:00:00 GMT".
pub fn parse_any_date(text: &str) -> Option<Date> {
    let t = text.trim();
    if let Some(iso) = t.get(..10) {
        if let Ok(d) = Date::parse_from_str(iso, "%Y-%m-%d") {
            return Some(d);
        }
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc2822(t) {
        return Some(dt.date_naive());
    }
    // "14 Jun 2025" without a time or weekday.
    let words: Vec<&str> = t
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    for w in words.windows(3) {
        let joined = w.join(" ");
        if let Ok(d) = Date::parse_from_str(&joined, "%d %b %Y") {
            return Some(d);
        }
        if let Ok(d) = Date::parse_from_str(&joined, "%B %d %Y") {
            return Some(d);
        }
    }
    None
}

/// The text an article source holds, as `tally event` shows it: the headline, a blank
/// line, then the body with markup and boilerplate removed. The source itself (the
/// verbatim bytes received) is unchanged; this reads it again the way ingest did.
pub fn article_text(source: &Source) -> String {
    let content = source.content.trim_start_matches('\u{feff}');
    let is_feed_item = source
        .locator
        .as_deref()
        .is_some_and(|l| l.starts_with("item "));
    let (title, body) = if is_feed_item {
        // A feed item is stored as its inner markup; read it as the item it was.
        let wrapped = format!("<item>{content}</item>");
        let item = markup::read_feed(&wrapped).items.into_iter().next();
        item.map(|i| (i.title, i.body)).unwrap_or_default()
    } else {
        match detect_format(content) {
            ArticleFormat::Html => {
                let page = markup::read_html(content);
                (page.title, page.body)
            }
            ArticleFormat::Rss | ArticleFormat::Atom => (None, String::new()),
            ArticleFormat::Text => (None, content.trim().to_string()),
        }
    };
    match title {
        Some(t) if !body.starts_with(&t) => format!("{t}\n\n{body}"),
        _ => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> Timestamp {
        chrono::Utc.with_ymd_and_hms(2025, 6, 16, 12, 0, 0).unwrap()
    }

    #[test]
    fn html_page_gives_title_date_body_and_reports() {
        let html = r#"<!doctype html><html><head><title>Site | Thousands march</title>
<meta property="og:title" content="Thousands march in Boise">
<meta property="article:published_time" content="2025-06-15T09:00:00Z">
<script>var x = "5,000 people";</script></head><body>
<nav><a href="/">Home</a> 9,999 people follow us</nav>
<article><p>BOISE, Idaho (AP) &mdash; About 3,000 people rallied outside the Capitol on Saturday, state police said.</p>
<p>Organizers said more than 5 million people joined 2,100 events nationwide.</p></article>
<footer>&copy; 2025. 4,000 subscribers</footer></body></html>"#;
        let out = read_articles(
            "page.html",
            html.as_bytes(),
            now(),
            &ExtractOptions::default(),
        )
        .unwrap();
        assert_eq!(out.len(), 1);
        let a = &out[0];
        assert_eq!(a.format, ArticleFormat::Html);
        assert_eq!(a.title.as_deref(), Some("Thousands march in Boise"));
        assert_eq!(a.published, Date::from_ymd_opt(2025, 6, 15));
        assert!(!a.text.contains("9,999") && !a.text.contains("var x"));
        assert_eq!(a.source.kind, SourceKind::Article);
        assert_eq!(a.source.content, html);
        assert_eq!(
            a.source.id.0,
            blake3::hash(html.as_bytes()).to_hex().to_string()
        );
        assert_eq!(a.reports.len(), 2);
        let boise = &a.reports[0];
        assert_eq!(boise.place.locality.as_deref(), Some("Boise"));
        assert_eq!(boise.date, Date::from_ymd_opt(2025, 6, 14));
        assert_eq!(boise.estimates.len(), 1);
        assert_eq!(boise.estimates[0].low(), 3000);
        let national = &a.reports[1];
        assert!(national.is_aggregate_only());
        assert_eq!(national.event_count, Some(2100));
        assert_eq!(national.estimates[0].low(), 5_000_000);
    }

    fn places_and_sizes(a: &ArticleReports) -> Vec<(String, Vec<u64>, bool)> {
        a.reports
            .iter()
            .map(|r| {
                (
                    r.place.raw.clone(),
                    r.estimates.iter().map(|e| e.low()).collect(),
                    r.is_aggregate_only(),
                )
            })
            .collect()
    }

    #[test]
    fn issue_9_bare_subject_towns_and_list_lines_give_each_figure_its_place() {
        let text = include_str!("../../../test_data/articles/roundup-arizona-california.txt");
        let options = ExtractOptions {
            publication_date: Date::from_ymd_opt(2025, 6, 15),
            ..ExtractOptions::default()
        };
        let out = read_articles("roundup.txt", text.as_bytes(), now(), &options).unwrap();
        assert_eq!(
            places_and_sizes(&out[0]),
            [
                ("Phoenix, AZ".to_string(), vec![1_500], false),
                ("Tucson".to_string(), vec![4_000], false),
                ("Flagstaff".to_string(), vec![900], false),
                ("Sacramento".to_string(), vec![8_000], false),
                ("Davis".to_string(), vec![200], false),
                ("San Diego, CA".to_string(), vec![60_000], false),
                ("Oakland".to_string(), vec![12_000], false),
                ("Stockton, CA".to_string(), vec![2_500], false),
            ]
        );
    }

    fn reports_of(text: &str) -> Vec<(String, Vec<u64>, bool)> {
        let options = ExtractOptions {
            publication_date: Date::from_ymd_opt(2025, 6, 15),
            ..ExtractOptions::default()
        };
        let out = read_articles("roundup.txt", text.as_bytes(), now(), &options).unwrap();
        places_and_sizes(&out[0])
    }

    #[test]
    fn issue_9_the_place_is_where_people_gathered_not_where_they_came_from() {
        let text = include_str!("../../../test_data/articles/roundup-colorado.txt");
        assert_eq!(
            reports_of(text),
            [
                ("Denver, CO".to_string(), vec![15_000], false),
                // "angry about immigration raids in Denver protested ... in Aurora".
                ("Aurora".to_string(), vec![2_000], false),
                ("Westminster".to_string(), vec![200], false),
                ("Parker".to_string(), vec![600], false),
                ("Castle Rock".to_string(), vec![350], false),
                ("Erie".to_string(), vec![150], false),
                (String::new(), vec![5_000_000], true),
            ]
        );
        let text = include_str!("../../../test_data/articles/national-washington.txt");
        let reports = reports_of(text);
        // "Volunteers from Baltimore and Richmond rode buses to Philadelphia, where
        // about 8,000 people rallied".
        assert!(
            reports.contains(&("Philadelphia, PA".to_string(), vec![8_000], false)),
            "{reports:?}"
        );
        assert!(!reports
            .iter()
            .any(|r| r.0.contains("Baltimore") || r.0.contains("Richmond")));
    }

    #[test]
    fn issue_9_a_national_total_under_a_washington_dateline_takes_no_place() {
        let text = include_str!("../../../test_data/articles/national-washington.txt");
        let e = extract(text, &ExtractOptions::default());
        let national: Vec<_> = e
            .estimates
            .iter()
            .filter(|f| f.estimate.scope() == Scope::Aggregate)
            .collect();
        assert!(!national.is_empty());
        for f in national {
            assert_eq!((f.locality.as_deref(), f.state), (None, None), "{f:?}");
        }
        // The capital's own figure keeps the dateline.
        let capital = e
            .estimates
            .iter()
            .find(|f| f.estimate.low() == 20_000)
            .unwrap();
        assert_eq!(capital.locality.as_deref(), Some("Washington"));
    }

    #[test]
    fn issue_9_small_towns_under_a_headline_naming_their_state() {
        let text = include_str!("../../../test_data/articles/roundup-vermont.txt");
        let e = extract(text, &ExtractOptions::default());
        let places: Vec<(u64, Option<&str>)> = e
            .estimates
            .iter()
            .map(|f| (f.estimate.low(), f.locality.as_deref()))
            .collect();
        assert_eq!(
            places,
            [
                // The dateline, not "across Vermont" in the headline above it.
                (2_500, Some("Brattleboro")),
                (120, Some("Putney")),
                (9_000, Some("Burlington")),
                (75, Some("Charlotte")),
                (1_100, Some("White River Junction")),
                (200, Some("Montpelier")),
            ]
        );
        // A person also draws a crowd: a subject of "drew" is a town only in a
        // roundup's sentence that names another town the same way.
        let e = extract(
            "DES MOINES \u{2014} Sanders drew 10,000, while Biden had about 2,000.",
            &ExtractOptions::default(),
        );
        assert!(e
            .estimates
            .iter()
            .all(|f| f.locality.as_deref() == Some("Des Moines")));
    }

    #[test]
    fn issue_9_a_roundup_gives_one_report_per_place_under_its_headline() {
        let text = include_str!("../../../test_data/articles/roundup-illinois-texas.txt");
        let options = ExtractOptions {
            publication_date: Date::from_ymd_opt(2025, 6, 15),
            ..ExtractOptions::default()
        };
        let out = read_articles("roundup.txt", text.as_bytes(), now(), &options).unwrap();
        let a = &out[0];
        let headline = "Thousands rally in Austin as protests sweep Texas and Illinois";
        assert_eq!(a.title.as_deref(), Some(headline));
        assert_eq!(
            places_and_sizes(a),
            [
                ("Chicago, IL".to_string(), vec![20_000], false),
                ("Evanston".to_string(), vec![200], false),
                ("Austin, TX".to_string(), vec![12_000], false),
                ("Houston, TX".to_string(), vec![8_000], false),
                (String::new(), vec![5_000_000], true),
            ]
        );
        for r in &a.reports {
            // The headline names the story, not the gathering: it is never a title.
            assert_eq!(r.title, None);
            assert_eq!(r.headline.as_deref(), Some(headline));
            assert_eq!(r.date, Date::from_ymd_opt(2025, 6, 14));
        }
        assert_eq!(a.reports[4].event_count, Some(2_000));
    }

    #[test]
    fn issue_9_a_headline_figure_counts_only_where_the_body_gives_none() {
        let text = "Over 70K march in Seattle\n\nSEATTLE \u{2014} Police said about 50,000 \
            people marched on Saturday.";
        let out =
            read_articles("a.txt", text.as_bytes(), now(), &ExtractOptions::default()).unwrap();
        assert_eq!(
            places_and_sizes(&out[0]),
            [("Seattle, WA".to_string(), vec![50_000], false)]
        );
        let text = "Over 70K march in Seattle\n\nSEATTLE \u{2014} The march went on for hours.";
        let out =
            read_articles("b.txt", text.as_bytes(), now(), &ExtractOptions::default()).unwrap();
        assert_eq!(
            places_and_sizes(&out[0]),
            [("Seattle, WA".to_string(), vec![70_000], false)]
        );
    }

    #[test]
    fn issue_9_an_earlier_gathering_named_as_a_comparison_is_its_own_report() {
        let text = "Crowds return to Madison\n\nMADISON, Wis. \u{2014} About 9,000 people \
            marched around the Capitol on Saturday, police said. The largest protest in 2020 \
            drew 25,000.";
        let options = ExtractOptions {
            publication_date: Date::from_ymd_opt(2025, 6, 15),
            ..ExtractOptions::default()
        };
        let out = read_articles("m.txt", text.as_bytes(), now(), &options).unwrap();
        let reports = &out[0].reports;
        assert_eq!(reports.len(), 2, "{reports:#?}");
        assert_eq!(reports[0].estimates[0].low(), 9_000);
        assert_eq!(reports[0].date, Date::from_ymd_opt(2025, 6, 14));
        assert_eq!(reports[1].estimates[0].low(), 25_000);
        assert_eq!(reports[1].date, None);
        assert!(reports[1]
            .notes
            .as_deref()
            .is_some_and(|n| n.contains("earlier gathering (2020)")));
    }

    #[test]
    fn rss_and_atom_items_are_articles() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<item><title>March in Denver</title><link>https://example.org/a</link>
<pubDate>Sun, 15 Jun 2025 08:00:00 GMT</pubDate>
<description><![CDATA[<p>DENVER &#8212; Police said 10,000 people marched on Saturday.</p>]]></description></item>
<item><title>Budget news</title><description>The city spent $5 million.</description></item>
</channel></rss>"#;
        let out = read_articles(
            "feed.xml",
            rss.as_bytes(),
            now(),
            &ExtractOptions::default(),
        )
        .unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].format, ArticleFormat::Rss);
        assert_eq!(out[0].url.as_deref(), Some("https://example.org/a"));
        assert_eq!(out[0].source.locator.as_deref(), Some("item 1"));
        let r = &out[0].reports[0];
        assert_eq!(r.place.state.map(|s| s.to_string()).as_deref(), Some("CO"));
        assert_eq!(r.date, Date::from_ymd_opt(2025, 6, 14));
        assert_eq!(r.estimates[0].low(), 10_000);
        assert!(out[1].reports.is_empty());
        assert_ne!(out[0].source.id, out[1].source.id);

        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Vigil</title>
<link href="https://example.org/v"/><published>2025-03-02T00:00:00Z</published>
<content type="html">&lt;p&gt;About 300 people held a vigil in Tulsa, Okla., on Saturday.&lt;/p&gt;</content></entry></feed>"#;
        let out = read_articles(
            "atom.xml",
            atom.as_bytes(),
            now(),
            &ExtractOptions::default(),
        )
        .unwrap();
        assert_eq!(out[0].format, ArticleFormat::Atom);
        assert_eq!(out[0].url.as_deref(), Some("https://example.org/v"));
        assert_eq!(out[0].reports[0].estimates[0].low(), 300);
        assert_eq!(out[0].reports[0].date, Date::from_ymd_opt(2025, 3, 1));
    }

    #[test]
    fn plain_text_empty_and_binary_inputs() {
        let text = "Hundreds rally in Fargo\nAbout 400 people rallied in Fargo, N.D., police said.";
        let out =
            read_articles("a.txt", text.as_bytes(), now(), &ExtractOptions::default()).unwrap();
        assert_eq!(out[0].title.as_deref(), Some("Hundreds rally in Fargo"));
        assert!(
            read_articles("e.txt", b"", now(), &ExtractOptions::default())
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            read_articles("b.bin", &[0u8; 64], now(), &ExtractOptions::default()),
            Err(ExtractError::Binary { .. })
        ));
        assert!(matches!(
            read_articles(
                "f.xml",
                b"<rss><channel></channel></rss>",
                now(),
                &ExtractOptions::default()
            ),
            Err(ExtractError::EmptyFeed { .. })
        ));
    }
}
