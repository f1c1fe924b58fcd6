#!/usr/bin/env bash
# Sets up everything the tests need on a fresh Debian 12 machine, then runs every test:
# formatting and lints, unit and integration tests (cargo), the acceptance checks of
# tests/acceptance/ (W3C Nu validator, links and anchors in Chromium, sitemap and Atom feed,
# axe-core in Chromium) after their self-test, on the built knowledge base, and the browser tests.
# Exits non-zero on the first failing stage. Needs nothing outside the repository.
#
# While working on the acceptance stages, SKIP_CARGO=1 skips the cargo stages (formatting,
# clippy, tests and the release build) and uses an existing binary instead:
#   SKIP_CARGO=1 MAJORS_BIN=/path/to/majors PUBLIC_DIR=/tmp/public scripts/test-all.sh
# MAJORS_BIN defaults to target/release/majors and PUBLIC_DIR to public/ (site.yaml's output_dir).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
ACC="$ROOT/tests/acceptance"
MAJORS_BIN="${MAJORS_BIN:-$ROOT/target/release/majors}"
build_args=()
[ -z "${PUBLIC_DIR:-}" ] || build_args=(--output-dir "$PUBLIC_DIR")
PUBLIC_DIR="${PUBLIC_DIR:-public}"
export MAJORS_BIN
START=$SECONDS
# Each stage's line says how long the run has taken so far (minutes:seconds).
stage() { printf '\n==> [%d:%02d] %s\n' $(((SECONDS - START) / 60)) $(((SECONDS - START) % 60)) "$*"; }

stage "setup: system packages and acceptance tools (idempotent)"
bash "$ACC/setup.sh"

if [ "${SKIP_CARGO:-0}" = 1 ]; then
  stage "SKIP_CARGO=1: format, lints, cargo tests and the release build skipped; using $MAJORS_BIN"
  [ -x "$MAJORS_BIN" ] || { echo "no majors binary at $MAJORS_BIN (set MAJORS_BIN, or unset SKIP_CARGO)"; exit 2; }
else
  # One compile of the dependencies serves clippy, the tests and the binary: clippy-driver
  # runs as the compiler of this crate only (RUSTC_WORKSPACE_WRAPPER, as `cargo clippy` sets
  # it) on a full release build rather than a separate `cargo check`, and the tests run against
  # the release build that `cargo run --release -- serve` uses. CLIPPY_ARGS is how cargo-clippy
  # hands `-D warnings` to the driver.
  RUSTC_WORKSPACE_WRAPPER="$(command -v clippy-driver)" || {
    echo "clippy-driver not found: install clippy with \`rustup component add clippy\`"; exit 2; }
  export RUSTC_WORKSPACE_WRAPPER
  export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

  stage "format"
  cargo fmt --all -- --check

  stage "lints (clippy -D warnings) and the release build of every target"
  cargo test --release --all-targets --locked --no-run

  stage "unit and integration tests"
  mkdir -p target
  cargo test --release --locked 2>&1 | tee target/cargo-test.log
  # cargo prints one "test result" line per test binary; fail loudly if none ran.
  grep -q "test result: ok" target/cargo-test.log
fi

stage "build the knowledge base"
[ "${SKIP_CARGO:-0}" = 1 ] || cargo build --release --locked
"$MAJORS_BIN" check
"$MAJORS_BIN" build "${build_args[@]}"

stage "serve answers what build writes, over HTTP, after the edits that once left it stale"
python3 scripts/serve-matches-build.py "$MAJORS_BIN"

stage "acceptance: self-test of the checks (each fails on a planted defect)"
bash "$ACC/selftest.sh"

stage "acceptance: W3C Nu validator"
bash "$ACC/html-valid.sh" "$PUBLIC_DIR" --css
stage "acceptance: links and anchors"
SITE_URL="https://majors.example.org/" bash "$ACC/links.sh" "$PUBLIC_DIR"
stage "acceptance: sitemap and Atom feed"
SITE_URL="https://majors.example.org/" bash "$ACC/sitemap.sh" "$PUBLIC_DIR"
bash "$ACC/atom.sh" "$PUBLIC_DIR"
stage "acceptance: axe-core in Chromium"
bash "$ACC/a11y.sh" "$PUBLIC_DIR"

stage "browser tests (Chromium)"
bash tests/browser/run.sh "$PUBLIC_DIR"

stage "all tests passed"
