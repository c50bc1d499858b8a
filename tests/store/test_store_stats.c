/*
 * test_store_stats.c - the statistics feeds and roll-ups (store_stats.h):
 * store_stats_events visits the events of the cases reported in the period
 * in case/seq order (scoped by community, grid and unit), the whistle and
 * petition feeds, grid coverage, and the roll-up tables (add, then sum).
 */
#include "storetest.h"
#include "store/place/store_place.h"
#include "store/stats/store_stats.h"

#define COMM_A "530111008002"
#define GRID_A "53011100800201"
#define GRID_B "53011100800301"

/* The feed as "case.seq:action@offset;" entries, offsets from T0 in seconds. */
struct feed {
    char text[1024];
    int64_t base; /* case ids are printed as case - base */
    int stop_at;  /* stop (with ERR_DENIED) at this entry, 0: never */
    int n;        /* entries seen */
};

static int feed_visit(void *arg, const struct store_stats_event *ev)
{
    struct feed *f = arg;
    size_t len = strlen(f->text);
    if (++f->n == f->stop_at)
        return ERR_DENIED;
    assert_int_equal(ev->ev.case_id, ev->case_id);
    snprintf(f->text + len, sizeof f->text - len, "%lld.%d:%s@%lld;",
             (long long)(ev->case_id - f->base), ev->ev.seq, ev->ev.action,
             (long long)(ev->ev.at - STT_T0));
    return 0;
}

struct feed_call {
    struct feed *f;                     /* the output */
    int64_t from, to;                   /* the period */
    const struct store_stats_scope *sc; /* the scope */
};

static int read_feed(struct store *s, void *arg, struct err *e)
{
    struct feed_call *c = arg;
    return store_stats_events(s, c->from, c->to, c->sc, feed_visit, c->f, e);
}

/* The event feed of [from, to] in scope sc, read in one snapshot. */
static const char *feed(struct stt *t, int64_t base, int64_t from, int64_t to,
                        struct store_stats_scope sc, struct feed *f)
{
    struct feed_call c = {f, from, to, &sc};
    struct err e;
    memset(f, 0, sizeof *f);
    f->base = base;
    STT_OK(e, store_read(t->s, read_feed, &c, &e));
    return f->text;
}

/* Cases of the feeds: a and b reported in the period, old before it, late after it. */
struct period {
    int64_t a, b, old, late;
    int64_t unit;     /* a was dispatched to it */
    int64_t from, to; /* the period */
};

static struct period make_period(struct stt *t)
{
    struct period p = {.from = STT_T0, .to = STT_T0 + STT_DAY + 3600};
    p.unit = stt_unit(t, "CGJ");
    p.old = stt_case(t, STT_T0 - 10 * STT_DAY, "20404", GRID_A);
    p.a = stt_case(t, STT_T0, "20404", GRID_A);
    p.b = stt_case(t, STT_T0 + STT_DAY, "10118", GRID_B);
    p.late = stt_case(t, STT_T0 + 5 * STT_DAY, "20404", GRID_A);
    stt_event(t, p.old, "register", "registered", STT_T0 + 50, 0); /* in the period */
    stt_event(t, p.a, "dispatch", "dispatched", STT_T0 + 100, p.unit);
    stt_event(t, p.b, "register", "registered", STT_T0 + STT_DAY + 100, 0);
    stt_event(t, p.a, "accept", "accepted", STT_T0 + 200, p.unit);
    stt_event(t, p.a, "handle", "handled", STT_T0 + 2 * STT_DAY, p.unit); /* after `to` */
    return p;
}

