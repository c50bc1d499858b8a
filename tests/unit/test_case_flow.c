/*
 * test_case_flow.c - whole case lifecycles through the real engine and
 * store (see casetest.h): deadlines at every step, urgent (continuous) time,
 * the per-stage deadlines derived from the log, merging, whistles,
 * visibility, replay of the log, and refused reports.
 *
 * Time is pinned to Monday 2 March 2020 10:00 (CT_NOW), so every event of a
 * process happens at that instant. Expected deadlines are worked out
 * independently with cal_deadline on the domain's calendar and the limits of
 * data/time_limits.txt (normal: register 2wh, dispatch 1wh, sign 2wh, handle
 * 5wd, close 7wd; urgent: 30m, 30m, 30m, 4h, 24h), and the key ones are also
 * written out as dates worked out by hand. A second process pinned to
 * Thursday 30 April 2020 16:00, the eve of the May Day holiday, checks
 * deadlines across five days off (test_across_holiday).
 */
#include <sys/wait.h>
#include "casetest.h"

/* A lifecycle in progress. */
struct flow {
    struct ct *t;  /* fixture */
    int64_t id;    /* the case */
    int64_t now;   /* the pinned instant */
    int64_t close; /* the closing deadline expected so far */
};

/* The deadline of limit `span` ("2wh", "5wd", "4h"...) starting now. */
static int64_t due_in(struct flow *f, const char *span)
{
    struct cal_span s;
    assert_int_equal(cal_span_parse(span, &s), 0);
    return cal_deadline(f->t->d->cal, f->now, s);
}

/* The at-risk instant of a working-time stage from now to due: after 80%
 * (warn_fraction) of its working time. */
static int64_t warn_of(struct flow *f, int64_t due)
{
    struct cal *cal = f->t->d->cal;
    int64_t work = cal_work_minutes_between(cal, f->now, due);
    return cal_add_work_minutes(cal, f->now, (int64_t)((double)work * 0.8));
}

/* Asserts the case's three deadlines. */
static void expect_clock(const struct store_case *c, int64_t due, int64_t warn, int64_t close)
{
    char got[32], want[32];
    time_format_iso(c->due_at, got);
    time_format_iso(due, want);
    assert_string_equal(got, want);
    assert_int_equal(c->due_at, due);
    assert_int_equal(c->warn_at, warn);
    assert_int_equal(c->close_due, close);
}

/* Takes action a by who and asserts the resulting state; returns the case. */
static struct store_case step(struct flow *f, const struct actor *who, struct case_action a, int st)
{
    ct_ok(f->t, who, f->id, &a);
    struct store_case c = ct_get(f->t, f->id);
    assert_string_equal(c.state, case_state_name(st));
    return c;
}

/* Action `name` with a note. */
static struct case_action noted(const char *name)
{
    struct case_action a = ct_action(name);
    a.note = "处理说明";
    return a;
}

/* A dispatch to lead with n co-units. */
static struct case_action dispatch_to(struct flow *f, int lead, const int *co, int n)
{
    int64_t *units = arena_alloc(f->t->a, sizeof *units * 4);
    struct case_action a = noted("dispatch");
    for (int i = 0; i < n; i++)
        units[i] = f->t->unit[co[i]];
    a.unit_id = f->t->unit[lead];
    a.units = units;
    a.n_units = n;
    return a;
}

/* Asserts whether handler k can read the case. */
static void expect_sees(struct flow *f, int k, int sees)
{
    struct store_case c;
    struct err e = {0};
    int rc = case_get(f->t->d, &f->t->hand[k], f->id, f->t->a, &c, &e);
    assert_int_equal(rc, sees ? 0 : ERR_NOTFOUND);
}

/* "1,2" style list of unit ids for units k1, k2 (k2 = 0: one unit). */
static const char *unit_list(struct flow *f, int k1, int k2)
{
    return k2 ? arena_printf(f->t->a, "%lld,%lld", (long long)f->t->unit[k1],
                             (long long)f->t->unit[k2])
              : arena_printf(f->t->a, "%lld", (long long)f->t->unit[k1]);
}

/* ---- the full path ------------------------------------------------------------ */

/* report -> send_verify -> verify -> register. */
static void flow_intake(struct flow *f)
{
    struct ct *t = f->t;
    f->id = ct_report(t, &t->res, "normal");
    struct store_case c = ct_get(t, f->id);
    assert_string_equal(c.state, "reported");
    ct_assert_at(c.due_at, "2020-03-02T12:00:00"); /* 2 working hours */
    expect_clock(&c, due_in(f, "2wh"), warn_of(f, due_in(f, "2wh")), 0);
    ct_assert_at(c.warn_at, "2020-03-02T11:36:00");
    struct case_action a = ct_action("send_verify");
    a.ref_id = t->grid.user_id;
    c = step(f, &t->disp, a, ST_VERIFYING);
    assert_int_equal(c.verifier_id, t->grid.user_id);
    expect_clock(&c, due_in(f, "2wh"), warn_of(f, due_in(f, "2wh")), 0);
    a = ct_action("verify");
    a.confirmed = 1;
    c = step(f, &t->grid, a, ST_VERIFIED);
    c = step(f, &t->disp, ct_action("register"), ST_REGISTERED);
    f->close = due_in(f, "7wd");
    ct_assert_at(f->close, "2020-03-11T18:00:00"); /* Mar 3..11: 7 working days */
    expect_clock(&c, due_in(f, "1wh"), warn_of(f, due_in(f, "1wh")), f->close);
}

