/* api_admin.c - sign-in, users, API keys, reference data and the calendar. */
#include <string.h>
#include "api_int.h"
#include "../auth/auth.h"
#include "../domain/ident.h"

#define SESSION_TTL (12 * 3600)

int api_health_get(struct api_ctx *c)
{
    return api__reply(c, 200,
                      json_pack("{s:b, s:s, s:i}", "ok", 1, "driver",
                                store_driver_name(c->api->store), "schema",
                                store_schema_version(c->api->store)));
}

int api_login_post(struct api_ctx *c)
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
                                api__time(time_now() + SESSION_TTL), "user", api__user_json(&u)));
}

int api_logout_post(struct api_ctx *c)
{
    if (api__check_body(c, NULL, 0))
        return c->e.code;
    if (c->req->token && auth_logout(c->api->store, c->req->token, &c->e))
        return c->e.code;
    return api__reply(c, 200, json_pack("{s:b}", "ok", 1));
}

int api_me_get(struct api_ctx *c)
{
    struct store_user u;
    if (c->who.user_id == 0) /* the CLI's built-in administrator */
        return api__reply(
            c, 200, json_pack("{s:n, s:s, s:s}", "id", "username", "system", "role", "admin"));
    if (store_user_get(c->api->store, c->who.user_id, &u, &c->e))
        return c->e.code;
    return api__reply(c, 200, api__user_json(&u));
}

static int add_category(void *arg, const struct store_category *k)
{
    json_array_append_new(arg, json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", k->code, "name",
                                         k->name, "group", k->group, "unit_code", k->unit_code,
                                         "whistle", k->whistle));
    return 0;
}

int api_categories_list(struct api_ctx *c)
{
    json_t *items = json_array();
    if (store_category_each(c->api->store, add_category, items, &c->e)) {
        json_decref(items);
        return c->e.code;
    }
    return api__reply(c, 200, json_pack("{s:o}", "items", items));
}

static int add_unit(void *arg, const struct store_unit *u)
{
    json_array_append_new(arg, api__unit_json(u));
    return 0;
}

int api_units_list(struct api_ctx *c)
{
    json_t *items = json_array();
    if (store_unit_each(c->api->store, add_unit, items, &c->e)) {
        json_decref(items);
        return c->e.code;
    }
    return api__reply(c, 200, json_pack("{s:o}", "items", items));
}

int api_units_create(struct api_ctx *c)
{
    static const struct api_field spec[] = {{"code", F_STR, 1},
                                            {"name", F_STR, 1},
                                            {"kind", F_STR, 0},
                                            {"uscc", F_STR, 0},
                                            {"phone", F_STR, 0}};
    static const char *const kinds[] = {"department", "alliance", "community", "property", "other"};
    struct store_unit u = {0};
    if (api__check_body(c, spec, ARRAY_SIZE(spec)))
        return c->e.code;
    const char *kind = api__str(c, "kind") ? api__str(c, "kind") : "department";
    size_t k = 0;
    while (k < ARRAY_SIZE(kinds) && strcmp(kinds[k], kind) != 0)
        k++;
    if (k == ARRAY_SIZE(kinds))
        return err_set(&c->e, ERR_INVALID, "kind",
                       "kind must be department, alliance, "
                       "community, property or other");
    const char *code = api__str(c, "code"), *name = api__str(c, "name");
    if (strlen(code) < 1 || strlen(code) >= sizeof u.code || strlen(name) >= sizeof u.name ||
        !*name)
        return err_set(&c->e, ERR_INVALID, "name", "code (1..31 bytes) and name are required");
    str_copy(u.code, sizeof u.code, code);
    str_copy(u.name, sizeof u.name, name);
    str_copy(u.kind, sizeof u.kind, kind);
    const char *uscc = api__str(c, "uscc"), *phone = api__str(c, "phone");
    if (uscc && *uscc && ident_uscc_check(uscc, u.uscc, &c->e))
        return c->e.code;
    if (phone && *phone && ident_phone_check(phone, u.phone, sizeof u.phone, &c->e))
        return c->e.code;
    if (store_unit_insert(c->api->store, &u, &c->e))
        return c->e.code;
    return api__reply(c, 201, api__unit_json(&u));
}

static int add_whistle_type(void *arg, const struct store_whistle_type *t)
{
    json_array_append_new(arg, json_pack("{s:s, s:s, s:i}", "code", t->code, "name", t->name,
                                         "limit_minutes", t->limit_min));
    return 0;
}

int api_whistle_types_list(struct api_ctx *c)
{
    json_t *items = json_array();
    if (store_whistle_type_each(c->api->store, add_whistle_type, items, &c->e)) {
        json_decref(items);
        return c->e.code;
    }
    return api__reply(c, 200, json_pack("{s:o}", "items", items));
}

