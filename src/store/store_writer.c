/*
 * store_writer.c - group commit. One writer thread takes every job queued
 * while the previous batch was committing, runs each inside its own
 * SAVEPOINT (a failing job rolls back alone), commits the batch once, and
 * hands it to the syncer thread, which makes the write-ahead log durable
 * (fdatasync) and only then wakes the callers. So a caller returns only
 * once its batch is on disk, and the writer runs the next batch while the
 * disk syncs the last one (the writer's connection commits with
 * synchronous=NORMAL: SQLite writes the WAL frames, the syncer flushes
 * them). Where the WAL file cannot be opened the writer's connection keeps
 * synchronous=FULL and the syncer only wakes the callers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "store_int.h"

#define WRITER_MAX_BATCH 512

struct wjob {
    store_job_fn fn;     /* the work */
    void *arg;           /* its argument */
    struct err *e;       /* the caller's error context (may be NULL) */
    int rc;              /* result, valid once done */
    int finished;        /* set by the writer under the lock (sync jobs) */
    pthread_cond_t wake; /* signalled for this caller alone when done (sync jobs) */
    const char *file;    /* where it was asked for (store_write's caller) */
    int line;
    store_done_fn done; /* async jobs: called after the commit, then the job is freed */
    void *done_arg;     /* its argument */
    struct wjob *next;  /* queue link */
};

