#!/usr/bin/env bash
# Benchmark: `tally serve` under load, on loopback only, in short bounded runs.
#
# 1. wrk (2 threads, 64 connections, 30 s) on GET /api/v1/estimate?date=2025-06-14
#    against the demo ledger: requests/s, latency percentiles, errors.
# 2. The same load while a 300,000-row file is ingested through POST /api/v1/ingest:
#    reads must keep answering (p99 under 250 ms, no errors).
# Peer, in the same run: the same question asked of the CLI, one process per answer.
# Writes the "Server" section of BENCHMARKS.md.
#
# Usage: scripts/bench-serve.sh [SECONDS] [ROWS] [INGEST_WINDOW]
#   (defaults 30, 300000 and 90: the second run lasts INGEST_WINDOW seconds so that the
#   whole ingest, commit included, happens under load)
# Needs: wrk (Debian: apt-get install wrk), curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
rows=${2:-300000}
window=${3:-90}
port=${TALLY_BENCH_PORT:-18765}
addr="127.0.0.1:$port"
url="http://$addr/api/v1/estimate?date=2025-06-14"
out="$PWD/bench-data/serve"
rm -rf "$out" && mkdir -p "$out"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }

cargo build -q --release -p tally-cli
tally="${CARGO_TARGET_DIR:-target}/release/tally"

"$tally" demo --ledger "$out/demo.db" > /dev/null
token=$("$tally" --db "$out/demo.db" token create --role curator --name bench 2>/dev/null)
"$tally" synth --rows "$rows" --out "$out/synth.csv" 2>/dev/null

# The peer: one CLI process per answer, median of 5.
cli_ms=$(python3 - "$tally" "$out/demo.db" <<'PY'
import statistics, subprocess, sys, time
runs = []
for _ in range(5):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "--db", sys.argv[2], "estimate", "--date", "2025-06-14", "--json"],
                   check=True, stdout=subprocess.DEVNULL)
    runs.append((time.perf_counter() - t) * 1000)
print("%.1f" % statistics.median(runs))
PY
)

"$tally" --db "$out/demo.db" serve --addr "$addr" 2> "$out/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://$addr/healthz" > /dev/null && break
  sleep 0.1
done
# The API's answer is the CLI's, byte for byte, before anything is measured.
curl -sf "$url" > "$out/api.json"
"$tally" --db "$out/demo.db" estimate --date 2025-06-14 --json > "$out/cli.json"
cmp -s "$out/api.json" "$out/cli.json" && same=yes || same=no

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
wrk -t2 -c64 -d"${seconds}s" --latency "$url" > "$out/wrk-plain.txt"

# Second run: the same load, and a large ingest two seconds in.
wrk_start=$(date +%s.%N)
wrk -t2 -c64 -d"${window}s" --latency "$url" > "$out/wrk-ingest.txt" &
load=$!
sleep 2
ingest_start=$(date +%s.%N)
ingest_status=$(curl -s -o "$out/ingest.json" -w '%{http_code}' -X POST \
  -H "Authorization: Bearer $token" --data-binary @"$out/synth.csv" \
  "http://$addr/api/v1/ingest?format=dataset&name=synth.csv")
ingest_end=$(date +%s.%N)
wait $load
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# A graceful stop: SIGTERM, then the server must exit 0 by itself.
kill -TERM $server
stopped=0
wait $server || stopped=$?
trap - EXIT

python3 - "$out" "$seconds" "$rows" "$cli_ms" "$same" "$ingest_status" "$ingest_start" "$ingest_end" \
  "$load_before" "$load_after" "$(nproc)" "$stopped" "$window" "$wrk_start" <<'PY'
import json, re, sys
out, seconds, rows, cli_ms, same, status, t0, t1, load_before, load_after, cores, stopped, window, w0 = sys.argv[1:]

def parse(path):
    text = open(path).read()
    def ms(value, unit):
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    pct = {m.group(1): ms(m.group(2), m.group(3))
           for m in re.finditer(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    total = int(re.search(r"(\d+) requests in", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(int(g) for g in socket.groups()) if socket else 0)
    return {"rps": rps, "total": total, "errors": errors, "p50": pct.get("50"), "p90": pct.get("90"), "p99": pct.get("99")}

plain = parse(out + "/wrk-plain.txt")
during = parse(out + "/wrk-ingest.txt")
ingest = json.load(open(out + "/ingest.json")) if status == "200" else {}
ingest_s = float(t1) - float(t0)

def row(name, r):
    return "| %s | %s | %.0f | %.2f | %.2f | %.2f | %d |" % (
        name, format(r["total"], ","), r["rps"], r["p50"], r["p90"], r["p99"], r["errors"])

lines = [
    "## Server",
    "",
    "Measured by `scripts/bench-serve.sh %s %s %s` on %s: `tally serve` (release build) on the demo ledger," % (seconds, rows, window, __import__("datetime").date.today()),
    "`wrk -t2 -c64 -d%ss --latency http://127.0.0.1:PORT/api/v1/estimate?date=2025-06-14`, all on" % seconds,
    "loopback, on %s cores shared by the server, wrk and other work (load average %s before," % (cores, load_before),
    "%s after), so throughput is a lower bound." % load_after,
    "The API's answer equals `tally estimate --date 2025-06-14 --json` byte for byte: **%s**." % same,
    "",
    "| run | requests | requests/s | p50 ms | p90 ms | p99 ms | errors |",
    "|---|---|---|---|---|---|---|",
    row("reads alone", plain),
    row("reads for %s s while %s rows are ingested through the API" % (window, format(int(rows), ",")), during),
    "",
    "During the second run, `POST /api/v1/ingest` of a %s-row synthetic dataset file answered %s in %.1f s"
    % (format(int(rows), ","), status, ingest_s),
    "(%s reports added, %d rejected, one transaction), committing %.1f s into the %s s run"
    % (format(ingest.get("reports_added", 0), ","), len(ingest.get("rejected", [])), float(t1) - float(w0), window),
    "(%s)." % ("the whole ingest, commit included, was under load" if float(t1) - float(w0) <= float(window) else "the run ended before the commit"),
    "Peer, same run: the same question asked of the CLI, one `tally estimate --date 2025-06-14 --json`",
    "process per answer: median %s ms per answer (the server's p50 above is the same answer from" % cli_ms,
    "its cache, which a write to the ledger invalidates).",
    "After SIGTERM the server finished in-flight requests and exited with status %s." % stopped,
    "Targets (issue 10): 0 errors and at least 5,000 requests/s alone; p99 under 250 ms during the ingest.",
    "",
]
section = "\n".join(lines)
path = "BENCHMARKS.md"
text = open(path).read()
start = text.find("## Server\n")
if start == -1:
    text = text.rstrip("\n") + "\n\n" + section
else:
    end = text.find("\n## ", start + 1)
    text = text[:start] + section + ("" if end == -1 else text[end + 1:])
open(path, "w").write(text.rstrip("\n") + "\n")
print(section)
PY
