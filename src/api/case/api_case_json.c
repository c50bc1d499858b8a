/* api_case_json.c - the JSON shapes of cases, events and whistles, streamed
 * with jw (the hot paths). */
#include <stdlib.h>
#include <string.h>
#include "api_case.h"
#include "domain/ident/ident.h"
#include "geo/geo.h"

static const char *const satisfaction_names[] = {NULL, "satisfied", "basically_satisfied",
                                                 "unsatisfied"};

/* "1,2,3" -> [1,2,3]. */
static void id_list(struct jw *w, const char *s)
{
    jw_arr(w);
    while (s && *s) {
        char *end;
        long long v = strtoll(s, &end, 10);
        if (end == s)
            break;
        jw_int(w, v);
        s = *end == ',' ? end + 1 : end;
    }
    jw_arr_end(w);
}

/* The reporter's phone is shown in full to the command centre and to the
 * reporter, masked to everyone else and in every list. */
static void reporter_jw(struct api_ctx *c, struct jw *w, const struct store_case *k, int full)
{
    char masked[40];
    int may = full && case_may_see_reporter(&c->who, k);
    ident_mask_phone(k->reporter_phone, masked, sizeof masked);
    jw_obj(w);
    jw_kid(w, "id", k->reporter_id);
    jw_kstr(w, "name", k->reporter_name);
    jw_kstr(w, "phone", may ? k->reporter_phone : masked);
    jw_obj_end(w);
}

static void visit_jw(struct jw *w, const struct store_case *k)
{
    if (k->visit_resolved < 0) {
        jw_null(w);
        return;
    }
    jw_obj(w);
    jw_kbool(w, "resolved", k->visit_resolved == 1);
    jw_kstr(w, "satisfaction",
            k->visit_satisfaction >= 1 && k->visit_satisfaction <= 3
                ? satisfaction_names[k->visit_satisfaction]
                : "");
    jw_obj_end(w);
}

/* Writes the fields of a case (without the surrounding braces). */
static void case_json_fields(struct api_ctx *c, struct jw *w, const struct store_case *k, int full)
{
    int64_t now = time_now();
    int running = k->due_at && !k->paused_at;
    jw_kint(w, "id", k->id);
    jw_kstr(w, "state", k->state);
    jw_kstr(w, "state_label", case_state_label(case_state_parse(k->state)));
    jw_kstr(w, "channel", k->channel);
    jw_kstr(w, "nature", k->nature);
    jw_kstr(w, "category", k->category);
    jw_kstr(w, "priority", k->priority);
    jw_kstr(w, "title", k->title ? k->title : "");
    jw_kstr(w, "description", k->description ? k->description : "");
    jw_kstr(w, "address", k->address ? k->address : "");
    jw_kstr(w, "grid", k->grid);
    jw_key(w, "reporter");
    reporter_jw(c, w, k, full);
    jw_kid(w, "lead_unit", k->lead_unit);
    jw_key(w, "co_units");
    id_list(w, k->co_units);
    jw_kid(w, "master_id", k->master_id);
    jw_kid(w, "verifier_id", k->verifier_id);
    double lon = k->lon, lat = k->lat;
    if (k->has_pos && c->out_crs && c->out_crs != GEO_WGS84)
        geo_convert(GEO_WGS84, c->out_crs, k->lon, k->lat, &lon, &lat);
    jw_key(w, "lat");
    k->has_pos ? jw_num(w, lat) : jw_null(w);
    jw_key(w, "lon");
    k->has_pos ? jw_num(w, lon) : jw_null(w);
    jw_kstr(w, "crs", geo_crs_name(c->out_crs ? c->out_crs : GEO_WGS84));
    jw_kstr(w, "grid_status", k->grid_status);
    jw_ktime(w, "due_at", k->due_at);
    jw_ktime(w, "warn_at", k->warn_at);
    jw_ktime(w, "close_due", k->close_due);
    jw_kbool(w, "overdue", running && k->due_at < now);
    jw_kbool(w, "at_risk", running && k->warn_at <= now && now < k->due_at);
    jw_ktime(w, "paused_at", k->paused_at);
    jw_ktime(w, "closed_at", k->closed_at);
    jw_key(w, "counts");
    jw_obj(w);
    jw_kint(w, "supervise", k->supervise_count);
    jw_kint(w, "return", k->return_count);
    jw_kint(w, "rework", k->rework_count);
    jw_kint(w, "extension", k->extension_count);
    jw_obj_end(w);
    jw_key(w, "visit");
    visit_jw(w, k);
    jw_ktime(w, "created_at", k->created_at);
    jw_ktime(w, "updated_at", k->updated_at);
    jw_kint(w, "last_seq", k->last_seq);
    jw_kstr(w, "source_ref", k->source_ref);
}

