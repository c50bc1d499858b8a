/*
 * test_store_core.c - the core of store.h without group commit: opening
 * (create, ERR_NOTFOUND, read-only), the schema version, write jobs (a
 * failing job rolls back everything it wrote, nesting joins the outer
 * transaction, work is invisible to other connections until it commits),
 * read transactions (one snapshot), settings and bulk loading.
 */
#include "storetest.h"
#include <sys/stat.h>

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void test_open_missing_is_notfound(void **state)
{
    struct stt *t = *state;
    struct store *s = NULL;
    struct err e;
    STT_FAILS(e, ERR_NOTFOUND, store_open(t->path, 0, &s, &e));
    assert_int_equal(e.code, ERR_NOTFOUND);
    assert_null(s);
    STT_FAILS(e, ERR_NOTFOUND, store_open(t->path, STORE_READONLY, &s, &e));
    assert_null(s);
    STT_FAILS(e, ERR_NOTFOUND, store_open(t->path, STORE_GROUP_COMMIT, &s, &e));
    assert_null(s);
    assert_false(file_exists(t->path)); /* nothing was created on the way */
}

static void test_open_create_then_reopen(void **state)
{
    struct stt *t = *state;
    char v[32];
    struct err e;
    t->s = stt_open(t->path, STORE_CREATE);
    assert_true(file_exists(t->path));
    assert_non_null(store_driver_name(t->s));
    assert_true(strlen(store_driver_name(t->s)) > 0);
    int version = store_schema_version(t->s);
    assert_true(version >= STT_MIN_SCHEMA);
    STT_OK(e, store_setting_set(t->s, "kept", "yes", &e));
    stt_close(t);
    /* Reopened without STORE_CREATE: the data is there and no migration
     * is applied twice (the version is the same). */
    t->s = stt_open(t->path, 0);
    assert_int_equal(store_schema_version(t->s), version);
    assert_string_equal(stt_setting(t->s, "kept", v, sizeof v), "yes");
    stt_close(t);
    /* STORE_CREATE on an existing database opens it as it is. */
    t->s = stt_open(t->path, STORE_CREATE);
    assert_int_equal(store_schema_version(t->s), version);
    assert_string_equal(stt_setting(t->s, "kept", v, sizeof v), "yes");
}

static int job_set_other(struct store *s, void *arg, struct err *e)
{
    (void)arg;
    return store_setting_set(s, "other", "x", e);
}

static void test_open_readonly(void **state)
{
    struct stt *t = *state;
    char v[32];
    struct err e;
    t->s = stt_open(t->path, STORE_CREATE);
    STT_OK(e, store_setting_set(t->s, "k", "before", &e));
    int64_t unit = stt_unit(t, "RO");
    stt_close(t);

    t->s = stt_open(t->path, STORE_READONLY);
    struct store_unit u;
    STT_OK(e, store_unit_get(t->s, unit, &u, &e));
    assert_string_equal(u.code, "RO");
    assert_string_equal(stt_setting(t->s, "k", v, sizeof v), "before");
    /* Every write is refused, and none of it is stored. */
    STT_FAILS(e, ERR_DENIED, store_setting_set(t->s, "k", "after", &e));
    assert_int_equal(e.code, ERR_DENIED);
    STT_FAILS(e, ERR_DENIED, store_write(t->s, job_set_other, NULL, &e));
    struct store_unit nu = {0};
    str_copy(nu.code, sizeof nu.code, "RO2");
    str_copy(nu.name, sizeof nu.name, "x");
    str_copy(nu.kind, sizeof nu.kind, "department");
    STT_FAILS(e, ERR_DENIED, store_unit_insert(t->s, &nu, &e));
    assert_string_equal(stt_setting(t->s, "k", v, sizeof v), "before");
    stt_close(t);

    t->s = stt_open(t->path, 0);
    assert_string_equal(stt_setting(t->s, "k", v, sizeof v), "before");
    assert_string_equal(stt_setting(t->s, "other", v, sizeof v), "<unset>");
    STT_FAILS(e, ERR_NOTFOUND, store_unit_by_code(t->s, "RO2", &nu, &e));
}

/* ---- write jobs ------------------------------------------------------------- */

/* A job that writes a unit, a setting and a user, then fails with fail (0: keeps them). */
struct three_writes {
    int fail; /* the code to return after writing */
};

