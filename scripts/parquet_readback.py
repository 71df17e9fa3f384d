"""Issue 12: reads a `tally export --format parquet` file with pandas and with DuckDB and
checks every cell against the `tally export --format csv --raw` export of the same ledger.

Usage: parquet_readback.py EVENTS.parquet EVENTS.csv EVENTS.geojson

The CSV writes a null as `NA`, `online` as 1/0 and numbers in Rust's shortest round-trip
form, so each Parquet value is compared in that form: text exactly, integers exactly,
floats by value (the CSV text parsed as a float must be the very same double). The
Parquet's first column is the event id, which the CSV layout lacks: it must be present
and unique, and each event of the GeoJSON export (which carries ids) must be the Parquet
row of that id, with the same date, place, range and coordinates. Exits non-zero on the first difference, naming row, column and both values.
"""

import csv
import datetime
import json
import math
import sys

import duckdb
import pandas as pd

# The typed columns and the DuckDB type each must have; every other column is text.
TYPES = {
    "date": "DATE",
    "online": "BOOLEAN",
    "size_low": "BIGINT",
    "size_high": "BIGINT",
    "size_mean": "DOUBLE",
    "size_cat": "INTEGER",
    "lat": "DOUBLE",
    "lon": "DOUBLE",
}


def is_null(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def same(column, value, cell):
    """True when a Parquet value is what the CSV cell says."""
    if is_null(value):
        return cell == "NA"
    kind = TYPES.get(column, "VARCHAR")
    if kind == "BOOLEAN":
        return cell == ("1" if bool(value) else "0")
    if kind == "DATE":
        if isinstance(value, (pd.Timestamp, datetime.datetime)):
            value = value.date()
        return isinstance(value, datetime.date) and value.isoformat() == cell
    if kind in ("BIGINT", "INTEGER"):
        return int(value) == int(cell) and float(value) == int(value)
    if kind == "DOUBLE":
        return cell != "NA" and float(value) == float(cell)
    return isinstance(value, str) and value == cell


def check(reader, names, rows, header, records):
    if names[0] != "event_id" or names[1:] != header:
        sys.exit(f"{reader}: columns {names} are not event_id + the CSV header {header}")
    if len(rows) != len(records):
        sys.exit(f"{reader}: {len(rows)} rows, the CSV has {len(records)}")
    ids = [row[0] for row in rows]
    if any(is_null(i) or not str(i).startswith("ev-") for i in ids) or len(set(ids)) != len(ids):
        sys.exit(f"{reader}: event ids are missing, malformed or repeated")
    for n, (row, record) in enumerate(zip(rows, records), start=1):
        for column, value, cell in zip(header, row[1:], record):
            if not same(column, value, cell):
                sys.exit(f"{reader}: row {n}, column {column}: Parquet {value!r}, CSV {cell!r}")


def main():
    parquet_path, csv_path, geojson_path = sys.argv[1:4]
    with open(csv_path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        records = list(reader)
    if len(records) < 100:
        sys.exit(f"only {len(records)} rows exported: the check needs a real ledger")

    frame = pd.read_parquet(parquet_path, engine="pyarrow")
    names = list(frame.columns)
    rows = [list(r) for r in frame.itertuples(index=False, name=None)]
    check("pandas", names, rows, header, records)

    connection = duckdb.connect()
    relation = connection.sql("SELECT * FROM read_parquet(?)", params=[parquet_path])
    types = dict(zip(relation.columns, map(str, relation.types)))
    for column in relation.columns:
        expected = TYPES.get(column, "VARCHAR")
        if types[column] != expected:
            sys.exit(f"duckdb: column {column} is {types[column]}, expected {expected}")
    check("duckdb", relation.columns, relation.fetchall(), header, records)

    # The ids name the right events: every GeoJSON feature is the Parquet row of its id.
    by_id = {row[0]: dict(zip(relation.columns, row)) for row in relation.fetchall()}
    with open(geojson_path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    if not features:
        sys.exit("the GeoJSON export has no events to check the ids against")
    for feature in features:
        props = feature["properties"]
        row = by_id.get(props["id"])
        if row is None:
            sys.exit(f"event {props['id']} of the GeoJSON export is not in the Parquet export")
        lon, lat = feature["geometry"]["coordinates"]
        date = row["date"].isoformat() if row["date"] is not None else None
        found = (date, row["locality"], row["state"], row["size_low"], row["size_high"], row["lat"], row["lon"])
        wanted = (props["date"], props["locality"], props["state"], props["size_low"], props["size_high"], lat, lon)
        if found != wanted:
            sys.exit(f"event {props['id']}: Parquet {found}, GeoJSON {wanted}")

    # A sum the way an analyst would write it agrees with the CSV's.
    known_low = sum(int(r[header.index("size_low")]) for r in records if r[header.index("size_low")] != "NA")
    # (DuckDB 2 relations have no fetchone(): a relation keeps no result between calls.)
    [(duck_low,)] = connection.sql(
        "SELECT coalesce(sum(size_low), 0) FROM read_parquet(?)", params=[parquet_path]
    ).fetchall()
    if int(duck_low) != known_low or int(frame["size_low"].sum()) != known_low:
        sys.exit(f"sum(size_low): CSV {known_low}, DuckDB {duck_low}, pandas {frame['size_low'].sum()}")

    print(
        f"parquet-readback: {len(records)} rows x {len(names)} columns equal to the CSV export "
        f"in pandas {pd.__version__} and DuckDB {duckdb.__version__}; {len(features)} event ids "
        f"match the GeoJSON export; sum(size_low) = {known_low}"
    )


if __name__ == "__main__":
    main()
