#!/bin/sh
# A/B comparison of two server binaries on one workload, alternating runs so
# that both see the same noise of this shared machine (see bench/README.md).
# usage: [PIN=0] [READMAX=N] [ARGS_A=...] [ARGS_B=...] bench/ab.sh BIN_A BIN_B WORKLOAD [ROUNDS] [DURATION]
#   WORKLOAD: create | read | health    ROUNDS: alternations (default 5), DURATION: s (6)
# One database is prepared first (an API key, and for `read` 50,000 cases
# created through the server); every run starts the binary on it afresh and
# drives it with wrk -t2 -c64 (server pinned to core 0, wrk to core 1 unless
# PIN=0); ARGS_A and ARGS_B are added to each one's `serve` (e.g. "--cache-mb 0"). Prints each
# run's RESULT line, the medians of both and B/A.
set -e
cd "$(dirname "$0")/.."
A=$1; B=$2; W=$3; ROUNDS=${4:-5}; DUR=${5:-6}
[ -x "$A" ] && [ -x "$B" ] && [ -n "$W" ] || { sed -n 2,9p "$0"; exit 2; }
PORT=${PORT:-18182}
dir=$(mktemp -d /tmp/chuishao-ab.XXXXXX)
db=$dir/ab.db
srv=""
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
"$A" init --db "$db" >/dev/null
"$A" user add --db "$db" --username bench --role dispatcher --password benchpass1 >/dev/null
KEY=$("$A" apikey create --db "$db" --name bench --user bench | tail -1)
export KEY
. bench/lib.sh
bench_pinning
start() { # BIN [ARGS]
    $pin0 "$1" serve --db "$db" --port "$PORT" ${2:-} >"$dir/serve.log" 2>&1 &
    srv=$!
    bench_wait_health "$PORT"
}
stop() { kill $srv; wait $srv 2>/dev/null || true; srv=""; }
drive() { # SCRIPT DURATION
    $pin1 wrk -t2 -c64 -d"$2s" --latency -s "bench/$1.lua" "http://127.0.0.1:$PORT" 2>&1 | grep '^RESULT'
}
if [ "$W" = read ]; then
    start "$A"; drive create 5 >/dev/null; stop
    n=$(sqlite3 "$db" 'SELECT COUNT(*) FROM cases')
    MAXID=${READMAX:-$n}; export MAXID
    echo "read: $n cases stored, reading ids 1..$MAXID"
fi
echo "A=$A B=$B workload=$W; ${pin0:-no pinning}; $(date -u +%Y-%m-%dT%H:%MZ)"
: >"$dir/A"; : >"$dir/B"
for i in $(seq "$ROUNDS"); do
    for x in A B; do
        eval bin=\$$x args=\${ARGS_$x:-}
        start "$bin" "$args"; drive "$W" "$DUR" | sed "s/^/$x /" | tee -a "$dir/$x"; stop
    done
done
ma=$(bench_median_of req/s "$dir/A"); mb=$(bench_median_of req/s "$dir/B")
pa=$(bench_median_of p99_ms "$dir/A"); pb=$(bench_median_of p99_ms "$dir/B")
echo "median A: $ma req/s (p99 $pa ms)  B: $mb req/s (p99 $pb ms)  B/A: $(echo "$mb $ma" | awk '{printf "%.2f", $1/$2}')"
