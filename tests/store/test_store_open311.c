/*
 * test_store_open311.c - what Open311 keeps beside the cases
 * (store_open311.h): the service attributes, a request's answers in order,
 * received updates (ERR_CONFLICT on a repeated update_id, the first kept),
 * and the request and event queries of GET requests.
 */
#include "storetest.h"
#include "store/open311/store_open311.h"

/* ---- attributes ------------------------------------------------------------------ */

struct services {
    char codes[32][64]; /* visited, in order */
    int n;
};

static int service_visit(void *arg, const char *code)
{
    struct services *s = arg;
    if (s->n < 32)
        str_copy(s->codes[s->n], sizeof s->codes[0], code);
    s->n++;
    return 0;
}

static void test_attributes(void **state)
{
    struct stt *t = *state;
    struct services sv = {.n = 0};
    struct store_o311_attr *attrs;
    struct store_o311_value *vals;
    int na = -1, nv = -1;
    struct err e;
    STT_OK(e, store_o311_attr_services(t->s, service_visit, &sv, &e));
    assert_true(sv.n <= 32);
    for (int i = 0; i < sv.n; i++) {
        /* In order, each with at least one attribute in display order, and
         * every option belonging to one of its attributes. */
        assert_true(i == 0 || strcmp(sv.codes[i - 1], sv.codes[i]) < 0);
        STT_OK(e, store_o311_attrs(t->s, sv.codes[i], t->a, &attrs, &na, &vals, &nv, &e));
        assert_true(na > 0);
        for (int k = 0; k < na; k++) {
            assert_true(k == 0 || attrs[k].order > attrs[k - 1].order);
            assert_true(attrs[k].variable == 0 || attrs[k].variable == 1);
            assert_non_null(attrs[k].description);
            assert_non_null(attrs[k].datatype_description);
        }
        for (int k = 0; k < nv; k++) {
            int found = 0;
            for (int j = 0; j < na; j++)
                found |= strcmp(vals[k].attr_code, attrs[j].code) == 0;
            assert_true(found);
            assert_non_null(vals[k].name);
        }
    }
    STT_OK(e, store_o311_attrs(t->s, "00000", t->a, &attrs, &na, &vals, &nv, &e));
    assert_int_equal(na, 0);
    assert_int_equal(nv, 0);
}

/* ---- answers ----------------------------------------------------------------------- */

struct answers {
    int64_t case_id;                   /* the request */
    const struct store_o311_answer *v; /* its answers */
    int n;
};

static int job_answers(struct store *s, void *arg, struct err *e)
{
    struct answers *a = arg;
    return store_o311_answers_put(s, a->case_id, a->v, a->n, e);
}

static void test_answers_in_order(void **state)
{
    struct stt *t = *state;
    int64_t id = stt_case(t, STT_T0, "20301", "G01"), other = stt_case(t, STT_T0, "20301", "G01");
    static const struct store_o311_answer given[] = {
        {"started", (char *)"2020-03-01T22:30:00+08:00"},
        {"kinds", (char *)"night_work"},
        {"kinds", (char *)"machinery"}, /* a multivaluelist: one row per value */
        {"details", (char *)"每晚十点后施工"},
    };
    struct answers a = {id, given, 4};
    struct store_o311_answer *v;
    int n;
    struct err e;
    STT_OK(e, store_write(t->s, job_answers, &a, &e));
    STT_OK(e, store_o311_answers(t->s, id, t->a, &v, &n, &e));
    assert_int_equal(n, 4);
    for (int i = 0; i < n; i++) {
        assert_string_equal(v[i].code, given[i].code);
        assert_string_equal(v[i].value, given[i].value);
    }
    STT_OK(e, store_o311_answers(t->s, other, t->a, &v, &n, &e));
    assert_int_equal(n, 0);
}

/* ---- updates ----------------------------------------------------------------------- */

