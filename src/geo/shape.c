/*
 * shape.c - shapes (Point, Polygon, MultiPolygon in WGS-84 lon/lat) on GEOS:
 * the per-thread GEOS context, strict GeoJSON in and out, bbox, area on a
 * local equal-area projection, a point on the surface, and reprojection of
 * projected CGCS2000 input through PROJ. See geo.h.
 *
 * Threads: every GEOS call goes through the calling thread's own context
 * (geo__ctx), so shape functions may run on several threads at once as long
 * as no two threads touch the same shape while one of them changes it
 * (geo_shape_reproject, geo_shape_free).
 */
#include <jansson.h>
#include <math.h>
#include <proj.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "geo_int.h"

/* ---- per-thread GEOS context ------------------------------------------- */

/* One thread's GEOS context and its last error message. */
struct tctx {
    GEOSContextHandle_t h; /* the context */
    char err[256];         /* last GEOS error, "" when none */
};

static _Thread_local struct tctx *tl_ctx; /* this thread's context, or NULL */
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static pthread_key_t g_key; /* destroys a thread's context when it exits */

/* GEOS error handler: keeps the message instead of printing it. */
static void on_geos_error(const char *msg, void *ud)
{
    struct tctx *t = ud;
    str_copy(t->err, sizeof t->err, msg ? msg : "");
}

/* GEOS notice handler: notices are dropped. */
static void on_geos_notice(const char *msg, void *ud)
{
    (void)msg;
    (void)ud;
}

/* Destroys one thread's context (the pthread key destructor). */
static void tctx_destroy(void *p)
{
    struct tctx *t = p;
    if (t == NULL)
        return;
    GEOS_finish_r(t->h);
    xfree(t);
}

/* Creates the key whose destructor frees a thread's context at exit. */
static void key_make(void)
{
    if (pthread_key_create(&g_key, tctx_destroy) != 0)
        abort();
}

/* The calling thread's context, created on first use; NULL if GEOS fails. */
static struct tctx *tctx_get(void)
{
    if (tl_ctx)
        return tl_ctx;
    pthread_once(&g_once, key_make);
    GEOSContextHandle_t h = GEOS_init_r();
    if (h == NULL)
        return NULL;
    struct tctx *t = xcalloc(1, sizeof *t);
    t->h = h;
    GEOSContext_setErrorMessageHandler_r(h, on_geos_error, t);
    GEOSContext_setNoticeMessageHandler_r(h, on_geos_notice, t);
    pthread_setspecific(g_key, t);
    tl_ctx = t;
    return t;
}

GEOSContextHandle_t geo__ctx(void)
{
    struct tctx *t = tctx_get();
    if (t == NULL) {
        fprintf(stderr, "chuishao: cannot create a GEOS context\n");
        abort();
    }
    return t->h;
}

/* See geo_int.h. */
const char *geo__last_error(void)
{
    return tl_ctx ? tl_ctx->err : "";
}

/* See geo_int.h. */
void geo__clear_error(void)
{
    if (tl_ctx)
        tl_ctx->err[0] = '\0';
}

/* Creates the calling thread's GEOS context. Other threads get theirs on
 * first use; each is destroyed when its thread exits. 0 or ERR_INTERNAL. */
int geo_init(void)
{
    return tctx_get() ? 0 : ERR_INTERNAL;
}

/* Destroys the calling thread's GEOS context (call after the last shape and
 * index function of this thread; shapes themselves stay usable). */
void geo_shutdown(void)
{
    if (tl_ctx == NULL)
        return;
    pthread_setspecific(g_key, NULL);
    tctx_destroy(tl_ctx);
    tl_ctx = NULL;
}

/* ---- shapes ------------------------------------------------------------- */

