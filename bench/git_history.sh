#!/usr/bin/env bash
# The cost of reading the git history (issue 16: one walk per build, not one per page).
# Generates the N-page corpus (default 10,000) in a git repository with COMMITS commits
# (default 10,000: one initial commit, then each commit changes one page, round robin, made
# with `git fast-import`), then times `majors build` (output on tmpfs, median of RUNS) with
# the repository and with its `.git` moved away, and prints both and the ratio.
#   bench/git_history.sh            N=10000 COMMITS=10000 RUNS=5
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD" N="${N:-10000}" COMMITS="${COMMITS:-10000}" RUNS="${RUNS:-5}"
WORK="${BENCH_DIR:-/tmp/majors-bench}/git-$N-$COMMITS"
SHM="/dev/shm/majors-git-$$"
trap 'rm -rf "$SHM"' EXIT
cargo build --release --quiet --bin majors --example gen_corpus
BIN="$ROOT/target/release/majors"
if [ ! -f "$WORK/.done" ]; then
  rm -rf "$WORK"; mkdir -p "$WORK"
  "$ROOT/target/release/examples/gen_corpus" --pages "$N" --out "$WORK/site" --flavor majors
  cd "$WORK/site"
  git init -q -b main
  git -c user.name=b -c user.email=b@example.org add -A
  GIT_COMMITTER_DATE="2020-01-01T00:00:00Z" git -c user.name=b -c user.email=b@example.org commit -qm "corpus"
  python3 - "$COMMITS" <<'PY' | git fast-import --quiet
import os, sys
n = int(sys.argv[1]) - 1
files = sorted(os.path.join(d, f)[2:] for d, _, fs in os.walk(".") if not d.startswith("./.git")
               for f in fs if f.endswith(".md") and d.startswith("./content"))
out = sys.stdout.buffer
t = 1577836800
for i in range(n):
    path = files[i % len(files)]
    with open(path, "rb") as fh:
        body = fh.read() + b"\nEdit %d.\n" % i
    msg = b"Edit %d: %s" % (i, path.encode())
    out.write(b"commit refs/heads/main\ncommitter b <b@example.org> %d +0000\n" % (t + 60 * (i + 1)))
    out.write(b"data %d\n%s\n" % (len(msg), msg))
    if i == 0:
        out.write(b"from refs/heads/main^0\n")
    out.write(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(body), body))
PY
  git reset -q --hard main
  echo "commits: $(git rev-list --count HEAD)" > "$WORK/.done"
  cd "$ROOT"
fi
cat "$WORK/.done"
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
run() {
  local walls=() cpus=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$SHM"
    /usr/bin/time -f "%e %U %S" -o "$WORK/time.txt" "$BIN" build --root "$WORK/site" -o "$SHM" >/dev/null 2>&1
    read -r e u s < "$WORK/time.txt"
    walls+=("$e"); cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')")
  done
  echo "$(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${cpus[@]}" | median)"
}
# Interleaved: with the history, then without, RUNS times each.
read -r with_w with_c < <(run)
mv "$WORK/site/.git" "$WORK/dotgit"
read -r without_w without_c < <(run)
mv "$WORK/dotgit" "$WORK/site/.git"
walk=$(RUST_LOG=majors=debug "$BIN" build --root "$WORK/site" -o "$SHM" 2>&1 | grep -o 'took=[0-9.]*[mµ]*s message="\?git dates' | head -1 || true)
echo "| $N pages, $COMMITS commits | wall s | CPU s |"
echo "|---|---|---|"
echo "| with the history | $with_w | $with_c |"
echo "| without (.git moved away) | $without_w | $without_c |"
echo "| ratio | $(awk -v a="$with_w" -v b="$without_w" 'BEGIN {printf "%.2f", a / b}') | $(awk -v a="$with_c" -v b="$without_c" 'BEGIN {printf "%.2f", a / b}') |"
echo "debug log of one build: ${walk:-(no git dates line)}"