/* dispatch (lead 1, co 2+3) -> return -> dispatch (lead 2, co 3) -> sign. */
static void flow_dispatch(struct flow *f)
{
    struct ct *t = f->t;
    const int co23[] = {2, 3}, co3[] = {3};
    struct store_case c = step(f, &t->disp, dispatch_to(f, 1, co23, 2), ST_DISPATCHED);
    assert_int_equal(c.lead_unit, t->unit[1]);
    assert_string_equal(c.co_units, unit_list(f, 2, 3));
    expect_clock(&c, due_in(f, "2wh"), warn_of(f, due_in(f, "2wh")), f->close);
    for (int k = 1; k <= 3; k++)
        expect_sees(f, k, 1);
    expect_sees(f, 4, 0);
    c = step(f, &t->hand[1], noted("return"), ST_RETURNED);
    assert_int_equal(c.return_count, 1);
    assert_int_equal(c.lead_unit, t->unit[1]); /* kept until the next dispatch */
    expect_clock(&c, due_in(f, "1wh"), warn_of(f, due_in(f, "1wh")), f->close);
    c = step(f, &t->disp, dispatch_to(f, 2, co3, 1), ST_DISPATCHED);
    assert_int_equal(c.lead_unit, t->unit[2]);
    assert_string_equal(c.co_units, unit_list(f, 3, 0));
    /* The unit that returned the case is no longer attached to it. */
    expect_sees(f, 1, 0);
    expect_sees(f, 2, 1);
    c = step(f, &t->hand[2], ct_action("sign"), ST_ACCEPTED);
    ct_assert_at(c.due_at, "2020-03-09T18:00:00"); /* 5 working days */
    /* 80% of 2460 working minutes (Mar 2 10:00 .. Mar 9 18:00) = 1968, counted
     * from Mar 2 10:00: 360 + 3 x 420 on Mar 2..5, then 168 more on Mar 6. */
    ct_assert_at(c.warn_at, "2020-03-06T16:48:00");
    expect_clock(&c, due_in(f, "5wd"), warn_of(f, due_in(f, "5wd")), f->close);
}

/* progress (co-unit) -> request_extension 2wd -> approve -> supervise. */
static void flow_extension(struct flow *f)
{
    struct ct *t = f->t;
    struct store_case before = step(f, &t->hand[3], noted("progress"), ST_IN_PROGRESS);
    struct case_action a = noted("request_extension");
    struct cal_span two = {CAL_WD, 2};
    a.span = two;
    struct store_case c = step(f, &t->hand[2], a, ST_EXTENSION_REQ);
    expect_clock(&c, before.due_at, before.warn_at, before.close_due);
    c = step(f, &t->disp, ct_action("approve_extension"), ST_IN_PROGRESS);
    assert_int_equal(c.extension_count, 1);
    ct_assert_at(c.due_at, "2020-03-11T18:00:00");
    ct_assert_at(c.close_due, "2020-03-13T18:00:00");
    struct cal *cal = t->d->cal;
    int64_t moved = cal_work_minutes_between(cal, before.due_at, c.due_at);
    expect_clock(&c, cal_deadline(cal, before.due_at, two),
                 cal_add_work_minutes(cal, before.warn_at, moved),
                 cal_deadline(cal, before.close_due, two));
    assert_true(c.warn_at < c.due_at); /* the warning stays before the deadline */
    /* Both moved by exactly 2 working days, to the end of the working day. */
    int64_t d0 = (before.due_at + TIME_CN_OFFSET) / 86400, d1 = (c.due_at + TIME_CN_OFFSET) / 86400;
    assert_int_equal(d1, cal_add_workdays(cal, d0, 2));
    d0 = (before.close_due + TIME_CN_OFFSET) / 86400;
    assert_int_equal((c.close_due + TIME_CN_OFFSET) / 86400, cal_add_workdays(cal, d0, 2));
    f->close = c.close_due;
    c = step(f, &t->lead, noted("supervise"), ST_IN_PROGRESS);
    assert_int_equal(c.supervise_count, 1);
}

/* defer -> resume -> hang -> resume: paused and resumed at the same pinned
 * instant, so no deadline moves; paused_at marks the pause. */
static void flow_pauses(struct flow *f)
{
    struct ct *t = f->t;
    struct store_case before = ct_get(t, f->id);
    static const struct {
        const char *action; /* step */
        int st;             /* state after */
        int paused;         /* 1 if the clock is paused after it */
    } steps[] = {{"defer", ST_DEFERRED, 1},
                 {"resume", ST_IN_PROGRESS, 0},
                 {"hang", ST_HUNG, 1},
                 {"resume", ST_IN_PROGRESS, 0}};
    for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
        struct store_case c = step(f, &t->disp, noted(steps[i].action), steps[i].st);
        assert_int_equal(c.paused_at, steps[i].paused ? f->now : 0);
        expect_clock(&c, before.due_at, before.warn_at, before.close_due);
    }
}

