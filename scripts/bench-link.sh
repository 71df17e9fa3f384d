#!/usr/bin/env bash
# Benchmark of issue 12 item 2, additions that cost what they add: the same 1,000 rows
# added to an empty ledger and to a ledger of 1,000,000 rows (the empty ledger is the
# peer, in the same run), then one city-day block of 10,000 to 100,000 reports linked
# whole and grown by one report. Writes the "Incremental linking" section of
# BENCHMARKS.md.
#
# Usage: scripts/bench-link.sh [BIG_ROWS] [ADD_ROWS]   (defaults 1000000 and 1000)
# Scratch files go to $BENCH_DIR (default bench-data/link); the 1,000,000-row ledger
# takes about 2 GB there and is kept for the next run unless CLEAN=1.
set -euo pipefail
cd "$(dirname "$0")/.."
big_rows=${1:-1000000}
add_rows=${2:-1000}
dir=${BENCH_DIR:-bench-data/link}
mkdir -p "$dir"
cargo build --release -q -p tally-cli
cargo build --release -q -p tally-link --example block_sizes
target=${CARGO_TARGET_DIR:-target}
tally=$target/release/tally
blocks=$target/release/examples/block_sizes
now() { python3 -c 'import time; print(time.perf_counter())'; }

big_csv="$dir/big-$big_rows.csv"
[ -f "$big_csv" ] || $tally synth --rows "$big_rows" --seed 15 --era 2021 --out "$big_csv"
for seed in 16 17 18; do
  [ -f "$dir/add-$seed.csv" ] || $tally synth --rows "$add_rows" --seed "$seed" --era 2021 --out "$dir/add-$seed.csv"
done
if [ ! -f "$dir/big.db" ]; then
  TALLY_MAX_FILE_SIZE=4294967296 $tally --db "$dir/big.db" ingest "$big_csv" >/dev/null || [ $? -eq 1 ]
fi

# Three different files of $add_rows rows (dates over the same four years as the big
# file), each into a fresh empty ledger, then one after another into a copy of the big
# one: every add is new rows, never a duplicate.
rm -f "$dir"/work.db*
cp "$dir/big.db" "$dir/work.db"
empty_times=()
big_times=()
read_counts=()
for seed in 16 17 18; do
  rm -f "$dir"/empty.db*
  start=$(now)
  $tally --db "$dir/empty.db" ingest "$dir/add-$seed.csv" >/dev/null || [ $? -eq 1 ]
  end=$(now)
  empty_times+=("$(python3 -c "print(round($end-$start,3))")")
  start=$(now)
  $tally -v --db "$dir/work.db" ingest "$dir/add-$seed.csv" >/dev/null 2>"$dir/big-ingest.log" || [ $? -eq 1 ]
  end=$(now)
  big_times+=("$(python3 -c "print(round($end-$start,3))")")
  read_counts+=("$(grep -o 'reports_read=[0-9]*' "$dir/big-ingest.log" | head -1 | cut -d= -f2)")
done
best() { printf '%s\n' "$@" | sort -g | head -1; }
best_empty=$(best "${empty_times[@]}")
best_big=$(best "${big_times[@]}")
ratio=$(python3 -c "print(round($best_big/$best_empty,2))")
big_reports=$($tally --db "$dir/work.db" estimate --no-impute --json | python3 -c "import json,sys; print(json.load(sys.stdin)['events'])")

block_rows=$($blocks 10000 20000 40000 100000 | python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    print(f"| {o[\"reports\"]:,} | {o[\"events\"]:,} | {o[\"link_seconds\"]} s (CPU {o[\"link_cpu_seconds\"]} s) | {o[\"add_one_seconds\"]} s (CPU {o[\"add_one_cpu_seconds\"]} s) |")
')
rm -f "$dir"/work.db* "$dir"/empty.db*
if [ "${CLEAN:-0}" = 1 ]; then rm -rf "$dir"; fi

section=$(cat <<MD
## Incremental linking (issue 12)

Measured by \`scripts/bench-link.sh $big_rows $add_rows\` on $(date -u +%Y-%m-%d) ($(nproc) cores, shared; load average $(cut -d' ' -f1-3 /proc/loadavg) at the end).

**Adding $add_rows rows** (\`tally ingest\` of a \`tally synth\` file, dates over four years,
wall time of the whole command; three different files, best of three). The peer is the
same files added to an empty ledger, in the same run.

| ledger before the add | times (s) | best | ratio |
|---|---|---|---|
| empty | ${empty_times[*]} | ${best_empty} s | 1.00 |
| $big_rows rows ($big_reports events after) | ${big_times[*]} | ${best_big} s | ${ratio} |

Reports read from the ledger to relink the adds (\`tally -v\`, \`reports_read\`): ${read_counts[*]}
(each add reads the reports of its rows' days and places, not the ledger). Target: at
most 2× the empty-ledger time.

**One city-day block** (\`cargo run --release -p tally-link --example block_sizes\`:
curated rows of three datasets, titled and untitled news reports, sixty gatherings'
titles, all in Austin on one day or the next), linked whole by \`link_reports\`, then one
more report added through \`link_new_reports\` (what an ingest into that block does,
reading from memory rather than SQLite):

| reports in the block | events | link the block | add one report |
|---|---|---|---|
$block_rows

Before (issue 12, measured on the earlier linker): 10,000 reports 1.8 s, 20,000 6.9 s,
40,000 26.7 s, and about 53 s for every later ingest into that block.
MD
)
python3 - "$section" <<'PY'
import re, sys, pathlib
path = pathlib.Path("BENCHMARKS.md")
text = path.read_text()
section = sys.argv[1].rstrip() + "\n"
pattern = re.compile(r"^## Incremental linking \(issue 12\)\n.*?(?=^## |\Z)", re.S | re.M)
text = pattern.sub(section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
path.write_text(text)
PY
echo "$section"
