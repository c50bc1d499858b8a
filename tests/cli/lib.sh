# tests/cli/lib.sh - the helpers shared by the tests/cli/test_*.sh suites
# (POSIX sh; sourced, not run: not named test_* so tools/run-tests.sh skips it).
#
#   SUITE=name                 # names the temp dir: chuishao-NAME.XXXXXX
#   . "$(dirname "$0")/lib.sh" # with the suite's arguments: $1 = the binary
#   ...
#   summary                    # prints "N passed, M failed"; status 1 on failure
#
# Sourcing checks $1 (BIN, made absolute), makes a temp dir $TMP (removed on
# exit), cd's into it (so no ./chuishao.db is picked up), unsets CHUISHAO_DB
# and CHUISHAO_NOW and sets PASS=0 FAIL=0 OUT=$TMP/stdout ERR=$TMP/stderr.

BIN=$1
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
    echo "usage: $0 PATH/TO/chuishao" >&2
    exit 2
fi
case $BIN in
/*) ;;
*) BIN=$(pwd)/$BIN ;;
esac

TMP=$(mktemp -d "${TMPDIR:-/tmp}/chuishao-${SUITE:-cli}.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
cd "$TMP" || exit 2
unset CHUISHAO_DB CHUISHAO_NOW

PASS=0
FAIL=0
OUT=$TMP/stdout
ERR=$TMP/stderr

ok() {
    PASS=$((PASS + 1))
    printf 'ok   %s\n' "$1"
}

bad() {
    FAIL=$((FAIL + 1))
    printf 'FAIL %s\n' "$1"
    shift
    for line in "$@"; do
        printf '     %s\n' "$line"
    done
    if [ -s "$ERR" ]; then
        sed -n '1,12s/^/     stderr: /p' "$ERR"
    fi
}

# run CMD...: runs chuishao with the arguments; sets RC, leaves $OUT and $ERR.
run() {
    "$BIN" "$@" >"$OUT" 2>"$ERR"
    RC=$?
}

# sanitizer_clean NAME: 0 if $ERR has no sanitizer report, else counts a failure.
sanitizer_clean() {
    if grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$ERR"; then
        bad "$1: sanitizer report on stderr"
        return 1
    fi
    return 0
}

# expect_rc NAME CODE CMD...: the command exits with CODE.
expect_rc() {
    name=$1
    want=$2
    shift 2
    run "$@"
    sanitizer_clean "$name" || return 1
    if [ "$RC" -eq "$want" ]; then
        ok "$name"
    else
        bad "$name" "exit $RC, expected $want: chuishao $*"
    fi
}

# expect_out NAME TEXT CMD...: the command exits 0 and prints exactly TEXT.
expect_out() {
    name=$1
    want=$2
    shift 2
    run "$@"
    sanitizer_clean "$name" || return 1
    got=$(cat "$OUT")
    if [ "$RC" -eq 0 ] && [ "$got" = "$want" ]; then
        ok "$name"
    else
        bad "$name" "exit $RC, output '$got', expected exit 0 and '$want': chuishao $*"
    fi
}

# summary: prints the closing "N passed, M failed"; status 1 on any failure.
summary() {
    echo "$PASS passed, $FAIL failed"
    [ "$FAIL" -eq 0 ]
}