/* The check stage's deadline is the closing deadline, warned after 80% of
 * the working time left to it. */
static void expect_check_clock(struct flow *f, const struct store_case *c)
{
    expect_clock(c, f->close, warn_of(f, f->close), f->close);
}

/* feedback -> rework -> feedback -> close -> visit (unresolved, unsatisfied). */
static void flow_check(struct flow *f)
{
    struct ct *t = f->t;
    struct store_case c = step(f, &t->hand[2], noted("feedback"), ST_HANDLED);
    expect_check_clock(f, &c);
    c = step(f, &t->grid, noted("rework"), ST_REWORK);
    assert_int_equal(c.rework_count, 1);
    expect_clock(&c, due_in(f, "5wd"), warn_of(f, due_in(f, "5wd")), f->close);
    c = step(f, &t->hand[2], noted("feedback"), ST_HANDLED);
    expect_check_clock(f, &c);
    c = step(f, &t->disp, ct_action("close"), ST_CLOSED);
    expect_clock(&c, 0, 0, f->close);
    assert_int_equal(c.closed_at, f->now);
    struct case_action a = ct_action("visit");
    a.resolved = 0;
    a.satisfaction = 3;
    c = step(f, &t->res, a, ST_VISITED);
    assert_int_equal(c.visit_resolved, 0);
    assert_int_equal(c.visit_satisfaction, 3);
    expect_clock(&c, 0, 0, f->close);
}

/* reopen -> feedback -> close -> visit (satisfied); reopen is then refused. */
static void flow_reopen(struct flow *f)
{
    struct ct *t = f->t;
    struct store_case c = step(f, &t->res, noted("reopen"), ST_REWORK);
    assert_int_equal(c.rework_count, 2);
    assert_int_equal(c.closed_at, 0);
    f->close = due_in(f, "7wd"); /* a new closing limit from the reopening */
    expect_clock(&c, due_in(f, "5wd"), warn_of(f, due_in(f, "5wd")), f->close);
    c = step(f, &t->hand[2], noted("feedback"), ST_HANDLED);
    expect_check_clock(f, &c);
    c = step(f, &t->disp, ct_action("close"), ST_CLOSED);
    struct case_action a = ct_action("visit");
    a.resolved = 1;
    a.satisfaction = 1;
    c = step(f, &t->res, a, ST_VISITED);
    assert_int_equal(c.visit_satisfaction, 1);
    struct err e;
    struct case_action r = noted("reopen");
    assert_int_equal(ct_try(t, &t->res, f->id, &r, &e), ERR_CONFLICT);
}

/* Runs the whole path on a new case; returns its id. */
static int64_t run_full_flow(struct ct *t)
{
    struct flow f = {.t = t, .now = time_now()};
    assert_int_equal(f.now, ct_t(CT_NOW));
    flow_intake(&f);
    flow_dispatch(&f);
    flow_extension(&f);
    flow_pauses(&f);
    flow_check(&f);
    flow_reopen(&f);
    struct store_case c = ct_get(t, f.id);
    assert_int_equal(c.return_count, 1);
    assert_int_equal(c.rework_count, 2);
    assert_int_equal(c.extension_count, 1);
    assert_int_equal(c.supervise_count, 1);
    assert_int_equal(c.lead_unit, t->unit[2]);
    assert_int_equal(c.last_seq, ct_nevents(t, f.id));
    assert_int_equal(c.last_seq, 25);
    return f.id;
}

/* The full lifecycle with every deadline and counter checked on the way. */
static void test_full_flow(void **state)
{
    run_full_flow(*state);
}

/* ---- urgent cases ---------------------------------------------------------------- */

/* Takes an urgent case from report to sign-for; returns it. */
static struct store_case urgent_to_accepted(struct flow *f)
{
    struct ct *t = f->t;
    const int co[] = {2};
    f->id = ct_report(t, &t->disp, "urgent");
    struct store_case c = ct_get(t, f->id);
    expect_clock(&c, f->now + 30 * 60, f->now + 24 * 60, 0);
    c = step(f, &t->disp, ct_action("register"), ST_REGISTERED);
    expect_clock(&c, f->now + 30 * 60, f->now + 24 * 60, f->now + 24 * 3600);
    c = step(f, &t->disp, dispatch_to(f, 1, co, 1), ST_DISPATCHED);
    expect_clock(&c, f->now + 30 * 60, f->now + 24 * 60, f->now + 24 * 3600);
    c = step(f, &t->hand[1], ct_action("sign"), ST_ACCEPTED);
    expect_clock(&c, f->now + 14400, f->now + 11520, f->now + 24 * 3600);
    return c;
}

