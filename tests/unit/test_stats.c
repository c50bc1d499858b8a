/*
 * test_stats.c - the statistics engine (domain/stats) against a brute-force
 * recomputation: ~40 cases are driven through varied paths with case_act on
 * a moving pinned clock, then every figure of stats_compute is recomputed
 * here by plain loops over store_case_events and the whistles, and compared.
 * The statistics' roll-ups are brought up to date after every seventh
 * action, so they are built piecemeal from cases caught halfway, as on a
 * live server, and must still equal the exact fold of the log.
 */
#include "casetest.h"
#include "domain/stats/stats.h"
#include "domain/stats/stats_int.h"

enum { N_CASES = 42 };

static int64_t clock_now;

/* Advances the pinned clock by m minutes. */
static void tick(int64_t m)
{
    clock_now += m * 60;
    time_pin(clock_now);
}

static int n_acts;

static void act(struct ct *t, const struct actor *who, int64_t id, struct case_action *a, int i,
                int step)
{
    struct err e = {0};
    tick(10 + (i * 37 + step * 53) % 200);
    if (a->note == NULL)
        a->note = "说明";
    ct_ok(t, who, id, a);
    if (++n_acts % 7 == 0)
        assert_int_equal(stats_roll_update(t->d, NULL, &e), 0);
}

static void simple(struct ct *t, const struct actor *who, int64_t id, const char *name, int i,
                   int step)
{
    struct case_action a = ct_action(name);
    act(t, who, id, &a, i, step);
}

static void dispatch(struct ct *t, int64_t id, const char *name, int k, int i, int step)
{
    struct case_action a = ct_action(name);
    a.unit_id = t->unit[k];
    act(t, &t->disp, id, &a, i, step);
}

static void visit(struct ct *t, int64_t id, int resolved, int sat, int i)
{
    struct case_action a = ct_action("visit");
    a.resolved = resolved;
    a.satisfaction = sat;
    act(t, &t->disp, id, &a, i, 9);
}

/* Drives case i along path i % 10. */
static void drive(struct ct *t, int i)
{
    int k = 1 + i % CT_UNITS, k2 = 1 + (i + 1) % CT_UNITS, path = i % 10;
    tick(30 + (i * 71) % 300);
    int64_t id = ct_report(t, &t->res, i % 4 == 0 ? "urgent" : "normal");
    if (path == 0)
        return;
    simple(t, &t->disp, id, "register", i, 1);
    if (path == 1)
        return;
    if (path == 8) {
        simple(t, &t->disp, id, "void", i, 2);
        return;
    }
    dispatch(t, id, "dispatch", k, i, 2);
    if (path == 4) {
        simple(t, &t->hand[k], id, "return", i, 3);
        k = k2;
        dispatch(t, id, "dispatch", k, i, 4);
    } else if (path == 9) {
        k = k2;
        dispatch(t, id, "reassign", k, i, 4);
    } else if (path == 7) {
        struct case_action w = ct_action("whistle");
        int64_t units[2] = {t->unit[2], t->unit[3]};
        w.whistle_type = i % 20 == 7 ? "minsheng" : "huanjing";
        w.units = units;
        w.n_units = 2;
        act(t, &t->disp, id, &w, i, 4);
        struct case_action r = ct_action("whistle_report");
        r.ref_id = ct_whistle_of(t, id);
        act(t, &t->hand[2], id, &r, i, 5);
    }
    simple(t, &t->hand[k], id, "sign", i, 5);
    if (path == 2)
        return;
    if (path == 6) {
        simple(t, &t->disp, id, "defer", i, 6);
        return;
    }
    if (path == 5) {
        struct case_action x = ct_action("request_extension");
        x.span = (struct cal_span){CAL_WD, 2};
        act(t, &t->hand[k], id, &x, i, 6);
        simple(t, &t->disp, id, "approve_extension", i, 7);
    }
    if (path == 7) {
        struct case_action r = ct_action("whistle_rate");
        r.ref_id = ct_whistle_of(t, id);
        r.unit_id = t->unit[2];
        r.score = 60 + i;
        act(t, &t->disp, id, &r, i, 6);
    }
    simple(t, &t->hand[k], id, "feedback", i, 7);
    if (path == 4) {
        simple(t, &t->disp, id, "rework", i, 8);
        simple(t, &t->hand[k], id, "feedback", i, 8);
    }
    simple(t, &t->disp, id, "close", i, 8);
    if (path == 3)
        visit(t, id, 1, 1, i);
    else if (path == 4)
        visit(t, id, 0, 3, i);
    else if (path == 5)
        visit(t, id, 1, 2, i);
    else if (path == 9)
        visit(t, id, 1, 3, i);
}

