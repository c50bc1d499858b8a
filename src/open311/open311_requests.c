/* open311_requests.c - Open311 service requests: GET requests (filters,
 * paging, extensions), GET requests/{id}, GET tokens/{token}. A request is a
 * case; its fields are read from the case, its event log and the lookups.
 * POST requests is in open311_post.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "open311_int.h"
#include "geo/geo.h"

#define DAY           86400
#define WINDOW        (90 * DAY) /* the spec's default and largest date span */
#define MAX_REQUESTS  1000       /* the spec's default row limit, and page_size's maximum */
#define MAX_ID_FILTER 1000       /* ids in one service_request_id list */

/* What the request shape needs about one case. */
struct view {
    struct store_case k;               /* the case */
    struct store_event *ev;            /* its events */
    int n;                             /* their number */
    struct store_o311_answer *answers; /* attribute answers (extensions only) */
    int n_answers;                     /* their number */
    struct store_o311_attr *attrs;     /* the service's attributes (if answers) */
    int n_attrs;                       /* their number */
    struct store_o311_value *vals;     /* their options */
    int n_vals;                        /* their number */
};

/* A listing being loaded: which cases, and the lookups for names. */
struct listing {
    struct o311 *o;                    /* the request */
    const struct store_o311_filter *f; /* the filter, or NULL when ids are given */
    int64_t *ids;                      /* the ids (given or found) */
    int n_ids;                         /* their number */
    int ext;                           /* extensions=true */
    struct view *v;                    /* loaded views, in order */
    int nv;                            /* their number */
    struct o311_names names;           /* category and unit names */
};

/* ---- loading --------------------------------------------------------------- */

/* Loads one case into the next view; a case that does not exist is skipped. */
static int load_one(struct store *s, struct listing *l, int64_t id, struct err *e)
{
    struct o311 *o = l->o;
    struct view *x = &l->v[l->nv];
    struct err miss = {0};
    if (case_get(o->dom, &o->who, id, o->a, &x->k, &miss))
        return miss.code == ERR_NOTFOUND ? 0 : err_set(e, miss.code, NULL, "%s", miss.msg);
    if (store_case_events(s, id, o->a, &x->ev, &x->n, e) ||
        (l->ext && store_o311_answers(s, id, o->a, &x->answers, &x->n_answers, e)) ||
        (x->n_answers &&
         store_o311_attrs(s, x->k.category, o->a, &x->attrs, &x->n_attrs, &x->vals, &x->n_vals, e)))
        return e->code;
    l->nv++;
    return 0;
}

/* The read job: finds the ids (with a filter), then loads every case, the
 * categories and the units, in one snapshot. */
static int load_listing(struct store *s, void *arg, struct err *e)
{
    struct listing *l = arg;
    if (l->f && store_o311_find(s, l->f, l->o->a, &l->ids, &l->n_ids, e))
        return e->code;
    if (o311_names_load(s, l->o->a, &l->names, e))
        return e->code;
    l->v = arena_alloc(l->o->a, sizeof *l->v * (size_t)(l->n_ids + 1));
    for (int i = 0; i < l->n_ids; i++)
        if (load_one(s, l, l->ids[i], e))
            return e->code;
    return 0;
}

/* ---- the request shape ----------------------------------------------------- */

/* Open311 reads are public: a note is shown only for actions whose note is
 * meant for the reporter (the registration, a rejection, the handling
 * feedback, closing, visits, merges, comments such as Open311 updates);
 * internal notes (return reasons, supervision, deferral and hang
 * explanations, extension requests, progress notes) are left out. */
int o311_event_public(const struct store_event *ev)
{
    return o311_public_note(ev) != o311_hidden;
}

const char o311_hidden[] = "";

const char *o311_public_note(const struct store_event *ev)
{
    return case_action_public(case_action_parse(ev->action)) ? ev->note : o311_hidden;
}

/* Why the status last changed: the public note of the last state change. */
static const char *status_notes(const struct view *x)
{
    for (int i = x->n - 1; i > 0; i--)
        if (strcmp(x->ev[i].from_state, x->ev[i].to_state) != 0)
            return o311_public_note(&x->ev[i]);
    return NULL;
}