/* Urgent limits run on the wall clock: handle 4h is +14400 s, not 4
 * working hours (16:00), and close 24h is the next day at the same time. */
static void test_urgent_continuous(void **state)
{
    struct flow f = {.t = *state, .now = time_now()};
    struct store_case c = urgent_to_accepted(&f);
    ct_assert_at(c.due_at, "2020-03-02T14:00:00");
    assert_int_not_equal(c.due_at, due_in(&f, "4wh"));
    ct_assert_at(c.close_due, "2020-03-03T10:00:00");
    c = step(&f, &f.t->disp, noted("defer"), ST_DEFERRED);
    c = step(&f, &f.t->disp, ct_action("resume"), ST_IN_PROGRESS);
    assert_int_equal(c.due_at, f.now + 14400); /* a pause of 0 s moves nothing */
}

/* In a process pinned to 2020-04-30 16:00 (Thursday; 1-5 May are off and
 * Saturday 9 May is a make-up working day): urgent limits cross the holiday
 * on the wall clock, normal ones skip it. */
static void test_across_holiday(void **state)
{
    struct flow f = {.t = *state, .now = time_now()};
    ct_assert_at(f.now, "2020-04-30T16:00:00");
    struct store_case c = urgent_to_accepted(&f);
    ct_assert_at(c.due_at, "2020-04-30T20:00:00");
    ct_assert_at(c.close_due, "2020-05-01T16:00:00"); /* on the holiday itself */
    const int co[] = {2};
    f.id = ct_report(f.t, &f.t->disp, "normal");
    ct_assert_at(ct_get(f.t, f.id).due_at, "2020-04-30T18:00:00");
    c = step(&f, &f.t->disp, ct_action("register"), ST_REGISTERED);
    ct_assert_at(c.due_at, "2020-04-30T17:00:00");
    ct_assert_at(c.close_due, "2020-05-13T18:00:00"); /* 6,7,8,9(Sat),11,12,13 May */
    c = step(&f, &f.t->disp, dispatch_to(&f, 1, co, 1), ST_DISPATCHED);
    c = step(&f, &f.t->hand[1], ct_action("sign"), ST_ACCEPTED);
    ct_assert_at(c.due_at, "2020-05-11T18:00:00"); /* 6,7,8,9(Sat),11 May */
    expect_clock(&c, due_in(&f, "5wd"), warn_of(&f, due_in(&f, "5wd")), due_in(&f, "7wd"));
}

/* Runs test_across_holiday in a child process with its own pinned time
 * (time_now() reads CHUISHAO_NOW once per process). */
