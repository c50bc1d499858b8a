/* store_stats.c - the feeds of the statistics engine (domain/stats): the
 * event log of the cases reported in a period, and the whistles blown on
 * them. Only rows are read here; every figure is computed in domain/stats.c. */
#include <string.h>
#include "store/store_int.h"
#include "store_stats.h"

/* Cases whose report event is in [?1, ?2]. */
#define STATS_CASES                                                                                \
    "SELECT r.case_id FROM case_events r WHERE r.action = 'report' AND r.at BETWEEN ?1 AND ?2"

STORE_Q(q_stats_events,
        "SELECT e.case_id, c.channel, c.nature, c.category, c.grid, e.seq, e.at, e.action, "
        "e.to_state, e.unit_id, e.amount, e.flag, e.due_at, e.close_due "
        "FROM cases c JOIN case_events e ON e.case_id = c.id "
        "WHERE c.id IN (" STATS_CASES ") AND e.at <= ?2 "
        "AND (?3 IS NULL OR substr(c.grid, 1, length(?3)) = ?3) "
        "AND (?4 IS NULL OR c.grid = ?4) "
        "AND (?5 IS NULL OR c.id IN (SELECT d.case_id FROM case_events d WHERE d.unit_id = ?5 "
        "     AND d.action IN ('dispatch', 'reassign') AND d.at <= ?2)) "
        "ORDER BY e.case_id, e.seq");

STORE_Q(q_stats_whistles,
        "SELECT w.case_id, c.category, c.grid, c.created_at, w.id, w.type, w.blown_at, "
        "w.limit_min, u.unit_id, u.reported_at, u.score "
        "FROM whistles w JOIN whistle_units u ON u.whistle_id = w.id JOIN cases c ON c.id = "
        "w.case_id WHERE w.blown_at BETWEEN ?1 AND ?2 AND c.created_at BETWEEN ?1 AND ?2 "
        "AND (?3 IS NULL OR substr(c.grid, 1, length(?3)) = ?3) "
        "AND (?4 IS NULL OR c.grid = ?4) AND (?5 IS NULL OR u.unit_id = ?5) "
        "ORDER BY w.id, u.unit_id");

struct stats_visit {
    int (*ev_fn)(void *arg, const struct store_stats_event *ev);  /* event feed */
    int (*wh_fn)(void *arg, const struct store_stats_whistle *w); /* whistle feed */
    void *arg;                                                    /* callback's */
};

void store__stats_event_row(struct store *s, struct store_stmt *st, struct store_stats_event *out)
{
    struct store_stats_event r;
    memset(&r, 0, sizeof r);
    r.case_id = COL_I64(s, st, 0);
    r.channel = COL_TEXT(s, st, 1);
    r.nature = COL_TEXT(s, st, 2);
    r.category = COL_TEXT(s, st, 3);
    r.grid = COL_TEXT(s, st, 4);
    r.ev.case_id = r.case_id;
    r.ev.seq = (int)COL_I64(s, st, 5);
    r.ev.at = COL_I64(s, st, 6);
    COL_COPY(s, st, 7, r.ev.action);
    COL_COPY(s, st, 8, r.ev.to_state);
    r.ev.unit_id = COL_I64(s, st, 9);
    r.ev.amount = COL_I64(s, st, 10);
    r.ev.flag = (int)COL_I64(s, st, 11);
    r.ev.due_at = COL_I64(s, st, 12);
    r.ev.close_due = COL_I64(s, st, 13);
    *out = r;
}

static int row_stats_event(struct store *s, struct store_stmt *st, void *arg)
{
    struct stats_visit *v = arg;
    struct store_stats_event r;
    store__stats_event_row(s, st, &r);
    return v->ev_fn(v->arg, &r);
}

int store_stats_events(struct store *s, int64_t from, int64_t to,
                       const struct store_stats_scope *sc,
                       int (*fn)(void *arg, const struct store_stats_event *ev), void *arg,
                       struct err *e)
{
    struct stats_visit v = {fn, NULL, arg};
    return store__query(s, &q_stats_events, e, row_stats_event, &v, "iittI", from, to,
                        sc->community, sc->grid, sc->unit_id);
}

static int row_stats_whistle(struct store *s, struct store_stmt *st, void *arg)
{
    struct stats_visit *v = arg;
    struct store_stats_whistle w;
    w.case_id = COL_I64(s, st, 0);
    w.category = COL_TEXT(s, st, 1);
    w.grid = COL_TEXT(s, st, 2);
    w.reported_at = COL_I64(s, st, 3);
    w.whistle_id = COL_I64(s, st, 4);
    w.type = COL_TEXT(s, st, 5);
    w.blown_at = COL_I64(s, st, 6);
    w.limit_min = (int)COL_I64(s, st, 7);
    w.unit_id = COL_I64(s, st, 8);
    w.checked_in = COL_I64(s, st, 9);
    w.score = (int)COL_I64(s, st, 10);
    return v->wh_fn(v->arg, &w);
}

int store_stats_whistles(struct store *s, int64_t from, int64_t to,
                         const struct store_stats_scope *sc,
                         int (*fn)(void *arg, const struct store_stats_whistle *w), void *arg,
                         struct err *e)
{
    struct stats_visit v = {NULL, fn, arg};
    return store__query(s, &q_stats_whistles, e, row_stats_whistle, &v, "iittI", from, to,
                        sc->community, sc->grid, sc->unit_id);
}

STORE_Q(q_stats_petitions,
        "SELECT coalesce(sum(c.channel = 'petition'), 0), coalesce(sum(EXISTS (SELECT 1 FROM "
        "case_events m WHERE m.case_id = c.id AND m.action = 'merge' AND m.at <= ?2)), 0) "
        "FROM cases c WHERE c.id IN (" STATS_CASES ") "
        "AND (?3 IS NULL OR substr(c.grid, 1, length(?3)) = ?3) "
        "AND (?4 IS NULL OR c.grid = ?4) "
        "AND (?5 IS NULL OR c.id IN (SELECT d.case_id FROM case_events d WHERE d.unit_id = ?5 "
        "     AND d.action IN ('dispatch', 'reassign') AND d.at <= ?2))");

struct two_counts {
    int64_t *a, *b; /* where the two columns go */
};

static int row_two_counts(struct store *s, struct store_stmt *st, void *arg)
{
    struct two_counts *t = arg;
    *t->a = COL_I64(s, st, 0);
    *t->b = COL_I64(s, st, 1);
    return 0;
}

int store_stats_petitions(struct store *s, int64_t from, int64_t to,
                          const struct store_stats_scope *sc, int64_t *petitions, int64_t *repeats,
                          struct err *e)
{
    struct two_counts t = {petitions, repeats};
    *petitions = *repeats = 0;
    return store__query(s, &q_stats_petitions, e, row_two_counts, &t, "iittI", from, to,
                        sc->community, sc->grid, sc->unit_id);
}

STORE_Q(q_stats_coverage,
        "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM grid_members m WHERE m.grid = "
        "p.code)), 0) FROM places p WHERE p.kind = 'grid' AND substr(p.code, 1, length(?1)) = ?1");

int store_stats_coverage(struct store *s, const char *prefix, int64_t *grids, int64_t *covered,
                         struct err *e)
{
    struct two_counts t = {grids, covered};
    *grids = *covered = 0;
    return store__query(s, &q_stats_coverage, e, row_two_counts, &t, "s", prefix);
}
