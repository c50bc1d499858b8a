/*
 * test_store_case_list.c - store_case_list: newest first, paging with
 * before_id and limit, and each filter of struct store_case_filter (zero
 * fields do not filter) on a small set of cases that differ in one field
 * each.
 */
#include "storetest.h"
#include "store/place/store_place.h"

/* The ids listed for filter f, as "id,id,..." newest first. */
static const char *listed(struct stt *t, const struct store_case_filter *f, char *out, size_t n)
{
    struct store_case *v = NULL;
    int got = -1;
    struct err e;
    STT_OK(e, store_case_list(t->s, f, t->a, &v, &got, &e));
    out[0] = '\0';
    for (int i = 0; i < got; i++) {
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s%lld", i ? "," : "", (long long)v[i].id);
        if (i > 0)
            assert_true(v[i].id < v[i - 1].id);
    }
    return out;
}

/* "a,b,..." of ids[from], ids[from - 1], ... down to ids[to] (newest first). */
static const char *ids_down(const int64_t *ids, int from, int to, char *out, size_t n)
{
    out[0] = '\0';
    for (int i = from; i >= to; i--)
        snprintf(out + strlen(out), n - strlen(out), "%s%lld", i < from ? "," : "",
                 (long long)ids[i]);
    return out;
}

struct id_seen {
    int64_t ids[16]; /* visited, in order */
    int n;
};

static int id_visit(void *arg, int64_t id)
{
    struct id_seen *s = arg;
    if (s->n < 16)
        s->ids[s->n] = id;
    s->n++;
    return 0;
}

static void test_list_newest_first_and_paging(void **state)
{
    struct stt *t = *state;
    char got[256], want[256];
    int64_t ids[7];
    for (int i = 0; i < 7; i++) {
        ids[i] = stt_case(t, STT_T0 + i, "20404", "G01");
        assert_true(i == 0 || ids[i] > ids[i - 1]); /* a later case has a larger id */
    }
    struct store_case_filter f = {.limit = 3};
    assert_string_equal(listed(t, &f, got, sizeof got), ids_down(ids, 6, 4, want, sizeof want));
    f.before_id = ids[4];
    assert_string_equal(listed(t, &f, got, sizeof got), ids_down(ids, 3, 1, want, sizeof want));
    f.before_id = ids[1];
    assert_string_equal(listed(t, &f, got, sizeof got), ids_down(ids, 0, 0, want, sizeof want));
    f.before_id = ids[0];
    assert_string_equal(listed(t, &f, got, sizeof got), "");
    f = (struct store_case_filter){.limit = 1000};
    assert_string_equal(listed(t, &f, got, sizeof got), ids_down(ids, 6, 0, want, sizeof want));
    /* The rows are whole cases. */
    struct store_case *v;
    int n;
    struct err e;
    f.limit = 1;
    STT_OK(e, store_case_list(t->s, &f, t->a, &v, &n, &e));
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, ids[6]);
    assert_string_equal(v[0].title, "下水道堵塞");
    assert_string_equal(v[0].category, "20404");
    assert_int_equal(v[0].created_at, STT_T0 + 6);
    /* store_case_each_id visits every id in ascending order. */
    struct id_seen seen = {.n = 0};
    STT_OK(e, store_case_each_id(t->s, id_visit, &seen, &e));
    assert_int_equal(seen.n, 7);
    for (int i = 0; i < 7; i++)
        assert_int_equal(seen.ids[i], ids[i]);
}

/* The cases of the filter tests: each differs from the plain one in one way. */
struct cases {
    int64_t plain;    /* 20404 in 530111008002 01, reported at T0 */
    int64_t state;    /* state "dispatched" */
    int64_t category; /* category 10118 */
    int64_t grid;     /* grid 530111008003 01 (another community) */
    int64_t late;     /* reported a day later */
    int64_t boxed;    /* located at 102.744, 24.963 */
    int64_t outside;  /* grid_status "outside" */
    int64_t overdue;  /* due an hour after T0 */
    int64_t risky;    /* warned an hour after T0, due a day after */
    int64_t paused;   /* due an hour after T0, but paused */
};