static void test_holiday_process(void **state)
{
    (void)state;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char *argv[] = {(char *)"test_case_flow", NULL};
        setenv("CASETEST_HOLIDAY", "1", 1);
        setenv("CHUISHAO_NOW", "2020-04-30T16:00:00+08:00", 1);
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- per-stage deadlines from the log -------------------------------------------- */

/* The index of the first event with this action at or after `from`. */
static int find_event(const struct store_event *ev, int n, const char *action, int from)
{
    for (int i = from; i < n; i++)
        if (strcmp(ev[i].action, action) == 0)
            return i;
    fail_msg("no '%s' event", action);
    return -1;
}

/* Asserts one stage of case_deadlines. */
static void expect_stage(const struct case_deadline *d, const char *stage, int64_t started,
                         int64_t due, int64_t done)
{
    assert_string_equal(d->stage, stage);
    assert_int_equal(d->started, started);
    assert_int_equal(d->due, due);
    assert_int_equal(d->done, done);
}

/* case_deadlines on prefixes of the full path's log: each stage starts,
 * moves (extension) and completes at the right events. */
static void test_deadlines_from_log(void **state)
{
    struct ct *t = *state;
    struct flow f = {.t = t, .now = time_now()};
    int64_t id = run_full_flow(t), N = f.now;
    struct store_event *ev;
    struct case_deadline d[5];
    int n = 0;
    struct err e = {0};
    assert_int_equal(case_events(t->d, &t->res, id, t->a, &ev, &n, &e), 0);
    assert_int_equal(case_deadlines(ev, 1, d), 5);
    expect_stage(&d[0], "register", N, due_in(&f, "2wh"), 0);
    expect_stage(&d[1], "dispatch", 0, 0, 0);
    expect_stage(&d[4], "close", 0, 0, 0);
    int k = find_event(ev, n, "approve_extension", 0);
    case_deadlines(ev, k + 1, d);
    expect_stage(&d[0], "register", N, due_in(&f, "2wh"), N);
    expect_stage(&d[1], "dispatch", N, due_in(&f, "1wh"), N); /* restarted by the return */
    expect_stage(&d[2], "sign", N, due_in(&f, "2wh"), N);
    expect_stage(&d[3], "handle", N, ev[k].due_at, 0);
    ct_assert_at(d[3].due, "2020-03-11T18:00:00"); /* moved by the extension */
    expect_stage(&d[4], "close", N, ev[k].close_due, 0);
    k = find_event(ev, n, "feedback", 0);
    case_deadlines(ev, k + 1, d);
    expect_stage(&d[3], "handle", N, ev[k - 1].due_at, N);
    case_deadlines(ev, n, d);
    expect_stage(&d[3], "handle", N, due_in(&f, "5wd"), N); /* the reopened cycle */
    expect_stage(&d[4], "close", N, due_in(&f, "7wd"), N);
}

/* ---- merge --------------------------------------------------------------------- */

/* The ids a user's case_list returns, as "3,1" (newest first). */
static const char *listed(struct ct *t, const struct actor *who)
{
    struct store_case_filter flt = {.limit = 1000};
    struct store_case *v;
    int n = 0;
    struct err e = {0};
    char *out = arena_strdup(t->a, "");
    assert_int_equal(case_list(t->d, who, &flt, t->a, &v, &n, &e), 0);
    for (int i = 0; i < n; i++)
        out = arena_printf(t->a, "%s%s%lld", out, i ? "," : "", (long long)v[i].id);
    return out;
}

/* The ids as "b,a" (the order of a newest-first list). */
static const char *ids2(struct ct *t, int64_t newer, int64_t older)
{
    return arena_printf(t->a, "%lld,%lld", (long long)newer, (long long)older);
}

/* Asserts whether who can read case id. */
static void expect_get(struct ct *t, const struct actor *who, int64_t id, int want)
{
    struct store_case c;
    struct err e = {0};
    assert_int_equal(case_get(t->d, who, id, t->a, &c, &e), want);
}

/* Merges dup into master by the dispatcher. */
static void merge_into(struct ct *t, int64_t dup, int64_t master)
{
    struct case_action a = noted("merge");
    a.ref_id = master;
    ct_ok(t, &t->disp, dup, &a);
}

/* Resident B's duplicate merged into resident A's master: B now follows
 * (and reads) the master, still reads the duplicate; A does not read B's
 * duplicate; the duplicate is final. Returns the duplicate's id. */
static int64_t run_merge(struct ct *t)
{
    int64_t master = ct_report(t, &t->res, "normal");
    int64_t dup = ct_report(t, &t->res2, "normal");
    struct err e = {0};
    expect_get(t, &t->res2, master, ERR_NOTFOUND);
    merge_into(t, dup, master);
    struct store_case c = ct_get(t, dup);
    assert_string_equal(c.state, "merged");
    assert_int_equal(c.master_id, master);
    assert_int_equal(c.due_at, 0);
    assert_int_equal(c.close_due, 0);
    assert_int_equal(store_case_is_follower(t->s, master, t->res2.user_id, &e), 1);
    expect_get(t, &t->res2, master, 0);
    expect_get(t, &t->res2, dup, 0);
    expect_get(t, &t->res, dup, ERR_NOTFOUND);
    assert_string_equal(listed(t, &t->res2), ids2(t, dup, master));
    assert_int_equal(ct_get(t, master).last_seq, 1); /* the master is untouched */
    assert_true(case_state_final(ST_MERGED));
    return dup;
}

/* Merging, and that a merged case accepts no further handling. */
static void test_merge(void **state)
{
    struct ct *t = *state;
    int64_t dup = run_merge(t);
    static const char *const refused[] = {"register", "merge",     "void",    "reject",
                                          "dispatch", "supervise", "whistle", "close"};
    for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
        struct case_action a = noted(refused[i]);
        struct ct_snap before = ct_snap(t, dup);
        struct err e;
        assert_int_equal(ct_try(t, &t->disp, dup, &a, &e), ERR_CONFLICT);
        ct_assert_unchanged(t, dup, &before);
    }
}

/* A chain of merges: X (resident C) into Y (resident B), then Y into M
 * (resident A). C must hear M's outcome too: every reporter follows the
 * final master. */
static void test_merge_chain(void **state)
{
    struct ct *t = *state;
    struct actor res3 = ct_user(t, "res_c", "resident", 0, "");
    int64_t m = ct_report(t, &t->res, "normal"), y = ct_report(t, &t->res2, "normal");
    int64_t x = ct_report(t, &res3, "normal");
    struct err e = {0};
    merge_into(t, x, y);
    merge_into(t, y, m);
    assert_int_equal(store_case_is_follower(t->s, m, t->res2.user_id, &e), 1);
    assert_int_equal(store_case_is_follower(t->s, m, res3.user_id, &e), 1);
    expect_get(t, &res3, m, 0);
}

/* ---- whistles ---------------------------------------------------------------------- */

/* The whistle-unit row of unit k in whistle w. */
static struct store_whistle_unit whistle_row(struct ct *t, int64_t w, int k)
{
    struct store_whistle_unit *u;
    int n = 0;
    struct err e = {0};
    assert_int_equal(store_whistle_units(t->s, w, t->a, &u, &n, &e), 0);
    assert_int_equal(n, 2);
    for (int i = 0; i < n; i++)
        if (u[i].unit_id == t->unit[k])
            return u[i];
    fail_msg("unit %d is not summoned", k);
    return u[0];
}

