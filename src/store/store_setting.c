/* store_setting.c - settings: small key/value configuration. */
#include <string.h>
#include "store_int.h"

STORE_Q(q_setting_get, "SELECT value FROM settings WHERE key = ?");
STORE_Q(q_setting_set, "INSERT INTO settings(key, value) VALUES (?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value");

struct copy_arg {
    char *out; /* destination */
    size_t n;  /* its size */
    int found; /* set when a row was seen */
};

static int row_copy_text(struct store *s, struct store_stmt *st, void *arg)
{
    struct copy_arg *c = arg;
    str_copy(c->out, c->n, COL_TEXT(s, st, 0));
    c->found = 1;
    return 1;
}

int store_setting_get(struct store *s, const char *key, char *out, size_t n, struct err *e)
{
    struct copy_arg c = {out, n, 0};
    int rc = store__query(s, &q_setting_get, e, row_copy_text, &c, "s", key);
    if (rc)
        return rc;
    return c.found ? 0 : ERR_NOTFOUND;
}

struct kv {
    const char *k, *v;
};

static int job_setting_set(struct store *s, void *arg, struct err *e)
{
    struct kv *kv = arg;
    return store__run(s, &q_setting_set, e, "ss", kv->k, kv->v);
}

int store_setting_set(struct store *s, const char *key, const char *value, struct err *e)
{
    struct kv kv = {key, value};
    return store_write(s, job_setting_set, &kv, e);
}
