/*
 * store.h - the only door to the database. Everything else sees plain record
 * structs and functions; SQL and the driver headers stay inside src/store/.
 *
 * Connections: a `struct store` is shared by all threads; each thread that
 * touches it gets its own connection (created on first use, closed by
 * store_close). Reads run on the calling thread's connection.
 *
 * Writes: every write runs as a job passed to store_write(). Without group
 * commit the job runs at once in its own transaction. With group commit
 * (STORE_GROUP_COMMIT, used by `serve`) one writer thread runs the jobs that
 * queue up, each inside a SAVEPOINT, and commits them together; a syncer
 * thread then fdatasyncs the WAL once for every batch committed so far. A
 * job's caller returns only after that sync, so an acknowledged write is
 * durable, while throughput is not capped at one fsync per request and the
 * writer does not wait for the disk. Without group commit every commit is
 * synced (synchronous=FULL).
 */
#ifndef CHUISHAO_STORE_H
#define CHUISHAO_STORE_H

#include <stdint.h>
#include "../core/core.h"

struct store;

enum store_flags {
    STORE_CREATE = 1,       /* create the database file if missing */
    STORE_GROUP_COMMIT = 2, /* run writes on a batching writer thread */
    STORE_READONLY = 4,     /* open without writing (migrations are not run) */
};

/* Opens (and with STORE_CREATE creates) the database at path with the
 * SQLite driver, sets WAL and synchronous=FULL, and applies pending
 * migrations. OUT: *out, freed with store_close. ERR_NOTFOUND if the file
 * does not exist and STORE_CREATE is not given; ERR_STORE otherwise. */
int store_open(const char *path, int flags, struct store **out, struct err *e);
/* Stops the writer thread (after finishing queued jobs) and closes every
 * connection. */
void store_close(struct store *s);
/* Name of the driver ("sqlite"). */
const char *store_driver_name(const struct store *s);
/* The schema version after migrations. */
int store_schema_version(struct store *s);

/* A write job. It runs inside a transaction (a savepoint of a batch under
 * group commit) on a connection of the store; any store_* call made by it
 * runs inside that transaction. It returns 0 to keep its work or a negative
 * ERR_* (with e set) to have all of it rolled back. */
typedef int (*store_job_fn)(struct store *s, void *arg, struct err *e);

/* Runs fn(s, arg, e) as one atomic write and returns its result once the
 * work is durable (or rolled back). Called from inside a job it simply runs
 * fn in the same transaction (nesting). */
int store_write(struct store *s, store_job_fn fn, void *arg, struct err *e);

/* Called on the syncer thread once the batch holding an async job has been
 * committed and synced (rc 0) or rolled back (rc < 0: the job's own error,
 * or the commit's; ERR_UNSYNCED: committed but the sync failed). Must not
 * block. */
typedef void (*store_done_fn)(void *arg, int rc);

/* Queues fn(s, arg, e) to run as one atomic write in the next batch and
 * returns at once; done(done_arg, rc) is called when the batch is durable
 * (on the syncer thread), with e (may be NULL; must live until then) saying
 * why when rc is an error of the batch rather than of fn. Only with group
 * commit: ERR_UNSUPPORTED otherwise (callers then use store_write). fn runs
 * on the writer thread, so it must be quick. */
int store_write_async(struct store *s, store_job_fn fn, void *arg, store_done_fn done,
                      void *done_arg, struct err *e);

/* Runs fn inside a read transaction on this thread's connection, so that
 * several queries see one snapshot. Nests like store_write. */
int store_read(struct store *s, store_job_fn fn, void *arg, struct err *e);

/* Bulk loading (demo generators): on = 1 turns off waiting for the disk
 * on this thread's connection (a crash may lose the last transactions,
 * never corrupt the file), enlarges its page cache and drops the secondary
 * indexes of cases and events (their SQL is kept in the setting
 * bulk_indexes); on = 0 builds the indexes again, which is much faster than
 * keeping them up to date row by row, and restores synchronous=FULL. If the
 * process dies in between, the next store_open rebuilds them. Call outside
 * a transaction, on a store without other users. */
int store_bulk_load(struct store *s, int on, struct err *e);