int api_transitions_list(struct api_ctx *c)
{
    int n;
    const struct case_transition *t = case_transitions(&n);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *from = json_array(), *roles = json_array();
        for (int s = 1; s < ST_COUNT; s++)
            if (t[i].from & (1u << s))
                json_array_append_new(from, json_string(case_state_name(s)));
        for (int r = 1; r <= ROLE_ADMIN; r <<= 1)
            if (t[i].roles & r)
                json_array_append_new(roles, json_string(role_name(r)));
        json_array_append_new(
            items,
            json_pack("{s:s, s:s, s:o, s:s, s:o, s:b}", "action", t[i].action, "label", t[i].label,
                      "from", from, "to", t[i].to == ST_SAME ? "(same)" : case_state_name(t[i].to),
                      "roles", roles, "note_required", (t[i].flags & T_NOTE) != 0));
    }
    return api__reply(c, 200, json_pack("{s:o}", "items", items));
}

static int add_user(void *arg, const struct store_user *u)
{
    json_array_append_new(arg, api__user_json(u));
    return 0;
}

int api_users_list(struct api_ctx *c)
{
    json_t *items = json_array();
    if (store_user_each(c->api->store, add_user, items, &c->e)) {
        json_decref(items);
        return c->e.code;
    }
    return api__reply(c, 200, json_pack("{s:o}", "items", items));
}

int api_users_create(struct api_ctx *c)
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
    return api__reply(c, 201, api__user_json(&u));
}

/* Admins may create keys for anyone; others only for themselves. */
int api_apikeys_create(struct api_ctx *c)
{
    static const struct api_field spec[] = {{"name", F_STR, 1}, {"user", F_STR, 0}};
    struct actor target = c->who;
    char key[68];
    if (api__check_body(c, spec, ARRAY_SIZE(spec)))
        return c->e.code;
    const char *user = api__str(c, "user");
    if (user && strcmp(user, c->who.username) != 0) {
        if (c->who.role != ROLE_ADMIN)
            return err_set(&c->e, ERR_DENIED, "user", "only an admin may create keys for others");
        if (auth_actor_by_name(c->api->store, user, &target, &c->e))
            return c->e.code == ERR_NOTFOUND ? (c->e.code = ERR_INVALID) : c->e.code;
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

/* The date query parameter as a day number. */
static int query_date(struct api_ctx *c, const char *name, int64_t *day)
{
    const char *v = api__query(c, name);
    if (v == NULL || time_parse_date(v, day))
        return err_set(&c->e, ERR_INVALID, name, "%s must be a date YYYY-MM-DD", name);
    return 0;
}

int api_calendar_day(struct api_ctx *c)
{
    int64_t day;
    char s[16];
    if (query_date(c, "date", &day))
        return c->e.code;
    const char *name = cal_day_name(c->api->dom->cal, day);
    time_format_date(day, s);
    return api__reply(c, 200,
                      json_pack("{s:s, s:b, s:i, s:s}", "date", s, "workday",
                                cal_is_workday(c->api->dom->cal, day), "weekday", time_weekday(day),
                                "name", name ? name : ""));
}

int api_calendar_add(struct api_ctx *c)
{
    int64_t day, n;
    char s[16];
    if (query_date(c, "date", &day) || api__query_int(c, "n", -1, &n))
        return c->e.code;
    if (n < 0 || n > 2000)
        return err_set(&c->e, ERR_INVALID, "n", "n must be 0..2000");
    int64_t result = cal_add_workdays(c->api->dom->cal, day, (int)n), last;
    time_days_from_civil(9999, 12, 31, &last);
    if (result > last)
        return err_set(&c->e, ERR_INVALID, "n", "the result would be after 9999-12-31");
    time_format_date(result, s);
    return api__reply(c, 200,
                      json_pack("{s:s, s:I, s:s}", "date", api__query(c, "date"), "n",
                                (json_int_t)n, "result", s));
}

int api_calendar_deadline(struct api_ctx *c)
{
    int64_t start;
    struct cal_span span;
    const char *st = api__query(c, "start"), *lim = api__query(c, "limit");
    if (st == NULL || time_parse_iso(st, &start))
        return err_set(&c->e, ERR_INVALID, "start", "start must be an ISO 8601 time");
    if (lim == NULL || cal_span_parse(lim, &span))
        return err_set(&c->e, ERR_INVALID, "limit", "limit must look like 2wd, 4wh, 90wm or 24h");
    return api__reply(c, 200,
                      json_pack("{s:o, s:s, s:o}", "start", api__time(start), "limit", lim, "due",
                                api__time(cal_deadline(c->api->dom->cal, start, span))));
}
