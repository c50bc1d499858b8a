/* store_case.c - cases (projection rows) and their append-only event log. */
#include <math.h>
#include <string.h>
#include "store/store_int.h"
#include "store_case.h"

#define CASE_COLS                                                                                  \
    "id, created_at, updated_at, channel, nature, category, priority, title, description, "        \
    "address, lat, lon, grid, reporter_id, reporter_name, reporter_phone, state, lead_unit, "      \
    "co_units, master_id, verifier_id, due_at, warn_at, close_due, paused_at, closed_at, "         \
    "supervise_count, return_count, rework_count, extension_count, visit_resolved, "               \
    "visit_satisfaction, last_seq, source_ref, grid_status"

STORE_Q(
    q_case_insert,
    "INSERT INTO cases(created_at, updated_at, channel, nature, category, priority, title, "
    "description, address, lat, lon, grid, reporter_id, reporter_name, reporter_phone, state, "
    "lead_unit, co_units, master_id, verifier_id, due_at, warn_at, close_due, paused_at, "
    "closed_at, supervise_count, return_count, rework_count, extension_count, visit_resolved, "
    "visit_satisfaction, last_seq, source_ref, grid_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
STORE_Q(q_case_update,
        "UPDATE cases SET updated_at = ?, grid = ?, state = ?, lead_unit = ?, co_units = ?, "
        "master_id = ?, verifier_id = ?, due_at = ?, warn_at = ?, close_due = ?, paused_at = ?, "
        "closed_at = ?, supervise_count = ?, return_count = ?, rework_count = ?, "
        "extension_count = ?, visit_resolved = ?, visit_satisfaction = ?, last_seq = ?, "
        "priority = ?, category = ? WHERE id = ? AND last_seq = ?");
STORE_Q(q_case_get, "SELECT " CASE_COLS " FROM cases WHERE id = ?");
/* The filters of a case list (see store_case_filter); ?13..?16 is the box. */
#define CASE_LIST_WHERE                                                                            \
    "(?1 IS NULL OR c.state = ?1) "                                                                \
    "AND (?2 IS NULL OR c.category = ?2) "                                                         \
    "AND (?3 IS NULL OR c.id IN (SELECT case_id FROM case_units WHERE unit_id = ?3) "              \
    "     OR c.grid IN (SELECT grid FROM grid_members WHERE user_id = ?18)) "                      \
    "AND (?4 IS NULL OR c.reporter_id = ?4 OR c.id IN "                                            \
    "     (SELECT case_id FROM case_followers WHERE user_id = ?4)) "                               \
    "AND (?5 IS NULL OR c.grid = ?5 OR c.verifier_id = ?6 OR c.reporter_id = ?6 OR c.grid IN "     \
    "(SELECT grid FROM grid_members WHERE user_id = ?18)) "                                        \
    "AND (?7 IS NULL OR (c.due_at < ?7 AND c.paused_at IS NULL)) "                                 \
    "AND (?8 IS NULL OR (c.warn_at <= ?8 AND c.due_at > ?8 AND c.paused_at IS NULL)) "             \
    "AND (?11 IS NULL OR c.grid = ?11) "                                                           \
    "AND (?12 IS NULL OR substr(c.grid, 1, 12) = ?12) "                                            \
    "AND (?17 IS NULL OR c.grid_status = ?17) "                                                    \
    "AND (?19 IS NULL OR c.created_at >= ?19) AND (?20 IS NULL OR c.created_at <= ?20) "           \
    "AND c.id < ?9 "
/* Lists without a box, newest first. */
STORE_Q(q_case_list, "SELECT " CASE_COLS " FROM cases c WHERE " CASE_LIST_WHERE
                     "AND (?13 IS NULL OR ?14 IS NULL OR ?15 IS NULL OR ?16 IS NULL) "
                     "ORDER BY c.id DESC LIMIT ?10");
/* Lists inside a box: written so that the planner can use cases_position. */
STORE_Q(q_case_list_box,
        "SELECT " CASE_COLS " FROM cases c WHERE c.lat BETWEEN ?14 AND ?16 "
        "AND c.lon BETWEEN ?13 AND ?15 AND " CASE_LIST_WHERE "ORDER BY c.id DESC LIMIT ?10");
STORE_Q(q_case_ids, "SELECT id FROM cases ORDER BY id");
STORE_Q(q_case_located, "SELECT id, lon, lat, grid, grid_status FROM cases "
                        "WHERE lat IS NOT NULL ORDER BY id");
STORE_Q(q_case_set_grid, "UPDATE cases SET grid = ?, grid_status = ? WHERE id = ?");

#define EVENT_COLS                                                                                 \
    "id, case_id, seq, at, actor_id, actor_role, actor_unit, action, from_state, to_state, note, " \
    "unit_id, units, ref_id, amount, flag, attachments, due_at, warn_at, close_due, intake"
STORE_Q(q_event_insert,
        "INSERT INTO case_events(case_id, seq, at, actor_id, actor_role, actor_unit, action, "
        "from_state, to_state, note, unit_id, units, ref_id, amount, flag, attachments, due_at, "
        "warn_at, close_due, intake) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)");
STORE_Q(q_event_list, "SELECT " EVENT_COLS " FROM case_events WHERE case_id = ? ORDER BY seq");

STORE_Q(q_units_clear, "DELETE FROM case_units WHERE case_id = ? AND kind = ?");
STORE_Q(q_units_add, "INSERT OR IGNORE INTO case_units(case_id, unit_id, kind) VALUES (?, ?, ?)");
STORE_Q(q_units_has, "SELECT 1 FROM case_units WHERE case_id = ? AND unit_id = ? LIMIT 1");
STORE_Q(q_follow, "INSERT OR IGNORE INTO case_followers(case_id, user_id) VALUES (?, ?)");
STORE_Q(q_follow_all, "INSERT OR IGNORE INTO case_followers(case_id, user_id) "
                      "SELECT ?2, reporter_id FROM cases WHERE id = ?1 AND reporter_id IS NOT NULL "
                      "UNION SELECT ?2, user_id FROM case_followers WHERE case_id = ?1");
STORE_Q(q_is_follower, "SELECT 1 FROM cases WHERE id = ?1 AND reporter_id = ?2 UNION ALL "
                       "SELECT 1 FROM case_followers WHERE case_id = ?1 AND user_id = ?2 LIMIT 1");

static int64_t conn_last_id(struct store *s)
{
    return s->drv->last_id(store__tconn(s, NULL)->conn);
}

static int event_insert(struct store *s, struct store_event *ev, struct err *e)
{
    int rc =
        store__run(s, &q_event_insert, e, "iiiisissssisiiisiiis", ev->case_id, (int64_t)ev->seq,
                   ev->at, ev->actor_id, ev->actor_role, ev->actor_unit, ev->action, ev->from_state,
                   ev->to_state, ev->note ? ev->note : "", ev->unit_id, ev->units, ev->ref_id,
                   ev->amount, (int64_t)ev->flag, ev->attachments ? ev->attachments : "",
                   ev->due_at, ev->warn_at, ev->close_due, ev->intake ? ev->intake : "");
    if (rc == 0)
        ev->id = conn_last_id(s);
    store__touch_case(s, ev->case_id); /* with the case row written just before */
    return rc;
}

/* Binds a double or NULL. */
static int bind_pos(struct store *s, struct store_stmt *st, int i, int has, double v)
{
    return has ? s->drv->bind_double(st, i, v) : s->drv->bind_null(st, i);
}

int store_case_insert(struct store *s, struct store_case *c, struct store_event *ev, struct err *e)
{
    struct store_stmt *st = store__stmt(s, &q_case_insert, e);
    if (st == NULL)
        return ERR_STORE;
    int rc = store__bind(s, st, "iisssssss", c->created_at, c->updated_at, c->channel, c->nature,
                         c->category, c->priority, c->title ? c->title : "",
                         c->description ? c->description : "", c->address ? c->address : "");
    rc = rc ? rc : bind_pos(s, st, 10, c->has_pos, c->lat);
    rc = rc ? rc : bind_pos(s, st, 11, c->has_pos, c->lon);
    if (rc)
        return err_set(e, ERR_STORE, NULL, "database: cannot bind case");
    /* Columns 12.. are bound one by one through the driver. */
    const struct store_driver *d = s->drv;
    d->bind_text(st, 12, c->grid);
    c->reporter_id ? d->bind_i64(st, 13, c->reporter_id) : d->bind_null(st, 13);
    d->bind_text(st, 14, c->reporter_name);
    d->bind_text(st, 15, c->reporter_phone);
    d->bind_text(st, 16, c->state);
    c->lead_unit ? d->bind_i64(st, 17, c->lead_unit) : d->bind_null(st, 17);
    d->bind_text(st, 18, c->co_units);
    int64_t opt[] = {c->master_id, c->verifier_id, c->due_at,   c->warn_at,
                     c->close_due, c->paused_at,   c->closed_at};
    for (int i = 0; i < 7; i++)
        opt[i] ? d->bind_i64(st, 19 + i, opt[i]) : d->bind_null(st, 19 + i);
    int64_t num[] = {c->supervise_count, c->return_count,       c->rework_count, c->extension_count,
                     c->visit_resolved,  c->visit_satisfaction, c->last_seq};
    for (int i = 0; i < 7; i++)
        d->bind_i64(st, 26 + i, num[i]);
    d->bind_text(st, 33, c->source_ref);
    d->bind_text(st, 34, c->grid_status);
    rc = d->step(st, e);
    d->reset(st);
    if (rc < 0)
        return rc;
    c->id = conn_last_id(s);
    ev->case_id = c->id;
    return event_insert(s, ev, e);
}

int store_case_append(struct store *s, struct store_case *c, struct store_event *ev, struct err *e)
{
    struct store_stmt *st = store__stmt(s, &q_case_update, e);
    if (st == NULL)
        return ERR_STORE;
    const struct store_driver *d = s->drv;
    d->bind_i64(st, 1, c->updated_at);
    d->bind_text(st, 2, c->grid);
    d->bind_text(st, 3, c->state);
    c->lead_unit ? d->bind_i64(st, 4, c->lead_unit) : d->bind_null(st, 4);
    d->bind_text(st, 5, c->co_units);
    int64_t opt[] = {c->master_id, c->verifier_id, c->due_at,   c->warn_at,
                     c->close_due, c->paused_at,   c->closed_at};
    for (int i = 0; i < 7; i++)
        opt[i] ? d->bind_i64(st, 6 + i, opt[i]) : d->bind_null(st, 6 + i);
    int64_t num[] = {c->supervise_count, c->return_count,       c->rework_count, c->extension_count,
                     c->visit_resolved,  c->visit_satisfaction, c->last_seq};
    for (int i = 0; i < 7; i++)
        d->bind_i64(st, 13 + i, num[i]);
    d->bind_text(st, 20, c->priority);
    d->bind_text(st, 21, c->category);
    d->bind_i64(st, 22, c->id);
    d->bind_i64(st, 23, c->last_seq - 1);
    int rc = d->step(st, e);
    d->reset(st);
    if (rc < 0)
        return rc;
    if (d->changes(store__tconn(s, e)->conn) != 1)
        return err_set(e, ERR_CONFLICT, NULL, "case %lld was changed concurrently; try again",
                       (long long)c->id);
    ev->case_id = c->id;
    ev->seq = c->last_seq;
    return event_insert(s, ev, e);
}

/* Nullable integer column: 0 for NULL. */
static int64_t col_i64z(struct store *s, struct store_stmt *st, int i)
{
    return s->drv->col_is_null(st, i) ? 0 : s->drv->col_i64(st, i);
}

static void case_from_row(struct store *s, struct store_stmt *st, struct arena *a,
                          struct store_case *c)
{
    memset(c, 0, sizeof *c);
    c->id = COL_I64(s, st, 0);
    c->created_at = COL_I64(s, st, 1);
    c->updated_at = COL_I64(s, st, 2);
    COL_COPY(s, st, 3, c->channel);
    COL_COPY(s, st, 4, c->nature);
    COL_COPY(s, st, 5, c->category);
    COL_COPY(s, st, 6, c->priority);
    c->title = store__col_dup(s, st, 7, a);
    c->description = store__col_dup(s, st, 8, a);
    c->address = store__col_dup(s, st, 9, a);
    c->has_pos = !s->drv->col_is_null(st, 10);
    c->lat = s->drv->col_double(st, 10);
    c->lon = s->drv->col_double(st, 11);
    COL_COPY(s, st, 12, c->grid);
    c->reporter_id = col_i64z(s, st, 13);
    COL_COPY(s, st, 14, c->reporter_name);
    COL_COPY(s, st, 15, c->reporter_phone);
    COL_COPY(s, st, 16, c->state);
    c->lead_unit = col_i64z(s, st, 17);
    COL_COPY(s, st, 18, c->co_units);
    c->master_id = col_i64z(s, st, 19);
    c->verifier_id = col_i64z(s, st, 20);
    c->due_at = col_i64z(s, st, 21);
    c->warn_at = col_i64z(s, st, 22);
    c->close_due = col_i64z(s, st, 23);
    c->paused_at = col_i64z(s, st, 24);
    c->closed_at = col_i64z(s, st, 25);
    c->supervise_count = (int)COL_I64(s, st, 26);
    c->return_count = (int)COL_I64(s, st, 27);
    c->rework_count = (int)COL_I64(s, st, 28);
    c->extension_count = (int)COL_I64(s, st, 29);
    c->visit_resolved = (int)COL_I64(s, st, 30);
    c->visit_satisfaction = (int)COL_I64(s, st, 31);
    c->last_seq = (int)COL_I64(s, st, 32);
    COL_COPY(s, st, 33, c->source_ref);
    COL_COPY(s, st, 34, c->grid_status);
}

struct case_rows {
    struct arena *a;      /* where strings and the array live */
    struct store_case *v; /* rows */
    int n, cap;           /* used and allocated */
};

static int row_case(struct store *s, struct store_stmt *st, void *arg)
{
    struct case_rows *r = arg;
    case_from_row(s, st, r->a, store__push(r->a, (void **)&r->v, &r->n, &r->cap, sizeof *r->v));
    return 0;
}

int store_case_get(struct store *s, int64_t id, struct arena *a, struct store_case *out,
                   struct err *e)
{
    struct case_rows r = {.a = a};
    int rc = store__query(s, &q_case_get, e, row_case, &r, "i", id);
    if (rc)
        return rc;
    if (r.n == 0)
        return err_set(e, ERR_NOTFOUND, "id", "no case %lld", (long long)id);
    *out = r.v[0];
    return 0;
}

int store_case_list(struct store *s, const struct store_case_filter *f, struct arena *a,
                    struct store_case **out, int *n, struct err *e)
{
    struct case_rows r = {.a = a};
    int64_t before = f->before_id > 0 ? f->before_id : INT64_MAX;
    int64_t limit = f->limit > 0 && f->limit <= 1000 ? f->limit : 50;
    double none = NAN;
    int rc = store__query(s, f->has_bbox ? &q_case_list_box : &q_case_list, e, row_case, &r,
                          "ttIItiIIiittNNNNtIII", f->state, f->category, f->unit_id, f->user_id,
                          f->grid, f->verifier_id, f->overdue ? f->now : 0, f->at_risk ? f->now : 0,
                          before, limit, f->in_grid, f->in_community, f->has_bbox ? f->minx : none,
                          f->has_bbox ? f->miny : none, f->has_bbox ? f->maxx : none,
                          f->has_bbox ? f->maxy : none, f->grid_status, f->team_user,
                          f->created_from, f->created_to);
    *out = r.v;
    *n = r.n;
    return rc;
}

struct id_visit {
    int (*fn)(void *arg, int64_t id);
    void *arg;
};

static int row_id(struct store *s, struct store_stmt *st, void *arg)
{
    struct id_visit *v = arg;
    return v->fn(v->arg, COL_I64(s, st, 0));
}

int store_case_each_id(struct store *s, int (*fn)(void *arg, int64_t id), void *arg, struct err *e)
{
    struct id_visit v = {fn, arg};
    return store__query(s, &q_case_ids, e, row_id, &v, "");
}

struct event_rows {
    struct arena *a;       /* where strings and the array live */
    struct store_event *v; /* rows */
    int n, cap;            /* used and allocated */
};

static int row_event(struct store *s, struct store_stmt *st, void *arg)
{
    struct event_rows *r = arg;
    struct store_event *ev = store__push(r->a, (void **)&r->v, &r->n, &r->cap, sizeof *r->v);
    ev->id = COL_I64(s, st, 0);
    ev->case_id = COL_I64(s, st, 1);
    ev->seq = (int)COL_I64(s, st, 2);
    ev->at = COL_I64(s, st, 3);
    ev->actor_id = COL_I64(s, st, 4);
    COL_COPY(s, st, 5, ev->actor_role);
    ev->actor_unit = COL_I64(s, st, 6);
    COL_COPY(s, st, 7, ev->action);
    COL_COPY(s, st, 8, ev->from_state);
    COL_COPY(s, st, 9, ev->to_state);
    ev->note = store__col_dup(s, st, 10, r->a);
    ev->unit_id = COL_I64(s, st, 11);
    COL_COPY(s, st, 12, ev->units);
    ev->ref_id = COL_I64(s, st, 13);
    ev->amount = COL_I64(s, st, 14);
    ev->flag = (int)COL_I64(s, st, 15);
    ev->attachments = store__col_dup(s, st, 16, r->a);
    ev->due_at = COL_I64(s, st, 17);
    ev->warn_at = COL_I64(s, st, 18);
    ev->close_due = COL_I64(s, st, 19);
    ev->intake = store__col_dup(s, st, 20, r->a);
    return 0;
}

int store_case_events(struct store *s, int64_t id, struct arena *a, struct store_event **out,
                      int *n, struct err *e)
{
    struct event_rows r = {.a = a};
    int rc = store__query(s, &q_event_list, e, row_event, &r, "i", id);
    *out = r.v;
    *n = r.n;
    return rc;
}

int store_case_units_set(struct store *s, int64_t case_id, const char *kind, const int64_t *ids,
                         int n, struct err *e)
{
    int rc = store__run(s, &q_units_clear, e, "is", case_id, kind);
    for (int i = 0; i < n && rc == 0; i++)
        rc = store__run(s, &q_units_add, e, "iis", case_id, ids[i], kind);
    return rc;
}

/* Row callback that records that a row exists. */
static int row_exists(struct store *s, struct store_stmt *st, void *arg)
{
    (void)s;
    (void)st;
    *(int *)arg = 1;
    return 1;
}

int store_case_has_unit(struct store *s, int64_t case_id, int64_t unit_id, struct err *e)
{
    int found = 0;
    int rc = store__query(s, &q_units_has, e, row_exists, &found, "ii", case_id, unit_id);
    return rc ? rc : found;
}

int store_case_follow(struct store *s, int64_t case_id, int64_t user_id, struct err *e)
{
    return store__run(s, &q_follow, e, "ii", case_id, user_id);
}

int store_case_follow_all(struct store *s, int64_t from, int64_t to, struct err *e)
{
    return store__run(s, &q_follow_all, e, "ii", from, to);
}

int store_case_is_follower(struct store *s, int64_t case_id, int64_t user_id, struct err *e)
{
    int found = 0;
    int rc = store__query(s, &q_is_follower, e, row_exists, &found, "ii", case_id, user_id);
    return rc ? rc : found;
}

struct located_visit {
    int (*fn)(void *arg, int64_t id, double lon, double lat, const char *grid,
              const char *grid_status);
    void *arg;
};

static int row_located(struct store *s, struct store_stmt *st, void *arg)
{
    struct located_visit *v = arg;
    return v->fn(v->arg, COL_I64(s, st, 0), s->drv->col_double(st, 1), s->drv->col_double(st, 2),
                 COL_TEXT(s, st, 3), COL_TEXT(s, st, 4));
}

int store_case_each_located(struct store *s,
                            int (*fn)(void *arg, int64_t id, double lon, double lat,
                                      const char *grid, const char *grid_status),
                            void *arg, struct err *e)
{
    struct located_visit v = {fn, arg};
    return store__query(s, &q_case_located, e, row_located, &v, "");
}

int store_case_set_grid(struct store *s, int64_t id, const char *grid, const char *grid_status,
                        struct err *e)
{
    int rc = store__run(s, &q_case_set_grid, e, "ssi", grid, grid_status, id);
    store__touch_case(s, id);
    return rc;
}
