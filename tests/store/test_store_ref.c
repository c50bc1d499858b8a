/*
 * test_store_ref.c - the reference records: units (store_unit.h), the case
 * reference data (categories, time limits, whistle types of store_case.h),
 * users and credentials (store_auth.h).
 */
#include "storetest.h"

/* ---- units -------------------------------------------------------------------- */

struct unit_list {
    struct store_unit v[16]; /* visited, in order */
    int n;
};

static int unit_visit(void *arg, const struct store_unit *u)
{
    struct unit_list *l = arg;
    if (l->n < 16)
        l->v[l->n] = *u;
    l->n++;
    return 0;
}

static struct store_unit unit_new(const char *code, const char *name)
{
    struct store_unit u = {0};
    str_copy(u.code, sizeof u.code, code);
    str_copy(u.name, sizeof u.name, name);
    str_copy(u.kind, sizeof u.kind, "alliance");
    str_copy(u.uscc, sizeof u.uscc, "91530100MA6K00000X");
    str_copy(u.phone, sizeof u.phone, "087163000000");
    return u;
}

static void test_units(void **state)
{
    struct stt *t = *state;
    struct store_unit u = unit_new("ZZ", "城管局"), got;
    struct err e;
    STT_OK(e, store_unit_insert(t->s, &u, &e));
    assert_true(u.id > 0);
    STT_OK(e, store_unit_get(t->s, u.id, &got, &e));
    assert_int_equal(got.id, u.id);
    assert_string_equal(got.code, "ZZ");
    assert_string_equal(got.name, "城管局");
    assert_string_equal(got.kind, "alliance");
    assert_string_equal(got.uscc, "91530100MA6K00000X");
    assert_string_equal(got.phone, "087163000000");
    STT_OK(e, store_unit_by_code(t->s, "ZZ", &got, &e));
    assert_int_equal(got.id, u.id);
    /* A taken code is a conflict, and the stored unit stays as it was. */
    struct store_unit dup = unit_new("ZZ", "冒名单位");
    STT_FAILS(e, ERR_CONFLICT, store_unit_insert(t->s, &dup, &e));
    assert_int_equal(e.code, ERR_CONFLICT);
    assert_string_equal(e.field, "code");
    STT_OK(e, store_unit_by_code(t->s, "ZZ", &got, &e));
    assert_string_equal(got.name, "城管局");
    STT_FAILS(e, ERR_NOTFOUND, store_unit_get(t->s, u.id + 100, &got, &e));
    STT_FAILS(e, ERR_NOTFOUND, store_unit_by_code(t->s, "NONE", &got, &e));
    /* each visits every unit once, in id order (not code order). */
    int64_t aa = stt_unit(t, "AA"), mm = stt_unit(t, "MM");
    struct unit_list l = {.n = 0};
    STT_OK(e, store_unit_each(t->s, unit_visit, &l, &e));
    assert_int_equal(l.n, 3);
    int seen = 0;
    for (int i = 0; i < l.n; i++) {
        assert_true(i == 0 || l.v[i].id > l.v[i - 1].id);
        seen |= (l.v[i].id == u.id) | (l.v[i].id == aa) << 1 | (l.v[i].id == mm) << 2;
        if (l.v[i].id == aa)
            assert_string_equal(l.v[i].code, "AA");
    }
    assert_int_equal(seen, 7);
}

static void test_unit_put_upserts_by_code(void **state)
{
    struct stt *t = *state;
    struct store_unit u = unit_new("JT", "交通局"), again = unit_new("JT", "交通运输局"), got;
    struct err e;
    STT_OK(e, store_unit_put(t->s, &u, &e));
    assert_true(u.id > 0);
    STT_OK(e, store_unit_put(t->s, &again, &e));
    assert_int_equal(again.id, u.id); /* the same unit, updated */
    STT_OK(e, store_unit_get(t->s, u.id, &got, &e));
    assert_string_equal(got.name, "交通运输局");
    struct store_unit other = unit_new("SW", "水务局");
    STT_OK(e, store_unit_put(t->s, &other, &e));
    assert_true(other.id > 0 && other.id != u.id);
    struct unit_list l = {.n = 0};
    STT_OK(e, store_unit_each(t->s, unit_visit, &l, &e));
    assert_int_equal(l.n, 2);
}

/* ---- categories, limits, whistle types ---------------------------------------- */

