#!/usr/bin/env bash
# Fuzzes every reader (fuzz/fuzz_targets/*.rs: dataset CSV, sheets, reports CSV, event
# lists, articles (HTML and feeds), the extractor, the claim parser, geocode input) for
# SECONDS each with cargo-fuzz, then records the time run and the crashes found in
# BENCHMARKS.md ("Fuzzing" section, replaced on each run).
#
# cargo-fuzz needs a nightly compiler (-Z sanitizer flags): this uses the `nightly`
# toolchain when rustup has one, and otherwise RUSTC_BOOTSTRAP=1 on stable.
# Crashes are kept by libFuzzer in fuzz/artifacts/TARGET/.
#
# Usage: scripts/fuzz-all.sh [SECONDS]   (default 60 per target)
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
TARGETS=(ingest_dataset ingest_sheet ingest_reports ingest_eventlist articles extract claim geocode)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz..." >&2
  cargo install cargo-fuzz --locked || exit 1
fi
TOOLCHAIN=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  TOOLCHAIN=(+nightly)
else
  echo "no nightly toolchain: using RUSTC_BOOTSTRAP=1 on stable" >&2
  export RUSTC_BOOTSTRAP=1
fi

# Seed corpora from the repository's own test files.
seed() {
  local target=$1; shift
  mkdir -p "fuzz/corpus/$target"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "fuzz/corpus/$target/"; done
}
seed ingest_dataset test_data/ingest/ccc-*.csv
seed ingest_sheet test_data/ingest/sheet-*.csv examples/sheet.csv
seed ingest_reports test_data/ingest/reports-mini.csv examples/reports.csv
seed ingest_eventlist test_data/ingest/eventlist-* examples/events.csv
seed articles examples/article.html examples/article.txt test_data/articles/*
seed claim
printf 'over 5 million people in over 2,000 places' > fuzz/corpus/claim/national
printf 'between 80,000 and 120,000 people attended the parade' > fuzz/corpus/claim/parade
seed geocode
printf 'St. Paul/Minneapolis, MN' > fuzz/corpus/geocode/twin
printf 'Troy|PA|Bradford|41.78,-76.79' > fuzz/corpus/geocode/troy

cargo "${TOOLCHAIN[@]}" fuzz build -O || exit 1

rows=()
total_crashes=0
started_all=$(date +%s)
for target in "${TARGETS[@]}"; do
  before=$(ls "fuzz/artifacts/$target" 2>/dev/null | grep -c '^crash-' || true)
  log=$(mktemp)
  start=$(date +%s)
  cargo "${TOOLCHAIN[@]}" fuzz run -O "$target" -- \
    -max_total_time="$SECONDS_EACH" -max_len=65536 -rss_limit_mb=2048 >"$log" 2>&1
  status=$?
  elapsed=$(( $(date +%s) - start ))
  after=$(ls "fuzz/artifacts/$target" 2>/dev/null | grep -c '^crash-' || true)
  crashes=$(( after - before ))
  runs=$(grep -oE '#[0-9]+' "$log" | tail -1 | tr -d '#')
  total_crashes=$(( total_crashes + crashes ))
  echo "$target: ${elapsed}s, ${runs:-0} runs, exit $status, $crashes new crashes" >&2
  rows+=("| \`$target\` | $elapsed | ${runs:-0} | $crashes |")
  rm -f "$log"
done
hours=$(awk -v s=$(( $(date +%s) - started_all )) 'BEGIN { printf "%.3f", s / 3600 }')

section=$(
  echo "## Fuzzing"
  echo
  echo "\`scripts/fuzz-all.sh $SECONDS_EACH\` on $(date -u +%Y-%m-%d) ($(nproc) cores, shared): every"
  echo "reader fuzzed for $SECONDS_EACH s with cargo-fuzz (libFuzzer, -O), ${hours} hours in all;"
  echo "$total_crashes crashes found (kept in \`fuzz/artifacts/TARGET/\`)."
  echo
  echo "| target | seconds | runs | crashes |"
  echo "|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
)
python3 - "$section" <<'PY'
import re, sys
path = "BENCHMARKS.md"
text = open(path).read()
section = sys.argv[1].rstrip() + "\n"
pattern = re.compile(r"^## Fuzzing\n.*?(?=^## |\Z)", re.S | re.M)
if pattern.search(text):
    text = pattern.sub(section + "\n", text, count=1)
else:
    text = text.rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
echo "recorded in BENCHMARKS.md" >&2
[ "$total_crashes" -eq 0 ]
