/* api_auth.h - sign-in and sign-out, accounts and API keys
 * (/auth, /me, /users, /apikeys). */
#ifndef CHUISHAO_API_AUTH_H
#define CHUISHAO_API_AUTH_H

#include "api/api_int.h"
#include "store/auth/store_auth.h"

extern const struct table_part api_auth_routes;

/* An account as JSON (phone and ID number masked). Caller owns it. */
json_t *api_auth_user_json(const struct store_user *u);

#endif