struct store_writer {
    pthread_t thread;    /* the writer */
    pthread_mutex_t mu;  /* guards everything below */
    pthread_cond_t work; /* signalled when a job is queued or on stop */
    struct wjob *head;   /* queued jobs, oldest first */
    struct wjob *tail;
    int stop;                     /* set by store__writer_stop */
    int started;                  /* threads running: 1 writer, 2 + syncer, 3 + checkpointer */
    int64_t jobs;                 /* jobs run so far */
    int64_t commits;              /* batches committed so far */
    pthread_t checkpointer;       /* copies the WAL into the database in the background */
    pthread_cond_t tick;          /* wakes the checkpointer early on stop */
    int64_t ns_jobs;              /* time spent running jobs */
    int64_t ns_commit;            /* time spent in COMMIT */
    pthread_t syncer;             /* makes committed batches durable, then wakes their callers */
    pthread_cond_t commits_ready; /* signalled when a batch is handed to the syncer */
    struct wjob *sync_head;       /* committed jobs not yet synced, oldest first */
    struct wjob *sync_tail;
    int writer_gone;      /* the writer has exited: the syncer drains and exits */
    int own_sync;         /* 1: the writer commits with synchronous=NORMAL and the syncer syncs */
    int wal_fd;           /* the WAL file, opened by the syncer (-1 until then) */
    char wal_path[4096];  /* its path, as SQLite resolved it */
    int sync_failed;      /* an fdatasync failed: no more writes are taken */
    int64_t data_version; /* the writer connection's PRAGMA data_version (-1: unknown) */
    int64_t syncs;        /* fdatasync calls */
    int64_t ns_sync;      /* time spent in them */
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Appends the chain first..last to the queue head/tail (under w->mu). */
static void append(struct wjob **head, struct wjob **tail, struct wjob *first, struct wjob *last)
{
    if (*tail)
        (*tail)->next = first;
    else
        *head = first;
    *tail = last;
}

/* The CLOCK_REALTIME instant ms milliseconds from now, for timed waits. */
static struct timespec deadline_ms(int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)ms * 1000000;
    while (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    return until;
}

/* Runs one job inside a savepoint of the open batch transaction. */
static void writer_run_job(struct store *s, struct wjob *j)
{
    struct err local;
    struct err *e = j->e ? j->e : &local;
    err_clear(&local);
    struct store_tconn *t = pthread_getspecific(s->key);
    if ((j->rc = store__savepoint(s, SAVEPOINT_BEGIN, e)))
        return;
    if (t) { /* messages name the job's origin, not the batch's */
        t->tx_file = j->file;
        t->tx_line = j->line;
    }
    j->rc = j->fn(s, j->arg, e);
    if (j->rc)
        store__savepoint(s, SAVEPOINT_UNDO, NULL);
    store__savepoint(s, SAVEPOINT_RELEASE, NULL);
}

STORE_Q(q_data_version, "PRAGMA data_version");

/* Inside a transaction of the writer's connection: if another connection
 * (another process, such as the CLI) has committed since the last look,
 * tells the store, whose caches of reads then start afresh. The writer's
 * own commits do not change its data_version. */
static void writer_watch(struct store *s, struct store_writer *w)
{
    int64_t v = -1;
    if (store__query(s, &q_data_version, NULL, store__row_i64, &v, "") != 0 || v < 0)
        return;
    if (w->data_version >= 0 && v != w->data_version)
        store__external_commit(s);
    w->data_version = v;
}

/* Runs a batch of jobs in one transaction and commits it. */
static void writer_run_batch(struct store *s, struct store_writer *w, struct wjob *batch)
{
    int64_t t0 = now_ns();
    struct err e;
    err_clear(&e);
    struct store_tconn *t = store__tconn(s, &e);
    int rc = t ? store__begin(s, t, 1, __FILE__, __LINE__, &e) : ERR_STORE;
    if (rc == 0 && __atomic_load_n(&w->sync_failed, __ATOMIC_ACQUIRE)) {
        store__end(s, t, 0, NULL);
        rc = err_set(&e, ERR_STORE, NULL,
                     "writes are stopped since the disk failed to sync; restart the server");
    }
    if (rc == 0)
        writer_watch(s, w);
    for (struct wjob *j = batch; j; j = j->next) {
        if (rc) {
            j->rc = err_set(j->e, rc, NULL, "%s", e.msg);
            continue;
        }
        writer_run_job(s, j);
        /* A job's error may have made SQLite roll the whole transaction
         * back; what follows would then commit on its own: stop instead. */
        if (j->rc && !s->drv->in_tx(t->conn)) {
            rc = err_set(&e, ERR_STORE, NULL, "the batch transaction was lost; nothing stored");
            for (struct wjob *k = batch; k != j->next; k = k->next)
                if (k->rc == 0)
                    k->rc = err_set(k->e, ERR_STORE, NULL, "%s", e.msg);
            t->depth = 0;
        }
    }
    int64_t t1 = now_ns();
    if (rc == 0)
        rc = store__end(s, t, 1, &e);
    w->ns_jobs += t1 - t0;
    w->ns_commit += now_ns() - t1;
    if (rc != 0)
        for (struct wjob *j = batch; j; j = j->next)
            if (j->rc == 0)
                j->rc = err_set(j->e, ERR_STORE, NULL, "commit failed: %s", e.msg);
}

static void *writer_main(void *arg)
{
    struct store *s = arg;
    struct store_writer *w = s->writer;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->head == NULL && !w->stop) {
            /* Idle: look for other processes' commits every 100 ms. */
            struct timespec until = deadline_ms(100);
            if (pthread_cond_timedwait(&w->work, &w->mu, &until) != 0 && w->head == NULL) {
                pthread_mutex_unlock(&w->mu);
                struct store_tconn *t = store__tconn(s, NULL);
                if (t && store__begin(s, t, 0, __FILE__, __LINE__, NULL) == 0) {
                    writer_watch(s, w);
                    store__end(s, t, 0, NULL);
                }
                pthread_mutex_lock(&w->mu);
            }
        }
        if (w->head == NULL && w->stop)
            break;
        /* Take up to WRITER_MAX_BATCH jobs off the queue. */
        struct wjob *batch = w->head, *last = batch;
        int n = 1;
        while (last->next && n < WRITER_MAX_BATCH) {
            last = last->next;
            n++;
        }
        w->head = last->next;
        if (w->head == NULL)
            w->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&w->mu);
        writer_run_batch(s, w, batch);
        pthread_mutex_lock(&w->mu);
        w->jobs += n;
        w->commits++;
        append(&w->sync_head, &w->sync_tail, batch, last);
        pthread_cond_signal(&w->commits_ready);
    }
    w->writer_gone = 1;
    pthread_cond_signal(&w->commits_ready);
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* Flushes the WAL file to disk: everything committed before the call is
 * durable when it returns 0. The file is (re)opened by path when needed. */
static int wal_sync(struct store_writer *w)
{
    char path[sizeof w->wal_path];
    struct stat now, open_st;
    memcpy(path, w->wal_path, sizeof path); /* cut below to its directory */
    if (w->wal_fd >= 0 && (stat(path, &now) != 0 || fstat(w->wal_fd, &open_st) != 0 ||
                           now.st_ino != open_st.st_ino || now.st_dev != open_st.st_dev)) {
        close(w->wal_fd); /* replaced or gone: a new file needs its directory synced too */
        w->wal_fd = -1;
    }
    if (w->wal_fd < 0) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return -1;
        /* The directory entry of a new WAL file must be durable as well;
         * until that has worked the file is opened (and this tried) again. */
        char *slash = strrchr(path, '/');
        if (slash)
            slash[slash == path ? 1 : 0] = '\0';
        int dir = open(slash ? path : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int rc = dir >= 0 ? fsync(dir) : -1;
        if (dir >= 0)
            close(dir);
        if (rc != 0) {
            close(fd);
            return -1;
        }
        w->wal_fd = fd;
    }
    return fdatasync(w->wal_fd);
}

