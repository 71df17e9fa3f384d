//! Throughput and accuracy benchmark of the extractor (run by
//! `scripts/bench-extract.sh`; not a test).
//!
//! Usage: `bench CORPUS_DIR OUT_JSONL`. Reads the labelled corpus, writes it as JSON
//! Lines (`{"id", "text", "expected": [[low, high], ...]}`) for the peer tool, scores
//! Tally on exact (low, high) pairs, then times `extract` on about 20 MB made by
//! repeating the passages, read one passage per call (80-byte documents) and twelve
//! passages per call (1 KB articles), and on one 10 MB line. Throughput is bytes per second of this thread's CPU time (per core).
//! Prints one JSON object with the results.

use std::io::Write;
use std::time::Instant;
use tally_extract::{extract, ExtractOptions};

/// The allocator of the `tally` binary (tally-cli's `main.rs`), so that the bench times
/// extraction as `tally extract` and an article ingest run it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Passage {
    text: String,
    rules: Option<String>,
    expected: Vec<(u64, u64)>,
    id: String,
}

fn load(dir: &std::path::Path) -> Vec<Passage> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut out: Vec<Passage> = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("corpus file");
        for line in text.lines() {
            if let Some(h) = line.strip_prefix("## ") {
                let id = h.split_whitespace().next().unwrap_or("").to_string();
                let rules = h
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("rules="))
                    .map(str::to_string);
                out.push(Passage {
                    rules,
                    text: String::new(),
                    expected: Vec::new(),
                    id,
                });
            } else if let Some(p) = out.last_mut() {
                if let Some(exp) = line.strip_prefix("> ") {
                    let first = exp.split_whitespace().next().unwrap_or("");
                    let parse = |s: &str| s.parse::<u64>().ok();
                    let pair = match first.split_once('-') {
                        Some((l, h)) => parse(l).zip(parse(h)),
                        None => parse(first).map(|v| (v, v)),
                    };
                    if let Some(pair) = pair.filter(|_| exp.split_whitespace().count() == 3) {
                        p.expected.push(pair);
                    }
                } else if !line.trim().is_empty() {
                    if !p.text.is_empty() {
                        p.text.push('\n');
                    }
                    p.text.push_str(line);
                }
            }
        }
    }
    out
}

/// CPU time of this thread in seconds, from /proc (Linux); wall time is unreliable
/// on a shared machine, and the target is per core.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("CORPUS_DIR"));
    let out_path = args.next().expect("OUT_JSONL");
    let passages = load(&dir);
    let options = ExtractOptions::default();

    let mut file = std::fs::File::create(&out_path).expect("output file");
    let (mut found, mut expected, mut matched) = (0usize, 0usize, 0usize);
    for p in &passages {
        let e = serde_json::json!({"id": p.id, "text": p.text, "expected": p.expected});
        writeln!(file, "{e}").expect("write");
        let passage_options = match &p.rules {
            Some(name) => ExtractOptions {
                rules: tally_model::CodingRules::named(name).expect("known rules"),
                publication_date: None,
            },
            None => options.clone(),
        };
        let got = extract(&p.text, &passage_options);
        let mut left = p.expected.clone();
        expected += left.len();
        found += got.estimates.len();
        for f in &got.estimates {
            let pair = (f.estimate.low(), f.estimate.high());
            if let Some(k) = left.iter().position(|x| *x == pair) {
                left.remove(k);
                matched += 1;
            }
        }
    }
    let precision = matched as f64 / found.max(1) as f64;
    let recall = matched as f64 / expected.max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE);

    // About 20 MB of articles: the passages, repeated.
    let one_round: usize = passages.iter().map(|p| p.text.len()).sum();
    let rounds = (20_000_000 / one_round.max(1)).max(1);
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let mut sizes = 0usize;
    for _ in 0..rounds {
        for p in &passages {
            sizes += extract(&p.text, &options).estimates.len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu_start).map_or(secs, |(b, a)| b - a);
    let bytes = (one_round * rounds) as f64;
    let corpus_mb_s = bytes / 1e6 / cpu;

    // The same text as articles: twelve passages per document (about 1 KB, several
    // paragraphs), which is closer to what `tally ingest --format articles` reads.
    let articles: Vec<String> = passages
        .chunks(12)
        .map(|c| {
            c.iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("\n\n")
        })
        .collect();
    let article_round: usize = articles.iter().map(String::len).sum();
    let article_rounds = (20_000_000 / article_round.max(1)).max(1);
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let mut article_sizes = 0usize;
    for _ in 0..article_rounds {
        for a in &articles {
            article_sizes += extract(a, &options).estimates.len();
        }
    }
    let article_secs = start.elapsed().as_secs_f64();
    let article_cpu = cpu_seconds()
        .zip(cpu_start)
        .map_or(article_secs, |(b, a)| b - a);
    let article_bytes = (article_round * article_rounds) as f64;
    let article_mb_s = article_bytes / 1e6 / article_cpu;

    // One 10 MB line.
    let mut line = String::with_capacity(10_100_000);
    while line.len() < 10_000_000 {
        for p in &passages {
            line.push_str(&p.text.replace('\n', " "));
            line.push(' ');
        }
    }
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let line_sizes = extract(&line, &options).estimates.len();
    let line_secs = start.elapsed().as_secs_f64();
    let line_cpu = cpu_seconds()
        .zip(cpu_start)
        .map_or(line_secs, |(b, a)| b - a);
    let line_mb_s = line.len() as f64 / 1e6 / line_cpu;

    println!(
        "{}",
        serde_json::json!({
            "passages": passages.len(),
            "expected": expected,
            "found": found,
            "matched": matched,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "corpus_bytes": bytes,
            "corpus_seconds": secs,
            "corpus_cpu_seconds": cpu,
            "corpus_mb_s": corpus_mb_s,
            "corpus_sizes": sizes,
            "articles": articles.len(),
            "article_bytes": article_bytes,
            "article_cpu_seconds": article_cpu,
            "article_mb_s": article_mb_s,
            "article_sizes": article_sizes,
            "line_bytes": line.len(),
            "line_seconds": line_secs,
            "line_cpu_seconds": line_cpu,
            "line_mb_s": line_mb_s,
            "line_sizes": line_sizes,
        })
    );
}
