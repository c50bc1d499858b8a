/*
 * store_int.h - internals shared by the files of src/store/ (no other module
 * includes this). The driver table hides the backend; query files use the
 * store__* helpers and portable SQL with `?` placeholders.
 */
#ifndef CHUISHAO_STORE_INT_H
#define CHUISHAO_STORE_INT_H

#include <pthread.h>
#include "store.h"

struct store_conn; /* a backend connection (driver-defined) */
struct store_stmt; /* a prepared statement (driver-defined) */

enum { STORE_DONE = 0, STORE_ROW = 1 };

/* A backend: the first two members are fixed so the table can grow. */
struct store_driver {
    int version;      /* 1 */
    const char *name; /* "sqlite" */
    int (*open)(const char *path, int flags, struct store_conn **out, struct err *e);
    void (*close)(struct store_conn *c);
    /* Runs one or more statements without results. */
    int (*exec)(struct store_conn *c, const char *sql, struct err *e);
    /* Prepares sql for repeated use; the statement lives as long as c. */
    int (*prepare)(struct store_conn *c, const char *sql, struct store_stmt **out, struct err *e);
    void (*finalize)(struct store_stmt *st);
    void (*reset)(struct store_stmt *st);
    int (*bind_i64)(struct store_stmt *st, int i, int64_t v);
    int (*bind_double)(struct store_stmt *st, int i, double v);
    int (*bind_text)(struct store_stmt *st, int i, const char *v); /* copies; NULL binds NULL */
    int (*bind_null)(struct store_stmt *st, int i);
    /* STORE_ROW, STORE_DONE, or ERR_CONFLICT (constraint) / ERR_AGAIN / ERR_STORE. */
    int (*step)(struct store_stmt *st, struct err *e);
    int64_t (*col_i64)(struct store_stmt *st, int i);
    double (*col_double)(struct store_stmt *st, int i);
    const char *(*col_text)(struct store_stmt *st, int i); /* "" for NULL; valid until next step */
    int (*col_is_null)(struct store_stmt *st, int i);
    int64_t (*last_id)(struct store_conn *c);
    /* 1 if a transaction is open on c (0: autocommit, e.g. after SQLite
     * rolled a failed transaction back by itself). */
    int (*in_tx)(struct store_conn *c);
    int (*changes)(struct store_conn *c);
    /* Embedded folder of this backend's numbered migrations, "NNN_name.sql". */
    const char *schema_dir;
    /* Binds n bytes at v as a blob (copied). */
    int (*bind_blob)(struct store_stmt *st, int i, const void *v, size_t n);
    /* A blob column's bytes (NULL if empty or NULL) and their number; valid
     * until the next step. */
    const void *(*col_blob)(struct store_stmt *st, int i, size_t *n);
    /* 1 if st does not write (transaction control counts as not writing). */
    int (*readonly)(struct store_stmt *st);
    /* 1 if the open transaction on c has written (or holds the write lock). */
    int (*tx_wrote)(struct store_conn *c);
    /* The write-ahead log file of c's database (NULL if none), as the
     * backend resolved it (symlinks followed); valid while c is open. */
    const char *(*wal_path)(struct store_conn *c);
};

extern const struct store_driver store_drv_sqlite;

/* A query: SQL text plus a process-wide slot number used to cache its
 * prepared statement per connection (assigned on first use). */
struct store_q {
    const char *sql; /* portable SQL with ? placeholders */
    int slot;        /* 0 until assigned */
};
#define STORE_Q(name, text) static struct store_q name = {text, 0}
#define STORE_MAX_QUERIES   256

/* Per-thread connection state. */
struct store_tconn {
    struct store_conn *conn;                     /* backend connection */
    struct store_stmt *stmts[STORE_MAX_QUERIES]; /* prepared statement cache by slot */
    int depth;                                   /* transaction nesting depth */
    const char *tx_file;                         /* where the outermost transaction began */
    int tx_line;                                 /* (the store_write/store_read caller) */
    const char *last_file;                       /* where the last one, now ended, began */
    int last_line;
    struct store_tconn *next; /* all connections of the store */
    /* Kept read snapshots (see store_enter): a read transaction left open
     * between reads while nothing was committed in this process, for at
     * most STORE_SNAPSHOT_MS. `use` is held by the owner between
     * store_enter and store_leave; the checkpointer ends idle snapshots
     * under it. */
    pthread_mutex_t use;
    int entered;      /* store_enter calls not yet left (nesting) */
    int snap;         /* a kept read transaction is open (depth 0) */
    int64_t snap_gen; /* the store's commit generation when it began */
    int64_t snap_ms;  /* when it began (monotonic ms) */
    int64_t *touched; /* cases written by the open write transaction (see store_case_gen) */
    int n_touched, cap_touched;
};

struct store_writer; /* group commit writer (store_writer.c) */

