#!/usr/bin/env bash
# The PostgreSQL ledger beside the SQLite one, in the same run: ingest of a synthetic
# dataset file, totals with and without imputation, a copy with `migrate-ledger`, four
# concurrent ingests against four in turn, and the bytes each ledger takes. Starts a
# throwaway cluster (scripts/pg-cluster.sh), writes the "PostgreSQL ledger" section of
# BENCHMARKS.md, and stops the cluster.
#
#   bash scripts/bench-postgres.sh [ROWS]      # default 20000 rows
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-20000}
cargo build --release --locked -q -p tally-cli
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
tally="$target_dir/release/tally"
work=$(mktemp -d "${TMPDIR:-/tmp}/tally-bench-pg.XXXXXX")
chmod 755 "$work"   # the cluster's owner (postgres, under root) must reach pg/ inside
pg_dir="$work/pg"
trap 'bash scripts/pg-cluster.sh stop "$pg_dir"; rm -rf "$work"' EXIT
server=$(bash scripts/pg-cluster.sh start "$pg_dir")
db_url() { echo "${server/\/tally\?//$1?}"; }
psql_on() { psql "$(db_url "$1")" -Atq -c "$2"; }
for name in bench copy together in_turn; do psql_on tally "CREATE DATABASE $name"; done
pg=$(db_url bench)

"$tally" synth --rows "$rows" --out "$work/a.csv"
for seed in 2 3 4 5; do
  "$tally" synth --rows $((rows / 4)) --seed "$seed" --out "$work/part$seed.csv"
done

# Seconds (wall) of one command, its output discarded; a failed run fails the script
# except for ingest's exit 1 (rows rejected).
seconds() {
  local start end status
  start=$(date +%s.%N)
  set +e
  "$@" >/dev/null 2>&1
  status=$?
  set -e
  end=$(date +%s.%N)
  if [[ $status -gt 1 ]]; then echo "failed: $*" >&2; exit 3; fi
  python3 -c "print(f'{$end - $start:.2f}')"
}

sqlite_ingest=$(seconds "$tally" --db "$work/a.db" ingest "$work/a.csv")
pg_ingest=$(seconds "$tally" --db "$pg" ingest "$work/a.csv")
sqlite_estimate=$(seconds "$tally" --db "$work/a.db" estimate --json)
pg_estimate=$(seconds "$tally" --db "$pg" estimate --json)
sqlite_sums=$(seconds "$tally" --db "$work/a.db" estimate --no-impute --json)
pg_sums=$(seconds "$tally" --db "$pg" estimate --no-impute --json)
same=no
if cmp -s <("$tally" --db "$work/a.db" estimate --json) <("$tally" --db "$pg" estimate --json) \
  && cmp -s <("$tally" --db "$work/a.db" export --format csv) <("$tally" --db "$pg" export --format csv); then
  same=yes
fi
copy=$(seconds "$tally" migrate-ledger "$work/a.db" "$(db_url copy)")
sqlite_bytes=$(stat -c %s "$work/a.db")
pg_bytes=$(psql_on bench "SELECT pg_database_size(current_database())")
pg_empty=$(psql_on copy "SELECT pg_database_size('tally')")
table_bytes=$(psql_on bench "SELECT string_agg(relname || ' ' || pg_size_pretty(pg_total_relation_size(oid)), ', ' ORDER BY relname) FROM pg_class WHERE relname IN ('sources','reports','events') AND relkind = 'r'")

start=$(date +%s.%N)
pids=()
for seed in 2 3 4 5; do
  "$tally" --db "$(db_url together)" ingest "$work/part$seed.csv" >/dev/null 2>&1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || [[ $? -eq 1 ]]; done
together=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")
start=$(date +%s.%N)
for seed in 2 3 4 5; do
  "$tally" --db "$(db_url in_turn)" ingest "$work/part$seed.csv" >/dev/null 2>&1 || [[ $? -eq 1 ]]
done
in_turn=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")
concurrent_same=no
if cmp -s <("$tally" --db "$(db_url together)" estimate --json) <("$tally" --db "$(db_url in_turn)" estimate --json); then
  concurrent_same=yes
fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if "$pg_bin/pg_amcheck" -h "$pg_dir" -U tally --heapallindexed -d together >/dev/null 2>&1; then
  amcheck="no corruption found"
else
  amcheck="FOUND PROBLEMS"
fi

section=$(cat <<EOF
## PostgreSQL ledger (issue 15)

\`bash scripts/bench-postgres.sh $rows\` on $(date -u +%F), release build, a throwaway
local cluster (PostgreSQL $(psql_on bench "SHOW server_version") on a unix socket, fsync off) beside
a SQLite file on the same disk; one run, 2 shared cores, so read the ratios, not the
seconds.

| step | SQLite | PostgreSQL |
|---|---|---|
| ingest $rows synthetic dataset rows (one file, one transaction) | $sqlite_ingest s | $pg_ingest s |
| \`estimate --json\` (imputation) | $sqlite_estimate s | $pg_estimate s |
| \`estimate --no-impute --json\` | $sqlite_sums s | $pg_sums s |
| ledger size | $sqlite_bytes bytes | $pg_bytes bytes (an empty database: $pg_empty) |

- Same \`estimate --json\` and \`export --format csv\` from both: **$same**.
- PostgreSQL table sizes (with indexes and TOAST): $table_bytes.
- \`migrate-ledger\` SQLite → PostgreSQL (copy, relink, verify): $copy s.
- Four files of $((rows / 4)) rows ingested at once: $together s; the same four in turn:
  $in_turn s (writers take one lock, so they run one after the other either way). Same
  totals: **$concurrent_same**. \`pg_amcheck --heapallindexed\` afterwards: $amcheck.
EOF
)
python3 - "$section" <<'PY'
import re, sys
section = sys.argv[1].rstrip() + "\n"
text = open("BENCHMARKS.md").read()
pattern = re.compile(r"^## PostgreSQL ledger \(issue 15\)\n.*?(?=^## |\Z)", re.S | re.M)
if pattern.search(text):
    text = pattern.sub(lambda _: section + "\n", text)
else:
    text = text.rstrip() + "\n\n" + section
open("BENCHMARKS.md", "w").write(text)
PY
echo "$section"
