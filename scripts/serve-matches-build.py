#!/usr/bin/env python3
"""Does `majors serve` serve what `majors build` publishes? The three defects of issue 13.

Usage: scripts/serve-matches-build.py MAJORS_BINARY

Drives any majors binary, old or new, from the outside (the CLI and HTTP only, so the same
script runs against a commit from before the engine redesign): it writes a small site, starts
`majors serve` on it, makes each of three edits that once left serve stale, and after each one
compares every file a fresh `majors build` writes with what serve answers for the same path
(HTML without the live-reload tag), and checks that files the build no longer writes are 404.

  slug    the glossary page gets a `slug:`: pages whose prose mentions its term link to it
  weight  alpha's weight puts it before beta, which `pages_of_type("thing") | first` returned
  asset   a file beside the pages (content/things/data.txt) is deleted, then a page is saved

Prints one line per edit (`ok` or what differs) and exits 1 if any differs. To see the old
code fail: `git worktree add /tmp/old 6b3e07c && cargo build --release --manifest-path
/tmp/old/Cargo.toml && scripts/serve-matches-build.py /tmp/old/target/release/majors`.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SITE = {
    "site.yaml": """title: Fixture
base_url: https://fixture.example/
markdown:
  glossary_type: term
  glossary_field: abbreviation
defaults:
  - { folder: things, type: thing }
types:
  thing:
    label: Thing
    plural: Things
    fields:
      code: { kind: string, required: true, label: Code }
  term:
    fields:
      abbreviation: { kind: string, required: true }
""",
    "content/_index.md": "---\ntitle: Home\n---\nSee the [glossary](@/glossary.md).\n",
    "content/glossary.md": "---\ntitle: Alphabet Board Committee\ntype: term\nabbreviation: ABC\n---\nThe ABC.\n",
    "content/things/_index.md": "---\ntitle: Things\n---\nAll things.\n",
    "content/things/alpha.md": "---\ntitle: Alpha\nweight: 2\ncode: A\n---\nThe ABC runs alpha.\n",
    "content/things/beta.md": "---\ntitle: Beta\nweight: 1\ncode: B\n---\nBeta is second.\n",
    "content/things/data.txt": "some data\n",
    "templates/page.html": """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body><main><h1>{{ page.title }}</h1>
{% set first = pages_of_type("thing") | first %}<p class="first">First thing: <a href="{{ first.url }}">{{ first.title }}</a></p>
{{ content }}
</main></body></html>
""",
}
SITE["templates/section.html"] = SITE["templates/index.html"] = SITE["templates/page.html"]
BASE_URL = "https://fixture.example/"  # site.yaml's
RELOAD_TAG = b'<script src="/__majors/livereload.js" defer></script>'


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def built_files(binary, root):
    """Every file a fresh build writes: {path: bytes}."""
    out = tempfile.mkdtemp(prefix="majors-built-")
    try:
        r = subprocess.run([binary, "build", "--root", root, "--output-dir", out],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"majors build failed:\n{r.stderr}")
        files = {}
        for d, _, names in os.walk(out):
            for n in names:
                p = os.path.join(d, n)
                rel = os.path.relpath(p, out).replace(os.sep, "/")
                if not rel.startswith(".majors"):
                    with open(p, "rb") as f:
                        files[rel] = f.read()
        return files
    finally:
        shutil.rmtree(out, ignore_errors=True)


def get(base, rel):
    """(status, body) of a served path; `a/index.html` is asked for as `a/`."""
    url = base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def compare(base, files, gone):
    """What differs between serve and a build: a list of paths with the reason. Serve puts its
    own address where the build writes `base_url` (canonical links, the sitemap, the feed)."""
    bad = []
    for rel, want in sorted(files.items()):
        status, body = get(base, rel)
        body = body.replace(base.rstrip("/").encode(), BASE_URL.rstrip("/").encode())
        if rel.endswith(".html"):
            body = body.replace(RELOAD_TAG, b"")
        if status != 200 and not rel.endswith("404.html"):
            bad.append(f"{rel}: served {status}, built")
        elif status == 200 and body != want:
            bad.append(f"{rel}: served bytes differ from the build's")
    for rel in sorted(gone):
        status, _ = get(base, rel)
        if status != 404:
            bad.append(f"{rel}: served {status}, but the build no longer writes it")
    return bad


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    root = tempfile.mkdtemp(prefix="majors-serve-site-")
    for rel, text in SITE.items():
        write(root, rel, text)
    serve = subprocess.Popen([binary, "serve", "--port", "0", "--root", root],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    failed = False
    try:
        base = serve.stdout.readline().strip()
        if not re.match(r"http://[^/]+/$", base):
            sys.exit(f"majors serve printed no URL: {base!r}")
        before = built_files(binary, root)
        edits = [
            ("slug", lambda: write(root, "content/glossary.md",
                                   SITE["content/glossary.md"].replace("type: term", "slug: abc-board\ntype: term"))),
            ("weight", lambda: write(root, "content/things/alpha.md",
                                     SITE["content/things/alpha.md"].replace("weight: 2", "weight: 0"))),
            ("asset", lambda: (os.remove(os.path.join(root, "content/things/data.txt")),
                               write(root, "content/things/beta.md", SITE["content/things/beta.md"] + "Saved.\n"))),
        ]
        for name, edit in edits:
            edit()
            time.sleep(2)  # the watcher's quiet time and the rebuild, generously
            after = built_files(binary, root)
            bad = compare(base, after, set(before) - set(after))
            print(f"{name}: " + ("ok" if not bad else "serve differs from build: " + "; ".join(bad)))
            failed |= bool(bad)
            before = after
    finally:
        serve.terminate()
        serve.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