static void test_stats_events_of_the_period(void **state)
{
    struct stt *t = *state;
    struct period p = make_period(t);
    struct feed f;
    char want[512];
    int64_t d = STT_DAY;
    snprintf(want, sizeof want,
             "%lld.1:report@0;%lld.2:dispatch@100;%lld.3:accept@200;"
             "%lld.1:report@%lld;%lld.2:register@%lld;",
             0LL, 0LL, 0LL, (long long)(p.b - p.a), (long long)d, (long long)(p.b - p.a),
             (long long)(d + 100));
    assert_string_equal(feed(t, p.a, p.from, p.to, (struct store_stats_scope){0}, &f), want);
    /* Scopes: the community, the grid, the unit a case was dispatched to. */
    snprintf(want, sizeof want, "0.1:report@0;0.2:dispatch@100;0.3:accept@200;");
    assert_string_equal(
        feed(t, p.a, p.from, p.to, (struct store_stats_scope){.community = COMM_A}, &f), want);
    assert_string_equal(
        feed(t, p.a, p.from, p.to, (struct store_stats_scope){.unit_id = p.unit}, &f), want);
    snprintf(want, sizeof want, "0.1:report@%lld;0.2:register@%lld;", (long long)d,
             (long long)(d + 100));
    assert_string_equal(feed(t, p.b, p.from, p.to, (struct store_stats_scope){.grid = GRID_B}, &f),
                        want);
    /* A visitor's error stops the feed and is returned. */
    struct store_stats_scope all = {0};
    struct err e;
    memset(&f, 0, sizeof f);
    f.stop_at = 2;
    STT_FAILS(e, ERR_DENIED, store_stats_events(t->s, p.from, p.to, &all, feed_visit, &f, &e));
    assert_int_equal(f.n, 2);
}

struct fields {
    struct store_stats_event got; /* the dispatch event's entry */
    char channel[24], nature[16], category[16], grid[24];
};

static int fields_visit(void *arg, const struct store_stats_event *ev)
{
    struct fields *x = arg;
    if (strcmp(ev->ev.action, "dispatch") == 0) {
        x->got = *ev;
        str_copy(x->channel, sizeof x->channel, ev->channel);
        str_copy(x->nature, sizeof x->nature, ev->nature);
        str_copy(x->category, sizeof x->category, ev->category);
        str_copy(x->grid, sizeof x->grid, ev->grid);
    }
    return 0;
}

static void test_stats_event_fields(void **state)
{
    struct stt *t = *state;
    struct period p = make_period(t);
    struct fields x = {0};
    struct store_stats_scope all = {0};
    struct err e;
    STT_OK(e, store_stats_events(t->s, p.from, p.to, &all, fields_visit, &x, &e));
    assert_int_equal(x.got.case_id, p.a);
    assert_string_equal(x.channel, "app");
    assert_string_equal(x.nature, "complaint");
    assert_string_equal(x.category, "20404");
    assert_string_equal(x.grid, GRID_A);
    assert_int_equal(x.got.ev.seq, 2);
    assert_int_equal(x.got.ev.at, STT_T0 + 100);
    assert_string_equal(x.got.ev.to_state, "dispatched");
    assert_int_equal(x.got.ev.unit_id, p.unit);
    assert_int_equal(x.got.ev.flag, -1);
}

/* ---- whistles, petitions, coverage ----------------------------------------------- */

struct blow {
    struct store_whistle w; /* the whistle */
    int64_t units[2];       /* summoned */
};

static int job_blow(struct store *s, void *arg, struct err *e)
{
    struct blow *b = arg;
    return store_whistle_insert(s, &b->w, b->units, 2, e);
}

static void blow(struct stt *t, int64_t case_id, int64_t at, int64_t u1, int64_t u2)
{
    struct blow b = {.w = {.case_id = case_id, .blown_at = at, .limit_min = 30}, {u1, u2}};
    struct err e;
    str_copy(b.w.type, sizeof b.w.type, "minsheng");
    STT_OK(e, store_write(t->s, job_blow, &b, &e));
}

struct wfeed {
    char text[512]; /* "case:unit;" per row, relative to the first ids */
    int64_t case0, unit0;
};

static int wfeed_visit(void *arg, const struct store_stats_whistle *w)
{
    struct wfeed *f = arg;
    size_t len = strlen(f->text);
    assert_string_equal(w->type, "minsheng");
    assert_int_equal(w->limit_min, 30);
    assert_int_equal(w->checked_in, 0);
    assert_int_equal(w->score, -1);
    snprintf(f->text + len, sizeof f->text - len, "%lld:%lld;", (long long)(w->case_id - f->case0),
             (long long)(w->unit_id - f->unit0));
    return 0;
}

