/*
 * test_buf.c - core's bounded buffers: appends stop at the maximum whatever
 * path they take (the inline fast path included), leave the contents as
 * they were, and set the sticky overflow flag.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "core/core.h"

static void test_max_is_kept(void **state)
{
    (void)state;
    struct buf b;
    char chunk[10];
    memset(chunk, 'x', sizeof chunk);
    buf_init(&b, 1000);
    int refused = 0;
    for (int i = 0; i < 150; i++)
        refused += buf_append(&b, chunk, sizeof chunk) != 0;
    assert_int_equal(b.len, 1000); /* 100 appends fit exactly */
    assert_int_equal(refused, 50);
    assert_true(b.overflow);
    assert_int_equal(strlen(b.data), 1000);
    assert_int_equal(buf_append(&b, "y", 1), ERR_TOOBIG);
    assert_int_equal(buf_appendf(&b, "%d", 7), ERR_TOOBIG);
    assert_int_equal(b.len, 1000);
    buf_free(&b);
}

static void test_appendf_and_take(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 64);
    assert_int_equal(buf_appendf(&b, "%s-%d", "case", 42), 0);
    assert_int_equal(buf_append(&b, "!", 1), 0);
    assert_string_equal(b.data, "case-42!");
    assert_false(b.overflow);
    char *s = buf_take(&b);
    assert_string_equal(s, "case-42!");
    assert_int_equal(b.len, 0);
    xfree(s);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_max_is_kept),
        cmocka_unit_test(test_appendf_and_take),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
