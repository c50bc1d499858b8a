/*
 * storetest.h - the shared fixture of the store's conformance suite
 * (tests/store/README.md): a fresh database in its own temporary directory
 * for every test, the assertions on return codes, and small builders of
 * records (units, users, cases and their events) made through the public
 * store headers only. No SQL and no driver header: the same tests are meant
 * to run on every backend of the store.
 *
 * Header-only: every function is static inline, so a test file that uses
 * only some of them builds under -Werror.
 */
#ifndef CHUISHAO_STORETEST_H
#define CHUISHAO_STORETEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "store/store.h"
#include "store/auth/store_auth.h"
#include "store/case/store_case.h"
#include "store/unit/store_unit.h"

/* Monday 2 March 2020, 10:00 China time: the instant the tests' records start at. */
#define STT_T0  ((int64_t)1583114400)
#define STT_DAY ((int64_t)86400)
/* The schema the suite needs at least (007: uploaded files). */
#define STT_MIN_SCHEMA 7

/* One test's database. */
struct stt {
    char dir[256];   /* its temporary directory (removed with everything in it) */
    char path[320];  /* the database in it */
    struct store *s; /* the open store, NULL once closed */
    struct arena *a; /* for the rows read; freed at teardown */
};

/* Runs call, an expression that fills the struct err e, and fails the test
 * with e's message unless it returns 0. */