static int setup(void **state)
{
    ct_setup(state);
    struct ct *t = *state;
    clock_now = ct_t("2020-03-02T09:00:00+08:00");
    time_pin(clock_now);
    for (int i = 0; i < N_CASES; i++)
        drive(t, i);
    return 0;
}

/* ---- brute force ------------------------------------------------------------------------ */

struct bf {
    int64_t received, registered, dispatched, dispatches, returns, reworks, visits, due, closed;
    struct stats_rate rate[SR_COUNT];
    int64_t stage_min[5], stage_n[5], whistles, units, rated, score_sum;
};

static int count(const struct store_event *ev, int n, const char *action)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        c += strcmp(ev[i].action, action) == 0;
    return c;
}

static int last_index(const struct store_event *ev, int n, const char *action)
{
    int at = -1;
    for (int i = 0; i < n; i++)
        if (strcmp(ev[i].action, action) == 0)
            at = i;
    return at;
}

static void add(struct stats_rate *r, int64_t num, int64_t den)
{
    r->num += num;
    r->den += den;
}

/* One case's events (already cut at the period's end). */
static void bf_case(struct ct *t, const struct store_event *ev, int n, int64_t end, struct bf *b)
{
    const char *last = ev[n - 1].to_state;
    int reg = count(ev, n, "register") > 0;
    int disp = count(ev, n, "dispatch") > 0;
    int nd = count(ev, n, "dispatch") + count(ev, n, "reassign");
    int nr = count(ev, n, "return"), nw = count(ev, n, "rework");
    b->received++;
    b->registered += reg;
    b->dispatched += disp;
    b->dispatches += nd;
    b->returns += nr;
    b->reworks += nw;
    /* response: the first sign against the due of the dispatch before it */
    int ontime = 0;
    for (int i = 0; i < n; i++)
        if (strcmp(ev[i].action, "sign") == 0) {
            int64_t due = 0;
            for (int j = 0; j < i; j++)
                if (!strcmp(ev[j].action, "dispatch") || !strcmp(ev[j].action, "reassign"))
                    due = ev[j].due_at;
            ontime = ev[i].at <= due;
            break;
        }
    add(&b->rate[SR_RESPONSE], disp && ontime, disp);
    for (int i = 0; i < n; i++)
        if (strcmp(ev[i].action, "visit") == 0) {
            b->visits++;
            add(&b->rate[SR_RESOLUTION], ev[i].flag == 1, 1);
            add(&b->rate[SR_SATISFACTION], ev[i].amount <= 2, 1);
        }
    int closed = reg && (!strcmp(last, "closed") || !strcmp(last, "visited"));
    int lc = last_index(ev, n, "close");
    int close_ok = closed && ev[lc].at <= ev[lc].close_due;
    int due = reg && strcmp(last, "deferred") && strcmp(last, "voided") && strcmp(last, "merged") &&
              (closed || (ev[n - 1].close_due && ev[n - 1].close_due <= end));
    b->due += due;
    b->closed += due && closed;
    add(&b->rate[SR_CLOSURE], due && closed, due);
    add(&b->rate[SR_ONTIME_CLOSURE], due && close_ok, due);
    int fb = count(ev, n, "feedback") > 0;
    add(&b->rate[SR_REWORK], fb ? nw : 0, fb);
    add(&b->rate[SR_EXTENSION], due && count(ev, n, "approve_extension") > 0, due);
    add(&b->rate[SR_ACCURATE_DISPATCH], nd - nr - nw > 0 ? nd - nr - nw : 0, nd);
    struct case_deadline dl[5];
    case_deadlines(ev, n, dl);
    for (int k = 0; k < 5; k++)
        if (dl[k].started && dl[k].done) {
            b->stage_min[k] += cal_work_minutes_between(t->d->cal, dl[k].started, dl[k].done);
            b->stage_n[k]++;
        }
}