struct geo_shape *geo__shape_wrap(GEOSGeometry *g)
{
    GEOSContextHandle_t h = geo__ctx();
    int id = GEOSGeomTypeId_r(h, g);
    int type = id == GEOS_POINT ? 1 : id == GEOS_POLYGON ? 2 : id == GEOS_MULTIPOLYGON ? 3 : 0;
    if (type == 0) {
        GEOSGeom_destroy_r(h, g);
        return NULL;
    }
    struct geo_shape *s = xcalloc(1, sizeof *s);
    s->g = g;
    s->type = type;
    return s;
}

/* Frees a shape and its geometry (NULL is fine). */
void geo_shape_free(struct geo_shape *s)
{
    if (s == NULL)
        return;
    GEOSGeom_destroy_r(geo__ctx(), s->g);
    xfree(s);
}

/* 1 Point, 2 Polygon, 3 MultiPolygon. */
int geo_shape_type(const struct geo_shape *s)
{
    return s->type;
}

/* Bounding box; all four are 0 for an empty shape. */
void geo_shape_bbox(const struct geo_shape *s, double *minx, double *miny, double *maxx,
                    double *maxy)
{
    GEOSContextHandle_t h = geo__ctx();
    *minx = *miny = *maxx = *maxy = 0;
    if (GEOSisEmpty_r(h, s->g) != 0)
        return;
    GEOSGeom_getExtent_r(h, s->g, minx, miny, maxx, maxy);
}

/* ---- GeoJSON in ----------------------------------------------------------- */

/* Largest number of positions accepted in one ring (a 1 km boundary traced
 * every 1 cm has 100,000). */
#define RING_MAX 10000000u

/* State of one GeoJSON parse. */
struct parse {
    GEOSContextHandle_t h; /* this thread's GEOS context */
    struct err *e;         /* where errors go */
    int lonlat;            /* 1: positions are lon/lat and range-checked */
};

/* Reads position k (1-based) of `where` from p into xy[0..1]. 0 or ERR_INVALID. */
static int parse_position(const struct parse *ps, json_t *p, const char *where, size_t k,
                          double *xy)
{
    struct err *e = ps->e;
    if (!json_is_array(p))
        return err_set(e, ERR_INVALID, "coordinates", "%s position %zu is not an array of numbers",
                       where, k);
    size_t n = json_array_size(p);
    if (n < 2 || n > 3)
        return err_set(e, ERR_INVALID, "coordinates",
                       "%s position %zu has %zu numbers (want longitude, latitude and an "
                       "optional altitude)",
                       where, k, n);
    for (size_t i = 0; i < n; i++)
        if (!json_is_number(json_array_get(p, i)))
            return err_set(e, ERR_INVALID, "coordinates",
                           "%s position %zu: coordinate %zu is not a number", where, k, i + 1);
    double lon = json_number_value(json_array_get(p, 0));
    double lat = json_number_value(json_array_get(p, 1));
    if (!ps->lonlat) { /* projected metres: only finite numbers */
        if (!isfinite(lon) || !isfinite(lat))
            return err_set(e, ERR_INVALID, "coordinates", "%s position %zu is not finite", where,
                           k);
        xy[0] = lon;
        xy[1] = lat;
        return 0;
    }
    if (!isfinite(lon) || lon < -180 || lon > 180)
        return err_set(e, ERR_INVALID, "coordinates",
                       "%s position %zu: longitude %.10g is outside [-180, 180]", where, k, lon);
    if (!isfinite(lat) || lat < -90 || lat > 90)
        return err_set(e, ERR_INVALID, "coordinates",
                       "%s position %zu: latitude %.10g is outside [-90, 90]", where, k, lat);
    xy[0] = lon;
    xy[1] = lat;
    return 0;
}