/* Blows a "huanjing" whistle summoning units 2 and 3 on case id; returns it. */
static int64_t blow(struct flow *f)
{
    struct ct *t = f->t;
    struct case_action a = noted("whistle");
    int64_t *units = arena_alloc(t->a, sizeof *units * 2);
    units[0] = t->unit[2];
    units[1] = t->unit[3];
    a.whistle_type = "huanjing";
    a.units = units;
    a.n_units = 2;
    a.limit_min = 30;
    step(f, &t->disp, a, ST_DISPATCHED);
    int64_t w = ct_whistle_of(t, f->id);
    struct store_whistle wh;
    struct err e = {0};
    assert_int_equal(store_whistle_get(t->s, w, t->a, &wh, &e), 0);
    assert_int_equal(wh.case_id, f->id);
    assert_string_equal(wh.type, "huanjing");
    assert_int_equal(wh.limit_min, 30);
    assert_int_equal(wh.blown_by, t->disp.user_id);
    assert_int_equal(wh.blown_at, f->now);
    return w;
}

/* A whistle action on the flow's case; returns case_act's code. */
static int whistle_act(struct flow *f, const struct actor *who, const char *action, int64_t w,
                       int unit_k, int score)
{
    struct case_action a = ct_action(action);
    struct err e;
    a.ref_id = w;
    a.unit_id = unit_k ? f->t->unit[unit_k] : 0;
    a.score = score;
    a.note = strcmp(action, "whistle_rate") == 0 ? "到场及时" : "已到场";
    struct ct_snap before = ct_snap(f->t, f->id);
    int rc = ct_try(f->t, who, f->id, &a, &e);
    if (rc)
        ct_assert_unchanged(f->t, f->id, &before);
    return rc;
}

/* Summoned units' handlers report once; others cannot. */
static void whistle_reports(struct flow *f, int64_t w)
{
    struct ct *t = f->t;
    assert_int_equal(whistle_act(f, &t->hand[2], "whistle_report", w, 0, -1), 0);
    struct store_whistle_unit u = whistle_row(t, w, 2);
    assert_int_equal(u.reported_at, f->now);
    assert_int_equal(u.reported_by, t->hand[2].user_id);
    assert_string_equal(u.report_note, "已到场");
    assert_int_equal(whistle_row(t, w, 3).reported_at, 0);
    assert_int_equal(whistle_act(f, &t->hand[2], "whistle_report", w, 0, -1), ERR_CONFLICT);
    assert_int_equal(whistle_act(f, &t->hand[4], "whistle_report", w, 0, -1), ERR_NOTFOUND);
    /* The lead unit sees the case but was not summoned. */
    assert_int_equal(whistle_act(f, &t->hand[1], "whistle_report", w, 0, -1), ERR_DENIED);
    assert_int_equal(whistle_act(f, &t->hand[3], "whistle_report", 99999, 0, -1), ERR_INVALID);
}

/* The dispatcher (or a leader) rates each unit 0..100. */
static void whistle_ratings(struct flow *f, int64_t w)
{
    struct ct *t = f->t;
    assert_int_equal(whistle_act(f, &t->disp, "whistle_rate", w, 2, 101), ERR_INVALID);
    assert_int_equal(whistle_act(f, &t->disp, "whistle_rate", w, 2, -1), ERR_INVALID);
    assert_int_equal(whistle_act(f, &t->disp, "whistle_rate", w, 4, 50), ERR_INVALID);
    assert_int_equal(whistle_act(f, &t->hand[2], "whistle_rate", w, 2, 50), ERR_DENIED);
    assert_int_equal(whistle_act(f, &t->disp, "whistle_rate", w, 2, 90), 0);
    assert_int_equal(whistle_act(f, &t->lead, "whistle_rate", w, 3, 0), 0);
    struct store_whistle_unit u = whistle_row(t, w, 2);
    assert_int_equal(u.score, 90);
    assert_string_equal(u.comment, "到场及时");
    assert_int_equal(u.rated_at, f->now);
    assert_int_equal(u.rated_by, t->disp.user_id);
    u = whistle_row(t, w, 3);
    assert_int_equal(u.score, 0);
    assert_int_equal(u.rated_by, t->lead.user_id);
    assert_int_equal(u.reported_at, 0); /* rated though it never reported */
}

/* Runs the whistle scenario on a dispatched case; returns its id. */
static int64_t run_whistle(struct ct *t)
{
    struct flow f = {.t = t, .now = time_now()};
    const int none[] = {0};
    f.id = ct_report(t, &t->res, "normal");
    step(&f, &t->disp, ct_action("register"), ST_REGISTERED);
    step(&f, &t->disp, dispatch_to(&f, 1, none, 0), ST_DISPATCHED);
    expect_sees(&f, 2, 0);
    expect_sees(&f, 3, 0);
    int64_t w = blow(&f);
    struct store_case c = ct_get(t, f.id);
    struct err e = {0};
    for (int k = 1; k <= 3; k++)
        assert_int_equal(case_visible(t->d, &t->hand[k], &c, &e), 1);
    assert_int_equal(case_visible(t->d, &t->hand[4], &c, &e), 0);
    whistle_reports(&f, w);
    whistle_ratings(&f, w);
    assert_int_equal(ct_nevents(t, f.id), 7); /* report, register, dispatch, whistle, 1+2 */
    return f.id;
}

