/*
 * demo_history.h - generated case histories for the demo and for scale work:
 * a deterministic (seeded) stream of cases over a period, each taken through
 * the real domain functions (case_create, case_act) at pinned instants, so
 * every case has a true event log: channels, categories and seasons in
 * realistic proportions, delays on the working-day calendar, returns,
 * reworks, extensions, deferrals, duplicates, whistles with 报到 and
 * ratings, return visits with satisfaction.
 *
 * With `liujia` set the stream also holds the facts of Liujia subdistrict's
 * 2020 H1 report (../shared/seed): exactly 171 whistles of the three types
 * blown on cases reported in 2020 H1, and petitions plus repeat complaints
 * down 64% against 2019 H1. Nothing is stored as a total: the figures come
 * out of the generated events.
 */
#ifndef CHUISHAO_DEMO_HISTORY_H
#define CHUISHAO_DEMO_HISTORY_H

#include "domain/domain.h"

/* Who acts in the generated histories. */
struct demo_cast {
    const struct actor *disp; /* command-centre dispatcher: registers, dispatches, closes */
    const struct actor *grid; /* grid workers: one per demo grid (demo_geo order), */
    int n_grid;               /* or any number >= 1 that report anywhere */
    const struct actor *hand; /* one handler per unit that takes dispatches */
    int n_hand;               /* their number (>= 2) */
};

/* What to generate. */
struct demo_history_opts {
    int64_t from_day, to_day; /* reports fall in [from_day, to_day] (day numbers) */
    int64_t n_cases;          /* number of cases (>= 1) */
    int liujia;               /* 1: the 2019-2020 quotas described above */
    uint32_t seed;            /* generator seed (same seed, same data) */
    int batch;                /* cases per transaction (default 500) */
    int roll;                 /* 1: bring the statistics' roll-ups up to date after each
                                 batch, while its events are still in the cache */
    /* Called after each batch with the cases done so far (may be NULL). */
    void (*progress)(void *arg, int64_t done, int64_t total);
    void *progress_arg;
};

/* Generates the histories into d's store. The units, users and places must
 * exist. Leaves the clock unpinned. Errors: those of case_create and
 * case_act (with the case's number in the message), ERR_STORE. */
int demo_history(struct domain *d, const struct demo_cast *cast, const struct demo_history_opts *o,
                 struct err *e);

#endif
