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

/* The transitions as the API writes them: "note_required", "fields" and
 * "required" as in a case's actions (api_case_action_needs_jw). */
static void transition_jw(struct jw *w, const struct case_transition *t)
{
    const char *names[16];
    int k = role_names(t->roles, names, 16);
    jw_obj(w);
    jw_kstr(w, "action", case_action_name(t->act));
    jw_kstr(w, "label", case_action_label(t->act));
    jw_key(w, "from");
    jw_arr(w);
    for (int s = 1; s < ST_COUNT; s++)
        if (t->from & (1u << s))
            jw_str(w, case_state_name(s));
    jw_arr_end(w);
    jw_kstr(w, "to", t->to == ST_SAME ? "(same)" : case_state_name(t->to));
    jw_key(w, "roles");
    jw_arr(w);
    for (int r = 0; r < k; r++)
        jw_str(w, names[r]);
    jw_arr_end(w);
    api_case_action_needs_jw(w, t, NULL);
    jw_obj_end(w);
}

int api_transitions_list(struct api_ctx *c)
{
    int n;
    const struct case_transition *t = case_transitions(&n);
    struct buf b;
    struct jw w;
    api__items_begin(&b, &w, "items");
    for (int i = 0; i < n; i++)
        transition_jw(&w, &t[i]);
    api__items_end(&w);
    return api__reply_buf(c, 200, &b);
}
