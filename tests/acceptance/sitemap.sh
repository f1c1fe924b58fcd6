#!/usr/bin/env bash
# sitemap.sh DIR [--optional]: sitemap.xml against the sitemaps.org 0.9 schema (xmllint), and its
# URLs against the site (SITE_URL=https://site/). Exit 0 pass, 1 errors, 2 setup or usage error.
set -euo pipefail
# shellcheck source=tests/acceptance/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v xmllint >/dev/null || die 2 "sitemap: ERROR xmllint missing (apt-get install libxml2-utils, or run tests/acceptance/setup.sh)"
acc_run_node sitemap.mjs "$@"
