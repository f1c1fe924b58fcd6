#!/usr/bin/env bash
# Benchmark harness: times `majors build` on synthetic corpora (examples/gen_corpus.rs) and
# prints medians as a Markdown table. Never run from the test suite.
#   bench/run.sh                 1,000 and 10,000 pages, RUNS=5
#   bench/run.sh --large         also 50,000 pages
#   PEERS=1 bench/run.sh         also Hugo (if installed) on the same shape (gen_corpus.py)
#   SERVE=1 bench/run.sh         also `majors serve` edit-to-served latency (bench/serve_latency.py)
# Scenarios per size: full build with the output on tmpfs (/dev/shm), full build with the
# output on disk, and a rebuild with nothing changed (output on disk). Output folders are
# removed before each full-build run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS="${RUNS:-5}"
SIZES=(1000 10000)
[ "${1:-}" = "--large" ] || [ "${BENCH_LARGE:-0}" = 1 ] && SIZES+=(50000)
WORK="${BENCH_DIR:-/tmp/majors-bench}"
SHM="/dev/shm/majors-bench-out"
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
cargo build --release --locked --quiet --bin majors --example gen_corpus
BIN="$PWD/target/release/majors"
mkdir -p "$WORK"

# run_n LABEL PREP CMD...: runs CMD $RUNS times (PREP before each), prints the medians.
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
measure() {
  local pages="$1" label="$2" prep="$3"; shift 3
  local wall=() cpu=() mem=()
  for _ in $(seq "$RUNS"); do
    eval "$prep"
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@" >/dev/null 2>&1
    read -r e u s m < "$WORK/time.txt"
    wall+=("$e"); cpu+=("$(echo "$u + $s" | bc)"); mem+=("$m")
  done
  local w c m
  w=$(printf '%s\n' "${wall[@]}" | median); c=$(printf '%s\n' "${cpu[@]}" | median); m=$(printf '%s\n' "${mem[@]}" | median)
  printf '| %s | %s | %.2f s | %.2f s | %d | %d MiB |\n' "$pages" "$label" "$w" "$c" "$(echo "$pages / $w" | bc)" "$((m / 1024))"
}

echo "majors $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, medians of $RUNS runs, $(date -u +%F)"
echo
echo "| pages | scenario | wall | CPU | pages/s | peak RSS |"
echo "|---:|---|---:|---:|---:|---:|"
for n in "${SIZES[@]}"; do
  site="$WORK/site-$n"
  [ -f "$site/.generated" ] || { "$PWD/target/release/examples/gen_corpus" --pages "$n" --out "$site" 2>/dev/null; touch "$site/.generated"; }
  measure "$n" "full build, output on tmpfs" "rm -rf $SHM" "$BIN" build --root "$site" --output-dir "$SHM"
  measure "$n" "full build, output on disk" "rm -rf $WORK/out-$n" "$BIN" build --root "$site" --output-dir "$WORK/out-$n"
  measure "$n" "rebuild, nothing changed, disk" "true" "$BIN" build --root "$site" --output-dir "$WORK/out-$n"
  if [ "${PEERS:-0}" = 1 ] && command -v hugo >/dev/null; then
    hsite="$WORK/hugo-$n"
    [ -d "$hsite" ] || python3 ../shared/perf/gen_corpus.py --n "$n" --out "$hsite" --flavor hugo 2>/dev/null
    measure "$n" "hugo: full build, output on tmpfs" "rm -rf $SHM" hugo --quiet -s "$hsite" -d "$SHM"
  fi
  rm -rf "$SHM"
done
if [ "${SERVE:-0}" = 1 ]; then
  echo
  python3 bench/serve_latency.py "$BIN" "$WORK/site-10000" 20
fi
