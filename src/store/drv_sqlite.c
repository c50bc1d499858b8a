/* drv_sqlite.c - the SQLite backend of the store driver table. */
#include <sqlite3.h>
#include <string.h>
#include "store_int.h"

struct store_conn {
    sqlite3 *db; /* the connection */
};

struct store_stmt {
    sqlite3_stmt *st; /* the prepared statement */
    sqlite3 *db;      /* its connection, for error messages */
};

static int sq_err(sqlite3 *db, int rc, struct err *e)
{
    int code = ERR_STORE;
    int prim = rc & 0xff;
    if (prim == SQLITE_CONSTRAINT)
        code = ERR_CONFLICT;
    else if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
        code = ERR_AGAIN;
    return err_set(e, code, NULL, "database: %s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

/* Connection settings: WAL for concurrent readers, FULL sync so that a
 * committed write is on disk, a busy timeout for the rare writer overlap
 * (CLI next to a server), and the database file read through a shared
 * memory map (up to 4 GiB) rather than a read call per page missing from
 * the connection's own cache: every connection then shares the OS's page
 * cache at memory speed. */
static const char sq_pragmas[] = "PRAGMA journal_mode=WAL;"
                                 "PRAGMA synchronous=FULL;"
                                 "PRAGMA foreign_keys=ON;"
                                 "PRAGMA busy_timeout=10000;"
                                 "PRAGMA cache_size=-16000;"
                                 "PRAGMA mmap_size=4294967296;";

static int sq_exec(struct store_conn *c, const char *sql, struct err *e)
{
    char *msg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int code = (rc & 0xff) == SQLITE_CONSTRAINT ? ERR_CONFLICT : ERR_STORE;
        err_set(e, code, NULL, "database: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return code;
    }
    return 0;
}

static int sq_open(const char *path, int flags, struct store_conn **out, struct err *e)
{
    int oflags = SQLITE_OPEN_NOMUTEX;
    sqlite3 *db = NULL;
    oflags |= (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (flags & STORE_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &db, oflags, NULL);
    if (rc != SQLITE_OK) {
        int code = (rc == SQLITE_CANTOPEN && !(flags & STORE_CREATE)) ? ERR_NOTFOUND : ERR_STORE;
        err_set(e, code, "db", "cannot open database %s: %s", path,
                db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return code;
    }
    struct store_conn *c = xcalloc(1, sizeof *c);
    c->db = db;
    if (!(flags & STORE_READONLY) && sq_exec(c, sq_pragmas, e)) {
        sqlite3_close(db);
        xfree(c);
        return ERR_STORE;
    }
    *out = c;
    return 0;
}

static void sq_close(struct store_conn *c)
{
    if (c) {
        sqlite3_close(c->db);
        xfree(c);
    }
}

static int sq_prepare(struct store_conn *c, const char *sql, struct store_stmt **out, struct err *e)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK)
        return sq_err(c->db, rc, e);
    *out = xcalloc(1, sizeof **out);
    (*out)->st = st;
    (*out)->db = c->db;
    return 0;
}

static void sq_finalize(struct store_stmt *st)
{
    if (st) {
        sqlite3_finalize(st->st);
        xfree(st);
    }
}

static void sq_reset(struct store_stmt *st)
{
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
}

static int sq_bind_i64(struct store_stmt *st, int i, int64_t v)
{
    return sqlite3_bind_int64(st->st, i, v) == SQLITE_OK ? 0 : ERR_STORE;
}

static int sq_bind_double(struct store_stmt *st, int i, double v)
{
    return sqlite3_bind_double(st->st, i, v) == SQLITE_OK ? 0 : ERR_STORE;
}

static int sq_bind_text(struct store_stmt *st, int i, const char *v)
{
    int rc =
        v ? sqlite3_bind_text(st->st, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st->st, i);
    return rc == SQLITE_OK ? 0 : ERR_STORE;
}

static int sq_bind_null(struct store_stmt *st, int i)
{
    return sqlite3_bind_null(st->st, i) == SQLITE_OK ? 0 : ERR_STORE;
}

static int sq_step(struct store_stmt *st, struct err *e)
{
    int rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW)
        return STORE_ROW;
    if (rc == SQLITE_DONE)
        return STORE_DONE;
    int code = sq_err(st->db, sqlite3_extended_errcode(st->db), e);
    sqlite3_reset(st->st);
    return code;
}

static int64_t sq_col_i64(struct store_stmt *st, int i)
{
    return sqlite3_column_int64(st->st, i);
}

static double sq_col_double(struct store_stmt *st, int i)
{
    return sqlite3_column_double(st->st, i);
}

static int sq_bind_blob(struct store_stmt *st, int i, const void *v, size_t n)
{
    int rc = sqlite3_bind_blob64(st->st, i, v, (sqlite3_uint64)n, SQLITE_TRANSIENT);
    return rc == SQLITE_OK ? 0 : ERR_STORE;
}

static const void *sq_col_blob(struct store_stmt *st, int i, size_t *n)
{
    const void *p = sqlite3_column_blob(st->st, i);
    *n = p ? (size_t)sqlite3_column_bytes(st->st, i) : 0;
    return p;
}

static const char *sq_col_text(struct store_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st->st, i);
    return t ? (const char *)t : "";
}

static int sq_col_is_null(struct store_stmt *st, int i)
{
    return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}

static int64_t sq_last_id(struct store_conn *c)
{
    return sqlite3_last_insert_rowid(c->db);
}

static int sq_in_tx(struct store_conn *c)
{
    return !sqlite3_get_autocommit(c->db);
}

static int sq_tx_wrote(struct store_conn *c)
{
    return sqlite3_txn_state(c->db, NULL) == SQLITE_TXN_WRITE;
}

static const char *sq_wal_path(struct store_conn *c)
{
    const char *db = sqlite3_db_filename(c->db, "main");
    return db && *db ? sqlite3_filename_wal(db) : NULL;
}

static int sq_readonly(struct store_stmt *st)
{
    return sqlite3_stmt_readonly(st->st);
}

static int sq_changes(struct store_conn *c)
{
    return sqlite3_changes(c->db);
}

const struct store_driver store_drv_sqlite = {
    .version = 1,
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .bind_i64 = sq_bind_i64,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_i64 = sq_col_i64,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .col_is_null = sq_col_is_null,
    .last_id = sq_last_id,
    .changes = sq_changes,
    .in_tx = sq_in_tx,
    .schema_dir = "src/store/schema/sqlite/",
    .bind_blob = sq_bind_blob,
    .col_blob = sq_col_blob,
    .readonly = sq_readonly,
    .tx_wrote = sq_tx_wrote,
    .wal_path = sq_wal_path,
};
