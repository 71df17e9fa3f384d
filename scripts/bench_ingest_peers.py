"""Peers for the ingest benchmark: the same sums as `tally ingest` + `tally estimate`,
done by pandas (read_csv, fill one-sided ranges, code vague words, sum) and by DuckDB
(read_csv plus SQL sums). Prints one JSON object per peer with its time and totals, so
the shell script can check that every tool agrees on the numbers before comparing speed.

Usage: python3 bench_ingest_peers.py FILE.csv
"""

import json
import sys
import time

# The DESIGN.md vague-word table (the "design" rules), for the peers.
RULES = {
    "a few": 3, "a handful": 3, "handful": 3, "a couple": 2, "a lone couple": 2,
    "a dozen": 12, "dozen": 12, "dozens": 24, "several dozen": 24, "a few dozen": 24,
    "scores": 40, "a hundred": 100, "hundreds": 200, "several hundred": 200,
    "a few hundred": 200, "a thousand": 1000, "thousands": 2000,
    "several thousand": 2000, "a few thousand": 2000, "tens of thousands": 20000,
    "hundreds of thousands": 200000, "a million": 1000000, "millions": 2000000,
}


def run_pandas(path):
    import pandas as pd

    start = time.perf_counter()
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=["NA", ""],
                     encoding_errors="replace", low_memory=False)

    def numeric(column):
        return pd.to_numeric(df[column].str.replace(",", "", regex=False), errors="coerce")

    low, high = numeric("size_low"), numeric("size_high")
    low, high = low.fillna(high), high.fillna(low)
    vague = df["size_text"].fillna("").str.strip().str.lower().str.split().str.join(" ").map(RULES)
    low, high = low.fillna(vague), high.fillna(vague)
    sized = low.notna()
    totals = {
        "events": int(len(df)),
        "events_with_size": int(sized.sum()),
        "known_low": int(low[sized].sum()),
        "known_high": int(high[sized].sum()),
        "states": int(df["state"].nunique()),
    }
    return time.perf_counter() - start, totals


def run_duckdb(path):
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE rules (phrase VARCHAR, value BIGINT)")
    con.executemany("INSERT INTO rules VALUES (?, ?)", list(RULES.items()))
    row = con.execute(
        f"""
        WITH raw AS (
            SELECT * FROM read_csv('{path}', all_varchar = true, nullstr = ['NA', ''],
                                   header = true, quote = '"', escape = '"', ignore_errors = false)
        ), coded AS (
            SELECT raw.state,
                   TRY_CAST(replace(size_low, ',', '') AS BIGINT) AS l,
                   TRY_CAST(replace(size_high, ',', '') AS BIGINT) AS h,
                   rules.value AS v
            FROM raw LEFT JOIN rules
              ON rules.phrase = lower(trim(regexp_replace(coalesce(size_text, ''), '\\s+', ' ', 'g')))
        ), filled AS (
            SELECT state, coalesce(l, h, v) AS lo, coalesce(h, l, v) AS hi FROM coded
        )
        SELECT count(*), count(lo), sum(lo), sum(hi), count(DISTINCT state) FROM filled
        """
    ).fetchone()
    totals = {
        "events": int(row[0]),
        "events_with_size": int(row[1]),
        "known_low": int(row[2] or 0),
        "known_high": int(row[3] or 0),
        "states": int(row[4]),
    }
    return time.perf_counter() - start, totals


if __name__ == "__main__":
    path = sys.argv[1]
    for name, fn in [("pandas", run_pandas), ("duckdb", run_duckdb)]:
        seconds, totals = fn(path)
        print(json.dumps({"peer": name, "seconds": round(seconds, 3), **totals}))
