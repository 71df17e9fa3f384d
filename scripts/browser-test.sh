#!/usr/bin/env bash
# The dashboard in a real browser: installs Debian's chromium and playwright-core (pinned
# in tests/browser/package-lock.json) when missing, builds `tally`, and runs
# tests/browser/dashboard.test.mjs with node's test runner. Screenshots of every page go
# to target/screenshots/ (or $SCREENSHOTS).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  echo "browser-test: installing Debian's chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
fi
if [[ ! -d tests/browser/node_modules/playwright-core ]]; then
  (cd tests/browser && npm ci --no-audit --no-fund --silent)
fi
cargo build --locked -q -p tally-cli
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
export TALLY_BIN="$target_dir/debug/tally"
export SCREENSHOTS="${SCREENSHOTS:-$target_dir/screenshots}"
cd tests/browser
node --test dashboard.test.mjs