#define STT_OK(e, call)                                                                            \
    do {                                                                                           \
        err_clear(&(e));                                                                           \
        int stt_rc_ = (call);                                                                      \
        if (stt_rc_ != 0)                                                                          \
            fail_msg("%s: %s (%s)", #call, (e).msg, err_name(stt_rc_));                            \
    } while (0)

/* Runs call and fails the test unless it returns the error code want. */
#define STT_FAILS(e, want, call)                                                                   \
    do {                                                                                           \
        err_clear(&(e));                                                                           \
        int stt_rc_ = (call);                                                                      \
        if (stt_rc_ != (want))                                                                     \
            fail_msg("%s: returned %d (%s), want %s", #call, stt_rc_, err_name(stt_rc_),           \
                     err_name(want));                                                              \
    } while (0)

/* The path of another database file name in t's directory. */
static inline void stt_path(const struct stt *t, const char *name, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", t->dir, name);
}

/* Opens the store at path with flags, failing the test if it cannot. */
static inline struct store *stt_open(const char *path, int flags)
{
    struct store *s = NULL;
    struct err e;
    STT_OK(e, store_open(path, flags, &s, &e));
    assert_non_null(s);
    return s;
}

/* Makes t's temporary directory (no database yet). */
static inline struct stt *stt_new(void)
{
    struct stt *t = calloc(1, sizeof *t);
    const char *base = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    assert_non_null(t);
    snprintf(t->dir, sizeof t->dir, "%s/storetest.XXXXXX", base);
    assert_non_null(mkdtemp(t->dir));
    stt_path(t, "store.db", t->path, sizeof t->path);
    t->a = arena_new();
    return t;
}

/* cmocka setups: a new database, opened without or with group commit. */
static inline int stt_setup_flags(void **state, int flags)
{
    struct stt *t = stt_new();
    t->s = stt_open(t->path, STORE_CREATE | flags);
    *state = t;
    return 0;
}
static inline int stt_setup(void **state)
{
    return stt_setup_flags(state, 0);
}
static inline int stt_setup_group(void **state)
{
    return stt_setup_flags(state, STORE_GROUP_COMMIT);
}
/* Only the directory: the test opens the store itself. */
static inline int stt_setup_dir(void **state)
{
    *state = stt_new();
    return 0;
}

/* Closes t's store (if open) and returns how many transactions were found
 * left open while it was (store_left_open: a conforming store finds none). */
static inline int64_t stt_close(struct stt *t)
{
    if (t->s == NULL)
        return 0;
    int64_t left = store_left_open(t->s);
    store_close(t->s);
    t->s = NULL;
    return left;
}

/* cmocka teardown: closes the store and removes the directory with every
 * file in it (the database, its journal files, other databases of the test). */
static inline int stt_teardown(void **state)
{
    struct stt *t = *state;
    char p[600];
    int64_t left = stt_close(t);
    if (left != 0)
        fprintf(stderr, "storetest: %lld transaction(s) found left open\n", (long long)left);
    DIR *d = opendir(t->dir);
    for (struct dirent *de; d && (de = readdir(d)) != NULL;) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", t->dir, de->d_name);
        unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(t->dir);
    arena_free(t->a);
    free(t);
    return left != 0 ? -1 : 0;
}

/* ---- records ---------------------------------------------------------------- */

/* Inserts a unit with this code (name "单位<code>") and returns its id. */
static inline int64_t stt_unit(struct stt *t, const char *code)
{
    struct store_unit u = {0};
    struct err e;
    str_copy(u.code, sizeof u.code, code);
    snprintf(u.name, sizeof u.name, "单位%s", code);
    str_copy(u.kind, sizeof u.kind, "department");
    STT_OK(e, store_unit_insert(t->s, &u, &e));
    assert_true(u.id > 0);
    return u.id;
}

/* Inserts a user with this username and role and returns its id. */
static inline int64_t stt_user(struct stt *t, const char *username, const char *role)
{
    struct store_user u = {0};
    struct err e;
    str_copy(u.username, sizeof u.username, username);
    snprintf(u.name, sizeof u.name, "用户%s", username);
    str_copy(u.role, sizeof u.role, role);
    u.created_at = STT_T0;
    STT_OK(e, store_user_insert(t->s, &u, &e));
    assert_true(u.id > 0);
    return u.id;
}

/* A new case reported at `at` in category and grid (both may be ""), with
 * its report event (seq 1, action "report", into "reported"). */
static inline void stt_case_init(struct store_case *c, struct store_event *ev, int64_t at,
                                 const char *category, const char *grid)
{
    memset(c, 0, sizeof *c);
    memset(ev, 0, sizeof *ev);
    c->created_at = c->updated_at = at;
    str_copy(c->channel, sizeof c->channel, "app");
    str_copy(c->nature, sizeof c->nature, "complaint");
    str_copy(c->category, sizeof c->category, category);
    str_copy(c->priority, sizeof c->priority, "normal");
    c->title = (char *)"下水道堵塞";
    c->description = (char *)"小区门口下水道堵塞，污水漫到路面";
    c->address = (char *)"幸福路12号";
    str_copy(c->grid, sizeof c->grid, grid);
    str_copy(c->state, sizeof c->state, "reported");
    c->visit_resolved = -1;
    c->last_seq = 1;
    ev->seq = 1;
    ev->at = at;
    str_copy(ev->action, sizeof ev->action, "report");
    str_copy(ev->to_state, sizeof ev->to_state, "reported");
    ev->note = (char *)"";
    ev->attachments = (char *)"";
    ev->intake = (char *)"channel=app";
    ev->flag = -1;
}

struct stt_case_job {
    struct store_case *c;   /* the new case */
    struct store_event *ev; /* its first event */
};

static inline int stt_job_case_insert(struct store *s, void *arg, struct err *e)
{
    struct stt_case_job *j = arg;
    return store_case_insert(s, j->c, j->ev, e);
}

/* Stores the case c with its first event ev (in a write job) and returns its id. */
static inline int64_t stt_case_store(struct stt *t, struct store_case *c, struct store_event *ev)
{
    struct stt_case_job j = {c, ev};
    struct err e;
    STT_OK(e, store_write(t->s, stt_job_case_insert, &j, &e));
    assert_true(c->id > 0);
    assert_int_equal(ev->case_id, c->id);
    return c->id;
}

/* Stores a new case (see stt_case_init) and returns its id. */
static inline int64_t stt_case(struct stt *t, int64_t at, const char *category, const char *grid)
{
    struct store_case c;
    struct store_event ev;
    stt_case_init(&c, &ev, at, category, grid);
    return stt_case_store(t, &c, &ev);
}

/* An event to append by stt_event: the case moves to state `to` at `at`. */
struct stt_event_job {
    int64_t id;         /* the case */
    const char *action; /* the event's action */
    const char *to;     /* the state after it */
    int64_t at;         /* its instant */
    int64_t unit;       /* its unit_id */
    struct arena *a;    /* for the case read */
};

static inline int stt_job_event(struct store *s, void *arg, struct err *e)
{
    struct stt_event_job *j = arg;
    struct store_case c;
    struct store_event ev = {0};
    int rc = store_case_get(s, j->id, j->a, &c, e);
    if (rc)
        return rc;
    str_copy(ev.action, sizeof ev.action, j->action);
    str_copy(ev.from_state, sizeof ev.from_state, c.state);
    str_copy(ev.to_state, sizeof ev.to_state, j->to);
    ev.at = j->at;
    ev.unit_id = j->unit;
    ev.note = (char *)"说明";
    ev.attachments = (char *)"";
    ev.intake = (char *)"";
    ev.flag = -1;
    str_copy(c.state, sizeof c.state, j->to);
    c.updated_at = j->at;
    c.last_seq++;
    return store_case_append(s, &c, &ev, e);
}

/* Appends an event (action, into state `to`, at instant at, unit_id unit)
 * to case id, read and written in one job; fails the test if it cannot. */
static inline void stt_event(struct stt *t, int64_t id, const char *action, const char *to,
                             int64_t at, int64_t unit)
{
    struct stt_event_job j = {id, action, to, at, unit, t->a};
    struct err e;
    STT_OK(e, store_write(t->s, stt_job_event, &j, &e));
}

/* The stored projection of case id. */
static inline struct store_case stt_get(struct stt *t, int64_t id)
{
    struct store_case c;
    struct err e;
    STT_OK(e, store_case_get(t->s, id, t->a, &c, &e));
    return c;
}

/* The number of events of case id. */
static inline int stt_nevents(struct stt *t, int64_t id)
{
    struct store_event *ev = NULL;
    int n = -1;
    struct err e;
    STT_OK(e, store_case_events(t->s, id, t->a, &ev, &n, &e));
    return n;
}

/* The value of setting key, or "<unset>". */
static inline const char *stt_setting(struct store *s, const char *key, char *out, size_t n)
{
    struct err e = {0};
    int rc = store_setting_get(s, key, out, n, &e);
    if (rc == ERR_NOTFOUND)
        str_copy(out, n, "<unset>");
    else if (rc != 0)
        fail_msg("store_setting_get(%s): %s (%s)", key, e.msg, err_name(rc));
    return out;
}

/* Sleeps ms milliseconds. */
static inline void stt_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

#endif