/* Parses the ring `where` (an array of positions) into a GEOS linear ring. */
static int parse_ring(const struct parse *ps, json_t *r, const char *where, GEOSGeometry **out)
{
    GEOSContextHandle_t h = ps->h;
    struct err *e = ps->e;
    if (!json_is_array(r))
        return err_set(e, ERR_INVALID, "coordinates", "%s is not an array of positions", where);
    size_t n = json_array_size(r);
    if (n < 4)
        return err_set(e, ERR_INVALID, "coordinates",
                       "%s has %zu positions (a ring needs at least 4, the last equal to the "
                       "first)",
                       where, n);
    if (n > RING_MAX)
        return err_set(e, ERR_INVALID, "coordinates", "%s has more than %u positions", where,
                       RING_MAX);
    double *xy = xmalloc(n * 2 * sizeof *xy);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = parse_position(ps, json_array_get(r, i), where, i + 1, xy + 2 * i);
    if (rc == 0 && (xy[0] != xy[2 * n - 2] || xy[1] != xy[2 * n - 1]))
        rc = err_set(e, ERR_INVALID, "coordinates",
                     "%s is not closed (its last position differs from the first)", where);
    if (rc == 0) {
        geo__clear_error();
        GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(h, xy, (unsigned)n, 0, 0);
        *out = seq ? GEOSGeom_createLinearRing_r(h, seq) : NULL;
        if (*out == NULL)
            rc = err_set(e, ERR_INVALID, "coordinates", "%s: %s", where, geo__last_error());
    }
    xfree(xy);
    return rc;
}

/* Parses the rings of one polygon; `poly` is "" for a Polygon or "polygon N"
 * inside a MultiPolygon (for messages). */
static int parse_polygon(const struct parse *ps, json_t *rings, const char *poly,
                         GEOSGeometry **out)
{
    GEOSContextHandle_t h = ps->h;
    struct err *e = ps->e;
    char where[64];
    if (!json_is_array(rings))
        return err_set(e, ERR_INVALID, "coordinates", "%s is not an array of rings",
                       poly[0] ? poly : "coordinates");
    size_t n = json_array_size(rings);
    if (n == 0) {
        *out = GEOSGeom_createEmptyPolygon_r(h);
        return 0;
    }
    GEOSGeometry **r = xcalloc(n, sizeof *r);
    int rc = 0;
    size_t done = 0;
    for (; rc == 0 && done < n; done++) {
        snprintf(where, sizeof where, "%s%sring %zu", poly, poly[0] ? " " : "", done + 1);
        rc = parse_ring(ps, json_array_get(rings, done), where, &r[done]);
    }
    if (rc == 0) {
        *out = GEOSGeom_createPolygon_r(h, r[0], r + 1, (unsigned)(n - 1));
        if (*out == NULL)
            rc = err_set(e, ERR_INVALID, "coordinates", "%s: %s", poly[0] ? poly : "polygon",
                         geo__last_error());
    } else {
        for (size_t i = 0; i < done; i++)
            if (r[i])
                GEOSGeom_destroy_r(h, r[i]);
    }
    xfree(r);
    return rc;
}

/* Parses the coordinates of a MultiPolygon. */
static int parse_multipolygon(const struct parse *ps, json_t *polys, GEOSGeometry **out)
{
    GEOSContextHandle_t h = ps->h;
    struct err *e = ps->e;
    char prefix[32];
    if (!json_is_array(polys))
        return err_set(e, ERR_INVALID, "coordinates", "coordinates is not an array of polygons");
    size_t n = json_array_size(polys);
    GEOSGeometry **p = xcalloc(n ? n : 1, sizeof *p);
    int rc = 0;
    size_t done = 0;
    for (; rc == 0 && done < n; done++) {
        snprintf(prefix, sizeof prefix, "polygon %zu", done + 1);
        rc = parse_polygon(ps, json_array_get(polys, done), prefix, &p[done]);
    }
    if (rc == 0) {
        *out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, p, (unsigned)n);
        if (*out == NULL)
            rc = err_set(e, ERR_INVALID, "coordinates", "multipolygon: %s", geo__last_error());
    } else {
        for (size_t i = 0; i < done; i++)
            if (p[i])
                GEOSGeom_destroy_r(h, p[i]);
    }
    xfree(p);
    return rc;
}

