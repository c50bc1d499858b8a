/* api_case_ref.c - the reference data of cases: categories, whistle types
 * and the transition table. */
#include "api_case.h"

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
        const char *names[16];
        int k = role_names(t[i].roles, names, 16);
        json_t *from = json_array(), *roles = json_array(), *fields = json_array();
        for (int s = 1; s < ST_COUNT; s++)
            if (t[i].from & (1u << s))
                json_array_append_new(from, json_string(case_state_name(s)));
        for (int r = 0; r < k; r++)
            json_array_append_new(roles, json_string(names[r]));
        k = case_fields_names(t[i].fields, names, 16);
        for (int f = 0; f < k; f++)
            json_array_append_new(fields, json_string(names[f]));
        json_array_append_new(
            items,
            json_pack("{s:s, s:s, s:o, s:s, s:o, s:b, s:o}", "action", case_action_name(t[i].act),
                      "label", case_action_label(t[i].act), "from", from, "to",
                      t[i].to == ST_SAME ? "(same)" : case_state_name(t[i].to), "roles", roles,
                      "note_required", (t[i].flags & T_NOTE) != 0, "fields", fields));
    }
    return api__reply(c, 200, json_pack("{s:o}", "items", items));
}