/* Statistics of the writer: jobs and commits so far (for benchmarks). */
void store_write_stats(struct store *s, int64_t *jobs, int64_t *commits);

/* Brackets one request's use of the store by the calling thread (nesting
 * allowed). With group commit (`serve`), reads between the two may share a
 * read snapshot kept open across requests: it is renewed after any write
 * transaction this process commits, and after STORE_SNAPSHOT_MS (10 ms), so
 * a commit of this process is seen by the next read and one of another
 * process (the CLI) within 10 ms. Idle threads' snapshots are ended by the
 * checkpointer. Without group commit both do nothing. */
void store_enter(struct store *s);
void store_leave(struct store *s);

/* Change generations, for caches of what is read (group commit only). The
 * store's generation grows with every write transaction this process
 * commits; what is read after store_gen returned g reflects at least every
 * change up to g. store_case_gen(id) is the generation of the last commit
 * that may have changed case id (collisions and commits of other processes,
 * which the writer notices, count as changes), or INT64_MAX without group
 * commit (nothing is tracked). So an answer built from reads begun at
 * generation g is current while store_case_gen(id) <= g. */
int64_t store_gen(struct store *s);
int64_t store_case_gen(struct store *s, int64_t id);

/* ---- settings: small key/value configuration --------------------------- */
/* Copies the value of key into out (n bytes); ERR_NOTFOUND if unset. */
int store_setting_get(struct store *s, const char *key, char *out, size_t n, struct err *e);
/* Sets key to value (a write: call from a job or it runs as its own). */
int store_setting_set(struct store *s, const char *key, const char *value, struct err *e);

/* ---- calendar days ------------------------------------------------------ */
/* Replaces the calendar days in [from, to] (day numbers) with those fed by
 * the iterator, in one transaction: the job calls next(arg, &day, &kind,
 * &name) until it returns 0. Days outside the range are kept. */
int store_calendar_replace(struct store *s, int64_t from, int64_t to,
                           int (*next)(void *arg, int64_t *day, int *kind, const char **name),
                           void *arg, struct err *e);
/* Visits the stored calendar days; returns 0 or an error. */
int store_calendar_each(struct store *s,
                        int (*fn)(void *arg, int64_t day, int kind, const char *name), void *arg,
                        struct err *e);

/* ---- reference data: units, categories, limits, whistle types ---------- */
struct store_unit {
    int64_t id;     /* row id */
    char code[32];  /* short stable code, e.g. "CGJ" */
    char name[128]; /* display name (Chinese) */
    char kind[24];  /* department | alliance | community | property | other */
    char uscc[24];  /* unified social credit code, "" if none */
    char phone[32]; /* contact phone, "" if none */
};
int store_unit_put(struct store *s, struct store_unit *u,
                   struct err *e); /* insert or update by code; sets u->id */
/* Inserts a new unit (u->id set); ERR_CONFLICT if the code is taken. */
int store_unit_insert(struct store *s, struct store_unit *u, struct err *e);
int store_unit_get(struct store *s, int64_t id, struct store_unit *out, struct err *e);
int store_unit_by_code(struct store *s, const char *code, struct store_unit *out, struct err *e);
/* Visits all units ordered by id. */
int store_unit_each(struct store *s, int (*fn)(void *arg, const struct store_unit *u), void *arg,
                    struct err *e);

struct store_category {
    char code[16];      /* 5 digits: class(1 part, 2 event, 3 livelihood) + 2 + 2 */
    char name[96];      /* small-class name */
    char group[64];     /* big-class (大类) name */
    char unit_code[32]; /* default handling unit's code, "" if none */
    char whistle[16];   /* default whistle type code, "" if none */
};
int store_category_put(struct store *s, const struct store_category *c, struct err *e);
int store_category_get(struct store *s, const char *code, struct store_category *out,
                       struct err *e);
int store_category_each(struct store *s, int (*fn)(void *arg, const struct store_category *c),
                        void *arg, struct err *e);

