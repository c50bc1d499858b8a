#!/bin/sh
# tests/cli/test_cli.sh - black-box tests of the chuishao command line.
#
#   sh tests/cli/test_cli.sh build/asan/chuishao
#
# POSIX sh. Works in a temp dir (so no ./chuishao.db is picked up), checks
# exit codes (src/cli/cli.h: 0 ok, 1 failure outside the API, 2 usage,
# 3 not found, 4 invalid input, 5 not allowed, 6 conflict, 7 store/internal)
# and output, and fails any command whose stderr carries an AddressSanitizer,
# LeakSanitizer or UBSan report. Tests marked "BUG:" document defects in src/.
# The last line printed is "N passed, M failed"; the exit code is 1 on failure.

SUITE=cli
. "$(dirname "$0")/lib.sh"

# ---- calendar (built-in data; no database in the temp dir) -----------------------------

expect_out "is-workday 2020-01-19 (Sunday make-up day, 春节)" yes calendar is-workday 2020-01-19
expect_out "is-workday 2020-10-08 (国庆节)" no calendar is-workday 2020-10-08
expect_out "is-workday 2019-10-07 (国庆节, Monday)" no calendar is-workday 2019-10-07
expect_out "is-workday 2020-01-31 (COVID-19 extension)" no calendar is-workday 2020-01-31
expect_out "is-workday 2020-02-01 (make-up day cancelled)" no calendar is-workday 2020-02-01
expect_out "is-workday 2020-09-27 (Sunday make-up day, 国庆节)" yes calendar is-workday 2020-09-27
expect_out "add-workdays 2020-09-30 1" 2020-10-09 calendar add-workdays 2020-09-30 1
# 2020-01-23 is a Thursday. Rest days after it: 01-24 (Fri, 春节), 01-25/26 (weekend),
# 01-27..01-30 (春节), 01-31 (Fri, added by the COVID-19 extension), 02-01 (Sat: its
# make-up working day was cancelled by that notice), 02-02 (Sun, the last day of the
# extended holiday). The first working day is Monday 2020-02-03.
expect_out "add-workdays 2020-01-23 1 (Spring Festival extended to Feb 2)" 2020-02-03 \
    calendar add-workdays 2020-01-23 1
expect_out "add-workdays 2020-09-30 0" 2020-09-30 calendar add-workdays 2020-09-30 0
expect_out "deadline 2020-09-30T17:00+08:00 2wh" 2020-10-09T10:00:00+08:00 \
    calendar deadline 2020-09-30T17:00:00+08:00 2wh
expect_rc "is-workday bad month -> 4" 4 calendar is-workday 2020-13-01
expect_rc "is-workday not a date -> 4" 4 calendar is-workday yesterday
expect_rc "is-workday 2020-02-30 -> 4" 4 calendar is-workday 2020-02-30
expect_rc "add-workdays bad date -> 4" 4 calendar add-workdays 2020-9-30 1
expect_rc "add-workdays bad N -> 4" 4 calendar add-workdays 2020-09-30 x
expect_rc "add-workdays negative N -> 4" 4 calendar add-workdays 2020-09-30 -1
expect_rc "deadline bad start -> 4" 4 calendar deadline soon 2wh
expect_rc "deadline bad limit -> 4" 4 calendar deadline 2020-09-30T17:00:00+08:00 abc

