#!/usr/bin/env bash
# Benchmark: a 300,000-row file in the dataset layout, from CSV to `estimate --json`
# totals with ingest included, against pandas and DuckDB doing the same sums in the same
# run; then `estimate` alone over 1,000,000 events. Writes the "Ingest and totals"
# section of BENCHMARKS.md.
#
# Usage: scripts/bench-ingest.sh [ROWS] [BIG_ROWS]   (defaults 300000 and 1000000)
# Needs: python3 with venv and pip (pandas and duckdb are installed into a venv).
# BENCH_DIR puts the generated files (about 1 GB) elsewhere than bench-data/; the
# binary is taken from CARGO_TARGET_DIR when it is set.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-300000}
big_rows=${2:-1000000}
# Runs of each timing (the best is kept); BENCH_RUNS=1 for a quick run.
runs=${BENCH_RUNS:-3}
out=${BENCH_DIR:-bench-data}
mkdir -p "$out"
venv=${BENCH_VENV:-$out/venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'pandas==3.1.1' 'duckdb==2.0.1'
fi
cargo build --release -q -p tally-cli
tally=${CARGO_TARGET_DIR:-target}/release/tally

csv="$out/synth-$rows.csv"
[ -f "$csv" ] || $tally synth --rows "$rows" --seed 14 --era 2021 --out "$csv"
size_mb=$(python3 -c "import os,sys; print(round(os.path.getsize(sys.argv[1])/1e6,1))" "$csv")

# Bash's own clock: a Python interpreter started for each time stamp put its start-up
# (about 0.09 s here) inside tally's interval, which the peers, timed in-process, do not pay.
now() { local LC_ALL=C; echo "$EPOCHREALTIME"; }
best_tally=""
for run in $(seq "$runs"); do
  rm -f "$out/bench.db" "$out/bench.db-wal" "$out/bench.db-shm"
  start=$(now)
  $tally --db "$out/bench.db" ingest "$csv" >/dev/null || [ $? -eq 1 ]
  # The peers compute counts and known sums, so tally is asked for the same.
  $tally --db "$out/bench.db" estimate --no-impute --json > "$out/tally-totals.json"
  end=$(now)
  t=$(python3 -c "print(round($end-$start,3))")
  if [ -z "$best_tally" ] || python3 -c "import sys; sys.exit(0 if $t < $best_tally else 1)"; then best_tally=$t; fi
done

# The same ingest + estimate on one thread (rayon's pool; the SQLite writer is one
# thread either way; the runs above use one thread per core), and the ledger's size
# beside the file's.
threads_row() { # threads
  rm -f "$out/threads.db" "$out/threads.db-wal" "$out/threads.db-shm"
  local start end
  start=$(now)
  RAYON_NUM_THREADS=$1 $tally --db "$out/threads.db" ingest "$csv" >/dev/null || [ $? -eq 1 ]
  RAYON_NUM_THREADS=$1 $tally --db "$out/threads.db" estimate --no-impute --json >/dev/null
  end=$(now)
  python3 -c "print(round($end-$start,3))"
}
one_thread=$(threads_row 1)
ledger_mb=$(python3 -c "import os,sys; print(round(os.path.getsize(sys.argv[1])/1e6,1))" "$out/threads.db")
ledger_ratio=$(python3 -c "print(round($ledger_mb/$size_mb,2))")
rm -f "$out/threads.db" "$out/threads.db-wal" "$out/threads.db-shm"

peers=$("$venv/bin/python" scripts/bench_ingest_peers.py "$csv")
best_peer() { # name
  local best=""
  for run in $(seq "$runs"); do
    local t
    t=$("$venv/bin/python" scripts/bench_ingest_peers.py "$csv" | python3 -c "import json,sys; [print(o['seconds']) for o in map(json.loads, sys.stdin) if o['peer']=='$1']")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then best=$t; fi
  done
  echo "$best"
}
pandas_s=$(best_peer pandas)
duckdb_s=$(best_peer duckdb)

# Do all three agree on the numbers?
agreement=$(python3 - "$out/tally-totals.json" <<PY
import json, sys
t = json.load(open(sys.argv[1]))
peers = [json.loads(l) for l in """$peers""".splitlines()]
keys = ["events", "events_with_size", "known_low", "known_high", "states"]
rows = []
for p in peers:
    diffs = [k for k in keys if p[k] != t[k]]
    rows.append(f"{p['peer']}: " + ("same totals" if not diffs else "differs on " + ", ".join(f"{k} ({p[k]} vs {t[k]})" for k in diffs)))
print("; ".join(rows))
PY
)

# estimate alone over a million events
big="$out/synth-$big_rows.csv"
[ -f "$big" ] || $tally synth --rows "$big_rows" --seed 15 --era 2021 --out "$big"
# A million rows are over the default 256 MiB cap of one file; peak memory measured.
big_mem=""
if [ ! -f "$out/big.db" ]; then
  big_mem=$( { /usr/bin/time -f "%M" $tally --max-file-size 1GiB --db "$out/big.db" ingest "$big" >/dev/null || [ $? -eq 1 ]; } 2>&1 | tail -1)
  big_mem="$((big_mem / 1024)) MB"
fi
best_est=""
for run in $(seq $((runs + 2))); do
  start=$(now)
  $tally --db "$out/big.db" estimate --json >/dev/null
  end=$(now)
  t=$(python3 -c "print(round(($end-$start)*1000))")
  if [ -z "$best_est" ] || [ "$t" -lt "$best_est" ]; then best_est=$t; fi
done

best_fast=""
for run in $(seq $((runs + 2))); do
  start=$(now)
  $tally --db "$out/big.db" estimate --no-impute --json >/dev/null
  end=$(now)
  t=$(python3 -c "print(round(($end-$start)*1000))")
  if [ -z "$best_fast" ] || [ "$t" -lt "$best_fast" ]; then best_fast=$t; fi
done

# Where the ingest's time goes: the phases that `tally -v ingest` logs.
rm -f "$out/phases.db" "$out/phases.db-wal" "$out/phases.db-shm"
phases=$( { /usr/bin/time -f "peak memory %M KB" $tally -v --db "$out/phases.db" ingest "$csv" >/dev/null; } 2>&1 | python3 -c '
import re, sys
marks, previous, parts = [], 0.0, []
for line in sys.stdin:
    m = re.search(r"INFO \S+: (.+?) file=.*elapsed=([0-9.]+)(ms|s)", line) or re.search(r"INFO \S+: (linked in memory|events written) elapsed=([0-9.]+)(ms|s)", line)
    if m:
        seconds = float(m.group(2)) / (1000 if m.group(3) == "ms" else 1)
        marks.append((m.group(1), seconds))
    elif "peak memory" in line:
        peak = int(line.split()[2]) // 1024
names = {"read, resolved and stored": "read, resolve and append rows (in batches)", "linked": "link and write events", "committed": "commit and checkpoint"}
for name, seconds in marks:
    if name in names:
        parts.append(f"{names[name]} {seconds - previous:.1f} s")
        previous = seconds
print("; ".join(parts) + f"; peak memory {peak} MB")
')
rm -f "$out/phases.db" "$out/phases.db-wal" "$out/phases.db-shm"

ratio_pandas=$(python3 -c "print(round($best_tally/$pandas_s,2))")
ratio_duckdb=$(python3 -c "print(round($best_tally/$duckdb_s,2))")
section=$(cat <<MD
## Ingest and totals

Measured by \`BENCH_RUNS=$runs scripts/bench-ingest.sh $rows $big_rows\` on $(date -u +%Y-%m-%d) ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; best of $runs runs each).

| task | time | ratio |
|---|---|---|
| tally: ingest $rows rows ($size_mb MB) into a fresh ledger + \`estimate --no-impute --json\` | ${best_tally} s | 1.00 |
| pandas: read_csv, fill one-sided ranges, code vague words, sum | ${pandas_s} s | tally / pandas = ${ratio_pandas} |
| DuckDB: read_csv + SQL sums (stores nothing) | ${duckdb_s} s | tally / DuckDB = ${ratio_duckdb} |
| tally: the same on 1 thread (\`RAYON_NUM_THREADS=1\`; the first row uses $(nproc)) | ${one_thread} s | |
| tally: \`estimate --json\` alone over $big_rows events (with imputation) | ${best_est} ms | |
| tally: \`estimate --no-impute --json\` over $big_rows events (counts and known sums) | ${best_fast} ms | |

Where the ingest's time goes (one \`tally -v ingest\` of the same file): $phases.

Ledger for the $rows-row file: ${ledger_mb} MB, ${ledger_ratio}× the CSV's ${size_mb} MB. Peak memory of the
ingest of $big_rows rows (\`/usr/bin/time\`, maximum resident set): ${big_mem:-not measured (big.db existed)}.

Agreement of totals: $agreement. Tally's totals are the ones \`tally synth\` says the
file must give (it writes its expected totals beside the file); the peers code only the
exact phrases of the vague-word table, so size cells such as "about 300" or "several
hundred people" stay empty for them. Peers: $("$venv/bin/python" -c 'import pandas, duckdb; print(f"pandas {pandas.__version__}, DuckDB {duckdb.__version__}")').
Targets: tally faster than pandas (ratio < 1), within 3× of DuckDB, estimate alone < 200 ms
(the spine issue: counts and known sums) and < 1 s with imputation.
MD
)
python3 - "$section" <<'PY'
import re, sys, pathlib
path = pathlib.Path("BENCHMARKS.md")
text = path.read_text() if path.exists() else "# Benchmarks\n\nEach section is written by the script it names; timings on shared machines are only meaningful as ratios against the peer measured in the same run.\n"
section = sys.argv[1].rstrip() + "\n"
pattern = re.compile(r"^## Ingest and totals\n.*?(?=^## |\Z)", re.S | re.M)
# Notes written by hand below this line of the section (measurements by other commands,
# history) are kept when the script rewrites the rest.
keep = "<!-- notes kept by scripts/bench-ingest.sh -->"
found = pattern.search(text)
if found and keep in found.group(0):
    section += "\n" + found.group(0)[found.group(0).index(keep):].rstrip() + "\n"
text = pattern.sub(lambda _: section + "\n", text) if found else text.rstrip() + "\n\n" + section
path.write_text(text)
PY
echo "$section"
