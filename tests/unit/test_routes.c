/*
 * test_routes.c - the tables every subject contributes to: the API's routes
 * and the command line's commands are merged into sorted tables with no
 * duplicates, and a path is answered by its most specific route whatever
 * order the subjects list them in (a literal segment wins over {code}).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "api/api_int.h"
#include "cli/cli_int.h"

static void test_pattern_order(void **state)
{
    (void)state;
    assert_true(api__pattern_cmp("/places/import", "/places/{code}") < 0);
    assert_true(api__pattern_cmp("/places/{code}", "/places/import") > 0);
    assert_true(api__pattern_cmp("/places/locate", "/places/{code}/team") < 0);
    assert_true(api__pattern_cmp("/cases", "/cases/{id}") < 0);
    assert_true(api__pattern_cmp("/cases/{id}", "/cases/{id}/actions") < 0);
    assert_true(api__pattern_cmp("/a/b", "/a/bc") < 0);
    assert_true(api__pattern_cmp("/ab", "/a/b") > 0);
    assert_int_equal(api__pattern_cmp("/x/{id}", "/x/{id}"), 0);
}

/* Sorted, unique, and each route is what its own path finds. */
static void test_routes_sorted_unique(void **state)
{
    (void)state;
    size_t n;
    struct err e = {0};
    const struct api_route *r = api__routes(&n, &e);
    if (r == NULL)
        fail_msg("%s", e.msg);
    assert_true(n >= 30);
    for (size_t i = 1; i < n; i++) {
        int c = api__pattern_cmp(r[i - 1].pattern, r[i].pattern);
        if (c > 0 || (c == 0 && strcmp(r[i - 1].method, r[i].method) >= 0))
            fail_msg("%s %s is not before %s %s", r[i - 1].method, r[i - 1].pattern, r[i].method,
                     r[i].pattern);
    }
}

/* A path for a pattern: {id} 7, {code} "x1", {sha256} 64 hex digits. */
static void sample_path(const char *pattern, char *out, size_t n)
{
    static const char *const param[][2] = {
        {"{id}", "7"},
        {"{code}", "x1"},
        {"{sha256}", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}};
    size_t used = 0;
    while (*pattern && used + 70 < n) {
        size_t k = 0;
        while (k < ARRAY_SIZE(param) && strncmp(pattern, param[k][0], strlen(param[k][0])) != 0)
            k++;
        if (k < ARRAY_SIZE(param)) {
            used += (size_t)snprintf(out + used, n - used, "%s", param[k][1]);
            pattern += strlen(param[k][0]);
        } else {
            out[used++] = *pattern++;
        }
    }
    out[used] = '\0';
}

/* Every route is found by a path of its pattern, unless a more specific
 * route (one with a literal where it has a parameter) takes that path; a
 * literal route is always found by its own path. */
static void test_most_specific_wins(void **state)
{
    (void)state;
    size_t n;
    struct err e = {0};
    const struct api_route *r = api__routes(&n, &e);
    for (size_t i = 0; i < n; i++) {
        char path[256], code[API_CODE_SIZE];
        int64_t id = 0;
        int miss = 0;
        sample_path(r[i].pattern, path, sizeof path);
        const struct api_route *got = api__route_find(r[i].method, path, &id, code, &miss);
        if (got == NULL)
            fail_msg("%s %s (for %s) finds nothing", r[i].method, path, r[i].pattern);
        if (got != &r[i] && (strchr(r[i].pattern, '{') == NULL ||
                             api__pattern_cmp(got->pattern, r[i].pattern) >= 0))
            fail_msg("%s %s finds %s, not %s", r[i].method, path, got->pattern, r[i].pattern);
    }
    char code[API_CODE_SIZE];
    int64_t id = 0;
    int miss = 0;
    const struct api_route *imp = api__route_find("POST", "/places/import", &id, code, &miss);
    assert_non_null(imp);
    assert_string_equal(imp->pattern, "/places/import");
    const struct api_route *get = api__route_find("GET", "/places/import", &id, code, &miss);
    assert_non_null(get); /* GET of a place whose code is "import" */
    assert_string_equal(get->pattern, "/places/{code}");
    assert_null(api__route_find("DELETE", "/cases", &id, code, &miss));
    assert_int_equal(miss, ERR_METHOD);
    assert_null(api__route_find("GET", "/nowhere", &id, code, &miss));
    assert_int_equal(miss, ERR_ROUTE);
}

static void test_commands_sorted_unique(void **state)
{
    (void)state;
    size_t n;
    struct err e = {0};
    const struct cli_cmd *k = cli__commands(&n, &e);
    if (k == NULL)
        fail_msg("%s", e.msg);
    assert_true(n >= 30);
    for (size_t i = 1; i < n; i++)
        if (strcmp(k[i - 1].name, k[i].name) >= 0)
            fail_msg("'%s' is not before '%s'", k[i - 1].name, k[i].name);
    for (size_t i = 0; i < n; i++)
        assert_true(k[i].fn && k[i].help && k[i].help[0] && k[i].opts && k[i].args);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pattern_order),
        cmocka_unit_test(test_routes_sorted_unique),
        cmocka_unit_test(test_most_specific_wins),
        cmocka_unit_test(test_commands_sorted_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
