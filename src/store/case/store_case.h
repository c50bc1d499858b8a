/* store_case.h - the records of the case subject: cases and their
 * append-only event log, the units and followers of a case, whistles
 * (吹哨报到), and the case reference data (categories, time limits, whistle
 * types). */
#ifndef CHUISHAO_STORE_CASE_H
#define CHUISHAO_STORE_CASE_H

#include <stdint.h>
#include "store/store.h"

/* ---- reference data of cases: categories, limits, whistle types -------- */
struct store_category {
    char code[16];      /* 5 digits: class(1 part, 2 event, 3 livelihood) + 2 + 2 */
    char name[96];      /* small-class name */
    char group[64];     /* big-class (大类) name */
    char unit_code[32]; /* default handling unit's code, "" if none */
    char whistle[16];   /* default whistle type code, "" if none */
};
MUST_CHECK int store_category_put(struct store *s, const struct store_category *c, struct err *e);
MUST_CHECK int store_category_get(struct store *s, const char *code, struct store_category *out,
                                  struct err *e);
MUST_CHECK int store_category_each(struct store *s,
                                   int (*fn)(void *arg, const struct store_category *c), void *arg,
                                   struct err *e);

struct store_limit {
    char category[16]; /* category code or "*" for the default */
    char priority[16]; /* normal | urgent | ... */
    char stage[16];    /* register | dispatch | sign | handle | close */
    char span[16];     /* a cal_span string: "2wh", "5wd", "4h" */
};
MUST_CHECK int store_limit_put(struct store *s, const struct store_limit *l, struct err *e);
MUST_CHECK int store_limit_each(struct store *s, int (*fn)(void *arg, const struct store_limit *l),
                                void *arg, struct err *e);

struct store_whistle_type {
    char code[16]; /* e.g. "minsheng" */
    char name[64]; /* e.g. "民生哨" */
    int limit_min; /* default report-in limit, minutes */
};
MUST_CHECK int store_whistle_type_put(struct store *s, const struct store_whistle_type *t,
                                      struct err *e);
MUST_CHECK int store_whistle_type_each(struct store *s,
                                       int (*fn)(void *arg, const struct store_whistle_type *t),
                                       void *arg, struct err *e);

/* ---- cases and their event log ------------------------------------------ */
/* The current state of a case: a projection of its event log, stored for
 * fast reads and kept in step with each appended event in one transaction. */
struct store_case {
    int64_t id;              /* case number */
    int64_t created_at;      /* instant of the report */
    int64_t updated_at;      /* instant of the last event */
    char channel[24];        /* intake channel */
    char nature[16];         /* request nature (complaint, help, ...) */
    char category[16];       /* category code */
    char priority[16];       /* normal | urgent */
    char *title;             /* short title (arena) */
    char *description;       /* description (arena) */
    char *address;           /* address text (arena), may be "" */
    double lat, lon;         /* WGS-84 position; has_pos says if set */
    int has_pos;             /* 1 if lat/lon are set */
    char grid[24];           /* grid code, "" if unknown */
    int64_t reporter_id;     /* reporting user, 0 if anonymous/hotline */
    char reporter_name[160]; /* name given by the reporter */
    char reporter_phone[32]; /* normalised phone of the reporter */
    char state[24];          /* current state */
    int64_t lead_unit;       /* lead handling unit, 0 if none */
    char co_units[128];      /* comma-separated co-handling unit ids */
    int64_t master_id;       /* master case when merged, else 0 */
    int64_t verifier_id;     /* user asked to verify, 0 if none */
    int64_t due_at;          /* deadline of the current stage, 0 if none */
    int64_t warn_at;         /* at-risk threshold of the current stage, 0 if none */
    int64_t close_due;       /* overall closing deadline, 0 if none */
    int64_t paused_at;       /* start of a deferral/hang pause, 0 if running */
    int64_t closed_at;       /* instant of closing, 0 if not closed */
    int supervise_count;     /* 督办/催办 count */
    int return_count;        /* 退单 count */
    int rework_count;        /* 返工 count */
    int extension_count;     /* approved extensions */
    int visit_resolved;      /* -1 none, 0 no, 1 yes */
    int visit_satisfaction;  /* 0 none, 1 满意, 2 基本满意, 3 不满意 */
    int last_seq;            /* seq of the last event */
    char source_ref[192];    /* external reference (12345 ticket no.), "" if none */
    char grid_status[12];    /* "" (no position), "in" (grid assigned) or "outside" */
};

