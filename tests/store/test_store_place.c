/*
 * test_store_place.c - the place tree (store_place.h): put and get with
 * boundaries, the name history kept by renames, each by kind and parent in
 * code order, clear (which keeps the names), and the grid teams.
 */
#include "storetest.h"
#include "store/place/store_place.h"

#define SUB   "530111008"
#define COMM  "530111008002"
#define GRID1 "53011100800201"
#define GRID2 "53011100800202"

static const char square[] =
    "{\"type\":\"Polygon\",\"coordinates\":[[[102.74,24.96],[102.75,24.96],[102.75,24.97],"
    "[102.74,24.97],[102.74,24.96]]]}";

static void put(struct stt *t, const char *code, const char *kind, const char *parent,
                const char *name, int64_t at, int with_shape)
{
    struct store_place p = {.geometry = (char *)"", .updated_at = at};
    struct err e;
    str_copy(p.code, sizeof p.code, code);
    str_copy(p.kind, sizeof p.kind, kind);
    str_copy(p.parent, sizeof p.parent, parent);
    str_copy(p.name, sizeof p.name, name);
    if (with_shape) {
        p.geometry = (char *)square;
        p.minx = 102.74;
        p.miny = 24.96;
        p.maxx = 102.75;
        p.maxy = 24.97;
        p.area_m2 = 1118000.5;
    }
    STT_OK(e, store_place_put(t->s, &p, &e));
}

static void tree(struct stt *t)
{
    put(t, SUB, "subdistrict", "", "刘家营街道", STT_T0, 0);
    put(t, COMM, "community", SUB, "金色社区", STT_T0, 0);
    put(t, GRID2, "grid", COMM, "第二网格", STT_T0, 1);
    put(t, GRID1, "grid", COMM, "第一网格", STT_T0, 1);
}

static void test_place_put_get(void **state)
{
    struct stt *t = *state;
    struct store_place p;
    struct err e;
    tree(t);
    STT_OK(e, store_place_get(t->s, GRID1, t->a, &p, &e));
    assert_string_equal(p.code, GRID1);
    assert_string_equal(p.kind, "grid");
    assert_string_equal(p.parent, COMM);
    assert_string_equal(p.name, "第一网格");
    assert_string_equal(p.geometry, square);
    assert_true(p.minx == 102.74 && p.miny == 24.96 && p.maxx == 102.75 && p.maxy == 24.97);
    assert_true(p.area_m2 == 1118000.5);
    assert_int_equal(p.updated_at, STT_T0);
    STT_OK(e, store_place_get(t->s, SUB, t->a, &p, &e));
    assert_string_equal(p.parent, "");
    assert_string_equal(p.geometry, ""); /* none */
    assert_true(p.area_m2 == 0);
    STT_FAILS(e, ERR_NOTFOUND, store_place_get(t->s, "530111008999", t->a, &p, &e));
    /* A put of an existing code updates it (here: the boundary is dropped). */
    put(t, GRID1, "grid", COMM, "第一网格", STT_T0 + 60, 0);
    STT_OK(e, store_place_get(t->s, GRID1, t->a, &p, &e));
    assert_string_equal(p.geometry, "");
    assert_int_equal(p.updated_at, STT_T0 + 60);
}

/* The name history as "name[from,to);" entries. */
struct names {
    char text[1024];
    int n;
};

static int name_visit(void *arg, const char *name, int64_t from, int64_t to)
{
    struct names *x = arg;
    size_t len = strlen(x->text);
    snprintf(x->text + len, sizeof x->text - len, "%s[%lld,%lld);", name,
             (long long)(from - STT_T0), (long long)(to ? to - STT_T0 : -1));
    x->n++;
    return 0;
}

static const char *names_of(struct stt *t, const char *code, struct names *x)
{
    struct err e;
    x->text[0] = '\0';
    x->n = 0;
    STT_OK(e, store_place_names(t->s, code, name_visit, x, &e));
    return x->text;
}

static void test_place_rename_keeps_history(void **state)
{
    struct stt *t = *state;
    struct names x;
    put(t, COMM, "community", "", "金色社区", STT_T0, 0);
    assert_string_equal(names_of(t, COMM, &x), "金色社区[0,-1);");
    put(t, COMM, "community", "", "金色社区", STT_T0 + 10, 0); /* unchanged: no new entry */
    assert_string_equal(names_of(t, COMM, &x), "金色社区[0,-1);");
    put(t, COMM, "community", "", "金辉社区", STT_T0 + 100, 0);
    put(t, COMM, "community", "", "金盛社区", STT_T0 + 200, 0);
    /* oldest first; -1 marks the current name */
    assert_string_equal(names_of(t, COMM, &x),
                        "金色社区[0,100);金辉社区[100,200);金盛社区[200,-1);");
    struct store_place p;
    struct err e;
    STT_OK(e, store_place_get(t->s, COMM, t->a, &p, &e));
    assert_string_equal(p.name, "金盛社区");
    assert_string_equal(names_of(t, "530111008777", &x), ""); /* unknown place: none */
}

static void test_place_long_name_unchanged_keeps_history(void **state)
{
    struct stt *t = *state;
    struct names x;
    char name[192];
    /* 60 characters of 3 bytes: 180 bytes, within the 192 of the record. */
    name[0] = '\0';
    for (int i = 0; i < 60; i++)
        snprintf(name + strlen(name), sizeof name - strlen(name), "%s", "网");
    assert_int_equal(strlen(name), 180);
    put(t, COMM, "community", "", name, STT_T0, 0);
    put(t, COMM, "community", "", name, STT_T0 + 100, 0); /* the same name again */
    names_of(t, COMM, &x);
    assert_int_equal(x.n, 1); /* not a rename */
    struct store_place p;
    struct err e;
    STT_OK(e, store_place_get(t->s, COMM, t->a, &p, &e));
    assert_string_equal(p.name, name);
}

