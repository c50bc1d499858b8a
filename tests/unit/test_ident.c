/*
 * test_ident.c - unit tests of domain/ident (ID card, credit code, phone
 * validation and masking). Valid vectors: the GB 11643 and GB 32100 worked
 * examples, and numbers whose check characters were computed by hand with
 * the standards' formulas.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "domain/ident/ident.h"

/* Asserts that msg contains part. */
static void assert_contains(const char *msg, const char *part)
{
    if (strstr(msg, part) == NULL)
        fail_msg("'%s' does not contain '%s'", msg, part);
}

/* ---- ID card ------------------------------------------------------------ */

static void idcard_ok(const char *in, const char *want)
{
    char out[19] = "untouched";
    struct err e = {0};
    assert_int_equal(ident_idcard_check(in, out, &e), 0);
    assert_string_equal(out, want);
    assert_int_equal(e.code, 0);
}

/* Expects in to be rejected with a message containing part. */
static void idcard_bad(const char *in, const char *part)
{
    char out[19] = "untouched";
    struct err e = {0};
    assert_int_equal(ident_idcard_check(in, out, &e), ERR_INVALID);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.field, "id_card");
    assert_contains(e.msg, part);
    assert_string_equal(out, "untouched");
}

static void test_idcard_valid(void **state)
{
    (void)state;
    idcard_ok("11010519491231002X", "11010519491231002X"); /* S = 167, mod 11 = 2 -> X */
    idcard_ok("440524188001010014", "440524188001010014"); /* S = 195, mod 11 = 8 -> 4 */
    idcard_ok("530111199003071234", "530111199003071234");
    idcard_ok("  440524188001010014 ", "440524188001010014"); /* surrounding spaces */
}

static void test_idcard_lowercase_x(void **state)
{
    (void)state;
    idcard_ok("11010519491231002x", "11010519491231002X");
}

static void test_idcard_aliasing(void **state)
{
    (void)state;
    char buf[19] = "11010519491231002x";
    assert_int_equal(ident_idcard_check(buf, buf, NULL), 0);
    assert_string_equal(buf, "11010519491231002X");
}

static void test_idcard_wrong_check(void **state)
{
    (void)state;
    idcard_bad("110105194912310021", "expected 'X'");
    idcard_bad("440524188001010015", "expected '4'");
    idcard_bad("44052418800101001X", "expected '4'");
    idcard_bad("11010519491231002Y", "digit or X");
}

static void test_idcard_dates(void **state)
{
    (void)state;
    idcard_ok("110105202402290011", "110105202402290011"); /* 2024 is a leap year */
    idcard_ok("530111200002290043", "530111200002290043"); /* 2000 too (400 rule) */
    idcard_bad("110105194902300012", "date");              /* 30 February */
    idcard_bad("110105202302290014", "date");              /* 2023 is not leap */
    idcard_bad("110105190002290017", "date");              /* 1900 is not leap */
    idcard_bad("110105202413010011", "date");              /* month 13 */
    idcard_bad("110105202404000014", "date");              /* day 0 */
    idcard_bad("110105179912310016", "date");              /* before 1800 */
}

static void test_idcard_legacy15(void **state)
{
    (void)state;
    idcard_ok("110105491231002", "11010519491231002X");
    idcard_ok("440524800101001", "440524198001010013");
    idcard_bad("110105490230001", "date");
    idcard_bad("11010549123100X", "not a digit");
}

static void test_idcard_lengths(void **state)
{
    (void)state;
    idcard_bad("", "got 0");
    idcard_bad(NULL, "got 0");
    idcard_bad("11010519491231002", "got 17");
    idcard_bad("11010519491231002X1", "got 19");
    idcard_bad("1101051949123100", "got 16");
    idcard_bad("1101051949123100AX", "character 17 is not a digit");
    idcard_bad("A1010519491231002X", "character 1 is not a digit");
}

/* ---- phone -------------------------------------------------------------- */

