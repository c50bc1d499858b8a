/* store.c - connections, statement cache, transactions and migrations. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "store_int.h"
#include "core/embed.h"

static atomic_int store_next_slot = 1;

struct store_tconn *store__tconn(struct store *s, struct err *e)
{
    struct store_tconn *t = pthread_getspecific(s->key);
    if (t)
        return t;
    t = xcalloc(1, sizeof *t);
    if (s->drv->open(s->path, s->flags & (STORE_READONLY), &t->conn, e)) {
        xfree(t);
        return NULL;
    }
    pthread_mutex_init(&t->use, NULL);
    pthread_mutex_lock(&s->lock);
    t->next = s->conns;
    s->conns = t;
    pthread_mutex_unlock(&s->lock);
    pthread_setspecific(s->key, t);
    return t;
}

/* ---- kept read snapshots ----------------------------------------------------
 * Under `serve` (group commit), a thread between store_enter and store_leave
 * leaves its read transaction open when a read ends, and the next read
 * reuses it while no write transaction has committed in this process since
 * it began (the commit generation s->gen is unchanged) and it is younger
 * than STORE_SNAPSHOT_MS. That spares each read the begin and end of a WAL
 * read transaction (file locks on the WAL index). A commit of this process
 * is seen by the next read; one of another process within the age limit. */

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

STORE_Q(q_begin_write, "BEGIN IMMEDIATE");
STORE_Q(q_begin_read, "BEGIN");
STORE_Q(q_commit, "COMMIT");

static int snap_fresh(struct store *s, struct store_tconn *t)
{
    return t->snap && t->snap_gen == __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE) &&
           mono_ms() - t->snap_ms < STORE_SNAPSHOT_MS;
}

/* Ends t's kept snapshot, if any (depth is raised meanwhile so that the
 * COMMIT statement does not come back here). */
static void snap_end(struct store *s, struct store_tconn *t)
{
    if (!t->snap)
        return;
    t->snap = 0;
    t->depth++;
    store__run(s, &q_commit, NULL, "");
    t->depth--;
}

/* Ends t's kept snapshot from its owner thread, under the lock the sweeper
 * takes when outside store_enter/store_leave. */
static void snap_drop(struct store *s, struct store_tconn *t)
{
    if (t->entered) {
        snap_end(s, t);
        return;
    }
    pthread_mutex_lock(&t->use);
    snap_end(s, t);
    pthread_mutex_unlock(&t->use);
}

/* A statement about to run outside any transaction: a reading one runs in
 * the thread's fresh snapshot (begun if needed), a writing one after the
 * snapshot has ended. Outside store_enter/store_leave a kept snapshot is
 * ended under the lock the sweeper takes. */
static int snap_bare(struct store *s, struct store_tconn *t, struct store_stmt *st, struct err *e)
{
    if (!t->entered || !s->drv->readonly(st)) {
        snap_drop(s, t);
        return 0;
    }
    if (snap_fresh(s, t))
        return 0;
    int rc = store__begin(s, t, 0, __FILE__, __LINE__, e);
    if (rc == 0)
        store__end(s, t, 0, NULL); /* kept: the statement runs inside it */
    return rc;
}

void store_enter(struct store *s)
{
    struct store_tconn *t = (s->flags & STORE_GROUP_COMMIT) ? store__tconn(s, NULL) : NULL;
    if (t == NULL || t->entered++ > 0)
        return;
    pthread_mutex_lock(&t->use);
}

void store_leave(struct store *s)
{
    struct store_tconn *t = pthread_getspecific(s->key);
    if (t == NULL || t->entered == 0 || --t->entered > 0)
        return;
    if (t->depth > 0) { /* a request ended inside a transaction: never kept */
        store__left_open(s, t, "at the end of a request");
        t->depth = 0;
        t->tx_file = NULL;
    }
    pthread_mutex_unlock(&t->use);
}