/* The handling deadline: the handle stage's once it runs, else the case's
 * closing deadline (set at registration); 0 before registration. */
static int64_t expected(const struct view *x)
{
    struct case_deadline d[5];
    case_deadlines(x->ev, x->n, d);
    return d[3].started && d[3].due ? d[3].due : d[4].due;
}

/* One answer: code, the question (label), the value and its label (name). */
static void answer_jw(struct ow *w, const struct view *x, const struct store_o311_answer *an)
{
    const char *label = NULL, *name = an->value;
    for (int i = 0; i < x->n_attrs; i++)
        if (strcmp(x->attrs[i].code, an->code) == 0)
            label = x->attrs[i].description;
    for (int i = 0; i < x->n_vals; i++)
        if (strcmp(x->vals[i].attr_code, an->code) == 0 && strcmp(x->vals[i].key, an->value) == 0)
            name = x->vals[i].name;
    ow_obj(w, NULL);
    ow_str(w, "code", an->code);
    ow_str(w, "label", label);
    ow_str(w, "value", an->value);
    ow_str(w, "name", name);
    ow_obj_end(w);
}

/* extensions=true: detailed status, extended attributes, answers, history. */
static void extensions_jw(struct ow *w, const struct view *x)
{
    const struct store_case *k = &x->k;
    ow_str(w, "title", k->title);
    ow_str(w, "detailed_status", k->state);
    ow_obj(w, "extended_attributes");
    ow_str(w, "detailed_status_label", case_state_label(case_state_parse(k->state)));
    ow_str(w, "channel", k->channel);
    ow_str(w, "priority", k->priority);
    ow_str(w, "grid", k->grid);
    ow_time(w, "closed_datetime", k->closed_at);
    ow_obj_end(w);
    ow_list(w, "attributes", "attribute");
    for (int i = 0; i < x->n_answers; i++)
        answer_jw(w, x, &x->answers[i]);
    ow_list_end(w);
    ow_list(w, "notes", "note");
    for (int i = 0; i < x->n; i++) {
        const struct store_event *ev = &x->ev[i];
        ow_obj(w, NULL);
        ow_time(w, "datetime", ev->at);
        ow_str(w, "type", ev->action);
        ow_str(w, "summary", o311_action_label(ev->action));
        ow_str(w, "description", o311_public_note(ev));
        ow_str(w, "status", o311_status(ev->to_state));
        ow_str(w, "detailed_status", ev->to_state);
        ow_obj_end(w);
    }
    ow_list_end(w);
}

/* One case as a request: the spec's fields in its order, then (with
 * extensions=true) the extended ones. */
static void request_jw(struct o311 *o, struct ow *w, const struct listing *l, const struct view *x)
{
    const struct store_case *k = &x->k;
    const char *status = o311_status(k->state);
    int closed = strcmp(status, "closed") == 0;
    ow_obj(w, NULL);
    ow_int(w, "service_request_id", k->id);
    ow_str(w, "status", status);
    ow_str(w, "status_notes", status_notes(x));
    ow_str(w, "service_name", o311_service_name(&l->names, k->category));
    ow_str(w, "service_code", k->category);
    ow_str(w, "description", k->description);
    ow_str(w, "agency_responsible", o311_unit_name(&l->names, k->lead_unit));
    ow_str(w, "service_notice", case_state_label(case_state_parse(k->state)));
    ow_time(w, "requested_datetime", k->created_at);
    ow_time(w, "updated_datetime", closed && k->closed_at ? k->closed_at : k->updated_at);
    ow_time(w, "expected_datetime", expected(x));
    ow_str(w, "address", k->address);
    ow_str(w, "address_id", NULL);
    ow_str(w, "zipcode", NULL);
    if (k->has_pos) {
        ow_num(w, "lat", k->lat);
        ow_num(w, "long", k->lon);
    } else {
        ow_str(w, "lat", NULL);
        ow_str(w, "long", NULL);
    }
    ow_str(w, "media_url", o311_first_line(o->a, x->n ? x->ev[0].attachments : NULL));
    if (l->ext)
        extensions_jw(w, x);
    ow_obj_end(w);
}