#define GRID_A "53011100800201"
#define GRID_B "53011100800301"

static int64_t add(struct stt *t, void (*tweak)(struct store_case *c))
{
    struct store_case c;
    struct store_event ev;
    stt_case_init(&c, &ev, STT_T0, "20404", GRID_A);
    if (tweak)
        tweak(&c);
    ev.at = c.created_at;
    return stt_case_store(t, &c, &ev);
}

static void tw_state(struct store_case *c)
{
    str_copy(c->state, sizeof c->state, "dispatched");
}
static void tw_category(struct store_case *c)
{
    str_copy(c->category, sizeof c->category, "10118");
}
static void tw_grid(struct store_case *c)
{
    str_copy(c->grid, sizeof c->grid, GRID_B);
}
static void tw_late(struct store_case *c)
{
    c->created_at = c->updated_at = STT_T0 + STT_DAY;
}
static void tw_boxed(struct store_case *c)
{
    c->has_pos = 1;
    c->lon = 102.744;
    c->lat = 24.963;
}
static void tw_outside(struct store_case *c)
{
    str_copy(c->grid_status, sizeof c->grid_status, "outside");
}
static void tw_overdue(struct store_case *c)
{
    c->due_at = STT_T0 + 3600;
}
static void tw_risky(struct store_case *c)
{
    c->warn_at = STT_T0 + 3600;
    c->due_at = STT_T0 + STT_DAY;
}
static void tw_paused(struct store_case *c)
{
    c->due_at = STT_T0 + 3600;
    c->paused_at = STT_T0 + 60;
}

static struct cases make_cases(struct stt *t)
{
    struct cases k;
    k.plain = add(t, NULL);
    k.state = add(t, tw_state);
    k.category = add(t, tw_category);
    k.grid = add(t, tw_grid);
    k.late = add(t, tw_late);
    k.boxed = add(t, tw_boxed);
    k.outside = add(t, tw_outside);
    k.overdue = add(t, tw_overdue);
    k.risky = add(t, tw_risky);
    k.paused = add(t, tw_paused);
    return k;
}

/* Asserts that filter f lists exactly the given cases (newest first). */
static void expect(struct stt *t, struct store_case_filter f, int n, ...)
{
    char got[256], want[256] = "";
    va_list ap;
    va_start(ap, n);
    int64_t ids[16];
    for (int i = 0; i < n; i++)
        ids[i] = va_arg(ap, int64_t);
    va_end(ap);
    for (int i = 0; i < n; i++) /* the ids are given oldest first */
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%lld", i ? "," : "",
                 (long long)ids[n - 1 - i]);
    f.limit = 1000;
    assert_string_equal(listed(t, &f, got, sizeof got), want);
}

static void test_list_filters_on_the_case_row(void **state)
{
    struct stt *t = *state;
    struct cases k = make_cases(t);
    int64_t late = STT_T0 + STT_DAY;
    expect(t, (struct store_case_filter){.state = "dispatched"}, 1, k.state);
    expect(t, (struct store_case_filter){.category = "10118"}, 1, k.category);
    expect(t, (struct store_case_filter){.in_grid = GRID_B}, 1, k.grid);
    expect(t, (struct store_case_filter){.in_community = "530111008003"}, 1, k.grid);
    expect(t, (struct store_case_filter){.grid_status = "outside"}, 1, k.outside);
    expect(t, (struct store_case_filter){.created_from = late}, 1, k.late);
    expect(t, (struct store_case_filter){.created_from = STT_T0, .created_to = STT_T0 + 1}, 9,
           k.plain, k.state, k.category, k.grid, k.boxed, k.outside, k.overdue, k.risky, k.paused);
    expect(t,
           (struct store_case_filter){
               .has_bbox = 1, .minx = 102.7, .miny = 24.9, .maxx = 102.8, .maxy = 25.0},
           1, k.boxed);
    expect(t,
           (struct store_case_filter){
               .has_bbox = 1, .minx = 102.8, .miny = 24.9, .maxx = 102.9, .maxy = 25.0},
           0);
    /* Clocks, at T0 + 2 h: overdue is past due and running; at risk is past
     * the warning and not yet due. A paused clock is neither. */
    int64_t now = STT_T0 + 7200;
    expect(t, (struct store_case_filter){.overdue = 1, .now = now}, 1, k.overdue);
    expect(t, (struct store_case_filter){.at_risk = 1, .now = now}, 1, k.risky);
    expect(t, (struct store_case_filter){.at_risk = 1, .now = STT_T0}, 0);
    /* Filters combine. */
    expect(t, (struct store_case_filter){.in_community = "530111008002", .category = "10118"}, 1,
           k.category);
    expect(t, (struct store_case_filter){.state = "dispatched", .category = "10118"}, 0);
}

