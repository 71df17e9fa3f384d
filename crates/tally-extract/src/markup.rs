//! Reading markup with maintained parsers: HTML pages through `scraper` (html5ever, the
//! browser-grade HTML5 parser, which decodes every named and numeric entity and reads
//! attribute values as a browser does), RSS and Atom feeds through `quick-xml`.
//!
//! Hostile input: the XML reader streams and never expands a DTD's entities (no billion
//! laughs) nor fetches external ones (no XXE): an entity it does not know stays as
//! written. Nesting is followed with a counter and the HTML tree is walked without
//! recursion, so deep nesting costs neither stack nor more than linear memory. How many
//! bytes a document may hold is the ingest limits' question (`--max-document-bytes`).

use quick_xml::escape::{resolve_html5_entity, resolve_predefined_entity};
use quick_xml::events::{BytesStart, Event};
use scraper::{ElementRef, Html, Node, Selector};
use tally_model::Date;

/// Elements whose text is never the article's: scripts, styles, navigation, page
/// furniture and forms.
const BOILERPLATE: &[&str] = &[
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "svg",
    "math",
    "iframe",
    "button",
    "select",
    "textarea",
    "template",
    "figcaption",
    "object",
    "canvas",
    "dialog",
];

/// ARIA roles of page furniture.
const BOILERPLATE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "menu",
    "menubar",
    "dialog",
    "alert",
];

/// Elements that break a line; the first group also leaves a blank line (a paragraph).
const PARAGRAPH: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "section",
    "article",
    "table",
];
const LINE: &[&str] = &[
    "br", "div", "li", "ul", "ol", "tr", "figure", "hr", "dd", "dt", "dl", "main", "td", "th",
];

/// Meta keys that give an article's publication date.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "datepublished",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
];

/// What an HTML page gives.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Page {
    pub title: Option<String>,
    pub published: Option<Date>,
    pub url: Option<String>,
    pub body: String,
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("the selectors here are fixed and valid")
}

/// Reads a page: title, publication date, canonical address and the article's text.
pub(crate) fn read_html(html: &str) -> Page {
    let document = Html::parse_document(&flatten_deep_nesting(html));
    let meta = selector("meta");
    let mut title = None;
    let mut published = None;
    let mut og_url = None;
    for element in document.select(&meta) {
        let e = element.value();
        let key = e
            .attr("property")
            .or_else(|| e.attr("name"))
            .or_else(|| e.attr("itemprop"))
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let Some(content) = e.attr("content").map(str::trim).filter(|c| !c.is_empty()) else {
            continue;
        };
        match key.as_str() {
            "og:title" | "twitter:title" if title.is_none() => {
                title = Some(collapse_space(content));
            }
            "og:url" if og_url.is_none() => og_url = Some(content.to_string()),
            k if published.is_none() && DATE_KEYS.contains(&k) => {
                published = crate::article::parse_any_date(content);
            }
            _ => {}
        }
    }
    if title.is_none() {
        title = first_text(&document, "title").or_else(|| first_text(&document, "h1"));
    }
    // The canonical address; else the page's own og:url.
    let url = document
        .select(&selector("link[href]"))
        .find(|l| rel_has(l.value().attr("rel"), "canonical"))
        .and_then(|l| l.value().attr("href"))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(str::to_string)
        .or(og_url);
    let scope = article_scope(&document);
    if published.is_none() {
        published = scope
            .select(&selector("time[datetime]"))
            .chain(document.select(&selector("time[datetime]")))
            .find_map(|t| crate::article::parse_any_date(t.value().attr("datetime")?));
    }
    Page {
        title,
        published,
        url,
        body: element_text(scope),
    }
}

/// True when a `rel` attribute lists `value` (rel is a space-separated list).
fn rel_has(rel: Option<&str>, value: &str) -> bool {
    rel.is_some_and(|r| {
        r.split_ascii_whitespace()
            .any(|v| v.eq_ignore_ascii_case(value))
    })
}

fn first_text(document: &Html, css: &str) -> Option<String> {
    document
        .select(&selector(css))
        .map(|e| collapse_space(&e.text().collect::<String>()))
        .find(|t| !t.is_empty())
}