/* One row of the append-only event log. */
struct store_event {
    int64_t id;          /* global row id (order of appending) */
    int64_t case_id;     /* case */
    int seq;             /* 1, 2, ... within the case */
    int64_t at;          /* instant */
    int64_t actor_id;    /* user, 0 for the system */
    char actor_role[16]; /* the actor's role at the time */
    int64_t actor_unit;  /* the actor's unit at the time, 0 if none */
    char action[24];     /* action name */
    char from_state[24]; /* state before ("" for the report) */
    char to_state[24];   /* state after */
    char *note;          /* note/reason (arena), may be "" */
    int64_t unit_id;     /* target unit (dispatch, whistle report, rating), 0 if none */
    char units[128];     /* co-units or summoned units, comma-separated ids */
    int64_t ref_id;      /* master case, whistle id or verifier user, 0 if none */
    int64_t amount;      /* extension minutes, score, ..., 0 if none */
    int flag;            /* action-specific flag (resolved, confirmed), -1 if none */
    char *attachments;   /* attachment references, newline-separated (arena) */
    char *intake;        /* report event: the case's intake facts as "key=value" lines
                            (see case_intake), "" otherwise or in older logs (arena) */
    int64_t due_at;      /* the case's due_at after the event */
    int64_t warn_at;     /* the case's warn_at after the event */
    int64_t close_due;   /* the case's close_due after the event */
};

/* Inserts a new case row (c->id set) together with its first event (ev->
 * case_id and ev->id set). Must run inside a write job. */
MUST_CHECK int store_case_insert(struct store *s, struct store_case *c, struct store_event *ev,
                                 struct err *e);
/* Appends ev to the log and stores the new projection c in the same
 * transaction. Fails with ERR_CONFLICT if c->last_seq - 1 is not the stored
 * seq (a concurrent change). Must run inside a write job. */
MUST_CHECK int store_case_append(struct store *s, struct store_case *c, struct store_event *ev,
                                 struct err *e);
/* Reads a case. Strings are allocated in a. ERR_NOTFOUND if absent. */
MUST_CHECK int store_case_get(struct store *s, int64_t id, struct arena *a, struct store_case *out,
                              struct err *e);
/* Reads a case's events in seq order into an arena array. */
MUST_CHECK int store_case_events(struct store *s, int64_t id, struct arena *a,
                                 struct store_event **out, int *n, struct err *e);

/* A filter for listing cases; zero fields do not filter. */
struct store_case_filter {
    const char *state;             /* one state */
    const char *category;          /* category code */
    int64_t unit_id;               /* cases whose lead/co/summoned units include it */
    int64_t user_id;               /* cases the user reported or follows */
    const char *grid;              /* grid code (cases in it, or asked of a verifier in it) */
    int64_t verifier_id;           /* with grid: also cases this user must verify or reported */
    int overdue;                   /* 1: due_at < now (running clocks only) */
    int at_risk;                   /* 1: warn_at <= now < due_at */
    int64_t now;                   /* the instant for overdue/at_risk */
    const char *in_grid;           /* only cases in this grid */
    const char *in_community;      /* only cases in grids of this community (12-digit code) */
    int has_bbox;                  /* 1: only cases located inside the box below */
    double minx, miny, maxx, maxy; /* the box (lon/lat degrees) */
    const char *grid_status;       /* only cases with this grid_status ("outside") */
    int64_t team_user;             /* with unit_id or grid: also cases in grids whose team
                                      has this user */
    int64_t created_from;          /* reported at or after this instant (0: no bound) */
    int64_t created_to;            /* reported at or before this instant (0: no bound) */
    int64_t before_id;             /* paging: ids below this (newest first) */
    int limit;                     /* max rows (1..1000; 0: 50) */
};
/* Lists cases newest first. OUT: arena array *out of *n cases. */
MUST_CHECK int store_case_list(struct store *s, const struct store_case_filter *f, struct arena *a,
                               struct store_case **out, int *n, struct err *e);
