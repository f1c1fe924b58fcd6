#!/usr/bin/env python3
"""Edit-to-served latency of `majors serve`: append a line to one page, then poll the served
page until the line appears (1 ms steps). Median of N edits; also start-up time and RSS.
Usage: serve_latency.py MAJORS_BIN SITE_DIR [N] [PAGE (path under content/)]"""
import os, statistics, subprocess, sys, time, urllib.request

bin_, site = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 20
if len(sys.argv) > 4:
    page_rel = sys.argv[4]
else:
    page_rel = "benchmarks/" + next(p for p in sorted(os.listdir(os.path.join(site, "content", "benchmarks"))) if p != "_index.md")
path = os.path.join(site, "content", page_rel)
url_path = "/" + page_rel[:-3] + "/"
original = open(path).read()
t0 = time.monotonic()
proc = subprocess.Popen([bin_, "serve", "--port", "0", "--root", site], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    base = proc.stdout.readline().strip().rstrip("/")
    startup = time.monotonic() - t0
    def get():
        with urllib.request.urlopen(base + url_path) as r:
            return r.read().decode()
    get()
    lat = []
    for i in range(n):
        marker = f"latency-marker-{i}-{time.time_ns()}"
        start = time.monotonic()
        with open(path, "w") as f:
            f.write(original + f"\n\n{marker}\n")
        while marker not in get():
            if time.monotonic() - start > 10:
                raise SystemExit("edit never showed up")
            time.sleep(0.001)
        lat.append((time.monotonic() - start) * 1000)
        time.sleep(0.2)
    time.sleep(1.0)  # let the deferred site-wide files (sitemap, feed, search) finish
    rss = hwm = 0
    for line in open(f"/proc/{proc.pid}/status"):
        if line.startswith("VmRSS"):
            rss = int(line.split()[1]) // 1024
        if line.startswith("VmHWM"):
            hwm = int(line.split()[1]) // 1024
    print(f"serve on {site}: start-up {startup:.2f} s; edit-to-served median {statistics.median(lat):.0f} ms "
          f"(min {min(lat):.0f}, max {max(lat):.0f}, n={n}, the default quiet time included); RSS {rss} MiB (peak {hwm} MiB)")
finally:
    open(path, "w").write(original)
    proc.terminate()
