/*
 * test_store_whistle.c - whistles (吹哨报到, store_case.h): insert with the
 * summoned units, get, the units and their report-in and rating updates,
 * the lists by case and of all, and store_whistle_summons' counts.
 */
#include "storetest.h"

/* A case, three units and a whistle type, shared by the tests. */
struct wt {
    struct stt *t;
    int64_t case_id, other_case; /* two cases */
    int64_t u[3];                /* three units */
    int64_t blower;              /* the dispatcher who blows */
};

static struct wt setup_wt(struct stt *t)
{
    struct wt w = {.t = t};
    struct store_whistle_type type = {"minsheng", "民生哨", 30};
    struct err e;
    STT_OK(e, store_whistle_type_put(t->s, &type, &e));
    w.case_id = stt_case(t, STT_T0, "20404", "G01");
    w.other_case = stt_case(t, STT_T0, "20404", "G01");
    w.u[0] = stt_unit(t, "CGJ");
    w.u[1] = stt_unit(t, "SWJ");
    w.u[2] = stt_unit(t, "JTJ");
    w.blower = stt_user(t, "disp", "dispatcher");
    return w;
}

struct blow {
    struct store_whistle w; /* the whistle (id set by the insert) */
    const int64_t *units;   /* summoned */
    int n;
    int fail; /* 1: the job fails after inserting */
};

static int job_blow(struct store *s, void *arg, struct err *e)
{
    struct blow *b = arg;
    int rc = store_whistle_insert(s, &b->w, b->units, b->n, e);
    if (rc == 0 && b->fail)
        rc = err_set(e, ERR_INVALID, NULL, "refused");
    return rc;
}

static int64_t blow(struct wt *w, int64_t case_id, int64_t at, const int64_t *units, int n)
{
    struct blow b = {.units = units, .n = n};
    struct err e;
    b.w.case_id = case_id;
    str_copy(b.w.type, sizeof b.w.type, "minsheng");
    b.w.blown_at = at;
    b.w.blown_by = w->blower;
    b.w.limit_min = 30;
    b.w.note = (char *)"污水漫到路面，请速到场";
    STT_OK(e, store_write(w->t->s, job_blow, &b, &e));
    assert_true(b.w.id > 0);
    return b.w.id;
}

static void test_whistle_insert_get_units(void **state)
{
    struct stt *t = *state;
    struct wt w = setup_wt(t);
    struct store_whistle got;
    struct store_whistle_unit *u;
    int n;
    struct err e;
    /* Every summoned unit has one row (the header promises no order). */
    int64_t id = blow(&w, w.case_id, STT_T0 + 60, (int64_t[]){w.u[2], w.u[0], w.u[1]}, 3);
    STT_OK(e, store_whistle_get(t->s, id, t->a, &got, &e));
    assert_int_equal(got.id, id);
    assert_int_equal(got.case_id, w.case_id);
    assert_string_equal(got.type, "minsheng");
    assert_int_equal(got.blown_at, STT_T0 + 60);
    assert_int_equal(got.blown_by, w.blower);
    assert_int_equal(got.limit_min, 30);
    assert_string_equal(got.note, "污水漫到路面，请速到场");
    STT_FAILS(e, ERR_NOTFOUND, store_whistle_get(t->s, id + 100, t->a, &got, &e));
    STT_OK(e, store_whistle_units(t->s, id, t->a, &u, &n, &e));
    assert_int_equal(n, 3);
    int seen = 0;
    for (int i = 0; i < n; i++) {
        assert_int_equal(u[i].whistle_id, id);
        for (int k = 0; k < 3; k++)
            if (u[i].unit_id == w.u[k])
                seen |= 1 << k;
        assert_int_equal(u[i].reported_at, 0);
        assert_int_equal(u[i].reported_by, 0);
        assert_string_equal(u[i].report_note, "");
        assert_int_equal(u[i].score, -1); /* not rated */
        assert_string_equal(u[i].comment, "");
        assert_int_equal(u[i].rated_at, 0);
        assert_int_equal(u[i].rated_by, 0);
    }
    assert_int_equal(seen, 7);
    STT_OK(e, store_whistle_units(t->s, id + 100, t->a, &u, &n, &e));
    assert_int_equal(n, 0);
}

static void test_whistle_rolled_back_with_its_job(void **state)
{
    struct stt *t = *state;
    struct wt w = setup_wt(t);
    struct blow b = {.units = w.u, .n = 3, .fail = 1};
    struct store_whistle *v;
    int n;
    struct err e;
    b.w.case_id = w.case_id;
    str_copy(b.w.type, sizeof b.w.type, "minsheng");
    b.w.blown_at = STT_T0;
    b.w.blown_by = w.blower;
    b.w.limit_min = 30;
    STT_FAILS(e, ERR_INVALID, store_write(t->s, job_blow, &b, &e));
    STT_OK(e, store_whistle_list(t->s, w.case_id, 0, t->a, &v, &n, &e));
    assert_int_equal(n, 0);
    int64_t units = -1, awaiting = -1;
    STT_OK(e, store_whistle_summons(t->s, w.case_id, 0, &units, &awaiting, &e));
    assert_int_equal(units, 0);
    assert_int_equal(awaiting, 0);
}

struct unit_update {
    struct store_whistle_unit u; /* the new row */
};

