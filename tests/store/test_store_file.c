/*
 * test_store_file.c - uploaded files (store_file.h): put keeps one row per
 * id (a second put of the same id changes nothing and says so), get returns
 * the very bytes (NULs included) in a buffer the caller frees, an unknown id
 * is ERR_NOTFOUND.
 */
#include "storetest.h"
#include "store/file/store_file.h"

/* Not a real SHA-256: the store does not hash, it keeps what it is given. */
#define ID_A "aaaa000000000000000000000000000000000000000000000000000000000001"
#define ID_B "bbbb000000000000000000000000000000000000000000000000000000000002"

struct put {
    struct store_file f; /* the file */
    int created;         /* what put said */
};

static int job_put(struct store *s, void *arg, struct err *e)
{
    struct put *p = arg;
    p->created = -1;
    return store_file_put(s, &p->f, &p->created, e);
}

static int put(struct stt *t, const char *id, const char *type, const char *bytes, size_t n,
               int64_t by)
{
    struct put p = {.f = {.size = (int64_t)n, .data = (char *)bytes, .created_at = STT_T0}};
    struct err e;
    str_copy(p.f.id, sizeof p.f.id, id);
    str_copy(p.f.type, sizeof p.f.type, type);
    p.f.created_by = by;
    STT_OK(e, store_write(t->s, job_put, &p, &e));
    return p.created;
}

static const char jpeg[] = "\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x02\0\0\xff\xd9";

static void test_file_put_get(void **state)
{
    struct stt *t = *state;
    int64_t user = stt_user(t, "uploader", "resident");
    struct store_file f;
    struct err e;
    assert_int_equal(put(t, ID_A, "image/jpeg", jpeg, sizeof jpeg - 1, user), 1);
    STT_OK(e, store_file_get(t->s, ID_A, &f, &e));
    assert_string_equal(f.id, ID_A);
    assert_string_equal(f.type, "image/jpeg");
    assert_int_equal(f.size, sizeof jpeg - 1);
    assert_non_null(f.data);
    assert_memory_equal(f.data, jpeg, sizeof jpeg - 1);
    assert_int_equal(f.created_at, STT_T0);
    assert_int_equal(f.created_by, user);
    xfree(f.data);
}

static void test_file_put_twice_keeps_the_first(void **state)
{
    struct stt *t = *state;
    int64_t first = stt_user(t, "first", "resident"), second = stt_user(t, "second", "resident");
    struct store_file f;
    struct err e;
    assert_int_equal(put(t, ID_A, "image/jpeg", jpeg, sizeof jpeg - 1, first), 1);
    /* The same id again, even with other fields: the stored row stays. */
    assert_int_equal(put(t, ID_A, "image/png", "other bytes", 11, second), 0);
    STT_OK(e, store_file_get(t->s, ID_A, &f, &e));
    assert_string_equal(f.type, "image/jpeg");
    assert_int_equal(f.size, sizeof jpeg - 1);
    assert_memory_equal(f.data, jpeg, sizeof jpeg - 1);
    assert_int_equal(f.created_by, first);
    xfree(f.data);
    /* Another id is another file; created_by 0 is the system. */
    assert_int_equal(put(t, ID_B, "image/webp", "RIFF\0\0\0\0WEBP", 12, 0), 1);
    STT_OK(e, store_file_get(t->s, ID_B, &f, &e));
    assert_int_equal(f.size, 12);
    assert_memory_equal(f.data, "RIFF\0\0\0\0WEBP", 12);
    assert_int_equal(f.created_by, 0);
    xfree(f.data);
}

static void test_file_get_unknown(void **state)
{
    struct stt *t = *state;
    struct store_file f;
    struct err e;
    STT_FAILS(e, ERR_NOTFOUND, store_file_get(t->s, ID_B, &f, &e));
    assert_int_equal(e.code, ERR_NOTFOUND);
    assert_string_equal(e.field, "id");
    assert_null(f.data); /* nothing to free */
}

static int job_put_then_fail(struct store *s, void *arg, struct err *e)
{
    int rc = job_put(s, arg, e);
    return rc ? rc : err_set(e, ERR_INVALID, NULL, "the upload was refused");
}

static void test_file_rolled_back_with_its_job(void **state)
{
    struct stt *t = *state;
    struct put p = {.f = {.size = 4, .data = (char *)"abcd", .created_at = STT_T0}};
    struct store_file f;
    struct err e;
    str_copy(p.f.id, sizeof p.f.id, ID_A);
    str_copy(p.f.type, sizeof p.f.type, "image/png");
    STT_FAILS(e, ERR_INVALID, store_write(t->s, job_put_then_fail, &p, &e));
    assert_int_equal(p.created, 1); /* it was added, then rolled back */
    STT_FAILS(e, ERR_NOTFOUND, store_file_get(t->s, ID_A, &f, &e));
    assert_int_equal(put(t, ID_A, "image/png", "abcd", 4, 0), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_file_put_get, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_file_put_twice_keeps_the_first, stt_setup,
                                        stt_teardown),
        cmocka_unit_test_setup_teardown(test_file_get_unknown, stt_setup, stt_teardown),
        cmocka_unit_test_setup_teardown(test_file_rolled_back_with_its_job, stt_setup,
                                        stt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