static void bf_whistles(struct ct *t, int64_t id, int64_t end, struct bf *b)
{
    struct store_whistle *w;
    struct store_whistle_unit *u;
    int n, m;
    struct err e = {0};
    assert_int_equal(store_whistle_list(t->s, id, 0, t->a, &w, &n, &e), 0);
    for (int i = 0; i < n; i++) {
        if (w[i].blown_at > end)
            continue;
        b->whistles++;
        assert_int_equal(store_whistle_units(t->s, w[i].id, t->a, &u, &m, &e), 0);
        for (int j = 0; j < m; j++) {
            b->units++;
            int ok = u[j].reported_at && u[j].reported_at <= w[i].blown_at + w[i].limit_min * 60;
            add(&b->rate[SR_WHISTLE_ONTIME], ok, 1);
            if (u[j].score >= 0) {
                b->rated++;
                b->score_sum += u[j].score;
            }
        }
    }
}

static struct bf brute(struct ct *t, const char *from, const char *to)
{
    struct bf b;
    int64_t fd, td;
    memset(&b, 0, sizeof b);
    assert_int_equal(time_parse_date(from, &fd), 0);
    assert_int_equal(time_parse_date(to, &td), 0);
    int64_t start = fd * 86400 - 8 * 3600, end = (td + 1) * 86400 - 8 * 3600 - 1;
    for (int64_t id = 1; id <= N_CASES; id++) {
        struct store_event *ev;
        int n;
        struct err e = {0};
        assert_int_equal(store_case_events(t->s, id, t->a, &ev, &n, &e), 0);
        if (n == 0 || ev[0].at < start || ev[0].at > end)
            continue;
        while (n > 0 && ev[n - 1].at > end)
            n--;
        bf_case(t, ev, n, end, &b);
        bf_whistles(t, id, end, &b);
    }
    return b;
}

static void compare(struct ct *t, const char *from, const char *to)
{
    struct bf b = brute(t, from, to);
    struct stats_query q = {.from = from, .to = to};
    struct stats_result r;
    struct err e = {0};
    assert_int_equal(stats_compute(t->d, &q, t->a, &r, &e), 0);
    const struct stats_row *x = &r.total;
    assert_int_equal(x->received, b.received);
    assert_true(b.received > 0);
    assert_int_equal(x->registered, b.registered);
    assert_int_equal(x->dispatched, b.dispatched);
    assert_int_equal(x->dispatches, b.dispatches);
    assert_int_equal(x->returns, b.returns);
    assert_int_equal(x->reworks, b.reworks);
    assert_int_equal(x->visits, b.visits);
    assert_int_equal(x->due_to_close, b.due);
    assert_int_equal(x->closed, b.closed);
    for (int i = 0; i < SR_COUNT; i++) {
        if (x->rate[i].num != b.rate[i].num || x->rate[i].den != b.rate[i].den)
            fail_msg("%s..%s %s: engine %lld/%lld, brute force %lld/%lld", from, to,
                     stats_rate_name(i), (long long)x->rate[i].num, (long long)x->rate[i].den,
                     (long long)b.rate[i].num, (long long)b.rate[i].den);
        assert_true(x->rate[i].num <= x->rate[i].den);
    }
    for (int k = 0; k < 5; k++) {
        assert_int_equal(x->stage_minutes[k], b.stage_min[k]);
        assert_int_equal(x->stage_n[k], b.stage_n[k]);
    }
    int64_t wh = 0, units = 0, rated = 0, sum = 0, channels = 0;
    for (int i = 0; i < x->n_whistle; i++) {
        wh += x->whistle[i].whistles;
        units += x->whistle[i].units;
        rated += x->whistle[i].rated;
        sum += x->whistle[i].score_sum;
    }
    assert_int_equal(wh, b.whistles);
    assert_int_equal(units, b.units);
    assert_int_equal(rated, b.rated);
    assert_int_equal(sum, b.score_sum);
    for (int i = 0; i < x->n_channel; i++)
        channels += x->channel[i].n;
    assert_int_equal(channels, b.received);
}

