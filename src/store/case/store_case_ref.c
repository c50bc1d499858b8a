/* store_case_ref.c - the reference data of cases: categories, time limits
 * and whistle types. */
#include <string.h>
#include "store/store_int.h"
#include "store_case.h"

/* ---- categories ---------------------------------------------------------------- */

#define CAT_COLS "code, name, grp, unit_code, whistle"
STORE_Q(q_cat_put, "INSERT INTO categories(" CAT_COLS ") VALUES (?, ?, ?, ?, ?) "
                   "ON CONFLICT(code) DO UPDATE SET name = excluded.name, grp = excluded.grp, "
                   "unit_code = excluded.unit_code, whistle = excluded.whistle");
STORE_Q(q_cat_get, "SELECT " CAT_COLS " FROM categories WHERE code = ?");
STORE_Q(q_cat_all, "SELECT " CAT_COLS " FROM categories ORDER BY code");

static void cat_from_row(struct store *s, struct store_stmt *st, struct store_category *c)
{
    COL_COPY(s, st, 0, c->code);
    COL_COPY(s, st, 1, c->name);
    COL_COPY(s, st, 2, c->group);
    COL_COPY(s, st, 3, c->unit_code);
    COL_COPY(s, st, 4, c->whistle);
}

static int job_cat_put(struct store *s, void *arg, struct err *e)
{
    const struct store_category *c = arg;
    return store__run(s, &q_cat_put, e, "sssss", c->code, c->name, c->group, c->unit_code,
                      c->whistle);
}

int store_category_put(struct store *s, const struct store_category *c, struct err *e)
{
    return store_write(s, job_cat_put, (void *)c, e);
}

struct one_cat {
    struct store_category *c; /* destination */
    int found;                /* set when a row was seen */
};

static int row_one_cat(struct store *s, struct store_stmt *st, void *arg)
{
    struct one_cat *o = arg;
    cat_from_row(s, st, o->c);
    o->found = 1;
    return 1;
}

int store_category_get(struct store *s, const char *code, struct store_category *out, struct err *e)
{
    struct one_cat o = {out, 0};
    int rc = store__query(s, &q_cat_get, e, row_one_cat, &o, "s", code);
    if (rc)
        return rc;
    return o.found ? 0 : err_set(e, ERR_NOTFOUND, "category", "no category '%s'", code);
}

struct cat_visit {
    int (*fn)(void *arg, const struct store_category *c);
    void *arg;
};

static int row_cat_visit(struct store *s, struct store_stmt *st, void *arg)
{
    struct cat_visit *v = arg;
    struct store_category c;
    cat_from_row(s, st, &c);
    return v->fn(v->arg, &c);
}

int store_category_each(struct store *s, int (*fn)(void *arg, const struct store_category *c),
                        void *arg, struct err *e)
{
    struct cat_visit v = {fn, arg};
    return store__query(s, &q_cat_all, e, row_cat_visit, &v, "");
}

/* ---- time limits -------------------------------------------------------------- */

STORE_Q(q_limit_put, "INSERT INTO time_limits(category, priority, stage, span) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT(category, priority, stage) DO UPDATE SET span = excluded.span");
STORE_Q(q_limit_all, "SELECT category, priority, stage, span FROM time_limits "
                     "ORDER BY category, priority, stage");

static int job_limit_put(struct store *s, void *arg, struct err *e)
{
    const struct store_limit *l = arg;
    return store__run(s, &q_limit_put, e, "ssss", l->category, l->priority, l->stage, l->span);
}

int store_limit_put(struct store *s, const struct store_limit *l, struct err *e)
{
    return store_write(s, job_limit_put, (void *)l, e);
}

struct limit_visit {
    int (*fn)(void *arg, const struct store_limit *l);
    void *arg;
};

static int row_limit_visit(struct store *s, struct store_stmt *st, void *arg)
{
    struct limit_visit *v = arg;
    struct store_limit l;
    COL_COPY(s, st, 0, l.category);
    COL_COPY(s, st, 1, l.priority);
    COL_COPY(s, st, 2, l.stage);
    COL_COPY(s, st, 3, l.span);
    return v->fn(v->arg, &l);
}

int store_limit_each(struct store *s, int (*fn)(void *arg, const struct store_limit *l), void *arg,
                     struct err *e)
{
    struct limit_visit v = {fn, arg};
    return store__query(s, &q_limit_all, e, row_limit_visit, &v, "");
}

/* ---- whistle types ------------------------------------------------------------- */

STORE_Q(q_wt_put,
        "INSERT INTO whistle_types(code, name, limit_min) VALUES (?, ?, ?) "
        "ON CONFLICT(code) DO UPDATE SET name = excluded.name, limit_min = excluded.limit_min");
STORE_Q(q_wt_all, "SELECT code, name, limit_min FROM whistle_types ORDER BY rowid");

static int job_wt_put(struct store *s, void *arg, struct err *e)
{
    const struct store_whistle_type *t = arg;
    return store__run(s, &q_wt_put, e, "ssi", t->code, t->name, (int64_t)t->limit_min);
}

int store_whistle_type_put(struct store *s, const struct store_whistle_type *t, struct err *e)
{
    return store_write(s, job_wt_put, (void *)t, e);
}

struct wt_visit {
    int (*fn)(void *arg, const struct store_whistle_type *t);
    void *arg;
};

static int row_wt_visit(struct store *s, struct store_stmt *st, void *arg)
{
    struct wt_visit *v = arg;
    struct store_whistle_type t;
    COL_COPY(s, st, 0, t.code);
    COL_COPY(s, st, 1, t.name);
    t.limit_min = (int)COL_I64(s, st, 2);
    return v->fn(v->arg, &t);
}

int store_whistle_type_each(struct store *s,
                            int (*fn)(void *arg, const struct store_whistle_type *t), void *arg,
                            struct err *e)
{
    struct wt_visit v = {fn, arg};
    return store__query(s, &q_wt_all, e, row_wt_visit, &v, "");
}