void store__sweep_snapshots(struct store *s)
{
    int64_t now = mono_ms();
    pthread_mutex_lock(&s->lock);
    for (struct store_tconn *t = s->conns; t; t = t->next) {
        if (!t->snap || pthread_mutex_trylock(&t->use) != 0)
            continue; /* none, or in use: its owner ends it */
        if (t->snap && now - t->snap_ms >= STORE_SNAPSHOT_MS) {
            s->drv->exec(t->conn, "COMMIT", NULL);
            t->snap = 0;
        }
        pthread_mutex_unlock(&t->use);
    }
    pthread_mutex_unlock(&s->lock);
}

struct store_stmt *store__stmt(struct store *s, struct store_q *q, struct err *e)
{
    struct store_tconn *t = store__tconn(s, e);
    if (t == NULL)
        return NULL;
    if (q->slot == 0) {
        int expect = 0;
        int slot = atomic_fetch_add(&store_next_slot, 1);
        /* Another thread may have assigned it first; both slots are valid. */
        __atomic_compare_exchange_n(&q->slot, &expect, slot, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    }
    int slot = __atomic_load_n(&q->slot, __ATOMIC_SEQ_CST);
    if (slot >= STORE_MAX_QUERIES) {
        err_set(e, ERR_INTERNAL, NULL, "too many distinct queries");
        return NULL;
    }
    if (t->stmts[slot] == NULL && s->drv->prepare(t->conn, q->sql, &t->stmts[slot], e))
        return NULL;
    s->drv->reset(t->stmts[slot]);
    if (t->depth == 0 && (t->snap || t->entered) && snap_bare(s, t, t->stmts[slot], e))
        return NULL;
    return t->stmts[slot];
}

/* Binds the values described by fmt (see store__bind) to st. */
static int store__vbind(struct store *s, struct store_stmt *st, const char *fmt, va_list ap)
{
    int rc = 0, i = 1;
    for (const char *f = fmt; *f && rc == 0; f++, i++) {
        if (*f == 'i') {
            rc = s->drv->bind_i64(st, i, va_arg(ap, int64_t));
        } else if (*f == 'I') {
            int64_t v = va_arg(ap, int64_t);
            rc = v ? s->drv->bind_i64(st, i, v) : s->drv->bind_null(st, i);
        } else if (*f == 'd') {
            rc = s->drv->bind_double(st, i, va_arg(ap, double));
        } else if (*f == 'N') { /* double, NaN binds NULL */
            double v = va_arg(ap, double);
            rc = v == v ? s->drv->bind_double(st, i, v) : s->drv->bind_null(st, i);
        } else if (*f == 's') {
            rc = s->drv->bind_text(st, i, va_arg(ap, const char *));
        } else if (*f == 't') {
            const char *v = va_arg(ap, const char *);
            rc = s->drv->bind_text(st, i, (v && *v) ? v : NULL);
        } else if (*f == 'b') {
            const void *v = va_arg(ap, const void *);
            rc = s->drv->bind_blob(st, i, v, va_arg(ap, size_t));
        } else {
            rc = ERR_INTERNAL;
        }
    }
    return rc;
}

int store__bind(struct store *s, struct store_stmt *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = store__vbind(s, st, fmt, ap);
    va_end(ap);
    return rc;
}

int store__run(struct store *s, struct store_q *q, struct err *e, const char *fmt, ...)
{
    struct store_stmt *st = store__stmt(s, q, e);
    if (st == NULL)
        return e ? e->code : ERR_STORE;
    va_list ap;
    va_start(ap, fmt);
    int rc = store__vbind(s, st, fmt, ap);
    va_end(ap);
    if (rc)
        return err_set(e, ERR_STORE, NULL, "database: cannot bind parameters");
    rc = s->drv->step(st, e);
    s->drv->reset(st);
    return rc < 0 ? rc : 0;
}

/* Transaction control statements, prepared once per connection. */
STORE_Q(q_rollback, "ROLLBACK");
STORE_Q(q_savepoint, "SAVEPOINT job");
STORE_Q(q_release, "RELEASE job");
STORE_Q(q_rollback_to, "ROLLBACK TO job");

int store__begin(struct store *s, struct store_tconn *t, int write, const char *file, int line,
                 struct err *e)
{
    if (t->depth++ > 0)
        return 0;
    if (!t->snap && s->drv->in_tx(t->conn))
        store__left_open(s, t, "when a new one began");
    t->tx_file = file;
    t->tx_line = line;
    if (t->snap) {
        if (!write && t->entered && snap_fresh(s, t)) {
            t->snap = 0; /* in use as this transaction; store__end keeps it again */
            return 0;
        }
        snap_drop(s, t);
    }
    if (!write && t->entered) { /* may be kept: note what it will have seen at least */
        t->snap_gen = __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE);
        t->snap_ms = mono_ms();
    }
    int rc = store__run(s, write ? &q_begin_write : &q_begin_read, e, "");
    if (rc)
        t->depth = 0;
    return rc;
}