static void phone_ok(const char *in, const char *want)
{
    char out[IDENT_PHONE_SIZE] = "untouched";
    struct err e = {0};
    assert_int_equal(ident_phone_check(in, out, sizeof out, &e), 0);
    assert_string_equal(out, want);
}

static void phone_bad(const char *in)
{
    char out[IDENT_PHONE_SIZE] = "untouched";
    struct err e = {0};
    assert_int_equal(ident_phone_check(in, out, sizeof out, &e), ERR_INVALID);
    assert_string_equal(e.field, "phone");
    assert_true(e.msg[0] != '\0');
    assert_string_equal(out, "untouched");
}

static void test_phone_mobile(void **state)
{
    (void)state;
    phone_ok("13800138000", "13800138000");
    phone_ok("19912345678", "19912345678");
    phone_ok("+86 138 0013 8000", "13800138000");
    phone_ok("+8613800138000", "13800138000");
    phone_ok("8613800138000", "13800138000");
    phone_ok("0086-138-0013-8000", "13800138000");
    phone_ok(" 138-0013-8000 ", "13800138000");
}

static void test_phone_mobile_bad(void **state)
{
    (void)state;
    phone_bad("138001380001");      /* 12 digits */
    phone_bad("1380013800");        /* 10 digits */
    phone_bad("12012345678");       /* starts with 12 */
    phone_bad("10012345678");       /* starts with 10 */
    phone_bad("+8612012345678");    /* prefixed, still 12 */
    phone_bad("+86 0871 67321111"); /* +86 is for mobiles only */
    phone_bad("1380013800a");
    phone_bad("");
    phone_bad(NULL);
    phone_bad("abc");
    phone_bad("+1 415 555 0100");
}

static void test_phone_fixed(void **state)
{
    (void)state;
    phone_ok("0871-67321111", "0871-67321111");
    phone_ok("087167321111", "0871-67321111");
    phone_ok("0871 6732111", "0871-6732111"); /* 7-digit local number */
    phone_ok("010-62345678", "010-62345678");
    phone_ok("01062345678", "010-62345678");
    phone_ok("021 5234 5678", "021-52345678");
    phone_bad("0871-1234");      /* local too short */
    phone_bad("0871-673211112"); /* local too long */
    phone_bad("0871-07321111");  /* local starts with 0 */
    phone_bad("0871-17321111");  /* local starts with 1 */
}

static void test_phone_small_buffer(void **state)
{
    (void)state;
    char out[12];
    struct err e = {0};
    assert_int_equal(ident_phone_check("13800138000", out, 11, &e), ERR_INTERNAL);
    assert_int_equal(e.code, ERR_INTERNAL);
    assert_int_equal(ident_phone_check("13800138000", out, 12, NULL), 0);
    assert_string_equal(out, "13800138000");
    assert_int_equal(ident_phone_check("0871-67321111", out, 12, NULL), ERR_INTERNAL);
}

/* ---- USCC --------------------------------------------------------------- */

static void uscc_bad(const char *in, const char *part)
{
    char out[19] = "untouched";
    struct err e = {0};
    assert_int_equal(ident_uscc_check(in, out, &e), ERR_INVALID);
    assert_string_equal(e.field, "uscc");
    assert_contains(e.msg, part);
    assert_string_equal(out, "untouched");
}

static void test_uscc_valid(void **state)
{
    (void)state;
    char out[19];
    struct err e = {0};
    /* GB 32100 explainer: sum 1640, 1640 mod 31 = 28, 31 - 28 = 3 */
    assert_int_equal(ident_uscc_check("91350100M000100Y43", out, &e), 0);
    assert_string_equal(out, "91350100M000100Y43");
    assert_int_equal(ident_uscc_check(" 91350100m000100y43 ", out, &e), 0);
    assert_string_equal(out, "91350100M000100Y43");
    assert_int_equal(ident_uscc_check("91530111MA6K00000X", out, &e), 0);
    assert_string_equal(out, "91530111MA6K00000X");
    assert_int_equal(ident_uscc_check("125301110151234561", out, &e), 0);
    /* sum mod 31 = 0: 31 - 0 = 31 becomes check character '0' */
    assert_int_equal(ident_uscc_check("91530111MA6K006000", out, &e), 0);
    assert_string_equal(out, "91530111MA6K006000");
    assert_int_equal(e.code, 0);
}

