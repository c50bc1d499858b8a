/*
 * test_store_case.c - cases and their event log (store_case.h): insert with
 * the first event, append guarded by last_seq (ERR_CONFLICT on a stale seq,
 * nothing stored), get, events in seq order, rollback with the job, the units
 * and followers of a case, set_grid and the located cases.
 */
#include "storetest.h"

/* A case with every field of the projection set. */
static void full_case(struct stt *t, struct store_case *c, struct store_event *ev)
{
    int64_t reporter = stt_user(t, "reporter", "resident");
    stt_case_init(c, ev, STT_T0, "20404", "53011100800201");
    c->has_pos = 1;
    c->lat = 24.963;
    c->lon = 102.744;
    c->reporter_id = reporter;
    str_copy(c->reporter_name, sizeof c->reporter_name, "王女士");
    str_copy(c->reporter_phone, sizeof c->reporter_phone, "13800138000");
    str_copy(c->channel, sizeof c->channel, "hotline");
    str_copy(c->nature, sizeof c->nature, "help");
    str_copy(c->priority, sizeof c->priority, "urgent");
    str_copy(c->source_ref, sizeof c->source_ref, "12345-2020-000001");
    str_copy(c->grid_status, sizeof c->grid_status, "in");
    c->due_at = STT_T0 + 7200;
    c->warn_at = STT_T0 + 5400;
    c->close_due = STT_T0 + 5 * STT_DAY;
    c->visit_satisfaction = 0;
    ev->actor_id = reporter;
    str_copy(ev->actor_role, sizeof ev->actor_role, "resident");
    ev->intake = (char *)"channel=hotline\nnature=help";
    ev->due_at = c->due_at;
    ev->close_due = c->close_due;
}

static void test_case_insert_and_get(void **state)
{
    struct stt *t = *state;
    struct store_case c, got;
    struct store_event ev;
    struct err e;
    full_case(t, &c, &ev);
    int64_t id = stt_case_store(t, &c, &ev);
    assert_true(ev.id > 0);
    got = stt_get(t, id);
    assert_int_equal(got.id, id);
    assert_int_equal(got.created_at, STT_T0);
    assert_int_equal(got.updated_at, STT_T0);
    assert_string_equal(got.channel, "hotline");
    assert_string_equal(got.nature, "help");
    assert_string_equal(got.category, "20404");
    assert_string_equal(got.priority, "urgent");
    assert_string_equal(got.title, "下水道堵塞");
    assert_string_equal(got.description, "小区门口下水道堵塞，污水漫到路面");
    assert_string_equal(got.address, "幸福路12号");
    assert_int_equal(got.has_pos, 1);
    assert_true(got.lat == 24.963 && got.lon == 102.744);
    assert_string_equal(got.grid, "53011100800201");
    assert_int_equal(got.reporter_id, c.reporter_id);
    assert_string_equal(got.reporter_name, "王女士");
    assert_string_equal(got.reporter_phone, "13800138000");
    assert_string_equal(got.state, "reported");
    assert_int_equal(got.lead_unit, 0);
    assert_string_equal(got.co_units, "");
    assert_int_equal(got.master_id, 0);
    assert_int_equal(got.verifier_id, 0);
    assert_int_equal(got.due_at, STT_T0 + 7200);
    assert_int_equal(got.warn_at, STT_T0 + 5400);
    assert_int_equal(got.close_due, STT_T0 + 5 * STT_DAY);
    assert_int_equal(got.paused_at, 0);
    assert_int_equal(got.closed_at, 0);
    assert_int_equal(got.supervise_count + got.return_count + got.rework_count, 0);
    assert_int_equal(got.extension_count, 0);
    assert_int_equal(got.visit_resolved, -1);
    assert_int_equal(got.visit_satisfaction, 0);
    assert_int_equal(got.last_seq, 1);
    assert_string_equal(got.source_ref, "12345-2020-000001");
    assert_string_equal(got.grid_status, "in");
    STT_FAILS(e, ERR_NOTFOUND, store_case_get(t->s, id + 1, t->a, &got, &e));
    /* Without a position, has_pos says so. */
    int64_t plain = stt_case(t, STT_T0, "20404", "");
    got = stt_get(t, plain);
    assert_int_equal(got.has_pos, 0);
    assert_true(plain > id);
}