struct store_limit {
    char category[16]; /* category code or "*" for the default */
    char priority[16]; /* normal | urgent | ... */
    char stage[16];    /* register | dispatch | sign | handle | close */
    char span[16];     /* a cal_span string: "2wh", "5wd", "4h" */
};
int store_limit_put(struct store *s, const struct store_limit *l, struct err *e);
int store_limit_each(struct store *s, int (*fn)(void *arg, const struct store_limit *l), void *arg,
                     struct err *e);

struct store_whistle_type {
    char code[16]; /* e.g. "minsheng" */
    char name[64]; /* e.g. "民生哨" */
    int limit_min; /* default report-in limit, minutes */
};
int store_whistle_type_put(struct store *s, const struct store_whistle_type *t, struct err *e);
int store_whistle_type_each(struct store *s,
                            int (*fn)(void *arg, const struct store_whistle_type *t), void *arg,
                            struct err *e);

/* ---- users, sessions, API keys ----------------------------------------- */
struct store_user {
    int64_t id;         /* row id */
    char username[64];  /* unique login name */
    char name[160];     /* display name */
    char role[16];      /* resident | grid | dispatcher | handler | leader | admin */
    int64_t unit_id;    /* unit of a handler (0 if none) */
    char grid[24];      /* grid code of a grid worker ("" if none) */
    char phone[32];     /* normalised phone, "" if none */
    char id_card[24];   /* normalised ID card number, "" if none */
    char pw_hash[160];  /* argon2id hash string, "" if no password */
    int64_t created_at; /* instant */
    int disabled;       /* 1 if the account may not sign in */
};
/* Inserts u (u->id set). ERR_CONFLICT if the username is taken. */
int store_user_insert(struct store *s, struct store_user *u, struct err *e);
int store_user_update(struct store *s, const struct store_user *u, struct err *e);
int store_user_get(struct store *s, int64_t id, struct store_user *out, struct err *e);
int store_user_by_name(struct store *s, const char *username, struct store_user *out,
                       struct err *e);
int store_user_each(struct store *s, int (*fn)(void *arg, const struct store_user *u), void *arg,
                    struct err *e);

/* Credentials are stored as hashes only. kind: "session" or "apikey". */
struct store_cred {
    int64_t id;         /* row id */
    char kind[12];      /* session | apikey */
    char hash[72];      /* hex hash of the secret */
    char name[64];      /* API key name, "" for sessions */
    int64_t user_id;    /* whose credential */
    int64_t created_at; /* instant */
    int64_t expires_at; /* instant, 0 = never */
    int revoked;        /* 1 once revoked */
};
int store_cred_insert(struct store *s, struct store_cred *c, struct err *e);
int store_cred_by_hash(struct store *s, const char *hash, struct store_cred *out, struct err *e);
int store_cred_revoke(struct store *s, const char *hash, struct err *e);
int store_cred_each(struct store *s, const char *kind,
                    int (*fn)(void *arg, const struct store_cred *c), void *arg, struct err *e);

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
int store_case_insert(struct store *s, struct store_case *c, struct store_event *ev, struct err *e);
/* Appends ev to the log and stores the new projection c in the same
 * transaction. Fails with ERR_CONFLICT if c->last_seq - 1 is not the stored
 * seq (a concurrent change). Must run inside a write job. */
int store_case_append(struct store *s, struct store_case *c, struct store_event *ev, struct err *e);
/* Reads a case. Strings are allocated in a. ERR_NOTFOUND if absent. */
int store_case_get(struct store *s, int64_t id, struct arena *a, struct store_case *out,
                   struct err *e);
/* Reads a case's events in seq order into an arena array. */
int store_case_events(struct store *s, int64_t id, struct arena *a, struct store_event **out,
                      int *n, struct err *e);

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
    int limit;                     /* max rows (1..1000) */
};
/* Lists cases newest first. OUT: arena array *out of *n cases. */
int store_case_list(struct store *s, const struct store_case_filter *f, struct arena *a,
                    struct store_case **out, int *n, struct err *e);
/* Visits every located case (id, lon, lat, grid, grid_status) in id order. */
int store_case_each_located(struct store *s,
                            int (*fn)(void *arg, int64_t id, double lon, double lat,
                                      const char *grid, const char *grid_status),
                            void *arg, struct err *e);
/* Sets a case's grid and grid_status (a place derivation, not an event):
 * used when boundaries change. Must run inside a write job. */