/* Checks the "type" member and returns 1, 2 or 3, or ERR_INVALID. */
static int parse_type(json_t *root, struct err *e)
{
    static const char *const types[] = {"Point", "Polygon", "MultiPolygon"};
    static const char *const other[] = {"LineString", "MultiPoint", "MultiLineString",
                                        "GeometryCollection"};
    json_t *t = json_object_get(root, "type");
    if (!json_is_string(t))
        return err_set(e, ERR_INVALID, "type", "a GeoJSON geometry needs a string \"type\"");
    const char *s = json_string_value(t);
    for (size_t i = 0; i < ARRAY_SIZE(types); i++)
        if (strcmp(s, types[i]) == 0)
            return (int)i + 1;
    for (size_t i = 0; i < ARRAY_SIZE(other); i++)
        if (strcmp(s, other[i]) == 0)
            return err_set(e, ERR_INVALID, "type",
                           "geometry type \"%s\" is not supported (want Point, Polygon or "
                           "MultiPolygon)",
                           s);
    if (strcmp(s, "Feature") == 0 || strcmp(s, "FeatureCollection") == 0)
        return err_set(e, ERR_INVALID, "type",
                       "a %s is not a geometry (pass its \"geometry\" object)", s);
    return err_set(e, ERR_INVALID, "type", "unknown geometry type \"%.60s\"", s);
}

