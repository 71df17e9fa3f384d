#!/usr/bin/env bash
# Benchmark: the questions that should cost what they select, not what the ledger holds
# (issue 12 item 2's tail): `export` (CSV, GeoJSON, Parquet) of one day and one state and
# of everything, `check` of a local and a national claim, `calibrate` of one day,
# `events`, `event ID`, `estimate --as-of`, and the writes that relink: a reviewer merge
# and `area --record` (on a copy of the ledger). Prints one Markdown table row per
# command: wall time, CPU time (user + sys) and peak memory, from `/usr/bin/time -v`.
#
# Usage: scripts/bench-queries.sh LEDGER [TALLY...]
#   LEDGER  a large ledger, e.g. one built by
#           `tally synth --rows 1000000 --seed 15 --era 2021 > synth.csv && tally ingest synth.csv`
#   TALLY   one or more `tally` binaries to compare (default target/release/tally); each
#           runs the whole list before the next, so pairs are measured back to back.
# Env: DATE (default 2022-02-06), STATE (default TX), TMPDIR for the ledger copy (the
#      copy is as large as the ledger and is deleted at the end).
set -euo pipefail
ledger=${1:?usage: scripts/bench-queries.sh LEDGER [TALLY...]}
shift
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=(target/release/tally)
date=${DATE:-2022-02-06}
state=${STATE:-TX}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/bench-queries.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# Runs one command; prints "| label | wall s | cpu s | peak MB |".
measure() {
  local label=$1
  shift
  if ! /usr/bin/time -v -o "$scratch/time" "$@" > "$scratch/out" 2> "$scratch/err"; then
    echo "| $label | failed: $(tail -n 3 "$scratch/err" | tr '\n' ' ') | | |"
    return
  fi
  awk -v label="$label" -v bytes="$(wc -c < "$scratch/out")" '
    /Elapsed \(wall clock\)/ { n = split($NF, p, ":"); wall = (n == 3) ? p[1]*3600 + p[2]*60 + p[3] : p[1]*60 + p[2] }
    /User time/ { user = $NF }
    /System time/ { sys = $NF }
    /Maximum resident/ { rss = $NF }
    END { printf "| %s | %.2f | %.2f | %.0f | %d |\n", label, wall, user + sys, rss / 1024, bytes }
  ' "$scratch/time"
}

for tally in "${binaries[@]}"; do
  echo
  echo "**$tally** (DATE=$date, STATE=$state; load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "| command | wall (s) | CPU (s) | peak memory (MB) | output (bytes) |"
  echo "|---|---|---|---|---|"
  q=("$tally" --db "$ledger")
  for format in csv geojson parquet; do
    measure "export --format $format --date $date --state $state" \
      "${q[@]}" export --format "$format" --date "$date" --state "$state" --out "$scratch/x.$format"
  done
  for format in csv geojson parquet; do
    measure "export --format $format (everything)" \
      "${q[@]}" export --format "$format" --out "$scratch/x.$format"
  done
  rm -f "$scratch"/x.*
  measure "check \"more than 1,000 people marched in Austin\" --date $date" \
    "${q[@]}" check "more than 1,000 people marched in Austin" --date "$date" --json
  measure "check \"over 2 million people protested nationwide\" --date $date" \
    "${q[@]}" check "over 2 million people protested nationwide" --date "$date" --json
  measure "calibrate --date $date --trials 20" \
    "${q[@]}" calibrate --date "$date" --trials 20 --json
  measure "events --date $date --state $state" "${q[@]}" events --date "$date" --state "$state" --json
  event=$("${q[@]}" events --date "$date" --locality Austin --json | grep -o '"id": *"ev-[0-9a-f]*"' | head -n 2 | grep -o 'ev-[0-9a-f]*' | tr '\n' ' ')
  first=${event%% *}
  measure "event $first" "${q[@]}" event "$first" --json
  measure "estimate --as-of 2100-01-01 --date $date --json" \
    "${q[@]}" estimate --as-of 2100-01-01 --date "$date" --json
  cp "$ledger" "$scratch/copy.db"
  # shellcheck disable=SC2086 # two event ids
  measure "link merge (two events of Austin on $date), on a copy" \
    "$tally" --db "$scratch/copy.db" link merge $event --json
  measure "area --m2 5000 --density dense --record --date $date --place \"Austin, TX\", on a copy" \
    "$tally" --db "$scratch/copy.db" area --m2 5000 --density dense --record --date "$date" --place "Austin, TX" --json
  rm -f "$scratch"/copy.db*
done
