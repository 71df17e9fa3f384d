#!/usr/bin/env bash
# Benchmark of issue 12 item 2, additions that cost what they add: the same 1,000 rows
# added to an empty ledger and to a ledger of 1,000,000 rows (the empty ledger is the
# peer, in the same run), with the phases of each add from `tally -v`; then one city-day
# block of 10,000 to 100,000 reports linked whole and grown by one report. Writes the
# "Incremental linking" section of BENCHMARKS.md. Takes minutes; it is not CI.
#
# Usage: scripts/bench-link.sh [BIG_ROWS] [ADD_ROWS]   (defaults 1000000 and 1000)
# Scratch files go to $BENCH_DIR (default bench-data/link). The big ledger is built there
# from `tally synth --rows BIG_ROWS --seed 15 --era 2021` (about 1 GB and 1.5 minutes for
# a million rows, kept for the next run unless CLEAN=1), or taken from $BIG_LEDGER, which
# is only ever copied, never written. BLOCKS overrides the block sizes ("" skips them).
# BEFORE=/path/to/an/older/tally adds the same files with that binary too, each add
# right after the same add by this tree's binary (back-to-back pairs), into copies of
# their own (two copies of the big ledger on disk at once).
set -euo pipefail
cd "$(dirname "$0")/.."
big_rows=${1:-1000000}
add_rows=${2:-1000}
dir=${BENCH_DIR:-bench-data/link}
blocks_sizes=${BLOCKS-10000 20000 40000 100000}
mkdir -p "$dir"
cargo build --release -q -p tally-cli
[ -z "$blocks_sizes" ] || cargo build --release -q -p tally-link --example block_sizes
target=${CARGO_TARGET_DIR:-target}
tally=$(realpath "$target/release/tally")
blocks=$target/release/examples/block_sizes

big_db=${BIG_LEDGER:-$dir/big.db}
if [ ! -f "$big_db" ]; then
  big_csv="$dir/big-$big_rows.csv"
  [ -f "$big_csv" ] || $tally synth --rows "$big_rows" --seed 15 --era 2021 --out "$big_csv"
  TALLY_MAX_FILE_SIZE=4294967296 $tally --db "$big_db" ingest "$big_csv" >/dev/null || [ $? -eq 1 ]
fi
# SEQUENCE adds (default 32) after the four below, one after another, for the amortized
# cost of an add including the merges of the recent tables that they trigger.
sequence=${SEQUENCE:-32}
for seed in 16 17 18 19 $(seq 20 $((19 + sequence))); do
  [ -f "$dir/add-$seed.csv" ] || $tally synth --rows "$add_rows" --seed "$seed" --era 2021 --out "$dir/add-$seed.csv"
done