static int job_update(struct store *s, void *arg, struct err *e)
{
    return store_o311_update_insert(s, arg, e);
}

static struct store_o311_update update_new(const char *uid, int64_t case_id, int seq,
                                           const char *text)
{
    struct store_o311_update u = {0};
    str_copy(u.update_id, sizeof u.update_id, uid);
    u.case_id = case_id;
    u.seq = seq;
    str_copy(u.status, sizeof u.status, "OPEN");
    u.description = (char *)text;
    u.updated_at = STT_T0 + 100;
    u.received_at = STT_T0 + 105;
    u.user_id = 9;
    return u;
}

static void test_updates_refuse_a_repeated_id(void **state)
{
    struct stt *t = *state;
    int64_t id = stt_case(t, STT_T0, "20301", "G01");
    struct store_o311_update u = update_new("fms-1", id, 2, "已电话联系"), got;
    struct err e;
    /* Never seen: ERR_NOTFOUND, with e untouched. */
    err_clear(&e);
    assert_int_equal(store_o311_update_get(t->s, "fms-1", t->a, &got, &e), ERR_NOTFOUND);
    assert_int_equal(e.code, 0);
    STT_OK(e, store_write(t->s, job_update, &u, &e));
    STT_OK(e, store_o311_update_get(t->s, "fms-1", t->a, &got, &e));
    assert_string_equal(got.update_id, "fms-1");
    assert_int_equal(got.case_id, id);
    assert_int_equal(got.seq, 2);
    assert_string_equal(got.status, "OPEN");
    assert_string_equal(got.description, "已电话联系");
    assert_int_equal(got.updated_at, STT_T0 + 100);
    assert_int_equal(got.received_at, STT_T0 + 105);
    assert_int_equal(got.user_id, 9);
    /* The same update_id again is a conflict; the first one is kept. */
    struct store_o311_update again = update_new("fms-1", id, 3, "重放");
    STT_FAILS(e, ERR_CONFLICT, store_write(t->s, job_update, &again, &e));
    STT_OK(e, store_o311_update_get(t->s, "fms-1", t->a, &got, &e));
    assert_int_equal(got.seq, 2);
    assert_string_equal(got.description, "已电话联系");
    struct store_o311_update next = update_new("fms-2", id, 3, "第二条");
    STT_OK(e, store_write(t->s, job_update, &next, &e));
}

/* ---- GET requests ---------------------------------------------------------------- */

static int64_t req(struct stt *t, const char *category, int64_t at, double lon, double lat)
{
    struct store_case c;
    struct store_event ev;
    stt_case_init(&c, &ev, at, category, "G01");
    if (lon != 0) {
        c.has_pos = 1;
        c.lon = lon;
        c.lat = lat;
    }
    return stt_case_store(t, &c, &ev);
}

static const char *found(struct stt *t, struct store_o311_filter f, char *out, size_t n)
{
    int64_t *ids;
    int got;
    struct err e;
    STT_OK(e, store_o311_find(t->s, &f, t->a, &ids, &got, &e));
    out[0] = '\0';
    for (int i = 0; i < got; i++)
        snprintf(out + strlen(out), n - strlen(out), "%s%lld", i ? "," : "", (long long)ids[i]);
    return out;
}

#define ID(x) ((long long)(x))