struct cat_list {
    char codes[8][16]; /* visited codes, in order */
    int n;
};

static int cat_visit(void *arg, const struct store_category *c)
{
    struct cat_list *l = arg;
    if (l->n < 8)
        str_copy(l->codes[l->n], sizeof l->codes[0], c->code);
    l->n++;
    return 0;
}

static struct store_category cat_new(const char *code, const char *name)
{
    struct store_category c = {0};
    str_copy(c.code, sizeof c.code, code);
    str_copy(c.name, sizeof c.name, name);
    str_copy(c.group, sizeof c.group, "市容环境");
    str_copy(c.unit_code, sizeof c.unit_code, "CGJ");
    str_copy(c.whistle, sizeof c.whistle, "minsheng");
    return c;
}

static void test_categories(void **state)
{
    struct stt *t = *state;
    struct store_category c, got;
    struct err e;
    static const char *const codes[] = {"30103", "10118", "20404"};
    for (int i = 0; i < 3; i++) {
        c = cat_new(codes[i], "类别");
        STT_OK(e, store_category_put(t->s, &c, &e));
    }
    c = cat_new("20404", "下水道堵塞");
    str_copy(c.unit_code, sizeof c.unit_code, "");
    STT_OK(e, store_category_put(t->s, &c, &e)); /* the same code: updated */
    STT_OK(e, store_category_get(t->s, "20404", &got, &e));
    assert_string_equal(got.code, "20404");
    assert_string_equal(got.name, "下水道堵塞");
    assert_string_equal(got.group, "市容环境");
    assert_string_equal(got.unit_code, "");
    assert_string_equal(got.whistle, "minsheng");
    STT_FAILS(e, ERR_NOTFOUND, store_category_get(t->s, "99999", &got, &e));
    struct cat_list l = {.n = 0};
    STT_OK(e, store_category_each(t->s, cat_visit, &l, &e));
    assert_int_equal(l.n, 3);
    assert_string_equal(l.codes[0], "10118");
    assert_string_equal(l.codes[1], "20404");
    assert_string_equal(l.codes[2], "30103");
}

struct limit_list {
    struct store_limit v[8]; /* visited */
    int n;
};

static int limit_visit(void *arg, const struct store_limit *x)
{
    struct limit_list *l = arg;
    if (l->n < 8)
        l->v[l->n] = *x;
    l->n++;
    return 0;
}

static void put_limit(struct stt *t, const char *cat, const char *prio, const char *stage,
                      const char *span)
{
    struct store_limit l = {0};
    struct err e;
    str_copy(l.category, sizeof l.category, cat);
    str_copy(l.priority, sizeof l.priority, prio);
    str_copy(l.stage, sizeof l.stage, stage);
    str_copy(l.span, sizeof l.span, span);
    STT_OK(e, store_limit_put(t->s, &l, &e));
}

static void test_limits(void **state)
{
    struct stt *t = *state;
    struct err e;
    put_limit(t, "*", "normal", "sign", "2wh");
    put_limit(t, "20404", "urgent", "handle", "4h");
    put_limit(t, "*", "normal", "handle", "5wd");
    put_limit(t, "*", "normal", "sign", "1wh"); /* the same key: replaced */
    struct limit_list l = {.n = 0};
    STT_OK(e, store_limit_each(t->s, limit_visit, &l, &e));
    assert_int_equal(l.n, 3);
    /* ordered by category, priority, stage */
    assert_string_equal(l.v[0].category, "*");
    assert_string_equal(l.v[0].stage, "handle");
    assert_string_equal(l.v[0].span, "5wd");
    assert_string_equal(l.v[1].category, "*");
    assert_string_equal(l.v[1].stage, "sign");
    assert_string_equal(l.v[1].span, "1wh");
    assert_string_equal(l.v[2].category, "20404");
    assert_string_equal(l.v[2].priority, "urgent");
    assert_string_equal(l.v[2].span, "4h");
}

struct wt_list {
    struct store_whistle_type v[8]; /* visited */
    int n;
};

static int wt_visit(void *arg, const struct store_whistle_type *x)
{
    struct wt_list *l = arg;
    if (l->n < 8)
        l->v[l->n] = *x;
    l->n++;
    return 0;
}

