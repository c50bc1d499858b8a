/*
 * test_store_group.c - group commit (STORE_GROUP_COMMIT): many threads'
 * store_write calls all durable and visible, a failing job of a batch rolled
 * back alone while the others commit, store_write_async completions, store_close
 * finishing what is queued, change generations (store_gen, store_case_gen)
 * and the read snapshots kept between store_enter and store_leave.
 */
#include "storetest.h"

/* Polls cond(arg) every millisecond for up to ms milliseconds. */
static int wait_for(int (*cond)(void *arg), void *arg, int ms)
{
    for (int i = 0; i < ms; i++) {
        if (cond(arg))
            return 1;
        stt_sleep_ms(1);
    }
    return cond(arg);
}

static int count_unit(void *arg, const struct store_unit *u)
{
    (void)u;
    (*(int *)arg)++;
    return 0;
}

static int units_in(struct store *s)
{
    int n = 0;
    struct err e;
    STT_OK(e, store_unit_each(s, count_unit, &n, &e));
    return n;
}

/* ---- many writers ------------------------------------------------------------ */

enum { WRITERS = 8, WRITES_EACH = 25 };

struct writer {
    struct store *s; /* shared store */
    int k;           /* thread number */
    int failed;      /* writes that did not return 0 */
};

static void *writer_thread(void *arg)
{
    struct writer *w = arg;
    for (int i = 0; i < WRITES_EACH; i++) {
        struct store_unit u = {0};
        struct err e = {0};
        snprintf(u.code, sizeof u.code, "T%d_%d", w->k, i);
        str_copy(u.name, sizeof u.name, "并发单位");
        str_copy(u.kind, sizeof u.kind, "department");
        if (store_unit_insert(w->s, &u, &e) != 0 || u.id <= 0)
            w->failed++;
    }
    return NULL;
}

static void test_many_threads_all_durable(void **state)
{
    struct stt *t = *state;
    pthread_t th[WRITERS];
    struct writer w[WRITERS];
    int64_t jobs, commits;
    for (int k = 0; k < WRITERS; k++) {
        w[k] = (struct writer){t->s, k, 0};
        assert_int_equal(pthread_create(&th[k], NULL, writer_thread, &w[k]), 0);
    }
    for (int k = 0; k < WRITERS; k++) {
        assert_int_equal(pthread_join(th[k], NULL), 0);
        assert_int_equal(w[k].failed, 0);
    }
    /* Every acknowledged write is visible at once, here and to another store. */
    assert_int_equal(units_in(t->s), WRITERS * WRITES_EACH);
    struct store *other = stt_open(t->path, 0);
    assert_int_equal(units_in(other), WRITERS * WRITES_EACH);
    store_close(other);
    store_write_stats(t->s, &jobs, &commits);
    assert_true(jobs >= WRITERS * WRITES_EACH);
    assert_true(commits >= 1 && commits <= jobs);
    /* and durable: still there after the store is closed and opened again. */
    stt_close(t);
    t->s = stt_open(t->path, 0);
    assert_int_equal(units_in(t->s), WRITERS * WRITES_EACH);
}

/* ---- one batch with a failing job -------------------------------------------- */

/* A job that holds the writer until released, so the jobs queued meanwhile
 * all go into the next batch. */
struct gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int entered;  /* the writer is inside the gate job */
    int released; /* the test lets it go */
};

static int job_gate(struct store *s, void *arg, struct err *e)
{
    struct gate *g = arg;
    (void)s;
    (void)e;
    pthread_mutex_lock(&g->mu);
    g->entered = 1;
    pthread_cond_broadcast(&g->cv);
    for (int i = 0; i < 500 && !g->released; i++) { /* at most 5 s */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 10000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&g->cv, &g->mu, &until);
    }
    pthread_mutex_unlock(&g->mu);
    return 0;
}

enum { BATCH = 12, FAILING = 5 };