/* A whistle: blown, reported to, rated. */
static void test_whistle(void **state)
{
    run_whistle(*state);
}

/* ---- visibility --------------------------------------------------------------------- */

/* A report by who in the given grid. */
static int64_t report_in_grid(struct ct *t, const struct actor *who, const char *grid)
{
    struct case_new in = ct_report_in("normal");
    struct store_case c;
    struct err e = {0};
    in.grid = grid;
    assert_int_equal(case_create(t->d, who, &in, t->a, &c, &e), 0);
    return c.id;
}

/* Residents see their own cases, grid workers their grid's (and those
 * they reported or must verify), handlers their units', the rest all. */
static void test_visibility(void **state)
{
    struct ct *t = *state;
    int64_t c1 = report_in_grid(t, &t->res, CT_GRID), c2 = report_in_grid(t, &t->res2, CT_GRID);
    int64_t c3 = report_in_grid(t, &t->res2, "G02");
    const char *all =
        arena_printf(t->a, "%lld,%lld,%lld", (long long)c3, (long long)c2, (long long)c1);
    assert_string_equal(listed(t, &t->res), arena_printf(t->a, "%lld", (long long)c1));
    assert_string_equal(listed(t, &t->res2), ids2(t, c3, c2));
    assert_string_equal(listed(t, &t->grid), ids2(t, c2, c1));
    assert_string_equal(listed(t, &t->grid2), arena_printf(t->a, "%lld", (long long)c3));
    assert_string_equal(listed(t, &t->disp), all);
    assert_string_equal(listed(t, &t->lead), all);
    assert_string_equal(listed(t, &t->adm), all);
    assert_string_equal(listed(t, &t->hand[1]), "");
    expect_get(t, &t->res, c2, ERR_NOTFOUND);
    expect_get(t, &t->grid, c3, ERR_NOTFOUND);
    expect_get(t, &t->hand[1], c1, ERR_NOTFOUND);
    struct flow f = {.t = t, .id = c1, .now = time_now()};
    const int none[] = {0};
    step(&f, &t->disp, ct_action("register"), ST_REGISTERED);
    step(&f, &t->disp, dispatch_to(&f, 1, none, 0), ST_DISPATCHED);
    assert_string_equal(listed(t, &t->hand[1]), arena_printf(t->a, "%lld", (long long)c1));
    assert_string_equal(listed(t, &t->hand[4]), "");
    expect_get(t, &t->hand[1], c1, 0);
    expect_get(t, &t->hand[4], c1, ERR_NOTFOUND);
}

/* A grid worker sees, in case_get and case_list alike, a case it reported
 * outside its grid and one it was asked to verify. */
static void test_visibility_grid_links(void **state)
{
    struct ct *t = *state;
    int64_t own = report_in_grid(t, &t->grid, "G02"), other = report_in_grid(t, &t->res, "G03");
    expect_get(t, &t->grid, own, 0);
    expect_get(t, &t->grid, other, ERR_NOTFOUND);
    assert_string_equal(listed(t, &t->grid), arena_printf(t->a, "%lld", (long long)own));
    struct case_action a = ct_action("send_verify");
    a.ref_id = t->grid.user_id;
    ct_ok(t, &t->disp, other, &a);
    expect_get(t, &t->grid, other, 0);
    assert_string_equal(listed(t, &t->grid), ids2(t, other, own));
}

/* ---- replay -------------------------------------------------------------------------- */

/* Counts cases (store_case_each_id callback). */
static int count_id(void *arg, int64_t id)
{
    (void)id;
    ++*(int64_t *)arg;
    return 0;
}

static int64_t count_cases(struct ct *t)
{
    int64_t n = 0;
    struct err e = {0};
    assert_int_equal(store_case_each_id(t->s, count_id, &n, &e), 0);
    return n;
}

/* The fold of case id's events, computed here with case_apply. */
static struct store_case fold(struct ct *t, int64_t id)
{
    struct store_case c = {.visit_resolved = -1};
    struct store_event *ev;
    int n = 0;
    struct err e = {0};
    assert_int_equal(store_case_events(t->s, id, t->a, &ev, &n, &e), 0);
    for (int i = 0; i < n; i++)
        assert_int_equal(case_apply(&c, &ev[i], &e), 0);
    c.id = id;
    return c;
}

/* After every scenario the stored rows are the fold of their logs;
 * a projection that differs in any derived field is told apart. */
