/* test_case_apply.c - the fold refuses events the lifecycle table does not
 * allow, so a tampered or corrupt log cannot replay into a state. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "domain/case/case.h"

/* An event of the given seq, action and states. */
static struct store_event ev(int seq, const char *action, const char *from, const char *to)
{
    struct store_event x = {.seq = seq, .at = 1000 + seq, .flag = -1};
    str_copy(x.action, sizeof x.action, action);
    str_copy(x.from_state, sizeof x.from_state, from);
    str_copy(x.to_state, sizeof x.to_state, to);
    x.note = (char *)"";
    x.attachments = (char *)"";
    return x;
}

/* Folds n events; returns the first error (0 if all applied). */
static int fold(const struct store_event *v, int n, struct store_case *c)
{
    struct err e = {0};
    memset(c, 0, sizeof *c);
    c->visit_resolved = -1;
    for (int i = 0; i < n; i++) {
        int rc = case_apply(c, &v[i], &e);
        if (rc)
            return rc;
    }
    return 0;
}

static void test_valid_log_folds(void **state)
{
    (void)state;
    struct store_case c;
    struct store_event v[] = {ev(1, "report", "", "reported"),
                              ev(2, "register", "reported", "registered"),
                              ev(3, "comment", "registered", "registered")};
    assert_int_equal(fold(v, 3, &c), 0);
    assert_string_equal(c.state, "registered");
    assert_int_equal(c.last_seq, 3);
}

static void test_first_event_must_be_report(void **state)
{
    (void)state;
    struct store_case c;
    struct store_event a[] = {ev(1, "register", "", "registered")};
    struct store_event b[] = {ev(1, "report", "", "closed")};
    assert_int_equal(fold(a, 1, &c), ERR_INVALID);
    assert_int_equal(fold(b, 1, &c), ERR_INVALID);
}

static void test_report_only_first(void **state)
{
    (void)state;
    struct store_case c;
    struct store_event v[] = {ev(1, "report", "", "reported"),
                              ev(2, "report", "reported", "closed")};
    assert_int_equal(fold(v, 2, &c), ERR_INVALID);
}

static void test_to_state_must_match_table(void **state)
{
    (void)state;
    struct store_case c;
    struct store_event v[] = {ev(1, "report", "", "reported"),
                              ev(2, "register", "reported", "closed")};
    struct store_event w[] = {ev(1, "report", "", "reported"),
                              ev(2, "comment", "reported", "registered")};
    assert_int_equal(fold(v, 2, &c), ERR_INVALID);
    assert_int_equal(fold(w, 2, &c), ERR_INVALID);
}

static void test_gaps_and_wrong_from(void **state)
{
    (void)state;
    struct store_case c;
    struct store_event gap[] = {ev(1, "report", "", "reported"),
                                ev(3, "register", "reported", "registered")};
    struct store_event from[] = {ev(1, "report", "", "reported"),
                                 ev(2, "sign", "dispatched", "accepted")};
    assert_int_equal(fold(gap, 2, &c), ERR_INVALID);
    assert_int_equal(fold(from, 2, &c), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_log_folds),
        cmocka_unit_test(test_first_event_must_be_report),
        cmocka_unit_test(test_report_only_first),
        cmocka_unit_test(test_to_state_must_match_table),
        cmocka_unit_test(test_gaps_and_wrong_from),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
