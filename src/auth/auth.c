/* auth.c - users, passwords, sessions and API keys (see auth.h). */
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include "auth.h"
#include "domain/ident/ident.h"
#include "store/unit/store_unit.h"

int auth_init(void)
{
    return sodium_init() < 0 ? ERR_INTERNAL : 0;
}

/* ---- credential cache ------------------------------------------------------
 * Resolving a credential costs two queries; a request-heavy server resolves
 * the same few credentials again and again. Resolved credentials are kept
 * for AUTH_CACHE_TTL seconds (never past their own expiry). Revoking through
 * this process drops the entry at once; other changes to a user (role,
 * disabled) take effect within the TTL. */
#define AUTH_CACHE_SLOTS 1024
#define AUTH_CACHE_TTL   60

struct cache_slot {
    char hash[65];      /* credential hash, "" if empty */
    struct actor actor; /* what it resolves to */
    int64_t until;      /* instant after which the entry is stale */
};

static struct cache_slot cache[AUTH_CACHE_SLOTS];
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;

static struct cache_slot *cache_slot_of(const char *hash)
{
    unsigned v = 0;
    for (int i = 0; i < 8; i++)
        v = v * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
    return &cache[v % AUTH_CACHE_SLOTS];
}

static int cache_get(const char *hash, struct actor *out)
{
    int hit = 0;
    pthread_mutex_lock(&cache_mu);
    struct cache_slot *c = cache_slot_of(hash);
    if (strcmp(c->hash, hash) == 0 && c->until > time_now()) {
        *out = c->actor;
        hit = 1;
    }
    pthread_mutex_unlock(&cache_mu);
    return hit;
}

static void cache_put(const char *hash, const struct actor *a, int64_t expires)
{
    int64_t until = time_now() + AUTH_CACHE_TTL;
    pthread_mutex_lock(&cache_mu);
    struct cache_slot *c = cache_slot_of(hash);
    str_copy(c->hash, sizeof c->hash, hash);
    c->actor = *a;
    c->until = expires && expires < until ? expires : until;
    pthread_mutex_unlock(&cache_mu);
}

static void cache_drop(const char *hash)
{
    pthread_mutex_lock(&cache_mu);
    struct cache_slot *c = cache_slot_of(hash);
    if (strcmp(c->hash, hash) == 0)
        c->hash[0] = '\0';
    pthread_mutex_unlock(&cache_mu);
}

/* Hex BLAKE2b-256 of a secret: what is stored for tokens and keys. The
 * secrets are 256-bit random, so a fast hash is enough. */