/* Appends a fully described event to case id (seq last_seq + 1). */
struct full_append {
    int64_t id;      /* the case */
    int k;           /* event number, makes the fields differ */
    struct arena *a; /* for the read */
};

static int job_full_append(struct store *s, void *arg, struct err *e)
{
    struct full_append *f = arg;
    struct store_case c;
    struct store_event ev = {0};
    int rc = store_case_get(s, f->id, f->a, &c, e);
    if (rc)
        return rc;
    ev.at = STT_T0 + 60 * f->k;
    ev.actor_id = 7;
    str_copy(ev.actor_role, sizeof ev.actor_role, "dispatcher");
    ev.actor_unit = 3;
    snprintf(ev.action, sizeof ev.action, "act%d", f->k);
    str_copy(ev.from_state, sizeof ev.from_state, c.state);
    snprintf(ev.to_state, sizeof ev.to_state, "state%d", f->k);
    ev.note = arena_printf(f->a, "备注%d", f->k);
    ev.unit_id = 10 + f->k;
    snprintf(ev.units, sizeof ev.units, "%d,%d", f->k, f->k + 1);
    ev.ref_id = 20 + f->k;
    ev.amount = 30 + f->k;
    ev.flag = f->k % 2;
    ev.attachments = arena_printf(f->a, "/api/v1/files/%d", f->k);
    ev.intake = (char *)"";
    ev.due_at = STT_T0 + 1000 * f->k;
    ev.warn_at = STT_T0 + 900 * f->k;
    ev.close_due = STT_T0 + 5000 * f->k;
    str_copy(c.state, sizeof c.state, ev.to_state);
    c.updated_at = ev.at;
    c.due_at = ev.due_at;
    c.supervise_count = f->k;
    c.last_seq++;
    rc = store_case_append(s, &c, &ev, e);
    if (rc == 0 && (ev.case_id != f->id || ev.seq != c.last_seq || ev.id <= 0))
        return err_set(e, ERR_INTERNAL, NULL, "append did not fill case_id, seq and id");
    return rc;
}

static void test_case_events_in_seq_order(void **state)
{
    struct stt *t = *state;
    struct store_case c;
    struct store_event ev, *v;
    int n;
    struct err e;
    full_case(t, &c, &ev);
    int64_t id = stt_case_store(t, &c, &ev);
    for (int k = 2; k <= 4; k++) {
        struct full_append f = {id, k, t->a};
        STT_OK(e, store_write(t->s, job_full_append, &f, &e));
    }
    STT_OK(e, store_case_events(t->s, id, t->a, &v, &n, &e));
    assert_int_equal(n, 4);
    assert_int_equal(v[0].id, ev.id);
    assert_string_equal(v[0].action, "report");
    assert_string_equal(v[0].from_state, "");
    assert_string_equal(v[0].intake, "channel=hotline\nnature=help");
    assert_int_equal(v[0].flag, -1);
    for (int i = 1; i < n; i++) {
        int k = i + 1;
        char want[32];
        assert_int_equal(v[i].case_id, id);
        assert_int_equal(v[i].seq, k);
        assert_true(v[i].id > v[i - 1].id); /* the order of appending */
        assert_int_equal(v[i].at, STT_T0 + 60 * k);
        assert_int_equal(v[i].actor_id, 7);
        assert_string_equal(v[i].actor_role, "dispatcher");
        assert_int_equal(v[i].actor_unit, 3);
        snprintf(want, sizeof want, "act%d", k);
        assert_string_equal(v[i].action, want);
        assert_string_equal(v[i].from_state, v[i - 1].to_state);
        snprintf(want, sizeof want, "备注%d", k);
        assert_string_equal(v[i].note, want);
        assert_int_equal(v[i].unit_id, 10 + k);
        snprintf(want, sizeof want, "%d,%d", k, k + 1);
        assert_string_equal(v[i].units, want);
        assert_int_equal(v[i].ref_id, 20 + k);
        assert_int_equal(v[i].amount, 30 + k);
        assert_int_equal(v[i].flag, k % 2);
        snprintf(want, sizeof want, "/api/v1/files/%d", k);
        assert_string_equal(v[i].attachments, want);
        assert_string_equal(v[i].intake, "");
        assert_int_equal(v[i].due_at, STT_T0 + 1000 * k);
        assert_int_equal(v[i].warn_at, STT_T0 + 900 * k);
        assert_int_equal(v[i].close_due, STT_T0 + 5000 * k);
    }
    /* The projection was stored with the last event. */
    struct store_case got = stt_get(t, id);
    assert_int_equal(got.last_seq, 4);
    assert_string_equal(got.state, "state4");
    assert_int_equal(got.updated_at, STT_T0 + 240);
    assert_int_equal(got.due_at, STT_T0 + 4000);
    assert_int_equal(got.supervise_count, 4);
    /* A case without events beyond the report, and an unknown case. */
    STT_OK(e, store_case_events(t->s, id + 1000, t->a, &v, &n, &e));
    assert_int_equal(n, 0);
}

