/* store_unit.c - units (departments, alliance units, ...). */
#include <string.h>
#include "store/store_int.h"
#include "store_unit.h"

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
    if (rc == ERR_CONFLICT) { /* a constraint: the code taken, or another rule of the row */
        struct store_unit other;
        struct err e2 = {0};
        if (store_unit_by_code(s, u->code, &other, &e2) == 0)
            return err_set(e, ERR_CONFLICT, "code", "unit code '%s' is taken", u->code);
        return err_set(e, ERR_INVALID, NULL, "the unit breaks a rule of the store: %s", local.msg);
    }
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
