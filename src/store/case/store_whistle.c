/* store_whistle.c - whistles (吹哨) and the units they summon (报到). */
#include <string.h>
#include "store/store_int.h"
#include "store_case.h"

#define WHISTLE_COLS "id, case_id, type, blown_at, blown_by, limit_min, note"
STORE_Q(q_wh_insert, "INSERT INTO whistles(case_id, type, blown_at, blown_by, limit_min, note) "
                     "VALUES (?, ?, ?, ?, ?, ?)");
STORE_Q(q_wh_unit_insert, "INSERT INTO whistle_units(whistle_id, unit_id) VALUES (?, ?)");
STORE_Q(q_wh_get, "SELECT " WHISTLE_COLS " FROM whistles WHERE id = ?");
STORE_Q(q_wh_by_case, "SELECT " WHISTLE_COLS " FROM whistles WHERE case_id = ? ORDER BY id");
STORE_Q(q_wh_all, "SELECT " WHISTLE_COLS " FROM whistles ORDER BY id DESC LIMIT ?");
STORE_Q(q_wh_units, "SELECT whistle_id, unit_id, reported_at, reported_by, report_note, score, "
                    "comment, rated_at, rated_by FROM whistle_units WHERE whistle_id = ? "
                    "ORDER BY unit_id");
STORE_Q(q_wh_unit_update, "UPDATE whistle_units SET reported_at = ?, reported_by = ?, "
                          "report_note = ?, score = ?, comment = ?, rated_at = ?, rated_by = ? "
                          "WHERE whistle_id = ? AND unit_id = ?");

int store_whistle_insert(struct store *s, struct store_whistle *w, const int64_t *units, int n,
                         struct err *e)
{
    int rc = store__run(s, &q_wh_insert, e, "isiiis", w->case_id, w->type, w->blown_at, w->blown_by,
                        (int64_t)w->limit_min, w->note ? w->note : "");
    if (rc)
        return rc;
    w->id = s->drv->last_id(store__tconn(s, e)->conn);
    for (int i = 0; i < n && rc == 0; i++)
        rc = store__run(s, &q_wh_unit_insert, e, "ii", w->id, units[i]);
    return rc;
}

struct wh_rows {
    struct arena *a;         /* where strings and the array live */
    struct store_whistle *v; /* rows */
    int n, cap;              /* used and allocated */
};

static int row_whistle(struct store *s, struct store_stmt *st, void *arg)
{
    struct wh_rows *r = arg;
    struct store_whistle *w = store__push(r->a, (void **)&r->v, &r->n, &r->cap, sizeof *r->v);
    w->id = COL_I64(s, st, 0);
    w->case_id = COL_I64(s, st, 1);
    COL_COPY(s, st, 2, w->type);
    w->blown_at = COL_I64(s, st, 3);
    w->blown_by = COL_I64(s, st, 4);
    w->limit_min = (int)COL_I64(s, st, 5);
    w->note = store__col_dup(s, st, 6, r->a);
    return 0;
}

int store_whistle_get(struct store *s, int64_t id, struct arena *a, struct store_whistle *out,
                      struct err *e)
{
    struct wh_rows r = {.a = a};
    int rc = store__query(s, &q_wh_get, e, row_whistle, &r, "i", id);
    if (rc)
        return rc;
    if (r.n == 0)
        return err_set(e, ERR_NOTFOUND, "whistle", "no whistle %lld", (long long)id);
    *out = r.v[0];
    return 0;
}

int store_whistle_list(struct store *s, int64_t case_id, int limit, struct arena *a,
                       struct store_whistle **out, int *n, struct err *e)
{
    struct wh_rows r = {.a = a};
    int rc = case_id > 0 ? store__query(s, &q_wh_by_case, e, row_whistle, &r, "i", case_id)
                         : store__query(s, &q_wh_all, e, row_whistle, &r, "i",
                                        (int64_t)(limit > 0 ? limit : 100));
    *out = r.v;
    *n = r.n;
    return rc;
}

struct whu_rows {
    struct arena *a;              /* where strings and the array live */
    struct store_whistle_unit *v; /* rows */
    int n, cap;                   /* used and allocated */
};

static int row_whistle_unit(struct store *s, struct store_stmt *st, void *arg)
{
    struct whu_rows *r = arg;
    struct store_whistle_unit *u = store__push(r->a, (void **)&r->v, &r->n, &r->cap, sizeof *r->v);
    u->whistle_id = COL_I64(s, st, 0);
    u->unit_id = COL_I64(s, st, 1);
    u->reported_at = COL_I64(s, st, 2);
    u->reported_by = COL_I64(s, st, 3);
    u->report_note = store__col_dup(s, st, 4, r->a);
    u->score = (int)COL_I64(s, st, 5);
    u->comment = store__col_dup(s, st, 6, r->a);
    u->rated_at = COL_I64(s, st, 7);
    u->rated_by = COL_I64(s, st, 8);
    return 0;
}

int store_whistle_units(struct store *s, int64_t whistle_id, struct arena *a,
                        struct store_whistle_unit **out, int *n, struct err *e)
{
    struct whu_rows r = {.a = a};
    int rc = store__query(s, &q_wh_units, e, row_whistle_unit, &r, "i", whistle_id);
    *out = r.v;
    *n = r.n;
    return rc;
}

int store_whistle_unit_update(struct store *s, const struct store_whistle_unit *u, struct err *e)
{
    return store__run(s, &q_wh_unit_update, e, "iisisiiii", u->reported_at, u->reported_by,
                      u->report_note ? u->report_note : "", (int64_t)u->score,
                      u->comment ? u->comment : "", u->rated_at, u->rated_by, u->whistle_id,
                      u->unit_id);
}

STORE_Q(q_wh_summons, "SELECT count(*), coalesce(sum(u.reported_at = 0), 0) "
                      "FROM whistles w JOIN whistle_units u ON u.whistle_id = w.id "
                      "WHERE w.case_id = ?1 AND (?2 = 0 OR u.unit_id = ?2)");

struct summons {
    int64_t units, awaiting;
};

static int row_summons(struct store *s, struct store_stmt *st, void *arg)
{
    struct summons *x = arg;
    x->units = COL_I64(s, st, 0);
    x->awaiting = COL_I64(s, st, 1);
    return 1;
}

int store_whistle_summons(struct store *s, int64_t case_id, int64_t unit_id, int64_t *units,
                          int64_t *awaiting, struct err *e)
{
    struct summons x = {0, 0};
    int rc = store__query(s, &q_wh_summons, e, row_summons, &x, "ii", case_id, unit_id);
    *units = x.units;
    *awaiting = x.awaiting;
    return rc;
}
