#!/usr/bin/env bash
# A/B of two majors binaries on one corpus, runs interleaved (A, B, A, B, …) so both see the
# same machine: these machines differ up to 3x from one another and drift within a session.
#
#   bench/ab.sh OLD_BIN NEW_BIN [PAGES]     default 10,000 pages, RUNS=7
#
# Scenarios: full build with the output on tmpfs (removed before each run), and the rebuild
# with nothing changed on disk (each binary keeps its own output folder). Prints medians of
# wall time, CPU and peak RSS, and NEW / OLD.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
A="${1:?usage: bench/ab.sh OLD_BIN NEW_BIN [PAGES]}" B="${2:?usage: bench/ab.sh OLD_BIN NEW_BIN [PAGES]}"
N="${3:-10000}" RUNS="${RUNS:-7}"
WORK="${BENCH_DIR:-/tmp/majors-bench}" SHM="/dev/shm/majors-ab-$$"
trap 'rm -rf "$SHM" "$WORK/ab-$$"' EXIT
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
site="$WORK/site-$N"
if [ ! -f "$site/site.yaml" ]; then
  cargo build --release --quiet --example gen_corpus
  target/release/examples/gen_corpus --pages "$N" --out "$site" >&2
fi
mkdir -p "$WORK/ab-$$"
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
one() {  # one LABEL BIN ARGS...: a timed run appended to $WORK/ab-$$/LABEL
  local label="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/ab-$$/t" "$@" >/dev/null 2>&1
  tail -1 "$WORK/ab-$$/t" >> "$WORK/ab-$$/$label"
}
for bin in A B; do  # each binary's own on-disk output, built once untimed
  rm -rf "$WORK/ab-out-$bin"
  "${!bin}" build --root "$site" --output-dir "$WORK/ab-out-$bin" >/dev/null 2>&1
done
for r in $(seq "$RUNS"); do
  echo "run $r of $RUNS" >&2
  for bin in A B; do
    rm -rf "$SHM"; sync
    one "tmpfs-$bin" "${!bin}" build --root "$site" --output-dir "$SHM"
    sync
    one "rebuild-$bin" "${!bin}" build --root "$site" --output-dir "$WORK/ab-out-$bin"
  done
done
col() { awk -v c="$2" '{print $c}' "$WORK/ab-$$/$1" | median; }
cpu() { awk '{print $2 + $3}' "$WORK/ab-$$/$1" | median; }
echo "A = $A, B = $B, $N pages, $(nproc) cores, medians of $RUNS interleaved runs, $(date -u '+%F %H:%M UTC')"
echo
echo "| scenario | A wall | B wall | B / A | A CPU | B CPU | A peak RSS | B peak RSS |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for s in tmpfs rebuild; do
  awk -v s="$s" -v aw="$(col "$s-A" 1)" -v bw="$(col "$s-B" 1)" -v ac="$(cpu "$s-A")" -v bc="$(cpu "$s-B")" \
      -v am="$(col "$s-A" 4)" -v bm="$(col "$s-B" 4)" 'BEGIN {
    name = (s == "tmpfs") ? "full build, output on tmpfs" : "rebuild, nothing changed, disk"
    printf "| %s | %.2f s | %.2f s | %.2f | %.2f s | %.2f s | %.0f MiB | %.0f MiB |\n", name, aw, bw, bw / aw, ac, bc, am / 1024, bm / 1024 }'
done