/* After a write transaction of t committed: the cases it wrote get the
 * next generation, then the generation moves on (release), so a reader that
 * sees the new generation sees the marks. */
static void publish(struct store *s, struct store_tconn *t)
{
    int64_t g = __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE) + 1;
    if (s->case_gen)
        for (int i = 0; i < t->n_touched; i++)
            __atomic_store_n(&s->case_gen[t->touched[i] & (STORE_CASE_SLOTS - 1)], g,
                             __ATOMIC_RELAXED);
    t->n_touched = 0;
    __atomic_add_fetch(&s->gen, 1, __ATOMIC_RELEASE);
}

void store__touch_case(struct store *s, int64_t id)
{
    struct store_tconn *t = pthread_getspecific(s->key);
    if (t == NULL || s->case_gen == NULL)
        return;
    if (t->n_touched == t->cap_touched) {
        t->cap_touched = t->cap_touched ? t->cap_touched * 2 : 64;
        t->touched = xrealloc(t->touched, (size_t)t->cap_touched * sizeof *t->touched);
    }
    t->touched[t->n_touched++] = id;
    if (t->depth == 0) /* a statement on its own has committed already */
        publish(s, t);
}

void store__external_commit(struct store *s)
{
    int64_t g = __atomic_add_fetch(&s->gen, 1, __ATOMIC_ACQ_REL);
    __atomic_store_n(&s->flush_gen, g, __ATOMIC_RELEASE);
}

int64_t store_gen(struct store *s)
{
    return __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE);
}

int64_t store_case_gen(struct store *s, int64_t id)
{
    if (s->case_gen == NULL)
        return INT64_MAX;
    int64_t g = __atomic_load_n(&s->case_gen[id & (STORE_CASE_SLOTS - 1)], __ATOMIC_ACQUIRE);
    int64_t f = __atomic_load_n(&s->flush_gen, __ATOMIC_ACQUIRE);
    return g > f ? g : f;
}

int store__end(struct store *s, struct store_tconn *t, int commit, struct err *e)
{
    if (--t->depth > 0)
        return 0;
    t->last_file = t->tx_file;
    t->last_line = t->tx_line;
    t->tx_file = NULL;
    /* A read is kept for the next read (see store_enter), unless a write
     * nested in it has made it a write transaction: that is ended below
     * (rolled back, as a read transaction always was). */
    int wrote = s->drv->tx_wrote(t->conn); /* BEGIN IMMEDIATE, or a write nested in a read */
    if (!wrote && t->entered && s->drv->in_tx(t->conn)) {
        t->snap = 1;
        return 0;
    }
    t->depth++; /* so that COMMIT and ROLLBACK do not go through snap_bare */
    int ok = commit && store__run(s, &q_commit, e, "") == 0;
    if (!ok)
        store__run(s, &q_rollback, NULL, "");
    t->depth--;
    if (ok && wrote)
        publish(s, t);
    t->n_touched = 0;
    if (ok)
        return 0;
    return commit ? ERR_STORE : 0;
}

int store__savepoint(struct store *s, enum store_savepoint op, struct err *e)
{
    static struct store_q *const ops[] = {
        [SAVEPOINT_BEGIN] = &q_savepoint,
        [SAVEPOINT_RELEASE] = &q_release,
        [SAVEPOINT_UNDO] = &q_rollback_to,
    };
    return store__run(s, ops[op], e, "");
}

