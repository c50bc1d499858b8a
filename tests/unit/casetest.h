/*
 * casetest.h - a shared fixture for the case-engine tests (test_case_rules.c,
 * test_case_flow.c): a fresh SQLite database in a temporary directory, the
 * built-in reference data, four units, one user of each role (two residents,
 * two grid workers, one handler per unit) and the domain handle.
 *
 * Header-only: every function is static inline (so that a test using only
 * some of them builds under -Werror). Time is pinned by ct_pin_time()
 * (CHUISHAO_NOW), which must run before anything calls time_now().
 */
#ifndef CHUISHAO_CASETEST_H
#define CHUISHAO_CASETEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "domain/case/case.h"
#include "store/auth/store_auth.h"
#include "store/place/store_place.h"
#include "store/unit/store_unit.h"

/* The pinned instant: Monday 2 March 2020, 10:00 China time, a working day. */
#define CT_NOW "2020-03-02T10:00:00+08:00"
/* A category with only the default ('*') limits in data/time_limits.txt. */
#define CT_CATEGORY "20404"
/* The grid of the case reports and of grid worker g1. */
#define CT_GRID "G01"

enum { CT_UNITS = 4 };

/* Everything a test needs. */
struct ct {
    char dir[256];                   /* temporary directory */
    char path[320];                  /* database file in it */
    struct store *s;                 /* the store */
    struct domain *d;                /* the domain handle */
    struct arena *a;                 /* freed at teardown */
    int64_t unit[CT_UNITS + 1];      /* unit ids, [1]..[4] */
    struct actor res;                /* resident A: reports the cases */
    struct actor res2;               /* resident B: another resident */
    struct actor grid;               /* grid worker of CT_GRID */
    struct actor grid2;              /* grid worker of another grid */
    struct actor disp;               /* dispatcher */
    struct actor lead;               /* leader */
    struct actor adm;                /* admin */
    struct actor hand[CT_UNITS + 1]; /* hand[k]: handler of unit[k] */
};

/* Pins time_now() to CT_NOW unless a caller already chose another instant. */
static inline void ct_pin_time(void)
{
    setenv("CHUISHAO_NOW", CT_NOW, 0);
}

/* An instant from ISO text (China time when no zone is given). */
static inline int64_t ct_t(const char *iso)
{
    int64_t t = 0;
    assert_int_equal(time_parse_iso(iso, &t), 0);
    return t;
}

/* Asserts that instant got equals the ISO instant want (readable on failure). */
static inline void ct_assert_at(int64_t got, const char *want)
{
    char g[32], w[32];
    time_format_iso(got, g);
    time_format_iso(ct_t(want), w);
    assert_string_equal(g, w);
}

/* Inserts a user and returns the actor for it. */
static inline struct actor ct_user(struct ct *t, const char *name, const char *role, int64_t unit,
                                   const char *grid)
{
    struct store_user u = {0};
    struct err e = {0};
    struct actor a = {0};
    str_copy(u.username, sizeof u.username, name);
    str_copy(u.name, sizeof u.name, name);
    str_copy(u.role, sizeof u.role, role);
    str_copy(u.grid, sizeof u.grid, grid);
    u.unit_id = unit;
    u.created_at = time_now();
    assert_int_equal(store_user_insert(t->s, &u, &e), 0);
    a.user_id = u.id;
    a.role = role_parse(role);
    assert_int_not_equal(a.role, 0);
    a.unit_id = unit;
    str_copy(a.grid, sizeof a.grid, grid);
    str_copy(a.username, sizeof a.username, name);
    return a;
}

/* Creates the four units and their handlers. */
static inline void ct_units(struct ct *t)
{
    static const char *const codes[CT_UNITS + 1] = {"", "UA", "UB", "UC", "UD"};
    char name[32];
    for (int k = 1; k <= CT_UNITS; k++) {
        struct store_unit u = {0};
        struct err e = {0};
        str_copy(u.code, sizeof u.code, codes[k]);
        snprintf(u.name, sizeof u.name, "单位%s", codes[k]);
        str_copy(u.kind, sizeof u.kind, "department");
        assert_int_equal(store_unit_put(t->s, &u, &e), 0);
        t->unit[k] = u.id;
        snprintf(name, sizeof name, "h%d", k);
        t->hand[k] = ct_user(t, name, "handler", u.id, "");
    }
}

