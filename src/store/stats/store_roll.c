/* store_roll.c - the statistics roll-ups (006_stats_roll.sql): their cursor,
 * the events that feed them, upserts of deltas and the sums read back. What
 * the numbers mean is domain/stats_roll.c's business. */
#include <string.h>
#include "store/store_int.h"
#include "store_stats.h"

#define ROLL_VS                                                                                    \
    "v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15, v16, v17, v18, v19, "   \
    "v20, v21, v22, v23, v24, v25, v26, v27, v28, v29, v30, v31"

STORE_Q(
    q_roll_add,
    "INSERT INTO stats_roll (lvl, rday, cday, grid, " ROLL_VS ") VALUES (?36, ?1, ?2, ?3, "
    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, "
    "?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35) ON CONFLICT (lvl, rday, cday, "
    "grid) DO "
    "UPDATE SET "
    "v0 = v0 + excluded.v0, v1 = v1 + excluded.v1, v2 = v2 + excluded.v2, v3 = v3 + excluded.v3, "
    "v4 = v4 + excluded.v4, v5 = v5 + excluded.v5, v6 = v6 + excluded.v6, v7 = v7 + excluded.v7, "
    "v8 = v8 + excluded.v8, v9 = v9 + excluded.v9, v10 = v10 + excluded.v10, v11 = v11 + "
    "excluded.v11, v12 = v12 + excluded.v12, v13 = v13 + excluded.v13, v14 = v14 + excluded.v14, "
    "v15 = v15 + excluded.v15, v16 = v16 + excluded.v16, v17 = v17 + excluded.v17, v18 = v18 + "
    "excluded.v18, v19 = v19 + excluded.v19, v20 = v20 + excluded.v20, v21 = v21 + excluded.v21, "
    "v22 = v22 + excluded.v22, v23 = v23 + excluded.v23, v24 = v24 + excluded.v24, v25 = v25 + "
    "excluded.v25, v26 = v26 + excluded.v26, v27 = v27 + excluded.v27, v28 = v28 + excluded.v28, "
    "v29 = v29 + excluded.v29, v30 = v30 + excluded.v30, v31 = v31 + excluded.v31");

int store_roll_add(struct store *s, int lvl, int64_t rday, int64_t cday, const char *grid,
                   const int64_t *v, struct err *e)
{
    struct store_stmt *st = store__stmt(s, &q_roll_add, e);
    if (st == NULL)
        return e ? e->code : ERR_STORE;
    s->drv->bind_i64(st, 36, lvl);
    s->drv->bind_i64(st, 1, rday);
    s->drv->bind_i64(st, 2, cday);
    s->drv->bind_text(st, 3, grid);
    for (int i = 0; i < STORE_ROLL_NV; i++)
        s->drv->bind_i64(st, 4 + i, v[i]);
    int rc = s->drv->step(st, e);
    s->drv->reset(st);
    return rc < 0 ? rc : 0;
}

STORE_Q(
    q_roll_intake,
    "INSERT INTO stats_intake (lvl, rday, grid, channel, nature, n) VALUES (?6, ?1, ?2, ?3, ?4, "
    "?5) ON CONFLICT (lvl, rday, grid, channel, nature) DO UPDATE SET n = n + excluded.n");

int store_roll_intake_add(struct store *s, int lvl, int64_t rday, const char *grid,
                          const char *channel, const char *nature, int64_t n, struct err *e)
{
    return store__run(s, &q_roll_intake, e, "isssii", rday, grid, channel, nature, n, (int64_t)lvl);
}

STORE_Q(q_roll_clear, "DELETE FROM stats_roll");
STORE_Q(q_roll_clear_intake, "DELETE FROM stats_intake");

int store_roll_clear(struct store *s, struct err *e)
{
    int rc = store__run(s, &q_roll_clear, e, "");
    return rc ? rc : store__run(s, &q_roll_clear_intake, e, "");
}

STORE_Q(q_roll_max_event, "SELECT coalesce(max(id), 0) FROM case_events");

