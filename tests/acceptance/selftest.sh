#!/usr/bin/env bash
# selftest.sh: shows that each acceptance check passes a clean site and fails a broken one.
# fixtures/clean/ is a tiny site every check passes (exit 0). Each fixtures/defects/NAME/ holds
# the files of the clean site that NAME replaces to plant one defect; the check that should catch
# it must exit 1 and print the finding named below. A check given a wrong option must exit 2.
# Prints one line per case and closes with `selftest: N passed, N failed`; exit 1 if any failed.
set -euo pipefail
# shellcheck source=tests/acceptance/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
FIX="$ACC/fixtures"
SITE_URL=https://fixture.example/
export SITE_URL
WORK="$(mktemp -d "${TMPDIR:-/tmp}/majors-selftest.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
passed=0 failed=0

# site NAME: a copy of the clean site with the defect NAME planted (clean: none); prints its path.
site() {
  local dir="$WORK/$1"
  if [ ! -d "$dir" ]; then
    cp -R "$FIX/clean" "$dir"
    if [ "$1" != clean ]; then
      [ -d "$FIX/defects/$1" ] || die 2 "selftest: no fixture $FIX/defects/$1"
      cp -R "$FIX/defects/$1/." "$dir/"
    fi
  fi
  printf '%s\n' "$dir"
}

# expect CODE FIXTURE EXPECTED_TEXT CHECK ARGS...: runs CHECK on the fixture's site; passes when
# it exits CODE and its output contains EXPECTED_TEXT (a fixed string).
expect() {
  local want="$1" fixture="$2" text="$3" check="$4"; shift 4
  local dir out code=0
  dir="$(site "$fixture")"
  out="$("$ACC/$check" "$dir" "$@" 2>&1)" || code=$?
  if [ "$code" = "$want" ] && grep -qF -- "$text" <<<"$out"; then
    passed=$((passed + 1))
    printf 'selftest: ok   %-14s %-15s exit %s, %s\n' "$check" "$fixture" "$code" "$(tail -1 <<<"$out")"
  else
    failed=$((failed + 1))
    printf 'selftest: FAIL %-14s %-15s exit %s (wanted %s and the text %s); its output:\n' "$check" "$fixture" "$code" "$want" "'$text'"
    # shellcheck disable=SC2001 # (indent every line of a multi-line string)
    sed 's/^/    /' <<<"$out"
  fi
}

expect 0 clean 'html-valid: OK html_files=3 css_files=1' html-valid.sh --css
expect 1 html-invalid 'error: about/index.html:14:' html-valid.sh --css
expect 1 css-invalid 'error: style.css:2:' html-valid.sh --css

expect 0 clean 'links: OK pages=3' links.sh
expect 1 link-missing 'broken-link: index.html: <a href="/no-such-page/">: /no-such-page/ not found' links.sh
expect 1 anchor-missing 'broken-anchor: index.html: <a href="/about/#no-such-anchor">: no id "no-such-anchor" in about/index.html' links.sh

expect 0 clean 'sitemap: OK sitemaps=1 urls=2' sitemap.sh
expect 1 sitemap-invalid "sitemap.xml:4: element lastmod: Schemas validity error" sitemap.sh

expect 0 clean 'atom: OK feeds=1 entries=2 errors=0' atom.sh
expect 1 atom-invalid 'error: atom.xml:16:3: entry 2 has no <id>' atom.sh

expect 0 clean 'a11y: OK' a11y.sh --schemes=light,dark
expect 1 a11y-violation 'critical: about/index.html (light): button-name (1 node)' a11y.sh

# A check that cannot run says why and exits 2 (not 1: a broken setup is not a finding).
for check in html-valid.sh links.sh sitemap.sh atom.sh a11y.sh; do
  expect 2 clean 'ERROR unknown option --no-such-option' "$check" --no-such-option
done

printf 'selftest: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" = 0 ]