static void test_stats_whistles_and_petitions(void **state)
{
    struct stt *t = *state;
    struct store_whistle_type type = {"minsheng", "民生哨", 30};
    struct err e;
    STT_OK(e, store_whistle_type_put(t->s, &type, &e));
    struct period p = make_period(t);
    int64_t u2 = stt_unit(t, "SWJ");
    blow(t, p.a, STT_T0 + 500, p.unit, u2);
    blow(t, p.b, STT_T0 + STT_DAY + 200, u2, p.unit);
    blow(t, p.old, STT_T0 + 600, p.unit, u2);       /* the case was reported before */
    blow(t, p.a, STT_T0 + 3 * STT_DAY, p.unit, u2); /* blown after the period */
    struct wfeed f = {"", p.a, p.unit};
    struct store_stats_scope all = {0}, unit = {.unit_id = u2}, grid = {.grid = GRID_B};
    char want[128];
    long long b = (long long)(p.b - p.a), u = (long long)(u2 - p.unit);
    STT_OK(e, store_stats_whistles(t->s, p.from, p.to, &all, wfeed_visit, &f, &e));
    snprintf(want, sizeof want, "0:0;0:%lld;%lld:0;%lld:%lld;", u, b, b, u);
    assert_string_equal(f.text, want);
    f.text[0] = '\0';
    STT_OK(e, store_stats_whistles(t->s, p.from, p.to, &unit, wfeed_visit, &f, &e));
    snprintf(want, sizeof want, "0:%lld;%lld:%lld;", u, b, u);
    assert_string_equal(f.text, want);
    f.text[0] = '\0';
    STT_OK(e, store_stats_whistles(t->s, p.from, p.to, &grid, wfeed_visit, &f, &e));
    snprintf(want, sizeof want, "%lld:0;%lld:%lld;", b, b, u);
    assert_string_equal(f.text, want);
    /* Petitions: by the petition channel; repeats: merged by `to`. */
    struct store_case c;
    struct store_event ev;
    stt_case_init(&c, &ev, STT_T0 + 1000, "20404", GRID_A);
    str_copy(c.channel, sizeof c.channel, "petition");
    int64_t pet = stt_case_store(t, &c, &ev);
    stt_event(t, pet, "merge", "merged", STT_T0 + 2000, 0);
    stt_event(t, p.b, "merge", "merged", STT_T0 + 4 * STT_DAY, 0); /* after `to` */
    int64_t petitions = -1, repeats = -1;
    STT_OK(e, store_stats_petitions(t->s, p.from, p.to, &all, &petitions, &repeats, &e));
    assert_int_equal(petitions, 1);
    assert_int_equal(repeats, 1);
    STT_OK(e, store_stats_petitions(t->s, p.from, p.to, &grid, &petitions, &repeats, &e));
    assert_int_equal(petitions, 0);
    assert_int_equal(repeats, 0);
}

static void put_grid(struct stt *t, const char *code, const char *kind)
{
    struct store_place pl = {.geometry = (char *)"", .updated_at = STT_T0};
    struct err e;
    str_copy(pl.code, sizeof pl.code, code);
    str_copy(pl.kind, sizeof pl.kind, kind);
    str_copy(pl.name, sizeof pl.name, code);
    STT_OK(e, store_place_put(t->s, &pl, &e));
}

static void test_stats_coverage(void **state)
{
    struct stt *t = *state;
    int64_t user = stt_user(t, "gridder", "grid");
    int64_t grids = -1, covered = -1;
    struct err e;
    put_grid(t, COMM_A, "community");
    put_grid(t, GRID_A, "grid");
    put_grid(t, "53011100800202", "grid");
    put_grid(t, GRID_B, "grid");
    STT_OK(e, store_grid_member_add(t->s, GRID_A, user, "leader", &e));
    STT_OK(e, store_grid_member_add(t->s, GRID_A, user, "police", &e)); /* still one grid */
    STT_OK(e, store_stats_coverage(t->s, "", &grids, &covered, &e));
    assert_int_equal(grids, 3);
    assert_int_equal(covered, 1);
    STT_OK(e, store_stats_coverage(t->s, COMM_A, &grids, &covered, &e));
    assert_int_equal(grids, 2);
    assert_int_equal(covered, 1);
    STT_OK(e, store_stats_coverage(t->s, "530111008003", &grids, &covered, &e));
    assert_int_equal(grids, 1);
    assert_int_equal(covered, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stats_events_of_the_period, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_stats_event_fields, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_stats_whistles_and_petitions, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_stats_coverage, stt_setup, stt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
