#!/usr/bin/env bash
# Hostile inputs, timed: what the reliability issue asks to be linear (never run from tests).
#
#   bench/adversarial.sh                 RUNS=5 medians, this checkout's release binary
#   MAJORS_BIN=/tmp/majors-old bench/adversarial.sh   the same inputs with another binary
#
# Cases (each a small site; the table gives wall time, peak RSS, exit code):
#   keys      a page whose front matter has `title:` and 8,000 unknown keys   (target < 1 s)
#   nesting   `x: [[[…]]]` nested 100,000 deep in front matter                (target < 0.1 s)
#   marks     40,000 `[U]` marks in one paragraph, on a copy of the knowledge base, `check`
#                                                                              (target < 1 s)
#   bigpage   one 24 MB page (300,000 paragraphs with bold and a link), `build`, against
#             pulldown-cmark alone on the same file (examples/pulldown_alone.rs), run in
#             alternation; target: within 2x of it, under 200 MB
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
RUNS="${RUNS:-5}"
WORK="${BENCH_DIR:-/tmp/majors-adversarial}"
log() { echo "$*" >&2; }
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
log "building (release)..."
cargo build --release --quiet --bin majors --example pulldown_alone
mkdir -p "$WORK"
BIN="$WORK/majors-$$"
cp "${MAJORS_BIN:-$ROOT/target/release/majors}" "$BIN"
cp "$ROOT/target/release/examples/pulldown_alone" "$WORK/pulldown-$$"
trap 'rm -rf "$BIN" "$WORK/pulldown-$$" "$WORK"/out-* "$WORK"/t-$$' EXIT

mini() {  # mini DIR: a two-page site
  rm -rf "$1"; mkdir -p "$1/content"
  printf 'title: T\nbase_url: https://x.org/\nmarkdown:\n  allow_raw_html: false\n' > "$1/site.yaml"
  printf -- '---\ntitle: Home\n---\nSee [p](@/p.md).\n' > "$1/content/_index.md"
}
mini "$WORK/keys"
python3 -c "print('---\ntitle: Many\n' + ''.join(f'k{i}: v\n' for i in range(8000)) + '---\nbody')" > "$WORK/keys/content/p.md"
mini "$WORK/nesting"
python3 -c "print('---\ntitle: D\nx: ' + '['*100000 + ']'*100000 + '\n---\nb')" > "$WORK/nesting/content/p.md"
rm -rf "$WORK/marks"; mkdir -p "$WORK/marks"
cp -r "$ROOT/site.yaml" "$ROOT/content" "$WORK/marks/"
[ -d "$ROOT/templates" ] && cp -r "$ROOT/templates" "$WORK/marks/"
[ -d "$ROOT/themes" ] && cp -r "$ROOT/themes" "$WORK/marks/"
python3 -c "print('---\ntitle: Marks\n---\n' + 'claim [U] ' * 40000)" > "$WORK/marks/content/marks.md"
mini "$WORK/bigpage"
python3 - "$WORK/bigpage/content/p.md" <<'PY'
import sys
with open(sys.argv[1], 'w') as out:
    out.write('---\ntitle: P\n---\n')
    for i in range(300000):
        out.write(f'Paragraph {i} with **bold** and a [link](https://example.org/) here, ok.\n\n')
PY

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# run LABEL CMD...: one timed run; appends "wall rss_kib exit" to $WORK/t-$$-LABEL.
run() {
  local label="$1"; shift
  local code=0
  /usr/bin/time -f "%e %M" -o "$WORK/t-$$" "$@" >/dev/null 2>&1 || code=$?
  # /usr/bin/time adds a "Command exited with non-zero status" line first: keep the last.
  echo "$(tail -1 "$WORK/t-$$") $code" >> "$WORK/res-$label"
}
rm -f "$WORK"/res-*
for r in $(seq "$RUNS"); do
  log "run $r of $RUNS"
  run keys "$BIN" build --root "$WORK/keys" --output-dir "$WORK/out-keys"
  run nesting "$BIN" build --root "$WORK/nesting" --output-dir "$WORK/out-nesting"
  run marks "$BIN" check --root "$WORK/marks"
  rm -rf "$WORK/out-big"
  run bigpage "$BIN" build --root "$WORK/bigpage" --output-dir "$WORK/out-big"
  run pulldown "$WORK/pulldown-$$" "$WORK/bigpage/content/p.md"
done
col() { awk -v c="$2" '{print $c}' "$WORK/res-$1" | median; }
echo "majors $(git rev-parse --short HEAD 2>/dev/null || echo '?')${MAJORS_BIN:+ (binary $MAJORS_BIN)}, $(nproc) cores, medians of $RUNS runs, $(date -u '+%F %H:%M UTC'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| case | target | wall | peak RSS | exit code |"
echo "|---|---|---:|---:|---:|"
row() { printf '| %s | %s | %.3f s | %.0f MiB | %s |\n' "$1" "$2" "$(col "$3" 1)" "$(awk -v k="$(col "$3" 2)" 'BEGIN {print k / 1024}')" "$(col "$3" 3)"; }
row "8,000 unknown front matter keys (build)" "< 1 s" keys
row "\`[\` nested 100,000 deep (build)" "< 0.1 s, rejected" nesting
row "40,000 \`[U]\` marks in a paragraph (check, knowledge base)" "< 1 s" marks
row "24 MB page (build)" "≤ 2× pulldown-cmark, < 200 MB" bigpage
row "pulldown-cmark alone, same file, to HTML" "the floor" pulldown
echo
awk -v a="$(col bigpage 1)" -v b="$(col pulldown 1)" -v m="$(col bigpage 2)" -v p="$(col pulldown 2)" \
  'BEGIN {printf "24 MB page: majors / pulldown-cmark = %.2f× wall, %.2f× peak RSS\n", a / b, m / p}'
