#!/bin/sh
# Load benchmark of the case engine over HTTP on loopback (see bench/README.md).
# usage: [PIN=0] bench/run.sh [RUNS] [DURATION]   (defaults: 3 runs of 10 s each;
#        PIN=0 lets server and wrk share both cores instead of one each)
# Creates a fresh database with the reference data, one dispatcher and an API
# key, starts `chuishao serve` pinned to core 0, and drives it with wrk pinned
# to core 1 (64 connections, 2 threads): first case creation (every 201 is a
# durable commit), then reads of single cases by id (the full case: its
# events, deadlines, whistles and allowed actions). Before them it measures
# GET /api/v1/health (no database) as the HTTP ceiling of the same run.
# Prints one RESULT line a run and the medians.
set -e
cd "$(dirname "$0")/.."
RUNS=${1:-3}
DUR=${2:-10}
BIN=${BIN:-build/release/chuishao}
PORT=${PORT:-18181}
THREADS=${THREADS:-2}
WORKERS=${WORKERS:-8}
dir=$(mktemp -d /tmp/chuishao-bench.XXXXXX)
db=$dir/bench.db
trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
$BIN init --db "$db" >/dev/null
$BIN user add --db "$db" --username bench --role dispatcher --password benchpass1 >/dev/null
KEY=$($BIN apikey create --db "$db" --name bench --user bench | tail -1)
export KEY
. bench/lib.sh
bench_pinning
echo "pinning: ${pin0:-none} (server) / ${pin1:-none} (wrk); $THREADS event threads, $WORKERS workers"
CHUISHAO_WRITER_STATS=1 $pin0 $BIN serve --db "$db" --port "$PORT" --threads "$THREADS" --workers "$WORKERS" >"$dir/serve.log" 2>&1 &
srv=$!
bench_wait_health "$PORT"
run() { # NAME SCRIPT
    : >"$dir/$1.txt"
    for i in $(seq "$RUNS"); do
        $pin1 wrk -t2 -c64 -d"${DUR}s" --latency -s "bench/$2" "http://127.0.0.1:$PORT" 2>&1 |
            grep '^RESULT' | tee -a "$dir/$1.txt"
    done
    for f in req/s p50_ms p99_ms; do
        printf '%s median %s=%s\n' "$1" "$f" "$(bench_median_of "$f" "$dir/$1.txt")"
    done
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%dT%H:%MZ)"
run health health.lua
run create create.lua
n=$(sqlite3 "$db" 'SELECT COUNT(*) FROM cases')
echo "cases stored: $n"
MAXID=${READMAX:-$n}; export MAXID  # READMAX=N: read only cases 1..N (a hot set)
run read read.lua
kill $srv; wait $srv 2>/dev/null || true
echo "server: $(tail -2 "$dir/serve.log" | tr "\n" " ")"
