/*
 * test_store_roll.c - the statistics roll-ups (store_stats.h, "roll-ups"):
 * deltas added to a row are summed, store_roll_sum selects by level, report
 * day range, change day and grid prefix, the intake rows likewise, clear
 * empties both, and the event cursor (store_roll_max_event, store_roll_events).
 */
#include "storetest.h"
#include "store/stats/store_stats.h"

struct roll_add {
    int lvl;                  /* level */
    int64_t rday, cday;       /* report day, change day */
    const char *grid;         /* grid code ("" for the subdistrict) */
    int64_t v[STORE_ROLL_NV]; /* the deltas */
};

static int job_roll_add(struct store *s, void *arg, struct err *e)
{
    struct roll_add *r = arg;
    return store_roll_add(s, r->lvl, r->rday, r->cday, r->grid, r->v, e);
}

static void add(struct stt *t, int lvl, int64_t rday, int64_t cday, const char *grid, int64_t v0,
                int64_t v31)
{
    struct roll_add r = {lvl, rday, cday, grid, {0}};
    struct err e;
    r.v[0] = v0;
    r.v[7] = 1;
    r.v[STORE_ROLL_NV - 1] = v31;
    STT_OK(e, store_write(t->s, job_roll_add, &r, &e));
}

/* The sums of the rows visited. */
struct sums {
    int64_t v[STORE_ROLL_NV]; /* summed values */
    int rows;                 /* rows visited */
    int64_t min_day, max_day; /* report days seen */
};

static int sum_visit(void *arg, int64_t rday, const char *grid, const int64_t *v)
{
    struct sums *x = arg;
    (void)grid;
    for (int i = 0; i < STORE_ROLL_NV; i++)
        x->v[i] += v[i];
    if (x->rows++ == 0 || rday < x->min_day)
        x->min_day = rday;
    if (rday > x->max_day)
        x->max_day = rday;
    return 0;
}

static struct sums sum(struct stt *t, int lvl, int64_t from, int64_t to, const char *prefix)
{
    struct sums x = {.rows = 0};
    struct err e;
    STT_OK(e, store_roll_sum(t->s, lvl, from, to, prefix, sum_visit, &x, &e));
    return x;
}

static void test_roll_add_then_sum(void **state)
{
    struct stt *t = *state;
    add(t, 2, 100, 100, "53011100800201", 1, 10);
    add(t, 2, 100, 100, "53011100800201", 2, 20); /* the same row: added up */
    add(t, 2, 100, 102, "53011100800201", -1, 0); /* a change two days later */
    add(t, 2, 101, 101, "53011100800202", 5, 0);
    add(t, 2, 101, 101, "53011100800301", 7, 0); /* another community */
    add(t, 1, 100, 100, "530111008002", 100, 0); /* another level */
    struct sums x = sum(t, 2, 100, 101, "");
    assert_int_equal(x.v[0], 1 + 2 + 5 + 7); /* the change on day 102 is after `to` */
    assert_int_equal(x.v[STORE_ROLL_NV - 1], 30);
    assert_int_equal(x.v[1], 0);
    assert_true(x.rows >= 3 && x.rows <= 4); /* several rows may share a day */
    x = sum(t, 2, 100, 102, "");
    assert_int_equal(x.v[0], 1 + 2 - 1 + 5 + 7);
    x = sum(t, 2, 100, 102, "530111008002");
    assert_int_equal(x.v[0], 1 + 2 - 1 + 5);
    x = sum(t, 2, 101, 102, "530111008002");
    assert_int_equal(x.v[0], 5);
    assert_int_equal(x.min_day, 101);
    x = sum(t, 2, 100, 100, "53011100800201");
    assert_int_equal(x.v[0], 3);
    assert_int_equal(x.max_day, 100);
    x = sum(t, 1, 0, 1000, "");
    assert_int_equal(x.v[0], 100);
    assert_int_equal(x.v[7], 1);
    x = sum(t, 0, 0, 1000, "");
    assert_int_equal(x.rows, 0);
}

struct intake_add {
    int lvl;                     /* level */
    int64_t rday;                /* report day */
    const char *grid, *ch, *nat; /* grid, channel, nature */
    int64_t n;                   /* cases */
};

static int job_intake_add(struct store *s, void *arg, struct err *e)
{
    struct intake_add *r = arg;
    return store_roll_intake_add(s, r->lvl, r->rday, r->grid, r->ch, r->nat, r->n, e);
}

static void intake(struct stt *t, int64_t rday, const char *grid, const char *ch, int64_t n)
{
    struct intake_add r = {2, rday, grid, ch, "complaint", n};
    struct err e;
    STT_OK(e, store_write(t->s, job_intake_add, &r, &e));
}

