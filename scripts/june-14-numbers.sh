#!/usr/bin/env bash
# Issue 8's numbers on the real June 14, 2025 data (not part of the hermetic tests: the
# data is not in the repository). Usage:
#   scripts/june-14-numbers.sh /path/to/june-14-2025 [tally binary]
# It ingests the folder's reports.csv as it is (one row per source statement) and, as a
# stand-in for a volunteer sheet, collapsed to one row per gathering (the median of its
# figures, 6% of the sizes blanked), then prints the national claim checks against the
# total extrapolated to 2,100 events and with no event count given, and the calibration
# of both setups.
set -euo pipefail
data=${1:?the june-14-2025 folder}
tally=${2:-target/release/tally}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$data/reports.csv" "$work/sheet.csv" <<'PY'
import csv, random, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
groups = {}
for r in rows:
    groups.setdefault((r["locality"], r["state"], r["event"]), []).append(r)
rng = random.Random(7)
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    out = csv.writer(f)
    out.writerow(["date", "locality", "state", "event", "size_low", "size_high",
                  "size_text", "attribution", "publisher", "url"])
    for i, ((locality, state, event), rs) in enumerate(sorted(groups.items())):
        mids = [(int(r["size_low"]) + int(r["size_high"])) / 2 for r in rs if r["size_low"]]
        size = str(int(statistics.median_low(mids))) if mids else ""
        if size and rng.random() < 0.06:
            size = ""
        out.writerow(["2025-06-14", locality, state, event, size, size, "sheet row",
                      "media", "sheet", f"https://example.org/sheet/{i}"])
PY

for name in reports sheet; do
    db="$work/$name.db"
    file="$data/reports.csv"
    [ "$name" = sheet ] && file="$work/sheet.csv"
    "$tally" --db "$db" -q ingest --format reports "$file"
    echo "== $name: national claims, 2,100 events known to exist"
    for claim in "over 6 million people took part" "more than 3 million people took part" \
        "fewer than one million people marched"; do
        "$tally" --db "$db" check "$claim" --date 2025-06-14 --match "No Kings" \
            --expected-events 2100 --json | python3 -c '
import json, sys
c = json.load(sys.stdin); p = c["evidence"]["parts"][0]; e = c["evidence"]
print("%-22s %-42s evidence %s – %s (%s events extrapolated)" % (c["verdict"],
      c["claim"]["text"], format(p["evidence_low"], ","), format(p["evidence_high"], ","),
      format(e.get("events_missing", 0), ",")))'
    done
    echo "== $name: national claims, no event count given"
    for claim in "over 6 million people took part" "more than 3 million people took part" \
        "fewer than one million people marched"; do
        "$tally" --db "$db" check "$claim" --date 2025-06-14 --match "No Kings" --json |
            python3 -c '
import json, sys
c = json.load(sys.stdin); p = c["evidence"]["parts"][0]
print("%-22s %-42s evidence %s – %s" % (c["verdict"], c["claim"]["text"],
      format(p["evidence_low"], ","), format(p["evidence_high"], ",")))'
    done
    echo "== $name: calibration (No Kings)"
    "$tally" --db "$db" calibrate --date 2025-06-14 --match "No Kings"
done
