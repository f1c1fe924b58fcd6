#!/usr/bin/env bash
# html-valid.sh DIR [--css] [--warnings]: the W3C Nu Html Checker on every HTML (and CSS) file.
# Exit 0 pass, 1 errors found, 2 setup or usage error. See README.md here.
set -euo pipefail
# shellcheck source=tests/acceptance/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v "${JAVA:-java}" >/dev/null || die 2 "html-valid: ERROR no java (apt-get install openjdk-17-jre-headless, or run tests/acceptance/setup.sh)"
acc_run_node html-valid.mjs "$@"