/// The element that holds the story: the longest `<article>`, else the element marked
/// as the article body, else `<main>`, else `<body>`.
fn article_scope(document: &Html) -> ElementRef<'_> {
    let longest = |css: &str| {
        document
            .select(&selector(css))
            .max_by_key(|e| e.text().map(str::len).sum::<usize>())
    };
    longest("article")
        .or_else(|| longest("[itemprop=articleBody]"))
        .or_else(|| longest("main"))
        .or_else(|| longest("body"))
        .unwrap_or_else(|| document.root_element())
}

/// The text of an HTML fragment (a feed item's content): markup and boilerplate removed,
/// entities decoded, paragraphs kept apart by blank lines.
pub fn html_to_text(html: &str) -> String {
    let fragment = Html::parse_fragment(&flatten_deep_nesting(html));
    element_text(fragment.root_element())
}

/// How deep elements may nest before the extra levels are dropped. Browsers stop
/// nesting at about this depth too; no article needs more.
const MAX_NESTING: usize = 512;

/// Elements that never hold content, so never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Drops the tags nested deeper than [`MAX_NESTING`], keeping their text.
///
/// Why: the HTML5 tree builder checks the stack of open elements at every start tag,
/// so a hostile page of 100,000 nested `<div>`s takes quadratic time. This linear scan
/// is only a safety valve: it is approximate (it does not parse), and it changes nothing
/// in a page that nests less deeply, which is every real article.
fn flatten_deep_nesting(html: &str) -> std::borrow::Cow<'_, str> {
    // Tags as (start, end, depth change), found by a quote-aware scan.
    let bytes = html.as_bytes();
    let mut tags: Vec<(usize, usize, i8)> = Vec::new();
    let mut i = 0;
    let (mut depth, mut deepest) = (0usize, 0usize);
    while let Some(p) = memchr_lt(bytes, i) {
        let next = bytes.get(p + 1).copied().unwrap_or(b' ');
        if next == b'!' {
            let end = if html[p..].starts_with("<!--") {
                html[p..].find("-->").map_or(bytes.len(), |e| p + e + 3)
            } else {
                html[p..].find('>').map_or(bytes.len(), |e| p + e + 1)
            };
            i = end;
            continue;
        }
        let closing = next == b'/';
        let name_start = p + 1 + usize::from(closing);
        let name_len = bytes[name_start.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            i = p + 1;
            continue;
        }
        // The tag ends at the first ">" outside quotes.
        let mut quote = None;
        let mut end = bytes.len();
        for (k, &b) in bytes.iter().enumerate().skip(name_start + name_len) {
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b == b'>' => {
                    end = k + 1;
                    break;
                }
                None => {}
            }
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let self_closing = end >= 2 && bytes[end - 2] == b'/';
        let change = if closing {
            -1
        } else if VOID.contains(&name.as_str()) || self_closing {
            0
        } else {
            1
        };
        if change > 0 {
            depth += 1;
            deepest = deepest.max(depth);
        } else if change < 0 {
            depth = depth.saturating_sub(1);
        }
        tags.push((p, end, change));
        i = end;
    }
    if deepest <= MAX_NESTING {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    let mut depth = 0usize;
    for (start, end, change) in tags {
        let drop = match change {
            1 => {
                depth += 1;
                depth > MAX_NESTING
            }
            -1 => {
                let deep = depth > MAX_NESTING;
                depth = depth.saturating_sub(1);
                deep
            }
            _ => false,
        };
        if drop {
            out.push_str(&html[copied..start]);
            copied = end;
        }
    }
    out.push_str(&html[copied..]);
    std::borrow::Cow::Owned(out)
}

fn memchr_lt(bytes: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == b'<')
        .map(|p| from + p)
}

