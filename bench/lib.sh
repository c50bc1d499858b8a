# lib.sh - shell helpers of bench/run.sh and bench/ab.sh (sourced, not run).

# Sets pin0 and pin1 to taskset prefixes for the server (core 0) and wrk
# (core 1), unless PIN=0 or the machine has fewer than two cores.
bench_pinning() {
    pin0=""; pin1=""
    if [ "${PIN:-1}" = 1 ] && command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
        pin0="taskset -c 0"; pin1="taskset -c 1"
    fi
}

# Waits (up to 5 s) until the server on port $1 answers /api/v1/health.
bench_wait_health() {
    for _ in $(seq 100); do
        curl -s -o /dev/null "http://127.0.0.1:$1/api/v1/health" && return 0
        sleep 0.05
    done
    return 1
}

# The median of the numbers on standard input, one a line.
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# The median of field F (req/s, p50_ms, p99_ms) of the RESULT lines in file $2.
bench_median_of() { sed -n "s|.* $1=\([0-9.]*\).*|\1|p" "$2" | median; }
