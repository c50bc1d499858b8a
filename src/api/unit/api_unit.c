/* api_unit.c - /units: departments, alliance units and the others. */
#include <string.h>
#include "api_unit.h"
#include "domain/unit/unit.h"

static json_t *unit_json(const struct store_unit *u)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)u->id, "code", u->code,
                     "name", u->name, "kind", u->kind, "uscc", u->uscc, "phone", u->phone);
}

static int add_unit(void *arg, const struct store_unit *u)
{
    json_array_append_new(arg, unit_json(u));
    return 0;
}

static int api_units_list(struct api_ctx *c)
{
    json_t *items = json_array();
    if (store_unit_each(c->api->store, add_unit, items, &c->e)) {
        json_decref(items);
        return c->e.code;
    }
    return api__reply(c, 200, json_pack("{s:o}", "items", items));
}

static int api_units_create(struct api_ctx *c)
{
    static const struct api_field spec[] = {{"code", F_STR, 1},
                                            {"name", F_STR, 1},
                                            {"kind", F_STR, 0},
                                            {"uscc", F_STR, 0},
                                            {"phone", F_STR, 0}};
    struct store_unit u;
    if (api__check_body(c, spec, ARRAY_SIZE(spec)))
        return c->e.code;
    struct unit_new in = {.code = api__str(c, "code"),
                          .name = api__str(c, "name"),
                          .kind = api__str(c, "kind"),
                          .uscc = api__str(c, "uscc"),
                          .phone = api__str(c, "phone")};
    if (unit_create(c->api->dom, &in, &u, &c->e))
        return c->e.code;
    return api__reply(c, 201, unit_json(&u));
}

static const struct api_route routes[] = {
    {"/units", "GET", api_units_list, ACCESS_USER, 0},
    {"/units", "POST", api_units_create, ACCESS_ADMIN, 0},
};
API_ROUTES(api_unit_routes, "unit", routes);
