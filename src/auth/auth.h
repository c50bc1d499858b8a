/*
 * auth.h - identity: users with roles, passwords hashed with argon2id
 * (libsodium), session tokens and API keys (only their hashes are stored),
 * and turning a credential into the `struct actor` the domain acts for.
 */
#ifndef CHUISHAO_AUTH_H
#define CHUISHAO_AUTH_H

#include "domain/domain.h"
#include "store/auth/store_auth.h"

/* Must be called once before any other auth_ call (initialises libsodium).
 * Returns 0 or ERR_INTERNAL. */
MUST_CHECK int auth_init(void);

/* A new user. */
struct auth_user_new {
    const char *username; /* 2..32 of [a-z0-9_.-], starting with a letter or digit */
    const char *name;     /* display name, may be "" */
    const char *role;     /* role name */
    const char *password; /* >= 8 characters, may be NULL for no password (API key only) */
    int64_t unit_id;      /* required for handlers, must exist */
    const char *grid;     /* grid code of a grid worker, may be "" */
    const char *phone;    /* validated and normalised, may be "" */
    const char *id_card;  /* validated (GB 11643) and normalised, may be "" */
};

/* Validates and creates a user. OUT: *out (may be NULL). Errors:
 * ERR_INVALID (field named), ERR_CONFLICT (username taken), ERR_STORE. */
MUST_CHECK int auth_user_create(struct store *s, const struct auth_user_new *in,
                                struct store_user *out, struct err *e);
/* Sets a new password (>= 8 characters). */
MUST_CHECK int auth_user_set_password(struct store *s, const char *username, const char *password,
                                      struct err *e);

/* Signs in. OUT: token (65 bytes: 64 hex + NUL), valid for ttl seconds, and
 * *user. ERR_AUTH for an unknown user, wrong password or disabled account
 * (the same message for all three). */
MUST_CHECK int auth_login(struct store *s, const char *username, const char *password, int64_t ttl,
                          char token[65], struct store_user *user, struct err *e);
/* Revokes a session token or API key. */
MUST_CHECK int auth_logout(struct store *s, const char *token, struct err *e);

/* Creates an API key for the user. OUT: key (68 bytes: "cs_" + 64 hex + NUL),
 * shown once; only its hash is stored. */
MUST_CHECK int auth_apikey_create(struct store *s, int64_t user_id, const char *name, char key[68],
                                  struct err *e);

/* Resolves a session token or API key to the actor it speaks for.
 * ERR_AUTH if unknown, revoked, expired or the user is disabled. */
MUST_CHECK int auth_resolve(struct store *s, const char *token, struct actor *out, struct err *e);
/* The actor for a user by name (the CLI's --as). ERR_NOTFOUND if none. */
MUST_CHECK int auth_actor_by_name(struct store *s, const char *username, struct actor *out,
                                  struct err *e);
/* Fills an actor from a user row. */
void auth_actor_from_user(const struct store_user *u, struct actor *out);

#endif