/* Appends ev with the projection c as given (its last_seq already advanced). */
struct raw_append {
    struct store_case *c;   /* the new projection */
    struct store_event *ev; /* the event */
};

static int job_raw_append(struct store *s, void *arg, struct err *e)
{
    struct raw_append *r = arg;
    return store_case_append(s, r->c, r->ev, e);
}

static int append_from(struct stt *t, struct store_case base, int last_seq, const char *to,
                       struct err *e)
{
    struct store_event ev = {.at = STT_T0 + 600, .flag = -1, .note = (char *)"过期的改动"};
    str_copy(ev.action, sizeof ev.action, "register");
    str_copy(ev.from_state, sizeof ev.from_state, base.state);
    str_copy(ev.to_state, sizeof ev.to_state, to);
    str_copy(base.state, sizeof base.state, to);
    base.updated_at = ev.at;
    base.last_seq = last_seq;
    struct raw_append r = {&base, &ev};
    err_clear(e);
    return store_write(t->s, job_raw_append, &r, e);
}

static void test_case_append_stale_seq_conflicts(void **state)
{
    struct stt *t = *state;
    struct err e;
    int64_t id = stt_case(t, STT_T0, "20404", "G01");
    struct store_case stale = stt_get(t, id); /* last_seq 1 */
    stt_event(t, id, "verify", "verifying", STT_T0 + 60, 0);
    struct store_case before = stt_get(t, id);
    assert_int_equal(before.last_seq, 2);
    /* A change computed from the old projection (seq 1 -> 2) is refused. */
    assert_int_equal(append_from(t, stale, stale.last_seq + 1, "registered", &e), ERR_CONFLICT);
    assert_int_equal(e.code, ERR_CONFLICT);
    /* So is one that skips a seq (2 -> 4). */
    assert_int_equal(append_from(t, before, before.last_seq + 2, "registered", &e), ERR_CONFLICT);
    struct store_case after = stt_get(t, id);
    assert_int_equal(after.last_seq, 2);
    assert_string_equal(after.state, "verifying");
    assert_int_equal(after.updated_at, STT_T0 + 60);
    assert_int_equal(stt_nevents(t, id), 2);
    /* The current seq goes through. */
    assert_int_equal(append_from(t, before, before.last_seq + 1, "registered", &e), 0);
    assert_int_equal(stt_get(t, id).last_seq, 3);
    assert_int_equal(stt_nevents(t, id), 3);
}

static int job_case_then_fail(struct store *s, void *arg, struct err *e)
{
    struct stt *t = arg;
    struct store_case c;
    struct store_event ev;
    stt_case_init(&c, &ev, STT_T0, "20404", "G01");
    int rc = store_case_insert(s, &c, &ev, e);
    if (rc == 0) {
        struct stt_event_job j = {c.id, "register", "registered", STT_T0 + 60, 0, t->a};
        rc = stt_job_event(s, &j, e);
    }
    return rc ? rc : err_set(e, ERR_INVALID, NULL, "the request was refused");
}

static int count_id(void *arg, int64_t id)
{
    (void)id;
    (*(int *)arg)++;
    return 0;
}