/* cmocka setup: a new database with reference data, units and users. */
static inline int ct_setup(void **state)
{
    struct ct *t = calloc(1, sizeof *t);
    struct err e = {0};
    const char *base = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    ct_pin_time();
    snprintf(t->dir, sizeof t->dir, "%s/casetest.XXXXXX", base);
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof t->path, "%s/case.db", t->dir);
    assert_int_equal(store_open(t->path, STORE_CREATE, &t->s, &e), 0);
    assert_int_equal(dom_seed(t->s, &e), 0);
    ct_units(t);
    t->res = ct_user(t, "res_a", "resident", 0, "");
    t->res2 = ct_user(t, "res_b", "resident", 0, "");
    t->grid = ct_user(t, "grid_a", "grid", 0, CT_GRID);
    t->grid2 = ct_user(t, "grid_b", "grid", 0, "G02");
    t->disp = ct_user(t, "disp", "dispatcher", 0, "");
    t->lead = ct_user(t, "leader", "leader", 0, "");
    t->adm = ct_user(t, "admin", "admin", 0, "");
    /* The grids the reports name (no boundaries: cases carry no position). */
    static const char *const grids[] = {CT_GRID, "G02", "G03"};
    for (size_t i = 0; i < 3; i++) {
        struct store_place p = {.geometry = (char *)"", .updated_at = 1};
        str_copy(p.code, sizeof p.code, grids[i]);
        str_copy(p.kind, sizeof p.kind, "grid");
        str_copy(p.name, sizeof p.name, grids[i]);
        assert_int_equal(store_place_put(t->s, &p, &e), 0);
    }
    assert_int_equal(dom_open(t->s, &t->d, &e), 0);
    t->a = arena_new();
    *state = t;
    return 0;
}