struct intake_sums {
    int64_t app, hotline; /* cases by channel */
};

static int intake_visit(void *arg, int64_t rday, const char *grid, const char *channel,
                        const char *nature, int64_t n)
{
    struct intake_sums *x = arg;
    (void)rday;
    (void)grid;
    assert_string_equal(nature, "complaint");
    if (strcmp(channel, "app") == 0)
        x->app += n;
    else
        x->hotline += n;
    return 0;
}

static struct intake_sums intake_sum(struct stt *t, int64_t from, int64_t to, const char *prefix)
{
    struct intake_sums x = {0, 0};
    struct err e;
    STT_OK(e, store_roll_intake_sum(t->s, 2, from, to, prefix, intake_visit, &x, &e));
    return x;
}

static int job_clear(struct store *s, void *arg, struct err *e)
{
    (void)arg;
    return store_roll_clear(s, e);
}

static void test_roll_intake_and_clear(void **state)
{
    struct stt *t = *state;
    struct err e;
    intake(t, 100, "53011100800201", "app", 2);
    intake(t, 100, "53011100800201", "app", 3);
    intake(t, 101, "53011100800201", "hotline", 1);
    intake(t, 102, "53011100800301", "hotline", 4);
    struct intake_sums x = intake_sum(t, 100, 101, "");
    assert_int_equal(x.app, 5);
    assert_int_equal(x.hotline, 1);
    x = intake_sum(t, 100, 102, "530111008003");
    assert_int_equal(x.app, 0);
    assert_int_equal(x.hotline, 4);
    add(t, 2, 100, 100, "53011100800201", 1, 1);
    STT_OK(e, store_write(t->s, job_clear, NULL, &e));
    x = intake_sum(t, 0, 1000, "");
    assert_int_equal(x.app + x.hotline, 0);
    assert_int_equal(sum(t, 2, 0, 1000, "").rows, 0);
}

/* The events visited by store_roll_events, as "case.seq#id;" relative to the first. */
struct revents {
    char text[256];
    int64_t case0, id0;
};

static int revent_visit(void *arg, const struct store_stats_event *ev)
{
    struct revents *r = arg;
    size_t len = strlen(r->text);
    snprintf(r->text + len, sizeof r->text - len, "%lld.%d#%lld;",
             (long long)(ev->case_id - r->case0), ev->ev.seq, (long long)(ev->ev.id - r->id0));
    return 0;
}

static void test_roll_event_cursor(void **state)
{
    struct stt *t = *state;
    int64_t max = -1;
    struct store_case c;
    struct store_event ev, *v;
    int n;
    struct err e;
    STT_OK(e, store_roll_max_event(t->s, &max, &e));
    assert_int_equal(max, 0); /* no events yet */
    stt_case_init(&c, &ev, STT_T0, "20404", "G01");
    int64_t x = stt_case_store(t, &c, &ev);
    int64_t e1 = ev.id;
    int64_t y = stt_case(t, STT_T0 + 10, "20404", "G01");
    stt_event(t, x, "register", "registered", STT_T0 + 20, 0);
    STT_OK(e, store_case_events(t->s, x, t->a, &v, &n, &e));
    int64_t e3 = v[1].id;
    STT_OK(e, store_case_events(t->s, y, t->a, &v, &n, &e));
    int64_t e2 = v[0].id;
    assert_true(e1 < e2 && e2 < e3);
    STT_OK(e, store_roll_max_event(t->s, &max, &e));
    assert_int_equal(max, e3);
    /* (e2, e3] holds an event of x only: all of x's events up to e3. */
    struct revents r = {"", x, e1};
    char want[128];
    STT_OK(e, store_roll_events(t->s, e2, e3, revent_visit, &r, &e));
    snprintf(want, sizeof want, "0.1#0;0.2#%lld;", (long long)(e3 - e1));
    assert_string_equal(r.text, want);
    /* (0, e2]: x and y, each up to e2, by case then seq. */
    r.text[0] = '\0';
    STT_OK(e, store_roll_events(t->s, 0, e2, revent_visit, &r, &e));
    snprintf(want, sizeof want, "0.1#0;%lld.1#%lld;", (long long)(y - x), (long long)(e2 - e1));
    assert_string_equal(r.text, want);
    r.text[0] = '\0';
    STT_OK(e, store_roll_events(t->s, e3, e3, revent_visit, &r, &e));
    assert_string_equal(r.text, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roll_add_then_sum, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_roll_intake_and_clear, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_roll_event_cursor, stt_setup, stt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