int store_roll_max_event(struct store *s, int64_t *out, struct err *e)
{
    *out = 0;
    return store__query(s, &q_roll_max_event, e, store__row_i64, out, "");
}

STORE_Q(q_roll_events,
        "SELECT e.case_id, c.channel, c.nature, c.category, c.grid, e.seq, e.at, e.action, "
        "e.to_state, e.unit_id, e.amount, e.flag, e.due_at, e.close_due, e.id "
        "FROM case_events e JOIN cases c ON c.id = e.case_id "
        "WHERE e.case_id IN (SELECT DISTINCT case_id FROM case_events WHERE id > ?1 AND id <= ?2) "
        "AND e.id <= ?2 ORDER BY e.case_id, e.seq");

struct roll_visit {
    int (*fn)(void *arg, const struct store_stats_event *ev);
    void *arg;
};

static int row_roll_event(struct store *s, struct store_stmt *st, void *arg)
{
    struct roll_visit *v = arg;
    struct store_stats_event r;
    store__stats_event_row(s, st, &r);
    r.ev.id = COL_I64(s, st, 14);
    return v->fn(v->arg, &r);
}

int store_roll_events(struct store *s, int64_t after, int64_t upto,
                      int (*fn)(void *arg, const struct store_stats_event *ev), void *arg,
                      struct err *e)
{
    struct roll_visit v = {fn, arg};
    return store__query(s, &q_roll_events, e, row_roll_event, &v, "ii", after, upto);
}

/* The rows themselves: summing them in C is several times faster than
 * SQLite's GROUP BY with 32 sums. */
STORE_Q(q_roll_sum, "SELECT rday, grid, " ROLL_VS " FROM stats_roll "
                    "WHERE lvl = ?4 AND rday BETWEEN ?1 AND ?2 AND cday <= ?2 "
                    "AND substr(grid, 1, length(?3)) = ?3");

struct sum_visit {
    int (*fn)(void *arg, int64_t rday, const char *grid, const int64_t *v);
    int (*ifn)(void *arg, int64_t rday, const char *grid, const char *channel, const char *nature,
               int64_t n);
    void *arg;
};

static int row_roll_sum(struct store *s, struct store_stmt *st, void *arg)
{
    struct sum_visit *v = arg;
    int64_t x[STORE_ROLL_NV];
    for (int i = 0; i < STORE_ROLL_NV; i++)
        x[i] = COL_I64(s, st, 2 + i);
    return v->fn(v->arg, COL_I64(s, st, 0), COL_TEXT(s, st, 1), x);
}

int store_roll_sum(struct store *s, int lvl, int64_t from_day, int64_t to_day, const char *prefix,
                   int (*fn)(void *arg, int64_t rday, const char *grid, const int64_t *v),
                   void *arg, struct err *e)
{
    struct sum_visit v = {fn, NULL, arg};
    return store__query(s, &q_roll_sum, e, row_roll_sum, &v, "iisi", from_day, to_day, prefix,
                        (int64_t)lvl);
}

STORE_Q(q_roll_intake_sum, "SELECT rday, grid, channel, nature, n FROM stats_intake "
                           "WHERE lvl = ?4 AND rday BETWEEN ?1 AND ?2 "
                           "AND substr(grid, 1, length(?3)) = ?3");

static int row_intake_sum(struct store *s, struct store_stmt *st, void *arg)
{
    struct sum_visit *v = arg;
    return v->ifn(v->arg, COL_I64(s, st, 0), COL_TEXT(s, st, 1), COL_TEXT(s, st, 2),
                  COL_TEXT(s, st, 3), COL_I64(s, st, 4));
}

int store_roll_intake_sum(struct store *s, int lvl, int64_t from_day, int64_t to_day,
                          const char *prefix,
                          int (*fn)(void *arg, int64_t rday, const char *grid, const char *channel,
                                    const char *nature, int64_t n),
                          void *arg, struct err *e)
{
    struct sum_visit v = {NULL, fn, arg};
    return store__query(s, &q_roll_intake_sum, e, row_intake_sum, &v, "iisi", from_day, to_day,
                        prefix, (int64_t)lvl);
}
