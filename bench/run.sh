#!/usr/bin/env bash
# Benchmark harness: times `majors build` on synthetic corpora (examples/gen_corpus.rs) and prints
# medians as a Markdown table (progress goes to stderr). Never run from the test suite.
#
#   bench/run.sh                  1,000 and 10,000 pages, RUNS=5
#   bench/run.sh --large          also 50,000 pages (or BENCH_LARGE=1; slow: ~10 min more)
#   SIZES="1000 5000" bench/run.sh    any sizes
#   RUNS=3 bench/run.sh           median of 3 instead of 5
#   PEERS=1 bench/run.sh          also Hugo (if installed; corpus from ../shared/perf/gen_corpus.py
#                                 --flavor hugo) and mdBook (if installed, or MDBOOK=/path/to/mdbook;
#                                 corpus from gen_corpus --flavor mdbook) on the same size, full
#                                 build with output on tmpfs, with the ratio peer / majors (wall);
#                                 mdBook only up to MDBOOK_MAX_PAGES (default 3000): it grows
#                                 faster than linearly (1,000 pages 3 s, 3,000 pages 20 s CPU)
#   SERVE=1 bench/run.sh          also `majors serve` edit-to-served latency (bench/serve_latency.py)
#   TABLE=1 bench/run.sh          the majors corpus also declares a table (gen_corpus --table: the
#                                 country profiles by series and edition, 1,000 cells at 10,000)
#   MAJORS_BIN=/tmp/majors-old   time this binary instead of target/release/majors (A/B runs)
#   SCENARIOS="tmpfs rebuild"    only some of the scenarios below (default: tmpfs disk rebuild)
#   BENCH_DIR=/tmp/x              where corpora (cached, regenerated when the generator changes)
#                                 and on-disk outputs go (default /tmp/majors-bench)
#
# Scenarios per size, each timed with /usr/bin/time (wall, user+sys CPU, peak RSS):
#   (a) full build, output on tmpfs (/dev/shm), output folder removed before each run
#   (b) full build, output on disk, output folder removed before each run
#   (c) rebuild with nothing changed, output on disk (the folder (b) left)
#   (d) rebuild after one page's text changed, output on disk (`edit`; the page alternates
#       between two texts, so every run writes that page and the files that list it)
# `sync` runs before each run (untimed) so a run does not pay for the previous run's writeback.
# pages/s = N / median wall, where N is the number of generated pages (the site has N + 47).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
RUNS="${RUNS:-5}"
read -r -a SIZES <<< "${SIZES:-1000 10000}"
if [ "${1:-}" = "--large" ] || [ "${BENCH_LARGE:-0}" = 1 ]; then SIZES+=(50000); fi
WORK="${BENCH_DIR:-/tmp/majors-bench}"
SHM="/dev/shm/majors-bench-$$"
trap 'rm -rf "$SHM" "$WORK/majors-$$" "$WORK/gen_corpus-$$" "$WORK/time-$$.txt"' EXIT
log() { echo "$*" >&2; }

command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
log "building (release)..."
cargo build --release --quiet --bin majors --example gen_corpus
mkdir -p "$WORK"
# Private copies: another `cargo build` may replace target/release/* while this runs.
# MAJORS_BIN=/path/to/majors times that binary instead (e.g. the same one at every size).
cp "${MAJORS_BIN:-$ROOT/target/release/majors}" "$WORK/majors-$$"
cp "$ROOT/target/release/examples/gen_corpus" "$WORK/gen_corpus-$$"
BIN="$WORK/majors-$$" GEN="$WORK/gen_corpus-$$"
MDBOOK="${MDBOOK:-$(command -v mdbook || true)}"
has() { [[ " ${SCENARIOS:-tmpfs disk rebuild edit} " == *" $1 "* ]]; }

# corpus FLAVOR N DIR: generates unless DIR already holds the same corpus from this generator.
gen_version() { grep -o 'const VERSION: u32 = [0-9]*' "$ROOT/examples/gen_corpus.rs" | grep -o '[0-9]*$'; }
corpus() {
  local flavor="$1" n="$2" dir="$3" extra=()
  if [ "$flavor" = majors ] && [ "${TABLE:-0}" = 1 ]; then extra=(--table); fi
  if [ "$(cat "$dir/.gen-corpus" 2>/dev/null)" != "gen_corpus v$(gen_version) --pages $n --flavor $flavor${extra:+ ${extra[*]}}" ]; then
    log "generating $n pages ($flavor${extra:+ ${extra[*]}}) in $dir..."
    "$GEN" --pages "$n" --out "$dir" --flavor "$flavor" "${extra[@]}"
  fi
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
declare -A WALL
# measure N LABEL KEY PREP CMD...: runs PREP (untimed) then CMD, $RUNS times; prints a table row.
measure() {
  local n="$1" label="$2" key="$3" prep="$4"; shift 4
  local walls=() cpus=() mems=() e u s m
  for r in $(seq "$RUNS"); do
    eval "$prep"
    sync
    if ! /usr/bin/time -f "%e %U %S %M" -o "$WORK/time-$$.txt" "$@" >"$WORK/last-$$.log" 2>&1; then
      log "FAILED: $* (see $WORK/last-$$.log)"; tail -20 "$WORK/last-$$.log" >&2; exit 1
    fi
    read -r e u s m < "$WORK/time-$$.txt"
    walls+=("$e"); cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')"); mems+=("$m")
    log "  $n $label run $r: ${e}s wall, ${u}+${s}s CPU, $((m / 1024)) MiB"
  done
  local w c mm ratio=""
  w=$(printf '%s\n' "${walls[@]}" | median)
  c=$(printf '%s\n' "${cpus[@]}" | median)
  mm=$(printf '%s\n' "${mems[@]}" | median)
  WALL["$n|$key"]="$w"
  if [[ "$key" == peer:* ]] && [ -n "${WALL["$n|tmpfs"]:-}" ]; then
    ratio=$(awk -v p="$w" -v m="${WALL["$n|tmpfs"]}" 'BEGIN {printf "%.1f×", p / m}')
  fi
  awk -v n="$n" -v l="$label" -v w="$w" -v c="$c" -v m="$mm" -v r="$ratio" 'BEGIN {
    printf "| %d | %s | %.2f s | %.2f s | %.0f | %.3f ms | %.0f MiB | %s |\n", n, l, w, c, n / w, 1000 * c / n, m / 1024, r }'
}