/* Loads the listing (l->ids, or l->f to find them). */
static int load(struct o311 *o, struct listing *l)
{
    const char *ext = o311_param(o, "extensions");
    l->o = o;
    l->ext = ext && strcmp(ext, "true") == 0;
    return store_read(o->store, load_listing, l, &o->e) ? o311_fail_domain(o) : 0;
}

/* Answers with the loaded listing as service_requests. */
static int reply_listing(struct o311 *o, struct listing *l)
{
    struct buf b;
    struct ow w;
    o311_begin(o, &b, &w);
    ow_list(&w, "service_requests", "request");
    for (int i = 0; i < l->nv; i++)
        request_jw(o, &w, l, &l->v[i]);
    ow_list_end(&w);
    return o311_reply(o, &b);
}

/* ---- GET requests: filters ------------------------------------------------- */

/* Parses "a,b,c" request ids. */
static int id_list(struct o311 *o, const char *s, struct listing *l)
{
    l->ids = arena_alloc(o->a, sizeof *l->ids * MAX_ID_FILTER);
    while (*s) {
        const char *comma = strchr(s, ',');
        char *one = comma ? arena_strndup(o->a, s, (size_t)(comma - s)) : (char *)s;
        int64_t id;
        if (l->n_ids == MAX_ID_FILTER || str_to_i64(one, &id) || id <= 0)
            return o311_fail(o, 400,
                             "service_request_id must be a comma-separated list of up to %d "
                             "request ids",
                             MAX_ID_FILTER);
        l->ids[l->n_ids++] = id;
        s = comma ? comma + 1 : s + strlen(s);
    }
    return 0;
}

/* status=open,closed -> the comma-separated states they stand for. */
static int status_filter(struct o311 *o, struct store_o311_filter *f)
{
    const char *v = o311_param(o, "status");
    int want[2] = {0, 0}; /* open, closed */
    char *list = v ? arena_strdup(o->a, v) : NULL, *save = NULL;
    for (char *t = list ? strtok_r(list, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, "open") != 0 && strcmp(t, "closed") != 0)
            return o311_fail(o, 400, "status must be open, closed or open,closed");
        want[strcmp(t, "closed") == 0] = 1;
    }
    if (want[0] == want[1]) /* neither or both: no filter */
        return 0;
    const char *states = "";
    for (int st = 1; st < ST_COUNT; st++)
        if (case_state_final(st) == want[1])
            states = arena_printf(o->a, "%s%s%s", states, *states ? "," : "", case_state_name(st));
    f->states = states;
    return 0;
}

/* start_date / end_date (at most 90 days apart; default: the last 90 days
 * unless updated_after/updated_before is given), updated_after/before. */
static int date_filter(struct o311 *o, struct store_o311_filter *f)
{
    int64_t start, end, after, before;
    if (o311_time_param(o, "start_date", &start) || o311_time_param(o, "end_date", &end) ||
        o311_time_param(o, "updated_after", &after) ||
        o311_time_param(o, "updated_before", &before))
        return -1;
    if (start && end && start > end)
        return o311_fail(o, 400, "start_date is after end_date");
    if (start && end && end - start > WINDOW)
        return o311_fail(o, 400, "start_date and end_date may not span more than 90 days");
    if (after && before && after > before)
        return o311_fail(o, 400, "updated_after is after updated_before");
    if (!start && !end && !after && !before)
        start = time_now() - WINDOW;
    else if (start && !end)
        end = start + WINDOW;
    else if (end && !start)
        start = end - WINDOW;
    f->created_from = start;
    f->created_to = end;
    f->updated_from = after;
    f->updated_to = before;
    return 0;
}

/* Parses one number of the whole string. */
static int number(const char *s, double *v)
{
    char *end;
    *v = s ? strtod(s, &end) : NAN;
    return s && end != s && *end == '\0' && isfinite(*v) ? 0 : -1;
}

