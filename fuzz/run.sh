#!/bin/sh
# fuzz/run.sh BUILD TARGET... - runs each libFuzzer binary BUILD/fuzz_TARGET
# for $FUZZ_SECONDS (default 20) seconds (fuzz/README.md). Seeds: the
# committed fuzz/corpus/TARGET/ and fuzz/regressions/TARGET/, read only; new
# inputs go to BUILD/corpus/TARGET/ (kept between runs, never committed). A
# crash, leak, timeout or out-of-memory input is moved to
# fuzz/regressions/TARGET/, where `make test` replays it from then on.
# Prints one line of libFuzzer's figures per target; exits 1 if anything
# was found.
build=$1
shift
secs=${FUZZ_SECONDS:-20}
found=0
mkdir -p "$build/tmp"
export TMPDIR="$PWD/$build/tmp" # the fixture's databases
printf '%-12s %9s %8s %7s %7s %6s  %s\n' target runs exec/s cov ft corpus result
for t in "$@"; do
    work=$build/corpus/$t
    crashes=$build/crashes/$t
    log=$build/$t.log
    mkdir -p "$work" "$crashes"
    set -- "$work" "fuzz/corpus/$t"
    [ -d "fuzz/regressions/$t" ] && set -- "$@" "fuzz/regressions/$t"
    [ -f "fuzz/dict/$t.dict" ] && set -- -dict="fuzz/dict/$t.dict" "$@"
    "$build/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$crashes/" "$@" >"$log" 2>&1
    rc=$?
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
    result=ok
    for f in "$crashes"/crash-* "$crashes"/leak-* "$crashes"/timeout-* "$crashes"/oom-*; do
        [ -f "$f" ] || continue
        mkdir -p "fuzz/regressions/$t"
        mv "$f" "fuzz/regressions/$t/"
        result="FOUND fuzz/regressions/$t/$(basename "$f") (see $log)"
        found=1
    done
    [ "$result" = ok ] && [ $rc -ne 0 ] && { result="FAILED (exit $rc, see $log)"; found=1; }
    printf '%-12s %9s %8s %7s %7s %6s  %s\n' "$t" "${runs:-?}" "${rate:-?}" "${cov:-?}" \
        "${ft:-?}" "${corp:-?}" "$result"
done
exit $found