/* The paths produce every kind of event the rates look at. */
static void test_fixture_is_varied(void **state)
{
    struct bf b = brute(*state, "2020-01-01", "2020-12-31");
    assert_int_equal(b.received, N_CASES);
    assert_true(b.returns > 0 && b.reworks > 0 && b.visits > 0 && b.whistles > 0);
    assert_true(b.rate[SR_EXTENSION].num > 0 && b.rate[SR_RESPONSE].num > 0);
    assert_true(b.rate[SR_RESPONSE].num < b.rate[SR_RESPONSE].den); /* some signed late */
    assert_true(b.rate[SR_SATISFACTION].num < b.rate[SR_SATISFACTION].den);
    assert_true(b.rate[SR_CLOSURE].num > 0 && b.rate[SR_WHISTLE_ONTIME].den > 0);
}

static void test_cross_check_whole(void **state)
{
    compare(*state, "2020-01-01", "2020-12-31");
}

/* A period that cuts the log: later cases are out, later events ignored. */
static void test_cross_check_partial(void **state)
{
    compare(*state, "2020-03-02", "2020-03-06");
    compare(*state, "2020-03-04", "2020-03-09");
    compare(*state, "2020-03-03", "2020-03-03");
}

/* Groups add up to the total. */
static void test_groups_sum(void **state)
{
    struct ct *t = *state;
    static const char *const bys[] = {"unit", "category", "grid", "month"};
    for (size_t g = 0; g < ARRAY_SIZE(bys); g++) {
        struct stats_query q = {.from = "2020-01-01", .to = "2020-12-31", .by = bys[g]};
        struct stats_result r;
        struct err e = {0};
        assert_int_equal(stats_compute(t->d, &q, t->a, &r, &e), 0);
        int64_t recv = 0, disp = 0;
        struct stats_rate resp = {0, 0};
        for (int i = 0; i < r.n_rows; i++) {
            recv += r.rows[i].received;
            disp += r.rows[i].dispatches;
            resp.num += r.rows[i].rate[SR_RESPONSE].num;
            resp.den += r.rows[i].rate[SR_RESPONSE].den;
            if (strcmp(bys[g], "unit") == 0 && r.rows[i].has_score) {
                assert_true(r.rows[i].score >= 0 && r.rows[i].score <= 100);
                assert_int_equal(r.rows[i].rank, i + 1);
            }
        }
        assert_int_equal(recv, r.total.received);
        assert_int_equal(disp, r.total.dispatches);
        assert_int_equal(resp.num, r.total.rate[SR_RESPONSE].num);
        assert_int_equal(resp.den, r.total.rate[SR_RESPONSE].den);
        assert_int_equal(r.scored, strcmp(bys[g], "unit") == 0 || strcmp(bys[g], "grid") == 0);
    }
}

/* Scopes: a grid, a unit. */
static void test_scopes(void **state)
{
    struct ct *t = *state;
    char scope[32];
    struct stats_result r;
    struct err e = {0};
    struct stats_query q = {.from = "2020-01-01", .to = "2020-12-31", .scope = "grid:" CT_GRID};
    assert_int_equal(stats_compute(t->d, &q, t->a, &r, &e), 0);
    assert_int_equal(r.total.received, N_CASES);
    snprintf(scope, sizeof scope, "unit:%lld", (long long)t->unit[1]);
    q.scope = scope;
    assert_int_equal(stats_compute(t->d, &q, t->a, &r, &e), 0);
    /* Cases ever dispatched or reassigned to unit 1, by brute force. */
    int64_t want = 0;
    for (int64_t id = 1; id <= N_CASES; id++) {
        struct store_event *ev;
        int n, hit = 0;
        assert_int_equal(store_case_events(t->s, id, t->a, &ev, &n, &e), 0);
        for (int i = 0; i < n; i++)
            hit |= (!strcmp(ev[i].action, "dispatch") || !strcmp(ev[i].action, "reassign")) &&
                   ev[i].unit_id == t->unit[1];
        want += hit;
    }
    assert_true(want > 0);
    assert_int_equal(r.total.received, want);
}