/* lat/long/radius (metres, default 1000) and bbox=minlon,minlat,maxlon,maxlat. */
static int place_filter(struct o311 *o, struct store_o311_filter *f)
{
    const char *lat = o311_param(o, "lat"), *lon = o311_param(o, "long");
    const char *bbox = o311_param(o, "bbox");
    int64_t radius;
    if ((lat == NULL) != (lon == NULL))
        return o311_fail(o, 400, "lat and long must be given together");
    if (o311_int_param(o, "radius", 1000, 1, 50000, &radius))
        return -1;
    if (o311_param(o, "radius") && lat == NULL)
        return o311_fail(o, 400, "radius needs lat and long");
    if (lat) {
        if (number(lat, &f->lat) || number(lon, &f->lon) || geo_check_lonlat(f->lon, f->lat, NULL))
            return o311_fail(o, 400, "lat and long must be WGS-84 degrees");
        f->has_circle = 1;
        f->radius_m = (double)radius;
    }
    if (bbox) {
        char *p = arena_strdup(o->a, bbox), *save = NULL;
        double v[4];
        int n = 0;
        for (char *t = strtok_r(p, ",", &save); t && n < 5; t = strtok_r(NULL, ",", &save))
            if (n == 4 || number(t, &v[n++]))
                n = 5;
        if (n != 4 || v[0] > v[2] || v[1] > v[3] || geo_check_lonlat(v[0], v[1], NULL) ||
            geo_check_lonlat(v[2], v[3], NULL))
            return o311_fail(o, 400, "bbox must be minlong,minlat,maxlong,maxlat (WGS-84)");
        f->has_bbox = 1;
        f->minx = v[0], f->miny = v[1], f->maxx = v[2], f->maxy = v[3];
    }
    return 0;
}

int o311_requests_get(struct o311 *o)
{
    struct store_o311_filter f = {0};
    struct listing l = {0};
    int64_t page, size;
    const char *ids = o311_param(o, "service_request_id");
    if (ids) /* overrides every other filter */
        return id_list(o, ids, &l) || load(o, &l) ? -1 : reply_listing(o, &l);
    if (status_filter(o, &f) || date_filter(o, &f) || place_filter(o, &f) ||
        o311_int_param(o, "page", 1, 1, 1000000, &page) ||
        o311_int_param(o, "page_size", MAX_REQUESTS, 1, MAX_REQUESTS, &size))
        return -1;
    f.categories = o311_param(o, "service_code");
    f.limit = (int)size;
    f.offset = (page - 1) * size;
    l.f = &f;
    return load(o, &l) ? -1 : reply_listing(o, &l);
}

/* The {id} segment as a request id; 0 if it is not one. */
static int64_t path_id(const char *s)
{
    int64_t id;
    return s && str_to_i64(s, &id) == 0 && id > 0 ? id : 0;
}

int o311_request_get(struct o311 *o)
{
    int64_t id = path_id(o->arg);
    struct listing l = {.ids = &id, .n_ids = 1};
    if (id == 0)
        return o311_fail(o, 404, "service_request_id %.40s not found", o->arg);
    if (load(o, &l))
        return -1;
    if (l.nv == 0)
        return o311_fail(o, 404, "service_request_id %lld not found", (long long)id);
    return reply_listing(o, &l);
}

/* GET tokens/{token}: requests are created synchronously (type realtime), so
 * a request's token is its id; an unknown token is 404. */
int o311_token_get(struct o311 *o)
{
    int64_t id = path_id(o->arg);
    struct store_case k;
    struct buf b;
    struct ow w;
    if (id == 0 || case_get(o->dom, &o->who, id, o->a, &k, &o->e)) {
        if (id && o->e.code != ERR_NOTFOUND)
            return o311_fail_domain(o);
        return o311_fail(o, 404, "token %.40s not found", o->arg);
    }
    o311_begin(o, &b, &w);
    ow_list(&w, "service_requests", "request");
    ow_obj(&w, NULL);
    ow_int(&w, "service_request_id", k.id);
    ow_str(&w, "token", o->arg);
    ow_obj_end(&w);
    ow_list_end(&w);
    return o311_reply(o, &b);
}
