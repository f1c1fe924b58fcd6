#!/usr/bin/env bash
# Sets up everything the tests need on a fresh Debian machine, then runs every test:
# formatting and lints, unit and integration tests (cargo), the external acceptance checks
# (W3C Nu validator, axe-core in Chromium, link checker, sitemap/feed checks) on the built
# knowledge base, and the browser tests. Exits non-zero on the first failing stage.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
SHARED="${SHARED_DIR:-$ROOT/../shared}"
export ACCEPTANCE_HOME="${ACCEPTANCE_HOME:-$HOME/.cache/acceptance}"
stage() { printf '\n==> %s\n' "$*"; }

stage "setup: system packages and acceptance tools (idempotent)"
if [ -x "$SHARED/acceptance/setup.sh" ] || [ -f "$SHARED/acceptance/setup.sh" ]; then
  bash "$SHARED/acceptance/setup.sh"
else
  echo "missing $SHARED/acceptance/setup.sh (set SHARED_DIR)"; exit 2
fi
command -v xmllint >/dev/null

stage "format and lints"
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings

stage "unit and integration tests"
cargo test --locked 2>&1 | tee target/cargo-test.log
# cargo prints one "test result" line per test binary; fail loudly if none ran.
grep -q "test result: ok" target/cargo-test.log

stage "build the knowledge base"
cargo build --release --locked
./target/release/majors check
./target/release/majors build

stage "acceptance: W3C Nu validator"
"$ACCEPTANCE_HOME/html_valid.sh" public --also-check-css
stage "acceptance: links and anchors"
SITE_URL="https://majors.example.org/" "$ACCEPTANCE_HOME/links.sh" public
stage "acceptance: sitemap and Atom feed"
"$ACCEPTANCE_HOME/xml_valid.sh" public
stage "acceptance: axe-core in Chromium"
node "$ACCEPTANCE_HOME/a11y.mjs" public --max-pages=100000

if [ -f tests/browser/run.sh ]; then
  stage "browser tests (Chromium)"
  bash tests/browser/run.sh public
fi

stage "all tests passed"
