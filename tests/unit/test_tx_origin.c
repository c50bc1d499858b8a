/*
 * test_tx_origin.c - transactions remember where they were begun (the
 * caller of store_write / store_read) and a transaction found left open is
 * rolled back and reported with that place. White-box: it uses the store's
 * internals (store_int.h) to leave a transaction open behind its back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "store/store_int.h"

struct fx {
    char dir[64];     /* temporary directory */
    char path[96];    /* its database */
    struct store *s;  /* opened without group commit */
    const char *file; /* seen inside a job: where its transaction began */
    int line;         /* and the line */
};

static int setup(void **state)
{
    struct fx *f = xcalloc(1, sizeof *f);
    struct err e = {0};
    str_copy(f->dir, sizeof f->dir, "/tmp/cs-tx-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s, &e), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[160];
    store_close(f->s);
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    xfree(f);
    return 0;
}

/* Notes where the running transaction began. */
static int note_origin(struct store *s, void *arg, struct err *e)
{
    struct fx *f = arg;
    struct store_tconn *t = store__tconn(s, e);
    f->file = t->tx_file;
    f->line = t->tx_line;
    return 0;
}

/* Both doors record their caller, not a line of the store. */
static void test_origin_is_the_caller(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    int line = __LINE__ + 1;
    assert_int_equal(store_read(f->s, note_origin, f, &e), 0);
    assert_string_equal(f->file, __FILE__);
    assert_int_equal(f->line, line);
    line = __LINE__ + 1;
    assert_int_equal(store_write(f->s, note_origin, f, &e), 0);
    assert_string_equal(f->file, __FILE__);
    assert_int_equal(f->line, line);
    assert_int_equal(store_left_open(f->s), 0);
}

static int nothing(struct store *s, void *arg, struct err *e)
{
    (void)s, (void)arg, (void)e;
    return 0;
}

/* Runs store_read with stderr in a file; returns what was printed (heap). */
static char *read_capturing(struct fx *f)
{
    char tmp[128];
    struct err e = {0};
    snprintf(tmp, sizeof tmp, "%s/stderr", f->dir);
    fflush(stderr);
    int saved = dup(2);
    FILE *out = fopen(tmp, "w+");
    assert_non_null(out);
    dup2(fileno(out), 2);
    assert_int_equal(store_read(f->s, nothing, NULL, &e), 0);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char *text = xcalloc(1, 1024);
    rewind(out);
    size_t n = fread(text, 1, 1023, out);
    text[n] = '\0';
    fclose(out);
    return text;
}

/* A transaction begun behind the store's back is found at the next one:
 * rolled back, counted, and reported with the place of the last
 * transaction the store began. */
static void test_left_open_is_reported(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    int line = __LINE__ + 1;
    assert_int_equal(store_read(f->s, nothing, NULL, &e), 0);
    struct store_tconn *t = store__tconn(f->s, &e);
    assert_int_equal(f->s->drv->exec(t->conn, "BEGIN", &e), 0); /* left open */
    assert_true(f->s->drv->in_tx(t->conn));
    char *msg = read_capturing(f);
    char want[160];
    snprintf(want, sizeof want, "%s:%d", __FILE__, line);
    if (strstr(msg, "left open") == NULL || strstr(msg, want) == NULL)
        fail_msg("the report should say it was left open and name %s: %s", want, msg);
    xfree(msg);
    assert_int_equal(store_left_open(f->s), 1);
    assert_false(f->s->drv->in_tx(t->conn)); /* rolled back, and the read ended */
    /* Nothing is reported when nothing is left open. */
    msg = read_capturing(f);
    assert_string_equal(msg, "");
    xfree(msg);
    assert_int_equal(store_left_open(f->s), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_origin_is_the_caller, setup, teardown),
        cmocka_unit_test_setup_teardown(test_left_open_is_reported, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
