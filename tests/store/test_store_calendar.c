/*
 * test_store_calendar.c - the stored working calendar (store_calendar.h):
 * store_calendar_replace replaces the days of [from, to] only, in one
 * transaction (a refused feed leaves the calendar as it was), and
 * store_calendar_each visits the days.
 */
#include "storetest.h"
#include "store/calendar/store_calendar.h"

struct cal_day {
    int64_t day; /* day number */
    int kind;    /* 1 rest day, 2 make-up working day */
    const char *name;
};

struct cal_feed {
    const struct cal_day *v; /* the days to feed */
    int n, i;                /* how many, the next */
};

static int cal_next(void *arg, int64_t *day, int *kind, const char **name)
{
    struct cal_feed *f = arg;
    if (f->i >= f->n)
        return 0;
    *day = f->v[f->i].day;
    *kind = f->v[f->i].kind;
    *name = f->v[f->i].name;
    f->i++;
    return 1;
}

struct cal_seen {
    char text[512]; /* "day:kind:name;" of every day visited */
};

static int cal_visit(void *arg, int64_t day, int kind, const char *name)
{
    struct cal_seen *s = arg;
    size_t len = strlen(s->text);
    snprintf(s->text + len, sizeof s->text - len, "%lld:%d:%s;", (long long)day, kind, name);
    return 0;
}

static const char *cal_text(struct stt *t, struct cal_seen *s)
{
    struct err e;
    s->text[0] = '\0';
    STT_OK(e, store_calendar_each(t->s, cal_visit, s, &e));
    return s->text;
}

static int cal_replace(struct stt *t, int64_t from, int64_t to, const struct cal_day *v, int n,
                       struct err *e)
{
    struct cal_feed f = {v, n, 0};
    err_clear(e);
    return store_calendar_replace(t->s, from, to, cal_next, &f, e);
}

static void test_calendar_replace_keeps_days_outside(void **state)
{
    struct stt *t = *state;
    struct cal_seen s;
    struct err e;
    static const struct cal_day year[] = {
        {100, 1, "元旦"}, {110, 2, "调休"}, {120, 1, "春节"}, {130, 1, "清明"}};
    assert_int_equal(cal_replace(t, 100, 130, year, 4, &e), 0);
    assert_string_equal(cal_text(t, &s), "100:1:元旦;110:2:调休;120:1:春节;130:1:清明;");
    /* Replacing [105, 125] drops 110 and 120 and keeps 100 and 130. */
    static const struct cal_day mid[] = {{106, 2, "补班"}, {125, 1, "假日"}};
    assert_int_equal(cal_replace(t, 105, 125, mid, 2, &e), 0);
    assert_string_equal(cal_text(t, &s), "100:1:元旦;106:2:补班;125:1:假日;130:1:清明;");
    /* An empty feed clears the range only (the bounds are inclusive). */
    assert_int_equal(cal_replace(t, 125, 130, NULL, 0, &e), 0);
    assert_string_equal(cal_text(t, &s), "100:1:元旦;106:2:补班;");
}

static void test_calendar_replace_is_atomic(void **state)
{
    struct stt *t = *state;
    struct cal_seen s;
    struct err e;
    static const struct cal_day year[] = {{100, 1, "元旦"}, {110, 2, "调休"}};
    assert_int_equal(cal_replace(t, 100, 110, year, 2, &e), 0);
    /* The same day twice is refused: nothing of the replacement is kept,
     * not even the clearing of the range. */
    static const struct cal_day twice[] = {{105, 1, "甲"}, {105, 2, "乙"}};
    assert_true(cal_replace(t, 100, 110, twice, 2, &e) < 0);
    assert_true(e.code < 0);
    assert_string_equal(cal_text(t, &s), "100:1:元旦;110:2:调休;");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_calendar_replace_keeps_days_outside, stt_setup,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_calendar_replace_is_atomic, stt_setup, stt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