struct store {
    const struct store_driver *drv; /* backend */
    char *path;                     /* database path */
    int flags;                      /* enum store_flags */
    pthread_key_t key;              /* thread -> struct store_tconn */
    pthread_mutex_t lock;           /* guards conns */
    struct store_tconn *conns;      /* every connection opened */
    struct store_writer *writer;    /* NULL without group commit */
    int schema_version;             /* after migrations */
    int64_t gen;                    /* write transactions committed in this process (atomic) */
    int64_t *case_gen;              /* by case id % STORE_CASE_SLOTS: the gen that last wrote it */
    int64_t flush_gen;              /* gen when another process was last seen committing */
    int64_t left_open;              /* transactions found left open (atomic) */
};

#define STORE_CASE_SLOTS 65536 /* a power of two */

/* Notes that the calling thread's write transaction writes case id (called
 * by the functions that write cases); published when it commits. */
void store__touch_case(struct store *s, int64_t id);
/* Another connection committed (seen by the writer): every cached view may
 * be stale and every kept snapshot is. */
void store__external_commit(struct store *s);

/* How long a kept read snapshot may serve reads (bounds how late a commit
 * of another process, such as the CLI beside a server, is seen). */
#define STORE_SNAPSHOT_MS 10
/* Ends the kept snapshots of connections idle for longer than that, so a
 * reader that went quiet does not hold the WAL back (the checkpointer). */
void store__sweep_snapshots(struct store *s);

/* This thread's connection, opened on first use; NULL (with e set) on error. */
struct store_tconn *store__tconn(struct store *s, struct err *e);
/* The prepared statement of q on this thread's connection, reset and ready
 * for binding; NULL (with e set) on error. */
struct store_stmt *store__stmt(struct store *s, struct store_q *q, struct err *e);
/* Binds values: a format of 'i' int64, 'd' double, 's' text (NULL -> NULL),
 * 't' text with "" -> NULL, 'I' int64 with 0 -> NULL, 'N' double with NaN ->
 * NULL, 'b' a blob (two values: const void *, size_t), followed by values. */
int store__bind(struct store *s, struct store_stmt *st, const char *fmt, ...);
/* Runs a statement that returns no rows; returns 0 or an error. */
int store__run(struct store *s, struct store_q *q, struct err *e, const char *fmt, ...);
/* Transaction helpers (nesting; BEGIN IMMEDIATE for writes). */
int store__begin(struct store *s, struct store_tconn *t, int write, const char *file, int line,
                 struct err *e);
int store__end(struct store *s, struct store_tconn *t, int commit, struct err *e);
/* The job savepoint of the writer's batches. */
enum store_savepoint {
    SAVEPOINT_BEGIN = 0,   /* SAVEPOINT job */
    SAVEPOINT_RELEASE = 1, /* RELEASE job: keep its work in the batch */
    SAVEPOINT_UNDO = 2,    /* ROLLBACK TO job: undo its work (then release) */
};
int store__savepoint(struct store *s, enum store_savepoint op, struct err *e);
/* Runs one job inline in its own transaction on this thread (no batching);
 * file and line say where it was asked for. */
int store__write_inline(struct store *s, store_job_fn fn, void *arg, struct err *e,
                        const char *file, int line);
/* Reports and rolls back a transaction found open on t where none should
 * be (what: when it was found), counting it in store_left_open. */
void store__left_open(struct store *s, struct store_tconn *t, const char *what);

/* Group commit writer. */
int store__writer_start(struct store *s, struct err *e);
void store__writer_stop(struct store *s);
int store__writer_submit(struct store *s, store_job_fn fn, void *arg, struct err *e,
                         const char *file, int line);
void store__writer_stats(struct store *s, int64_t *jobs, int64_t *commits);

/* Reads columns 0..13 of a statistics event row (store_stats.c's layout:
 * case_id, channel, nature, category, grid, seq, at, action, to_state,
 * unit_id, amount, flag, due_at, close_due) into *out. */
struct store_stats_event;
void store__stats_event_row(struct store *s, struct store_stmt *st, struct store_stats_event *out);

/* Recreates the indexes a bulk load dropped if it never finished (a
 * crash): run by store_open. */
int store__bulk_recover(struct store *s, struct err *e);

/* A row callback for store__query that reads column 0 as an integer into
 * *(int64_t *)arg. */
int store__row_i64(struct store *s, struct store_stmt *st, void *arg);

/* Column helpers. */
#define COL_I64(s, st, i)  ((s)->drv->col_i64((st), (i)))
#define COL_TEXT(s, st, i) ((s)->drv->col_text((st), (i)))
/* Copies column i into a fixed char array. */
#define COL_COPY(s, st, i, dst) str_copy((dst), sizeof(dst), COL_TEXT(s, st, i))

/* Runs a query bound with fmt/values (see store__bind) and calls row(s, st,
 * arg) for each result row; row returns 0 to go on, >0 to stop, <0 on error.
 * Returns 0, the row callback's negative code, or a store error. */
int store__query(struct store *s, struct store_q *q, struct err *e,
                 int (*row)(struct store *s, struct store_stmt *st, void *arg), void *arg,
                 const char *fmt, ...);
/* Returns a pointer to a new zeroed element at the end of an arena array
 * (*v with *n elements of size bytes, room for *cap), growing it by doubling. */
void *store__push(struct arena *a, void **v, int *n, int *cap, size_t size);
/* Dups column i into the arena. */
char *store__col_dup(struct store *s, struct store_stmt *st, int i, struct arena *a);

#endif
