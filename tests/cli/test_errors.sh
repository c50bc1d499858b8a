#!/bin/sh
# CLI tests of error paths that used to be ignored: a failed write of the
# output, a calendar that cannot be read at seeding, a thread that cannot
# start when serving (issue 11).
# usage: sh tests/cli/test_errors.sh BINARY
SUITE=errors
. "$(dirname "$0")/lib.sh"

# ---- the output cannot be written: exit 7, not 0 ------------------------------
"$BIN" calendar add-workdays 2020-09-30 1 >/dev/full 2>"$ERR"
RC=$?
if [ "$RC" -eq 7 ] && grep -q "cannot write the output" "$ERR"; then
    ok "a full disk under stdout is exit 7 with a message"
else
    bad "a full disk under stdout is exit 7 with a message" "exit $RC"
fi
expect_out "the same command to a terminal-like file" "2020-10-09" calendar add-workdays 2020-09-30 1
"$BIN" --help >/dev/full 2>"$ERR"
RC=$?
if [ "$RC" -ne 0 ]; then ok "--help to a full disk fails"; else bad "--help to a full disk fails" "exit 0"; fi

# ---- seeding stops when the stored calendar cannot be read ----------------------
# Before, a failed read was taken for an empty calendar and the built-in
# days were loaded over the stored ones.
db=$TMP/cal.db
expect_rc "init" 0 init --db "$db"
sqlite3 "$db" "INSERT INTO calendar_days(day, kind, name) VALUES (100, 1, 'edited day')"
before=$(sqlite3 "$db" "SELECT count(*) FROM calendar_days")
sqlite3 "$db" "ALTER TABLE calendar_days RENAME TO calendar_days_away;
               CREATE TABLE calendar_days(x INTEGER)"
run init --db "$db"
if [ "$RC" -eq 7 ] && [ "$(sqlite3 "$db" "SELECT count(*) FROM calendar_days")" -eq 0 ]; then
    ok "init on an unreadable calendar fails and writes nothing"
else
    bad "init on an unreadable calendar fails and writes nothing" "exit $RC"
fi
sqlite3 "$db" "DROP TABLE calendar_days; ALTER TABLE calendar_days_away RENAME TO calendar_days"
expect_rc "init again once the calendar reads" 0 init --db "$db"
after=$(sqlite3 "$db" "SELECT count(*) FROM calendar_days")
if [ "$after" -eq "$before" ] && [ "$(sqlite3 "$db" "SELECT name FROM calendar_days WHERE day = 100")" = "edited day" ]; then
    ok "the stored calendar, with its edit, is as it was"
else
    bad "the stored calendar, with its edit, is as it was" "$before days before, $after after"
fi

# ---- a thread that cannot start stops the server with a message -----------------
# An LD_PRELOAD pthread_create that fails from its Nth call on.
shim=$TMP/failthread.so
cat >"$TMP/failthread.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
    static int calls;
    static int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
    const char *at = getenv("FAIL_PTHREAD_AT");
    if (!real)
        real = (int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))dlsym(
            RTLD_NEXT, "pthread_create");
    if (at && ++calls >= atoi(at))
        return EAGAIN;
    return real(t, a, fn, arg);
}
EOF
if cc -shared -fPIC -o "$shim" "$TMP/failthread.c" -ldl 2>"$ERR"; then
    for n in 1 2 3 5 12; do
        # ASan starts no threads of its own before main; the shim counts ours:
        # 1 writer, 2 syncer, 3 checkpointer, 4.. workers and the HTTP threads.
        ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0 LD_PRELOAD=$shim FAIL_PTHREAD_AT=$n \
            timeout 20 "$BIN" serve --db "$db" --port $((20000 + $$ % 20000)) --bind 127.0.0.1 >"$OUT" 2>"$ERR"
        RC=$?
        if [ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && grep -qE "cannot (start|listen)" "$ERR"; then
            ok "serve with thread start $n failing exits $RC with a message"
        else
            bad "serve with thread start $n failing exits $RC with a message" "$(cat "$OUT")"
        fi
    done
else
    bad "the pthread_create shim builds"
fi

summary
