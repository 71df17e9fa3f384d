"""Peer side of scripts/bench-extract.sh: quantulum3 on the same corpus.

quantulum3 extracts quantities but knows nothing of crowds, so its crowd sizes are
taken generously: every dimensionless quantity of at least 1 in a passage, as
(low, high) = (value, value), or the bounds of its uncertainty when it gives one.
Throughput is measured on the corpus text, once through (it is far slower).
Prints one JSON object.
"""

import json
import sys
import time

from quantulum3 import parser


def pairs(text):
    out = []
    for q in parser.parse(text):
        if q.unit.name not in ("dimensionless", "") and q.unit.entity.name != "dimensionless":
            continue
        v = q.value
        if v is None or v < 1:
            continue
        if q.uncertainty:
            out.append((round(v - q.uncertainty), round(v + q.uncertainty)))
        else:
            out.append((round(v), round(v)))
    return out


def main():
    rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
    found = expected = matched = 0
    start = time.perf_counter()
    total = 0
    for row in rows:
        got = pairs(row["text"])
        total += len(row["text"].encode("utf-8"))
        left = [tuple(p) for p in row["expected"]]
        expected += len(left)
        found += len(got)
        for p in got:
            if p in left:
                left.remove(p)
                matched += 1
    secs = time.perf_counter() - start
    precision = matched / max(found, 1)
    recall = matched / max(expected, 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(json.dumps({
        "found": found, "expected": expected, "matched": matched,
        "precision": precision, "recall": recall, "f1": f1,
        "bytes": total, "seconds": secs, "mb_s": total / 1e6 / secs,
    }))


if __name__ == "__main__":
    main()
