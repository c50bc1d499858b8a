#!/bin/sh
# bench/stats.sh - how long GET /api/v1/stats takes over real HTTP on loopback.
#
#   bench/stats.sh [DB] [RUNS] [FROM TO]
#
# DB defaults to a fresh Liujia demo (chuishao demo: 30,000 cases in
# 2019-2020) made in a temp dir; RUNS (default 7) requests per query; the
# period defaults to 2020 H1. Prints, per query, the median and the fastest
# of the RUNS wall times (curl's time_total) and the size of the answer.
# The first request of each query is not counted if it had to bring the
# roll-ups up to date (it is timed separately as "catch-up").
set -e
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../build/release/chuishao}
DB=$1
RUNS=${2:-7}
FROM=${3:-2020-01-01}
TO=${4:-2020-06-30}
PORT=${PORT:-18931}
tmp=$(mktemp -d /tmp/chuishao-bench-stats.XXXXXX)
trap 'kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT
if [ -z "$DB" ]; then
    DB=$tmp/demo.db
    /usr/bin/time -f "demo: %e s, %M KiB peak" "$BIN" demo --db "$DB" 2>"$tmp/demo.err" >/dev/null
    tail -n 1 "$tmp/demo.err"
fi
"$BIN" serve --db "$DB" --port "$PORT" >"$tmp/serve.out" 2>&1 &
srv=$!
for i in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/health" && break
    sleep 0.2
done
tok=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" \
    -d '{"username":"lingdao","password":"liujia2020"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
cases=$(sqlite3 "$DB" "SELECT count(*) FROM cases")
echo "database: $DB ($cases cases); period $FROM..$TO; $RUNS runs per query"
timeit() { # NAME QUERY
    url="http://127.0.0.1:$PORT/api/v1/stats?from=$FROM&to=$TO$2"
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $tok" "$url" >"$tmp/first"
    : >"$tmp/times"
    for i in $(seq "$RUNS"); do
        curl -s -o "$tmp/body" -w '%{time_total}\n' -H "Authorization: Bearer $tok" "$url" >>"$tmp/times"
    done
    sort -n "$tmp/times" | awk -v name="$1" -v first="$(cat "$tmp/first")" -v size="$(wc -c <"$tmp/body")" \
        '{ t[NR] = $1 } END { printf "%-34s median %7.1f ms  min %7.1f ms  first %7.1f ms  %7d bytes\n", name, 1000 * t[int((NR + 1) / 2)], 1000 * t[1], 1000 * first, size }'
}
timeit "total (roll-ups)" ""
timeit "by month (roll-ups)" "&by=month"
timeit "by community (roll-ups)" "&by=community"
timeit "by grid (roll-ups)" "&by=grid"
timeit "community scope (roll-ups)" "&scope=community:530111008002"
if [ "${EXACT:-1}" = 1 ]; then
    timeit "total, exact=1 (fold of the log)" "&exact=1"
    timeit "by category (fold of the log)" "&by=category"
fi
