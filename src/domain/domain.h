/*
 * domain.h - the rules of the subdistrict's work, independent of HTTP, JSON
 * and SQL. A `struct domain` bundles the store with the rules loaded from it
 * (working calendar, time limits, the grid index); every domain call takes
 * it plus the `struct actor` on whose behalf it runs.
 *
 * Subjects, each in its own folder with one header and one prefix:
 * case/ (case_: the lifecycle, whistles, the case reference data), place/
 * (place_: the place tree and grids), stats/ (stats_: the rates),
 * unit/ (unit_: departments and alliance units), file/ (file_: uploads),
 * ident/ (ident_: identifiers). This header holds only what they share:
 * roles, the actor, who may use which door, and the handle.
 */
#ifndef CHUISHAO_DOMAIN_H
#define CHUISHAO_DOMAIN_H

#include <pthread.h>
#include "core/core.h"

struct store;
struct cal;
struct case_limit;
struct geo_index;

/* Roles, as bits so that a rule can allow several. */
enum role {
    ROLE_RESIDENT = 1,   /* 群众: reports, follows, rates */
    ROLE_GRID = 2,       /* 网格员: reports, verifies, checks, fixes on the spot */
    ROLE_DISPATCHER = 4, /* 指挥中心: registers, dispatches, whistles, supervises, closes */
    ROLE_HANDLER = 8, /* 部门/联盟单位: signs for, returns, handles, reports for whistles */
    ROLE_LEADER = 16, /* 领导: reads everything, supervises, rates units */
    ROLE_ADMIN = 32,  /* 管理员: configuration; may do everything */
};
#define ROLE_ALL 63 /* every role bit */
/* Parses a role name ("resident", "grid", ...); 0 if unknown. */
int role_parse(const char *name);
/* Name of a single role bit; "" if not exactly one known role. */
const char *role_name(int role);
/* The names of the roles in a set of role bits, in bit order, into out (up
 * to max). Returns how many. */
int role_names(int roles, const char **out, int max);

/* Who is acting. */
struct actor {
    int64_t user_id;   /* 0 for the system itself */
    int role;          /* exactly one enum role bit (0: signed out) */
    int64_t unit_id;   /* a handler's unit, 0 otherwise */
    char grid[24];     /* a grid worker's grid code, "" otherwise */
    char username[64]; /* for messages */
};

/* The system itself (the local command line): an administrator without an
 * account. */
void dom_actor_system(struct actor *out);
/* A reader of every case who changes nothing and sees no personal data
 * beyond what the public may (Open311's anonymous reads). */
void dom_actor_reader(struct actor *out, const char *name);

/* Who may use a door of the system (an API route, a command): the doors
 * name one of these and dom_access decides, so the rule is here only. */
enum dom_access {
    ACCESS_PUBLIC = 0, /* anyone, even signed out */
    ACCESS_USER,       /* any signed-in account */
    ACCESS_CASEWORK,   /* those who work cases: dispatchers, leaders, admins, handlers */
    ACCESS_STAFF,      /* the command centre and leaders: dispatchers, leaders, admins */
    ACCESS_ADMIN,      /* administrators: configuration */
};
/* 0 if who may use a door of this access; ERR_AUTH (signed out) or
 * ERR_DENIED with a message in e. */
MUST_CHECK int dom_access(const struct actor *who, int access, struct err *e);
/* 0 if who may act for the account user_id (create its API keys): itself,
 * or an administrator; ERR_DENIED naming field otherwise. */
MUST_CHECK int dom_may_act_for(const struct actor *who, int64_t user_id, const char *field,
                               struct err *e);
/* Checks an account's role with its unit and grid: a known role name, and a
 * handler needs a unit. OUT: *role (the bit). ERR_INVALID naming the field. */
MUST_CHECK int dom_account_check(const char *role_name, int64_t unit_id, int *role, struct err *e);

/* The domain handle. Read-only after dom_open (safe to share by threads),
 * except the grid index, which an import replaces under geo_lock. */
struct domain {
    struct store *store;       /* the database */
    struct cal *cal;           /* working calendar */
    struct case_limit *limits; /* time limits table (case/case_ref.c) */
    int n_limits;              /* entries in limits */
    double warn_fraction;      /* share of a limit after which a case is at risk */
    pthread_rwlock_t geo_lock; /* guards grids and area */
    struct geo_index *grids;   /* point -> grid code (NULL: no boundaries loaded) */
    int has_area;              /* 1 if the subdistrict's box below is known */
    double area[4];            /* its box: minx, miny, maxx, maxy */
};

/* Loads the calendar, working periods, limits and the grid index from the
 * store. OUT: *out, freed with dom_close (which does not close the store).
 * ERR_STORE, ERR_INVALID (stored data that does not parse). */
MUST_CHECK int dom_open(struct store *s, struct domain **out, struct err *e);
void dom_close(struct domain *d);

/* Fills a database with the reference data built into the binary
 * (data/holidays.txt, data/categories.txt, data/time_limits.txt,
 * data/whistle_types.txt) and default settings, in one write. Only what is
 * missing is added: rows already there (perhaps edited) are left as they
 * are, and the built-in holidays are loaded only into an empty calendar. A
 * failed read stops the seeding (nothing is written). */
MUST_CHECK int dom_seed(struct store *s, struct err *e);

/* Loads holiday data text (the format of data/holidays.txt) into the stored
 * calendar: the years the text covers (its "years" line, else the years of
 * its days) are replaced, other years are kept. All or nothing; ERR_INVALID
 * with the line number. A running server reads the calendar at start. */
MUST_CHECK int dom_calendar_import(struct store *s, const char *text, size_t n, struct err *e);
/* Builds a calendar from the store (or, if s is NULL, from the built-in
 * data). OUT: *out, freed with cal_free. */
MUST_CHECK int dom_calendar_load(struct store *s, struct cal **out, struct err *e);

#endif
