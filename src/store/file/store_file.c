/* store_files.c - uploaded files (007_files.sql): content-addressed blobs. */
#include <assert.h>
#include <string.h>
#include "store/store_int.h"
#include "store_file.h"

STORE_Q(q_file_insert, "INSERT OR IGNORE INTO files(id, type, size, data, created_at, created_by) "
                       "VALUES (?, ?, ?, ?, ?, ?)");
STORE_Q(q_file_get, "SELECT id, type, size, created_at, created_by, data FROM files WHERE id = ?");

int store_file_put(struct store *s, const struct store_file *f, int *created, struct err *e)
{
    assert(f->size > 0 && f->data != NULL);
    int rc = store__run(s, &q_file_insert, e, "ssibiI", f->id, f->type, f->size,
                        (const void *)f->data, (size_t)f->size, f->created_at, f->created_by);
    if (rc == 0 && created)
        *created = s->drv->changes(store__tconn(s, e)->conn) > 0;
    return rc;
}

/* Copies the row into the store_file at arg; its bytes into a new xmalloc'd
 * buffer. */
static int row_file(struct store *s, struct store_stmt *st, void *arg)
{
    struct store_file *f = arg;
    size_t n;
    const void *p = s->drv->col_blob(st, 5, &n);
    COL_COPY(s, st, 0, f->id);
    COL_COPY(s, st, 1, f->type);
    f->created_at = COL_I64(s, st, 3);
    f->created_by = COL_I64(s, st, 4);
    f->size = (int64_t)n;
    f->data = xmalloc(n + 1); /* + 1: never a zero-sized allocation */
    if (n)
        memcpy(f->data, p, n);
    return 1;
}

int store_file_get(struct store *s, const char *id, struct store_file *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    int rc = store__query(s, &q_file_get, e, row_file, out, "s", id);
    if (rc) {
        xfree(out->data);
        out->data = NULL;
        return rc;
    }
    if (out->data == NULL)
        return err_set(e, ERR_NOTFOUND, "id", "no file %s", id);
    return 0;
}