struct units_set {
    int64_t case_id; /* the case */
    int64_t unit;    /* its lead unit */
};

static int job_lead(struct store *s, void *arg, struct err *e)
{
    struct units_set *u = arg;
    return store_case_units_set(s, u->case_id, "lead", &u->unit, 1, e);
}

static int job_follow(struct store *s, void *arg, struct err *e)
{
    int64_t *v = arg;
    return store_case_follow(s, v[0], v[1], e);
}

static void test_list_filters_on_people_and_units(void **state)
{
    struct stt *t = *state;
    int64_t unit = stt_unit(t, "CGJ"), other_unit = stt_unit(t, "SWJ");
    int64_t rep = stt_user(t, "rep", "resident"), fan = stt_user(t, "fan", "resident");
    int64_t verifier = stt_user(t, "gridder", "grid"), member = stt_user(t, "member", "grid");
    struct store_case c;
    struct store_event ev;
    struct err e;
    int64_t plain = stt_case(t, STT_T0, "20404", GRID_A);
    stt_case_init(&c, &ev, STT_T0, "20404", "");
    c.reporter_id = rep;
    int64_t reported = stt_case_store(t, &c, &ev);
    int64_t followed = stt_case(t, STT_T0, "20404", GRID_B);
    stt_case_init(&c, &ev, STT_T0, "20404", GRID_B);
    c.verifier_id = verifier;
    int64_t to_verify = stt_case_store(t, &c, &ev);
    int64_t dispatched = stt_case(t, STT_T0, "20404", GRID_B);
    struct units_set u = {dispatched, unit};
    STT_OK(e, store_write(t->s, job_lead, &u, &e));
    int64_t fv[2] = {followed, fan};
    STT_OK(e, store_write(t->s, job_follow, fv, &e));
    STT_OK(e, store_grid_member_add(t->s, GRID_A, member, "volunteer", &e));

    expect(t, (struct store_case_filter){.unit_id = unit}, 1, dispatched);
    expect(t, (struct store_case_filter){.unit_id = other_unit}, 0);
    expect(t, (struct store_case_filter){.user_id = rep}, 1, reported);
    expect(t, (struct store_case_filter){.user_id = fan}, 1, followed);
    /* grid: the cases in it; with verifier_id also those the user must
     * verify or reported. */
    expect(t, (struct store_case_filter){.grid = GRID_A}, 1, plain);
    expect(t, (struct store_case_filter){.grid = GRID_A, .verifier_id = verifier}, 2, plain,
           to_verify);
    expect(t, (struct store_case_filter){.grid = GRID_A, .verifier_id = rep}, 2, plain, reported);
    /* team_user: also the cases in grids whose team has the user. */
    expect(t, (struct store_case_filter){.unit_id = other_unit, .team_user = member}, 1, plain);
    expect(t, (struct store_case_filter){.unit_id = unit, .team_user = member}, 2, plain,
           dispatched);
    expect(t, (struct store_case_filter){.grid = GRID_B, .team_user = member}, 4, plain, followed,
           to_verify, dispatched);
    expect(t, (struct store_case_filter){.unit_id = unit, .team_user = verifier}, 1, dispatched);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list_newest_first_and_paging, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_list_filters_on_the_case_row, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_list_filters_on_people_and_units, stt_setup,
                                        stt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