# Runs `tally -v --db DB ingest FILE` and prints one JSON line: wall and CPU time of the
# whole command, and its phases from the log (open: from start to the ingest's first
# step; store: read, resolve, append; relink: read the touched blocks and link them in
# memory; write: the changed events and the locators; commit; close: the rest, mostly
# SQLite's checkpoint of the log at close), with how many reports and events it read.
timed_add() {
  python3 - "$tally" "$1" "$2" <<'PY'
import json, re, resource, subprocess, sys, time
tally, db, csv = sys.argv[1:4]
start = time.perf_counter()
p = subprocess.Popen([tally, "-v", "--db", db, "ingest", csv], stdout=subprocess.DEVNULL,
                     stderr=subprocess.PIPE, text=True)
lines = [(time.perf_counter() - start, line) for line in p.stderr]
p.wait()
wall = time.perf_counter() - start
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
def seconds(text):
    m = re.match(r"([\d.]+)(ms|µs|us|s)$", text)
    value = float(m.group(1))
    return {"s": value, "ms": value / 1e3}.get(m.group(2), value / 1e6)
steps = {}
for at, line in lines:
    elapsed = re.search(r"elapsed=(\S+)", line)
    for key, marker in [("stored", "read, resolved and stored"), ("linked_in_memory", "linked in memory"),
                        ("written", "events written"), ("linked", "ingest: linked"), ("committed", "committed")]:
        if marker in line and elapsed:
            steps[key] = (at, seconds(elapsed.group(1)))
    for key in ["reports_read", "events_read", "linking_read", "spans"]:
        m = re.search(key + r"=(\d+)", line)
        if m:
            steps[key] = int(m.group(1))
    if "recent changes merged" in line and elapsed:
        steps["merged"] = seconds(elapsed.group(1))
    reading = re.search(r"reading=(\S+)", line)
    if reading:
        steps["reading"] = seconds(reading.group(1))
    if "link rows written" in line and elapsed:
        steps["link_rows"] = seconds(elapsed.group(1))
ingest_start = steps["stored"][0] - steps["stored"][1]
print(json.dumps({
    "wall": round(wall, 3),
    "cpu": round(ru.ru_utime + ru.ru_stime, 3),
    "open": round(ingest_start, 3),
    "store": round(steps["stored"][1], 3),
    "relink": round(steps["linked_in_memory"][1], 3),
    "read": round(steps.get("reading", 0), 3),
    "write": round(steps["written"][1] - steps["linked_in_memory"][1], 3),
    "commit": round(steps["committed"][1] - steps["linked"][1], 3),
    "close": round(wall - steps["committed"][0], 3),
    "reports_read": steps.get("reports_read", 0),
    "linking_read": steps.get("linking_read", 0),
    "spans": steps.get("spans", 0),
    "link_rows": round(steps.get("link_rows", 0), 4),
    "events_read": steps.get("events_read", 0),
    "merge": steps.get("merged"),
}))
PY
}

# Three different files of $add_rows rows (dates over the same four years as the big
# file), each into a fresh empty ledger, then one after another into a copy of the big
# one: every add is new rows, never a duplicate.
# Wall and CPU time of one command, as JSON.
timed() {
  python3 - "$@" <<'PY'
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": round(time.perf_counter() - start, 3), "cpu": round(ru.ru_utime + ru.ru_stime, 3)}))
PY
}

rm -f "$dir"/work.db* "$dir"/empty.db* "$dir"/before.db* "$dir"/empty-before.db*
cp "$big_db" "$dir/work.db"
chmod u+w "$dir/work.db"
# A copy made by an older build is brought to this build's schema once, by the first
# writer to open it: here an ingest of a file of no rows, timed on its own, so that the
# adds below measure adds.
head -n 1 "$dir/add-16.csv" > "$dir/no-rows.csv"
migration=$(timed "$tally" --db "$dir/work.db" ingest "$dir/no-rows.csv")
before=${BEFORE:-}
if [ -n "$before" ]; then
  before=$(realpath "$before")
  cp "$big_db" "$dir/before.db"
  chmod u+w "$dir/before.db"
  "$before" --db "$dir/before.db" ingest "$dir/no-rows.csv" >/dev/null 2>&1
fi
empty_runs=()
big_runs=()
before_runs=()
for seed in 16 17 18; do
  rm -f "$dir"/empty.db* "$dir"/empty-before.db*
  empty_runs+=("$(timed_add "$dir/empty.db" "$dir/add-$seed.csv")")
  [ -z "$before" ] || before_runs+=("$(tally=$before timed_add "$dir/empty-before.db" "$dir/add-$seed.csv")")
  big_runs+=("$(timed_add "$dir/work.db" "$dir/add-$seed.csv")")
  [ -z "$before" ] || before_runs+=("$(tally=$before timed_add "$dir/before.db" "$dir/add-$seed.csv")")