static int job_three_writes(struct store *s, void *arg, struct err *e)
{
    struct three_writes *w = arg;
    struct store_unit u = {0};
    struct store_user us = {0};
    str_copy(u.code, sizeof u.code, "JOB");
    str_copy(u.name, sizeof u.name, "作业单位");
    str_copy(u.kind, sizeof u.kind, "department");
    int rc = store_unit_insert(s, &u, e);
    rc = rc ? rc : store_setting_set(s, "job", "done", e);
    str_copy(us.username, sizeof us.username, "jobuser");
    str_copy(us.role, sizeof us.role, "resident");
    us.created_at = STT_T0;
    rc = rc ? rc : store_user_insert(s, &us, e);
    /* Inside the job its own writes are visible. */
    struct store_unit back;
    rc = rc ? rc : store_unit_by_code(s, "JOB", &back, e);
    if (rc)
        return rc;
    return w->fail ? err_set(e, w->fail, "why", "the job gives up") : 0;
}

static void assert_three_writes(struct stt *t, int present)
{
    struct store_unit u;
    struct store_user us;
    char v[32];
    struct err e = {0};
    assert_int_equal(store_unit_by_code(t->s, "JOB", &u, &e), present ? 0 : ERR_NOTFOUND);
    assert_string_equal(stt_setting(t->s, "job", v, sizeof v), present ? "done" : "<unset>");
    assert_int_equal(store_user_by_name(t->s, "jobuser", &us, &e), present ? 0 : ERR_NOTFOUND);
}

static void test_write_failing_job_rolls_back_everything(void **state)
{
    struct stt *t = *state;
    struct three_writes w = {ERR_INVALID};
    struct err e;
    STT_FAILS(e, ERR_INVALID, store_write(t->s, job_three_writes, &w, &e));
    assert_int_equal(e.code, ERR_INVALID); /* the job's own error reaches the caller */
    assert_string_equal(e.field, "why");
    assert_three_writes(t, 0);
    /* The store is usable afterwards, and a job that succeeds keeps it all. */
    w.fail = 0;
    STT_OK(e, store_write(t->s, job_three_writes, &w, &e));
    assert_three_writes(t, 1);
}

static void test_write_commit_is_seen_by_another_store(void **state)
{
    struct stt *t = *state;
    struct three_writes w = {0};
    struct err e;
    STT_OK(e, store_write(t->s, job_three_writes, &w, &e));
    struct store *other = stt_open(t->path, 0);
    struct store_unit u;
    STT_OK(e, store_unit_by_code(other, "JOB", &u, &e));
    store_close(other);
}

/* Nesting: the outer job writes, runs an inner store_write, then returns
 * outer_rc; the inner one writes and returns inner_rc. */
struct nest {
    int outer_rc, inner_rc; /* what each returns */
    int inner_got;          /* what the nested store_write returned to the outer job */
};

static int job_inner(struct store *s, void *arg, struct err *e)
{
    struct nest *n = arg;
    int rc = store_setting_set(s, "inner", "1", e);
    return rc ? rc : (n->inner_rc ? err_set(e, n->inner_rc, NULL, "inner fails") : 0);
}

static int job_outer(struct store *s, void *arg, struct err *e)
{
    struct nest *n = arg;
    int rc = store_setting_set(s, "outer", "1", e);
    if (rc)
        return rc;
    n->inner_got = store_write(s, job_inner, n, e);
    return n->outer_rc;
}

static void run_nest(struct stt *t, int outer_rc, int inner_rc, int want, const char *stored)
{
    struct nest n = {outer_rc, inner_rc, 99};
    char v[16];
    struct err e = {0};
    assert_int_equal(store_write(t->s, job_outer, &n, &e), want);
    assert_int_equal(n.inner_got, inner_rc);
    assert_string_equal(stt_setting(t->s, "outer", v, sizeof v), stored);
    assert_string_equal(stt_setting(t->s, "inner", v, sizeof v), stored);
}

static void test_write_nesting_joins_the_outer_transaction(void **state)
{
    struct stt *t = *state;
    /* The outer job fails after the inner one succeeded: both are undone. */
    run_nest(t, ERR_CONFLICT, 0, ERR_CONFLICT, "<unset>");
    /* The inner one fails and the outer passes that on: both are undone. */
    run_nest(t, ERR_INVALID, ERR_INVALID, ERR_INVALID, "<unset>");
    /* Both succeed: one commit keeps both. */
    run_nest(t, 0, 0, 0, "1");
}

/* Reads a setting on the calling thread's own connection (another thread). */
struct peek {
    struct store *s; /* shared store */
    const char *key; /* what to read */
    char value[32];  /* what was read */
    int write;       /* 1: write value instead of reading */
    int rc;          /* the call's result */
};

static void *peek_thread(void *arg)
{
    struct peek *p = arg;
    struct err e = {0};
    if (p->write)
        p->rc = store_setting_set(p->s, p->key, p->value, &e);
    else
        p->rc = store_setting_get(p->s, p->key, p->value, sizeof p->value, &e);
    return NULL;
}