void store__left_open(struct store *s, struct store_tconn *t, const char *what)
{
    __atomic_add_fetch(&s->left_open, 1, __ATOMIC_RELAXED);
    if (t->depth > 0 && t->tx_file)
        fprintf(stderr, "store: the transaction begun at %s:%d was left open (found %s)\n",
                t->tx_file, t->tx_line, what);
    else
        fprintf(stderr,
                "store: a transaction was left open on a connection (found %s; the last one "
                "the store began was at %s:%d); rolled back\n",
                what, t->last_file ? t->last_file : "?", t->last_line);
    s->drv->exec(t->conn, "ROLLBACK", NULL);
}

int64_t store_left_open(struct store *s)
{
    return __atomic_load_n(&s->left_open, __ATOMIC_RELAXED);
}

int store__write_inline(struct store *s, store_job_fn fn, void *arg, struct err *e,
                        const char *file, int line)
{
    struct store_tconn *t = store__tconn(s, e);
    if (t == NULL)
        return e ? e->code : ERR_STORE;
    int rc = store__begin(s, t, 1, file, line, e);
    if (rc)
        return rc;
    rc = fn(s, arg, e);
    int rc2 = store__end(s, t, rc == 0, e);
    return rc ? rc : rc2;
}

int store_write_at(struct store *s, store_job_fn fn, void *arg, struct err *e, const char *file,
                   int line)
{
    struct store_tconn *t = pthread_getspecific(s->key);
    if (t && t->depth > 0) /* nested: part of the caller's transaction */
        return fn(s, arg, e);
    if (s->flags & STORE_READONLY)
        return err_set(e, ERR_DENIED, NULL, "the database is open read-only");
    if (s->writer)
        return store__writer_submit(s, fn, arg, e, file, line);
    return store__write_inline(s, fn, arg, e, file, line);
}

int store_read_at(struct store *s, store_job_fn fn, void *arg, struct err *e, const char *file,
                  int line)
{
    struct store_tconn *t = store__tconn(s, e);
    if (t == NULL)
        return e ? e->code : ERR_STORE;
    int rc = store__begin(s, t, 0, file, line, e);
    if (rc)
        return rc;
    rc = fn(s, arg, e);
    store__end(s, t, 0, NULL);
    return rc;
}

void store_write_stats(struct store *s, int64_t *jobs, int64_t *commits)
{
    *jobs = *commits = 0;
    if (s->writer)
        store__writer_stats(s, jobs, commits);
}

/* ---- migrations ----------------------------------------------------------- */