/* One async job: inserts unit B<k>; job FAILING fails after inserting it. */
struct ajob {
    int k;          /* its number */
    int fail;       /* 1: fail after writing */
    struct err e;   /* its error context (lives until done) */
    int done_calls; /* times done was called */
    int rc;         /* the rc passed to done */
    int *finished;  /* shared count of completed jobs (atomic) */
};

static int job_unit_b(struct store *s, void *arg, struct err *e)
{
    struct ajob *j = arg;
    struct store_unit u = {0};
    snprintf(u.code, sizeof u.code, "B%d", j->k);
    str_copy(u.name, sizeof u.name, "批次单位");
    str_copy(u.kind, sizeof u.kind, "department");
    int rc = store_unit_insert(s, &u, e);
    if (rc == 0 && j->fail)
        rc = err_set(e, ERR_INVALID, "k", "job %d fails", j->k);
    return rc;
}

static void ajob_done(void *arg, int rc)
{
    struct ajob *j = arg;
    j->rc = rc;
    j->done_calls++;
    __atomic_add_fetch(j->finished, 1, __ATOMIC_RELEASE);
}

struct finished_at_least {
    int *finished; /* the counter */
    int n;         /* the goal */
};

static int finished_enough(void *arg)
{
    struct finished_at_least *f = arg;
    return __atomic_load_n(f->finished, __ATOMIC_ACQUIRE) >= f->n;
}

/* The gate's completion: 1 once it succeeded, -1 if it failed. */
static void done_never_fails(void *arg, int rc)
{
    __atomic_store_n((int *)arg, rc == 0 ? 1 : -1, __ATOMIC_RELEASE);
}

static int gate_entered(void *arg)
{
    struct gate *g = arg;
    pthread_mutex_lock(&g->mu);
    int in = g->entered;
    pthread_mutex_unlock(&g->mu);
    return in;
}

