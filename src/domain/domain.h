/*
 * domain.h - the rules of the subdistrict's work, independent of HTTP, JSON
 * and SQL. A `struct domain` bundles the store with the rules loaded from it
 * (working calendar, time limits); every domain call takes it plus the
 * `struct actor` on whose behalf it runs.
 *
 * Sub-modules, each with its own header and prefix: case.h (case_: the
 * lifecycle), whistle.h (whistle_: 吹哨报到), ident.h (ident_: identifiers).
 */
#ifndef CHUISHAO_DOMAIN_H
#define CHUISHAO_DOMAIN_H

#include <pthread.h>
#include "../core/core.h"
#include "../cal/cal.h"
#include "../store/store.h"

/* Roles, as bits so that a rule can allow several. */
enum role {
    ROLE_RESIDENT = 1,   /* 群众: reports, follows, rates */
    ROLE_GRID = 2,       /* 网格员: reports, verifies, checks, fixes on the spot */
    ROLE_DISPATCHER = 4, /* 指挥中心: registers, dispatches, whistles, supervises, closes */
    ROLE_HANDLER = 8, /* 部门/联盟单位: signs for, returns, handles, reports for whistles */
    ROLE_LEADER = 16, /* 领导: reads everything, supervises, rates units */
    ROLE_ADMIN = 32,  /* 管理员: configuration; may do everything */
};
/* Parses a role name ("resident", "grid", ...); 0 if unknown. */
int role_parse(const char *name);
/* Name of a single role bit; "" if not exactly one known role. */
const char *role_name(int role);

/* Who is acting. */
struct actor {
    int64_t user_id;   /* 0 for the system itself */
    int role;          /* exactly one enum role bit */
    int64_t unit_id;   /* a handler's unit, 0 otherwise */
    char grid[24];     /* a grid worker's grid code, "" otherwise */
    char username[64]; /* for messages */
};

struct dom_limit;
struct geo_index;

/* The domain handle. Read-only after dom_open (safe to share by threads),
 * except the grid index, which an import replaces under geo_lock. */
struct domain {
    struct store *store;       /* the database */
    struct cal *cal;           /* working calendar */
    struct dom_limit *limits;  /* time limits table */
    int n_limits;              /* entries in limits */
    double warn_fraction;      /* share of a limit after which a case is at risk */
    pthread_rwlock_t geo_lock; /* guards grids and area */
    struct geo_index *grids;   /* point -> grid code (NULL: no boundaries loaded) */
    int has_area;              /* 1 if the subdistrict's box below is known */
    double area[4];            /* its box: minx, miny, maxx, maxy */
};

/* Loads the calendar, working periods and limits from the store.
 * OUT: *out, freed with dom_close (which does not close the store). */
int dom_open(struct store *s, struct domain **out, struct err *e);
void dom_close(struct domain *d);

/* Fills a database with the reference data built into the binary
 * (data/holidays.txt, data/categories.txt, data/time_limits.txt,
 * data/whistle_types.txt) and default settings. Only what is missing is
 * added: rows already there (perhaps edited) are left as they are, and the
 * built-in holidays are loaded only into an empty calendar. */
int dom_seed(struct store *s, struct err *e);

/* Loads holiday data text (the format of data/holidays.txt) into the stored
 * calendar: the years the text covers (its "years" line, else the years of
 * its days) are replaced, other years are kept. All or nothing; ERR_INVALID
 * with the line number. A running server reads the calendar at start. */
int dom_calendar_import(struct store *s, const char *text, size_t n, struct err *e);
/* Builds a calendar from the store (or, if s is NULL, from the built-in
 * data). OUT: *out, freed with cal_free. */
int dom_calendar_load(struct store *s, struct cal **out, struct err *e);

/* The time limit for a category and priority at a stage ("register",
 * "dispatch", "sign", "handle", "close"): the category's own row, else the
 * default ('*') row of that priority. ERR_NOTFOUND if neither exists. */
int dom_limit(const struct domain *d, const char *category, const char *priority, const char *stage,
              struct cal_span *out, struct err *e);
/* Default report-in limit (minutes) of a whistle type; -1 if unknown. */
int dom_whistle_limit(const struct domain *d, const char *type);
/* 1 if some limit row names this priority. */
int dom_priority_known(const struct domain *d, const char *priority);

#endif