static void test_whistle_types(void **state)
{
    struct stt *t = *state;
    struct store_whistle_type a = {"minsheng", "民生哨", 30}, b = {"anquan", "安全哨", 15};
    struct store_whistle_type a2 = {"minsheng", "民生哨（改）", 45};
    struct err e;
    STT_OK(e, store_whistle_type_put(t->s, &a, &e));
    STT_OK(e, store_whistle_type_put(t->s, &b, &e));
    STT_OK(e, store_whistle_type_put(t->s, &a2, &e)); /* the same code: updated */
    struct wt_list l = {.n = 0};
    STT_OK(e, store_whistle_type_each(t->s, wt_visit, &l, &e));
    assert_int_equal(l.n, 2);
    int found = 0;
    for (int i = 0; i < l.n; i++) {
        if (strcmp(l.v[i].code, "minsheng") == 0) {
            assert_string_equal(l.v[i].name, "民生哨（改）");
            assert_int_equal(l.v[i].limit_min, 45);
            found |= 1;
        } else {
            assert_string_equal(l.v[i].code, "anquan");
            assert_int_equal(l.v[i].limit_min, 15);
            found |= 2;
        }
    }
    assert_int_equal(found, 3);
}

/* ---- users and credentials ----------------------------------------------------- */

static struct store_user user_new(const char *username, const char *role)
{
    struct store_user u = {0};
    str_copy(u.username, sizeof u.username, username);
    str_copy(u.name, sizeof u.name, "张三");
    str_copy(u.role, sizeof u.role, role);
    str_copy(u.phone, sizeof u.phone, "13800138000");
    str_copy(u.id_card, sizeof u.id_card, "11010519491231002X");
    str_copy(u.pw_hash, sizeof u.pw_hash, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
    u.created_at = STT_T0;
    return u;
}

static int user_count(void *arg, const struct store_user *u)
{
    int *n = arg;
    assert_true(u->id > 0);
    (*n)++;
    return 0;
}

static void test_users(void **state)
{
    struct stt *t = *state;
    int64_t unit = stt_unit(t, "CGJ");
    struct store_user u = user_new("zhangsan", "handler"), got;
    struct err e;
    u.unit_id = unit;
    STT_OK(e, store_user_insert(t->s, &u, &e));
    assert_true(u.id > 0);
    STT_OK(e, store_user_get(t->s, u.id, &got, &e));
    assert_string_equal(got.username, "zhangsan");
    assert_string_equal(got.name, "张三");
    assert_string_equal(got.role, "handler");
    assert_int_equal(got.unit_id, unit);
    assert_string_equal(got.phone, "13800138000");
    assert_string_equal(got.id_card, "11010519491231002X");
    assert_string_equal(got.pw_hash, u.pw_hash);
    assert_int_equal(got.created_at, STT_T0);
    assert_int_equal(got.disabled, 0);
    /* A taken username: ERR_CONFLICT, and the first user is untouched. */
    struct store_user dup = user_new("zhangsan", "admin");
    str_copy(dup.name, sizeof dup.name, "冒名");
    STT_FAILS(e, ERR_CONFLICT, store_user_insert(t->s, &dup, &e));
    assert_int_equal(e.code, ERR_CONFLICT);
    STT_OK(e, store_user_by_name(t->s, "zhangsan", &got, &e));
    assert_int_equal(got.id, u.id);
    assert_string_equal(got.role, "handler");
    assert_string_equal(got.name, "张三");
    /* update changes the record, by id */
    got.disabled = 1;
    str_copy(got.name, sizeof got.name, "张三丰");
    str_copy(got.role, sizeof got.role, "leader");
    got.unit_id = 0;
    str_copy(got.grid, sizeof got.grid, "53011100800201");
    STT_OK(e, store_user_update(t->s, &got, &e));
    struct store_user back;
    STT_OK(e, store_user_get(t->s, u.id, &back, &e));
    assert_string_equal(back.username, "zhangsan");
    assert_string_equal(back.name, "张三丰");
    assert_string_equal(back.role, "leader");
    assert_int_equal(back.unit_id, 0);
    assert_string_equal(back.grid, "53011100800201");
    assert_int_equal(back.disabled, 1);
    STT_FAILS(e, ERR_NOTFOUND, store_user_get(t->s, u.id + 100, &back, &e));
    STT_FAILS(e, ERR_NOTFOUND, store_user_by_name(t->s, "nobody", &back, &e));
    stt_user(t, "lisi", "resident");
    int n = 0;
    STT_OK(e, store_user_each(t->s, user_count, &n, &e));
    assert_int_equal(n, 2);
}

/* The error context may be NULL (err_set ignores it): a taken username is
 * still answered with ERR_CONFLICT, and the first user is kept. */
static void test_user_conflict_without_error_context(void **state)
{
    struct stt *t = *state;
    struct store_user u = user_new("dup", "resident"), again = user_new("dup", "admin"), got;
    struct err e;
    assert_int_equal(store_user_insert(t->s, &u, NULL), 0);
    assert_int_equal(store_user_insert(t->s, &again, NULL), ERR_CONFLICT);
    STT_OK(e, store_user_by_name(t->s, "dup", &got, &e));
    assert_int_equal(got.id, u.id);
    assert_string_equal(got.role, "resident");
}

struct cred_list {
    int64_t ids[8]; /* visited, in order */
    int n;
};

static int cred_visit(void *arg, const struct store_cred *c)
{
    struct cred_list *l = arg;
    if (l->n < 8)
        l->ids[l->n] = c->id;
    l->n++;
    return 0;
}

static struct store_cred cred_new(const char *kind, const char *hash, int64_t user)
{
    struct store_cred c = {0};
    str_copy(c.kind, sizeof c.kind, kind);
    str_copy(c.hash, sizeof c.hash, hash);
    str_copy(c.name, sizeof c.name, strcmp(kind, "apikey") == 0 ? "app" : "");
    c.user_id = user;
    c.created_at = STT_T0;
    c.expires_at = strcmp(kind, "session") == 0 ? STT_T0 + STT_DAY : 0;
    return c;
}

static void test_credentials(void **state)
{
    struct stt *t = *state;
    int64_t user = stt_user(t, "wangwu", "dispatcher");
    struct store_cred s1 = cred_new("session", "aa01", user), k1 = cred_new("apikey", "bb01", user);
    struct store_cred s2 = cred_new("session", "aa02", user), got;
    struct err e;
    STT_OK(e, store_cred_insert(t->s, &s1, &e));
    STT_OK(e, store_cred_insert(t->s, &k1, &e));
    STT_OK(e, store_cred_insert(t->s, &s2, &e));
    assert_true(s1.id > 0 && k1.id > 0 && s2.id > 0);
    assert_true(s1.id != k1.id && s1.id != s2.id && k1.id != s2.id);
    STT_OK(e, store_cred_by_hash(t->s, "bb01", &got, &e));
    assert_int_equal(got.id, k1.id);
    assert_string_equal(got.kind, "apikey");
    assert_string_equal(got.name, "app");
    assert_int_equal(got.user_id, user);
    assert_int_equal(got.created_at, STT_T0);
    assert_int_equal(got.expires_at, 0);
    assert_int_equal(got.revoked, 0);
    STT_FAILS(e, ERR_NOTFOUND, store_cred_by_hash(t->s, "ffff", &got, &e));
    /* Revoking one leaves the others as they were. */
    STT_OK(e, store_cred_revoke(t->s, "aa01", &e));
    STT_OK(e, store_cred_by_hash(t->s, "aa01", &got, &e));
    assert_int_equal(got.revoked, 1);
    assert_int_equal(got.expires_at, STT_T0 + STT_DAY);
    STT_OK(e, store_cred_by_hash(t->s, "aa02", &got, &e));
    assert_int_equal(got.revoked, 0);
    STT_OK(e, store_cred_by_hash(t->s, "bb01", &got, &e));
    assert_int_equal(got.revoked, 0);
    struct cred_list l = {.n = 0};
    STT_OK(e, store_cred_each(t->s, "session", cred_visit, &l, &e));
    assert_int_equal(l.n, 2); /* the sessions only */
    assert_true((l.ids[0] == s1.id && l.ids[1] == s2.id) ||
                (l.ids[0] == s2.id && l.ids[1] == s1.id));
    l.n = 0;
    STT_OK(e, store_cred_each(t->s, "apikey", cred_visit, &l, &e));
    assert_int_equal(l.n, 1);
    assert_int_equal(l.ids[0], k1.id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_units, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_unit_put_upserts_by_code, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_categories, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_limits, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_whistle_types, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_users, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_user_conflict_without_error_context, stt_setup,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_credentials, stt_setup, stt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
