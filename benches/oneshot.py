#!/usr/bin/env python3
"""One-shot process timer (issue 19): runs a command RUNS times (default 3) and prints the
run with the least CPU: its wall time, user + system CPU and peak RSS, from os.wait4, as
benches/scale.sh measures them. Usage: RUNS=11 benches/oneshot.py CYSH --data-dir D STATEMENT
Nothing is asserted; the figures go to BENCHMARKS.md."""
import os, subprocess, sys, time
runs = int(os.environ.get("RUNS", "3")); cmd = sys.argv[1:]
res = []
for _ in range(runs):
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, u = os.wait4(p.pid, 0)
    took = time.perf_counter() - start
    err = p.stderr.read()
    if status != 0: print("FAILED", err.decode()[:500]); sys.exit(1)
    res.append((took, u.ru_utime + u.ru_stime, u.ru_utime, u.ru_stime, u.ru_maxrss / 1024))
b = min(res, key=lambda r: r[1])
print(f"wall {b[0]*1000:.0f} ms  cpu {b[1]*1000:.0f} ms (user {b[2]*1000:.0f} sys {b[3]*1000:.0f})  rss {b[4]:.1f} MiB   [{' '.join(f'{r[1]*1000:.0f}' for r in res)}]")