static int job_unit_update(struct store *s, void *arg, struct err *e)
{
    struct unit_update *x = arg;
    return store_whistle_unit_update(s, &x->u, e);
}

/* The row of unit in whistle id. */
static struct store_whistle_unit unit_row(struct wt *w, int64_t id, int64_t unit)
{
    struct store_whistle_unit *u;
    int n;
    struct err e;
    STT_OK(e, store_whistle_units(w->t->s, id, w->t->a, &u, &n, &e));
    for (int i = 0; i < n; i++)
        if (u[i].unit_id == unit)
            return u[i];
    fail_msg("unit %lld is not summoned by whistle %lld", (long long)unit, (long long)id);
    return u[0];
}

static void summons(struct wt *w, int64_t case_id, int64_t unit, int64_t want_units,
                    int64_t want_awaiting)
{
    int64_t units = -1, awaiting = -1;
    struct err e;
    STT_OK(e, store_whistle_summons(w->t->s, case_id, unit, &units, &awaiting, &e));
    assert_int_equal(units, want_units);
    assert_int_equal(awaiting, want_awaiting);
}

static void test_whistle_report_rate_and_summons(void **state)
{
    struct stt *t = *state;
    struct wt w = setup_wt(t);
    struct err e;
    int64_t first = blow(&w, w.case_id, STT_T0 + 60, w.u, 2);       /* u0, u1 */
    int64_t second = blow(&w, w.case_id, STT_T0 + 120, &w.u[1], 2); /* u1, u2 */
    blow(&w, w.other_case, STT_T0 + 180, w.u, 3);
    summons(&w, w.case_id, 0, 4, 4);
    summons(&w, w.case_id, w.u[1], 2, 2);
    summons(&w, w.case_id, w.u[0], 1, 1);
    /* u1 reports in to the first whistle (报到). */
    struct unit_update x = {unit_row(&w, first, w.u[1])};
    x.u.reported_at = STT_T0 + 600;
    x.u.reported_by = 42;
    x.u.report_note = (char *)"已到场";
    STT_OK(e, store_write(t->s, job_unit_update, &x, &e));
    struct store_whistle_unit got = unit_row(&w, first, w.u[1]);
    assert_int_equal(got.reported_at, STT_T0 + 600);
    assert_int_equal(got.reported_by, 42);
    assert_string_equal(got.report_note, "已到场");
    assert_int_equal(got.score, -1);
    /* Only that row changed. */
    assert_int_equal(unit_row(&w, first, w.u[0]).reported_at, 0);
    assert_int_equal(unit_row(&w, second, w.u[1]).reported_at, 0);
    summons(&w, w.case_id, 0, 4, 3);
    summons(&w, w.case_id, w.u[1], 2, 1);
    summons(&w, w.other_case, 0, 3, 3);
    /* The rating of the report. */
    x.u = got;
    x.u.score = 90;
    x.u.comment = (char *)"到场及时";
    x.u.rated_at = STT_T0 + 3600;
    x.u.rated_by = 43;
    STT_OK(e, store_write(t->s, job_unit_update, &x, &e));
    got = unit_row(&w, first, w.u[1]);
    assert_int_equal(got.score, 90);
    assert_string_equal(got.comment, "到场及时");
    assert_int_equal(got.rated_at, STT_T0 + 3600);
    assert_int_equal(got.rated_by, 43);
    assert_int_equal(got.reported_at, STT_T0 + 600);
    /* A case without whistles. */
    int64_t quiet = stt_case(t, STT_T0, "20404", "G01");
    summons(&w, quiet, 0, 0, 0);
}

static void test_whistle_lists(void **state)
{
    struct stt *t = *state;
    struct wt w = setup_wt(t);
    struct store_whistle *v;
    int n;
    struct err e;
    int64_t a = blow(&w, w.case_id, STT_T0 + 60, w.u, 1);
    int64_t b = blow(&w, w.other_case, STT_T0 + 120, w.u, 1);
    int64_t c = blow(&w, w.case_id, STT_T0 + 180, w.u, 1);
    /* Of one case: only its whistles (the limit does not apply). */
    STT_OK(e, store_whistle_list(t->s, w.case_id, 1, t->a, &v, &n, &e));
    assert_int_equal(n, 2);
    assert_true((v[0].id == a && v[1].id == c) || (v[0].id == c && v[1].id == a));
    for (int i = 0; i < n; i++)
        assert_int_equal(v[i].case_id, w.case_id);
    /* All, newest first, up to the limit. */
    STT_OK(e, store_whistle_list(t->s, 0, 2, t->a, &v, &n, &e));
    assert_int_equal(n, 2);
    assert_int_equal(v[0].id, c);
    assert_int_equal(v[1].id, b);
    STT_OK(e, store_whistle_list(t->s, 0, 10, t->a, &v, &n, &e));
    assert_int_equal(n, 3);
    assert_int_equal(v[2].id, a);
    assert_string_equal(v[2].note, "污水漫到路面，请速到场");
    int64_t quiet = stt_case(t, STT_T0, "20404", "G01");
    STT_OK(e, store_whistle_list(t->s, quiet, 0, t->a, &v, &n, &e));
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_whistle_insert_get_units, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_whistle_rolled_back_with_its_job, stt_setup,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_whistle_report_rate_and_summons, stt_setup,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_whistle_lists, stt_setup, stt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