static void expect_invalid(struct ct *t, const char *from, const char *to, const char *scope,
                           const char *by, const char *field)
{
    struct stats_query q = {.from = from, .to = to, .scope = scope, .by = by};
    struct stats_result r;
    struct err e = {0};
    assert_int_equal(stats_compute(t->d, &q, t->a, &r, &e), ERR_INVALID);
    assert_string_equal(e.field, field);
}

static void test_bad_input(void **state)
{
    struct ct *t = *state;
    expect_invalid(t, "2020-13-01", "2020-12-31", NULL, NULL, "from");
    expect_invalid(t, NULL, "2020-12-31", NULL, NULL, "from");
    expect_invalid(t, "2020-01-01", "2020/12/31", NULL, NULL, "to");
    expect_invalid(t, "2020-06-01", "2020-05-31", NULL, NULL, "to");
    expect_invalid(t, "2020-01-01", "2020-12-31", "county:1", NULL, "scope");
    expect_invalid(t, "2020-01-01", "2020-12-31", "unit:999", NULL, "scope");
    expect_invalid(t, "2020-01-01", "2020-12-31", "unit:x", NULL, "scope");
    expect_invalid(t, "2020-01-01", "2020-12-31", "grid:NOPE", NULL, "scope");
    expect_invalid(t, "2020-01-01", "2020-12-31", "community:" CT_GRID, NULL, "scope");
    expect_invalid(t, "2020-01-01", "2020-12-31", "grid", NULL, "scope");
    expect_invalid(t, "2020-01-01", "2020-12-31", NULL, "week", "by");
}

/* Computes q both from the roll-ups and by folding the log; they must be
 * the same to the last field. */
static void same_both_ways(struct ct *t, struct stats_query q)
{
    struct stats_result fast, exact;
    struct err e = {0};
    q.exact = 0;
    assert_int_equal(stats_compute(t->d, &q, t->a, &fast, &e), 0);
    q.exact = 1;
    assert_int_equal(stats_compute(t->d, &q, t->a, &exact, &e), 0);
    if (memcmp(&fast.total, &exact.total, sizeof fast.total) != 0)
        fail_msg("%s..%s %s by %s: roll-ups and fold differ (received %lld / %lld, due %lld / "
                 "%lld)",
                 q.from, q.to, q.scope ? q.scope : "-", q.by ? q.by : "-",
                 (long long)fast.total.received, (long long)exact.total.received,
                 (long long)fast.total.due_to_close, (long long)exact.total.due_to_close);
    assert_int_equal(fast.n_rows, exact.n_rows);
    for (int i = 0; i < fast.n_rows; i++)
        assert_memory_equal(&fast.rows[i], &exact.rows[i], sizeof fast.rows[i]);
    assert_memory_equal(&fast.yoy, &exact.yoy, sizeof fast.yoy);
}

/* The roll-ups answer like the fold for every window of the fixture's
 * weeks (the cut-off falls before, inside and after cases' histories, and
 * on closing deadlines), every scope and grouping they serve. */
static void test_roll_ups_equal_fold(void **state)
{
    struct ct *t = *state;
    static const char *const bys[] = {NULL, "month", "grid", "community"};
    static const char *const scopes[] = {NULL, "grid:" CT_GRID};
    char from[16], to[16];
    int64_t day0;
    assert_int_equal(time_parse_date("2020-02-28", &day0), 0);
    for (int a = 0; a < 30; a += 2)
        for (int len = 0; len < 40; len += 3) {
            time_format_date(day0 + a, from);
            time_format_date(day0 + a + len, to);
            for (size_t b = 0; b < ARRAY_SIZE(bys); b++)
                for (size_t c = 0; c < ARRAY_SIZE(scopes); c++)
                    same_both_ways(t,
                                   (struct stats_query){
                                       .from = from, .to = to, .scope = scopes[c], .by = bys[b]});
        }
}

