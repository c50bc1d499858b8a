/* api_place.c - /places: the place tree, boundary import and export,
 * locating a point, grid teams. */
#include <stdlib.h>
#include <string.h>
#include "api_place.h"
#include "store/store.h"
#include "domain/place/place.h"

/* Writes one place as a GeoJSON Feature (with_geom) or a plain object. */
static void place_jw(struct jw *w, const struct store_place *p, int feature)
{
    jw_obj(w);
    if (feature) {
        jw_kstr(w, "type", "Feature");
        jw_key(w, "properties");
        jw_obj(w);
    }
    jw_kstr(w, "code", p->code);
    jw_kstr(w, "kind", p->kind);
    jw_kstr(w, "parent", p->parent);
    jw_kstr(w, "name", p->name);
    if (p->area_m2 > 0) {
        jw_key(w, "area_m2");
        jw_num(w, (double)(int64_t)(p->area_m2 + 0.5));
    }
    if (feature) {
        jw_obj_end(w);
        jw_key(w, "geometry");
        if (p->geometry && *p->geometry)
            jw_raw(w, p->geometry, strlen(p->geometry)); /* stored as GeoJSON */
        else
            jw_null(w);
    }
    jw_obj_end(w);
}

struct list_ctx {
    struct jw *w; /* output */
    int feature;  /* GeoJSON features */
    int n;        /* written */
};

static int list_one(void *arg, const struct store_place *p)
{
    struct list_ctx *l = arg;
    place_jw(l->w, p, l->feature);
    l->n++;
    return 0;
}

static int api_places_list(struct api_ctx *c)
{
    const char *kind = api__query(c, "kind"), *parent = api__query(c, "parent");
    const char *format = api__query(c, "format");
    int geojson = format && strcmp(format, "geojson") == 0;
    if (format && !geojson && strcmp(format, "json") != 0)
        return err_set(&c->e, ERR_INVALID, "format", "format must be json or geojson");
    if (kind && place_kind_rank(kind) < 0)
        return err_set(&c->e, ERR_INVALID, "kind", "unknown kind '%s'", kind);
    struct buf b;
    struct jw w;
    api__buf_init(&b);
    jw_init(&w, &b);
    jw_obj(&w);
    if (geojson)
        jw_kstr(&w, "type", "FeatureCollection");
    jw_key(&w, geojson ? "features" : "items");
    jw_arr(&w);
    struct list_ctx l = {&w, geojson, 0};
    int rc = store_place_each(c->api->store, kind, parent, geojson, list_one, &l, &c->e);
    jw_arr_end(&w);
    jw_obj_end(&w);
    if (rc) {
        buf_free(&b);
        return rc;
    }
    return api__reply_buf(c, 200, &b);
}

static int add_name(void *arg, const char *name, int64_t from, int64_t to)
{
    struct jw *w = arg;
    jw_obj(w);
    jw_kstr(w, "name", name);
    jw_ktime(w, "from", from);
    jw_ktime(w, "to", to);
    jw_obj_end(w);
    return 0;
}

static int add_member(void *arg, int64_t user_id, const char *role)
{
    struct jw *w = arg;
    jw_obj(w);
    jw_kint(w, "user", user_id);
    jw_kstr(w, "role", role);
    jw_obj_end(w);
    return 0;
}

/* Writes a place with its names, team and children; every part is read or
 * the answer fails (no 200 with a part missing). */
static int place_detail(struct store *s, void *arg, struct err *e)
{
    struct api_ctx *c = ((void **)arg)[0];
    struct jw *w = ((void **)arg)[1];
    struct store_place p;
    struct list_ctx l = {w, 0, 0};
    if (store_place_get(s, c->code, c->a, &p, e))
        return e->code;
    jw_obj(w);
    jw_key(w, "place");
    place_jw(w, &p, 1);
    jw_key(w, "names");
    jw_arr(w);
    if (store_place_names(s, p.code, add_name, w, e))
        return e->code;
    jw_arr_end(w);
    jw_key(w, "team");
    jw_arr(w);
    if (store_grid_members(s, p.code, add_member, w, e))
        return e->code;
    jw_arr_end(w);
    jw_key(w, "children");
    jw_arr(w);
    if (store_place_each(s, NULL, p.code, 0, list_one, &l, e))
        return e->code;
    jw_arr_end(w);
    jw_obj_end(w);
    return 0;
}

static int api_place_get(struct api_ctx *c)
{
    struct buf b;
    struct jw w;
    api__buf_init(&b);
    jw_init(&w, &b);
    void *args[2] = {c, &w};
    if (store_read(c->api->store, place_detail, args, &c->e)) {
        buf_free(&b);
        return c->e.code;
    }
    return api__reply_buf(c, 200, &b);
}