/* cmocka teardown: closes everything and removes the database files. */
static inline int ct_teardown(void **state)
{
    struct ct *t = *state;
    char p[400];
    dom_close(t->d);
    store_close(t->s);
    arena_free(t->a);
    unlink(t->path);
    snprintf(p, sizeof p, "%s-wal", t->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", t->path);
    unlink(p);
    rmdir(t->dir);
    free(t);
    return 0;
}

/* A report of CT_CATEGORY in CT_GRID with the given priority. */
static inline struct case_new ct_report_in(const char *priority)
{
    struct case_new in = {0};
    in.channel = "app";
    in.nature = "complaint";
    in.category = CT_CATEGORY;
    in.priority = priority;
    in.description = "小区门口下水道堵塞，污水漫到路面";
    in.address = "幸福路12号";
    in.grid = CT_GRID;
    in.reporter_phone = "13800138000";
    return in;
}

/* Creates a case reported by who (normal priority) and returns its id. */
static inline int64_t ct_report(struct ct *t, const struct actor *who, const char *priority)
{
    struct case_new in = ct_report_in(priority);
    struct store_case c;
    struct err e = {0};
    int rc = case_create(t->d, who, &in, t->a, &c, &e);
    if (rc)
        fail_msg("case_create: %s (%s)", e.msg, err_name(rc));
    return c.id;
}

/* An action with nothing given (the "not given" values of every field). */
static inline struct case_action ct_action(const char *name)
{
    struct case_action a = {0};
    a.act = case_action_parse(name);
    a.resolved = -1;
    a.score = -1;
    a.confirmed = -1;
    return a;
}

/* Runs case_act and returns its code; *e receives the error. */
static inline int ct_try(struct ct *t, const struct actor *who, int64_t id,
                         const struct case_action *act, struct err *e)
{
    struct store_case c;
    err_clear(e);
    return case_act(t->d, who, id, act, t->a, &c, e);
}

/* Runs case_act and fails the test unless it succeeds. */
static inline void ct_ok(struct ct *t, const struct actor *who, int64_t id,
                         const struct case_action *act)
{
    struct err e;
    int rc = ct_try(t, who, id, act, &e);
    if (rc)
        fail_msg("case %lld '%s' by %s: %s (%s)", (long long)id, case_action_name(act->act),
                 role_name(who->role), e.msg, err_name(rc));
}

/* Runs action `name` with a note and nothing else. */
static inline void ct_do(struct ct *t, const struct actor *who, int64_t id, const char *name)
{
    struct case_action a = ct_action(name);
    a.note = "说明";
    ct_ok(t, who, id, &a);
}

/* The stored projection of case id. */
static inline struct store_case ct_get(struct ct *t, int64_t id)
{
    struct store_case c;
    struct err e = {0};
    assert_int_equal(store_case_get(t->s, id, t->a, &c, &e), 0);
    return c;
}

/* The number of events of case id. */
static inline int ct_nevents(struct ct *t, int64_t id)
{
    struct store_event *ev;
    int n = -1;
    struct err e = {0};
    assert_int_equal(store_case_events(t->s, id, t->a, &ev, &n, &e), 0);
    return n;
}

/* The id of the first whistle blown on case id, 0 if none. */
static inline int64_t ct_whistle_of(struct ct *t, int64_t id)
{
    struct store_whistle *w;
    int n = 0;
    struct err e = {0};
    assert_int_equal(store_whistle_list(t->s, id, 0, t->a, &w, &n, &e), 0);
    return n > 0 ? w[0].id : 0;
}

/* Asserts that the case's state is the named one. */
static inline void ct_assert_state(struct ct *t, int64_t id, int st)
{
    assert_string_equal(ct_get(t, id).state, case_state_name(st));
}

/* The first derived field (state, units, deadlines, counters, ...) in which
 * two projections of the same case differ, or NULL if none does. */
static inline const char *ct_proj_diff(const struct store_case *x, const struct store_case *y)
{
    if (x->id != y->id || strcmp(x->state, y->state) != 0)
        return "state";
    if (x->lead_unit != y->lead_unit || strcmp(x->co_units, y->co_units) != 0)
        return "units";
    if (x->master_id != y->master_id || x->verifier_id != y->verifier_id)
        return "links";
    if (x->due_at != y->due_at || x->warn_at != y->warn_at || x->close_due != y->close_due)
        return "deadlines";
    if (x->paused_at != y->paused_at || x->closed_at != y->closed_at)
        return "pause/close";
    if (x->supervise_count != y->supervise_count || x->return_count != y->return_count ||
        x->rework_count != y->rework_count || x->extension_count != y->extension_count)
        return "counters";
    if (x->visit_resolved != y->visit_resolved || x->visit_satisfaction != y->visit_satisfaction)
        return "visit";
    if (x->last_seq != y->last_seq || x->updated_at != y->updated_at)
        return "last event";
    return NULL;
}

/* A case as it is stored, with its number of events. */
struct ct_snap {
    struct store_case c; /* the projection */
    int n;               /* events in the log */
};

static inline struct ct_snap ct_snap(struct ct *t, int64_t id)
{
    struct ct_snap s = {ct_get(t, id), ct_nevents(t, id)};
    return s;
}

/* Asserts that case id is exactly as snapshot s: a refused action changed nothing. */
static inline void ct_assert_unchanged(struct ct *t, int64_t id, const struct ct_snap *s)
{
    struct ct_snap now = ct_snap(t, id);
    const char *diff = ct_proj_diff(&s->c, &now.c);
    if (diff)
        fail_msg("case %lld changed (%s) by a refused action", (long long)id, diff);
    assert_int_equal(now.n, s->n);
    assert_int_equal(now.c.last_seq, s->c.last_seq);
}

#endif