static void gate_release(struct gate *g)
{
    pthread_mutex_lock(&g->mu);
    g->released = 1;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

static void test_failing_job_rolled_back_alone(void **state)
{
    struct stt *t = *state;
    struct gate g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
    struct ajob jobs[BATCH];
    int finished = 0, gate_done = 0;
    int64_t jobs0, commits0, jobs1, commits1;
    struct err e;
    store_write_stats(t->s, &jobs0, &commits0);
    STT_OK(e, store_write_async(t->s, job_gate, &g, done_never_fails, &gate_done, NULL));
    assert_true(wait_for(gate_entered, &g, 5000));
    for (int k = 0; k < BATCH; k++) {
        jobs[k] = (struct ajob){.k = k, .fail = k == FAILING, .finished = &finished};
        STT_OK(e, store_write_async(t->s, job_unit_b, &jobs[k], ajob_done, &jobs[k], &jobs[k].e));
    }
    gate_release(&g);
    struct finished_at_least f = {&finished, BATCH};
    assert_true(wait_for(finished_enough, &f, 10000));
    for (int k = 0; k < BATCH; k++) {
        struct store_unit u;
        char code[8];
        assert_int_equal(jobs[k].done_calls, 1);
        snprintf(code, sizeof code, "B%d", k);
        if (k == FAILING) {
            assert_int_equal(jobs[k].rc, ERR_INVALID);
            assert_int_equal(jobs[k].e.code, ERR_INVALID);
            assert_string_equal(jobs[k].e.field, "k");
            STT_FAILS(e, ERR_NOTFOUND, store_unit_by_code(t->s, code, &u, &e));
        } else {
            assert_int_equal(jobs[k].rc, 0);
            STT_OK(e, store_unit_by_code(t->s, code, &u, &e));
        }
    }
    /* The jobs queued behind the gate were committed as one batch. */
    store_write_stats(t->s, &jobs1, &commits1);
    assert_int_equal(jobs1 - jobs0, BATCH + 1);
    assert_int_equal(commits1 - commits0, 2);
    assert_int_equal(__atomic_load_n(&gate_done, __ATOMIC_ACQUIRE), 1);
    assert_int_equal(units_in(t->s), BATCH - 1);
}

/* ---- synchronous jobs under group commit ------------------------------------- */

static int job_outer_fails(struct store *s, void *arg, struct err *e)
{
    (void)arg;
    int rc = store_setting_set(s, "outer", "1", e); /* nested: runs in this job */
    rc = rc ? rc : store_setting_set(s, "inner", "1", e);
    return rc ? rc : err_set(e, ERR_CONFLICT, NULL, "changed meanwhile");
}

static void test_sync_failing_job_and_nesting(void **state)
{
    struct stt *t = *state;
    char v[16];
    struct err e;
    STT_FAILS(e, ERR_CONFLICT, store_write(t->s, job_outer_fails, NULL, &e));
    assert_int_equal(e.code, ERR_CONFLICT);
    assert_string_equal(stt_setting(t->s, "outer", v, sizeof v), "<unset>");
    assert_string_equal(stt_setting(t->s, "inner", v, sizeof v), "<unset>");
    STT_OK(e, store_setting_set(t->s, "after", "ok", &e));
    assert_string_equal(stt_setting(t->s, "after", v, sizeof v), "ok");
}

/* ---- async completion -------------------------------------------------------- */

struct async_set {
    int calls; /* done calls */
    int rc;    /* their rc */
};

static int job_set_async(struct store *s, void *arg, struct err *e)
{
    (void)arg;
    return store_setting_set(s, "async", "written", e);
}

static void async_set_done(void *arg, int rc)
{
    struct async_set *a = arg;
    a->rc = rc;
    __atomic_add_fetch(&a->calls, 1, __ATOMIC_RELEASE);
}

static int async_called(void *arg)
{
    return __atomic_load_n(&((struct async_set *)arg)->calls, __ATOMIC_ACQUIRE) > 0;
}

static void test_async_completion(void **state)
{
    struct stt *t = *state;
    struct async_set a = {0};
    char v[16];
    struct err e;
    STT_OK(e, store_write_async(t->s, job_set_async, NULL, async_set_done, &a, NULL));
    assert_true(wait_for(async_called, &a, 10000));
    stt_sleep_ms(20);
    assert_int_equal(a.calls, 1);
    assert_int_equal(a.rc, 0);
    assert_string_equal(stt_setting(t->s, "async", v, sizeof v), "written");
}

static void test_close_finishes_queued_jobs(void **state)
{
    struct stt *t = *state;
    struct gate g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 1};
    struct ajob jobs[BATCH];
    int finished = 0, gate_done = 0;
    struct err e;
    STT_OK(e, store_write_async(t->s, job_gate, &g, done_never_fails, &gate_done, NULL));
    for (int k = 0; k < BATCH; k++) {
        jobs[k] = (struct ajob){.k = k, .finished = &finished};
        STT_OK(e, store_write_async(t->s, job_unit_b, &jobs[k], ajob_done, &jobs[k], &jobs[k].e));
    }
    stt_close(t); /* at once: the queued jobs run before the writer stops */
    assert_int_equal(finished, BATCH);
    assert_int_equal(gate_done, 1);
    for (int k = 0; k < BATCH; k++)
        assert_int_equal(jobs[k].rc, 0);
    t->s = stt_open(t->path, 0);
    assert_int_equal(units_in(t->s), BATCH);
}

/* ---- generations ------------------------------------------------------------- */

static int job_set_grid(struct store *s, void *arg, struct err *e)
{
    return store_case_set_grid(s, *(int64_t *)arg, "G02", "in", e);
}