# BUG: add-workdays accepts year 9999 and N up to 3650, but the result (a year
# 10010 date) does not fit the 10-byte buffer of time_format_date: it prints the
# truncated, malformed "10010-01-0" and exits 0. Expected: a refusal (exit 4) or
# a well-formed date. (The API has the same defect: GET
# /api/v1/calendar/add-workdays?date=9999-12-31&n=3650 -> {"result":"10010-01-0"}.)
run calendar add-workdays 9999-12-31 3650
if sanitizer_clean "add-workdays past year 9999"; then
    got=$(cat "$OUT")
    if [ "$RC" -eq 4 ] || { [ "$RC" -eq 0 ] && printf '%s\n' "$got" | grep -q -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'; }; then
        ok "add-workdays past year 9999 (refused or well-formed)"
    else
        bad "add-workdays past year 9999 (BUG: malformed date)" "exit $RC, output '$got'"
    fi
fi

# ---- a fresh database ----------------------------------------------------------------

DB=$TMP/x.db
expect_rc "init" 0 init --db "$DB"
expect_rc "user add u1 (dispatcher)" 0 user add --db "$DB" --username u1 --role dispatcher \
    --password longpass1
expect_rc "user add u1 again -> 6 (conflict)" 6 user add --db "$DB" --username u1 \
    --role dispatcher --password longpass1
expect_rc "user add short password -> 4" 4 user add --db "$DB" --username u2 --role dispatcher \
    --password short
expect_rc "unit add A" 0 unit add --db "$DB" --code A --name 甲

run case create --db "$DB" --category 20102 --description 垃圾 --as u1
if sanitizer_clean "case create"; then
    if [ "$RC" -eq 0 ] && grep -q '"id": *1,' "$OUT" && grep -q '"state": *"reported"' "$OUT"; then
        ok "case create prints JSON with \"id\""
    else
        bad "case create" "exit $RC, output: $(head -c 300 "$OUT")"
    fi
fi
expect_rc "case act 1 register" 0 case act --db "$DB" 1 register --as u1
expect_rc "case act 1 close (registered) -> 6 (conflict)" 6 case act --db "$DB" 1 close --as u1
expect_rc "case act 1 reject (registered) -> 6" 6 case act --db "$DB" 1 reject \
    --as u1
expect_rc "case act 1 teleport -> 4 (unknown action)" 4 case act --db "$DB" 1 teleport --as u1
expect_rc "case act 1 dispatch unknown unit -> 4" 4 case act --db "$DB" 1 dispatch --unit 999 \
    --as u1
expect_rc "case act 1 dispatch --unit abc -> 2 (usage)" 2 case act --db "$DB" 1 dispatch \
    --unit abc --as u1
expect_rc "case act abc register -> 2 (usage)" 2 case act --db "$DB" abc register --as u1
expect_rc "case show 1" 0 case show --db "$DB" 1
expect_rc "case show 999 -> 3 (not found)" 3 case show --db "$DB" 999
expect_rc "case events 999 -> 3" 3 case events --db "$DB" 999
expect_rc "case create unknown category -> 4" 4 case create --db "$DB" --category 99999 \
    --description x --as u1
expect_rc "case create without description -> 4" 4 case create --db "$DB" --category 20102 --as u1
expect_rc "case create --lat x -> 2" 2 case create --db "$DB" --category 20102 --description x \
    --lat x --lon 1
expect_rc "case create unknown option -> 2" 2 case create --db "$DB" --colour red
expect_rc "case create --help -> 0" 0 case create --help
if grep -q -- '--category' "$OUT"; then ok "case create --help lists --category"; else
    bad "case create --help lists --category" "$(cat "$OUT")"; fi
expect_rc "--help -> 0" 0 --help
expect_rc "no command -> 2" 2
expect_rc "unknown command -> 2" 2 frobnicate --db "$DB"
expect_rc "case show without id -> 2" 2 case show --db "$DB"

run apikey create --db "$DB" --name k --user u1
if sanitizer_clean "apikey create"; then
    key=$(tail -n 1 "$OUT")
    case $key in
    cs_*) prefix=yes ;;
    *) prefix=no ;;
    esac
    if [ "$RC" -eq 0 ] && [ "$prefix" = yes ] && [ ${#key} -eq 67 ] &&
        printf '%s\n' "$key" | grep -q -E '^cs_[0-9a-f]{64}$'; then
        ok "apikey create prints the key alone on the last line"
    else
        bad "apikey create" "exit $RC, last line '$key' (${#key} chars)"
    fi
fi
expect_rc "apikey create without --name -> 2" 2 apikey create --db "$DB" --user u1
expect_rc "apikey create for unknown user -> 4" 4 apikey create --db "$DB" --name k --user ghost

expect_rc "case overdue" 0 case overdue --db "$DB"
expect_rc "case overdue --at-risk --json" 0 case overdue --db "$DB" --at-risk --json
expect_rc "case list --json" 0 case list --db "$DB" --json
expect_rc "case list --limit 0 -> 4" 4 case list --db "$DB" --limit 0
expect_rc "case replay-check" 0 case replay-check --db "$DB"
if grep -q 'replay check: 1 cases' "$OUT"; then ok "replay-check counts 1 case"; else
    bad "replay-check counts 1 case" "$(cat "$OUT")"; fi

# BUG: with an unknown --as user, cli_open has already opened the store, the
# domain and the API when it fails, and no caller closes them: under ASan the
# leak report turns the documented exit 3 into exit 1 (release build: 3, but the
# store, domain and API handle are leaked).
run case list --db "$DB" --as ghost
if grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$ERR" || [ "$RC" -ne 3 ]; then
    bad "case list --as ghost -> 3 without leaks (BUG: cli_open leaks on a bad --as)" "exit $RC"
else
    ok "case list --as ghost -> 3"
fi

# ---- a database that does not exist ----------------------------------------------------

MISSING=$TMP/nope/missing.db
for cmd in "case show 1" "case list" "case overdue" "case replay-check" "unit list" "user list"; do
    # shellcheck disable=SC2086
    run $cmd --db "$MISSING"
    sanitizer_clean "$cmd on a missing db" || continue
    if [ "$RC" -eq 3 ] && grep -q "$MISSING" "$ERR"; then
        ok "$cmd on a missing db -> 3 naming the path"
    else
        bad "$cmd on a missing db -> 3 naming the path" "exit $RC"
    fi
done
expect_rc "case act on a missing db -> 3" 3 case act --db "$MISSING" 1 register
expect_rc "case create on a missing db -> 3" 3 case create --db "$MISSING" --category 20102 \
    --description x
expect_rc "apikey create on a missing db -> 3" 3 apikey create --db "$MISSING" --name k --user u1
if [ -e "$MISSING" ] || [ -e "$TMP/nope" ]; then
    bad "commands on a missing db do not create it"
else
    ok "commands on a missing db do not create it"
fi

summary