/* Visits every located case (id, lon, lat, grid, grid_status) in id order. */
MUST_CHECK int store_case_each_located(struct store *s,
                                       int (*fn)(void *arg, int64_t id, double lon, double lat,
                                                 const char *grid, const char *grid_status),
                                       void *arg, struct err *e);
/* Sets a case's grid and grid_status (a place derivation, not an event):
 * used when boundaries change. Must run inside a write job. */
MUST_CHECK int store_case_set_grid(struct store *s, int64_t id, const char *grid,
                                   const char *grid_status, struct err *e);
/* Visits every case id in ascending order (for replay checks). */
MUST_CHECK int store_case_each_id(struct store *s, int (*fn)(void *arg, int64_t id), void *arg,
                                  struct err *e);
/* Units attached to a case: kind is lead, co or whistle. */
MUST_CHECK int store_case_units_set(struct store *s, int64_t case_id, const char *kind,
                                    const int64_t *ids, int n, struct err *e);
/* 1 if unit_id is attached to the case, else 0 (or an error). */
MUST_CHECK int store_case_has_unit(struct store *s, int64_t case_id, int64_t unit_id,
                                   struct err *e);
/* Followers: users who hear of the case (the reporter of a merged duplicate). */
MUST_CHECK int store_case_follow(struct store *s, int64_t case_id, int64_t user_id, struct err *e);
/* Makes the reporter and every follower of case `from` follow case `to` too
 * (a merge into a master). Must run inside a write job. */
MUST_CHECK int store_case_follow_all(struct store *s, int64_t from, int64_t to, struct err *e);
/* 1 if the user reported or follows the case, else 0 (or an error). */
MUST_CHECK int store_case_is_follower(struct store *s, int64_t case_id, int64_t user_id,
                                      struct err *e);

/* ---- whistles (吹哨报到) ------------------------------------------------- */
struct store_whistle {
    int64_t id;       /* whistle id */
    int64_t case_id;  /* case it was blown on */
    char type[16];    /* whistle type code */
    int64_t blown_at; /* instant */
    int64_t blown_by; /* user */
    int limit_min;    /* report-in limit in minutes */
    char *note;       /* reason (arena) */
};
struct store_whistle_unit {
    int64_t whistle_id;  /* whistle */
    int64_t unit_id;     /* summoned unit */
    int64_t reported_at; /* 报到 instant, 0 if not yet */
    int64_t reported_by; /* user who reported, 0 if not yet */
    char *report_note;   /* (arena) */
    int score;           /* the subdistrict's rating 0..100, -1 if not rated */
    char *comment;       /* rating comment (arena) */
    int64_t rated_at;    /* instant, 0 if not rated */
    int64_t rated_by;    /* user, 0 if not rated */
};
MUST_CHECK int store_whistle_insert(struct store *s, struct store_whistle *w, const int64_t *units,
                                    int n, struct err *e);
MUST_CHECK int store_whistle_get(struct store *s, int64_t id, struct arena *a,
                                 struct store_whistle *out, struct err *e);
MUST_CHECK int store_whistle_units(struct store *s, int64_t whistle_id, struct arena *a,
                                   struct store_whistle_unit **out, int *n, struct err *e);
MUST_CHECK int store_whistle_unit_update(struct store *s, const struct store_whistle_unit *u,
                                         struct err *e);
/* The summoned units of the whistles blown on case_id (all units with
 * unit_id 0, else the rows of unit_id): OUT *units, and *awaiting, those
 * that have not reported yet. */
MUST_CHECK int store_whistle_summons(struct store *s, int64_t case_id, int64_t unit_id,
                                     int64_t *units, int64_t *awaiting, struct err *e);
/* Whistles of a case (case_id > 0: all of them, oldest first; limit is not
 * used), or of every case (case_id 0: newest first, up to limit). */
MUST_CHECK int store_whistle_list(struct store *s, int64_t case_id, int limit, struct arena *a,
                                  struct store_whistle **out, int *n, struct err *e);

#endif