/* The syncer: takes every batch committed so far, syncs the WAL once for
 * all of them, then completes their jobs: a sync caller is woken, an async
 * job's callback runs (for HTTP requests: resuming the connection, so that
 * work is off the writer too) and the job is freed. A failed sync fails
 * every job of those batches that had succeeded. */
static void *syncer_main(void *arg)
{
    struct store *s = arg;
    struct store_writer *w = s->writer;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->sync_head == NULL && !w->writer_gone)
            pthread_cond_wait(&w->commits_ready, &w->mu);
        struct wjob *batch = w->sync_head;
        if (batch == NULL)
            break;
        w->sync_head = w->sync_tail = NULL;
        pthread_mutex_unlock(&w->mu);
        if (w->own_sync) {
            int64_t t0 = now_ns();
            int rc = wal_sync(w);
            int saved = errno;
            w->ns_sync += now_ns() - t0;
            w->syncs++;
            if (rc != 0) {
                /* The commits are in the WAL but may not be on disk, and after
                 * a failed fdatasync the kernel may have dropped the pages
                 * while a later one succeeds: take no more writes (as
                 * PostgreSQL stops on a failed fsync); a restart recovers. */
                __atomic_store_n(&w->sync_failed, 1, __ATOMIC_RELEASE);
                fprintf(stderr,
                        "chuishao: fdatasync of %s failed (%s); writes are stopped, "
                        "restart the server\n",
                        w->wal_path, strerror(saved));
            }
            if (rc != 0)
                for (struct wjob *j = batch; j; j = j->next)
                    if (j->rc == 0)
                        j->rc = err_set(j->e, ERR_UNSYNCED, NULL,
                                        "the change was written but could not be synced to "
                                        "disk (%s): it may be lost",
                                        strerror(saved));
        }
        pthread_mutex_lock(&w->mu);
        struct wjob *async = NULL;
        for (struct wjob *j = batch, *next; j; j = next) {
            next = j->next; /* j may be gone as soon as it is woken */
            if (j->done != NULL) {
                j->next = async;
                async = j;
                continue;
            }
            j->finished = 1;
            pthread_cond_signal(&j->wake);
        }
        pthread_mutex_unlock(&w->mu);
        for (struct wjob *j = async, *next; j; j = next) {
            next = j->next;
            j->done(j->done_arg, j->rc);
            xfree(j);
        }
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* The checkpointer: every 100 ms, a PASSIVE checkpoint on its own
 * connection, so the writer's commits never pay for copying the WAL into the
 * database (its own automatic checkpoints are turned off). */
