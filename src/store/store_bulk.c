/* store_bulk.c - bulk loading: no waiting for the disk, and the secondary
 * indexes of the big tables rebuilt at the end instead of kept up to date
 * (see store_bulk_load in store.h). */
#include <string.h>
#include "store_int.h"

#define BULK_KEY "bulk_indexes"

STORE_Q(q_bulk_indexes, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT "
                        "NULL AND tbl_name IN ('cases', 'case_events') ORDER BY name");

struct index_list {
    struct buf create; /* "CREATE INDEX ...;" statements */
    struct buf drop;   /* "DROP INDEX ...;" statements */
};

static int row_index(struct store *s, struct store_stmt *st, void *arg)
{
    struct index_list *l = arg;
    buf_appendf(&l->drop, "DROP INDEX %s;\n", COL_TEXT(s, st, 0));
    buf_appendf(&l->create, "%s;\n", COL_TEXT(s, st, 1));
    return 0;
}

static int drop_job(struct store *s, void *arg, struct err *e)
{
    struct index_list *l = arg;
    char seen[8];
    struct err le = {0};
    if (store_setting_get(s, BULK_KEY, seen, sizeof seen, &le) == 0)
        return 0; /* already dropped by an earlier call */
    int rc = store__query(s, &q_bulk_indexes, e, row_index, l, "");
    if (rc == 0 && l->create.len > 0)
        rc = store_setting_set(s, BULK_KEY, l->create.data, e);
    if (rc == 0 && l->drop.len > 0)
        rc = s->drv->exec(store__tconn(s, e)->conn, l->drop.data, e);
    return rc;
}

struct rebuild {
    struct buf sql; /* the saved statements */
};

static int row_setting(struct store *s, struct store_stmt *st, void *arg)
{
    struct rebuild *r = arg;
    buf_append(&r->sql, COL_TEXT(s, st, 0), strlen(COL_TEXT(s, st, 0)));
    return 0;
}

STORE_Q(q_bulk_saved, "SELECT value FROM settings WHERE key = '" BULK_KEY "'");
STORE_Q(q_bulk_forget, "DELETE FROM settings WHERE key = '" BULK_KEY "'");

static int rebuild_job(struct store *s, void *arg, struct err *e)
{
    struct rebuild *r = arg;
    int rc = store__query(s, &q_bulk_saved, e, row_setting, r, "");
    if (rc || r->sql.len == 0)
        return rc;
    rc = s->drv->exec(store__tconn(s, e)->conn, r->sql.data, e);
    return rc ? rc : store__run(s, &q_bulk_forget, e, "");
}

static int rebuild(struct store *s, struct err *e)
{
    struct rebuild r;
    buf_init(&r.sql, 1 << 20);
    int rc = store__write_inline(s, rebuild_job, &r, e, __FILE__, __LINE__);
    buf_free(&r.sql);
    return rc;
}

int store__bulk_recover(struct store *s, struct err *e)
{
    return rebuild(s, e);
}

int store_bulk_load(struct store *s, int on, struct err *e)
{
    struct store_tconn *t = store__tconn(s, e);
    if (t == NULL)
        return e ? e->code : ERR_STORE;
    if (!on) {
        int rc = rebuild(s, e);
        int rc2 = s->drv->exec(t->conn, "PRAGMA synchronous=FULL; PRAGMA cache_size=-16000;", e);
        return rc ? rc : rc2;
    }
    int rc = s->drv->exec(t->conn, "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;", e);
    struct index_list l;
    buf_init(&l.create, 1 << 20);
    buf_init(&l.drop, 1 << 20);
    if (rc == 0)
        rc = store__write_inline(s, drop_job, &l, e, __FILE__, __LINE__);
    buf_free(&l.create);
    buf_free(&l.drop);
    return rc;
}