static void peek_on_thread(struct peek *p)
{
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, peek_thread, p), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
}

static int job_write_then_peek(struct store *s, void *arg, struct err *e)
{
    struct peek *p = arg;
    int rc = store_setting_set(s, "pending", "1", e);
    if (rc == 0)
        peek_on_thread(p); /* a reader meanwhile does not see the uncommitted write */
    return rc;
}

static void test_write_invisible_until_committed(void **state)
{
    struct stt *t = *state;
    struct peek p = {.s = t->s, .key = "pending"};
    char v[16];
    struct err e;
    STT_OK(e, store_write(t->s, job_write_then_peek, &p, &e));
    assert_int_equal(p.rc, ERR_NOTFOUND);
    assert_string_equal(stt_setting(t->s, "pending", v, sizeof v), "1");
}

/* ---- read transactions ----------------------------------------------------- */

struct snap {
    struct store *s; /* the store */
    char first[16];  /* the value read first */
    char second[16]; /* read again after another thread's commit */
    char nested[16]; /* read inside a nested store_read */
    int writer_rc;   /* the other thread's write */
};

static int read_nested(struct store *s, void *arg, struct err *e)
{
    struct snap *n = arg;
    return store_setting_get(s, "k", n->nested, sizeof n->nested, e);
}

static int read_twice(struct store *s, void *arg, struct err *e)
{
    struct snap *n = arg;
    int rc = store_setting_get(s, "k", n->first, sizeof n->first, e);
    if (rc)
        return rc;
    struct peek p = {.s = s, .key = "k", .write = 1};
    str_copy(p.value, sizeof p.value, "2");
    peek_on_thread(&p); /* commits k = 2 on its own connection */
    n->writer_rc = p.rc;
    rc = store_setting_get(s, "k", n->second, sizeof n->second, e);
    return rc ? rc : store_read(s, read_nested, n, e);
}

static void test_read_sees_one_snapshot(void **state)
{
    struct stt *t = *state;
    struct snap n = {.s = t->s};
    char v[16];
    struct err e;
    STT_OK(e, store_setting_set(t->s, "k", "1", &e));
    STT_OK(e, store_read(t->s, read_twice, &n, &e));
    assert_int_equal(n.writer_rc, 0);
    assert_string_equal(n.first, "1");
    assert_string_equal(n.second, "1"); /* the commit came after the snapshot */
    assert_string_equal(n.nested, "1"); /* a nested read joins the same snapshot */
    assert_string_equal(stt_setting(t->s, "k", v, sizeof v), "2");
}

static int read_fails(struct store *s, void *arg, struct err *e)
{
    (void)s;
    (void)arg;
    return err_set(e, ERR_NOTFOUND, "x", "nothing here");
}

static void test_read_returns_the_job_result(void **state)
{
    struct stt *t = *state;
    struct err e;
    STT_FAILS(e, ERR_NOTFOUND, store_read(t->s, read_fails, NULL, &e));
    assert_int_equal(e.code, ERR_NOTFOUND);
    assert_string_equal(e.field, "x");
}

/* ---- settings ----------------------------------------------------------------- */

static int job_set_then_fail(struct store *s, void *arg, struct err *e)
{
    (void)arg;
    int rc = store_setting_set(s, "name", "changed", e);
    return rc ? rc : err_set(e, ERR_INVALID, NULL, "no");
}

static void test_settings(void **state)
{
    struct stt *t = *state;
    char v[64], small[4];
    struct err e;
    STT_FAILS(e, ERR_NOTFOUND, store_setting_get(t->s, "name", v, sizeof v, &e));
    STT_OK(e, store_setting_set(t->s, "name", "刘家营", &e));
    STT_OK(e, store_setting_get(t->s, "name", v, sizeof v, &e));
    assert_string_equal(v, "刘家营");
    STT_OK(e, store_setting_set(t->s, "name", "abcdef", &e)); /* replaces, one value per key */
    assert_string_equal(stt_setting(t->s, "name", v, sizeof v), "abcdef");
    STT_OK(e, store_setting_get(t->s, "name", small, sizeof small, &e));
    assert_string_equal(small, "abc"); /* cut to fit, NUL-terminated */
    STT_OK(e, store_setting_set(t->s, "empty", "", &e));
    assert_string_equal(stt_setting(t->s, "empty", v, sizeof v), "");
    STT_FAILS(e, ERR_INVALID, store_write(t->s, job_set_then_fail, NULL, &e));
    assert_string_equal(stt_setting(t->s, "name", v, sizeof v), "abcdef");
}

