/* api_cases.c - /cases and /whistles endpoints. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "api_case.h"
#include "api_case_cache.h"
#include "domain/place/place.h"

struct detail;
static int reply_case(struct api_ctx *c, int status, const struct store_case *k, struct detail *d);
static int reply_whistles(struct api_ctx *c, const struct store_whistle *wh, int n, int list);

/* Joins a string array field with newlines into the arena ("" if absent). */
static const char *join_strs(struct api_ctx *c, const char *name)
{
    json_t *v = json_object_get(c->body, name), *x;
    size_t i;
    struct buf b;
    if (!json_is_array(v))
        return "";
    buf_init(&b, 4096);
    json_array_foreach(v, i, x)
    {
        if (buf_appendf(&b, "%s%s", i ? "\n" : "", json_string_value(x)))
            break;
    }
    const char *out = arena_strdup(c->a, b.data ? b.data : "");
    buf_free(&b);
    return out;
}

static int api_cases_create(struct api_ctx *c)
{
    static const struct api_field spec[] = {
        {"channel", F_STR, 0},        {"nature", F_STR, 0},     {"category", F_STR, 1},
        {"priority", F_STR, 0},       {"title", F_STR, 0},      {"description", F_STR, 1},
        {"address", F_STR, 0},        {"lat", F_NUM, 0},        {"lon", F_NUM, 0},
        {"coord_sys", F_STR, 0},      {"grid", F_STR, 0},       {"reporter_name", F_STR, 0},
        {"reporter_phone", F_STR, 0}, {"source_ref", F_STR, 0}, {"attachments", F_STRS, 0},
        {"self_handled", F_BOOL, 0},
    };
    struct case_new in = {0};
    struct store_case k;
    int has_lat, has_lon;
    if (api__check_body(c, spec, ARRAY_SIZE(spec)))
        return c->e.code;
    if (api__crs(c, api__str(c, "coord_sys"), &in.crs)) {
        str_copy(c->e.field, sizeof c->e.field, "coord_sys");
        return c->e.code;
    }
    in.channel = api__str(c, "channel");
    in.nature = api__str(c, "nature");
    in.category = api__str(c, "category");
    in.priority = api__str(c, "priority");
    in.title = api__str(c, "title");
    in.description = api__str(c, "description");
    in.address = api__str(c, "address");
    in.lat = api__num(c, "lat", 0, &has_lat);
    in.lon = api__num(c, "lon", 0, &has_lon);
    if (has_lat != has_lon)
        return err_set(&c->e, ERR_INVALID, has_lat ? "lon" : "lat", "give both lat and lon");
    in.has_pos = has_lat;
    in.grid = api__str(c, "grid");
    in.reporter_name = api__str(c, "reporter_name");
    in.reporter_phone = api__str(c, "reporter_phone");
    in.source_ref = api__str(c, "source_ref");
    in.attachments = join_strs(c, "attachments");
    in.self_handled = api__bool(c, "self_handled", 0);
    if (case_create(c->api->dom, &c->who, &in, c->a, &k, &c->e))
        return c->e.code;
    return reply_case(c, 201, &k, NULL);
}

/* Parses "a,b,c,d" into up to 4 numbers; returns how many. */
static int numbers(const char *s, double *v, int max)
{
    int n = 0;
    while (s && *s && n < max) {
        char *end;
        v[n] = strtod(s, &end);
        if (end == s || (*end && *end != ','))
            return -1;
        n++;
        s = *end ? end + 1 : end;
    }
    return s && *s ? -1 : n;
}