/* After a reset the roll-ups are rebuilt from the whole log, the same. */
static void test_roll_ups_rebuild(void **state)
{
    struct ct *t = *state;
    struct err e = {0};
    int64_t cases = 0;
    assert_int_equal(stats_roll_reset(t->d, &e), 0);
    assert_int_equal(stats_roll_update(t->d, &cases, &e), 0);
    assert_int_equal(cases, N_CASES);
    assert_int_equal(stats_roll_update(t->d, &cases, &e), 0);
    assert_int_equal(cases, 0); /* up to date: nothing to do */
    compare(t, "2020-01-01", "2020-12-31");
    same_both_ways(t, (struct stats_query){.from = "2020-03-01", .to = "2020-03-10", .by = "grid"});
}

/* A case handled over many weeks (a comment a day for ten weeks, then the feedback,
 * closing and visit), caught up in one go: every day on which its
 * contribution may change is kept, however many there are. */
static void test_roll_ups_long_history(void **state)
{
    struct ct *t = *state;
    int64_t id = 3; /* drive(2): path 2 stops once signed */
    for (int day = 0; day < 70; day++) {
        struct case_action c = ct_action("comment");
        tick(24 * 60);
        c.note = "跟进记录";
        ct_ok(t, &t->disp, id, &c);
    }
    simple(t, &t->hand[3], id, "feedback", 2, 7);
    simple(t, &t->disp, id, "close", 2, 8);
    visit(t, id, 1, 1, 2);
    char to[16];
    time_format_date(STATS_DAY(clock_now) + 1, to);
    compare(t, "2020-03-01", to);
    same_both_ways(t, (struct stats_query){.from = "2020-03-01", .to = to});
    same_both_ways(t, (struct stats_query){.from = "2020-03-01", .to = to, .by = "month"});
}

static void test_weights(void **state)
{
    (void)state;
    struct stats_weights w;
    struct err e = {0};
    assert_int_equal(stats_weights_default(&w, &e), 0);
    assert_true(w.weight[SR_RESPONSE] == 30 && w.weight[SR_RESOLUTION] == 35);
    assert_true(w.weight[SR_SATISFACTION] == 35 && w.weight[SR_CLOSURE] == 0);
    assert_string_equal(stats_grade(&w, 90), "A");
    assert_string_equal(stats_grade(&w, 89.9), "B");
    assert_string_equal(stats_grade(&w, 60), "C");
    assert_string_equal(stats_grade(&w, 59), "D");
    assert_string_equal(stats_grade(&w, 39.9), "E");
    struct stats_row r;
    memset(&r, 0, sizeof r);
    double s = -1;
    assert_int_equal(stats_score(&w, &r, &s), -1);
    r.rate[SR_RESPONSE] = (struct stats_rate){1, 2};
    r.rate[SR_RESOLUTION] = (struct stats_rate){1, 1};
    r.rate[SR_SATISFACTION] = (struct stats_rate){0, 1};
    assert_int_equal(stats_score(&w, &r, &s), 0);
    assert_true(s > 49.999 && s < 50.001); /* (30 * .5 + 35 * 1 + 35 * 0) / 100 */
    const char bad[] = "weight speed 10\n";
    assert_int_equal(stats_weights_parse(bad, sizeof bad - 1, &w, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "line 1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_is_varied),
        cmocka_unit_test(test_cross_check_whole),
        cmocka_unit_test(test_cross_check_partial),
        cmocka_unit_test(test_groups_sum),
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_roll_ups_equal_fold),
        cmocka_unit_test(test_roll_ups_rebuild),
        cmocka_unit_test(test_roll_ups_long_history),
    };
    return cmocka_run_group_tests(tests, setup, ct_teardown);
}