echo "majors $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (src modified)')${MAJORS_BIN:+ (binary $MAJORS_BIN)}, $(nproc) cores, $(uname -r), medians of $RUNS runs, $(date -u '+%F %H:%M UTC'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| pages | scenario | wall | CPU (user+sys) | pages/s | CPU per page | peak RSS | peer / majors |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|"
for n in "${SIZES[@]}"; do
  site="$WORK/site-$n" out="$WORK/out-$n"
  corpus majors "$n" "$site"
  has tmpfs && measure "$n" "majors: full build, output on tmpfs" tmpfs "rm -rf '$SHM'" "$BIN" build --root "$site" --output-dir "$SHM"
  has disk && measure "$n" "majors: full build, output on disk" disk "rm -rf '$out'" "$BIN" build --root "$site" --output-dir "$out"
  if has rebuild; then
    rm -rf "$out" && "$BIN" build --root "$site" --output-dir "$out" >/dev/null 2>&1  # untimed: this binary's output
    measure "$n" "majors: rebuild, nothing changed, disk" rebuild "true" "$BIN" build --root "$site" --output-dir "$out"
  fi
  if has edit; then
    [ -d "$out" ] || "$BIN" build --root "$site" --output-dir "$out" >/dev/null 2>&1
    page=$(find "$site/content" -name '*.md' ! -name '_index.md' | sort | awk 'NR == 1')
    cp "$page" "$WORK/edit-$$.orig"
    measure "$n" "majors: rebuild, one page edited, disk" edit \
      "if grep -q 'bench edit' '$page'; then cp '$WORK/edit-$$.orig' '$page'; else echo 'bench edit' >> '$page'; fi" \
      "$BIN" build --root "$site" --output-dir "$out"
    cp "$WORK/edit-$$.orig" "$page"
  fi
  rm -rf "$SHM"
  if [ "${PEERS:-0}" = 1 ]; then
    if command -v hugo >/dev/null; then
      hsite="$WORK/hugo-$n"
      if [ "$(cat "$hsite/.gen-corpus" 2>/dev/null)" != "py $n" ]; then
        log "generating $n pages (hugo) in $hsite..."
        rm -rf "$hsite"
        python3 "$ROOT/../shared/perf/gen_corpus.py" --n "$n" --out "$hsite" --flavor hugo >&2
        echo "py $n" > "$hsite/.gen-corpus"
      fi
      measure "$n" "hugo $(hugo version | grep -o 'v[0-9.]*' | head -1): full build, output on tmpfs" peer:hugo "rm -rf '$SHM'" hugo --quiet -s "$hsite" -d "$SHM"
      rm -rf "$SHM"
    else
      log "hugo not installed: skipped (apt-get install -y hugo)"
    fi
    if [ -n "$MDBOOK" ] && [ "$n" -gt "${MDBOOK_MAX_PAGES:-3000}" ]; then
      log "mdbook skipped at $n pages (MDBOOK_MAX_PAGES=${MDBOOK_MAX_PAGES:-3000}): its cost grows faster than linearly"
      log "  (3,000 pages took 20 s CPU and 1.3 GB; 10,000 would need minutes and many GB per run)"
    elif [ -n "$MDBOOK" ]; then
      bsite="$WORK/mdbook-$n"
      corpus mdbook "$n" "$bsite"
      measure "$n" "mdbook $("$MDBOOK" --version | grep -o 'v[0-9.]*'): full build, output on tmpfs" peer:mdbook "rm -rf '$SHM'" "$MDBOOK" build "$bsite" -d "$SHM"
      rm -rf "$SHM"
    else
      log "mdbook not installed: skipped (cargo install mdbook --locked, or MDBOOK=/path/to/mdbook)"
    fi
  fi
done
if [ "${SERVE:-0}" = 1 ]; then
  echo
  python3 bench/serve_latency.py "$BIN" "$WORK/site-10000" 20
fi