/* from=YYYY-MM-DD and to=YYYY-MM-DD: cases reported in those China days. */
static int report_dates(struct api_ctx *c, struct store_case_filter *f)
{
    const char *from = api__query(c, "from"), *to = api__query(c, "to");
    int64_t d0 = 0, d1 = 0;
    if (from && time_parse_date(from, &d0))
        return err_set(&c->e, ERR_INVALID, "from", "from must be a date YYYY-MM-DD");
    if (to && time_parse_date(to, &d1))
        return err_set(&c->e, ERR_INVALID, "to", "to must be a date YYYY-MM-DD");
    if (from && to && d1 < d0)
        return err_set(&c->e, ERR_INVALID, "to", "the period ends (%s) before it starts (%s)", to,
                       from);
    if (from)
        f->created_from = d0 * 86400 - TIME_CN_OFFSET;
    if (to)
        f->created_to = (d1 + 1) * 86400 - TIME_CN_OFFSET - 1;
    return 0;
}

/* Place filters of GET /cases: grid, community, bbox=minlon,minlat,maxlon,maxlat,
 * near=lon,lat with radius=metres (a box around the circle; the exact
 * distance is checked after), grid_status=outside; coordinates in ?crs. */
static int place_filters(struct api_ctx *c, struct store_case_filter *f)
{
    double v[4];
    int crs;
    const char *bbox = api__query(c, "bbox"), *near = api__query(c, "near");
    if (api__crs(c, api__query(c, "crs"), &crs))
        return c->e.code;
    c->out_crs = crs;
    f->in_grid = api__query(c, "grid");
    f->in_community = api__query(c, "community");
    f->grid_status = api__query(c, "grid_status");
    if (report_dates(c, f))
        return c->e.code;
    if (bbox) {
        if (numbers(bbox, v, 4) != 4 || v[0] > v[2] || v[1] > v[3] ||
            geo_check_lonlat(v[0], v[1], NULL) || geo_check_lonlat(v[2], v[3], NULL))
            return err_set(&c->e, ERR_INVALID, "bbox", "bbox must be minlon,minlat,maxlon,maxlat");
        geo_convert(crs, GEO_WGS84, v[0], v[1], &f->minx, &f->miny);
        geo_convert(crs, GEO_WGS84, v[2], v[3], &f->maxx, &f->maxy);
        f->has_bbox = 1;
    }
    if (near) {
        int64_t r;
        if (numbers(near, v, 2) != 2 || geo_check_lonlat(v[0], v[1], NULL))
            return err_set(&c->e, ERR_INVALID, "near", "near must be lon,lat");
        if (api__query_int(c, "radius", 500, &r) || r < 1 || r > 50000)
            return err_set(&c->e, ERR_INVALID, "radius", "radius must be 1..50000 metres");
        geo_convert(crs, GEO_WGS84, v[0], v[1], &c->near_lon, &c->near_lat);
        c->near_m = (double)r;
        double dlat = (double)r / 110574.0, dlon = (double)r / (111320.0 * cos(v[1] * M_PI / 180));
        f->minx = c->near_lon - dlon;
        f->maxx = c->near_lon + dlon;
        f->miny = c->near_lat - dlat;
        f->maxy = c->near_lat + dlat;
        f->has_bbox = 1;
    }
    return 0;
}

static int api_cases_list(struct api_ctx *c)
{
    struct store_case_filter f = {0};
    struct store_case *v;
    int n;
    int64_t limit, before;
    if (api__query_int(c, "limit", 50, &limit) || api__query_int(c, "before", 0, &before))
        return c->e.code;
    if (limit < 1 || limit > 1000)
        return err_set(&c->e, ERR_INVALID, "limit", "limit must be 1..1000");
    f.limit = (int)limit;
    f.before_id = before;
    f.state = api__query(c, "state");
    if (f.state && case_state_parse(f.state) < 0)
        return err_set(&c->e, ERR_INVALID, "state", "unknown state '%s'", f.state);
    f.category = api__query(c, "category");
    if (place_filters(c, &f))
        return c->e.code;
    const char *ov = api__query(c, "overdue"), *ar = api__query(c, "at_risk");
    f.overdue = ov && strcmp(ov, "1") == 0;
    f.at_risk = ar && strcmp(ar, "1") == 0;
    if (case_list(c->api->dom, &c->who, &f, c->a, &v, &n, &c->e))
        return c->e.code;
    struct buf b;
    struct jw w;
    api__items_begin(&b, &w, "items");
    int shown = 0;
    for (int i = 0; i < n; i++) {
        if (c->near_m > 0 &&
            geo_distance_m(c->near_lon, c->near_lat, v[i].lon, v[i].lat) > c->near_m)
            continue; /* in the box around the circle, not in the circle */
        api_case_jw(c, &w, &v[i], 0, NULL, NULL);
        shown++;
    }
    jw_arr_end(&w);
    jw_kint(&w, "count", shown);
    jw_kid(&w, "next_before", n == f.limit ? v[n - 1].id : 0);
    jw_obj_end(&w);
    return api__reply_buf(c, 200, &b);
}

