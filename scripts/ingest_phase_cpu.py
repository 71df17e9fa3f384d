#!/usr/bin/env python3
# CPU seconds of an ingest by phase and by thread role (the single writer, the parse on
# rayon, the reader thread, zstd, the keeper of new reports, linking, the commit), from
# a call-graph recording: on a loaded machine, wall time says little and CPU time per
# role says where the store phase goes (BENCHMARKS.md, "Ingest and totals").
#
# Usage:
#   perf record -F 250 --call-graph dwarf,16384 -o p.data tally --db X ingest FILE
#   perf script -i p.data -F tid,ip,sym > p.txt
#   python3 scripts/ingest_phase_cpu.py p.txt 250
import collections, sys
hz = float(sys.argv[2])
samples = open(sys.argv[1]).read().split('\n\n')
main = None
count = collections.Counter()
for s in samples:
    s = s.strip()
    if not s:
        continue
    lines = s.split('\n')
    tid = lines[0].split()[0]
    if main is None:
        main = tid
    j = s
    if tid == main:
        if 'add_resolved' in j or 'read_while_storing' in j:
            role = 'store: writer'
        elif 'link_new_reports' in j:
            role = 'link (main)'
        elif 'IngestTx::commit' in j or 'ingest::commit' in j:
            role = 'commit'
        else:
            role = 'main other'
    else:
        if 'ZSTD' in j:
            role = 'store: zstd'
        elif 'HeldReports::push' in j or 'drop_in_place<tally_pipeline::ingest::Item' in j or 'drop_in_place<tally_pipeline::ingest::Batch' in j or 'Keeper' in j:
            role = 'store: keeper'
        elif 'read_rows' in j or 'read_row' in j:
            role = 'store: parse'
        elif 'resolve' in j or 'PlaceResolver' in j:
            role = 'store: resolve'
        elif 'RowIdentities' in j or 'read_in_batches' in j or 'read_while_storing' in j:
            role = 'store: reader thread'
        elif 'link' in j or 'held' in j or 'Linker' in j:
            role = 'link (workers)'
        else:
            role = 'other threads: ' + (lines[1].strip().split(' ', 1)[1][:40] if len(lines) > 1 else '?')
    count[role] += 1
store = 0
for role, n in sorted(count.items(), key=lambda kv: -kv[1]):
    if n / hz >= 0.03:
        print(f"{role:45s} {n / hz:6.2f} s")
    if role.startswith('store'):
        store += n
print(f"{'store phase total':45s} {store / hz:6.2f} s")
