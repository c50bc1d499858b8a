/*
 * demo.h - the demo database: Liujia subdistrict (六甲街道, 官渡区, Kunming)
 * with its communities, departments and red-alliance units, users of every
 * role, and a few dozen cases in every state, made through the real domain
 * functions (so every state has its full event history).
 */
#ifndef CHUISHAO_DEMO_H
#define CHUISHAO_DEMO_H

#include "../domain/domain.h"

/* The password of every demo user. */
#define DEMO_PASSWORD "liujia2020"

/* Fills a freshly seeded database. Deterministic for a given `now`
 * (histories are laid out over the 20 working days before it). */
int demo_build(struct store *s, int64_t now, struct err *e);

/* One demo sign-in, for printing. */
struct demo_login {
    const char *username; /* sign-in name */
    const char *role;     /* role */
    const char *who;      /* description */
};
/* The demo's sign-ins (NULL-terminated). */
extern const struct demo_login demo_logins[];

#endif