static void test_case_write_rolled_back_with_its_job(void **state)
{
    struct stt *t = *state;
    struct err e;
    struct store_case c;
    int n = 0;
    STT_FAILS(e, ERR_INVALID, store_write(t->s, job_case_then_fail, t, &e));
    STT_OK(e, store_case_each_id(t->s, count_id, &n, &e));
    assert_int_equal(n, 0);
    STT_FAILS(e, ERR_NOTFOUND, store_case_get(t->s, 1, t->a, &c, &e));
}

/* ---- units, followers ------------------------------------------------------- */

struct units_set {
    int64_t case_id;    /* the case */
    const char *kind;   /* lead, co or whistle */
    const int64_t *ids; /* the units */
    int n;              /* how many */
};

static int job_units_set(struct store *s, void *arg, struct err *e)
{
    struct units_set *u = arg;
    return store_case_units_set(s, u->case_id, u->kind, u->ids, u->n, e);
}

static void set_units(struct stt *t, int64_t id, const char *kind, const int64_t *ids, int n)
{
    struct units_set u = {id, kind, ids, n};
    struct err e;
    STT_OK(e, store_write(t->s, job_units_set, &u, &e));
}

static void test_case_units(void **state)
{
    struct stt *t = *state;
    int64_t u1 = stt_unit(t, "U1"), u2 = stt_unit(t, "U2"), u3 = stt_unit(t, "U3");
    int64_t u4 = stt_unit(t, "U4");
    int64_t id = stt_case(t, STT_T0, "20404", "G01"), other = stt_case(t, STT_T0, "20404", "G01");
    struct err e = {0};
    set_units(t, id, "lead", (int64_t[]){u1}, 1);
    set_units(t, id, "co", (int64_t[]){u2, u3}, 2);
    assert_int_equal(store_case_has_unit(t->s, id, u1, &e), 1);
    assert_int_equal(store_case_has_unit(t->s, id, u2, &e), 1);
    assert_int_equal(store_case_has_unit(t->s, id, u3, &e), 1);
    assert_int_equal(store_case_has_unit(t->s, id, u4, &e), 0);
    assert_int_equal(store_case_has_unit(t->s, other, u1, &e), 0);
    /* Setting a kind replaces that kind only. */
    set_units(t, id, "co", (int64_t[]){u3}, 1);
    assert_int_equal(store_case_has_unit(t->s, id, u2, &e), 0);
    assert_int_equal(store_case_has_unit(t->s, id, u3, &e), 1);
    assert_int_equal(store_case_has_unit(t->s, id, u1, &e), 1);
    set_units(t, id, "whistle", (int64_t[]){u4, u4}, 2); /* a unit twice counts once */
    assert_int_equal(store_case_has_unit(t->s, id, u4, &e), 1);
    set_units(t, id, "lead", NULL, 0); /* none */
    assert_int_equal(store_case_has_unit(t->s, id, u1, &e), 0);
    assert_int_equal(e.code, 0);
}

struct follow {
    int64_t case_id, user_id; /* follow: case_id, user_id; follow_all: from, to */
    int all;                  /* 1: store_case_follow_all */
};

static int job_follow(struct store *s, void *arg, struct err *e)
{
    struct follow *f = arg;
    return f->all ? store_case_follow_all(s, f->case_id, f->user_id, e)
                  : store_case_follow(s, f->case_id, f->user_id, e);
}

static void follow(struct stt *t, int64_t a, int64_t b, int all)
{
    struct follow f = {a, b, all};
    struct err e;
    STT_OK(e, store_write(t->s, job_follow, &f, &e));
}

