#!/usr/bin/env bash
# Issue 12: a Parquet export read back with pandas and with DuckDB equals the CSV export of
# the same ledger, value for value. Builds `tally`, makes a ledger from a synthetic dataset
# file and a small reports file with awkward text, exports it as raw CSV, Parquet and
# GeoJSON (for the event ids), and checks every cell with scripts/parquet_readback.py in a venv of the pinned readers
# (scripts/parquet-readback-requirements.txt), kept under the target folder so reruns are
# fast. Fails loudly when any step cannot run (no python3, no venv, no PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "parquet-readback: FAILED: $*" >&2; exit 1; }
command -v python3 >/dev/null || fail "python3 is needed"
cargo build --locked -q -p tally-cli || fail "cannot build tally"
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
tally="$target_dir/debug/tally"
requirements=scripts/parquet-readback-requirements.txt
venv="$target_dir/parquet-readback-venv"
# The venv is rebuilt whenever the pins change.
stamp=$(sha256sum "$requirements" | cut -d' ' -f1)
if [[ ! -x "$venv/bin/python" || "$(cat "$venv/.pins" 2>/dev/null)" != "$stamp" ]]; then
  echo "parquet-readback: installing the pinned readers into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv" || fail "cannot create a venv (python3-venv missing?)"
  "$venv/bin/pip" install -q --disable-pip-version-check --only-binary=:all: -r "$requirements" \
    || fail "cannot install $requirements from PyPI"
  echo "$stamp" > "$venv/.pins"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/tally-parquet-readback.XXXXXX")
trap 'rm -rf "$work"' EXIT
export TALLY_DB="$work/tally.db"
"$tally" -q synth --rows 3000 --seed 12 --out "$work/dataset.csv" || fail "cannot write the synthetic file"
# Awkward text the dataset file lacks: commas, quotes, a newline, a formula-like title,
# non-ASCII letters, a range given by one bound, an unsized gathering.
cat > "$work/reports.csv" <<'CSV'
date,locality,state,event,size_low,size_high,size_text,attribution,publisher,url
2025-06-14,Española,NM,"Rally, with ""quotes""",120,450,"a line
and another",organizers,Paper A,https://a.example/1
2025-06-14,Boise,ID,=SUM(1+1),,900,up to 900,police,Paper B,https://b.example/1
2025-06-15,Chicago,IL,No Kings,,,a large crowd,media,Paper C,https://c.example/1
CSV
"$tally" -q ingest "$work/dataset.csv" || fail "cannot ingest the synthetic file"
"$tally" -q ingest "$work/reports.csv" || fail "cannot ingest the reports file"
"$tally" -q export --format csv --raw --out "$work/events.csv" || fail "cannot export CSV"
"$tally" -q export --format parquet --out "$work/events.parquet" || fail "cannot export Parquet"
"$tally" -q export --format geojson --out "$work/events.geojson" || fail "cannot export GeoJSON"
"$venv/bin/python" scripts/parquet_readback.py "$work/events.parquet" "$work/events.csv" "$work/events.geojson" \
  || fail "the Parquet export does not read back as the CSV export"