static void secret_hash(const char *secret, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static void random_hex(char *out, size_t bytes)
{
    unsigned char r[64];
    randombytes_buf(r, bytes);
    sodium_bin2hex(out, bytes * 2 + 1, r, bytes);
}

static int check_username(const char *u, struct err *e)
{
    size_t n = u ? strlen(u) : 0;
    if (n < 2 || n > 32)
        return err_set(e, ERR_INVALID, "username", "username must be 2..32 characters");
    for (size_t i = 0; i < n; i++) {
        char c = u[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 (i > 0 && (c == '_' || c == '.' || c == '-'));
        if (!ok)
            return err_set(e, ERR_INVALID, "username",
                           "username may hold only a-z, 0-9, '_', '.', '-' (not first)");
    }
    return 0;
}

static int hash_password(const char *pw, char out[crypto_pwhash_STRBYTES], struct err *e)
{
    if (pw == NULL || strlen(pw) < 8 || strlen(pw) > 256)
        return err_set(e, ERR_INVALID, "password", "password must be 8..256 characters");
    if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return err_set(e, ERR_NOMEM, NULL, "cannot hash the password (out of memory)");
    return 0;
}

/* Validates the optional identity fields into u. */
static int check_identity(struct store *s, const struct auth_user_new *in, struct store_user *u,
                          struct err *e)
{
    int role, rc;
    struct store_unit unit;
    if ((rc = dom_account_check(in->role, in->unit_id, &role, e)))
        return rc;
    if (in->unit_id > 0 && (rc = store_unit_get(s, in->unit_id, &unit, e)) != 0) {
        if (rc != ERR_NOTFOUND)
            return rc;
        err_clear(e);
        return err_set(e, ERR_INVALID, "unit", "no unit with id %lld", (long long)in->unit_id);
    }
    if (in->name && (!utf8_valid(in->name, strlen(in->name)) || utf8_len(in->name) > 50))
        return err_set(e, ERR_INVALID, "name", "name must be valid UTF-8, at most 50 characters");
    if (in->phone && *in->phone && ident_phone_check(in->phone, u->phone, sizeof u->phone, e))
        return ERR_INVALID;
    if (in->id_card && *in->id_card && ident_idcard_check(in->id_card, u->id_card, e))
        return ERR_INVALID;
    if (in->grid && strlen(in->grid) >= sizeof u->grid)
        return err_set(e, ERR_INVALID, "grid", "grid code too long");
    str_copy(u->role, sizeof u->role, in->role);
    return 0;
}

int auth_user_create(struct store *s, const struct auth_user_new *in, struct store_user *out,
                     struct err *e)
{
    struct store_user u = {0};
    int rc = check_username(in->username, e);
    if (rc == 0)
        rc = check_identity(s, in, &u, e);
    if (rc == 0 && in->password)
        rc = hash_password(in->password, u.pw_hash, e);
    if (rc)
        return rc;
    str_copy(u.username, sizeof u.username, in->username);
    str_copy(u.name, sizeof u.name, in->name ? in->name : "");
    str_copy(u.grid, sizeof u.grid, in->grid ? in->grid : "");
    u.unit_id = in->unit_id > 0 ? in->unit_id : 0;
    u.created_at = time_now();
    if ((rc = store_user_insert(s, &u, e)))
        return rc;
    if (out)
        *out = u;
    return 0;
}

int auth_user_set_password(struct store *s, const char *username, const char *password,
                           struct err *e)
{
    struct store_user u;
    int rc = store_user_by_name(s, username, &u, e);
    if (rc == 0)
        rc = hash_password(password, u.pw_hash, e);
    return rc ? rc : store_user_update(s, &u, e);
}

static int new_cred(struct store *s, const char *kind, const char *secret, const char *name,
                    int64_t user_id, int64_t ttl, struct err *e)
{
    struct store_cred c = {0};
    str_copy(c.kind, sizeof c.kind, kind);
    secret_hash(secret, c.hash);
    str_copy(c.name, sizeof c.name, name ? name : "");
    c.user_id = user_id;
    c.created_at = time_now();
    c.expires_at = ttl > 0 ? c.created_at + ttl : 0;
    return store_cred_insert(s, &c, e);
}

int auth_login(struct store *s, const char *username, const char *password, int64_t ttl,
               char token[65], struct store_user *user, struct err *e)
{
    struct store_user u;
    struct err e2 = {0};
    int found = username && password ? store_user_by_name(s, username, &u, &e2) : ERR_NOTFOUND;
    if (found != 0 && found != ERR_NOTFOUND) /* the database failed: not a wrong password */
        return err_set(e, found, NULL, "%s", e2.msg);
    if (found != 0 || u.disabled || u.pw_hash[0] == '\0' ||
        crypto_pwhash_str_verify(u.pw_hash, password, strlen(password)) != 0)
        return err_set(e, ERR_AUTH, NULL, "wrong username or password");
    random_hex(token, 32);
    int rc = new_cred(s, "session", token, NULL, u.id, ttl, e);
    if (rc == 0 && user)
        *user = u;
    return rc;
}

int auth_logout(struct store *s, const char *token, struct err *e)
{
    char h[65];
    secret_hash(token, h);
    cache_drop(h);
    int rc = store_cred_revoke(s, h, e);
    cache_drop(h); /* again: a request in between may have cached it */
    return rc;
}

int auth_apikey_create(struct store *s, int64_t user_id, const char *name, char key[68],
                       struct err *e)
{
    if (name == NULL || *name == '\0' || strlen(name) > 60 || !utf8_valid(name, strlen(name)))
        return err_set(e, ERR_INVALID, "name", "an API key needs a name (at most 60 bytes)");
    memcpy(key, "cs_", 3);
    random_hex(key + 3, 32);
    return new_cred(s, "apikey", key, name, user_id, 0, e);
}

void auth_actor_from_user(const struct store_user *u, struct actor *out)
{
    memset(out, 0, sizeof *out);
    out->user_id = u->id;
    out->role = role_parse(u->role);
    out->unit_id = u->unit_id;
    str_copy(out->grid, sizeof out->grid, u->grid);
    str_copy(out->username, sizeof out->username, u->username);
}

int auth_resolve(struct store *s, const char *token, struct actor *out, struct err *e)
{
    struct store_cred c;
    struct store_user u;
    char h[65];
    if (token == NULL || *token == '\0' || strlen(token) > 128)
        return err_set(e, ERR_AUTH, NULL, "sign in first (no token or API key given)");
    secret_hash(token, h);
    if (cache_get(h, out))
        return 0;
    struct err e2 = {0};
    int rc = store_cred_by_hash(s, h, &c, &e2);
    if (rc != 0 && rc != ERR_NOTFOUND) /* the database failed: not a bad credential */
        return err_set(e, rc, NULL, "%s", e2.msg);
    if (rc != 0 || c.revoked || (c.expires_at && c.expires_at <= time_now()))
        return err_set(e, ERR_AUTH, NULL, "the token or API key is unknown, revoked or expired");
    err_clear(&e2);
    rc = store_user_get(s, c.user_id, &u, &e2);
    if (rc != 0 && rc != ERR_NOTFOUND)
        return err_set(e, rc, NULL, "%s", e2.msg);
    if (rc != 0 || u.disabled)
        return err_set(e, ERR_AUTH, NULL, "the account is disabled");
    auth_actor_from_user(&u, out);
    cache_put(h, out, c.expires_at);
    return 0;
}

int auth_actor_by_name(struct store *s, const char *username, struct actor *out, struct err *e)
{
    struct store_user u;
    int rc = store_user_by_name(s, username, &u, e);
    if (rc == 0)
        auth_actor_from_user(&u, out);
    return rc;
}