static void report_jw(struct jw *w, const struct place_report *r, int applied)
{
    jw_obj(w);
    if (r->n_issues) { /* the error envelope, with the report beside it */
        jw_key(w, "error");
        jw_obj(w);
        jw_kstr(w, "code", "invalid");
        jw_kint(w, "status", 400);
        jw_kstr(w, "message", "the boundary set has problems; nothing was stored");
        jw_obj_end(w);
    }
    jw_kint(w, "places", r->n_places);
    jw_kint(w, "cases_regridded", r->regridded);
    jw_kbool(w, "stored", applied && r->n_issues == 0);
    jw_kint(w, "problems", r->n_issues);
    jw_key(w, "issues");
    jw_arr(w);
    for (int i = 0; i < r->n_issues && i < (int)ARRAY_SIZE(r->issues); i++) {
        const struct geo_issue *x = &r->issues[i];
        jw_obj(w);
        jw_kstr(w, "code", x->code);
        if (x->other[0])
            jw_kstr(w, "other", x->other);
        jw_kstr(w, "kind", x->kind);
        jw_kstr(w, "detail", x->detail);
        if (x->lon != 0 || x->lat != 0) {
            jw_key(w, "at");
            jw_arr(w);
            jw_num(w, x->lon);
            jw_num(w, x->lat);
            jw_arr_end(w);
        }
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

static int api_places_import(struct api_ctx *c)
{
    struct place_report *r = arena_alloc(c->a, sizeof *r);
    int64_t epsg, dry;
    if (api__query_int(c, "epsg", 0, &epsg) || api__query_int(c, "dry_run", 0, &dry))
        return c->e.code;
    if (epsg < 0 || epsg > 999999)
        return err_set(&c->e, ERR_INVALID, "epsg",
                       "epsg must be an EPSG code such as 4326 or 4543");
    int rc = place_import_geojson(c->api->dom, c->req->body ? c->req->body : "", c->req->body_len,
                                  (int)epsg, dry == 0, r, &c->e);
    if (rc && (rc != ERR_INVALID || r->n_issues == 0))
        return rc; /* not a FeatureCollection, a bad feature, or a store error */
    struct buf b;
    struct jw w;
    api__buf_init(&b);
    jw_init(&w, &b);
    report_jw(&w, r, dry == 0);
    if (rc)
        c->resp->exit_code = 4;
    return api__reply_buf(c, rc ? 400 : 200, &b);
}

static int api_places_locate(struct api_ctx *c)
{
    const char *lon_s = api__query(c, "lon"), *lat_s = api__query(c, "lat");
    char *end1 = NULL, *end2 = NULL, grid[40];
    int crs;
    double lon = lon_s ? strtod(lon_s, &end1) : 0, lat = lat_s ? strtod(lat_s, &end2) : 0;
    if (!lon_s || !lat_s || !*lon_s || !*lat_s || *end1 || *end2 ||
        geo_check_lonlat(lon, lat, &c->e))
        return c->e.code ? c->e.code
                         : err_set(&c->e, ERR_INVALID, "lon", "give lon and lat as numbers");
    if (api__crs(c, api__query(c, "crs"), &crs))
        return c->e.code;
    geo_convert(crs, GEO_WGS84, lon, lat, &lon, &lat);
    int found = place_grid_at(c->api->dom, lon, lat, grid);
    struct buf b;
    struct jw w;
    api__buf_init(&b);
    jw_init(&w, &b);
    jw_obj(&w);
    jw_key(&w, "wgs84");
    jw_arr(&w);
    jw_num(&w, lon);
    jw_num(&w, lat);
    jw_arr_end(&w);
    jw_key(&w, "grid");
    found ? jw_str(&w, grid) : jw_null(&w);
    jw_key(&w, "community");
    if (found) {
        grid[12] = '\0';
        jw_str(&w, grid);
    } else {
        jw_null(&w);
    }
    jw_obj_end(&w);
    return api__reply_buf(c, 200, &b);
}

static int api_place_team(struct api_ctx *c)
{
    static const struct api_field spec[] = {
        {"user", F_INT, 1}, {"role", F_STR, 1}, {"remove", F_BOOL, 0}};
    if (api__check_body(c, spec, ARRAY_SIZE(spec)) ||
        place_team_set(c->api->dom, c->code, api__int(c, "user", 0), api__str(c, "role"),
                       !api__bool(c, "remove", 0), &c->e))
        return c->e.code;
    return api_place_get(c);
}

static int api_place_rename(struct api_ctx *c)
{
    static const struct api_field spec[] = {{"name", F_STR, 1}};
    if (api__check_body(c, spec, ARRAY_SIZE(spec)) ||
        place_rename(c->api->dom, c->code, api__str(c, "name"), &c->e))
        return c->e.code;
    return api_place_get(c);
}

static const struct api_route routes[] = {
    {"/places", "GET", api_places_list, ACCESS_USER, 0},
    {"/places/import", "POST", api_places_import, ACCESS_ADMIN, ROUTE_RAW_BODY},
    {"/places/locate", "GET", api_places_locate, ACCESS_USER, 0},
    {"/places/{code}", "GET", api_place_get, ACCESS_USER, 0},
    {"/places/{code}", "POST", api_place_rename, ACCESS_ADMIN, 0},
    {"/places/{code}/team", "POST", api_place_team, ACCESS_ADMIN, 0},
};
API_ROUTES(api_place_routes, "place", routes);
