#!/usr/bin/env bash
# Extraction benchmark: Tally's extractor against quantulum3 (PyPI) on the labelled
# corpus in test_data/extract, in the same run. Writes the `## Extraction` section of
# BENCHMARKS.md (and touches nothing else in it): its table and paragraph; the hand
# notes after the marker line (`<!-- Hand notes below ... -->`) are kept.
#
# Usage: scripts/bench-extract.sh   (env: CARGO_TARGET_DIR, BENCH_VENV=/work/bench-venv)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${BENCH_VENV:-/work/bench-venv}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

cargo build --release -q -p tally-extract --example bench
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/bench
# One core: the figures are per core.
TALLY=$(taskset -c 0 "$BIN" "$ROOT/test_data/extract" "$OUT/corpus.jsonl" 2>/dev/null || "$BIN" "$ROOT/test_data/extract" "$OUT/corpus.jsonl")
echo "tally: $TALLY" >&2

PEER_NOTE=""
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" || true
fi
if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c 'import quantulum3' 2>/dev/null; then
  "$VENV/bin/pip" install -q quantulum3 || PEER_NOTE="quantulum3 could not be installed"
fi
if [ -z "$PEER_NOTE" ] && [ -x "$VENV/bin/python" ]; then
  PEER=$(taskset -c 0 "$VENV/bin/python" scripts/bench_extract_peer.py "$OUT/corpus.jsonl" 2>/dev/null \
    || "$VENV/bin/python" scripts/bench_extract_peer.py "$OUT/corpus.jsonl")
  echo "quantulum3: $PEER" >&2
else
  PEER='{}'
  PEER_NOTE=${PEER_NOTE:-"no Python venv"}
fi

python3 - "$TALLY" "$PEER" "$PEER_NOTE" "$ROOT/BENCHMARKS.md" <<'PY'
import json, sys, datetime, platform, re
tally, peer, note, path = json.loads(sys.argv[1]), json.loads(sys.argv[2] or "{}"), sys.argv[3], sys.argv[4]
cpu = "unknown CPU"
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip(); break
except OSError:
    pass
lines = ["## Extraction", "",
  f"Run {datetime.date.today()} on {cpu}, one core (`taskset -c 0`), by `scripts/bench-extract.sh`.",
  f"Corpus: `test_data/extract` ({tally['passages']} labelled passages, {tally['expected']} crowd sizes); "
  "scores are exact (low, high) pairs.", "",
  "| | Tally `extract` | quantulum3 | ratio |", "|---|---|---|---|"]
def r(a, b):
    return f"{a / b:.0f}x" if a and b else "-"
if peer:
    lines.append(f"| throughput, one passage per call (MB/s per core) | {tally['corpus_mb_s']:.1f} | {peer['mb_s']:.3f} | {r(tally['corpus_mb_s'], peer['mb_s'])} |")
    lines.append(f"| throughput, 1 KB articles of 12 passages (MB/s per core) | {tally['article_mb_s']:.1f} | - | |")
    lines.append(f"| F1, exact (low, high) | {tally['f1']:.3f} | {peer['f1']:.3f} | |")
    lines.append(f"| precision / recall | {tally['precision']:.3f} / {tally['recall']:.3f} | {peer['precision']:.3f} / {peer['recall']:.3f} | |")
else:
    lines.append(f"| throughput, one passage per call (MB/s per core) | {tally['corpus_mb_s']:.1f} | n/a ({note}) | |")
    lines.append(f"| throughput, 1 KB articles of 12 passages (MB/s per core) | {tally['article_mb_s']:.1f} | - | |")
    lines.append(f"| F1, exact (low, high) | {tally['f1']:.3f} | n/a | |")
lines.append(f"| throughput, one 10 MB line (MB/s per core) | {tally['line_mb_s']:.1f} | - | |")
lines += ["",
  f"Throughput is bytes per second of CPU time of the benchmark thread (the machine is shared, "
  f"so wall time is not per core). Tally read {tally['corpus_bytes'] / 1e6:.1f} MB of passages "
  f"(the corpus repeated; {tally['corpus_cpu_seconds']:.2f} s CPU), the same text as "
  f"{tally['articles']} articles of about 1 KB ({tally['article_cpu_seconds']:.2f} s CPU), and a "
  f"{tally['line_bytes'] / 1e6:.1f} MB single line ({tally['line_cpu_seconds']:.2f} s CPU). The passages "
  "are far denser in figures than news articles (a figure every ~80 bytes), which is the slow case. "
  "quantulum3 read the corpus once (wall time); it finds quantities, not crowds, so every "
  "dimensionless quantity it finds is taken as a crowd size (its best case for recall).", ""]
section = "\n".join(lines) + "\n"
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmarks\n\n"
pattern = re.compile(r"^## Extraction\n.*?(?=^## |\Z)", re.S | re.M)
# Hand notes (comparisons, pairs run back to back, what was tried) follow the marker
# line and are kept as they are; only the table and its paragraph above it are rewritten.
MARKER = "<!-- Hand notes below: kept by scripts/bench-extract.sh, which rewrites only the table above. -->"
old = pattern.search(text)
if old and MARKER in old.group(0):
    section = section.rstrip("\n") + "\n\n" + old.group(0)[old.group(0).index(MARKER):].rstrip("\n") + "\n\n"
text = pattern.sub(lambda _: section, text) if old else text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text)
print(section)
PY