STORE_Q(q_mig_create,
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
STORE_Q(q_mig_max, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
STORE_Q(q_mig_add, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)");

static int store_current_version(struct store *s, int *v, struct err *e)
{
    struct store_stmt *st = store__stmt(s, &q_mig_max, e);
    if (st == NULL)
        return ERR_STORE;
    int rc = s->drv->step(st, e);
    if (rc < 0)
        return rc;
    *v = (int)COL_I64(s, st, 0);
    s->drv->reset(st);
    return 0;
}

/* Applies the embedded migrations above the current version, each in its own
 * transaction, in file-name order. */
static int store_migrate(struct store *s, struct err *e)
{
    size_t n, plen = strlen(s->drv->schema_dir);
    const struct embed_file *files = embed_list(&n);
    struct store_tconn *t = store__tconn(s, e);
    int cur, rc;
    if (t == NULL)
        return ERR_STORE;
    if ((rc = s->drv->exec(t->conn, q_mig_create.sql, e)) ||
        (rc = store_current_version(s, &cur, e)))
        return rc;
    for (size_t i = 0; i < n; i++) {
        const char *name = files[i].name;
        if (strncmp(name, s->drv->schema_dir, plen) != 0)
            continue;
        int v = (int)strtol(name + plen, NULL, 10);
        if (v <= cur)
            continue;
        if ((rc = store__begin(s, t, 1, __FILE__, __LINE__, e)))
            return rc;
        rc = s->drv->exec(t->conn, (const char *)files[i].data, e);
        if (rc == 0)
            rc = store__run(s, &q_mig_add, e, "isi", (int64_t)v, name + plen, time_now());
        int rc2 = store__end(s, t, rc == 0, e);
        if (rc || rc2)
            return err_set(e, ERR_STORE, NULL, "migration %s failed", name);
        cur = v;
    }
    s->schema_version = cur;
    return 0;
}

int store_schema_version(struct store *s)
{
    return s->schema_version;
}

const char *store_driver_name(const struct store *s)
{
    return s->drv->name;
}

int store_open(const char *path, int flags, struct store **out, struct err *e)
{
    struct stat sb;
    if (!(flags & STORE_CREATE) && stat(path, &sb) != 0)
        return err_set(e, ERR_NOTFOUND, "db",
                       "no database at %s (create one with `chuishao init --db %s`)", path, path);
    struct store *s = xcalloc(1, sizeof *s);
    s->drv = &store_drv_sqlite;
    s->path = xstrdup(path);
    s->flags = flags;
    pthread_mutex_init(&s->lock, NULL);
    pthread_key_create(&s->key, NULL);
    int rc = 0;
    /* The first connection creates the file; later ones must not. */
    struct store_tconn *t = xcalloc(1, sizeof *t);
    rc = s->drv->open(path, flags & (STORE_CREATE | STORE_READONLY), &t->conn, e);
    if (rc) {
        xfree(t);
        goto fail;
    }
    pthread_mutex_init(&t->use, NULL);
    s->conns = t;
    pthread_setspecific(s->key, t);
    if (!(flags & STORE_READONLY) && (rc = store_migrate(s, e)))
        goto fail;
    if (!(flags & STORE_READONLY) && (rc = store__bulk_recover(s, e)))
        goto fail;
    if (flags & STORE_GROUP_COMMIT)
        s->case_gen = xcalloc(STORE_CASE_SLOTS, sizeof *s->case_gen);
    if ((flags & STORE_GROUP_COMMIT) && (rc = store__writer_start(s, e)))
        goto fail;
    *out = s;
    return 0;
fail:
    store_close(s);
    return rc;
}

void store_close(struct store *s)
{
    if (s == NULL)
        return;
    if (s->writer)
        store__writer_stop(s);
    struct store_tconn *t, *next;
    for (t = s->conns; t; t = next) {
        next = t->next;
        for (int i = 0; i < STORE_MAX_QUERIES; i++)
            s->drv->finalize(t->stmts[i]);
        if (t->snap)
            s->drv->exec(t->conn, "COMMIT", NULL);
        else if (t->depth > 0 || s->drv->in_tx(t->conn))
            store__left_open(s, t, "when the store was closed");
        s->drv->close(t->conn);
        pthread_mutex_destroy(&t->use);
        xfree(t->touched);
        xfree(t);
    }
    pthread_setspecific(s->key, NULL);
    pthread_key_delete(s->key);
    pthread_mutex_destroy(&s->lock);
    xfree(s->case_gen);
    xfree(s->path);
    xfree(s);
}

int store__row_i64(struct store *s, struct store_stmt *st, void *arg)
{
    *(int64_t *)arg = COL_I64(s, st, 0);
    return 0;
}

int store__query(struct store *s, struct store_q *q, struct err *e,
                 int (*row)(struct store *s, struct store_stmt *st, void *arg), void *arg,
                 const char *fmt, ...)
{
    struct store_stmt *st = store__stmt(s, q, e);
    if (st == NULL)
        return e ? e->code : ERR_STORE;
    va_list ap;
    va_start(ap, fmt);
    int rc = store__vbind(s, st, fmt, ap);
    va_end(ap);
    if (rc)
        return err_set(e, ERR_STORE, NULL, "database: cannot bind parameters");
    while ((rc = s->drv->step(st, e)) == STORE_ROW) {
        rc = row(s, st, arg);
        if (rc != 0)
            break;
    }
    s->drv->reset(st);
    return rc < 0 ? rc : 0;
}

char *store__col_dup(struct store *s, struct store_stmt *st, int i, struct arena *a)
{
    return arena_strdup(a, COL_TEXT(s, st, i));
}

void *store__push(struct arena *a, void **v, int *n, int *cap, size_t size)
{
    if (*n == *cap) {
        int grown = *cap ? *cap * 2 : 16;
        void *bigger = arena_alloc(a, size * (size_t)grown);
        if (*n)
            memcpy(bigger, *v, size * (size_t)*n);
        *v = bigger;
        *cap = grown;
    }
    return (char *)*v + size * (size_t)(*n)++;
}