struct each {
    char text[512]; /* "code:geometry?;" per place visited */
};

static int each_visit(void *arg, const struct store_place *p)
{
    struct each *x = arg;
    size_t len = strlen(x->text);
    snprintf(x->text + len, sizeof x->text - len, "%s:%s;", p->code,
             p->geometry && *p->geometry ? "shape" : "");
    return 0;
}

static const char *each(struct stt *t, const char *kind, const char *parent, int geometry,
                        struct each *x)
{
    struct err e;
    x->text[0] = '\0';
    STT_OK(e, store_place_each(t->s, kind, parent, geometry, each_visit, x, &e));
    return x->text;
}

static void test_place_each_by_kind_and_parent(void **state)
{
    struct stt *t = *state;
    struct each x;
    tree(t);
    put(t, "53011100800301", "grid", "530111008003", "别的网格", STT_T0, 0);
    assert_string_equal(each(t, NULL, NULL, 0, &x),
                        SUB ":;" COMM ":;" GRID1 ":;" GRID2 ":;53011100800301:;");
    assert_string_equal(each(t, "grid", NULL, 1, &x),
                        GRID1 ":shape;" GRID2 ":shape;53011100800301:;");
    assert_string_equal(each(t, NULL, COMM, 1, &x), GRID1 ":shape;" GRID2 ":shape;");
    assert_string_equal(each(t, "grid", COMM, 0, &x), GRID1 ":;" GRID2 ":;");
    assert_string_equal(each(t, "community", SUB, 0, &x), COMM ":;");
    assert_string_equal(each(t, "building", NULL, 0, &x), "");
}

static void test_place_clear_keeps_names(void **state)
{
    struct stt *t = *state;
    struct each x;
    struct names n;
    struct store_place p;
    struct err e;
    tree(t);
    put(t, GRID1, "grid", COMM, "一号网格", STT_T0 + 100, 1);
    STT_OK(e, store_place_clear(t->s, &e));
    assert_string_equal(each(t, NULL, NULL, 0, &x), "");
    STT_FAILS(e, ERR_NOTFOUND, store_place_get(t->s, GRID1, t->a, &p, &e));
    assert_string_equal(names_of(t, GRID1, &n), "第一网格[0,100);一号网格[100,-1);");
    /* An import after the clear puts the tree back. */
    tree(t);
    assert_string_equal(each(t, "grid", NULL, 0, &x), GRID1 ":;" GRID2 ":;");
}

/* ---- grid teams ---------------------------------------------------------------- */

struct members {
    char text[256]; /* "user:role;" per member */
    int64_t base;   /* subtracted from user ids */
};

static int member_visit(void *arg, int64_t user, const char *role)
{
    struct members *m = arg;
    size_t len = strlen(m->text);
    snprintf(m->text + len, sizeof m->text - len, "%lld:%s;", (long long)(user - m->base), role);
    return 0;
}

static void test_grid_members(void **state)
{
    struct stt *t = *state;
    int64_t a = stt_user(t, "a", "grid"), b = stt_user(t, "b", "resident");
    struct members m = {"", a};
    struct err e = {0};
    tree(t);
    assert_int_equal(store_grid_is_member(t->s, GRID1, a, &e), 0);
    STT_OK(e, store_grid_member_add(t->s, GRID1, a, "leader", &e));
    STT_OK(e, store_grid_member_add(t->s, GRID1, a, "leader", &e)); /* twice: once */
    STT_OK(e, store_grid_member_add(t->s, GRID1, a, "police", &e));
    STT_OK(e, store_grid_member_add(t->s, GRID1, b, "volunteer", &e));
    STT_OK(e, store_grid_member_add(t->s, GRID2, b, "property", &e));
    assert_int_equal(store_grid_is_member(t->s, GRID1, a, &e), 1);
    assert_int_equal(store_grid_is_member(t->s, GRID1, b, &e), 1);
    assert_int_equal(store_grid_is_member(t->s, GRID2, a, &e), 0);
    STT_OK(e, store_grid_members(t->s, GRID1, member_visit, &m, &e));
    char want[128];
    snprintf(want, sizeof want, "0:leader;0:police;%lld:volunteer;", (long long)(b - a));
    assert_true(strlen(m.text) == strlen(want));
    assert_non_null(strstr(m.text, "0:leader;"));
    assert_non_null(strstr(m.text, "0:police;"));
    /* Removing one role keeps the other: still a member. */
    STT_OK(e, store_grid_member_remove(t->s, GRID1, a, "leader", &e));
    assert_int_equal(store_grid_is_member(t->s, GRID1, a, &e), 1);
    STT_OK(e, store_grid_member_remove(t->s, GRID1, a, "police", &e));
    assert_int_equal(store_grid_is_member(t->s, GRID1, a, &e), 0);
    STT_OK(e, store_grid_member_remove(t->s, GRID1, a, "police", &e)); /* not there: fine */
    m.text[0] = '\0';
    STT_OK(e, store_grid_members(t->s, GRID1, member_visit, &m, &e));
    snprintf(want, sizeof want, "%lld:volunteer;", (long long)(b - a));
    assert_string_equal(m.text, want);
    assert_int_equal(store_grid_is_member(t->s, GRID2, b, &e), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_place_put_get, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_place_rename_keeps_history, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_place_long_name_unchanged_keeps_history, stt_setup,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_place_each_by_kind_and_parent, stt_setup,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_place_clear_keeps_names, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_grid_members, stt_setup, stt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