static void test_generations(void **state)
{
    struct stt *t = *state;
    struct err e;
    int64_t g0 = store_gen(t->s);
    int64_t id = stt_case(t, STT_T0, "20404", "G01");
    int64_t other = stt_case(t, STT_T0, "20404", "G01");
    int64_t g1 = store_gen(t->s);
    assert_true(g1 > g0); /* every committed write moves it on */
    assert_true(store_case_gen(t->s, id) > g0);
    assert_true(store_case_gen(t->s, id) <= g1);
    /* An event appended to the case marks it newer than what was read before. */
    stt_event(t, id, "register", "registered", STT_T0 + 60, 0);
    int64_t g2 = store_gen(t->s);
    assert_true(g2 > g1);
    assert_true(store_case_gen(t->s, id) > g1);
    assert_true(store_case_gen(t->s, other) <= g1); /* another case keeps its mark */
    /* A write that is not about cases moves the store on, not the case. */
    STT_OK(e, store_setting_set(t->s, "k", "v", &e));
    assert_true(store_gen(t->s) > g2);
    assert_true(store_case_gen(t->s, id) <= g2);
    /* A change of the grid is a change of the case too. */
    int64_t g3 = store_gen(t->s);
    STT_OK(e, store_write(t->s, job_set_grid, &id, &e));
    assert_true(store_case_gen(t->s, id) > g3);
    assert_true(store_case_gen(t->s, other) <= g3);
}

struct gen_watch {
    struct store *s; /* the group-commit store */
    int64_t id;      /* a case id */
    int64_t g;       /* the generation to pass */
};

static int case_gen_passed(void *arg)
{
    struct gen_watch *w = arg;
    return store_case_gen(w->s, w->id) > w->g;
}

static void test_other_process_commit_counts_as_change(void **state)
{
    struct stt *t = *state;
    int64_t id = stt_case(t, STT_T0, "20404", "G01");
    struct err e;
    stt_sleep_ms(150); /* the writer has looked at the database at least once */
    struct gen_watch w = {t->s, id, store_gen(t->s)};
    assert_true(store_case_gen(t->s, id) <= w.g);
    struct store *other = stt_open(t->path, 0); /* another connection, as the CLI */
    STT_OK(e, store_setting_set(other, "from", "cli", &e));
    store_close(other);
    assert_true(wait_for(case_gen_passed, &w, 3000));
    assert_true(store_gen(t->s) > w.g);
}

static void test_kept_snapshot_renewed(void **state)
{
    struct stt *t = *state;
    char v[16];
    struct err e;
    STT_OK(e, store_setting_set(t->s, "k", "1", &e));
    store_enter(t->s);
    assert_string_equal(stt_setting(t->s, "k", v, sizeof v), "1");
    /* A commit of this process is seen by the very next read. */
    for (int i = 2; i < 6; i++) {
        char want[16];
        snprintf(want, sizeof want, "%d", i);
        STT_OK(e, store_setting_set(t->s, "k", want, &e));
        assert_string_equal(stt_setting(t->s, "k", v, sizeof v), want);
    }
    /* One of another process (another store on the file) after the snapshot age. */
    struct store *other = stt_open(t->path, 0);
    STT_OK(e, store_setting_set(other, "k", "other", &e));
    store_close(other);
    stt_sleep_ms(50);
    assert_string_equal(stt_setting(t->s, "k", v, sizeof v), "other");
    store_leave(t->s);
    assert_string_equal(stt_setting(t->s, "k", v, sizeof v), "other");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_many_threads_all_durable, stt_setup_group,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_failing_job_rolled_back_alone, stt_setup_group,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_sync_failing_job_and_nesting, stt_setup_group,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_async_completion, stt_setup_group, stt_teardown),
        cmocka_unit_test_setup_teardown(test_close_finishes_queued_jobs, stt_setup_group,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_generations, stt_setup_group, stt_teardown),
        cmocka_unit_test_setup_teardown(test_other_process_commit_counts_as_change, stt_setup_group,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_kept_snapshot_renewed, stt_setup_group, stt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
