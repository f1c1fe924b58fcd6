#!/usr/bin/env bash
# links.sh DIR [--max-pages=N]: internal links, #anchors and page requests, checked in Chromium.
# SITE_URL=https://site/ makes absolute links to the site's own URL internal.
# Exit 0 pass, 1 broken links or anchors found, 2 setup or usage error. See README.md here.
set -euo pipefail
# shellcheck source=tests/acceptance/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
acc_run_node links.mjs "$@"
