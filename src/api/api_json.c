/* api_json.c - JSON shapes of cases, events, whistles, users and units. */
#include <stdlib.h>
#include <string.h>
#include "api_int.h"
#include "../domain/ident.h"

static const char *const satisfaction_names[] = {NULL, "satisfied", "basically_satisfied",
                                                 "unsatisfied"};

/* "1,2,3" -> [1,2,3]. */
static json_t *id_list(const char *s)
{
    json_t *arr = json_array();
    while (s && *s) {
        char *end;
        long long v = strtoll(s, &end, 10);
        if (end == s)
            break;
        json_array_append_new(arr, json_integer(v));
        s = *end == ',' ? end + 1 : end;
    }
    return arr;
}

static json_t *opt_id(int64_t v)
{
    return v ? json_integer(v) : json_null();
}

/* The reporter's phone is shown in full to the command centre and to the
 * reporter, masked to everyone else and in every list. */
static json_t *reporter_json(struct api_ctx *c, const struct store_case *k, int full)
{
    char masked[40];
    int may = full && (c->who.role & (ROLE_DISPATCHER | ROLE_ADMIN) ||
                       (k->reporter_id && k->reporter_id == c->who.user_id));
    ident_mask_phone(k->reporter_phone, masked, sizeof masked);
    return json_pack("{s:o, s:s, s:s}", "id", opt_id(k->reporter_id), "name", k->reporter_name,
                     "phone", may ? k->reporter_phone : masked);
}

static json_t *visit_json(const struct store_case *k)
{
    if (k->visit_resolved < 0)
        return json_null();
    return json_pack("{s:b, s:s}", "resolved", k->visit_resolved == 1, "satisfaction",
                     k->visit_satisfaction >= 1 && k->visit_satisfaction <= 3
                         ? satisfaction_names[k->visit_satisfaction]
                         : "");
}

json_t *api__case_json(struct api_ctx *c, const struct store_case *k, int full)
{
    int64_t now = time_now();
    int running = k->due_at && !k->paused_at;
    int st = case_state_parse(k->state);
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id",
        (json_int_t)k->id, "state", k->state, "state_label", case_state_label(st), "channel",
        k->channel, "nature", k->nature, "category", k->category, "priority", k->priority, "title",
        k->title ? k->title : "", "description", k->description ? k->description : "", "address",
        k->address ? k->address : "", "grid", k->grid, "reporter", reporter_json(c, k, full),
        "lead_unit", opt_id(k->lead_unit), "co_units", id_list(k->co_units), "master_id",
        opt_id(k->master_id), "verifier_id", opt_id(k->verifier_id));
    json_object_set_new(o, "lat", k->has_pos ? json_real(k->lat) : json_null());
    json_object_set_new(o, "lon", k->has_pos ? json_real(k->lon) : json_null());
    json_object_set_new(o, "due_at", api__time(k->due_at));
    json_object_set_new(o, "warn_at", api__time(k->warn_at));
    json_object_set_new(o, "close_due", api__time(k->close_due));
    json_object_set_new(o, "overdue", json_boolean(running && k->due_at < now));
    json_object_set_new(o, "at_risk",
                        json_boolean(running && k->warn_at <= now && now < k->due_at));
    json_object_set_new(o, "paused_at", api__time(k->paused_at));
    json_object_set_new(o, "closed_at", api__time(k->closed_at));
    json_object_set_new(o, "counts",
                        json_pack("{s:i, s:i, s:i, s:i}", "supervise", k->supervise_count,
                                  "return", k->return_count, "rework", k->rework_count,
                                  "extension", k->extension_count));
    json_object_set_new(o, "visit", visit_json(k));
    json_object_set_new(o, "created_at", api__time(k->created_at));
    json_object_set_new(o, "updated_at", api__time(k->updated_at));
    json_object_set_new(o, "last_seq", json_integer(k->last_seq));
    json_object_set_new(o, "source_ref", json_string(k->source_ref));
    return o;
}

json_t *api__event_json(const struct store_event *ev)
{
    json_t *o = json_pack("{s:i, s:o, s:o, s:s, s:o, s:s, s:s, s:s, s:s}", "seq", ev->seq, "at",
                          api__time(ev->at), "actor_id", opt_id(ev->actor_id), "actor_role",
                          ev->actor_role, "actor_unit", opt_id(ev->actor_unit), "action",
                          ev->action, "from", ev->from_state, "to", ev->to_state, "note",
                          ev->note ? ev->note : "");
    if (ev->unit_id)
        json_object_set_new(o, "unit", json_integer(ev->unit_id));
    if (ev->units[0])
        json_object_set_new(o, "units", id_list(ev->units));
    if (ev->ref_id)
        json_object_set_new(o, "ref", json_integer(ev->ref_id));
    if (ev->amount)
        json_object_set_new(o, "amount", json_integer(ev->amount));
    if (ev->flag >= 0)
        json_object_set_new(o, "flag", json_integer(ev->flag));
    if (ev->attachments && *ev->attachments)
        json_object_set_new(o, "attachments", json_string(ev->attachments));
    json_object_set_new(o, "due_at", api__time(ev->due_at));
    json_object_set_new(o, "close_due", api__time(ev->close_due));
    return o;
}

json_t *api__user_json(const struct store_user *u)
{
    char phone[40], idc[40];
    ident_mask_phone(u->phone, phone, sizeof phone);
    ident_mask_idcard(u->id_card, idc, sizeof idc);
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:b}", "id", (json_int_t)u->id,
                     "username", u->username, "name", u->name, "role", u->role, "unit",
                     opt_id(u->unit_id), "grid", u->grid, "phone", phone, "id_card", idc,
                     "disabled", u->disabled);
}

json_t *api__unit_json(const struct store_unit *u)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)u->id, "code", u->code,
                     "name", u->name, "kind", u->kind, "uscc", u->uscc, "phone", u->phone);
}

json_t *api__whistle_json(struct api_ctx *c, const struct store_whistle *w)
{
    struct store_whistle_unit *u;
    int n;
    json_t *units = json_array();
    if (store_whistle_units(c->api->store, w->id, c->a, &u, &n, &c->e) == 0) {
        for (int i = 0; i < n; i++) {
            int64_t late = w->blown_at + (int64_t)w->limit_min * 60;
            json_t *x = json_pack("{s:I, s:o, s:s}", "unit", (json_int_t)u[i].unit_id,
                                  "reported_at", api__time(u[i].reported_at), "report_note",
                                  u[i].report_note);
            json_object_set_new(x, "on_time", u[i].reported_at ? json_boolean(u[i].reported_at <= late)
                                                                : json_null());
            json_object_set_new(x, "score", u[i].score >= 0 ? json_integer(u[i].score) : json_null());
            json_object_set_new(x, "comment", json_string(u[i].comment));
            json_array_append_new(units, x);
        }
    }
    return json_pack("{s:I, s:I, s:s, s:o, s:I, s:i, s:o, s:s, s:o}", "id", (json_int_t)w->id,
                     "case_id", (json_int_t)w->case_id, "type", w->type, "blown_at",
                     api__time(w->blown_at), "blown_by", (json_int_t)w->blown_by,
                     "limit_minutes", w->limit_min, "report_due",
                     api__time(w->blown_at + (int64_t)w->limit_min * 60), "note",
                     w->note ? w->note : "", "units", units);
}