done
# Which pages an add changes, by b-tree: a fourth file into the big copy while a reader
# holds the log, so that no checkpoint empties it (not timed: the held reader spares the
# add its checkpoint), then the log's frames counted by the b-tree each page belongs to.
pages=$(python3 - "$tally" "$dir/work.db" "$dir/add-19.csv" <<'PY'
import collections, sqlite3, struct, subprocess, sys
tally, db, csv = sys.argv[1:4]
reader = sqlite3.connect(db, isolation_level=None)
reader.execute("BEGIN")
try:
    owner = dict((pageno, name) for name, pageno in reader.execute("SELECT name, pageno FROM dbstat"))
except sqlite3.Error as error:
    print(f"(not measured: {error})")
    sys.exit(0)
subprocess.run([tally, "--db", db, "ingest", csv], stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL, check=True)
log = open(db + "-wal", "rb").read()
size = struct.unpack(">I", log[8:12])[0]
pages = collections.defaultdict(set)
for offset in range(32, len(log) - size - 23, 24 + size):
    page = struct.unpack(">I", log[offset:offset + 4])[0]
    pages[owner.get(page, "(new or free pages)")].add(page)
reader.execute("COMMIT")
total = sum(len(p) for p in pages.values())
print(f"{total:,} pages of {size:,} bytes ({total * size / 2**20:.0f} MiB) in all: " + ", ".join(
    f"{name} {len(p):,}" for name, p in sorted(pages.items(), key=lambda kv: -len(kv[1]))) + ".")
PY
)
# The sequence: SEQUENCE more adds into the big copy, one after another, with the merges
# of the recent tables that they trigger (and the same into the BEFORE binary's copy,
# each add right after this build's; that copy gets add-19 first, untimed, so that both
# hold the same rows).
[ -z "$before" ] || "$before" --db "$dir/before.db" ingest "$dir/add-19.csv" >/dev/null 2>&1
seq_runs=()
seq_before=()
for n in $(seq 20 $((19 + sequence))); do
  seq_runs+=("$(timed_add "$dir/work.db" "$dir/add-$n.csv")")
  [ -z "$before" ] || seq_before+=("$(tally=$before timed_add "$dir/before.db" "$dir/add-$n.csv")")
