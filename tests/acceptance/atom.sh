#!/usr/bin/env bash
# atom.sh DIR [--optional]: every Atom feed under DIR against RFC 4287's rules (and xmllint).
# Exit 0 pass, 1 errors, 2 setup or usage error. See README.md here.
set -euo pipefail
# shellcheck source=tests/acceptance/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v xmllint >/dev/null || die 2 "atom: ERROR xmllint missing (apt-get install libxml2-utils, or run tests/acceptance/setup.sh)"
acc_run_node atom.mjs "$@"
