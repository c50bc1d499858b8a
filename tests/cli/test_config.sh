#!/bin/sh
# CLI tests of the configurable working periods and time limits.
# usage: sh tests/cli/test_config.sh BINARY
B=${1:?binary}
dir=$(mktemp -d /tmp/chuishao-config.XXXXXX)
trap 'rm -rf "$dir"' EXIT
db=$dir/c.db
pass=0; fail=0
check() { # NAME EXPECTED-EXIT COMMAND... ; output in $out
    name=$1; want=$2; shift 2
    out=$("$@" 2>&1); got=$?
    if [ "$got" -eq "$want" ]; then pass=$((pass + 1)); echo "ok   $name";
    else fail=$((fail + 1)); echo "FAIL $name: exit $got, want $want: $out"; fi
}
has() { # NAME TEXT: the last output contains TEXT
    if printf '%s' "$out" | grep -qF -- "$2"; then pass=$((pass + 1)); echo "ok   $1";
    else fail=$((fail + 1)); echo "FAIL $1: '$2' not in: $out"; fi
}
$B init --db "$db" >/dev/null
check "periods show" 0 $B calendar periods --db "$db"
has "default periods" "09:00-12:00,14:00-18:00 (420 working minutes a day)"
check "periods set" 0 $B calendar periods --db "$db" "08:30-12:00,14:30-17:30"
check "periods show again" 0 $B calendar periods --db "$db"
has "periods stored" "08:30-12:00,14:30-17:30 (390 working minutes a day)"
check "periods refuse end before start" 4 $B calendar periods --db "$db" "18:00-09:00"
check "periods refuse garbage" 4 $B calendar periods --db "$db" "nine to five"
check "periods unchanged after refusals" 0 $B calendar periods --db "$db"
has "still the stored periods" "08:30-12:00,14:30-17:30"
check "deadline follows the new periods" 0 $B calendar deadline --db "$db" 2020-03-02T17:00:00+08:00 1wh
has "1wh from 17:00 Mon with periods to 17:30" "2020-03-03T09:00:00+08:00"
check "limit set" 0 $B limit set --db "$db" 20102 normal handle 3wd
check "limit list" 0 $B limit list --db "$db"
has "limit listed" "20102    normal   handle    3wd"
check "limit unknown category" 4 $B limit set --db "$db" 99999 normal handle 3wd
check "limit unknown stage" 4 $B limit set --db "$db" 20102 normal finish 3wd
check "limit with one argument too many: usage" 2 $B limit set --db "$db" 20102 normal handle 3 days
check "limit bad span text" 4 $B limit set --db "$db" 20102 normal handle 3days
check "limit bad priority" 4 $B limit set --db "$db" 20102 URGENT! handle 3wd
check "limit list after refusals" 0 $B limit list --db "$db"
has "the good row is still there" "20102    normal   handle    3wd"
check "init keeps the edited limit" 0 $B init --db "$db"
check "limit list after init" 0 $B limit list --db "$db"
has "edited limit survives init" "20102    normal   handle    3wd"
# The report event carries the intake facts: a cases row changed behind the
# log's back (here its address) fails the replay check.
tam=$dir/tamper.db
$B demo --db "$tam" --cases 0 >/dev/null
check "replay check of a fresh demo" 0 $B case replay-check --db "$tam"
sqlite3 "$tam" "UPDATE cases SET address = 'changed behind the log' WHERE id = 5"
check "replay check finds a changed intake fact" 6 $B case replay-check --db "$tam"
has "names the case and the intake facts" "case 5: replayed intake facts differ"
sqlite3 "$tam" "UPDATE cases SET state = 'closed' WHERE id = 3"
check "replay check still fails" 6 $B case replay-check --db "$tam"

# Very long option values must be refused, not overflow a buffer (ASan build).
long=$(printf 'a%.0s' $(seq 1 2000))
check "stats with a 2000-character --from" 4 $B stats --db "$tam" --from "$long" --to x --scope "$long"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
