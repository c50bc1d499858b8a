/* store_place.c - the place tree, name history and grid teams. */
#include <math.h>
#include <string.h>
#include "store/store_int.h"
#include "store_place.h"

#define PLACE_COLS "code, kind, parent, name, geometry, minx, miny, maxx, maxy, area_m2, updated_at"
#define PLACE_COLS_NOGEOM                                                                          \
    "code, kind, parent, name, '', minx, miny, maxx, maxy, area_m2, updated_at"
STORE_Q(q_place_put, "INSERT INTO places(" PLACE_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                     "ON CONFLICT(code) DO UPDATE SET kind = excluded.kind, "
                     "parent = excluded.parent, name = excluded.name, "
                     "geometry = excluded.geometry, minx = excluded.minx, miny = excluded.miny, "
                     "maxx = excluded.maxx, maxy = excluded.maxy, area_m2 = excluded.area_m2, "
                     "updated_at = excluded.updated_at");
STORE_Q(q_place_get, "SELECT " PLACE_COLS " FROM places WHERE code = ?");
STORE_Q(q_place_each, "SELECT " PLACE_COLS " FROM places WHERE (?1 IS NULL OR kind = ?1) "
                      "AND (?2 IS NULL OR parent = ?2) ORDER BY code");
STORE_Q(q_place_each_nogeom, "SELECT " PLACE_COLS_NOGEOM " FROM places WHERE "
                             "(?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR parent = ?2) "
                             "ORDER BY code");
STORE_Q(q_place_clear, "DELETE FROM places");
STORE_Q(q_name_current, "SELECT name FROM place_names WHERE code = ? AND valid_to = 0");
STORE_Q(q_name_close, "UPDATE place_names SET valid_to = ? WHERE code = ? AND valid_to = 0");
STORE_Q(q_name_open, "INSERT OR REPLACE INTO place_names(code, name, valid_from, valid_to) "
                     "VALUES (?, ?, ?, 0)");
STORE_Q(q_name_list, "SELECT name, valid_from, valid_to FROM place_names WHERE code = ? "
                     "ORDER BY valid_from");
STORE_Q(q_member_add, "INSERT OR IGNORE INTO grid_members(grid, user_id, role) VALUES (?, ?, ?)");
STORE_Q(q_member_del, "DELETE FROM grid_members WHERE grid = ? AND user_id = ? AND role = ?");
STORE_Q(q_member_is, "SELECT 1 FROM grid_members WHERE grid = ? AND user_id = ? LIMIT 1");
STORE_Q(q_member_list, "SELECT user_id, role FROM grid_members WHERE grid = ? "
                       "ORDER BY role, user_id");

struct name_cur {
    char name[sizeof((struct store_place *)0)->name]; /* the current recorded name, whole */
    int found;                                        /* 1 if there is one */
};

static int row_name_cur(struct store *s, struct store_stmt *st, void *arg)
{
    struct name_cur *n = arg;
    COL_COPY(s, st, 0, n->name);
    n->found = 1;
    return 1;
}

/* Keeps the name history: a new or changed name closes the old one. */
static int record_name(struct store *s, const struct store_place *p, struct err *e)
{
    struct name_cur cur = {.found = 0};
    int rc = store__query(s, &q_name_current, e, row_name_cur, &cur, "s", p->code);
    if (rc || (cur.found && strcmp(cur.name, p->name) == 0))
        return rc;
    if (cur.found && (rc = store__run(s, &q_name_close, e, "is", p->updated_at, p->code)))
        return rc;
    return store__run(s, &q_name_open, e, "ssi", p->code, p->name, p->updated_at);
}

static int job_place_put(struct store *s, void *arg, struct err *e)
{
    const struct store_place *p = arg;
    int has = p->geometry && *p->geometry;
    double none = NAN;
    int rc = store__run(s, &q_place_put, e, "sssssNNNNdi", p->code, p->kind, p->parent, p->name,
                        has ? p->geometry : "", has ? p->minx : none, has ? p->miny : none,
                        has ? p->maxx : none, has ? p->maxy : none, p->area_m2, p->updated_at);
    return rc ? rc : record_name(s, p, e);
}

int store_place_put(struct store *s, const struct store_place *p, struct err *e)
{
    return store_write(s, job_place_put, (void *)p, e);
}

struct place_rows {
    struct arena *a;                                   /* geometry copies (NULL: not kept) */
    struct store_place one;                            /* the row read (get) */
    int found;                                         /* 1 once a row was read */
    int (*fn)(void *arg, const struct store_place *p); /* visitor (each) */
    void *arg;                                         /* its argument */
};