static void test_replay(void **state)
{
    struct ct *t = *state;
    int64_t ids[5];
    struct case_new in = ct_report_in("normal");
    struct store_case sh;
    struct err e = {0};
    ids[0] = run_full_flow(t);
    ids[1] = run_merge(t);
    ids[2] = run_whistle(t);
    in.self_handled = 1;
    assert_int_equal(case_create(t->d, &t->grid, &in, t->a, &sh, &e), 0);
    ids[3] = sh.id;
    struct flow f = {.t = t, .now = time_now()};
    urgent_to_accepted(&f);
    ids[4] = f.id;
    int64_t checked = 0;
    assert_int_equal(case_replay_check(t->d, &checked, &e), 0);
    assert_int_equal(e.code, 0);
    assert_int_equal(checked, count_cases(t));
    assert_int_equal(checked, 6); /* 5 + the merge's master */
    for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
        struct store_case stored = ct_get(t, ids[i]), folded = fold(t, ids[i]);
        assert_null(ct_proj_diff(&stored, &folded));
        struct store_case bad = stored;
        str_copy(bad.state, sizeof bad.state, "voided"); /* none of them is voided */
        assert_string_equal(ct_proj_diff(&bad, &folded), "state");
        bad = stored;
        bad.due_at += 60;
        assert_string_equal(ct_proj_diff(&bad, &folded), "deadlines");
    }
}

/* ---- refused reports ------------------------------------------------------------------ */

/* Expects case_create to refuse in with ERR_INVALID naming field. */
static void expect_bad_report(struct ct *t, const struct case_new *in, const char *field)
{
    struct store_case c;
    struct err e = {0};
    int rc = case_create(t->d, &t->res, in, t->a, &c, &e);
    if (rc != ERR_INVALID || strcmp(e.field, field) != 0)
        fail_msg("want invalid '%s', got %s '%s' (%s)", field, err_name(rc), e.field, e.msg);
}

/* A description of n copies of the 3-byte character 字. */
static char *long_text(struct ct *t, int n)
{
    char *s = arena_alloc(t->a, (size_t)n * 3 + 1);
    for (int i = 0; i < n; i++)
        memcpy(s + i * 3, "字", 3);
    return s;
}

/* Bad reports are refused with the offending field named, and nothing is
 * stored; the limits themselves are accepted. */
static void test_bad_reports(void **state)
{
    struct ct *t = *state;
    struct case_new in;
#define BAD(stmt, field)                                                                           \
    do {                                                                                           \
        in = ct_report_in("normal");                                                               \
        stmt;                                                                                      \
        expect_bad_report(t, &in, field);                                                          \
    } while (0)
    BAD(in.category = "99999", "category");
    BAD(in.category = "", "category");
    BAD(in.channel = "pigeon", "channel");
    BAD(in.nature = "rant", "nature");
    BAD(in.priority = "asap", "priority");
    BAD(in.description = "", "description");
    BAD(in.description = NULL, "description");
    BAD(in.description = long_text(t, 4001), "description");
    BAD(in.description = "\xff\xfe", "description");
    BAD(in.title = long_text(t, 101), "title");
    BAD(in.reporter_phone = "12345", "reporter_phone");
    BAD((in.has_pos = 1, in.lat = 91, in.lon = 102.7), "lat");
    BAD((in.has_pos = 1, in.lat = 25.0, in.lon = 181), "lon");
#undef BAD
    assert_int_equal(count_cases(t), 0);
    in = ct_report_in("normal");
    in.description = long_text(t, 4000);
    int64_t id = ct_report(t, &t->res, "normal");
    struct store_case c;
    struct err e = {0};
    assert_int_equal(case_create(t->d, &t->res, &in, t->a, &c, &e), 0);
    assert_int_equal(strlen(c.title), 30 * 3); /* 30 characters of the description */
    assert_string_equal(ct_get(t, id).reporter_phone, "13800138000");
    assert_int_equal(count_cases(t), 2);
}

/* Who may report: not handlers or leaders; only grid workers fix on the spot. */
static void test_report_roles(void **state)
{
    struct ct *t = *state;
    struct case_new in = ct_report_in("normal");
    struct store_case c;
    struct err e = {0};
    assert_int_equal(case_create(t->d, &t->hand[1], &in, t->a, &c, &e), ERR_DENIED);
    err_clear(&e);
    assert_int_equal(case_create(t->d, &t->lead, &in, t->a, &c, &e), ERR_DENIED);
    in.self_handled = 1;
    err_clear(&e);
    assert_int_equal(case_create(t->d, &t->res, &in, t->a, &c, &e), ERR_DENIED);
    assert_int_equal(count_cases(t), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, ct_setup, ct_teardown)

int main(void)
{
    ct_pin_time();
    if (getenv("CASETEST_HOLIDAY")) {
        const struct CMUnitTest child[] = {T(test_across_holiday)};
        return cmocka_run_group_tests_name("case_flow_holiday", child, NULL, NULL);
    }
    const struct CMUnitTest tests[] = {
        T(test_full_flow),
        T(test_urgent_continuous),
        cmocka_unit_test(test_holiday_process),
        T(test_deadlines_from_log),
        T(test_merge),
        T(test_merge_chain),
        T(test_whistle),
        T(test_visibility),
        T(test_visibility_grid_links),
        T(test_replay),
        T(test_bad_reports),
        T(test_report_roles),
    };
    return cmocka_run_group_tests_name("case_flow", tests, NULL, NULL);
}
