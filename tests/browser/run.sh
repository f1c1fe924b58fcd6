#!/usr/bin/env bash
# Browser tests: installs playwright-core (pinned by package-lock.json; no browser download),
# then runs every *.test.mjs with node's test runner against a built site folder ($1) and the
# majors binary ($MAJORS_BIN, default target/release/majors). Screenshots go to target/screenshots/.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SITE="$(cd "${1:?usage: run.sh PUBLIC_DIR}" && pwd)"
command -v /usr/bin/chromium >/dev/null || { echo "chromium missing (apt-get install chromium)"; exit 2; }
cd "$HERE"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
export SITE_DIR="$SITE"
export MAJORS_BIN="${MAJORS_BIN:-$ROOT/target/release/majors}"
export FIXTURE_DIR="$ROOT/tests/fixtures/base"
export SCREENSHOT_DIR="$ROOT/target/screenshots"
mkdir -p "$SCREENSHOT_DIR"
node --test --test-concurrency=1 "$HERE"/*.test.mjs
