/* store_auth.h - accounts and credentials: users, sessions and API keys
 * (only hashes of secrets are stored). */
#ifndef CHUISHAO_STORE_AUTH_H
#define CHUISHAO_STORE_AUTH_H

#include <stdint.h>
#include "store/store.h"

struct store_user {
    int64_t id;         /* row id */
    char username[64];  /* unique login name */
    char name[160];     /* display name */
    char role[16];      /* resident | grid | dispatcher | handler | leader | admin */
    int64_t unit_id;    /* unit of a handler (0 if none) */
    char grid[24];      /* grid code of a grid worker ("" if none) */
    char phone[32];     /* normalised phone, "" if none */
    char id_card[24];   /* normalised ID card number, "" if none */
    char pw_hash[160];  /* argon2id hash string, "" if no password */
    int64_t created_at; /* instant */
    int disabled;       /* 1 if the account may not sign in */
};
/* Inserts u (u->id set). ERR_CONFLICT if the username is taken. */
MUST_CHECK int store_user_insert(struct store *s, struct store_user *u, struct err *e);
MUST_CHECK int store_user_update(struct store *s, const struct store_user *u, struct err *e);
MUST_CHECK int store_user_get(struct store *s, int64_t id, struct store_user *out, struct err *e);
MUST_CHECK int store_user_by_name(struct store *s, const char *username, struct store_user *out,
                                  struct err *e);
MUST_CHECK int store_user_each(struct store *s, int (*fn)(void *arg, const struct store_user *u),
                               void *arg, struct err *e);

/* Credentials are stored as hashes only. kind: "session" or "apikey". */
struct store_cred {
    int64_t id;         /* row id */
    char kind[12];      /* session | apikey */
    char hash[72];      /* hex hash of the secret */
    char name[64];      /* API key name, "" for sessions */
    int64_t user_id;    /* whose credential */
    int64_t created_at; /* instant */
    int64_t expires_at; /* instant, 0 = never */
    int revoked;        /* 1 once revoked */
};
MUST_CHECK int store_cred_insert(struct store *s, struct store_cred *c, struct err *e);
MUST_CHECK int store_cred_by_hash(struct store *s, const char *hash, struct store_cred *out,
                                  struct err *e);
MUST_CHECK int store_cred_revoke(struct store *s, const char *hash, struct err *e);
MUST_CHECK int store_cred_each(struct store *s, const char *kind,
                               int (*fn)(void *arg, const struct store_cred *c), void *arg,
                               struct err *e);

#endif
