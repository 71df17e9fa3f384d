//! Turns the lexicon's data files (`lexicon/*.txt`: one lowercased word a line, `#`
//! comment lines) into word classes: `year-leads.txt` becomes `lexicon::YEAR_LEADS`,
//! documented by the file's comment, whose lookup is a `match` on the word (the code
//! an inline `matches!` list compiles to: no hashing, nothing to build at run time).
//!
//! A file with an uppercase word, a duplicate or no word at all fails the build with
//! its name and line.
//!
//! Every list also gets one bit of `lexicon::Classes`, and `CLASS_WORDS` gives each
//! word of any list the set of all its bits at once (an index into `CLASS_SETS`, the
//! distinct sets): `Doc` looks a token up once, keeps a reference to its set, and
//! answers "is token k in list L" with a bit test. The first eight bits are the lists behind
//! the flags of `lexicon::flags` (`FLAG_FILES`, in flag order). `Classes` has as many
//! 64-bit words as the lists need (`CLASS_WORDS_PER_SET`, at least two), so every
//! list has its bit however many there are.

include!("src/word_hash.rs");

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The lists behind `lexicon::NUMBER_START`, `CLAUSE_BREAK`, ... `NAME_CUE`: bits 0 to
/// 7 of `Classes`, in this order.
const FLAG_FILES: [&str; 8] = [
    "number-starts.txt",
    "clause-breaks.txt",
    "source-starts.txt",
    "crowd-words.txt",
    "venues.txt",
    "aggregate-starts.txt",
    "qualifier-ends.txt",
    "name-cues.txt",
];

/// `Classes` has at least this many 64-bit words (128 bits), more when the lists need
/// them: a set is copied once per token, so its size barely matters to `Doc`.
const MIN_CLASS_WORDS: usize = 2;

/// The present participle of a regular past tense ("cheered" -> "cheering",
/// "lined" -> "lining", "occupied" -> "occupying"), unless it is mostly read as an
/// adjective or a noun ("the remaining 200", "the surrounding streets", "in mourning")
/// or names a remote audience ("watching").
fn participle(w: &str) -> Option<String> {
    let stem = w.strip_suffix("ed").filter(|s| s.len() >= 3)?;
    let stem = match stem.strip_suffix('i') {
        Some(s) => format!("{s}y"),
        None => stem.to_string(),
    };
    let p = format!("{stem}ing");
    (!matches!(
        p.as_str(),
        "remaining" | "surrounding" | "overwhelming" | "mourning" | "watching" | "ringing"
    ))
    .then_some(p)
}