void api_case_action_needs_jw(struct jw *w, const struct case_transition *t,
                              const struct actor *who)
{
    struct case_field f[16];
    int n = case_fields(t, who, f, 16);
    jw_kbool(w, "note_required", (t->flags & T_NOTE) != 0);
    jw_key(w, "fields");
    jw_arr(w);
    for (int i = 0; i < n; i++)
        jw_str(w, f[i].name);
    jw_arr_end(w);
    jw_key(w, "required");
    jw_arr(w);
    for (int i = 0; i < n; i++)
        if (f[i].required)
            jw_str(w, f[i].name);
    jw_arr_end(w);
}

/* The actions this actor may take now (found by case_actions, the rule of
 * case_act). */
static void actions_jw(struct jw *w, const struct case_transition *const *t, int n,
                       const struct actor *who)
{
    jw_arr(w);
    for (int i = 0; i < n; i++) {
        jw_obj(w);
        jw_kstr(w, "action", case_action_name(t[i]->act));
        jw_kstr(w, "label", case_action_label(t[i]->act));
        api_case_action_needs_jw(w, t[i], who);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void deadlines_jw(struct jw *w, const struct store_event *ev, int n)
{
    struct case_deadline d[5];
    case_deadlines(ev, n, d);
    jw_arr(w);
    for (int i = 0; i < 5; i++) {
        int64_t end = d[i].done ? d[i].done : time_now();
        jw_obj(w);
        jw_kstr(w, "stage", d[i].stage);
        jw_ktime(w, "started", d[i].started);
        jw_ktime(w, "due", d[i].due);
        jw_ktime(w, "done", d[i].done);
        jw_kbool(w, "late", d[i].due && d[i].started && end > d[i].due);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* What the full view of a case adds: events, deadlines, whistles, actions. */
struct detail {
    const struct store_case *k;          /* the case */
    struct store_event *ev;              /* its events */
    int n;                               /* their number */
    struct store_whistle *wh;            /* its whistles */
    int nw;                              /* their number */
    const struct case_transition **acts; /* the actions the caller may take now */
    int n_acts;                          /* their number */
    int rc;                              /* an error met while writing, 0 if none */
};

static void detail_more(struct api_ctx *c, struct jw *w, void *arg)
{
    struct detail *d = arg;
    jw_key(w, "events");
    jw_arr(w);
    for (int i = 0; i < d->n; i++)
        api_case_event_jw(w, &d->ev[i]);
    jw_arr_end(w);
    jw_key(w, "deadlines");
    deadlines_jw(w, d->ev, d->n);
    jw_key(w, "whistles");
    jw_arr(w);
    for (int i = 0; i < d->nw && d->rc == 0; i++)
        d->rc = api_case_whistle_jw(c, w, &d->wh[i]);
    jw_arr_end(w);
    jw_key(w, "actions");
    actions_jw(w, d->acts, d->n_acts, &c->who);
}

/* Reads what the full view needs, in one read transaction. */
static int load_detail(struct store *s, void *arg, struct err *e)
{
    struct api_ctx *c = ((void **)arg)[0];
    struct detail *d = ((void **)arg)[1];
    if (case_get(c->api->dom, &c->who, c->id, c->a, (struct store_case *)d->k, e) ||
        store_case_events(s, d->k->id, c->a, &d->ev, &d->n, e) ||
        store_whistle_list(s, d->k->id, 0, c->a, &d->wh, &d->nw, e) ||
        case_actions(c->api->dom, &c->who, d->k, c->a, &d->acts, &d->n_acts, e))
        return e->code;
    return 0;
}

/* Answers with one case; with events etc. when full. */
static int reply_case(struct api_ctx *c, int status, const struct store_case *k, struct detail *d)
{
    struct buf b;
    struct jw w;
    api__buf_init(&b);
    jw_init(&w, &b);
    api_case_jw(c, &w, k, 1, d ? detail_more : NULL, d);
    if (d && d->rc) { /* a part could not be read: no answer with it missing */
        buf_free(&b);
        return d->rc;
    }
    return api__reply_buf(c, status, &b);
}

/* The first deadline of k after now (its overdue and at-risk marks change
 * then), or INT64_MAX. */
static int64_t next_deadline(const struct store_case *k, int64_t now)
{
    int64_t t[3] = {k->warn_at, k->due_at, k->close_due}, next = INT64_MAX;
    for (int i = 0; i < 3; i++)
        if (t[i] > now && t[i] < next)
            next = t[i];
    return next;
}

static int api_case_get(struct api_ctx *c)
{
    if (api__crs(c, api__query(c, "crs"), &c->out_crs))
        return c->e.code;
    struct api_case_cache_key key = {c->id, c->who.user_id, c->who.unit_id, c->who.role,
                                     c->out_crs};
    int cacheable = api_case_cache_viewer_ok(&c->who);
    int64_t now = time_now();
    struct store *s = c->api->store;
    /* A cached answer is current if made at or after the last change of the
     * case; one made now reflects at least every change up to gen. */
    int64_t gen = store_gen(s);
    if (cacheable && api_case_cache_get(c->api->cache, &key, store_case_gen(s, c->id), now,
                                        &c->resp->body, &c->resp->len)) {
        c->resp->status = 200;
        c->resp->content_type = "application/json; charset=utf-8";
        c->resp->body_heap = 1;
        return 0;
    }
    struct store_case k;
    struct detail d = {.k = &k};
    void *args[2] = {c, &d};
    if (store_read(s, load_detail, args, &c->e))
        return c->e.code;
    int rc = reply_case(c, 200, &k, &d);
    if (rc == 0 && cacheable && c->resp->status == 200)
        api_case_cache_put(c->api->cache, &key, gen, now, next_deadline(&k, now), c->resp->body,
                           c->resp->len);
    return rc;
}

static int api_case_events(struct api_ctx *c)
{
    struct store_event *ev;
    int n;
    if (case_events(c->api->dom, &c->who, c->id, c->a, &ev, &n, &c->e))
        return c->e.code;
    struct buf b;
    struct jw w;
    api__items_begin(&b, &w, "items");
    for (int i = 0; i < n; i++)
        api_case_event_jw(&w, &ev[i]);
    api__items_end(&w);
    return api__reply_buf(c, 200, &b);
}

static int parse_satisfaction(struct api_ctx *c, struct case_action *a)
{
    static const char *const names[] = {"satisfied", "basically_satisfied", "unsatisfied"};
    const char *s = api__str(c, "satisfaction");
    a->satisfaction = 0;
    for (int i = 0; s && i < 3; i++)
        if (strcmp(s, names[i]) == 0)
            a->satisfaction = i + 1;
    if (s && a->satisfaction == 0)
        return err_set(&c->e, ERR_INVALID, "satisfaction",
                       "satisfaction must be satisfied, basically_satisfied or unsatisfied");
    return 0;
}

/* Fills a case_action from the checked body. */
static int action_from_body(struct api_ctx *c, struct case_action *a)
{
    const char *span = api__str(c, "span");
    json_t *res = json_object_get(c->body, "resolved"),
           *conf = json_object_get(c->body, "confirmed");
    memset(a, 0, sizeof *a);
    a->act = case_action_parse(api__str(c, "action"));
    a->note = api__str(c, "note");
    a->unit_id = api__int(c, "unit", 0);
    a->units = api__ints(c, "units", &a->n_units);
    a->ref_id = api__int(c, "master", api__int(c, "verifier", api__int(c, "whistle", 0)));
    a->resolved = json_is_boolean(res) ? json_is_true(res) : -1;
    a->confirmed = json_is_boolean(conf) ? json_is_true(conf) : -1;
    int64_t score = api__int(c, "score", -1), limit = api__int(c, "limit_minutes", 0);
    if (score < -1 || score > 100)
        return err_set(&c->e, ERR_INVALID, "score", "score must be 0..100");
    if (limit < 0 || limit > 7 * 24 * 60)
        return err_set(&c->e, ERR_INVALID, "limit_minutes",
                       "limit_minutes must be 1..10080 (0 or absent: the type's default)");
    a->score = (int)score;
    a->whistle_type = api__str(c, "type");
    a->limit_min = (int)limit;
    a->attachments = join_strs(c, "attachments");
    a->expect_seq = api__int(c, "expect_seq", 0);
    if (span && cal_span_parse(span, &a->span))
        return err_set(&c->e, ERR_INVALID, "span", "span must look like 2wd, 4wh, 90wm or 24h");
    return parse_satisfaction(c, a);
}

static const struct api_field action_spec[] = {
    {"action", F_STR, 1},       {"note", F_STR, 0},          {"unit", F_INT, 0},
    {"units", F_INTS, 0},       {"master", F_INT, 0},        {"verifier", F_INT, 0},
    {"whistle", F_INT, 0},      {"span", F_STR, 0},          {"resolved", F_BOOL, 0},
    {"satisfaction", F_STR, 0}, {"score", F_INT, 0},         {"confirmed", F_BOOL, 0},
    {"type", F_STR, 0},         {"limit_minutes", F_INT, 0}, {"attachments", F_STRS, 0},
    {"expect_seq", F_INT, 0},
};

/* Runs an action and answers with the case afterwards. */
static int run_action(struct api_ctx *c, int64_t case_id, struct case_action *a, int status)
{
    struct store_case k;
    if (case_act(c->api->dom, &c->who, case_id, a, c->a, &k, &c->e))
        return c->e.code;
    return reply_case(c, status, &k, NULL);
}

static int api_case_act(struct api_ctx *c)
{
    struct case_action a;
    if (api__check_body(c, action_spec, ARRAY_SIZE(action_spec)) || action_from_body(c, &a))
        return c->e.code;
    if (a.act == ACT_NONE)
        return err_set(&c->e, ERR_INVALID, "action", "unknown action '%s'", api__str(c, "action"));
    return run_action(c, c->id, &a, 200);
}

static int api_case_whistle(struct api_ctx *c)
{
    static const struct api_field spec[] = {
        {"type", F_STR, 1}, {"units", F_INTS, 1}, {"limit_minutes", F_INT, 0}, {"note", F_STR, 0}};
    struct case_action a;
    if (api__check_body(c, spec, ARRAY_SIZE(spec)) || action_from_body(c, &a))
        return c->e.code;
    a.act = ACT_WHISTLE;
    return run_action(c, c->id, &a, 201);
}

/* Whistle report/rate: find the whistle's case, then act on it. */
static int whistle_action(struct api_ctx *c, int act, const struct api_field *spec, int n)
{
    struct store_whistle w;
    struct case_action a;
    if (api__check_body(c, spec, n) || action_from_body(c, &a))
        return c->e.code;
    if (store_whistle_get(c->api->store, c->id, c->a, &w, &c->e))
        return c->e.code;
    a.act = act;
    a.ref_id = w.id;
    int rc = run_action(c, w.case_id, &a, 200);
    if (rc == ERR_NOTFOUND && strcmp(c->e.field, "id") == 0) { /* the case is not visible */
        err_clear(&c->e);
        return err_set(&c->e, ERR_NOTFOUND, "id", "no whistle %lld", (long long)c->id);
    }
    return rc;
}

static int api_whistle_report(struct api_ctx *c)
{
    static const struct api_field spec[] = {{"note", F_STR, 0}, {"unit", F_INT, 0}};
    return whistle_action(c, ACT_WHISTLE_REPORT, spec, ARRAY_SIZE(spec));
}

static int api_whistle_rate(struct api_ctx *c)
{
    static const struct api_field spec[] = {
        {"unit", F_INT, 1}, {"score", F_INT, 1}, {"note", F_STR, 0}};
    return whistle_action(c, ACT_WHISTLE_RATE, spec, ARRAY_SIZE(spec));
}

/* Answers with one whistle (list = 0) or {"items": [...]} (list = 1). */
static int reply_whistles(struct api_ctx *c, const struct store_whistle *wh, int n, int list)
{
    struct buf b;
    struct jw w;
    api__buf_init(&b);
    jw_init(&w, &b);
    if (list) {
        jw_obj(&w);
        jw_key(&w, "items");
        jw_arr(&w);
    }
    for (int i = 0; i < n; i++)
        if (api_case_whistle_jw(c, &w, &wh[i])) {
            buf_free(&b);
            return c->e.code;
        }
    if (list) {
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    return api__reply_buf(c, 200, &b);
}

static int api_whistle_get(struct api_ctx *c)
{
    struct store_whistle w;
    struct store_case k;
    if (store_whistle_get(c->api->store, c->id, c->a, &w, &c->e) ||
        case_get(c->api->dom, &c->who, w.case_id, c->a, &k, &c->e)) {
        if (c->e.code != ERR_NOTFOUND)
            return c->e.code;
        err_clear(&c->e); /* do not disclose the case behind an invisible whistle */
        return err_set(&c->e, ERR_NOTFOUND, "id", "no whistle %lld", (long long)c->id);
    }
    return reply_whistles(c, &w, 1, 0);
}

static int api_whistles_list(struct api_ctx *c)
{
    struct store_whistle *w;
    int n;
    int64_t limit;
    if (api__query_int(c, "limit", 100, &limit))
        return c->e.code;
    if (limit < 1 || limit > 1000)
        return err_set(&c->e, ERR_INVALID, "limit", "limit must be 1..1000");
    if (store_whistle_list(c->api->store, 0, (int)limit, c->a, &w, &n, &c->e))
        return c->e.code;
    /* Only whistles on cases the caller may see. */
    int k = 0;
    for (int i = 0; i < n; i++) {
        struct store_case kc;
        struct err e2 = {0};
        if (case_get(c->api->dom, &c->who, w[i].case_id, c->a, &kc, &e2) == 0)
            w[k++] = w[i];
    }
    return reply_whistles(c, w, k, 1);
}

static const struct api_route routes[] = {
    {"/cases", "GET", api_cases_list, ACCESS_USER, 0},
    {"/cases", "POST", api_cases_create, ACCESS_USER, ROUTE_WRITER},
    {"/cases/{id}", "GET", api_case_get, ACCESS_USER, 0},
    {"/cases/{id}/actions", "POST", api_case_act, ACCESS_USER, ROUTE_WRITER},
    {"/cases/{id}/events", "GET", api_case_events, ACCESS_USER, 0},
    {"/cases/{id}/whistles", "POST", api_case_whistle, ACCESS_USER, ROUTE_WRITER},
    {"/categories", "GET", api_categories_list, ACCESS_PUBLIC, 0},
    {"/transitions", "GET", api_transitions_list, ACCESS_PUBLIC, 0},
    {"/whistle-types", "GET", api_whistle_types_list, ACCESS_PUBLIC, 0},
    {"/whistles", "GET", api_whistles_list, ACCESS_CASEWORK, 0},
    {"/whistles/{id}", "GET", api_whistle_get, ACCESS_USER, 0},
    {"/whistles/{id}/rate", "POST", api_whistle_rate, ACCESS_USER, ROUTE_WRITER},
    {"/whistles/{id}/report", "POST", api_whistle_report, ACCESS_USER, ROUTE_WRITER},
};
API_ROUTES(api_case_routes, "case", routes);
