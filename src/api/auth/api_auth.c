/* api_auth.c - sign-in and sign-out, the signed-in account, accounts and
 * API keys. */
#include <string.h>
#include "api_auth.h"
#include "auth/auth.h"
#include "domain/ident/ident.h"

#define SESSION_TTL (12 * 3600)

static json_t *opt_id(int64_t v)
{
    return v ? json_integer(v) : json_null();
}

json_t *api_auth_user_json(const struct store_user *u)
{
    char phone[40], idc[40];
    ident_mask_phone(u->phone, phone, sizeof phone);
    ident_mask_idcard(u->id_card, idc, sizeof idc);
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:b}", "id", (json_int_t)u->id,
                     "username", u->username, "name", u->name, "role", u->role, "unit",
                     opt_id(u->unit_id), "grid", u->grid, "phone", phone, "id_card", idc,
                     "disabled", u->disabled);
}

static int api_login_post(struct api_ctx *c)
{
    static const struct api_field spec[] = {{"username", F_STR, 1}, {"password", F_STR, 1}};
    char token[65];
    struct store_user u;
    if (api__check_body(c, spec, ARRAY_SIZE(spec)) ||
        auth_login(c->api->store, api__str(c, "username"), api__str(c, "password"), SESSION_TTL,
                   token, &u, &c->e))
        return c->e.code;
    return api__reply(c, 200,
                      json_pack("{s:s, s:o, s:o}", "token", token, "expires_at",
                                api__time(time_now() + SESSION_TTL), "user",
                                api_auth_user_json(&u)));
}

static int api_logout_post(struct api_ctx *c)
{
    if (api__check_body(c, NULL, 0))
        return c->e.code;
    if (c->req->token && auth_logout(c->api->store, c->req->token, &c->e))
        return c->e.code;
    return api__reply(c, 200, json_pack("{s:b}", "ok", 1));
}

static int api_me_get(struct api_ctx *c)
{
    struct store_user u;
    if (c->who.user_id == 0) /* the CLI's built-in administrator */
        return api__reply(
            c, 200, json_pack("{s:n, s:s, s:s}", "id", "username", "system", "role", "admin"));
    if (store_user_get(c->api->store, c->who.user_id, &u, &c->e))
        return c->e.code;
    return api__reply(c, 200, api_auth_user_json(&u));
}

static int add_user(void *arg, const struct store_user *u)
{
    json_array_append_new(arg, api_auth_user_json(u));
    return 0;
}

static int api_users_list(struct api_ctx *c)
{
    json_t *items = json_array();
    if (store_user_each(c->api->store, add_user, items, &c->e)) {
        json_decref(items);
        return c->e.code;
    }
    return api__reply(c, 200, json_pack("{s:o}", "items", items));
}

static int api_users_create(struct api_ctx *c)
{
    static const struct api_field spec[] = {
        {"username", F_STR, 1}, {"name", F_STR, 0}, {"role", F_STR, 1},  {"password", F_STR, 0},
        {"unit", F_INT, 0},     {"grid", F_STR, 0}, {"phone", F_STR, 0}, {"id_card", F_STR, 0}};
    struct store_user u;
    if (api__check_body(c, spec, ARRAY_SIZE(spec)))
        return c->e.code;
    struct auth_user_new in = {.username = api__str(c, "username"),
                               .name = api__str(c, "name"),
                               .role = api__str(c, "role"),
                               .password = api__str(c, "password"),
                               .unit_id = api__int(c, "unit", 0),
                               .grid = api__str(c, "grid"),
                               .phone = api__str(c, "phone"),
                               .id_card = api__str(c, "id_card")};
    if (auth_user_create(c->api->store, &in, &u, &c->e))
        return c->e.code;
    return api__reply(c, 201, api_auth_user_json(&u));
}

/* Admins may create keys for anyone; others only for themselves. */
static int api_apikeys_create(struct api_ctx *c)
{
    static const struct api_field spec[] = {{"name", F_STR, 1}, {"user", F_STR, 0}};
    struct actor target = c->who;
    char key[68];
    if (api__check_body(c, spec, ARRAY_SIZE(spec)))
        return c->e.code;
    const char *user = api__str(c, "user");
    if (user && strcmp(user, c->who.username) != 0) {
        if (auth_actor_by_name(c->api->store, user, &target, &c->e))
            return c->e.code == ERR_NOTFOUND ? (c->e.code = ERR_INVALID) : c->e.code;
        if (dom_may_act_for(&c->who, target.user_id, "user", &c->e))
            return c->e.code;
    }
    if (target.user_id == 0)
        return err_set(&c->e, ERR_INVALID, "user",
                       "the built-in administrator has no account: name the key's user");
    if (auth_apikey_create(c->api->store, target.user_id, api__str(c, "name"), key, &c->e))
        return c->e.code;
    return api__reply(c, 201,
                      json_pack("{s:s, s:s, s:s}", "key", key, "user", target.username, "name",
                                api__str(c, "name")));
}

static const struct api_route routes[] = {
    {"/apikeys", "POST", api_apikeys_create, ACCESS_USER, 0},
    {"/auth/login", "POST", api_login_post, ACCESS_PUBLIC, 0},
    {"/auth/logout", "POST", api_logout_post, ACCESS_USER, 0},
    {"/me", "GET", api_me_get, ACCESS_USER, 0},
    {"/users", "GET", api_users_list, ACCESS_STAFF, 0},
    {"/users", "POST", api_users_create, ACCESS_ADMIN, 0},
};
API_ROUTES(api_auth_routes, "auth", routes);