static void *checkpointer_main(void *arg)
{
    struct store *s = arg;
    struct store_writer *w = s->writer;
    struct store_tconn *t = store__tconn(s, NULL);
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        struct timespec until = deadline_ms(100);
        pthread_cond_timedwait(&w->tick, &w->mu, &until);
        if (w->stop || t == NULL)
            break;
        pthread_mutex_unlock(&w->mu);
        store__sweep_snapshots(s);
        s->drv->exec(t->conn, "PRAGMA wal_checkpoint(PASSIVE)", NULL);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* The writer's connection: no automatic checkpoints, and, when the syncer
 * can open the WAL file, commits that leave the fdatasync to the syncer. */
static void *writer_thread(void *arg)
{
    struct store *s = arg;
    struct store_writer *w = s->writer;
    struct store_tconn *t = store__tconn(s, NULL);
    if (t) {
        s->drv->exec(t->conn, "PRAGMA wal_autocheckpoint=0", NULL);
        const char *wal = s->drv->wal_path(t->conn);
        pthread_mutex_lock(&w->mu);
        int ok = wal && str_copy(w->wal_path, sizeof w->wal_path, wal) < sizeof w->wal_path;
        ok = ok && wal_sync(w) == 0; /* the WAL exists once a connection has read */
        pthread_mutex_unlock(&w->mu);
        if (ok && s->drv->exec(t->conn, "PRAGMA synchronous=NORMAL", NULL) == 0)
            w->own_sync = 1;
    }
    return writer_main(arg);
}

int store__writer_start(struct store *s, struct err *e)
{
    struct store_writer *w = xcalloc(1, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->tick, NULL);
    pthread_cond_init(&w->commits_ready, NULL);
    w->wal_fd = -1;
    w->data_version = -1;
    s->writer = w;
    if (pthread_create(&w->thread, NULL, writer_thread, s) != 0) {
        s->writer = NULL;
        xfree(w);
        return err_set(e, ERR_INTERNAL, NULL, "cannot start the writer thread");
    }
    w->started = 1;
    if (pthread_create(&w->syncer, NULL, syncer_main, s) == 0) {
        w->started = 2;
        if (pthread_create(&w->checkpointer, NULL, checkpointer_main, s) == 0)
            w->started = 3;
    }
    if (w->started < 3) {
        const char *which = w->started == 1 ? "syncer" : "checkpointer";
        store__writer_stop(s); /* joins the threads that did start */
        return err_set(e, ERR_INTERNAL, NULL, "cannot start the %s thread", which);
    }
    pthread_setname_np(w->thread, "cs-writer");
    pthread_setname_np(w->syncer, "cs-syncer");
    pthread_setname_np(w->checkpointer, "cs-checkpoint");
    return 0;
}

void store__writer_stop(struct store *s)
{
    struct store_writer *w = s->writer;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->work);
    pthread_cond_signal(&w->tick);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    if (w->started >= 2)
        pthread_join(w->syncer, NULL);
    if (w->started >= 3)
        pthread_join(w->checkpointer, NULL);
    if (getenv("CHUISHAO_WRITER_STATS") && w->commits)
        fprintf(stderr,
                "writer: %lld jobs, %lld commits, %.1f us/job running, %.1f us/commit; "
                "syncer: %lld fdatasyncs, %.1f us each\n",
                (long long)w->jobs, (long long)w->commits,
                (double)w->ns_jobs / 1e3 / (double)w->jobs,
                (double)w->ns_commit / 1e3 / (double)w->commits, (long long)w->syncs,
                w->syncs ? (double)w->ns_sync / 1e3 / (double)w->syncs : 0.0);
    if (w->wal_fd >= 0)
        close(w->wal_fd);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->work);
    pthread_cond_destroy(&w->tick);
    pthread_cond_destroy(&w->commits_ready);
    s->writer = NULL;
    xfree(w);
}

int store__writer_submit(struct store *s, store_job_fn fn, void *arg, struct err *e,
                         const char *file, int line)
{
    struct store_writer *w = s->writer;
    struct wjob j = {.fn = fn, .arg = arg, .e = e, .file = file, .line = line};
    pthread_cond_init(&j.wake, NULL);
    pthread_mutex_lock(&w->mu);
    if (w->stop) {
        pthread_mutex_unlock(&w->mu);
        pthread_cond_destroy(&j.wake);
        return err_set(e, ERR_AGAIN, NULL, "the store is shutting down");
    }
    append(&w->head, &w->tail, &j, &j);
    pthread_cond_signal(&w->work);
    while (!j.finished)
        pthread_cond_wait(&j.wake, &w->mu);
    pthread_mutex_unlock(&w->mu);
    pthread_cond_destroy(&j.wake);
    return j.rc;
}

int store_write_async_at(struct store *s, store_job_fn fn, void *arg, store_done_fn done,
                         void *done_arg, struct err *e, const char *file, int line)
{
    struct store_writer *w = s->writer;
    if (w == NULL)
        return ERR_UNSUPPORTED;
    struct wjob *j = xcalloc(1, sizeof *j);
    j->fn = fn;
    j->arg = arg;
    j->done = done;
    j->done_arg = done_arg;
    j->e = e;
    j->file = file;
    j->line = line;
    pthread_mutex_lock(&w->mu);
    if (w->stop) {
        pthread_mutex_unlock(&w->mu);
        xfree(j);
        return ERR_AGAIN;
    }
    append(&w->head, &w->tail, j, j);
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    return 0;
}

void store__writer_stats(struct store *s, int64_t *jobs, int64_t *commits)
{
    struct store_writer *w = s->writer;
    pthread_mutex_lock(&w->mu);
    *jobs = w->jobs;
    *commits = w->commits;
    pthread_mutex_unlock(&w->mu);
}
