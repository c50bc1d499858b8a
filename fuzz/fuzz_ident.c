/* fuzz_ident.c - Chinese identifiers (src/domain/ident/ident.c): resident
 * ID card numbers (GB 11643), unified social credit codes (GB 32100), phone
 * numbers, and the masks lists and exports show. The input is one string
 * (up to its first NUL), given to every function.
 *
 * Invariants: a normalised number validates again to itself, also when the
 * output aliases the input; a refusal names its field in a UTF-8 message
 * and writes nothing; a phone number needs exactly the room it takes; a
 * mask fits any buffer, keeps the documented characters of a valid number,
 * is the same for a number and its normalised form, and is UTF-8 when the
 * input is. */
#include <string.h>
#include "fuzz.h"
#include "domain/ident/ident.h"

/* A refusal: ERR_INVALID naming field, a UTF-8 message. */
static void check_refusal(int rc, const struct err *e, const char *field)
{
    FUZZ_CHECK(rc == ERR_INVALID && e->code == ERR_INVALID);
    FUZZ_CHECK(strcmp(e->field, field) == 0);
    FUZZ_CHECK(e->msg[0] && utf8_valid(e->msg, strlen(e->msg)));
}

/* 1 if c is one of the characters a check function skips around input. */
static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The input without surrounding white space, upper-cased, in out (n). */
static void trim_upper(const char *s, char *out, size_t n)
{
    while (is_space((unsigned char)*s))
        s++;
    size_t len = strlen(s);
    while (len > 0 && is_space((unsigned char)s[len - 1]))
        len--;
    len = len < n - 1 ? len : n - 1;
    for (size_t i = 0; i < len; i++)
        out[i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i];
    out[len] = '\0';
}

static void check_idcard(const char *in)
{
    char out[19], again[19], alias[80], mask[32];
    struct err e = {0};
    memset(out, '#', sizeof out);
    int rc = ident_idcard_check(in, out, &e);
    str_copy(alias, sizeof alias, in); /* the output may alias the input */
    int rc2 = strlen(in) < sizeof alias ? ident_idcard_check(alias, alias, NULL) : rc;
    FUZZ_CHECK(rc2 == rc);
    if (rc) {
        check_refusal(rc, &e, "id_card");
        FUZZ_CHECK(out[0] == '#'); /* nothing written */
        return;
    }
    FUZZ_CHECK(strlen(out) == 18 && strspn(out, "0123456789") >= 17);
    FUZZ_CHECK(out[17] == 'X' || (out[17] >= '0' && out[17] <= '9'));
    FUZZ_CHECK(strlen(in) >= sizeof alias || strcmp(alias, out) == 0);
    FUZZ_CHECK(ident_idcard_check(out, again, NULL) == 0 && strcmp(again, out) == 0);
    ident_mask_idcard(out, mask, sizeof mask);
    FUZZ_CHECK(strlen(mask) == 18 && memcmp(mask, out, 6) == 0 &&
               memcmp(mask + 14, out + 14, 4) == 0);
    FUZZ_CHECK(strspn(mask + 6, "*") == 8);
}

static void check_uscc(const char *in)
{
    char out[19], again[19], alias[80], want[80];
    struct err e = {0};
    memset(out, '#', sizeof out);
    int rc = ident_uscc_check(in, out, &e);
    str_copy(alias, sizeof alias, in);
    int rc2 = strlen(in) < sizeof alias ? ident_uscc_check(alias, alias, NULL) : rc;
    FUZZ_CHECK(rc2 == rc);
    if (rc) {
        check_refusal(rc, &e, "uscc");
        FUZZ_CHECK(out[0] == '#');
        return;
    }
    trim_upper(in, want, sizeof want);
    FUZZ_CHECK(strlen(out) == 18 && strcmp(out, want) == 0);
    FUZZ_CHECK(strspn(out, "0123456789ABCDEFGHJKLMNPQRTUWXY") == 18);
    FUZZ_CHECK(ident_uscc_check(out, again, NULL) == 0 && strcmp(again, out) == 0);
}

/* The phone number's normalised form needs exactly its own room. */
static void check_phone_room(const char *in, const char *norm)
{
    size_t need = strlen(norm) + 1;
    char *tight = xmalloc(need), *small = xmalloc(need - 1);
    struct err e = {0};
    FUZZ_CHECK(ident_phone_check(in, tight, need, NULL) == 0 && strcmp(tight, norm) == 0);
    memset(small, '#', need - 1);
    FUZZ_CHECK(ident_phone_check(in, small, need - 1, &e) == ERR_INTERNAL);
    FUZZ_CHECK(small[0] == '#');
    xfree(tight);
    xfree(small);
}

static void check_phone(const char *in)
{
    char out[IDENT_PHONE_SIZE], again[IDENT_PHONE_SIZE], m1[64], m2[64];
    struct err e = {0};
    memset(out, '#', sizeof out);
    int rc = ident_phone_check(in, out, sizeof out, &e);
    if (rc) {
        check_refusal(rc, &e, "phone");
        FUZZ_CHECK(out[0] == '#');
        return;
    }
    size_t len = strlen(out);
    const char *dash = strchr(out, '-');
    FUZZ_CHECK(dash ? (len == 11 || len == 12 || len == 13) && out[0] == '0' : len == 11);
    FUZZ_CHECK(ident_phone_check(out, again, sizeof again, NULL) == 0 && strcmp(again, out) == 0);
    check_phone_room(in, out);
    ident_mask_phone(in, m1, sizeof m1);
    ident_mask_phone(out, m2, sizeof m2);
    FUZZ_CHECK(strcmp(m1, m2) == 0 && strlen(m1) == len);
    if (dash) /* area code and the last 2 kept */
        FUZZ_CHECK(memcmp(m1, out, (size_t)(dash - out) + 1) == 0 &&
                   strcmp(m1 + len - 2, out + len - 2) == 0);
    else /* the first 3 and the last 4 kept */
        FUZZ_CHECK(memcmp(m1, out, 3) == 0 && strspn(m1 + 3, "*") == 4 &&
                   strcmp(m1 + 7, out + 7) == 0);
}

/* A mask into a buffer of exactly n bytes (heap: overruns are caught). */
static void check_mask(const char *in, size_t n, int idcard)
{
    char *out = xmalloc(n ? n : 1);
    if (idcard)
        ident_mask_idcard(in, out, n);
    else
        ident_mask_phone(in, out, n);
    if (n > 0) {
        FUZZ_CHECK(memchr(out, '\0', n) != NULL);
        FUZZ_CHECK(!utf8_valid(in, strlen(in)) || utf8_valid(out, strlen(out)));
    }
    xfree(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t sizes[] = {0, 1, 2, 3, 5, 8, 12, 14, 16, 19, 64, 4096};
    char *in = fuzz_strndup(data, size);
    check_idcard(in);
    check_uscc(in);
    check_phone(in);
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        check_mask(in, sizes[i], 0);
        check_mask(in, sizes[i], 1);
    }
    ident_mask_phone(NULL, (char[4]){0}, 4); /* NULL is "" */
    xfree(in);
    return 0;
}
