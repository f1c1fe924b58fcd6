#!/usr/bin/env bash
# Browser tests: runs every *.test.mjs with node's test runner against a built site folder ($1) and
# the majors binary ($MAJORS_BIN, default target/release/majors), in Debian's Chromium through
# playwright-core (no browser download). Their npm packages and the Node that runs them are the
# acceptance checks' (tests/acceptance/package.json, installed once by tests/acceptance/setup.sh;
# this script runs it with --no-apt, a no-op when they are up to date). Screenshots go to
# target/screenshots/ (the default theme on other sites: target/screenshots/default-theme/).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=tests/acceptance/lib.sh
. "$ROOT/tests/acceptance/lib.sh"
[ $# = 1 ] || die 2 "usage: tests/browser/run.sh PUBLIC_DIR"
[ -d "$1" ] || die 2 "browser tests: not a folder: $1 (build the site first: majors build)"
SITE="$(cd "$1" && pwd)"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || die 2 "browser tests: ${CHROMIUM:-/usr/bin/chromium} missing (apt-get install chromium, or run tests/acceptance/setup.sh)"
bash "$ACC/setup.sh" --no-apt >/dev/null

# The tests import playwright-core and axe-core from tests/browser/node_modules: a link to the
# acceptance checks' node_modules (a folder there is what this script's older versions installed).
link="$HERE/node_modules"
if [ -d "$link" ] && [ ! -L "$link" ]; then
  [ -f "$link/.package-lock.json" ] || die 2 "browser tests: $link is a folder npm did not make: move it away"
  rm -rf "$link"
fi
ln -sfn ../acceptance/node_modules "$link"

node="$(acc_node)"
export SITE_DIR="$SITE"
export MAJORS_BIN="${MAJORS_BIN:-$ROOT/target/release/majors}"
[ -x "$MAJORS_BIN" ] || die 2 "browser tests: no majors binary at $MAJORS_BIN (cargo build --release, or set MAJORS_BIN)"
export FIXTURE_DIR="$ROOT/tests/fixtures/base"
# The synthetic corpus generator, for the default theme's tests (built by `cargo test --release`).
export GEN_CORPUS="${GEN_CORPUS:-$ROOT/target/release/examples/gen_corpus}"
export SCREENSHOT_DIR="$ROOT/target/screenshots"
mkdir -p "$SCREENSHOT_DIR"
exec "$node" --test --test-concurrency=1 "$HERE"/*.test.mjs