done
sequence_text=$(python3 - "$sequence" "${#seq_before[@]}" "${empty_runs[@]}" "${seq_runs[@]}" "${seq_before[@]}" <<'PY'
import json, sys
n, n_before = int(sys.argv[1]), int(sys.argv[2])
runs = [json.loads(a) for a in sys.argv[3:]]
empty, after, before = runs[:3], runs[3:3 + n], runs[3 + n:]
best_empty = min(r["wall"] for r in empty), min(r["cpu"] for r in empty)
def line(name, rs):
    wall, cpu = sum(r["wall"] for r in rs), sum(r["cpu"] for r in rs)
    slowest = max(rs, key=lambda r: r["wall"])
    merges = [r["merge"] for r in rs if r.get("merge") is not None]
    merged = (f"{len(merges)} merge(s) of the recent tables, taking {', '.join(f'{m:.3f}' for m in merges)} s"
              if merges else "no merge")
    return (f"| {name} | {wall:.2f} s | {cpu:.2f} s | {wall / len(rs):.3f} s | {cpu / len(rs):.3f} s | "
            f"{slowest['wall']} s | {merged} | {wall / len(rs) / best_empty[0]:.2f}× / "
            f"{cpu / len(rs) / best_empty[1]:.2f}× |")
print("| build | wall, all adds | CPU, all adds | wall per add | CPU per add | slowest add | merges | per add against the best add into an empty ledger (wall / CPU) |")
print("|---|---|---|---|---|---|---|---|")
print(line("this build", after))
if before:
    print(line("BEFORE", before))
PY
)
big_reports=$($tally --db "$dir/work.db" estimate --no-impute --json | python3 -c "import json,sys; print(json.load(sys.stdin)['events'])")
tables=$(python3 - "$big_rows" "$big_reports" "$migration" "${empty_runs[@]}" "${big_runs[@]}" "${before_runs[@]}" <<'PY'
import json, sys
big_rows, big_events = int(sys.argv[1]), int(sys.argv[2])
migration = json.loads(sys.argv[3])
runs = [json.loads(a) for a in sys.argv[4:]]
empty, big, before = runs[:3], runs[3:6], runs[6:]
best = lambda rs, k: min(r[k] for r in rs)
ratio = lambda k: best(big, k) / best(empty, k)
print("| ledger before the add | wall (s), three files | best wall | CPU (s), three files | best CPU |")
print("|---|---|---|---|---|")
for name, rs in [("empty", empty), (f"{big_rows:,} rows ({big_events:,} events after)", big)]:
    print(f"| {name} | {' '.join(str(r['wall']) for r in rs)} | {best(rs, 'wall')} s | "
          f"{' '.join(str(r['cpu']) for r in rs)} | {best(rs, 'cpu')} s |")
print()
print(f"Ratio of the best times, {big_rows:,} rows to empty: **{ratio('wall'):.2f}× wall**, "
      f"{ratio('cpu'):.2f}× CPU (target: at most 2×).")
print()
print("Phases of each add (seconds, wall, from the `-v` log):")
print()
print("| add into | open | store | relink | (of which reading) | write | commit | (of which link rows) | close | reports read whole | read for linking (places and days asked) | events read |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for name, rs in [("empty", empty), (f"{big_rows:,} rows", big)]:
    for r in rs:
        print(f"| {name} | {r['open']} | {r['store']} | {r['relink']} | {r['read']} | {r['write']} | "
              f"{r['commit']} | {r['link_rows']} | {r['close']} | {r['reports_read']:,} | "
              f"{r['linking_read']:,} ({r['spans']:,}) | {r['events_read']:,} |")
print()
print(f"The copy's migration to this build's schema, once, before the adds: "
      f"{migration['wall']} s wall, {migration['cpu']} s CPU.")
if before:
    b_empty, b_big = before[0::2], before[1::2]
    print()
    print("The same adds by the BEFORE binary, each right after this build's (back-to-back "
          "pairs; wall / CPU in seconds):")
    print()
    print("| add | empty, before | empty, after | big, before | big, after |")
    print("|---|---|---|---|---|")
    for n, (be, ae, bb, ab) in enumerate(zip(b_empty, empty, b_big, big)):
        cell = lambda r: f"{r['wall']} / {r['cpu']}"
        print(f"| add-{16 + n} | {cell(be)} | {cell(ae)} | {cell(bb)} | {cell(ab)} |")
    b_ratio = best(b_big, 'wall') / best(b_empty, 'wall')
    b_cpu = best(b_big, 'cpu') / best(b_empty, 'cpu')
    print()
    print(f"Before, ratio of the best times: {b_ratio:.2f}× wall, {b_cpu:.2f}× CPU; the big "
          f"add's best CPU {best(b_big, 'cpu')} s before, {best(big, 'cpu')} s after.")
PY
)

block_rows=""
if [ -n "$blocks_sizes" ]; then
  # shellcheck disable=SC2086
  block_rows=$($blocks $blocks_sizes | python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    print("| {:,} | {:,} | {} s (CPU {} s) | {} s (CPU {} s) |".format(
        o["reports"], o["events"], o["link_seconds"], o["link_cpu_seconds"],
        o["add_one_seconds"], o["add_one_cpu_seconds"]))
')
fi
rm -f "$dir"/work.db* "$dir"/empty.db* "$dir"/before.db* "$dir"/empty-before.db*

# What the link rows cost a first ingest and the ledger: RATIO_ROWS rows (default
# 300,000; "" skips) of `tally synth --seed 14 --era 2021` ingested whole into an empty
# ledger by this build (its log times the link rows' write at the commit) and by BEFORE,
# one after the other; the ledger's size against the CSV's, and the link rows' by dbstat.
ratio_rows=${RATIO_ROWS-300000}
ratio_rows_text=""
if [ -n "$ratio_rows" ]; then
  ratio_csv="$dir/ratio-$ratio_rows.csv"
  [ -f "$ratio_csv" ] || $tally synth --rows "$ratio_rows" --seed 14 --era 2021 --out "$ratio_csv" >/dev/null 2>&1
  ratio_line() {
    rm -f "$dir"/ratio.db*
    local run
    run=$(tally=$1 TALLY_MAX_FILE_SIZE=4294967296 timed_add "$dir/ratio.db" "$ratio_csv")
    python3 - "$2" "$run" "$ratio_csv" "$dir/ratio.db" <<'PY'
import json, os, sqlite3, sys
label, run, csv, db = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]
size, csv_size = os.path.getsize(db), os.path.getsize(csv)
conn = sqlite3.connect(db)
try:
    link = conn.execute("SELECT coalesce(sum(pgsize), 0) FROM dbstat "
                        "WHERE name IN ('link_rows', 'link_rows_recent')").fetchone()[0]
except sqlite3.Error:
    link = 0
print(f"| {label} | {run['wall']} s | {run['cpu']} s | {run['link_rows']} s | "
      f"{size / 1e6:.1f} MB | {size / csv_size:.2f}× | {link / 1e6:.1f} MB |")
PY
    rm -f "$dir"/ratio.db*
  }
  ratio_rows_text=$(ratio_line "$tally" "this build"; [ -z "$before" ] || ratio_line "$before" BEFORE)
fi
if [ "${CLEAN:-0}" = 1 ]; then rm -rf "$dir"; fi

section=$(cat <<MD
## Incremental linking (issue 12)

Measured by \`${BIG_LEDGER:+BIG_LEDGER=$BIG_LEDGER }${BEFORE:+BEFORE=$BEFORE }scripts/bench-link.sh $big_rows $add_rows\` on $(date -u +%Y-%m-%d) at commit
$(git rev-parse --short HEAD) ($(nproc) cores, shared; load average $(cut -d' ' -f1-3 /proc/loadavg) at the end), release build.

**Adding $add_rows rows** (\`tally -v --db DB ingest add-N.csv\` of three files from
\`tally synth --rows $add_rows --seed N --era 2021\`, N = 16, 17, 18, dates over four years),
each into a fresh empty ledger (the peer, in the same run) and one after another into a
copy of a ledger of $big_rows rows (\`tally synth --rows $big_rows --seed 15 --era 2021\`,
ingested whole). Wall time and CPU time (user + system) of the whole command:

$tables

Open is the ledger's open (from session 25 the check at open of a large ledger is
SQLite's quick check of its small tables, \`meta\`, \`files\`, \`decisions\`, \`places\`,
tokens and submissions: integrity is \`tally verify\`'s job); store reads, resolves and
appends the rows; relink reads the blocks the rows touch (by place and day from the link
rows, each report once, and the members of the events that change whole, by id) and
links each block once, with its new reports; write stores the changed events (and,
before migration 0015, the rows' locators); commit (which writes the rows' link rows)
and close write SQLite's log and copy it into the ledger (SQLite's checkpoint, inside the
command: the ledger file is whole after each one, and each add of the sequence pays for
its own pages), then unmap what the writer read of the ledger (about half of the close
of an add into the big ledger in session 25's profiles, the other half the checkpoint).

The pages an add changes (\`add-19.csv\` into the big copy after the three above; one
page per row and b-tree, because the rows' days are spread over four years): $pages

**A sequence of $sequence adds** of $add_rows rows (\`add-20.csv\` on, \`tally synth --seed N\`),
one after another into the big copy after the four above: the amortized cost of an add,
the merges of the recent tables they trigger included (a small add keeps its changes
apart, and the one that leaves them holding more events than a 32nd of the ledger's
reports merges them into the main tables, inside its own transaction; until session 25,
a 32nd of its events):

$sequence_text

What the link rows cost a first ingest and the ledger (\`tally -v ingest\` of
\`tally synth --rows $ratio_rows --seed 14 --era 2021\` into an empty ledger, by this build
and by BEFORE, one after the other; "link rows" is their write (from session 24 on, from
memory while the file is linked), in this
build's log, so the ingest without it is the wall time less that):

| build | wall | CPU | link rows written | ledger | ledger / CSV | link rows (dbstat) |
|---|---|---|---|---|---|---|
$ratio_rows_text

What changed in this round (session 25, issue 12, engineer addfast; the BEFORE binary
above, when the script is run with \`BEFORE=/work/big/tally-s25\`, is main at the start
of the session, 1f96998). Each change costs an add into an empty ledger nothing (none of
them is on its path) and takes from the big add's serial work only:

- **The check at open of a large ledger** (over 64 MiB; tally-store \`Ledger::quick_check\`)
  is SQLite's quick check of its small tables in full (\`LARGE_LEDGER_CHECKED_TABLES\`:
  \`meta\`, \`files\`, \`decisions\`, \`places\`, tokens and submissions, each a page or a
  few, read whole or consulted by every writer), within the same 5 ms budget, instead of
  the quick check of the whole ledger cut short after 5 ms, which at a million reports got
  through \`meta\`, \`files\` and part of \`event_sums\` and no further: a fixed 5 ms (2.1%
  of the big add's samples, and some of the pages its close unmapped) of every add into a
  large ledger and of none into a small one; now 0.26%. A small ledger's full integrity
  check is as before; \`tally verify\` checks everything.
- **The merge check of the recent tables** weighs them against the ledger's reports (the
  highest report id, a lookup at the end of their tree: reports are append-only) instead
  of its stored events (a sum over \`event_sums\`, 125,590 rows and 330 pages in the big
  ledger): 2.5% of the big add's samples, now 0.16%. It decides only when the recent
  tables are folded in, never what a reader sees; in the benchmark's ledger (reports are
  mostly events of their own) merges come as before.
- **What was read ahead is handed to the relink as read** (tally-pipeline \`Ahead\`): each
  report once (by a set of ids as it comes), neither sorted by id (some 7,500 whole reports
  moved a dozen times each, on the reading thread, then again with a copy on the writer
  when handed over) nor copied: the linker takes them in any order (the same events: the
  proptests comparing incremental and full). \`reach\` fell from 7.2% to 4.3% of the
  big add's samples (before migration 0016).
- **The reading connection closes off the relink's path**: the thread that reads ahead
  sends what it read before its connection closes (closing it unmaps the pages it read,
  some 3.5 ms of CPU an add under load), and is joined once the events are written.
- **The reads ahead are shared by two readers** (tally-pipeline \`read_ahead\`): a batch
  of at least 128 new spans (the 940 of 1,000 rows into the big ledger) is read in two
  halves at once, the second by a reader on a connection of its own (opened, like the
  first, inside the file's transaction: the same ledger). The relink of session 24 waited
  some 10 ms for the reads, which ran on one core while the writer stored the file on
  the other and went on after it; two readers and the writer share both cores. About a
  millisecond more CPU (a second connection); what they read is the same, each report
  once (a test with every batch shared, \`tally_pipeline::share_reads_ahead_from\`,
  answers as a full rebuild).
- Migration 0016 (engineer linkrows, this session): the link rows hold what an event is
  built from (organizers, whether each estimate was coded by rule), so the relink reads
  no report whole by id (\`made_whole\`: some 390 an add, 7% of the big add's samples).

Where the big add's time goes after these (perf, two adds of 1,000 rows into the big
ledger by this build, CPU samples of every thread, under a load average of 18): the store
12.5%, reading ahead (other threads, during the store) 16%, the relink 21% (linking the
touched blocks 9.7%, \`reach\` 7.5%), the commit 5.5% (the link rows 4.1%), the close
5.8% (the checkpoint about half, unmapping the writer's pages the other half), the
gazetteer's load 15% (as in an empty add); the check at open 0.17%, the merge check
0.09%.

Session 24: the reads ahead (the first spans of each new report's relink, read by a
thread with a read-only connection of its own while the writer stores the file), events
known new (their old rows not looked for), the append-only triggers checked against a
fixed digest at open, report fingerprints hashed without the formatting machinery; and
(engineer linkrows) migration 0015 dropped the report locators from SQLite ledgers, and a
first ingest writes its link rows from memory. The lead's quiet reruns at its end: 1.90×
wall / 1.83× CPU (0.133 s against 0.070 s) and, in a second run, 2.10× / 1.95× (0.141
against 0.067 s).

Session 23 (this script with \`BEFORE=/work/big/tally-s23\`): migration 0014's link rows
(what linking reads of each report, clustered by (place, day, id)) let the relink read
a touched block by one range read a place and day instead of three random lookups a
report; the events that change are built again from whole reports read by id. The
lead's quiet rerun at its end: 0.165 s into the big ledger against 0.078 s into an
empty one (2.12× wall, 1.94× CPU); phases of the big add: open 0.02, store 0.045, relink
0.07–0.09 (reading 0.03), write 0.01, commit 0.005, close 0.015 s.

Session 22 (this script with \`BEFORE=/work/big/tally-s22\`): what changed was found
from the touched blocks' members, not from their events built twice (an old block
whose reports are each an event of their own gives its event ids without linking);
neighbour locators and blocking keys on rayon's pool; reports, estimates and locators
read 256 keys a statement. The lead's quiet rerun at its end: 0.185 s into the big
ledger against 0.075 s into an empty one (2.47× wall, 2.25× CPU); the relink's reading
of some 7,500 stored reports by random lookups was 0.05–0.09 s of it.

Session 21 (this script with \`BEFORE=/work/big/tally-s20\`): migration 0012 kept the
sources' addresses of recent files apart (\`source_addresses\` and
\`source_addresses_recent\`, folded at the same merges as the other recent tables: 991
pages an add before, 87 after), and the stored reports of the touched blocks are read on
two connections at once (\`locators.rs\`, from 512 ids, on two cores or more). The lead's
quiet rerun at its end: 0.198 s into the big ledger against 0.068 s into an empty one
(**2.91× wall, 2.67× CPU**); phases of the big add: open 0.018, store 0.043, relink
0.11–0.12, write 0.015, commit 0.003, close 0.012 s.

Earlier rounds (session 20): migration 0011 kept the changes of a small relink apart
(events, per-day sums, locators: 4,598 pages an add before, 991 after); the main rows
that recent rows stand in for are left out by a hash set of recent ids in the slim scan
(\`estimate --json\` over the million events with four adds apart took 1.13 s CPU with
SQL's \`NOT IN\`, against 0.91 s merged). Tried and left: 4 KiB pages (\`VACUUM INTO\` a
copy: twice the frames, 15% less wall, the same CPU), leaving the checkpoint to a later
command (the next command pays it), one index by (date, state, locality, range) in place
of both (14 s to list one state); migration 0009 dropped the events' totals index,
mimalloc's \`no_thp\`, and the check at open cut at 5 ms. The lead's quiet rerun at the
end of session 20: 0.334 s into the big ledger against 0.087 s into an empty one (3.84×
wall, 2.76× CPU). Before session 20: 0.58 s against 0.077 s (7.5×); in the first
session 4.52–4.90 s into the big ledger.

**One city-day block** (\`cargo run --release -p tally-link --example block_sizes\`:
curated rows of three datasets, titled and untitled news reports, sixty gatherings'
titles, all in Austin on one day or the next), linked whole by \`link_reports\`, then one
more report added through \`link_new_reports\` (what an ingest into that block does,
reading from memory rather than SQLite: the block is linked once with the new report, and
what it held before is its stored events, read by id, not a second link):

| reports in the block | events | link the block | add one report |
|---|---|---|---|
$block_rows

Before (issue 12, measured on the earlier linker): 10,000 reports 1.8 s, 20,000 6.9 s,
40,000 26.7 s, and about 53 s for every later ingest into that block; then 48.3 s to add
one report to a block of 100,000 (the block linked twice, before and after).
MD
)
python3 - "$section" <<'PY'
import re, sys, pathlib
path = pathlib.Path("BENCHMARKS.md")
text = path.read_text()
section = sys.argv[1].rstrip() + "\n"
pattern = re.compile(r"^## Incremental linking \(issue 12\)\n.*?(?=^## |\Z)", re.S | re.M)
text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
path.write_text(text)
PY
echo "$section"