fn main() {
    let dir = Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"))
        .join("lexicon");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("lexicon entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    // The flag lists first, in flag order, so that they take bits 0 to 7.
    files.sort_by_key(|p| {
        let name = p.file_name().and_then(|f| f.to_str()).unwrap_or("");
        FLAG_FILES
            .iter()
            .position(|f| *f == name)
            .unwrap_or(FLAG_FILES.len())
    });
    for f in FLAG_FILES {
        assert!(
            files.iter().any(|p| p.ends_with(f)),
            "lexicon/{f} is missing (it holds the words of a flag)"
        );
    }
    let mut out = String::new();
    // One bit per list: list `n` is bit `n % 64` of word `n / 64`.
    let set_words = files.len().div_ceil(64).max(MIN_CLASS_WORDS);
    writeln!(
        out,
        "/// The 64-bit words of `Classes`: one bit for each of the {} lists.\npub const CLASS_WORDS_PER_SET: usize = {set_words};",
        files.len()
    )
    .unwrap();
    // Every word of every list, and the bits of its lists.
    let mut class_words: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut names = Vec::new();
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .expect("utf-8 file name");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{file}: {e}"));
        let name = file
            .trim_end_matches(".txt")
            .replace('-', "_")
            .to_uppercase();
        let mut doc = Vec::new();
        let mut words: Vec<&str> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if let Some(comment) = line.strip_prefix('#') {
                // The comment lines before the first word document the class; later
                // ones are notes on the words after them.
                if words.is_empty() {
                    doc.push(comment.trim());
                }
            } else if !line.is_empty() {
                assert!(
                    line == line.to_lowercase(),
                    "lexicon/{file}, line {}: {line:?} is not lowercase",
                    n + 1
                );
                assert!(
                    !words.contains(&line),
                    "lexicon/{file}, line {}: {line:?} is listed twice",
                    n + 1
                );
                words.push(line);
            }
        }
        assert!(!words.is_empty(), "lexicon/{file}: no words");
        // A verb of coming counts in its participle too: "cheered" gives "cheering",
        // "occupied" "occupying" (`participle`).
        let participles: Vec<String> = if file == "crowd-verbs.txt" {
            words
                .iter()
                .filter_map(|w| participle(w))
                .filter(|p| !words.contains(&p.as_str()))
                .collect()
        } else {
            Vec::new()
        };
        let mut participles_seen: Vec<&str> = Vec::new();
        for p in &participles {
            if !participles_seen.contains(&p.as_str()) {
                participles_seen.push(p);
            }
        }
        words.extend(participles_seen);
        for d in &doc {
            writeln!(out, "/// {d}").unwrap();
        }
        writeln!(out, "///\n/// From `lexicon/{file}`.").unwrap();
        let pattern: Vec<String> = words.iter().map(|w| format!("{w:?}")).collect();
        let index = names.len();
        let mut one_bit = vec![0u64; set_words];
        one_bit[index / 64] = 1 << (index % 64);
        for w in &words {
            let bits = class_words
                .entry(w.to_string())
                .or_insert_with(|| vec![0; set_words]);
            bits[index / 64] |= one_bit[index / 64];
        }
        if FLAG_FILES.contains(&file) {
            writeln!(
                out,
                "/// Asked through its flag (`lexicon::flags`).\n#[allow(dead_code)]"
            )
            .unwrap();
        }
        writeln!(
            out,
            "pub static {name}: WordList = WordList {{\n    bits: {},\n    word: {},\n    mask: {:#x},\n    file: {file:?},\n    #[cfg(test)]\n    words: &[{}],\n    matches: |w| {},\n}};",
            set_literal(&one_bit),
            index / 64,
            one_bit[index / 64],
            pattern.join(", "),
            matcher(&words)
        )
        .unwrap();
        names.push((file.to_string(), name));
    }
    writeln!(
        out,
        "/// Every data-file list, by file name (for tests).\n#[cfg(test)]\npub fn all_lists() -> Vec<(&'static str, &'static WordList)> {{\n    vec![{}]\n}}",
        names
            .iter()
            .map(|(f, n)| format!("({f:?}, &{n})"))
            .collect::<Vec<_>>()
            .join(", ")
    )
    .unwrap();
    // `CLASS_WORDS` and an open-addressing table over it (`lexicon::classes`): a slot
    // is 0 (empty) or a 16-bit fingerprint of the word's hash over its index + 1; at
    // most two fifths of the slots are used, so a miss ends at a probe or two.
    let class_words: Vec<(String, Vec<u64>)> = class_words.into_iter().collect();
    assert!(
        class_words.len() < 0xffff,
        "too many lexicon words for the class table"
    );
    let mut table_bits = 4;
    while (1usize << table_bits) < class_words.len() * 5 / 2 {
        table_bits += 1;
    }
    let mut table = vec![0u32; 1 << table_bits];
    for (index, (w, _)) in class_words.iter().enumerate() {
        let h = word_hash(w.as_bytes());
        let mut slot = (h >> (64 - table_bits)) as usize;
        while table[slot] != 0 {
            slot = (slot + 1) & (table.len() - 1);
        }
        table[slot] = (((h >> 16) as u16 as u32) << 16) | (index as u32 + 1);
    }
    let longest = class_words.iter().map(|(w, _)| w.len()).max().unwrap_or(0);
    writeln!(
        out,
        "/// The longest word of a list with a bit, in bytes.\npub const LONGEST_CLASS_WORD: usize = {longest};"
    )
    .unwrap();
    // The distinct sets of classes of the words, the empty set first: a word's entry
    // gives the index of its set (`lexicon::ClassId`), and `Doc` keeps that index per
    // token (two bytes) instead of the set (eight bytes a 64 lists).
    let mut sets: Vec<Vec<u64>> = vec![vec![0; set_words]];
    sets.extend(
        class_words
            .iter()
            .map(|(_, bits)| bits.clone())
            .collect::<std::collections::BTreeSet<_>>(),
    );
    assert!(sets.len() <= 0xffff, "too many sets of lexicon classes");
    let set_count = sets.len().next_power_of_two();
    writeln!(
        out,
        "/// Every word of the lists that have a bit, with the index of the set of all its\n/// lists' bits in `CLASS_SETS`.\nstatic CLASS_WORDS: [(&str, ClassId); {}] = [\n{}];",
        class_words.len(),
        class_words
            .iter()
            .map(|(w, bits)| format!(
                "    ({w:?}, {}),\n",
                sets.iter().position(|s| s == bits).unwrap_or(0)
            ))
            .collect::<String>()
    )
    .unwrap();
    writeln!(
        out,
        "/// The distinct sets of classes of the lexicon's words ({} of them; `NO_CLASSES`\n/// first), padded with empty sets to a power of two so that an index masked by its\n/// length needs no bounds check.\nstatic CLASS_SETS: [Classes; {set_count}] = [\n{}];",
        sets.len(),
        (0..set_count)
            .map(|k| format!(
                "    {},\n",
                set_literal(sets.get(k).unwrap_or(&sets[0]))
            ))
            .collect::<String>()
    )
    .unwrap();
    // A punctuation token is one character that is no letter or digit: when no list
    // holds such a word, `Doc` need not look punctuation up.
    let punctuation = class_words.iter().any(|(w, _)| {
        let mut chars = w.chars();
        chars.next().is_some_and(|c| !c.is_alphanumeric()) && chars.next().is_none()
    });
    writeln!(
        out,
        "/// True when some list holds a one-character word that is no letter or digit.\npub const PUNCTUATION_WORDS: bool = {punctuation};"
    )
    .unwrap();
    // A number token ("5,000", "50501") is looked up only when some list holds a word
    // of its length that starts with a digit: one bit per length (63 for any longer).
    let number_lengths = class_words
        .iter()
        .filter(|(w, _)| w.starts_with(|c: char| c.is_ascii_digit()))
        .fold(0u64, |m, (w, _)| m | 1 << w.len().min(63));
    writeln!(
        out,
        "/// Bit `n` is set when some list holds a word of `n` bytes (63: more) that starts\n/// with a digit.\npub const NUMBER_WORD_LENGTHS: u64 = {number_lengths:#x};"
    )
    .unwrap();
    writeln!(
        out,
        "/// Bits of the hash that pick a slot of `CLASS_TABLE`.\nconst CLASS_TABLE_BITS: u32 = {table_bits};\n/// The slots of `CLASS_WORDS` by hash (see `build.rs`).\nstatic CLASS_TABLE: [u32; {}] = {table:?};",
        table.len()
    )
    .unwrap();
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("word_lists.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}

/// The lookup of one list: `matches!` on the word, split by length (and, for a length
/// with many words, by first byte) so that a word is compared only with the few words
/// of its length, each comparison of a known size (a long list in one `matches!` is
/// tried word by word).
fn matcher(words: &[&str]) -> String {
    if words.len() <= 8 {
        return format!("matches!(w, {})", quoted(words));
    }
    let mut by_len: std::collections::BTreeMap<usize, Vec<&str>> = Default::default();
    for w in words {
        by_len.entry(w.len()).or_default().push(w);
    }
    let mut arms = String::new();
    for (len, group) in &by_len {
        if group.len() <= 4 {
            writeln!(arms, "        {len} => matches!(w, {}),", quoted(group)).unwrap();
            continue;
        }
        let mut by_first: std::collections::BTreeMap<u8, Vec<&str>> = Default::default();
        for w in group {
            by_first.entry(w.as_bytes()[0]).or_default().push(w);
        }
        writeln!(arms, "        {len} => match w.as_bytes()[0] {{").unwrap();
        for (first, sub) in &by_first {
            writeln!(arms, "            {first} => matches!(w, {}),", quoted(sub)).unwrap();
        }
        writeln!(arms, "            _ => false,\n        }},").unwrap();
    }
    format!("match w.len() {{\n{arms}        _ => false,\n    }}")
}

/// A `Classes` value as Rust: "[0x1, 0x0]".
fn set_literal(bits: &[u64]) -> String {
    let words: Vec<String> = bits.iter().map(|b| format!("{b:#x}")).collect();
    format!("[{}]", words.join(", "))
}

fn quoted(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("{w:?}"))
        .collect::<Vec<_>>()
        .join(" | ")
}
