#!/usr/bin/env bash
# Scale benchmark (issue 19): the embedded cluster with many databases on many servers,
# measured as an operator meets it — whole `cysh` processes on a data directory.
#
# For each size (databases × servers) it builds a store and reports:
#   create     `cysh --data-dir D -f create.cypher`: N real CREATE DATABASE statements, each its
#              own statement and SQLite commit (the same path an operator's script takes),
#              made while half the servers are cordoned so the placement is skewed;
#   store      the data directory's size after a checkpoint;
#   open       `cysh --data-dir D 'RETURN 1'`: the whole process, i.e. what opening costs;
#   servers    `cysh --data-dir D 'SHOW SERVERS'` (plain, to /dev/null): whole process and RSS;
#   dbs        `cysh --data-dir D 'SHOW DATABASES'` (plain, to /dev/null): whole process and RSS;
#   dbs10      `SHOW DATABASES YIELD name LIMIT 10`: whole process;
#   dryrun     `DRYRUN REALLOCATE DATABASES` (plain): whole process, and the moves it plans
#              (rows of its plan).
# Times are the fastest of RUNS runs (wall clock, seconds) with that run's CPU time (user
# + system, seconds: steadier than wall time on a shared machine) and peak resident set
# (MiB), both from wait4. Then, for every cost, its growth
# exponent: log(cost at 10n / cost at n) / log(10) across databases, and the same over the
# servers (10 → 400, so divided by log 40).
#
# Usage: benches/scale.sh [CYSH] — CYSH defaults to the `ci` profile's binary
# (cargo build --profile ci). SIZES and SERVERS override the lists, RUNS the repetitions:
#   SIZES="1000 10000 100000" SERVERS="10 400" RUNS=3 benches/scale.sh
# KEEP=DIR keeps each data directory there (as DIR/d-SERVERS-DATABASES) instead of deleting it.
# Nothing is asserted; the figures go to BENCHMARKS.md.
set -euo pipefail

CYSH=${1:-${CYSH:-/work/target-scale/ci/cysh}}
SIZES=${SIZES:-"1000 10000 100000"}
SERVERS=${SERVERS:-"10 400"}
RUNS=${RUNS:-3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cysh-scale.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Runs the command RUNS times; prints "seconds maxrss_mib cpu_seconds" of the fastest run
# (wall clock, and the child's own peak RSS and user + system CPU time from wait4).
best() {
    python3 - "$RUNS" "$@" <<'PY'
import os, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
best = None
for _ in range(runs):
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    took = time.perf_counter() - start
    err = p.stderr.read()
    if status != 0:
        sys.stderr.write(f"failed: {cmd}\n{err.decode(errors='replace')}")
        sys.exit(1)
    cpu = usage.ru_utime + usage.ru_stime
    if best is None or took < best[0]:
        best = (took, usage.ru_maxrss / 1024, cpu)
print(f"{best[0]:.4f} {best[1]:.1f} {best[2]:.4f}")
PY
}

RESULTS="$WORK/results"
: >"$RESULTS"
for servers in $SERVERS; do
    for n in $SIZES; do
        d="$WORK/d-$servers-$n"
        cfg="$WORK/cysh.conf"
        echo "dbms.max_databases=$((n + 10))" >"$cfg"
        # The cluster, and half its servers cordoned: the creates land on the other half,
        # so DRYRUN REALLOCATE has half the copies to move.
        "$CYSH" --data-dir "$d" --servers "$servers" --config "$cfg" --format plain \
            'SHOW SERVERS YIELD name RETURN name ORDER BY name' | tail -n +2 | tr -d '"' >"$WORK/names"
        head -n $((servers / 2)) "$WORK/names" | sed "s/.*/CALL dbms.cluster.cordonServer('&');/" >"$WORK/cordon.cypher"
        head -n $((servers / 2)) "$WORK/names" | sed "s/.*/ENABLE SERVER '&';/" >"$WORK/enable.cypher"
        "$CYSH" --data-dir "$d" -f "$WORK/cordon.cypher" >/dev/null
        awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "CREATE DATABASE db%07d TOPOLOGY 3 PRIMARIES;\n", i }' \
            >"$WORK/create.cypher"
        read -r create_t create_m create_c < <(RUNS=1 best "$CYSH" --data-dir "$d" -f "$WORK/create.cypher")
        "$CYSH" --data-dir "$d" -f "$WORK/enable.cypher" >/dev/null
        sqlite3 "$d/cluster.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
        store=$(du -sb "$d" | cut -f1)
        read -r open_t open_m open_c < <(best "$CYSH" --data-dir "$d" --format plain 'RETURN 1')
        read -r srv_t srv_m srv_c < <(best "$CYSH" --data-dir "$d" --format plain 'SHOW SERVERS')
        read -r dbs_t dbs_m dbs_c < <(best "$CYSH" --data-dir "$d" --format plain 'SHOW DATABASES')
        read -r dbs10_t dbs10_m dbs10_c < <(best "$CYSH" --data-dir "$d" --format plain 'SHOW DATABASES YIELD name LIMIT 10')
        read -r dry_t dry_m dry_c < <(best "$CYSH" --data-dir "$d" --format plain 'DRYRUN REALLOCATE DATABASES')
        moves=$("$CYSH" --data-dir "$d" --format plain 'DRYRUN REALLOCATE DATABASES' | tail -n +2 | wc -l)
        echo "$servers $n $create_t $create_c $store $open_t $open_c $open_m $srv_t $srv_c $srv_m $dbs_t $dbs_c $dbs_m $dbs10_t $dbs10_c $dry_t $dry_c $dry_m $moves" |
            tee -a "$RESULTS" >&2
        if [ -n "${KEEP:-}" ]; then mv "$d" "$KEEP/d-$servers-$n"; else rm -rf "$d"; fi
    done