int store_case_set_grid(struct store *s, int64_t id, const char *grid, const char *grid_status,
                        struct err *e);
/* Visits every case id in ascending order (for replay checks). */
int store_case_each_id(struct store *s, int (*fn)(void *arg, int64_t id), void *arg, struct err *e);
/* Units attached to a case: kind is lead, co or whistle. */
int store_case_units_set(struct store *s, int64_t case_id, const char *kind, const int64_t *ids,
                         int n, struct err *e);
/* 1 if unit_id is attached to the case, else 0 (or an error). */
int store_case_has_unit(struct store *s, int64_t case_id, int64_t unit_id, struct err *e);
/* Followers: users who hear of the case (the reporter of a merged duplicate). */
int store_case_follow(struct store *s, int64_t case_id, int64_t user_id, struct err *e);
/* Makes the reporter and every follower of case `from` follow case `to` too
 * (a merge into a master). Must run inside a write job. */
int store_case_follow_all(struct store *s, int64_t from, int64_t to, struct err *e);
/* 1 if the user reported or follows the case, else 0 (or an error). */
int store_case_is_follower(struct store *s, int64_t case_id, int64_t user_id, struct err *e);

/* ---- places (网格化): the place tree with boundaries ------------------- */
struct store_place {
    char code[40];     /* official code, unique */
    char kind[16];     /* subdistrict | community | grid | compound | courtyard | building |
                          unit | household */
    char parent[40];   /* parent's code, "" for the root */
    char name[192];    /* current name */
    char *geometry;    /* GeoJSON geometry (WGS-84), "" if none (arena or caller's) */
    double minx, miny; /* bounding box (degrees), valid if geometry is set */
    double maxx, maxy;
    double area_m2;     /* area of the boundary, 0 if none */
    int64_t updated_at; /* instant of the last change */
};
/* Inserts or updates a place by code. A changed name is recorded in the
 * name history (the old name's validity ends now). */
int store_place_put(struct store *s, const struct store_place *p, struct err *e);
/* Reads a place (geometry in a). ERR_NOTFOUND if absent. */
int store_place_get(struct store *s, const char *code, struct arena *a, struct store_place *out,
                    struct err *e);
/* Visits places ordered by code, optionally only one kind and/or one parent
 * (NULL: any); geometry is filled only if with_geometry (else ""). */
int store_place_each(struct store *s, const char *kind, const char *parent, int with_geometry,
                     int (*fn)(void *arg, const struct store_place *p), void *arg, struct err *e);
/* Removes every place (import replaces the tree). Keeps the name history. */
int store_place_clear(struct store *s, struct err *e);
/* Visits the names a place has had, oldest first. */
int store_place_names(struct store *s, const char *code,
                      int (*fn)(void *arg, const char *name, int64_t from, int64_t to), void *arg,
                      struct err *e);

/* A grid team member. */
int store_grid_member_add(struct store *s, const char *grid, int64_t user_id, const char *role,
                          struct err *e);
int store_grid_member_remove(struct store *s, const char *grid, int64_t user_id, const char *role,
                             struct err *e);