static void place_from_row(struct store *s, struct store_stmt *st, struct store_place *p,
                           struct arena *a)
{
    COL_COPY(s, st, 0, p->code);
    COL_COPY(s, st, 1, p->kind);
    COL_COPY(s, st, 2, p->parent);
    COL_COPY(s, st, 3, p->name);
    p->geometry = a ? store__col_dup(s, st, 4, a) : (char *)COL_TEXT(s, st, 4);
    p->minx = s->drv->col_double(st, 5);
    p->miny = s->drv->col_double(st, 6);
    p->maxx = s->drv->col_double(st, 7);
    p->maxy = s->drv->col_double(st, 8);
    p->area_m2 = s->drv->col_double(st, 9);
    p->updated_at = COL_I64(s, st, 10);
}

static int row_place_get(struct store *s, struct store_stmt *st, void *arg)
{
    struct place_rows *r = arg;
    place_from_row(s, st, &r->one, r->a);
    r->found = 1;
    return 1;
}

int store_place_get(struct store *s, const char *code, struct arena *a, struct store_place *out,
                    struct err *e)
{
    struct place_rows r = {.a = a};
    int rc = store__query(s, &q_place_get, e, row_place_get, &r, "s", code);
    if (rc)
        return rc;
    if (!r.found)
        return err_set(e, ERR_NOTFOUND, "code", "no place with code '%s'", code);
    *out = r.one;
    return 0;
}

/* Visits rows; the geometry text is only valid during the callback. */
static int row_place_each(struct store *s, struct store_stmt *st, void *arg)
{
    struct place_rows *r = arg;
    struct store_place p;
    place_from_row(s, st, &p, NULL);
    return r->fn(r->arg, &p);
}

int store_place_each(struct store *s, const char *kind, const char *parent, int with_geometry,
                     int (*fn)(void *arg, const struct store_place *p), void *arg, struct err *e)
{
    struct place_rows r = {.fn = fn, .arg = arg};
    return store__query(s, with_geometry ? &q_place_each : &q_place_each_nogeom, e, row_place_each,
                        &r, "ss", kind, parent);
}

static int job_place_clear(struct store *s, void *arg, struct err *e)
{
    (void)arg;
    return store__run(s, &q_place_clear, e, "");
}

int store_place_clear(struct store *s, struct err *e)
{
    return store_write(s, job_place_clear, NULL, e);
}

struct name_visit {
    int (*fn)(void *arg, const char *name, int64_t from, int64_t to);
    void *arg;
};

static int row_name(struct store *s, struct store_stmt *st, void *arg)
{
    struct name_visit *v = arg;
    return v->fn(v->arg, COL_TEXT(s, st, 0), COL_I64(s, st, 1), COL_I64(s, st, 2));
}

int store_place_names(struct store *s, const char *code,
                      int (*fn)(void *arg, const char *name, int64_t from, int64_t to), void *arg,
                      struct err *e)
{
    struct name_visit v = {fn, arg};
    return store__query(s, &q_name_list, e, row_name, &v, "s", code);
}

struct member_job {
    const char *grid; /* grid code */
    int64_t user_id;  /* member */
    const char *role; /* 1+5+X role */
    int add;          /* 1 add, 0 remove */
};

static int job_member(struct store *s, void *arg, struct err *e)
{
    struct member_job *m = arg;
    return store__run(s, m->add ? &q_member_add : &q_member_del, e, "sis", m->grid, m->user_id,
                      m->role);
}

int store_grid_member_add(struct store *s, const char *grid, int64_t user_id, const char *role,
                          struct err *e)
{
    struct member_job m = {grid, user_id, role, 1};
    return store_write(s, job_member, &m, e);
}

int store_grid_member_remove(struct store *s, const char *grid, int64_t user_id, const char *role,
                             struct err *e)
{
    struct member_job m = {grid, user_id, role, 0};
    return store_write(s, job_member, &m, e);
}

struct member_visit {
    int (*fn)(void *arg, int64_t user_id, const char *role);
    void *arg;
};

static int row_member(struct store *s, struct store_stmt *st, void *arg)
{
    struct member_visit *v = arg;
    return v->fn(v->arg, COL_I64(s, st, 0), COL_TEXT(s, st, 1));
}

int store_grid_members(struct store *s, const char *grid,
                       int (*fn)(void *arg, int64_t user_id, const char *role), void *arg,
                       struct err *e)
{
    struct member_visit v = {fn, arg};
    return store__query(s, &q_member_list, e, row_member, &v, "s", grid);
}

static int row_one(struct store *s, struct store_stmt *st, void *arg)
{
    (void)s;
    (void)st;
    *(int *)arg = 1;
    return 1;
}

int store_grid_is_member(struct store *s, const char *grid, int64_t user_id, struct err *e)
{
    int found = 0;
    int rc = store__query(s, &q_member_is, e, row_one, &found, "si", grid, user_id);
    return rc ? rc : found;
}
