#!/bin/sh
# Runs every test against one build directory (default build/asan): the cmocka
# unit tests, then the API tests against the real server binary on loopback.
# Prints one closing line "N passed, M failed" and exits non-zero on failure.
BUILD=${1:-build/asan}
export CHUISHAO_DATA_DIR=data
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
pass=0; fail=0
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    if "$t" > "$BUILD/$(basename "$t").log" 2>&1; then
        pass=$((pass + 1)); echo "ok   $(basename "$t") ($(grep -c '\[       OK \]' "$BUILD/$(basename "$t").log") cases)"
    else
        fail=$((fail + 1)); echo "FAIL $(basename "$t")"; tail -30 "$BUILD/$(basename "$t").log"
    fi
done
for t in tests/api/test_*.py tests/cli/test_*.sh tests/web/test_*.mjs; do
    [ -f "$t" ] || continue
    case "$t" in
        *.py) cmd="python3 $t --bin $BUILD/chuishao" ;;
        *.sh) cmd="sh $t $BUILD/chuishao" ;;
        *.mjs) cmd="node $t --bin $BUILD/chuishao" ;;
    esac
    if $cmd > "$BUILD/$(basename "$t").log" 2>&1; then
        pass=$((pass + 1)); echo "ok   $t ($(tail -1 "$BUILD/$(basename "$t").log"))"
    else
        fail=$((fail + 1)); echo "FAIL $t"; tail -40 "$BUILD/$(basename "$t").log"
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