done

python3 - "$RESULTS" <<'EOF'
import math, sys
cols = ["servers", "databases", "create s", "create cpu", "store bytes", "open s",
        "open cpu", "open MiB", "SHOW SERVERS s", "SHOW SERVERS cpu", "SHOW SERVERS MiB",
        "SHOW DATABASES s", "SHOW DATABASES cpu", "SHOW DATABASES MiB", "LIMIT 10 s",
        "LIMIT 10 cpu", "DRYRUN s", "DRYRUN cpu", "DRYRUN MiB", "moves"]
rows = [[float(x) for x in line.split()] for line in open(sys.argv[1]) if line.strip()]
print("| " + " | ".join(cols) + " |")
print("|" + " --- |" * len(cols))
for r in rows:
    print("| " + " | ".join(f"{v:g}" if i != 4 else f"{int(v):,}" for i, v in enumerate(r)) + " |")
by = {(int(r[0]), int(r[1])): r for r in rows}
print()
print("Growth exponents (log of the cost ratio over log of the size ratio; 1 = linear):")
print()
print("| cost | " + " | ".join(
    [f"{n}→{m} dbs on {s}" for s in sorted({k[0] for k in by}) for n, m in
     zip(sorted({k[1] for k in by if k[0] == s}), sorted({k[1] for k in by if k[0] == s})[1:])] +
    [f"{a}→{b} servers at {n} dbs" for n in sorted({k[1] for k in by}) for a, b in
     zip(sorted({k[0] for k in by if k[1] == n}), sorted({k[0] for k in by if k[1] == n})[1:])]) + " |")
pairs = [((s, n), (s, m)) for s in sorted({k[0] for k in by}) for n, m in
         zip(sorted({k[1] for k in by if k[0] == s}), sorted({k[1] for k in by if k[0] == s})[1:])]
pairs += [((a, n), (b, n)) for n in sorted({k[1] for k in by}) for a, b in
          zip(sorted({k[0] for k in by if k[1] == n}), sorted({k[0] for k in by if k[1] == n})[1:])]
print("|" + " --- |" * (len(pairs) + 1))
for i, name in enumerate(cols):
    if i < 2:
        continue
    cells = []
    for lo, hi in pairs:
        a, b = by[lo][i], by[hi][i]
        size = (hi[1] / lo[1]) if lo[0] == hi[0] else (hi[0] / lo[0])
        cells.append(f"{math.log(b / a) / math.log(size):.2f}" if a > 0 and b > 0 else "–")
    print(f"| {name} | " + " | ".join(cells) + " |")
EOF
