/*
 * test_api_cache.c - the case view cache (src/api/api_cache.c): an answer
 * comes back only for the same case, viewer and coordinate system, if made
 * at or after the case's last change, and before its deadline or maximum age passes; a
 * newer answer replaces an older one; viewers whose rights follow more than
 * the case's events are never cached.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "api/case/api_case_cache.h"

static const struct api_case_cache_key K = {
    .case_id = 7, .user_id = 3, .unit_id = 0, .role = ROLE_DISPATCHER, .crs = 0};

static int get(struct api_case_cache *c, struct api_case_cache_key k, int64_t version, int64_t now,
               const char *want)
{
    char *body = NULL;
    size_t len = 0;
    int hit = api_case_cache_get(c, &k, version, now, &body, &len);
    if (hit) {
        assert_non_null(want);
        assert_int_equal(len, strlen(want));
        assert_string_equal(body, want);
    }
    xfree(body);
    return hit;
}

static void test_hit_and_misses(void **state)
{
    (void)state;
    struct api_case_cache *c = api_case_cache_new(1 << 20);
    assert_false(get(c, K, 5, 1000, NULL)); /* empty */
    api_case_cache_put(c, &K, 5, 1000, 1010, "{\"id\":7}", 8);
    assert_true(get(c, K, 5, 1009, "{\"id\":7}"));
    assert_true(get(c, K, 4, 1009, "{\"id\":7}")); /* made after the last change */
    assert_false(get(c, K, 6, 1009, NULL));        /* the case changed after */
    assert_false(get(c, K, 5, 1010, NULL));        /* its deadline passed */
    struct api_case_cache_key other = K;
    other.user_id = 4;
    assert_false(get(c, other, 5, 1001, NULL)); /* another viewer */
    other = K;
    other.crs = 1;
    assert_false(get(c, other, 5, 1001, NULL)); /* another coordinate system */
    other = K;
    other.unit_id = 9;
    assert_false(get(c, other, 5, 1001, NULL)); /* the viewer's unit changed */
    api_case_cache_put(c, &K, 6, 1002, INT64_MAX, "{\"id\":7,\"v\":6}", 14);
    assert_true(get(c, K, 6, 1003, "{\"id\":7,\"v\":6}"));
    assert_false(get(c, K, 6, 1002 + API_CACHE_MAX_AGE, NULL)); /* too old */
    int64_t hits, misses;
    api_case_cache_stats(c, &hits, &misses);
    assert_int_equal(hits, 3);
    assert_int_equal(misses, 7);
    api_case_cache_free(c);
}

/* The answers held stay within the budget: puts past it evict others, an
 * answer bigger than an eighth of it is not kept, and a zero budget keeps
 * nothing. */
static void test_budget(void **state)
{
    (void)state;
    static char big[3000];
    memset(big, 'x', sizeof big - 1);
    struct api_case_cache *c = api_case_cache_new(256 * 1024);
    struct api_case_cache_key k = K;
    int kept = 0;
    for (int i = 1; i <= 1000; i++) {
        k.case_id = i;
        api_case_cache_put(c, &k, 1, 1000, INT64_MAX, big, sizeof big - 1);
        assert_true(api_case_cache_bytes(c) <= 256 * 1024);
    }
    for (int i = 1; i <= 1000; i++) {
        k.case_id = i;
        kept += get(c, k, 1, 1001, big);
    }
    assert_true(kept > 40 && kept <= 256 * 1024 / 3000); /* the newest fill it again */
    k.case_id = 1;
    char *huge = xcalloc(40000, 1);
    memset(huge, 'y', 39999);
    api_case_cache_put(c, &k, 2, 1000, INT64_MAX, huge, 39999);
    assert_false(get(c, k, 2, 1001, NULL));
    xfree(huge);
    api_case_cache_free(c);
    c = api_case_cache_new(0);
    api_case_cache_put(c, &K, 1, 1000, INT64_MAX, "{}", 2);
    assert_false(get(c, K, 1, 1001, NULL));
    assert_int_equal(api_case_cache_bytes(c), 0);
    api_case_cache_free(c);
}

static void test_viewers(void **state)
{
    (void)state;
    struct actor a = {.user_id = 1};
    static const struct {
        int role, ok;
    } roles[] = {{ROLE_DISPATCHER, 1}, {ROLE_LEADER, 1},   {ROLE_ADMIN, 1},
                 {ROLE_HANDLER, 1},    {ROLE_RESIDENT, 0}, {ROLE_GRID, 0}};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        a.role = roles[i].role;
        assert_int_equal(api_case_cache_viewer_ok(&a), roles[i].ok);
    }
    a.role = ROLE_DISPATCHER;
    a.user_id = 0; /* the system itself */
    assert_false(api_case_cache_viewer_ok(&a));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_and_misses),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_viewers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
