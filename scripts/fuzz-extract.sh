#!/usr/bin/env bash
# Fuzzes the extractor (fuzz/fuzz_targets/extract.rs) with cargo-fuzz for a bounded
# time. cargo-fuzz needs a nightly compiler (for -Z sanitizer flags): this uses the
# `nightly` toolchain when rustup has one, and otherwise RUSTC_BOOTSTRAP=1 on stable,
# which unlocks the same flags.
#
# Usage: scripts/fuzz-extract.sh [SECONDS]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-60}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz..." >&2
  cargo install cargo-fuzz --locked
fi

TOOLCHAIN=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  TOOLCHAIN=(+nightly)
else
  echo "no nightly toolchain: using RUSTC_BOOTSTRAP=1 on stable" >&2
  export RUSTC_BOOTSTRAP=1
fi

# Seed the corpus with the labelled passages.
mkdir -p fuzz/corpus/extract
for f in test_data/extract/*.txt; do
  awk -v dir=fuzz/corpus/extract -v base="$(basename "$f" .txt)" '
    /^## / { n++; next } /^> / { next } { print > (dir "/" base "-" n) }' "$f"
done

cargo "${TOOLCHAIN[@]}" fuzz run extract -- -max_total_time="$SECONDS_TO_RUN" -max_len=4096