/// The text under `root`, walked without recursion.
fn element_text(root: ElementRef<'_>) -> String {
    let mut out = String::new();
    // The boilerplate element being skipped, until it closes.
    let mut skipping = None;
    for edge in root.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(text) => out.push_str(text),
                    Node::Element(e) => {
                        let name = e.name();
                        let hidden = e.attr("hidden").is_some()
                            || e.attr("aria-hidden")
                                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
                            || e.attr("role").is_some_and(|r| {
                                BOILERPLATE_ROLES.contains(&r.trim().to_ascii_lowercase().as_str())
                            });
                        if BOILERPLATE.contains(&name) || hidden {
                            skipping = Some(node.id());
                        } else {
                            out.push_str(block_break(name));
                        }
                    }
                    _ => {}
                }
            }
            ego_tree::iter::Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                } else if skipping.is_none() {
                    if let Node::Element(e) = node.value() {
                        out.push_str(block_break(e.name()));
                    }
                }
            }
        }
    }
    tidy(&out)
}

fn block_break(name: &str) -> &'static str {
    if PARAGRAPH.contains(&name) {
        "\n\n"
    } else if LINE.contains(&name) {
        "\n"
    } else {
        ""
    }
}

/// White space collapsed within lines; paragraph breaks kept as one blank line.
fn tidy(text: &str) -> String {
    let mut tidy = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = collapse_space(line);
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !tidy.is_empty() {
            tidy.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        tidy.push_str(&line);
        blank = 0;
    }
    tidy
}

pub(crate) fn collapse_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One item of a feed (an RSS `<item>` or an Atom `<entry>`).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FeedItem {
    /// Byte range of the item's inner markup in the feed (between its tags): the
    /// item's verbatim source, as it has always been addressed.
    pub inner: std::ops::Range<usize>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<Date>,
    /// The item's text (its content, else its description or summary).
    pub body: String,
}

/// A feed as read: its items, and a note when the XML broke off.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Feed {
    pub items: Vec<FeedItem>,
    pub diagnostics: Vec<String>,
}

/// The fields of an item, as raw inner markup, in the order they are preferred.
const CONTENT_FIELDS: &[&str] = &["content:encoded", "content", "description", "summary"];
const DATE_FIELDS: &[&str] = &["pubdate", "published", "dc:date", "updated", "dc:created"];

/// An item being read: raw inner text of its fields (first of each kind), and links.
#[derive(Default)]
struct ItemBuilder {
    inner_start: usize,
    depth: usize,
    fields: Vec<(String, String)>,
    /// Atom links: (rel, href).
    links: Vec<(String, String)>,
}

impl ItemBuilder {
    fn field(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| {
            self.fields
                .iter()
                .find(|(name, raw)| name == n && !raw.trim().is_empty())
                .map(|(_, raw)| raw.as_str())
        })
    }

    fn finish(self, inner_end: usize) -> FeedItem {
        let title = self
            .field(&["title"])
            .map(|raw| collapse_space(&html_to_text(&xml_inner_to_html(raw))))
            .filter(|t| !t.is_empty());
        // Atom: the alternate link (or one without rel); RSS: the <link> element's text.
        let atom_link = self
            .links
            .iter()
            .find(|(rel, _)| rel.is_empty() || rel.eq_ignore_ascii_case("alternate"))
            .map(|(_, href)| href.clone());
        let url = atom_link.or_else(|| {
            self.field(&["link"])
                .map(|raw| collapse_space(&lenient_unescape(&unwrap_cdata(raw))))
                .filter(|u| !u.is_empty())
        });
        let published = DATE_FIELDS.iter().find_map(|f| {
            crate::article::parse_any_date(&lenient_unescape(&unwrap_cdata(self.field(&[f])?)))
        });
        let body = self
            .field(CONTENT_FIELDS)
            .map(|raw| html_to_text(&xml_inner_to_html(raw)))
            .unwrap_or_default();
        FeedItem {
            inner: self.inner_start..inner_end.max(self.inner_start),
            title,
            url,
            published,
            body,
        }
    }
}

/// An element's qualified name, lowercased, with an explicit `atom:` prefix dropped.
fn element_name(e: &BytesStart<'_>) -> String {
    let name = String::from_utf8_lossy(e.name().as_ref()).to_ascii_lowercase();
    match name.strip_prefix("atom:") {
        Some(local) => local.to_string(),
        None => name,
    }
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref().eq_ignore_ascii_case(name.as_bytes()))
        .map(|a| lenient_unescape(&String::from_utf8_lossy(&a.value)))
}