static void test_case_followers(void **state)
{
    struct stt *t = *state;
    int64_t rep = stt_user(t, "rep", "resident"), fan = stt_user(t, "fan", "resident");
    int64_t rep2 = stt_user(t, "rep2", "resident"), nobody = stt_user(t, "nobody", "resident");
    struct store_case c;
    struct store_event ev;
    struct err e = {0};
    stt_case_init(&c, &ev, STT_T0, "20404", "G01");
    c.reporter_id = rep;
    int64_t dup = stt_case_store(t, &c, &ev);
    stt_case_init(&c, &ev, STT_T0 + 60, "20404", "G01");
    c.reporter_id = rep2;
    int64_t master = stt_case_store(t, &c, &ev);
    /* The reporter counts as a follower without a row of its own. */
    assert_int_equal(store_case_is_follower(t->s, dup, rep, &e), 1);
    assert_int_equal(store_case_is_follower(t->s, dup, fan, &e), 0);
    follow(t, dup, fan, 0);
    follow(t, dup, fan, 0); /* twice is the same */
    assert_int_equal(store_case_is_follower(t->s, dup, fan, &e), 1);
    assert_int_equal(store_case_is_follower(t->s, master, fan, &e), 0);
    assert_int_equal(store_case_is_follower(t->s, master, rep, &e), 0);
    /* A merge: the reporter and followers of dup follow master too. */
    follow(t, dup, master, 1);
    assert_int_equal(store_case_is_follower(t->s, master, rep, &e), 1);
    assert_int_equal(store_case_is_follower(t->s, master, fan, &e), 1);
    assert_int_equal(store_case_is_follower(t->s, master, rep2, &e), 1);
    assert_int_equal(store_case_is_follower(t->s, master, nobody, &e), 0);
    assert_int_equal(store_case_is_follower(t->s, dup, rep2, &e), 0);
    assert_int_equal(e.code, 0);
}

/* ---- grids of cases ---------------------------------------------------------- */

struct grid_set {
    int64_t id;         /* the case */
    const char *grid;   /* its new grid */
    const char *status; /* its new grid_status */
};

static int job_grid_set(struct store *s, void *arg, struct err *e)
{
    struct grid_set *g = arg;
    return store_case_set_grid(s, g->id, g->grid, g->status, e);
}

struct located {
    char text[256]; /* "id:grid:status;" per located case */
};

static int located_visit(void *arg, int64_t id, double lon, double lat, const char *grid,
                         const char *grid_status)
{
    struct located *l = arg;
    size_t len = strlen(l->text);
    assert_true(lon > 100 && lat > 20);
    snprintf(l->text + len, sizeof l->text - len, "%lld:%s:%s;", (long long)id, grid, grid_status);
    return 0;
}

static int64_t located_case(struct stt *t, double lon, double lat)
{
    struct store_case c;
    struct store_event ev;
    stt_case_init(&c, &ev, STT_T0, "20404", "");
    c.has_pos = 1;
    c.lon = lon;
    c.lat = lat;
    return stt_case_store(t, &c, &ev);
}

static void test_case_set_grid_and_located(void **state)
{
    struct stt *t = *state;
    struct err e;
    int64_t a = located_case(t, 102.744, 24.963);
    int64_t none = stt_case(t, STT_T0, "20404", "");
    int64_t b = located_case(t, 102.750, 24.950);
    struct grid_set g = {a, "53011100800201", "in"};
    STT_OK(e, store_write(t->s, job_grid_set, &g, &e));
    g = (struct grid_set){b, "", "outside"};
    STT_OK(e, store_write(t->s, job_grid_set, &g, &e));
    struct store_case got = stt_get(t, a);
    assert_string_equal(got.grid, "53011100800201");
    assert_string_equal(got.grid_status, "in");
    /* A derivation, not an event: the log and the seq are unchanged. */
    assert_int_equal(got.last_seq, 1);
    assert_int_equal(stt_nevents(t, a), 1);
    assert_string_equal(stt_get(t, b).grid_status, "outside");
    struct located l = {""};
    STT_OK(e, store_case_each_located(t->s, located_visit, &l, &e));
    char want[128];
    snprintf(want, sizeof want, "%lld:53011100800201:in;%lld::outside;", (long long)a,
             (long long)b);
    assert_string_equal(l.text, want);
    assert_true(none > a && none < b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_case_insert_and_get, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_case_events_in_seq_order, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_case_append_stale_seq_conflicts, stt_setup,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_case_write_rolled_back_with_its_job, stt_setup,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_case_units, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_case_followers, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_case_set_grid_and_located, stt_setup, stt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