/* Parses a GeoJSON geometry into *out; lonlat selects the range check. */
static int parse_geojson(const char *text, size_t n, int lonlat, struct geo_shape **out,
                         struct err *e)
{
    struct parse ps = {geo__ctx(), e, lonlat};
    json_error_t je;
    GEOSGeometry *g = NULL;
    int rc = 0;
    *out = NULL;
    json_t *root = json_loadb(text, n, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
    if (root == NULL)
        return err_set(e, ERR_INVALID, NULL, "not JSON: %s (line %d, column %d)", je.text, je.line,
                       je.column);
    if (!json_is_object(root)) {
        rc = err_set(e, ERR_INVALID, NULL, "not a GeoJSON geometry object");
        goto out;
    }
    int type = parse_type(root, e);
    if (type < 0) {
        rc = type;
        goto out;
    }
    json_t *c = json_object_get(root, "coordinates");
    if (c == NULL) {
        rc = err_set(e, ERR_INVALID, "coordinates", "the geometry has no \"coordinates\"");
        goto out;
    }
    if (type == 1) {
        double xy[2];
        rc = parse_position(&ps, c, "point", 1, xy);
        if (rc == 0 && (g = GEOSGeom_createPointFromXY_r(ps.h, xy[0], xy[1])) == NULL)
            rc = err_set(e, ERR_INTERNAL, NULL, "point: %s", geo__last_error());
    } else if (type == 2) {
        rc = parse_polygon(&ps, c, "", &g);
    } else {
        rc = parse_multipolygon(&ps, c, &g);
    }
    if (rc == 0 && (*out = geo__shape_wrap(g)) == NULL)
        rc = err_set(e, ERR_INTERNAL, NULL, "unexpected geometry type");
out:
    json_decref(root);
    return rc;
}

/* Parses a GeoJSON geometry (see geo.h). Foreign members ("bbox", "crs"...)
 * are ignored; a Polygon or MultiPolygon with no coordinates is empty (kept,
 * geo_validate reports it). The geometry is not validated: a self-crossing
 * ring parses. Returns 0 or ERR_INVALID (e->field "type" or "coordinates");
 * messages name the place: "polygon 2 ring 1 is not closed". */
int geo_shape_from_geojson(const char *text, size_t n, struct geo_shape **out, struct err *e)
{
    return parse_geojson(text, n, 1, out, e);
}

/* Parses a GeoJSON geometry whose coordinates are in EPSG:epsg and returns
 * it in lon/lat (see geo_int.h). 0, ERR_INVALID. */
int geo_shape_from_geojson_epsg(const char *text, size_t n, int epsg, struct geo_shape **out,
                                struct err *e)
{
    int lonlat = epsg == 0 || epsg == 4326 || epsg == 4490;
    int rc = parse_geojson(text, n, lonlat, out, e);
    if (rc == 0 && !lonlat && (rc = geo_shape_reproject(*out, epsg, e)) != 0) {
        geo_shape_free(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- GeoJSON out ---------------------------------------------------------- */

/* Appends a number with up to 7 decimals, trailing zeros removed. */
static void put_num(struct buf *b, double v)
{
    char t[40];
    int n = snprintf(t, sizeof t, "%.7f", v);
    if (n <= 0 || n >= (int)sizeof t) { /* not a coordinate: keep it valid JSON */
        buf_append(b, "0", 1);
        return;
    }
    while (n > 0 && t[n - 1] == '0')
        n--;
    if (n > 0 && t[n - 1] == '.')
        n--;
    if (n == 2 && t[0] == '-' && t[1] == '0') /* -0 */
        buf_append(b, "0", 1);
    else
        buf_append(b, t, (size_t)n);
}

/* Appends a ring or a point's coordinate sequence as positions. */
static void put_seq(GEOSContextHandle_t h, struct buf *b, const GEOSGeometry *g, int bare)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, g);
    unsigned n = 0;
    if (seq)
        GEOSCoordSeq_getSize_r(h, seq, &n);
    if (!bare)
        buf_append(b, "[", 1);
    for (unsigned i = 0; i < n; i++) {
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(h, seq, i, &x, &y);
        buf_append(b, i ? ",[" : "[", i ? 2 : 1);
        put_num(b, x);
        buf_append(b, ",", 1);
        put_num(b, y);
        buf_append(b, "]", 1);
    }
    if (!bare)
        buf_append(b, "]", 1);
}

/* Appends one polygon's rings ("[]" when empty). */
static void put_polygon(GEOSContextHandle_t h, struct buf *b, const GEOSGeometry *g)
{
    buf_append(b, "[", 1);
    if (!GEOSisEmpty_r(h, g)) {
        put_seq(h, b, GEOSGetExteriorRing_r(h, g), 0);
        int holes = GEOSGetNumInteriorRings_r(h, g);
        for (int i = 0; i < holes; i++) {
            buf_append(b, ",", 1);
            put_seq(h, b, GEOSGetInteriorRingN_r(h, g, i), 0);
        }
    }
    buf_append(b, "]", 1);
}

/* Writes the shape as compact GeoJSON (up to 7 decimals, about 1 cm).
 * Returns heap text (xfree); NULL only past 1 GiB of text. */
char *geo_shape_to_geojson(const struct geo_shape *s)
{
    static const char *const names[] = {"", "Point", "Polygon", "MultiPolygon"};
    GEOSContextHandle_t h = geo__ctx();
    struct buf b;
    buf_init(&b, (size_t)1 << 30);
    buf_appendf(&b, "{\"type\":\"%s\",\"coordinates\":", names[s->type]);
    if (s->type == 1) {
        if (GEOSisEmpty_r(h, s->g))
            buf_append(&b, "[]", 2);
        else
            put_seq(h, &b, s->g, 1);
    } else if (s->type == 2) {
        put_polygon(h, &b, s->g);
    } else {
        int n = GEOSGetNumGeometries_r(h, s->g);
        buf_append(&b, "[", 1);
        for (int i = 0; i < n; i++) {
            if (i)
                buf_append(&b, ",", 1);
            put_polygon(h, &b, GEOSGetGeometryN_r(h, s->g, i));
        }
        buf_append(&b, "]", 1);
    }
    if (buf_append(&b, "}", 1) != 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_take(&b);
}

/* ---- area ------------------------------------------------------------------ */

#define WGS84_A  6378137.0
#define WGS84_F  (1 / 298.257223563)
#define WGS84_E2 (WGS84_F * (2 - WGS84_F))
#define DEG      (M_PI / 180)

/* Authalic q(phi) of the ellipsoid (Snyder, Map Projections, 3-12): the
 * equal-area cylindrical projection maps (lon, lat) to (a lon, a q / 2). */
static double authalic_q(double lat_deg)
{
    double e = sqrt(WGS84_E2), s = sin(lat_deg * DEG);
    return (1 - WGS84_E2) * (s / (1 - WGS84_E2 * s * s) - log((1 - e * s) / (1 + e * s)) / (2 * e));
}

/* Origin of the local projection: lon0 and q(lat0). */
struct ea_origin {
    double lon0; /* degrees */
    double q0;   /* authalic q of the origin latitude */
};

/* Twice the signed area of a ring in the equal-area plane (shoelace,
 * coordinates relative to the ring's first vertex). */
static double ring_area2(GEOSContextHandle_t h, const GEOSGeometry *ring, const struct ea_origin *o)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned n = 0;
    if (seq == NULL || !GEOSCoordSeq_getSize_r(h, seq, &n) || n < 3)
        return 0;
    double x0 = 0, y0 = 0, px = 0, py = 0, sum = 0;
    for (unsigned i = 0; i < n; i++) {
        double lon, lat;
        GEOSCoordSeq_getXY_r(h, seq, i, &lon, &lat);
        double x = WGS84_A * (lon - o->lon0) * DEG;
        double y = WGS84_A * (authalic_q(lat) - o->q0) / 2;
        if (i == 0) {
            x0 = x;
            y0 = y;
        } else {
            sum += (px - x0) * (y - y0) - (x - x0) * (py - y0);
        }
        px = x;
        py = y;
    }
    return sum;
}

/* Area of one polygon: |shell| - |holes|. */
static double polygon_area(GEOSContextHandle_t h, const GEOSGeometry *g, const struct ea_origin *o)
{
    if (GEOSisEmpty_r(h, g))
        return 0;
    double a = fabs(ring_area2(h, GEOSGetExteriorRing_r(h, g), o));
    int holes = GEOSGetNumInteriorRings_r(h, g);
    for (int i = 0; i < holes; i++)
        a -= fabs(ring_area2(h, GEOSGetInteriorRingN_r(h, g, i), o));
    return a / 2;
}

/* Sums the polygons of g (recursing into collections). */
static double area_sum(GEOSContextHandle_t h, const GEOSGeometry *g, const struct ea_origin *o)
{
    int id = GEOSGeomTypeId_r(h, g);
    if (id == GEOS_POLYGON)
        return polygon_area(h, g, o);
    if (id != GEOS_MULTIPOLYGON && id != GEOS_GEOMETRYCOLLECTION)
        return 0;
    double a = 0;
    int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; i++)
        a += area_sum(h, GEOSGetGeometryN_r(h, g, i), o);
    return a;
}

/* See geo_int.h. */
double geo__area_m2(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    double minx, miny, maxx, maxy;
    if (g == NULL || GEOSisEmpty_r(h, g) || !GEOSGeom_getExtent_r(h, g, &minx, &miny, &maxx, &maxy))
        return 0;
    /* The area does not depend on the origin; a central one keeps the
     * projected numbers small. */
    struct ea_origin o = {(minx + maxx) / 2, authalic_q((miny + maxy) / 2)};
    return area_sum(h, g, &o);
}

/* Area in m^2 on the WGS-84 ellipsoid (Lambert cylindrical equal-area, exact
 * in area; edges are straight in the projected plane, which differs from
 * straight in lon/lat by far less than 0.01% for areas under 100 km). */
double geo_shape_area_m2(const struct geo_shape *s)
{
    return geo__area_m2(geo__ctx(), s->g);
}

/* ---- inner point ------------------------------------------------------------- */

int geo__inner_point(GEOSContextHandle_t h, const GEOSGeometry *g, double *x, double *y)
{
    *x = *y = 0;
    if (g == NULL || GEOSisEmpty_r(h, g))
        return 0;
    GEOSGeometry *p = GEOSPointOnSurface_r(h, g);
    int ok = p && !GEOSisEmpty_r(h, p) && GEOSGeomGetX_r(h, p, x) && GEOSGeomGetY_r(h, p, y);
    if (p)
        GEOSGeom_destroy_r(h, p);
    if (!ok)
        *x = *y = 0;
    return ok;
}

/* A point on the surface (GEOS PointOnSurface); (0, 0) for an empty shape. */
void geo_shape_inner_point(const struct geo_shape *s, double *lon, double *lat)
{
    geo__inner_point(geo__ctx(), s->g, lon, lat);
}

/* ---- reprojection ------------------------------------------------------------- */

/* Transforms one coordinate in place; 0 or -1. */
typedef int (*xy_fn)(void *ud, double *x, double *y);

/* A copy of ring (a linear ring) with every coordinate transformed; NULL if
 * fn or GEOS fails. */
static GEOSGeometry *map_ring(GEOSContextHandle_t h, const GEOSGeometry *ring, xy_fn fn, void *ud)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned n = 0;
    if (seq == NULL || !GEOSCoordSeq_getSize_r(h, seq, &n))
        return NULL;
    double *xy = xmalloc(((size_t)n + 1) * 2 * sizeof *xy);
    GEOSGeometry *out = NULL;
    int ok = GEOSCoordSeq_copyToBuffer_r(h, seq, xy, 0, 0) != 0;
    for (unsigned i = 0; ok && i < n; i++)
        ok = fn(ud, &xy[2 * i], &xy[2 * i + 1]) == 0;
    if (ok) {
        GEOSCoordSequence *ns = GEOSCoordSeq_copyFromBuffer_r(h, xy, n, 0, 0);
        out = ns ? GEOSGeom_createLinearRing_r(h, ns) : NULL;
    }
    xfree(xy);
    return out;
}

