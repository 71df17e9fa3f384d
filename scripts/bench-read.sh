#!/usr/bin/env bash
# Benchmark of the ingest adapters alone: tally_ingest::read_file over a synthetic
# 300,000-row dataset file (about 125 MB), from bytes to sources and reports in memory,
# against pandas reading the same file and computing the same sums (read_csv, strip
# thousands separators, fill one-sided ranges, code vague words, sum) in the same run.
# It measures parsing only: storing rows in the ledger is measured by
# scripts/bench-ingest.sh. Writes the "Ingest adapters (read_file)" section of
# BENCHMARKS.md.
#
# Usage: scripts/bench-read.sh [ROWS]   (default 300000)
# Needs: python3 with venv and pip (pandas is installed into a venv, shared with
# scripts/bench-ingest.sh through BENCH_VENV).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-300000}
out=bench-data
mkdir -p "$out"
venv=${BENCH_VENV:-$out/venv}
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import pandas' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'pandas==2.2.3'
fi
# cargo bench runs in the crate directory: give it an absolute path.
csv="$PWD/$out/read-synth-$rows.csv"

# The bench binary generates the file (seed 1, 2021 era), saves it for pandas and times
# read_file three times.
tally_log=$(cargo bench -q -p tally-ingest --bench read_file -- --rows "$rows" --write "$csv" 2>&1) || {
  echo "$tally_log" >&2
  exit 1
}
echo "$tally_log"
best_line=$(echo "$tally_log" | grep '^best:')
tally_s=$(echo "$best_line" | sed -E 's/^best: ([0-9.]+) s wall.*/\1/')
tally_cpu=$(echo "$best_line" | sed -E 's/.*\(([0-9.]+) s cpu, ([0-9]+) threads\).*/\1/')
threads=$(echo "$best_line" | sed -E 's/.*s cpu, ([0-9]+) threads.*/\1/')
tally_sums=$(echo "$tally_log" | grep '^run 1:' | sed -E 's/.*lows ([0-9]+), highs ([0-9]+).*/\1 \2/')

pandas_out=$("$venv/bin/python" - "$csv" <<'PY'
import sys, time, resource
import pandas as pd

# The DESIGN.md coding table (the words the synthetic files use, and the rest).
VAGUE = {"a few": 3, "a handful": 3, "handful": 3, "a couple": 2, "a dozen": 12, "dozen": 12,
         "dozens": 24, "several dozen": 24, "a few dozen": 24, "scores": 40, "a hundred": 100,
         "hundreds": 200, "several hundred": 200, "a few hundred": 200, "a thousand": 1000,
         "thousands": 2000, "several thousand": 2000, "a few thousand": 2000,
         "tens of thousands": 20000, "hundreds of thousands": 200000, "a million": 1000000,
         "millions": 2000000}

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

def run(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    def number(col):
        s = df[col].str.replace(",", "", regex=False)
        return pd.to_numeric(s.where(~s.isin(["", "NA"])), errors="coerce")
    low, high = number("size_low"), number("size_high")
    low, high = low.fillna(high), high.fillna(low)
    text = df["size_text"].str.strip().str.lower()
    coded = text.map(VAGUE)
    about = pd.to_numeric(text.str.extract(r"^about (\d+)$")[0], errors="coerce")
    low = low.fillna(coded).fillna(about)
    high = high.fillna(coded).fillna(about)
    return int(low.notna().sum()), int(low.sum()), int(high.sum())

best = best_cpu = None
for _ in range(3):
    c0, t0 = cpu(), time.perf_counter()
    sized, lows, highs = run(sys.argv[1])
    t, c = time.perf_counter() - t0, cpu() - c0
    best = t if best is None else min(best, t)
    best_cpu = c if best_cpu is None else min(best_cpu, c)
print(f"{best:.3f} {best_cpu:.3f} {lows} {highs} {sized} {pd.__version__}")
PY
)
read -r pandas_s pandas_cpu pandas_low pandas_high pandas_sized pandas_version <<<"$pandas_out"
echo "pandas $pandas_version: best $pandas_s s wall, $pandas_cpu s cpu, lows $pandas_low, highs $pandas_high"

if [ "$tally_sums" = "$pandas_low $pandas_high" ]; then agree="yes"; else agree="NO (tally: $tally_sums)"; fi
size_mb=$(python3 -c "import os,sys; print(round(os.path.getsize(sys.argv[1])/1e6,1))" "$csv")
ratio=$(python3 -c "print(round($pandas_s/$tally_s,2))")
cpu_ratio=$(python3 -c "print(round($pandas_cpu/$tally_cpu,2))")
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

section=$(cat <<MD
## Ingest adapters (read_file)

\`scripts/bench-read.sh $rows\` on $(date -u +%Y-%m-%d), $(nproc) cores ($threads used by read_file), load average $load.
File: \`tally-synth\` dataset layout, 2021 era, seed 1, $rows rows, $size_mb MB.
Best of 3 runs each, in the same run of the script. Wall time is what a user waits; CPU
time is reported beside it because the machine is shared.

| reader | wall s | CPU s | sums agree |
|---|---|---|---|
| \`tally_ingest::read_file\` (bytes → content-addressed sources + reports in memory) | $tally_s | $tally_cpu | $agree |
| pandas $pandas_version \`read_csv\` + fill one-sided + code vague words + sum | $pandas_s | $pandas_cpu | reference |

pandas / read_file: **${ratio}×** wall, **${cpu_ratio}×** CPU (above 1 means read_file is faster).
read_file does more than pandas here: it hashes every row (BLAKE3), keeps its verbatim
text and builds a full report per row; pandas only sums two columns.
MD
)

python3 - "$section" <<'PY'
import re, sys, pathlib
path = pathlib.Path("BENCHMARKS.md")
section = sys.argv[1].rstrip() + "\n"
text = path.read_text() if path.exists() else "# Benchmarks\n"
pattern = re.compile(r"^## Ingest adapters \(read_file\)\n.*?(?=^## |\Z)", re.S | re.M)
if pattern.search(text):
    text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
else:
    text = text.rstrip() + "\n\n" + section
path.write_text(text)
PY
echo "wrote the Ingest adapters section of BENCHMARKS.md"
