/* store_stats.h - the feeds of the statistics (events, whistles, petitions,
 * grid coverage) and the roll-up tables that keep them fast. */
#ifndef CHUISHAO_STORE_STATS_H
#define CHUISHAO_STORE_STATS_H

#include <stdint.h>
#include "store/case/store_case.h"

/* Which cases a statistic covers; zero/NULL fields do not filter. */
struct store_stats_scope {
    const char *community; /* cases whose grid code starts with this community code */
    const char *grid;      /* cases in this grid */
    int64_t unit_id;       /* cases dispatched or reassigned to this unit at some time;
                              for whistles: the rows of this summoned unit */
};
/* One event of a case in a statistic, with the case's report attributes.
 * Strings are valid only during the callback. */
struct store_stats_event {
    int64_t case_id;       /* case */
    const char *channel;   /* the case's intake channel */
    const char *nature;    /* the case's request nature */
    const char *category;  /* the case's category code */
    const char *grid;      /* the case's grid code ("" if none) */
    struct store_event ev; /* the event: seq, at, action, to_state, unit_id, amount, flag,
                              due_at, close_due are filled (note/attachments NULL) */
};
/* Visits, ordered by case then seq, every event with at <= to of the cases
 * whose report event falls in [from, to] (instants) and that are in scope.
 * fn returns 0 to go on, <0 to stop with that error. Run inside store_read
 * for one snapshot. */
MUST_CHECK int store_stats_events(struct store *s, int64_t from, int64_t to,
                                  const struct store_stats_scope *sc,
                                  int (*fn)(void *arg, const struct store_stats_event *ev),
                                  void *arg, struct err *e);
/* One summoned unit of a whistle, with the case's attributes (strings valid
 * only during the callback). */
struct store_stats_whistle {
    int64_t case_id;      /* case the whistle was blown on */
    const char *category; /* the case's category */
    const char *grid;     /* the case's grid */
    int64_t reported_at;  /* the case's report instant */
    int64_t whistle_id;   /* whistle */
    const char *type;     /* whistle type code */
    int64_t blown_at;     /* instant */
    int limit_min;        /* report-in limit, minutes */
    int64_t unit_id;      /* summoned unit */
    int64_t checked_in;   /* 报到 instant, 0 if not yet */
    int score;            /* rating 0..100, -1 if not rated */
};
/* Visits the summoned units of the whistles blown at or before `to` on the
 * cases reported in [from, to] (scope: community and grid filter the case,
 * unit_id the summoned unit), ordered by whistle then unit. */
MUST_CHECK int store_stats_whistles(struct store *s, int64_t from, int64_t to,
                                    const struct store_stats_scope *sc,
                                    int (*fn)(void *arg, const struct store_stats_whistle *w),
                                    void *arg, struct err *e);
/* Petitions (cases reported in [from, to] by the petition channel) and
 * repeat complaints (cases reported in [from, to] merged as duplicates by
 * `to`) in the scope. OUT: *petitions, *repeats. */
MUST_CHECK int store_stats_petitions(struct store *s, int64_t from, int64_t to,
                                     const struct store_stats_scope *sc, int64_t *petitions,
                                     int64_t *repeats, struct err *e);
/* ---- statistics roll-ups (store_roll.c, 006_stats_roll.sql) -------------- */
#define STORE_ROLL_NV 32 /* values per roll-up row (v0..v31) */
/* Adds the deltas v[STORE_ROLL_NV] to the row (rday, cday, grid). Write job. */
MUST_CHECK int store_roll_add(struct store *s, int lvl, int64_t rday, int64_t cday,
                              const char *grid, const int64_t *v, struct err *e);
/* Adds n cases to the intake row (rday, grid, channel, nature). Write job. */
MUST_CHECK int store_roll_intake_add(struct store *s, int lvl, int64_t rday, const char *grid,
                                     const char *channel, const char *nature, int64_t n,
                                     struct err *e);
/* Deletes every roll-up row. Write job. */
MUST_CHECK int store_roll_clear(struct store *s, struct err *e);
/* The newest event id (0 if none). */
MUST_CHECK int store_roll_max_event(struct store *s, int64_t *out, struct err *e);
/* Visits, ordered by case then seq, the events with id <= upto of every case
 * that has an event with id in (after, upto]; ev.id is filled. */
MUST_CHECK int store_roll_events(struct store *s, int64_t after, int64_t upto,
                                 int (*fn)(void *arg, const struct store_stats_event *ev),
                                 void *arg, struct err *e);
/* Visits the rows of level lvl with rday in [from_day, to_day], cday <=
 * to_day and a grid starting with prefix (several rows may share a
 * (rday, grid): the caller sums). */
MUST_CHECK int
store_roll_sum(struct store *s, int lvl, int64_t from_day, int64_t to_day, const char *prefix,
               int (*fn)(void *arg, int64_t rday, const char *grid, const int64_t *v), void *arg,
               struct err *e);
/* Visits the intake rows of level lvl with rday in [from_day, to_day] and a
 * grid starting with prefix. */
MUST_CHECK int store_roll_intake_sum(struct store *s, int lvl, int64_t from_day, int64_t to_day,
                                     const char *prefix,
                                     int (*fn)(void *arg, int64_t rday, const char *grid,
                                               const char *channel, const char *nature, int64_t n),
                                     void *arg, struct err *e);

/* Grids whose code starts with prefix ("" all): OUT *grids, and *covered,
 * those with at least one team member (grid_members). */
MUST_CHECK int store_stats_coverage(struct store *s, const char *prefix, int64_t *grids,
                                    int64_t *covered, struct err *e);

#endif
