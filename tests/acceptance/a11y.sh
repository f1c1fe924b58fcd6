#!/usr/bin/env bash
# a11y.sh DIR [--fail-on=IMPACT] [--schemes=light,dark] [--max-pages=N]: axe-core in Chromium.
# Exit 0 pass, 1 violations found, 2 setup or usage error. See README.md here.
set -euo pipefail
# shellcheck source=tests/acceptance/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
acc_run_node a11y.mjs "$@"
