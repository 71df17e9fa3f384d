//! A fixed extraction workload for counting instructions, which unlike CPU time does
//! not move with the load of a shared machine (not a test; see BENCHMARKS.md,
//! "Extraction"):
//!
//! `valgrind --tool=cachegrind --cache-sim=no target/release/examples/icount
//! test_data/extract article` (or `passage`, or `line`).
//!
//! It reads the labelled corpus like `bench` does and runs `extract` once over it: as
//! 1 KB articles of twelve passages, one passage per call, or one line. The count
//! includes reading the corpus (about 1.6 million instructions), the same for any
//! build.

use tally_extract::{extract, ExtractOptions};

/// The allocator of the `tally` binary and of `bench`, so that the count is that of
/// the extraction they time (glibc's malloc costs several times mimalloc's per call).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("CORPUS_DIR"));
    let mode = args.next().unwrap_or_else(|| "article".to_string());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut texts: Vec<String> = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("corpus file");
        for line in text.lines() {
            if line.starts_with("## ") {
                texts.push(String::new());
            } else if let Some(p) = texts.last_mut() {
                if line.starts_with("> ") || line.trim().is_empty() {
                    continue;
                }
                if !p.is_empty() {
                    p.push('\n');
                }
                p.push_str(line);
            }
        }
    }
    let options = ExtractOptions::default();
    let mut sizes = 0;
    match mode.as_str() {
        "article" => {
            for c in texts.chunks(12) {
                sizes += extract(&c.join("\n\n"), &options).estimates.len();
            }
        }
        "passage" => {
            for t in &texts {
                sizes += extract(t, &options).estimates.len();
            }
        }
        _ => {
            let line: Vec<String> = texts.iter().map(|t| t.replace('\n', " ")).collect();
            sizes += extract(&line.join(" "), &options).estimates.len();
        }
    }
    println!("{sizes}");
}