/* ---- without group commit ---------------------------------------------------- */

static int job_never(struct store *s, void *arg, struct err *e)
{
    (void)s;
    (void)e;
    (*(int *)arg)++;
    return 0;
}

static void done_never(void *arg, int rc)
{
    (void)rc;
    (*(int *)arg)++;
}

static void test_without_group_commit(void **state)
{
    struct stt *t = *state;
    int ran = 0, done = 0;
    int64_t jobs = -1, commits = -1;
    struct err e;
    STT_FAILS(e, ERR_UNSUPPORTED, store_write_async(t->s, job_never, &ran, done_never, &done, &e));
    assert_int_equal(ran, 0);
    assert_int_equal(done, 0);
    int64_t id = stt_case(t, STT_T0, "20404", "G01");
    assert_true(store_case_gen(t->s, id) == INT64_MAX); /* nothing is tracked */
    assert_true(store_case_gen(t->s, id + 1) == INT64_MAX);
    store_write_stats(t->s, &jobs, &commits);
    assert_int_equal(jobs, 0);
    assert_int_equal(commits, 0);
    /* store_enter/store_leave do nothing: a read between them sees every commit. */
    char v[16];
    store_enter(t->s);
    STT_OK(e, store_setting_set(t->s, "k", "1", &e));
    assert_string_equal(stt_setting(t->s, "k", v, sizeof v), "1");
    STT_OK(e, store_setting_set(t->s, "k", "2", &e));
    assert_string_equal(stt_setting(t->s, "k", v, sizeof v), "2");
    store_leave(t->s);
}

/* ---- bulk loading ----------------------------------------------------------- */

static int count_ids(void *arg, int64_t id)
{
    (void)id;
    (*(int *)arg)++;
    return 0;
}

static void assert_cases_listed(struct stt *t, int n)
{
    struct store_case_filter f = {.state = "reported", .limit = 1000};
    struct store_case *v;
    int got = -1, each = 0;
    struct err e;
    STT_OK(e, store_case_list(t->s, &f, t->a, &v, &got, &e));
    assert_int_equal(got, n);
    STT_OK(e, store_case_each_id(t->s, count_ids, &each, &e));
    assert_int_equal(each, n);
}

static void test_bulk_load_on_off(void **state)
{
    struct stt *t = *state;
    char v[16];
    struct err e;
    stt_case(t, STT_T0, "20404", "G01");
    STT_OK(e, store_bulk_load(t->s, 1, &e));
    STT_OK(e, store_bulk_load(t->s, 1, &e)); /* twice is harmless */
    /* The dropped indexes are kept in the setting bulk_indexes meanwhile. */
    STT_OK(e, store_setting_get(t->s, "bulk_indexes", v, sizeof v, &e));
    for (int i = 1; i < 30; i++)
        stt_case(t, STT_T0 + i, "20404", "G01");
    assert_cases_listed(t, 30);
    STT_OK(e, store_bulk_load(t->s, 0, &e));
    STT_FAILS(e, ERR_NOTFOUND, store_setting_get(t->s, "bulk_indexes", v, sizeof v, &e));
    assert_cases_listed(t, 30);
    STT_OK(e, store_bulk_load(t->s, 0, &e)); /* off when off is harmless too */
}

static void test_bulk_load_recovered_by_open(void **state)
{
    struct stt *t = *state;
    char v[16];
    struct err e;
    STT_OK(e, store_bulk_load(t->s, 1, &e));
    stt_case(t, STT_T0, "20404", "G01");
    stt_close(t); /* as if the process died before store_bulk_load(0) */
    t->s = stt_open(t->path, 0);
    STT_FAILS(e, ERR_NOTFOUND, store_setting_get(t->s, "bulk_indexes", v, sizeof v, &e));
    assert_cases_listed(t, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_missing_is_notfound, stt_setup_dir, stt_teardown),
        cmocka_unit_test_setup_teardown(test_open_create_then_reopen, stt_setup_dir, stt_teardown),
        cmocka_unit_test_setup_teardown(test_open_readonly, stt_setup_dir, stt_teardown),
        cmocka_unit_test_setup_teardown(test_write_failing_job_rolls_back_everything, stt_setup,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_write_commit_is_seen_by_another_store, stt_setup,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_write_nesting_joins_the_outer_transaction, stt_setup,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_write_invisible_until_committed, stt_setup,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_read_sees_one_snapshot, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_read_returns_the_job_result, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_settings, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_without_group_commit, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_bulk_load_on_off, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_bulk_load_recovered_by_open, stt_setup, stt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