/* 1 if the user is on the grid's team (any role), else 0 (or an error). */
int store_grid_is_member(struct store *s, const char *grid, int64_t user_id, struct err *e);
int store_grid_members(struct store *s, const char *grid,
                       int (*fn)(void *arg, int64_t user_id, const char *role), void *arg,
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
int store_whistle_insert(struct store *s, struct store_whistle *w, const int64_t *units, int n,
                         struct err *e);
int store_whistle_get(struct store *s, int64_t id, struct arena *a, struct store_whistle *out,
                      struct err *e);
int store_whistle_units(struct store *s, int64_t whistle_id, struct arena *a,
                        struct store_whistle_unit **out, int *n, struct err *e);
int store_whistle_unit_update(struct store *s, const struct store_whistle_unit *u, struct err *e);
/* Whistles of a case (case_id > 0), or all (case_id 0) newest first up to limit. */
int store_whistle_list(struct store *s, int64_t case_id, int limit, struct arena *a,
                       struct store_whistle **out, int *n, struct err *e);

/* ---- uploaded files (store_files.c, 007_files.sql) ------------------------ */
struct store_file {
    char id[65];        /* SHA-256 of the bytes, 64 lower-case hex digits */
    char type[32];      /* media type, e.g. "image/jpeg" */
    int64_t size;       /* bytes */
    char *data;         /* the bytes (see store_file_get for who owns them) */
    int64_t created_at; /* first upload, unix seconds UTC */
    int64_t created_by; /* who uploaded it first, 0 for the system */
};

/* Stores f (id, type, size bytes at data, created_at, created_by) unless a
 * file with f->id is already there: the id names the bytes, so the stored
 * row is kept as it is. *created (may be NULL) is 1 if a row was added.
 * Writes: call from a job (store_write). ERR_STORE. */
int store_file_put(struct store *s, const struct store_file *f, int *created, struct err *e);
/* Reads file id into *out; out->data is from xmalloc (size bytes) and the
 * caller frees it with xfree. ERR_NOTFOUND (field "id") if there is none,
 * ERR_STORE. */
int store_file_get(struct store *s, const char *id, struct store_file *out, struct err *e);

/* ---- Open311 GeoReport v2 (store_open311.c) ----------------------------- */
/* An extra question of a service (GET services/{code}). */
struct store_o311_attr {
    char code[64];              /* attribute code (attribute[code] on POST) */
    int variable;               /* 1: asks for input; 0: information only */
    char datatype[24];          /* string number datetime text singlevaluelist multivaluelist */
    int required;               /* 1 if an answer is required */
    char *datatype_description; /* input hint (arena), may be "" */
    int order;                  /* display order, 1 first */
    char *description;          /* the question (arena) */
};
/* An option of a list attribute. */
struct store_o311_value {
    char attr_code[64]; /* the attribute */
    char key[64];       /* the value sent */
    char *name;         /* its label (arena) */
};
/* The attributes of a service in display order, and the options of its list
 * attributes (by attribute, in order). OUT: arena arrays. */
int store_o311_attrs(struct store *s, const char *service_code, struct arena *a,
                     struct store_o311_attr **attrs, int *n_attrs, struct store_o311_value **vals,
                     int *n_vals, struct err *e);
/* Visits the codes of the services that have attributes, in order. */
int store_o311_attr_services(struct store *s, int (*fn)(void *arg, const char *service_code),
                             void *arg, struct err *e);

/* One answer value given with a request (a multivaluelist has several). */
struct store_o311_answer {
    char code[64]; /* attribute code */
    char *value;   /* the value (arena or caller's) */
};
/* Stores a new request's answers in order. Must run inside a write job. */
int store_o311_answers_put(struct store *s, int64_t case_id, const struct store_o311_answer *v,
                           int n, struct err *e);
/* The answers of a request in the order given. OUT: arena array. */
int store_o311_answers(struct store *s, int64_t case_id, struct arena *a,
                       struct store_o311_answer **out, int *n, struct err *e);

/* GET requests: which cases; zero/NULL fields do not filter. */
struct store_o311_filter {
    const char *categories;           /* comma-separated category codes */
    const char *states;               /* comma-separated state names */
    int64_t created_from, created_to; /* created_at range (inclusive) */
    int64_t updated_from, updated_to; /* updated_at range (inclusive) */
    int has_bbox;                     /* 1: located inside the box below */
    double minx, miny, maxx, maxy;    /* the box (WGS-84 degrees) */
    int has_circle;                   /* 1: located within radius_m of lon/lat */
    double lon, lat, radius_m;        /* the circle (WGS-84, metres) */
    int limit;                        /* rows (1..1000) */
    int64_t offset;                   /* rows skipped */
};
/* Ids of the matching cases, newest report first. OUT: arena array. */
int store_o311_find(struct store *s, const struct store_o311_filter *f, struct arena *a,
                    int64_t **ids, int *n, struct err *e);
/* Events after the report (seq > 1) with at in [from, to], of one case if
 * case_id > 0, oldest first, paged. Filled: id, case_id, seq, at, action,
 * from_state, to_state, note, attachments. OUT: arena array. */
int store_o311_events(struct store *s, int64_t from, int64_t to, int64_t case_id, int limit,
                      int64_t offset, struct arena *a, struct store_event **out, int *n,
                      struct err *e);

/* An update received through POST servicerequestupdates. */
struct store_o311_update {
    char update_id[72];  /* the sender's id (unique) */
    int64_t case_id;     /* the request */
    int seq;             /* the comment event it produced */
    char status[32];     /* status as sent */
    char *description;   /* text (arena or caller's) */
    int64_t updated_at;  /* the sender's updated_datetime */
    int64_t received_at; /* instant of receipt */
    int64_t user_id;     /* whose api_key */
};
/* Reads an update by update_id; ERR_NOTFOUND (e untouched) if never seen. */
int store_o311_update_get(struct store *s, const char *update_id, struct arena *a,
                          struct store_o311_update *out, struct err *e);
/* Records an update; ERR_CONFLICT if its update_id was seen. Must run inside
 * a write job. */
int store_o311_update_insert(struct store *s, const struct store_o311_update *u, struct err *e);

/* ---- statistics feeds (store_stats.c) ------------------------------------ */
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
int store_stats_events(struct store *s, int64_t from, int64_t to,
                       const struct store_stats_scope *sc,
                       int (*fn)(void *arg, const struct store_stats_event *ev), void *arg,
                       struct err *e);
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
int store_stats_whistles(struct store *s, int64_t from, int64_t to,
                         const struct store_stats_scope *sc,
                         int (*fn)(void *arg, const struct store_stats_whistle *w), void *arg,
                         struct err *e);
/* Petitions (cases reported in [from, to] by the petition channel) and
 * repeat complaints (cases reported in [from, to] merged as duplicates by
 * `to`) in the scope. OUT: *petitions, *repeats. */
int store_stats_petitions(struct store *s, int64_t from, int64_t to,
                          const struct store_stats_scope *sc, int64_t *petitions, int64_t *repeats,
                          struct err *e);
/* ---- statistics roll-ups (store_roll.c, 006_stats_roll.sql) -------------- */
#define STORE_ROLL_NV 32 /* values per roll-up row (v0..v31) */
/* Adds the deltas v[STORE_ROLL_NV] to the row (rday, cday, grid). Write job. */
int store_roll_add(struct store *s, int lvl, int64_t rday, int64_t cday, const char *grid,
                   const int64_t *v, struct err *e);
/* Adds n cases to the intake row (rday, grid, channel, nature). Write job. */
int store_roll_intake_add(struct store *s, int lvl, int64_t rday, const char *grid,
                          const char *channel, const char *nature, int64_t n, struct err *e);
/* Deletes every roll-up row. Write job. */
int store_roll_clear(struct store *s, struct err *e);
/* The newest event id (0 if none). */
int store_roll_max_event(struct store *s, int64_t *out, struct err *e);
/* Visits, ordered by case then seq, the events with id <= upto of every case
 * that has an event with id in (after, upto]; ev.id is filled. */
int store_roll_events(struct store *s, int64_t after, int64_t upto,
                      int (*fn)(void *arg, const struct store_stats_event *ev), void *arg,
                      struct err *e);
/* Visits the rows of level lvl with rday in [from_day, to_day], cday <=
 * to_day and a grid starting with prefix (several rows may share a
 * (rday, grid): the caller sums). */
int store_roll_sum(struct store *s, int lvl, int64_t from_day, int64_t to_day, const char *prefix,
                   int (*fn)(void *arg, int64_t rday, const char *grid, const int64_t *v),
                   void *arg, struct err *e);
/* Visits the intake rows of level lvl with rday in [from_day, to_day] and a
 * grid starting with prefix. */
int store_roll_intake_sum(struct store *s, int lvl, int64_t from_day, int64_t to_day,
                          const char *prefix,
                          int (*fn)(void *arg, int64_t rday, const char *grid, const char *channel,
                                    const char *nature, int64_t n),
                          void *arg, struct err *e);

/* Grids whose code starts with prefix ("" all): OUT *grids, and *covered,
 * those with at least one team member (grid_members). */
int store_stats_coverage(struct store *s, const char *prefix, int64_t *grids, int64_t *covered,
                         struct err *e);

#endif