/* A copy of a polygon with every coordinate transformed; NULL on failure. */
static GEOSGeometry *map_polygon(GEOSContextHandle_t h, const GEOSGeometry *g, xy_fn fn, void *ud)
{
    if (GEOSisEmpty_r(h, g))
        return GEOSGeom_createEmptyPolygon_r(h);
    int nh = GEOSGetNumInteriorRings_r(h, g);
    GEOSGeometry **r = xcalloc((size_t)nh + 1, sizeof *r);
    GEOSGeometry *out = NULL;
    int ok = (r[0] = map_ring(h, GEOSGetExteriorRing_r(h, g), fn, ud)) != NULL;
    for (int i = 0; ok && i < nh; i++)
        ok = (r[i + 1] = map_ring(h, GEOSGetInteriorRingN_r(h, g, i), fn, ud)) != NULL;
    if (ok)
        out = GEOSGeom_createPolygon_r(h, r[0], r + 1, (unsigned)nh);
    else
        for (int i = 0; i <= nh; i++)
            if (r[i])
                GEOSGeom_destroy_r(h, r[i]);
    xfree(r);
    return out;
}

/* A copy of a Point, Polygon or MultiPolygon with every coordinate
 * transformed by fn; NULL if fn or GEOS fails. */
static GEOSGeometry *map_geom(GEOSContextHandle_t h, const GEOSGeometry *g, xy_fn fn, void *ud)
{
    int id = GEOSGeomTypeId_r(h, g);
    if (id == GEOS_POINT) {
        double x, y;
        if (GEOSisEmpty_r(h, g))
            return GEOSGeom_clone_r(h, g);
        if (!GEOSGeomGetX_r(h, g, &x) || !GEOSGeomGetY_r(h, g, &y) || fn(ud, &x, &y))
            return NULL;
        return GEOSGeom_createPointFromXY_r(h, x, y);
    }
    if (id == GEOS_POLYGON)
        return map_polygon(h, g, fn, ud);
    if (id != GEOS_MULTIPOLYGON)
        return NULL;
    int n = GEOSGetNumGeometries_r(h, g), ok = 1;
    GEOSGeometry **p = xcalloc((size_t)n + 1, sizeof *p);
    for (int i = 0; ok && i < n; i++)
        ok = (p[i] = map_polygon(h, GEOSGetGeometryN_r(h, g, i), fn, ud)) != NULL;
    GEOSGeometry *out = NULL;
    if (ok)
        out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, p, (unsigned)n);
    else
        for (int i = 0; i < n; i++)
            if (p[i])
                GEOSGeom_destroy_r(h, p[i]);
    xfree(p);
    return out;
}