static void test_find_requests(void **state)
{
    struct stt *t = *state;
    char got[256], want[256];
    /* Reported in this order, but b the latest: newest report first. */
    int64_t a = req(t, "20301", STT_T0, 102.744, 24.963);
    int64_t b = req(t, "10118", STT_T0 + 300, 102.900, 24.963);
    int64_t c = req(t, "20301", STT_T0 + 100, 0, 0);
    stt_event(t, c, "register", "registered", STT_T0 + 3600, 0);
    snprintf(want, sizeof want, "%lld,%lld,%lld", ID(b), ID(c), ID(a));
    assert_string_equal(found(t, (struct store_o311_filter){0}, got, sizeof got), want);
    snprintf(want, sizeof want, "%lld,%lld", ID(c), ID(a));
    assert_string_equal(found(t, (struct store_o311_filter){.categories = "20301"}, got, 256),
                        want);
    assert_string_equal(found(t, (struct store_o311_filter){.categories = "99999,20301"}, got, 256),
                        want);
    snprintf(want, sizeof want, "%lld", ID(c));
    assert_string_equal(
        found(t, (struct store_o311_filter){.states = "closed,registered"}, got, 256), want);
    assert_string_equal(
        found(t, (struct store_o311_filter){.updated_from = STT_T0 + 3600}, got, 256), want);
    snprintf(want, sizeof want, "%lld,%lld", ID(c), ID(a));
    assert_string_equal(found(t, (struct store_o311_filter){.created_to = STT_T0 + 100}, got, 256),
                        want);
    snprintf(want, sizeof want, "%lld", ID(a));
    struct store_o311_filter box = {
        .has_bbox = 1, .minx = 102.7, .miny = 24.9, .maxx = 102.8, .maxy = 25.0};
    assert_string_equal(found(t, box, got, sizeof got), want);
    /* Within 1 km of a point 500 m east of a: a only (b is 16 km away). */
    struct store_o311_filter near = {
        .has_circle = 1, .lon = 102.749, .lat = 24.963, .radius_m = 1000};
    assert_string_equal(found(t, near, got, sizeof got), want);
    near.radius_m = 300;
    assert_string_equal(found(t, near, got, sizeof got), "");
    /* Paging. */
    snprintf(want, sizeof want, "%lld", ID(c));
    assert_string_equal(found(t, (struct store_o311_filter){.limit = 1, .offset = 1}, got, 256),
                        want);
}

static void test_events_after_the_report(void **state)
{
    struct stt *t = *state;
    int64_t a = stt_case(t, STT_T0, "20301", "G01"), b = stt_case(t, STT_T0, "20301", "G01");
    struct store_event *v;
    int n;
    struct err e;
    stt_event(t, a, "register", "registered", STT_T0 + 100, 0);
    stt_event(t, b, "register", "registered", STT_T0 + 200, 0);
    stt_event(t, a, "dispatch", "dispatched", STT_T0 + 300, 0);
    STT_OK(e, store_o311_events(t->s, STT_T0, STT_T0 + 1000, 0, 0, 0, t->a, &v, &n, &e));
    assert_int_equal(n, 3); /* the reports (seq 1) are not among them */
    assert_int_equal(v[0].case_id, a);
    assert_int_equal(v[0].seq, 2);
    assert_int_equal(v[0].at, STT_T0 + 100);
    assert_string_equal(v[0].action, "register");
    assert_string_equal(v[0].from_state, "reported");
    assert_string_equal(v[0].to_state, "registered");
    assert_string_equal(v[0].note, "说明");
    assert_string_equal(v[0].attachments, "");
    assert_int_equal(v[1].case_id, b);
    assert_int_equal(v[2].case_id, a);
    assert_int_equal(v[2].seq, 3);
    STT_OK(e, store_o311_events(t->s, STT_T0, STT_T0 + 1000, a, 0, 0, t->a, &v, &n, &e));
    assert_int_equal(n, 2);
    STT_OK(e, store_o311_events(t->s, STT_T0 + 150, STT_T0 + 300, 0, 0, 0, t->a, &v, &n, &e));
    assert_int_equal(n, 2); /* [from, to] inclusive */
    assert_int_equal(v[1].at, STT_T0 + 300);
    STT_OK(e, store_o311_events(t->s, STT_T0, STT_T0 + 1000, 0, 1, 1, t->a, &v, &n, &e));
    assert_int_equal(n, 1);
    assert_int_equal(v[0].case_id, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_attributes, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_answers_in_order, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_updates_refuse_a_repeated_id, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_find_requests, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_events_after_the_report, stt_setup, stt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
