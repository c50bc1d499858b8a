/*
 * store_writer.c - group commit. One writer thread takes every job queued
 * while the previous batch was committing, runs each inside its own
 * SAVEPOINT (a failing job rolls back alone), commits the batch once, and
 * then wakes the callers. A caller returns only after its batch's COMMIT,
 * which under synchronous=FULL has reached the disk.
 */
#include <string.h>
#include "store_int.h"

#define WRITER_MAX_BATCH 512

struct wjob {
    store_job_fn fn;      /* the work */
    void *arg;            /* its argument */
    struct err *e;        /* the caller's error context (may be NULL) */
    int rc;               /* result, valid once done */
    int done;             /* set by the writer under the lock */
    pthread_cond_t wake;  /* signalled for this caller alone when done */
    struct wjob *next;    /* queue link */
};

struct store_writer {
    pthread_t thread;      /* the writer */
    pthread_mutex_t mu;    /* guards everything below */
    pthread_cond_t work;   /* signalled when a job is queued or on stop */
    struct wjob *head;     /* queued jobs, oldest first */
    struct wjob *tail;
    int stop;              /* set by store__writer_stop */
    int64_t jobs;          /* jobs run so far */
    int64_t commits;       /* batches committed so far */
};

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
static void writer_run_batch(struct store *s, struct wjob *batch)
{
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
    }
    if (rc == 0 && (rc = store__end(s, t, 1, &e)) != 0)
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
        writer_run_batch(s, batch);
        pthread_mutex_lock(&w->mu);
        w->jobs += n;
        w->commits++;
        for (struct wjob *j = batch, *next; j; j = next) {
            next = j->next; /* j may be gone as soon as it is woken */
            j->done = 1;
            pthread_cond_signal(&j->wake);
        }
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int store__writer_start(struct store *s, struct err *e)
{
    struct store_writer *w = xcalloc(1, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->work, NULL);
    s->writer = w;
    if (pthread_create(&w->thread, NULL, writer_main, s) != 0) {
        s->writer = NULL;
        xfree(w);
        return err_set(e, ERR_INTERNAL, NULL, "cannot start the writer thread");
    }
    return 0;
}

void store__writer_stop(struct store *s)
{
    struct store_writer *w = s->writer;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->work);
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
    while (!j.done)
        pthread_cond_wait(&j.wake, &w->mu);
    pthread_mutex_unlock(&w->mu);
    pthread_cond_destroy(&j.wake);
    return j.rc;
}

void store__writer_stats(struct store *s, int64_t *jobs, int64_t *commits)
{
    struct store_writer *w = s->writer;
    pthread_mutex_lock(&w->mu);
    *jobs = w->jobs;
    *commits = w->commits;
    pthread_mutex_unlock(&w->mu);
}
