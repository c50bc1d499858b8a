/*
 * demo.h - the demo database: Liujia subdistrict (六甲街道, 官渡区, Kunming)
 * with its communities, departments and red-alliance units, users of every
 * role, two years of generated cases (2019-2020, demo_history.h) and a few
 * dozen recent cases in every state, all made through the real domain
 * functions (so every case has its full event history).
 */
#ifndef CHUISHAO_DEMO_H
#define CHUISHAO_DEMO_H

#include "domain/domain.h"

/* The password of every demo user. */
#define DEMO_PASSWORD "liujia2020"

/* Cases of the generated Liujia history (2019-2020) by default. */
#define DEMO_HISTORY_CASES 30000

/* How big a demo. */
struct demo_opts {
    int64_t cases;             /* generated history cases; -1: the Liujia history */
    int first_year, last_year; /* their years (2019, 2020 for the Liujia history) */
    /* Progress of the generation (may be NULL). */
    void (*progress)(void *arg, int64_t done, int64_t total);
    /* Called as each later phase starts ("indexes", "roll-ups"; may be NULL). */
    void (*phase)(void *arg, const char *what);
    void *progress_arg; /* for both */
};

/* Fills a freshly seeded database: units, users, places, the generated
 * history of o (demo_history.h), then a few dozen scripted cases in every
 * state laid out over the 20 days before `now`. Deterministic for a given
 * `now`. */
int demo_build(struct store *s, int64_t now, const struct demo_opts *o, struct err *e);

/* One demo sign-in, for printing. */
struct demo_login {
    const char *username; /* sign-in name */
    const char *role;     /* role */
    const char *who;      /* description */
};
/* The demo's sign-ins (NULL-terminated). */
extern const struct demo_login demo_logins[];

#endif