/* State of one reprojection. */
struct reproj {
    PJ *pj;        /* EPSG:n -> EPSG:4326, normalised to x = easting / lon */
    double bad[2]; /* the first input coordinate that failed */
    int failed;    /* 1 once a coordinate failed */
};

/* xy_fn of geo_shape_reproject: one PROJ transform, result range-checked. */
static int reproj_xy(void *ud, double *x, double *y)
{
    struct reproj *r = ud;
    PJ_COORD c = proj_trans(r->pj, PJ_FWD, proj_coord(*x, *y, 0, 0));
    double lon = c.lpzt.lam, lat = c.lpzt.phi;
    if (!isfinite(lon) || !isfinite(lat) || lon == HUGE_VAL || lon < -180 || lon > 180 ||
        lat < -90 || lat > 90) {
        if (!r->failed) {
            r->bad[0] = *x;
            r->bad[1] = *y;
        }
        r->failed = 1;
        return -1;
    }
    *x = lon;
    *y = lat;
    return 0;
}

/* Reprojects from EPSG:epsg to WGS-84 lon/lat in place (see geo.h). One PROJ
 * context per call (thread-safe; PROJ's log is silenced). The shape is
 * unchanged on error. Returns 0 or ERR_INVALID. */
int geo_shape_reproject(struct geo_shape *s, int epsg, struct err *e)
{
    if (epsg == 4326 || epsg == 4490)
        return 0;
    if (epsg <= 0 || epsg > 999999)
        return err_set(e, ERR_INVALID, "epsg", "EPSG code %d is not valid", epsg);
    GEOSContextHandle_t h = geo__ctx();
    char src[32];
    snprintf(src, sizeof src, "EPSG:%d", epsg);
    PJ_CONTEXT *pc = proj_context_create();
    if (pc == NULL)
        return err_set(e, ERR_INTERNAL, NULL, "cannot create a PROJ context");
    proj_log_level(pc, PJ_LOG_NONE);
    int rc = 0;
    struct reproj r = {0};
    PJ *raw = proj_create_crs_to_crs(pc, src, "EPSG:4326", NULL);
    if (raw == NULL) {
        rc = err_set(e, ERR_INVALID, "epsg", "unknown or unusable EPSG code %d (%s)", epsg,
                     proj_context_errno_string(pc, proj_context_errno(pc)));
        goto out;
    }
    r.pj = proj_normalize_for_visualization(pc, raw);
    proj_destroy(raw);
    if (r.pj == NULL) {
        rc = err_set(e, ERR_INVALID, "epsg", "EPSG:%d cannot be converted to lon/lat", epsg);
        goto out;
    }
    GEOSGeometry *g = map_geom(h, s->g, reproj_xy, &r);
    if (g == NULL) {
        if (r.failed)
            rc = err_set(e, ERR_INVALID, "coordinates",
                         "coordinate (%.3f, %.3f) cannot be transformed from EPSG:%d to "
                         "lon/lat",
                         r.bad[0], r.bad[1], epsg);
        else
            rc = err_set(e, ERR_INVALID, "coordinates", "reprojection failed: %s",
                         geo__last_error());
        goto out;
    }
    GEOSGeom_destroy_r(h, s->g);
    s->g = g;
out:
    proj_destroy(r.pj);
    proj_context_destroy(pc);
    return rc;
}