/// Reads the items of an RSS or Atom feed (or of one item on its own). Malformed XML
/// ends the reading where it breaks, keeping the items read so far, with a note.
pub(crate) fn read_feed(xml: &str) -> Feed {
    let mut reader = quick_xml::Reader::from_str(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    config.trim_text(false);
    let mut feed = Feed::default();
    let mut depth = 0usize;
    let mut item: Option<ItemBuilder> = None;
    // The field being read: its name, depth and where its inner text starts.
    let mut field: Option<(String, usize, usize)> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                feed.diagnostics.push(format!(
                    "the feed is not well-formed XML at byte {}: {error}",
                    reader.error_position()
                ));
                break;
            }
        };
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(e) => {
                depth += 1;
                let name = element_name(&e);
                match &mut item {
                    None if name == "item" || name == "entry" => {
                        item = Some(ItemBuilder {
                            inner_start: after,
                            depth,
                            ..ItemBuilder::default()
                        });
                    }
                    Some(it) if depth == it.depth + 1 && field.is_none() => {
                        if name == "link" {
                            if let Some(href) = attribute(&e, "href") {
                                it.links
                                    .push((attribute(&e, "rel").unwrap_or_default(), href));
                            }
                        }
                        field = Some((name, depth, after));
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if let Some(it) = &mut item {
                    if depth == it.depth && element_name(&e) == "link" {
                        if let Some(href) = attribute(&e, "href") {
                            it.links
                                .push((attribute(&e, "rel").unwrap_or_default(), href));
                        }
                    }
                }
            }
            Event::End(_) => {
                if let Some((name, field_depth, inner_start)) = &field {
                    if *field_depth == depth {
                        if let Some(it) = &mut item {
                            let raw = xml.get(*inner_start..before).unwrap_or("");
                            it.fields.push((name.clone(), raw.to_string()));
                        }
                        field = None;
                    }
                }
                if item.as_ref().is_some_and(|it| it.depth == depth) {
                    let it = item.take().expect("an item is open");
                    feed.items.push(it.finish(before));
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            // Text, CDATA and references are read from the raw field spans; a DTD is
            // never expanded.
            _ => {}
        }
    }
    if let Some(it) = item.take() {
        feed.diagnostics
            .push("the feed ends inside an item; the item is read as far as it goes".into());
        feed.items.push(it.finish(xml.len()));
    }
    feed
}

/// A field's raw inner XML as HTML: CDATA sections as they are (they hold markup
/// verbatim), the rest unescaped once (escaped markup becomes markup, entities text).
fn xml_inner_to_html(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(p) = rest.find("<![CDATA[") {
        out.push_str(&lenient_unescape(&rest[..p]));
        let after = &rest[p + 9..];
        match after.find("]]>") {
            Some(e) => {
                out.push_str(&after[..e]);
                rest = &after[e + 3..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(&lenient_unescape(rest));
    out
}

fn unwrap_cdata(raw: &str) -> String {
    let t = raw.trim();
    match t
        .strip_prefix("<![CDATA[")
        .and_then(|r| r.strip_suffix("]]>"))
    {
        Some(inner) => inner.to_string(),
        None => t.to_string(),
    }
}

/// Decodes XML's predefined entities, HTML5's named entities and character references;
/// anything else (an entity a DTD declares, a bare `&`) stays as written. Nothing is
/// ever expanded from a DTD.
fn lenient_unescape(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        let name_end = after
            .char_indices()
            .take(40)
            .find(|(_, c)| *c == ';' || c.is_whitespace() || *c == '&' || *c == '<')
            .filter(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        let decoded = name_end.and_then(|e| {
            let name = &after[..e];
            let text =
                if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    char::from_u32(u32::from_str_radix(num, 16).ok()?)?.to_string()
                } else if let Some(num) = name.strip_prefix('#') {
                    char::from_u32(num.parse().ok()?)?.to_string()
                } else {
                    resolve_predefined_entity(name)
                        .or_else(|| resolve_html5_entity(name))?
                        .to_string()
                };
            Some((text, e))
        });
        match decoded {
            Some((text, e)) => {
                out.push_str(&text);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    const PAGE: &str = include_str!("../../../test_data/articles/rally-denver.html");
    const RSS: &str = include_str!("../../../test_data/articles/feed.rss");
    const ATOM: &str = include_str!("../../../test_data/articles/feed.atom");

    #[test]
    fn issue_9_html_entities_canonical_link_attributes_and_boilerplate() {
        let page = read_html(PAGE);
        assert_eq!(
            page.title.as_deref(),
            Some("Caf\u{e9} owners join Denver\u{2019}s Capitol rally \u{2014} \u{201c}We\u{2019}re here\u{201d}")
        );
        assert_eq!(
            page.url.as_deref(),
            Some("https://courier.example/news/2025/06/denver-capitol-rally")
        );
        assert_eq!(page.published, Date::from_ymd_opt(2025, 6, 15));
        let body = &page.body;
        assert!(
            body.contains("DENVER \u{2014} About 12,000 people marched from Civic Center Park"),
            "{body}"
        );
        assert!(body.contains("small caf\u{e9} on Colfax"), "{body}");
        assert!(
            body.contains("\u{201c}We\u{2019}d rather be here,\u{201d}"),
            "{body}"
        );
        // Nothing of the page furniture, scripts, captions, asides or hidden text.
        for absent in [
            "9,999",
            "12,000 people\"",
            "44,000",
            "8,000",
            "70,000",
            "50,000",
            "3,000",
            "61,000",
            "250,000",
            "Home",
            "5,000",
        ] {
            assert!(!body.contains(absent), "{absent:?} in {body}");
        }
        // An attribute holding ">" does not end its tag early.
        assert!(!body.contains("twice\">"), "{body}");
        assert!(!body.contains("strong\">"), "{body}");
    }

    #[test]
    fn issue_9_rss_prefers_full_content_and_decodes_double_escaped_html() {
        let feed = read_feed(RSS);
        assert!(feed.diagnostics.is_empty(), "{:?}", feed.diagnostics);
        assert_eq!(feed.items.len(), 2);
        let fargo = &feed.items[0];
        assert_eq!(
            fargo.title.as_deref(),
            Some("Hundreds rally in Fargo & Moorhead")
        );
        assert_eq!(
            fargo.url.as_deref(),
            Some("https://wire.example/2025/06/fargo-rally")
        );
        assert_eq!(fargo.published, Date::from_ymd_opt(2025, 6, 15));
        assert!(
            fargo
                .body
                .starts_with("FARGO, N.D. \u{2014} About 1,500 people"),
            "{}",
            fargo.body
        );
        assert!(fargo.body.contains("Moorhead, Minn., several hundred"));
        assert!(!fargo.body.contains("90,000") && !fargo.body.contains("short summary"));
        let vigil = &feed.items[1];
        assert_eq!(
            vigil.body,
            "SIOUX FALLS, S.D. \u{2014} Roughly 300 people held a candlelight vigil downtown on Saturday, the Argus Leader reported."
        );
        // The item's source is its inner markup, verbatim.
        assert!(RSS[vigil.inner.clone()]
            .trim()
            .starts_with("<title>Sioux Falls vigil</title>"));
    }

    #[test]
    fn issue_9_atom_takes_the_alternate_link_and_reads_xhtml_content() {
        let feed = read_feed(ATOM);
        assert_eq!(feed.items.len(), 2);
        let tucson = &feed.items[0];
        assert_eq!(tucson.title.as_deref(), Some("Tucson & Phoenix rallies"));
        assert_eq!(
            tucson.url.as_deref(),
            Some("https://dispatch.example/2025/06/tucson-rally")
        );
        assert_eq!(
            tucson.body,
            "TUCSON, Ariz. \u{2014} Close to 4,000 people marched downtown on Saturday, organizers said.\n\nThe city\u{2019}s police put the figure at 2,500."
        );
        let flagstaff = &feed.items[1];
        assert_eq!(
            flagstaff.url.as_deref(),
            Some("https://dispatch.example/2025/06/flagstaff")
        );
        assert_eq!(flagstaff.published, Date::from_ymd_opt(2025, 6, 15));
        assert!(flagstaff
            .body
            .starts_with("FLAGSTAFF, Ariz. \u{2014} At least 3,000"));
    }

    /// Runs `f` and fails when it takes longer than `limit` (debug builds included).
    fn within<T>(limit: Duration, f: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let out = f();
        assert!(started.elapsed() < limit, "took {:?}", started.elapsed());
        out
    }

    #[test]
    fn issue_9_billion_laughs_and_external_entities_are_never_expanded() {
        let mut dtd = String::from("<!DOCTYPE rss [\n<!ENTITY lol0 \"lol\">\n");
        for i in 1..10 {
            let prev = format!("&lol{};", i - 1);
            dtd.push_str(&format!("<!ENTITY lol{i} \"{}\">\n", prev.repeat(10)));
        }
        dtd.push_str("<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n");
        let xml = format!(
            "<?xml version=\"1.0\"?>{dtd}<rss><channel><item><title>Laughs &lol9;</title>\
             <description>About 300 people marched. &xxe; &lol9;</description></item>\
             </channel></rss>"
        );
        let feed = within(Duration::from_secs(2), || read_feed(&xml));
        assert_eq!(feed.items.len(), 1);
        let item = &feed.items[0];
        assert_eq!(item.body, "About 300 people marched. &xxe; &lol9;");
        assert_eq!(item.title.as_deref(), Some("Laughs &lol9;"));
        assert!(!item.body.contains("root:"));
    }

    #[test]
    fn issue_9_deep_nesting_costs_no_stack() {
        let depth = 100_000;
        let html = format!(
            "<html><body><article>{}<p>About 500 people marched.</p>{}</article></body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let page = within(Duration::from_secs(20), || read_html(&html));
        assert!(page.body.contains("About 500 people marched."));
        let xml = format!(
            "<rss><channel><item><description>{}About 500 people marched.{}</description></item></channel></rss>",
            "<x>".repeat(depth),
            "</x>".repeat(depth)
        );
        let feed = within(Duration::from_secs(20), || read_feed(&xml));
        assert_eq!(feed.items.len(), 1);
        assert!(feed.items[0].body.contains("About 500 people marched."));
        // Unclosed to the end: read as far as it goes, with a note.
        let open = format!(
            "<rss><channel><item><title>Cut</title>{}",
            "<x>".repeat(depth)
        );
        let feed = within(Duration::from_secs(20), || read_feed(&open));
        assert_eq!(feed.items.len(), 1);
        assert!(!feed.diagnostics.is_empty());
    }

    #[test]
    fn issue_9_large_documents_are_read_in_linear_time() {
        let paragraph = "<p>About 1,200 people marched &amp; chanted downtown on Saturday.</p>\n";
        let html = format!(
            "<html><body><article>{}</article></body></html>",
            paragraph.repeat(15_000)
        );
        assert!(html.len() > 1_000_000);
        let page = within(Duration::from_secs(30), || read_html(&html));
        assert_eq!(page.body.matches("About 1,200 people").count(), 15_000);
        let item = "<item><title>T</title><description>&lt;p&gt;About 80 people met.&lt;/p&gt;</description></item>\n";
        let xml = format!("<rss><channel>{}</channel></rss>", item.repeat(5_000));
        let feed = within(Duration::from_secs(30), || read_feed(&xml));
        assert_eq!(feed.items.len(), 5_000);
    }

    #[test]
    fn malformed_markup_is_read_as_far_as_it_goes() {
        let page = read_html("<p>About <b>400 people</p> marched <i>downtown");
        assert_eq!(page.body, "About 400 people\n\nmarched downtown");
        let feed = read_feed("<rss><item><title>A</title><description>x &amp y</description></item><item><title>B</ti");
        assert_eq!(feed.items.len(), 2);
        assert_eq!(feed.items[0].body, "x & y");
        assert_eq!(
            lenient_unescape("AT&T rally; &bogus; &#x41;&#66;&lt;"),
            "AT&T rally; &bogus; AB<"
        );
    }
}
