//! The few pieces every page is made of: escaping, the page frame, numbers in words,
//! and reading fields out of the JSON answers the API also serves.
//!
//! Pages read the same `tally-query` answers as the API, turned into JSON values, so a
//! page shows exactly the fields (and the field names) that `--json` prints. Every text
//! that came from a source or a submission goes through [`escape`] (text and attribute
//! values) or [`json_for_script`] (JSON embedded in a data block), and the
//! Content-Security-Policy forbids inline scripts, so such text can never run.

use serde_json::Value;
use std::fmt::Write;

/// Escapes text for HTML element content and for double- or single-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters from sources are shown, not obeyed.
            c if c.is_control() && c != '\n' && c != '\t' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the two
/// line separators are written as `\u` escapes, so no text inside can close the block.
pub fn json_for_script(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A whole number with thousands separators ("1,250,000"), as the CLI prints it.
pub use tally_model::group_thousands as group;

/// A range in words: "2,000", or "2,000 – 10,000".
pub fn range(low: u64, high: u64) -> String {
    if low == high {
        group(low)
    } else {
        format!("{} – {}", group(low), group(high))
    }
}

/// "1 event", "2 events".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", group(n), if n == 1 { one } else { many })
}

/// The value at `key` as a whole number (JSON numbers may come as floats).
pub fn uint(value: &Value, key: &str) -> Option<u64> {
    let v = value.get(key)?;
    v.as_u64()
        .or_else(|| v.as_f64().filter(|f| *f >= 0.0).map(|f| f.round() as u64))
}

/// The value at `key` as a float.
pub fn float(value: &Value, key: &str) -> Option<f64> {
    value.get(key)?.as_f64()
}

/// The value at `key` as text.
pub fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key)?.as_str()
}

/// Where an event is, in words: the resolved locality and state, else the text as given.
pub fn place_name(event: &Value) -> String {
    let place = &event["place"];
    let resolved = &place["resolved"];
    let locality = text(resolved, "locality").or_else(|| text(place, "locality"));
    let state = text(resolved, "state").or_else(|| text(place, "state"));
    match (locality, state) {
        (Some(l), Some(s)) => format!("{l}, {s}"),
        (None, Some(s)) if place["online"].as_bool() == Some(true) => format!("online ({s})"),
        _ => text(place, "raw").unwrap_or("unknown place").to_string(),
    }
}

/// The pages of the navigation bar: path and label.
const NAV: &[(&str, &str)] = &[
    ("/", "The day"),
    ("/check", "Check a claim"),
    ("/compare", "Compare"),
    ("/submit", "Submit a report"),
    ("/review", "Review"),
];

/// A whole page: head, navigation, the body given, and the one script (external).
pub fn page(title: &str, current: &str, body: &str) -> String {
    let mut nav = String::new();
    for (path, label) in NAV {
        let here = if *path == current {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(nav, "<li><a href=\"{path}\"{here}>{label}</a></li>");
    }
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · Tally</title>\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <link rel=\"stylesheet\" href=\"/assets/app.css\">\n\
         <script src=\"/assets/vendor/d3-array.min.js\" defer></script>\n\
         <script src=\"/assets/vendor/d3-geo.min.js\" defer></script>\n\
         <script src=\"/assets/vendor/topojson-client.min.js\" defer></script>\n\
         <script src=\"/assets/app.js\" defer></script>\n\
         </head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the content</a>\n\
         <header><p class=\"brand\"><a href=\"/\">Tally</a> <span>crowd counts with their uncertainty</span></p>\
         <nav aria-label=\"Pages\"><ul>{nav}</ul></nav></header>\n\
         <main id=\"main\">\n{body}\n</main>\n\
         <footer><p>Every figure links to the words of its sources. Ranges are what sources \
         reported; intervals are 90% intervals. Data: the ledger this server reads.</p></footer>\n\
         </body>\n</html>\n",
        title = escape(title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escape_neutralises_markup_in_text_and_attributes() {
        let hostile = "<img src=x onerror=\"alert(1)\"> & 'quoted' <script>x()</script>";
        let out = escape(hostile);
        assert!(!out.contains('<') && !out.contains('>') && !out.contains('"'));
        assert!(!out.contains('\''));
        assert!(out.contains("&lt;script&gt;"));
        assert_eq!(escape("\u{1b}[31m"), "\\u{1b}[31m");
    }

    #[test]
    fn json_in_a_data_block_cannot_close_it() {
        let value = json!({"title": "</script><script>alert(1)</script>", "a": "x & y"});
        let out = json_for_script(&value);
        assert!(!out.contains("</script"));
        assert!(!out.contains('<') && !out.contains('&'));
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(group(0), "0");
        assert_eq!(group(1_250_000), "1,250,000");
        assert_eq!(range(5, 5), "5");
        assert_eq!(range(2_000, 10_000), "2,000 – 10,000");
        assert_eq!(plural(1, "event", "events"), "1 event");
        assert_eq!(plural(2, "event", "events"), "2 events");
    }
}
