/* store_user.c - users, sessions and API keys. */
#include <string.h>
#include "store/store_int.h"
#include "store_auth.h"

#define USER_COLS                                                                                  \
    "id, username, name, role, unit_id, grid, phone, id_card, pw_hash, created_at, disabled"
STORE_Q(q_user_insert, "INSERT INTO users(username, name, role, unit_id, grid, phone, id_card, "
                       "pw_hash, created_at, disabled) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
STORE_Q(q_user_update, "UPDATE users SET name = ?, role = ?, unit_id = ?, grid = ?, phone = ?, "
                       "id_card = ?, pw_hash = ?, disabled = ? WHERE id = ?");
STORE_Q(q_user_get, "SELECT " USER_COLS " FROM users WHERE id = ?");
STORE_Q(q_user_by_name, "SELECT " USER_COLS " FROM users WHERE username = ?");
STORE_Q(q_user_all, "SELECT " USER_COLS " FROM users ORDER BY id");

static void user_from_row(struct store *s, struct store_stmt *st, struct store_user *u)
{
    u->id = COL_I64(s, st, 0);
    COL_COPY(s, st, 1, u->username);
    COL_COPY(s, st, 2, u->name);
    COL_COPY(s, st, 3, u->role);
    u->unit_id = COL_I64(s, st, 4);
    COL_COPY(s, st, 5, u->grid);
    COL_COPY(s, st, 6, u->phone);
    COL_COPY(s, st, 7, u->id_card);
    COL_COPY(s, st, 8, u->pw_hash);
    u->created_at = COL_I64(s, st, 9);
    u->disabled = (int)COL_I64(s, st, 10);
}

static int job_user_insert(struct store *s, void *arg, struct err *e)
{
    struct store_user *u = arg;
    struct err local = {0}; /* e may be NULL, and an earlier error in it is kept */
    int rc = store__run(s, &q_user_insert, &local, "sssIssssii", u->username, u->name, u->role,
                        u->unit_id, u->grid, u->phone, u->id_card, u->pw_hash, u->created_at,
                        (int64_t)u->disabled);
    if (rc == ERR_CONFLICT) { /* a constraint: the name taken, or another rule of the row */
        struct store_user other;
        struct err e2 = {0};
        if (store_user_by_name(s, u->username, &other, &e2) == 0)
            return err_set(e, ERR_CONFLICT, "username", "username '%s' is taken", u->username);
        return err_set(e, ERR_INVALID, NULL, "the account breaks a rule of the store: %s",
                       local.msg);
    }
    if (rc)
        return err_set(e, rc, NULL, "%s", local.msg);
    u->id = s->drv->last_id(store__tconn(s, e)->conn);
    return 0;
}

int store_user_insert(struct store *s, struct store_user *u, struct err *e)
{
    return store_write(s, job_user_insert, u, e);
}

static int job_user_update(struct store *s, void *arg, struct err *e)
{
    const struct store_user *u = arg;
    return store__run(s, &q_user_update, e, "ssIssssii", u->name, u->role, u->unit_id, u->grid,
                      u->phone, u->id_card, u->pw_hash, (int64_t)u->disabled, u->id);
}

int store_user_update(struct store *s, const struct store_user *u, struct err *e)
{
    return store_write(s, job_user_update, (void *)u, e);
}

struct one_user {
    struct store_user *u; /* destination */
    int found;            /* set when a row was seen */
};

static int row_one_user(struct store *s, struct store_stmt *st, void *arg)
{
    struct one_user *o = arg;
    user_from_row(s, st, o->u);
    o->found = 1;
    return 1;
}

int store_user_get(struct store *s, int64_t id, struct store_user *out, struct err *e)
{
    struct one_user o = {out, 0};
    int rc = store__query(s, &q_user_get, e, row_one_user, &o, "i", id);
    if (rc)
        return rc;
    return o.found ? 0 : err_set(e, ERR_NOTFOUND, "user", "no user with id %lld", (long long)id);
}

int store_user_by_name(struct store *s, const char *username, struct store_user *out, struct err *e)
{
    struct one_user o = {out, 0};
    int rc = store__query(s, &q_user_by_name, e, row_one_user, &o, "s", username);
    if (rc)
        return rc;
    return o.found ? 0 : err_set(e, ERR_NOTFOUND, "user", "no user '%s'", username);
}

struct user_visit {
    int (*fn)(void *arg, const struct store_user *u);
    void *arg;
};

static int row_user_visit(struct store *s, struct store_stmt *st, void *arg)
{
    struct user_visit *v = arg;
    struct store_user u;
    user_from_row(s, st, &u);
    return v->fn(v->arg, &u);
}

int store_user_each(struct store *s, int (*fn)(void *arg, const struct store_user *u), void *arg,
                    struct err *e)
{
    struct user_visit v = {fn, arg};
    return store__query(s, &q_user_all, e, row_user_visit, &v, "");
}

/* ---- credentials ------------------------------------------------------------- */

#define CRED_COLS "id, kind, hash, name, user_id, created_at, expires_at, revoked"
STORE_Q(q_cred_insert, "INSERT INTO creds(kind, hash, name, user_id, created_at, expires_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)");
STORE_Q(q_cred_by_hash, "SELECT " CRED_COLS " FROM creds WHERE hash = ?");
STORE_Q(q_cred_revoke, "UPDATE creds SET revoked = 1 WHERE hash = ?");
STORE_Q(q_cred_kind, "SELECT " CRED_COLS " FROM creds WHERE kind = ? ORDER BY id");

static void cred_from_row(struct store *s, struct store_stmt *st, struct store_cred *c)
{
    c->id = COL_I64(s, st, 0);
    COL_COPY(s, st, 1, c->kind);
    COL_COPY(s, st, 2, c->hash);
    COL_COPY(s, st, 3, c->name);
    c->user_id = COL_I64(s, st, 4);
    c->created_at = COL_I64(s, st, 5);
    c->expires_at = COL_I64(s, st, 6);
    c->revoked = (int)COL_I64(s, st, 7);
}

static int job_cred_insert(struct store *s, void *arg, struct err *e)
{
    struct store_cred *c = arg;
    int rc = store__run(s, &q_cred_insert, e, "sssiii", c->kind, c->hash, c->name, c->user_id,
                        c->created_at, c->expires_at);
    if (rc == 0)
        c->id = s->drv->last_id(store__tconn(s, e)->conn);
    return rc;
}

int store_cred_insert(struct store *s, struct store_cred *c, struct err *e)
{
    return store_write(s, job_cred_insert, c, e);
}

struct one_cred {
    struct store_cred *c; /* destination */
    int found;            /* set when a row was seen */
};

static int row_one_cred(struct store *s, struct store_stmt *st, void *arg)
{
    struct one_cred *o = arg;
    cred_from_row(s, st, o->c);
    o->found = 1;
    return 1;
}

int store_cred_by_hash(struct store *s, const char *hash, struct store_cred *out, struct err *e)
{
    struct one_cred o = {out, 0};
    int rc = store__query(s, &q_cred_by_hash, e, row_one_cred, &o, "s", hash);
    if (rc)
        return rc;
    return o.found ? 0 : err_set(e, ERR_NOTFOUND, NULL, "unknown credential");
}

static int job_cred_revoke(struct store *s, void *arg, struct err *e)
{
    return store__run(s, &q_cred_revoke, e, "s", (const char *)arg);
}

int store_cred_revoke(struct store *s, const char *hash, struct err *e)
{
    return store_write(s, job_cred_revoke, (void *)hash, e);
}

struct cred_visit {
    int (*fn)(void *arg, const struct store_cred *c);
    void *arg;
};

static int row_cred_visit(struct store *s, struct store_stmt *st, void *arg)
{
    struct cred_visit *v = arg;
    struct store_cred c;
    cred_from_row(s, st, &c);
    return v->fn(v->arg, &c);
}

int store_cred_each(struct store *s, const char *kind,
                    int (*fn)(void *arg, const struct store_cred *c), void *arg, struct err *e)
{
    struct cred_visit v = {fn, arg};
    return store__query(s, &q_cred_kind, e, row_cred_visit, &v, "s", kind);
}