void api_case_jw(struct api_ctx *c, struct jw *w, const struct store_case *k, int full,
                 void (*more)(struct api_ctx *c, struct jw *w, void *arg), void *arg)
{
    jw_obj(w);
    case_json_fields(c, w, k, full);
    if (more)
        more(c, w, arg);
    jw_obj_end(w);
}

void api_case_event_jw(struct jw *w, const struct store_event *ev)
{
    jw_obj(w);
    jw_kint(w, "seq", ev->seq);
    jw_ktime(w, "at", ev->at);
    jw_kid(w, "actor_id", ev->actor_id);
    jw_kstr(w, "actor_role", ev->actor_role);
    jw_kid(w, "actor_unit", ev->actor_unit);
    jw_kstr(w, "action", ev->action);
    jw_kstr(w, "from", ev->from_state);
    jw_kstr(w, "to", ev->to_state);
    jw_kstr(w, "note", ev->note ? ev->note : "");
    if (ev->unit_id)
        jw_kint(w, "unit", ev->unit_id);
    if (ev->units[0]) {
        jw_key(w, "units");
        id_list(w, ev->units);
    }
    if (ev->ref_id)
        jw_kint(w, "ref", ev->ref_id);
    if (ev->amount)
        jw_kint(w, "amount", ev->amount);
    if (ev->flag >= 0)
        jw_kint(w, "flag", ev->flag);
    if (ev->attachments && *ev->attachments) {
        jw_key(w, "attachments");
        jw_arr(w);
        for (const char *p = ev->attachments; *p;) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            char one[1024];
            str_copy(one, n + 1 < sizeof one ? n + 1 : sizeof one, p);
            jw_str(w, one);
            p += n + (nl != NULL);
        }
        jw_arr_end(w);
    }
    jw_ktime(w, "due_at", ev->due_at);
    jw_ktime(w, "close_due", ev->close_due);
    jw_obj_end(w);
}

static void whistle_unit_jw(struct jw *w, const struct store_whistle *wh,
                            const struct store_whistle_unit *u)
{
    int64_t late = wh->blown_at + (int64_t)wh->limit_min * 60;
    jw_obj(w);
    jw_kint(w, "unit", u->unit_id);
    jw_ktime(w, "reported_at", u->reported_at);
    jw_kstr(w, "report_note", u->report_note);
    jw_key(w, "on_time");
    u->reported_at ? jw_bool(w, u->reported_at <= late) : jw_null(w);
    jw_key(w, "score");
    u->score >= 0 ? jw_int(w, u->score) : jw_null(w);
    jw_kstr(w, "comment", u->comment);
    jw_obj_end(w);
}

int api_case_whistle_jw(struct api_ctx *c, struct jw *w, const struct store_whistle *wh)
{
    struct store_whistle_unit *u;
    int n;
    if (store_whistle_units(c->api->store, wh->id, c->a, &u, &n, &c->e))
        return c->e.code;
    jw_obj(w);
    jw_kint(w, "id", wh->id);
    jw_kint(w, "case_id", wh->case_id);
    jw_kstr(w, "type", wh->type);
    jw_ktime(w, "blown_at", wh->blown_at);
    jw_kint(w, "blown_by", wh->blown_by);
    jw_kint(w, "limit_minutes", wh->limit_min);
    jw_ktime(w, "report_due", wh->blown_at + (int64_t)wh->limit_min * 60);
    jw_kstr(w, "note", wh->note ? wh->note : "");
    jw_key(w, "units");
    jw_arr(w);
    for (int i = 0; i < n; i++)
        whistle_unit_jw(w, wh, &u[i]);
    jw_arr_end(w);
    jw_obj_end(w);
    return 0;
}
