//! A snapshot of what the extractor finds in every corpus passage, beside the score
//! floors of `corpus.rs`: when a rule changes, the failure names exactly the passages
//! that moved and shows their old and new lines.
//!
//! The snapshot is `test_data/extract/snapshots/corpus.snap`, one line per passage.
//! After a deliberate change, rewrite it with
//! `UPDATE_SNAPSHOTS=1 cargo test -p tally-extract --test it snapshot` and review the
//! diff in the commit.

use crate::corpus::{corpus_dir, load};
use tally_extract::{extract, ExtractOptions};
use tally_model::CodingRules;

fn render(text: &str, options: &ExtractOptions) -> String {
    let e = extract(text, options);
    let mut parts: Vec<String> = e
        .estimates
        .iter()
        .map(|f| {
            let est = &f.estimate;
            let mut s = if est.low() == est.high() {
                est.low().to_string()
            } else {
                format!("{}-{}", est.low(), est.high())
            };
            s.push(' ');
            s.push_str(est.attribution().as_str());
            s.push(' ');
            s.push_str(est.scope().as_str());
            if let Some(q) = est.qualifier() {
                s.push_str(&format!(" q={q:?}"));
            }
            if let Some(l) = &f.locality {
                s.push_str(&format!(" @{l}"));
            }
            if let Some(st) = f.state {
                s.push_str(&format!(",{st}"));
            }
            if f.past {
                s.push_str(" past");
            }
            s
        })
        .collect();
    if let Some(n) = e.event_count {
        parts.push(format!("events {n}"));
    }
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(" | ")
    }
}

#[test]
fn every_corpus_passage_matches_its_snapshot() {
    let mut lines = Vec::new();
    for p in load() {
        let rules = match &p.rules {
            Some(name) => CodingRules::named(name).expect("known rules"),
            None => CodingRules::default(),
        };
        let options = ExtractOptions {
            rules,
            publication_date: p.published,
        };
        lines.push(format!("{}: {}", p.id, render(&p.text, &options)));
    }
    let actual = lines.join("\n") + "\n";
    let path = corpus_dir().join("snapshots/corpus.snap");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected == actual {
        return;
    }
    let old: std::collections::HashMap<&str, &str> = expected
        .lines()
        .filter_map(|l| l.split_once(": "))
        .collect();
    let mut moved = Vec::new();
    for line in actual.lines() {
        let (id, now) = line.split_once(": ").unwrap();
        match old.get(id) {
            Some(before) if *before == now => {}
            Some(before) => moved.push(format!("{id}\n  was: {before}\n  now: {now}")),
            None => moved.push(format!("{id}\n  new: {now}")),
        }
    }
    let gone = expected.lines().count() > actual.lines().count();
    panic!(
        "{} passage(s) moved{} (rewrite with UPDATE_SNAPSHOTS=1 when deliberate):\n{}",
        moved.len(),
        if gone {
            ", and some passages are gone"
        } else {
            ""
        },
        moved.join("\n")
    );
}
