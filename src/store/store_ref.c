/* store_ref.c - settings, calendar days and reference data (units,
 * categories, time limits, whistle types). */
#include <string.h>
#include "store_int.h"

/* ---- settings -------------------------------------------------------------- */

STORE_Q(q_setting_get, "SELECT value FROM settings WHERE key = ?");
STORE_Q(q_setting_set, "INSERT INTO settings(key, value) VALUES (?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value");

struct copy_arg {
    char *out; /* destination */
    size_t n;  /* its size */
    int found; /* set when a row was seen */
};

static int row_copy_text(struct store *s, struct store_stmt *st, void *arg)
{
    struct copy_arg *c = arg;
    str_copy(c->out, c->n, COL_TEXT(s, st, 0));
    c->found = 1;
    return 1;
}

int store_setting_get(struct store *s, const char *key, char *out, size_t n, struct err *e)
{
    struct copy_arg c = {out, n, 0};
    int rc = store__query(s, &q_setting_get, e, row_copy_text, &c, "s", key);
    if (rc)
        return rc;
    return c.found ? 0 : ERR_NOTFOUND;
}

struct kv {
    const char *k, *v;
};

static int job_setting_set(struct store *s, void *arg, struct err *e)
{
    struct kv *kv = arg;
    return store__run(s, &q_setting_set, e, "ss", kv->k, kv->v);
}

int store_setting_set(struct store *s, const char *key, const char *value, struct err *e)
{
    struct kv kv = {key, value};
    return store_write(s, job_setting_set, &kv, e);
}

/* ---- calendar ---------------------------------------------------------------- */

STORE_Q(q_cal_clear, "DELETE FROM calendar_days WHERE day BETWEEN ? AND ?");
STORE_Q(q_cal_add, "INSERT INTO calendar_days(day, kind, name) VALUES (?, ?, ?)");
STORE_Q(q_cal_all, "SELECT day, kind, name FROM calendar_days ORDER BY day");

struct cal_feed {
    int (*next)(void *arg, int64_t *day, int *kind, const char **name);
    void *arg;
    int64_t from, to; /* the range replaced */
};

static int job_cal_replace(struct store *s, void *arg, struct err *e)
{
    struct cal_feed *f = arg;
    int64_t day;
    int kind, rc;
    const char *name;
    if ((rc = store__run(s, &q_cal_clear, e, "ii", f->from, f->to)))
        return rc;
    while (f->next(f->arg, &day, &kind, &name))
        if ((rc = store__run(s, &q_cal_add, e, "iis", day, (int64_t)kind, name ? name : "")))
            return rc;
    return 0;
}

int store_calendar_replace(struct store *s, int64_t from, int64_t to,
                           int (*next)(void *arg, int64_t *day, int *kind, const char **name),
                           void *arg, struct err *e)
{
    struct cal_feed f = {next, arg, from, to};
    return store_write(s, job_cal_replace, &f, e);
}

struct cal_visit {
    int (*fn)(void *arg, int64_t day, int kind, const char *name);
    void *arg;
};

static int row_cal(struct store *s, struct store_stmt *st, void *arg)
{
    struct cal_visit *v = arg;
    return v->fn(v->arg, COL_I64(s, st, 0), (int)COL_I64(s, st, 1), COL_TEXT(s, st, 2));
}

int store_calendar_each(struct store *s,
                        int (*fn)(void *arg, int64_t day, int kind, const char *name), void *arg,
                        struct err *e)
{
    struct cal_visit v = {fn, arg};
    return store__query(s, &q_cal_all, e, row_cal, &v, "");
}

/* ---- units ------------------------------------------------------------------- */

#define UNIT_COLS "id, code, name, kind, uscc, phone"
STORE_Q(q_unit_put, "INSERT INTO units(code, name, kind, uscc, phone) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                    "uscc = excluded.uscc, phone = excluded.phone");
STORE_Q(q_unit_insert, "INSERT INTO units(code, name, kind, uscc, phone) VALUES (?, ?, ?, ?, ?)");
STORE_Q(q_unit_get, "SELECT " UNIT_COLS " FROM units WHERE id = ?");
STORE_Q(q_unit_by_code, "SELECT " UNIT_COLS " FROM units WHERE code = ?");
STORE_Q(q_unit_all, "SELECT " UNIT_COLS " FROM units ORDER BY id");

static void unit_from_row(struct store *s, struct store_stmt *st, struct store_unit *u)
{
    u->id = COL_I64(s, st, 0);
    COL_COPY(s, st, 1, u->code);
    COL_COPY(s, st, 2, u->name);
    COL_COPY(s, st, 3, u->kind);
    COL_COPY(s, st, 4, u->uscc);
    COL_COPY(s, st, 5, u->phone);
}

struct one_unit {
    struct store_unit *u; /* destination */
    int found;            /* set when a row was seen */
};

static int row_one_unit(struct store *s, struct store_stmt *st, void *arg)
{
    struct one_unit *o = arg;
    unit_from_row(s, st, o->u);
    o->found = 1;
    return 1;
}

static int job_unit_put(struct store *s, void *arg, struct err *e)
{
    struct store_unit *u = arg;
    int rc = store__run(s, &q_unit_put, e, "sssss", u->code, u->name, u->kind, u->uscc, u->phone);
    if (rc)
        return rc;
    return store_unit_by_code(s, u->code, u, e);
}

int store_unit_put(struct store *s, struct store_unit *u, struct err *e)
{
    return store_write(s, job_unit_put, u, e);
}

static int job_unit_insert(struct store *s, void *arg, struct err *e)
{
    struct store_unit *u = arg;
    struct err local = {0};
    int rc = store__run(s, &q_unit_insert, &local, "sssss", u->code, u->name, u->kind, u->uscc,
                        u->phone);
    if (rc == ERR_CONFLICT)
        return err_set(e, ERR_CONFLICT, "code", "unit code '%s' is taken", u->code);
    if (rc)
        return err_set(e, rc, NULL, "%s", local.msg);
    return store_unit_by_code(s, u->code, u, e);
}

int store_unit_insert(struct store *s, struct store_unit *u, struct err *e)
{
    return store_write(s, job_unit_insert, u, e);
}

int store_unit_get(struct store *s, int64_t id, struct store_unit *out, struct err *e)
{
    struct one_unit o = {out, 0};
    int rc = store__query(s, &q_unit_get, e, row_one_unit, &o, "i", id);
    if (rc)
        return rc;
    return o.found ? 0 : err_set(e, ERR_NOTFOUND, "unit", "no unit with id %lld", (long long)id);
}

int store_unit_by_code(struct store *s, const char *code, struct store_unit *out, struct err *e)
{
    struct one_unit o = {out, 0};
    int rc = store__query(s, &q_unit_by_code, e, row_one_unit, &o, "s", code);
    if (rc)
        return rc;
    return o.found ? 0 : err_set(e, ERR_NOTFOUND, "unit", "no unit with code '%s'", code);
}

struct unit_visit {
    int (*fn)(void *arg, const struct store_unit *u);
    void *arg;
};

static int row_unit_visit(struct store *s, struct store_stmt *st, void *arg)
{
    struct unit_visit *v = arg;
    struct store_unit u;
    unit_from_row(s, st, &u);
    return v->fn(v->arg, &u);
}

int store_unit_each(struct store *s, int (*fn)(void *arg, const struct store_unit *u), void *arg,
                    struct err *e)
{
    struct unit_visit v = {fn, arg};
    return store__query(s, &q_unit_all, e, row_unit_visit, &v, "");
}

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