static void test_uscc_invalid(void **state)
{
    (void)state;
    uscc_bad("91350100M000100Y44", "expected '3'");
    uscc_bad("91350100M000100Y4", "got 17");
    uscc_bad("", "got 0");
    uscc_bad("91350100M000100Y4#", "character 18");
    uscc_bad("9135010-M000100Y43", "character 8");
}

static void test_uscc_forbidden_letters(void **state)
{
    (void)state;
    static const char *const forbidden = "IOZSVioz";
    for (const char *p = forbidden; *p; p++) {
        char code[19] = "91350100M000100Y43";
        code[8] = *p;
        uscc_bad(code, "character 9");
        uscc_bad(code, "never used");
    }
}

/* ---- masking ------------------------------------------------------------ */

static void mask_phone_is(const char *in, const char *want)
{
    char out[64];
    memset(out, 'Q', sizeof out);
    ident_mask_phone(in, out, sizeof out);
    assert_string_equal(out, want);
}

static void test_mask_phone(void **state)
{
    (void)state;
    mask_phone_is("13800138000", "138****8000");
    mask_phone_is("+86 138 0013 1234", "138****1234");
    mask_phone_is("0871-67321111", "0871-******11");
    mask_phone_is("01062345678", "010-******78");
    mask_phone_is("12345", "1***5");
    mask_phone_is("号码未知", "号**知");
    mask_phone_is("ab", "**");
    mask_phone_is("", "");
    mask_phone_is(NULL, "");
}

static void test_mask_idcard(void **state)
{
    (void)state;
    char out[64];
    ident_mask_idcard("11010519491231002X", out, sizeof out);
    assert_string_equal(out, "110105********002X");
    ident_mask_idcard("110105491231002", out, sizeof out);
    assert_string_equal(out, "110105*****1002");
    ident_mask_idcard("12345", out, sizeof out);
    assert_string_equal(out, "1***5");
    ident_mask_idcard(NULL, out, sizeof out);
    assert_string_equal(out, "");
}

static void test_mask_truncates(void **state)
{
    (void)state;
    char out[8];
    memset(out, 'Q', sizeof out);
    ident_mask_idcard("11010519491231002X", out, sizeof out);
    assert_string_equal(out, "110105*");
    ident_mask_phone("号码未知", out, 4); /* never splits a UTF-8 character */
    assert_string_equal(out, "号");
    ident_mask_phone("号码未知", out, 3);
    assert_string_equal(out, "");
    out[0] = 'Q';
    ident_mask_phone("13800138000", out, 0); /* n = 0 writes nothing */
    assert_int_equal(out[0], 'Q');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idcard_valid),       cmocka_unit_test(test_idcard_lowercase_x),
        cmocka_unit_test(test_idcard_aliasing),    cmocka_unit_test(test_idcard_wrong_check),
        cmocka_unit_test(test_idcard_dates),       cmocka_unit_test(test_idcard_legacy15),
        cmocka_unit_test(test_idcard_lengths),     cmocka_unit_test(test_phone_mobile),
        cmocka_unit_test(test_phone_mobile_bad),   cmocka_unit_test(test_phone_fixed),
        cmocka_unit_test(test_phone_small_buffer), cmocka_unit_test(test_uscc_valid),
        cmocka_unit_test(test_uscc_invalid),       cmocka_unit_test(test_uscc_forbidden_letters),
        cmocka_unit_test(test_mask_phone),         cmocka_unit_test(test_mask_idcard),
        cmocka_unit_test(test_mask_truncates),
    };
    return cmocka_run_group_tests_name("ident", tests, NULL, NULL);
}
