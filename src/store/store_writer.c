/*
 * store_writer.c - group commit. One writer thread takes every job queued
 * while the previous batch was committing, runs each inside its own
 * SAVEPOINT (a failing job rolls back alone), commits the batch once, and
 * then wakes the callers. A caller returns only after its batch's COMMIT,
 * which under synchronous=FULL has reached the disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store_int.h"

#define WRITER_MAX_BATCH 512

struct wjob {
    store_job_fn fn;     /* the work */
    void *arg;           /* its argument */
    struct err *e;       /* the caller's error context (may be NULL) */
    int rc;              /* result, valid once done */
    int finished;        /* set by the writer under the lock (sync jobs) */
    pthread_cond_t wake; /* signalled for this caller alone when done (sync jobs) */
    store_done_fn done;  /* async jobs: called after the commit, then the job is freed */
    void *done_arg;      /* its argument */
    struct wjob *next;   /* queue link */
};

struct store_writer {
    pthread_t thread;    /* the writer */
    pthread_mutex_t mu;  /* guards everything below */
    pthread_cond_t work; /* signalled when a job is queued or on stop */
    struct wjob *head;   /* queued jobs, oldest first */
    struct wjob *tail;
    int stop;               /* set by store__writer_stop */
    int64_t jobs;           /* jobs run so far */
    int64_t commits;        /* batches committed so far */
    pthread_t checkpointer; /* copies the WAL into the database in the background */
    pthread_cond_t tick;    /* wakes the checkpointer early on stop */
    int64_t ns_jobs;        /* time spent running jobs */
    int64_t ns_commit;      /* time spent in COMMIT (the sync to disk) */
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Runs one job inside a savepoint of the open batch transaction. */
static void writer_run_job(struct store *s, struct wjob *j)
{
    struct err local;
    struct err *e = j->e ? j->e : &local;
    err_clear(&local);
    if ((j->rc = store__savepoint(s, 0, e)))
        return;
    j->rc = j->fn(s, j->arg, e);
    if (j->rc)
        store__savepoint(s, 2, NULL);
    store__savepoint(s, 1, NULL);
}

/* Runs a batch of jobs in one transaction and commits it. */
static void writer_run_batch(struct store *s, struct store_writer *w, struct wjob *batch)
{
    int64_t t0 = now_ns();
    struct err e;
    err_clear(&e);
    struct store_tconn *t = store__tconn(s, &e);
    int rc = t ? store__begin(s, t, 1, __FILE__, __LINE__, &e) : ERR_STORE;
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
        while (w->head == NULL && !w->stop)
            pthread_cond_wait(&w->work, &w->mu);
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
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 100 * 1000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&w->tick, &w->mu, &until);
        if (w->stop || t == NULL)
            break;
        pthread_mutex_unlock(&w->mu);
        s->drv->exec(t->conn, "PRAGMA wal_checkpoint(PASSIVE)", NULL);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void *writer_thread(void *arg)
{
    struct store *s = arg;
    struct store_tconn *t = store__tconn(s, NULL);
    if (t)
        s->drv->exec(t->conn, "PRAGMA wal_autocheckpoint=0", NULL);
    return writer_main(arg);
}

int store__writer_start(struct store *s, struct err *e)
{
    struct store_writer *w = xcalloc(1, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->tick, NULL);
    s->writer = w;
    if (pthread_create(&w->thread, NULL, writer_thread, s) != 0) {
        s->writer = NULL;
        xfree(w);
        return err_set(e, ERR_INTERNAL, NULL, "cannot start the writer thread");
    }
    pthread_create(&w->checkpointer, NULL, checkpointer_main, s);
    pthread_setname_np(w->thread, "cs-writer");
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
    pthread_join(w->checkpointer, NULL);
    if (getenv("CHUISHAO_WRITER_STATS") && w->commits)
        fprintf(stderr,
                "writer: %lld jobs, %lld commits, %.1f us/job running, %.1f us/commit syncing\n",
                (long long)w->jobs, (long long)w->commits,
                (double)w->ns_jobs / 1e3 / (double)w->jobs,
                (double)w->ns_commit / 1e3 / (double)w->commits);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->work);
    pthread_cond_destroy(&w->tick);
    s->writer = NULL;
    xfree(w);
}

int store__writer_submit(struct store *s, store_job_fn fn, void *arg, struct err *e)
{
    struct store_writer *w = s->writer;
    struct wjob j = {.fn = fn, .arg = arg, .e = e};
    pthread_cond_init(&j.wake, NULL);
    pthread_mutex_lock(&w->mu);
    if (w->stop) {
        pthread_mutex_unlock(&w->mu);
        pthread_cond_destroy(&j.wake);
        return err_set(e, ERR_AGAIN, NULL, "the store is shutting down");
    }
    if (w->tail)
        w->tail->next = &j;
    else
        w->head = &j;
    w->tail = &j;
    pthread_cond_signal(&w->work);
    while (!j.finished)
        pthread_cond_wait(&j.wake, &w->mu);
    pthread_mutex_unlock(&w->mu);
    pthread_cond_destroy(&j.wake);
    return j.rc;
}

int store_write_async(struct store *s, store_job_fn fn, void *arg, store_done_fn done,
                      void *done_arg)
{
    struct store_writer *w = s->writer;
    if (w == NULL)
        return ERR_UNSUPPORTED;
    struct wjob *j = xcalloc(1, sizeof *j);
    j->fn = fn;
    j->arg = arg;
    j->done = done;
    j->done_arg = done_arg;
    pthread_mutex_lock(&w->mu);
    if (w->stop) {
        pthread_mutex_unlock(&w->mu);
        xfree(j);
        return ERR_AGAIN;
    }
    if (w->tail)
        w->tail->next = j;
    else
        w->head = j;
    w->tail = j;
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
