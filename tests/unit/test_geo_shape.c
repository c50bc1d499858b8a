/*
 * test_geo_shape.c - unit tests of geo/ shapes, validation and the point ->
 * area index (shape.c, validate.c, index.c).
 *
 * Coordinates are near 102.75E 24.95N (Kunming); a "cell" is 0.001 degree,
 * about 101 m x 111 m there. The index is checked against GEOS itself: the
 * reference path (STRtree + prepared intersects) and a brute-force GEOS
 * intersects over every shape, on random points, vertices and points on
 * horizontal lines through vertices, from several threads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <geodesic.h>
#include <math.h>
#include <proj.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "geo/geo.h"
#include "geo/geo_int.h"

#define X0 102.75 /* origin longitude of the test shapes */
#define Y0 24.95  /* origin latitude */
#define D  0.001  /* one cell, in degrees */

/* ---- helpers ------------------------------------------------------------ */

/* Parses json, which must succeed. */
static struct geo_shape *S(const char *json)
{
    struct err e = {0};
    struct geo_shape *s = NULL;
    int rc = geo_shape_from_geojson(json, strlen(json), &s, &e);
    if (rc != 0)
        fail_msg("parse failed: %s (%s)", e.msg, json);
    return s;
}

/* Longitude of x cells east of X0, rounded to 9 decimals (as a shape's
 * GeoJSON holds it, so that points on borders are exactly on them). */
static double cx(double x)
{
    char t[40];
    snprintf(t, sizeof t, "%.9f", X0 + x * D);
    return strtod(t, NULL);
}

/* Latitude of y cells north of Y0, rounded like cx. */
static double cy(double y)
{
    char t[40];
    snprintf(t, sizeof t, "%.9f", Y0 + y * D);
    return strtod(t, NULL);
}

/* Writes the ring of rectangle [x0,x1] x [y0,y1] (in cells from X0/Y0). */
static int ring_text(char *out, size_t n, double x0, double y0, double x1, double y1)
{
    double a = cx(x0), b = cy(y0), c = cx(x1), d = cy(y1);
    return snprintf(out, n, "[[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f]]", a, b,
                    c, b, c, d, a, d, a, b);
}

/* A rectangle in cells from (X0, Y0). */
static struct geo_shape *R(double x0, double y0, double x1, double y1)
{
    char ring[400], json[512];
    ring_text(ring, sizeof ring, x0, y0, x1, y1);
    snprintf(json, sizeof json, "{\"type\":\"Polygon\",\"coordinates\":[%s]}", ring);
    return S(json);
}

/* A rectangle in cells with a rectangular hole. */
static struct geo_shape *R_hole(double x0, double y0, double x1, double y1, double hx0, double hy0,
                                double hx1, double hy1)
{
    char outer[400], hole[400], json[900];
    ring_text(outer, sizeof outer, x0, y0, x1, y1);
    ring_text(hole, sizeof hole, hx0, hy0, hx1, hy1);
    snprintf(json, sizeof json, "{\"type\":\"Polygon\",\"coordinates\":[%s,%s]}", outer, hole);
    return S(json);
}

/* Parses json, which must fail with ERR_INVALID and a message containing want. */
static void expect_error(const char *json, const char *want)
{
    struct err e = {0};
    struct geo_shape *s = (struct geo_shape *)1;
    int rc = geo_shape_from_geojson(json, strlen(json), &s, &e);
    if (rc != ERR_INVALID || s != NULL || strstr(e.msg, want) == NULL)
        fail_msg("%s: got rc %d, message \"%s\", want \"%s\"", json, rc, e.msg, want);
}

/* Adds a shape to an index and frees it. */
static void add(struct geo_index *ix, const char *code, struct geo_shape *s)
{
    geo_index_add(ix, code, s);
    geo_shape_free(s);
}

/* Finds (lon, lat) in cells with both paths; they must agree. */
static const char *find(struct geo_index *ix, double x, double y)
{
    const char *fast = geo_index_find(ix, cx(x), cy(y));
    const char *ref = geo__index_find_geos(ix, cx(x), cy(y));
    if ((fast == NULL) != (ref == NULL) || (fast && strcmp(fast, ref) != 0))
        fail_msg("at (%g, %g) cells: fast path %s, GEOS %s", x, y, fast ? fast : "NULL",
                 ref ? ref : "NULL");
    return fast;
}

/* Fails unless got is want (both may be NULL). */
static void assert_found(const char *got, const char *want)
{
    if (want == NULL && got != NULL)
        fail_msg("found %s, want none", got);
    if (want != NULL && (got == NULL || strcmp(got, want) != 0))
        fail_msg("found %s, want %s", got ? got : "NULL", want);
}

/* ---- GeoJSON ------------------------------------------------------------- */

static void test_parse_errors(void **state)
{
    (void)state;
    expect_error("not json", "not JSON");
    expect_error("{\"type\":\"Polygon\",", "not JSON");
    expect_error("[1,2]", "not a GeoJSON geometry object");
    expect_error("{\"coordinates\":[1,2]}", "needs a string \"type\"");
    expect_error("{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}", "not supported");
    expect_error("{\"type\":\"Feature\",\"geometry\":null}", "not a geometry");
    expect_error("{\"type\":\"Circle\",\"coordinates\":[1,2]}", "unknown geometry type");
    expect_error("{\"type\":\"Point\"}", "no \"coordinates\"");
    expect_error("{\"type\":\"Point\",\"coordinates\":[102.7]}", "point position 1 has 1 numbers");
    expect_error("{\"type\":\"Point\",\"coordinates\":[102.7,91]}",
                 "point position 1: latitude 91 is outside [-90, 90]");
    expect_error("{\"type\":\"Point\",\"coordinates\":[-180.5,0]}", "longitude -180.5 is outside");
    expect_error("{\"type\":\"Point\",\"coordinates\":[\"102.7\",\"24.9\"]}",
                 "coordinate 1 is not a number");
    expect_error("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0.5]]]}",
                 "ring 1 is not closed");
    expect_error("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}",
                 "ring 1 has 3 positions (a ring needs at least 4");
    expect_error("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[3,0],[3,3],[0,3],[0,0]],"
                 "[[1,1],[2,1],[1,1]]]}",
                 "ring 2 has 3 positions");
    expect_error("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[3,0],[3,3],[0,3],[0,0]],"
                 "[[1,1],[2,1],[2,2],[1,2],[1,1.5]]]}",
                 "ring 2 is not closed");
    expect_error("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,91],[0,0]]]}",
                 "ring 1 position 3: latitude 91");
    expect_error("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]],7]}",
                 "ring 2 is not an array of positions");
    expect_error("{\"type\":\"Polygon\",\"coordinates\":{}}", "coordinates is not an array");
    expect_error("{\"type\":\"MultiPolygon\",\"coordinates\":["
                 "[[[0,0],[1,0],[1,1],[0,1],[0,0]]],"
                 "[[[5,5],[6,5],[6,6],[5,6],[5,5.5]]]]}",
                 "polygon 2 ring 1 is not closed");
    expect_error("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],"
                 "\"x\"]}",
                 "polygon 2 is not an array of rings");
    expect_error("{\"type\":\"Point\",\"type\":\"Point\",\"coordinates\":[1,2]}", "not JSON");
}

static void test_geojson_round_trip(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "{\"type\":\"Point\",\"coordinates\":[102.75,24.95]}",
        "{\"type\":\"Point\",\"coordinates\":[-0.5,0]}",
        ("{\"type\":\"Polygon\",\"coordinates\":[[[102.75,24.95],[102.7512345,24.95],"
         "[102.7512345,24.9512345],[102.75,24.9512345],[102.75,24.95]],"
         "[[102.7501,24.9501],[102.7501,24.9502],[102.7502,24.9502],[102.7501,24.9501]]]}"),
        ("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[102.75,24.95],[102.751,24.95],"
         "[102.751,24.951],[102.75,24.95]]],[[[103,25],[103.1,25],[103.1,25.1],[103,25]]]]}"),
        "{\"type\":\"Polygon\",\"coordinates\":[]}",
        "{\"type\":\"MultiPolygon\",\"coordinates\":[]}",
    };
    for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
        struct geo_shape *s = S(texts[i]);
        char *out = geo_shape_to_geojson(s);
        assert_string_equal(out, texts[i]);
        struct geo_shape *back = S(out);
        char *again = geo_shape_to_geojson(back);
        assert_string_equal(again, out);
        assert_int_equal(geo_shape_type(back), geo_shape_type(s));
        xfree(out);
        xfree(again);
        geo_shape_free(back);
        geo_shape_free(s);
    }
    /* at most 7 decimals; altitude dropped; foreign members ignored */
    struct geo_shape *s = S("{\"type\":\"Point\",\"bbox\":[1,2,1,2],"
                            "\"coordinates\":[102.123456789,-24.00000004,1800]}");
    char *out = geo_shape_to_geojson(s);
    assert_string_equal(out, "{\"type\":\"Point\",\"coordinates\":[102.1234568,-24]}");
    xfree(out);
    geo_shape_free(s);
}

static void test_types_bbox_inner_point(void **state)
{
    (void)state;
    struct geo_shape *p = S("{\"type\":\"Point\",\"coordinates\":[102.75,24.95]}");
    struct geo_shape *r = R_hole(0, 0, 3, 3, 0.5, 0.5, 2.5, 2.5); /* a thin frame */
    struct geo_shape *m = S("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],"
                            "[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}");
    assert_int_equal(geo_shape_type(p), 1);
    assert_int_equal(geo_shape_type(r), 2);
    assert_int_equal(geo_shape_type(m), 3);
    double a, b, c, d;
    geo_shape_bbox(m, &a, &b, &c, &d);
    assert_true(a == 0 && b == 0 && c == 6 && d == 6);
    geo_shape_bbox(r, &a, &b, &c, &d);
    assert_true(fabs(a - X0) < 1e-12 && fabs(d - (Y0 + 3 * D)) < 1e-12);
    double x, y;
    geo_shape_inner_point(r, &x, &y);
    struct geo_index *ix = geo_index_new();
    geo_index_add(ix, "frame", r);
    geo_index_build(ix);
    assert_found(geo_index_find(ix, x, y), "frame"); /* on the frame, not in the hole */
    geo_index_free(ix);
    geo_shape_inner_point(p, &x, &y);
    assert_true(x == 102.75 && y == 24.95);
    assert_true(geo_shape_area_m2(p) == 0);
    geo_shape_free(p);
    geo_shape_free(r);
    geo_shape_free(m);
}

/* ---- area ------------------------------------------------------------------ */

/* Geodesic area (GeographicLib in PROJ) of rectangle [x0,x1] x [y0,y1] degrees. */
static double geodesic_area(double x0, double y0, double x1, double y1)
{
    struct geod_geodesic g;
    double lats[4] = {y0, y0, y1, y1}, lons[4] = {x0, x1, x1, x0}, area, perim;
    geod_init(&g, 6378137, 1 / 298.257223563);
    geod_polygonarea(&g, lats, lons, 4, &area, &perim);
    return fabs(area);
}

static void test_area(void **state)
{
    (void)state;
    /* 0.001 x 0.001 degree centred on 25N: about 111.2 m x 100.9 m */
    char json[400];
    snprintf(json, sizeof json,
             "{\"type\":\"Polygon\",\"coordinates\":[[[102.75,24.9995],[102.751,24.9995],"
             "[102.751,25.0005],[102.75,25.0005],[102.75,24.9995]]]}");
    struct geo_shape *s = S(json);
    double a = geo_shape_area_m2(s);
    assert_true(fabs(a / (111.2 * 100.9) - 1) < 0.005);
    assert_true(fabs(a / geodesic_area(102.75, 24.9995, 102.751, 25.0005) - 1) < 1e-5);
    geo_shape_free(s);
    /* 10,000 .. 1,000,000 m2 at 25N, against the geodesic area */
    static const double sides[] = {0.001, 0.003, 0.0095};
    for (size_t i = 0; i < ARRAY_SIZE(sides); i++) {
        double h = sides[i];
        snprintf(json, sizeof json,
                 "{\"type\":\"Polygon\",\"coordinates\":[[[102.7,25],[%.7f,25],[%.7f,%.7f],"
                 "[102.7,%.7f],[102.7,25]]]}",
                 102.7 + h, 102.7 + h, 25 + h, 25 + h);
        s = S(json);
        double want = geodesic_area(102.7, 25, 102.7 + h, 25 + h);
        assert_true(fabs(geo_shape_area_m2(s) / want - 1) < 1e-4);
        geo_shape_free(s);
    }
    /* holes are subtracted; multipolygon parts added */
    struct geo_shape *frame = R_hole(0, 0, 3, 3, 1, 1, 2, 2);
    struct geo_shape *cell = R(0, 0, 1, 1);
    assert_true(fabs(geo_shape_area_m2(frame) / geo_shape_area_m2(cell) - 8) < 1e-3);
    geo_shape_free(frame);
    geo_shape_free(cell);
}

/* ---- reprojection ------------------------------------------------------------ */

/* lon/lat -> EPSG:4543 easting/northing with PROJ. */
static void to_4543(double lon, double lat, double *e, double *n)
{
    PJ_CONTEXT *c = proj_context_create();
    PJ *raw = proj_create_crs_to_crs(c, "EPSG:4326", "EPSG:4543", NULL);
    assert_non_null(raw);
    PJ *p = proj_normalize_for_visualization(c, raw);
    assert_non_null(p);
    PJ_COORD r = proj_trans(p, PJ_FWD, proj_coord(lon, lat, 0, 0));
    *e = r.xy.x;
    *n = r.xy.y;
    proj_destroy(p);
    proj_destroy(raw);
    proj_context_destroy(c);
}

static void test_reproject(void **state)
{
    (void)state;
    double e, n, lon, lat;
    to_4543(102.75, 24.95, &e, &n);
    assert_true(e > 500000 && e < 700000 && n > 2700000 && n < 2800000);
    /* a shape built in metres, reprojected in place */
    struct geo_shape *s = geo__shape_wrap(GEOSGeom_createPointFromXY_r(geo__ctx(), e, n));
    assert_non_null(s);
    struct err er = {0};
    assert_int_equal(geo_shape_reproject(s, 4543, &er), 0);
    geo_shape_inner_point(s, &lon, &lat);
    assert_true(fabs(lon - 102.75) < 1e-6 && fabs(lat - 24.95) < 1e-6);
    geo_shape_free(s);
    /* GeoJSON in metres: a 100 m square around the point */
    char json[600];
    snprintf(json, sizeof json,
             "{\"type\":\"Polygon\",\"coordinates\":[[[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f],"
             "[%.3f,%.3f],[%.3f,%.3f]]]}",
             e - 50, n - 50, e + 50, n - 50, e + 50, n + 50, e - 50, n + 50, e - 50, n - 50);
    expect_error(json, "longitude"); /* metres are not lon/lat */
    assert_int_equal(geo_shape_from_geojson_epsg(json, strlen(json), 4543, &s, &er), 0);
    assert_int_equal(geo_shape_type(s), 2);
    assert_true(fabs(geo_shape_area_m2(s) / 10000 - 1) < 0.005);
    geo_shape_inner_point(s, &lon, &lat);
    assert_true(fabs(lon - 102.75) < 0.001 && fabs(lat - 24.95) < 0.001);
    char *out = geo_shape_to_geojson(s);
    assert_non_null(strstr(out, "[102.74"));
    xfree(out);
    geo_shape_free(s);
    /* lon/lat codes are no-ops */
    s = S("{\"type\":\"Point\",\"coordinates\":[102.75,24.95]}");
    assert_int_equal(geo_shape_reproject(s, 4326, &er), 0);
    assert_int_equal(geo_shape_reproject(s, 4490, &er), 0);
    geo_shape_inner_point(s, &lon, &lat);
    assert_true(lon == 102.75 && lat == 24.95);
    /* unknown code */
    assert_int_equal(geo_shape_reproject(s, 999999, &er), ERR_INVALID);
    assert_non_null(strstr(er.msg, "EPSG code 999999"));
    err_clear(&er);
    assert_int_equal(geo_shape_reproject(s, -3, &er), ERR_INVALID);
    geo_shape_free(s);
    /* coordinates PROJ cannot take */
    err_clear(&er);
    const char *far = "{\"type\":\"Point\",\"coordinates\":[1e15,-1e15]}";
    assert_int_equal(geo_shape_from_geojson_epsg(far, strlen(far), 4543, &s, &er), ERR_INVALID);
    assert_null(s);
    assert_non_null(strstr(er.msg, "cannot be transformed"));
}

/* ---- index: edge cases -------------------------------------------------------- */

static void test_index_borders(void **state)
{
    (void)state;
    struct geo_index *ix = geo_index_new();
    /* 2 x 2 grids, added in reverse code order */
    add(ix, "G04", R(1, 1, 2, 2));
    add(ix, "G03", R(0, 1, 1, 2));
    add(ix, "G02", R(1, 0, 2, 1));
    add(ix, "G01", R(0, 0, 1, 1));
    geo_index_build(ix);
    assert_int_equal(geo_index_size(ix), 4);
    assert_found(find(ix, 0.5, 0.5), "G01");
    assert_found(find(ix, 1.5, 0.5), "G02");
    assert_found(find(ix, 0.5, 1.5), "G03");
    assert_found(find(ix, 1.5, 1.5), "G04");
    assert_found(find(ix, 1, 0.5), "G01");   /* vertical border G01 | G02 */
    assert_found(find(ix, 1, 1.5), "G03");   /* vertical border G03 | G04 */
    assert_found(find(ix, 0.5, 1), "G01");   /* horizontal border G01 / G03 */
    assert_found(find(ix, 1.5, 1), "G02");   /* horizontal border G02 / G04 */
    assert_found(find(ix, 1, 1), "G01");     /* the vertex of all four */
    assert_found(find(ix, 2, 2), "G04");     /* an outer corner */
    assert_found(find(ix, 0, 0.25), "G01");  /* outer edge */
    assert_found(find(ix, 2, 1.75), "G04");  /* outer edge, right */
    assert_found(find(ix, 2.0001, 1), NULL); /* just outside */
    assert_found(find(ix, -3, -3), NULL);
    assert_found(find(ix, 0.5, -0.000001), NULL);
    assert_null(geo_index_find(ix, NAN, Y0));
    assert_null(geo_index_find(ix, X0, INFINITY));
    long fallbacks;
    int cells;
    double per;
    geo__index_stats(ix, &fallbacks, &cells, &per);
    assert_true(fallbacks > 0); /* points on vertical edges: decided by GEOS */
    geo_index_free(ix);
}

static void test_index_holes_and_parts(void **state)
{
    (void)state;
    struct geo_index *ix = geo_index_new();
    add(ix, "H1", R_hole(0, 0, 3, 3, 1, 1, 2, 2));
    geo_index_build(ix);
    assert_found(find(ix, 0.5, 0.5), "H1");
    assert_found(find(ix, 1.5, 1.5), NULL); /* in the hole */
    assert_found(find(ix, 1, 1.5), "H1");   /* on the hole's edge */
    assert_found(find(ix, 2, 2), "H1");     /* on the hole's vertex */
    /* a grid that fills the hole */
    add(ix, "H2", R(1, 1, 2, 2));
    geo_index_build(ix);
    assert_found(find(ix, 1.5, 1.5), "H2");
    assert_found(find(ix, 1.25, 1.75), "H2");
    assert_found(find(ix, 1, 1.5), "H1"); /* shared edge: the lower code */
    assert_found(find(ix, 2, 1), "H1");
    assert_found(find(ix, 3.5, 1.5), NULL);
    geo_index_free(ix);

    ix = geo_index_new();
    char json[900], a[400], b[400];
    ring_text(a, sizeof a, 0, 0, 1, 1);
    ring_text(b, sizeof b, 10, 10, 11, 12);
    snprintf(json, sizeof json, "{\"type\":\"MultiPolygon\",\"coordinates\":[[%s],[%s]]}", a, b);
    add(ix, "M1", S(json));
    add(ix, "P1", S("{\"type\":\"Point\",\"coordinates\":[102.755,24.955]}"));
    add(ix, "E1", S("{\"type\":\"Polygon\",\"coordinates\":[]}"));
    geo_index_build(ix);
    assert_int_equal(geo_index_size(ix), 3);
    assert_found(find(ix, 0.5, 0.5), "M1");
    assert_found(find(ix, 10.5, 11.5), "M1"); /* the second part */
    assert_found(find(ix, 5, 5), "P1");       /* exactly the point */
    assert_found(find(ix, 5.0001, 5), NULL);
    assert_found(find(ix, 5.5, 5.5), NULL); /* between the parts */
    geo_index_free(ix);

    ix = geo_index_new(); /* nothing to find in an empty index */
    geo_index_build(ix);
    assert_null(geo_index_find(ix, X0, Y0));
    assert_null(geo__index_find_geos(ix, X0, Y0));
    geo_index_free(ix);
}

/* ---- index: random comparison with GEOS ----------------------------------------- */

#define RN   36    /* the random tiling is RN x RN quadrilaterals */
#define NPTS 30000 /* random points */

/* A random tiling and its expected answers. */
struct rnd {
    struct geo_index *ix; /* the index */
    struct geo_shape **s; /* shapes, by code order */
    char (*code)[16];     /* their codes, sorted */
    double (*bbox)[4];    /* their bboxes */
    int n;                /* shapes */
    double (*pt)[2];      /* test points */
    const char **want;    /* brute-force answer per point */
    int npt;              /* test points */
};

static uint64_t rng = 88172645463325252ull;
/* Uniform in [0, 1) (xorshift64, fixed seed). */
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

/* Brute force: the lowest code whose shape GEOS says intersects the point. */
static const char *brute(const struct rnd *r, double x, double y)
{
    GEOSContextHandle_t h = geo__ctx();
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(h, x, y);
    const char *found = NULL;
    for (int i = 0; i < r->n && !found; i++) {
        const double *b = r->bbox[i];
        if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] &&
            GEOSIntersects_r(h, r->s[i]->g, p) == 1)
            found = r->code[i];
    }
    GEOSGeom_destroy_r(h, p);
    return found;
}

/* Appends a shape (its code is already in r->code[r->n]). */
static void rnd_add(struct rnd *r, struct geo_shape *s)
{
    int i = r->n++;
    r->s[i] = s;
    geo_shape_bbox(s, &r->bbox[i][0], &r->bbox[i][1], &r->bbox[i][2], &r->bbox[i][3]);
}

/* Builds a jittered RN x RN tiling with shuffled codes, a big overlapping
 * polygon with the lowest code, a grid with a hole and a multipolygon. */
static void rnd_make(struct rnd *r)
{
    static double vx[RN + 1][RN + 1], vy[RN + 1][RN + 1];
    int cap = RN * RN + 8;
    memset(r, 0, sizeof *r);
    r->s = xcalloc((size_t)cap, sizeof *r->s);
    r->code = xcalloc((size_t)cap, sizeof *r->code);
    r->bbox = xcalloc((size_t)cap, sizeof *r->bbox);
    for (int i = 0; i <= RN; i++)
        for (int j = 0; j <= RN; j++) {
            int edge = i == 0 || j == 0 || i == RN || j == RN;
            vx[i][j] = X0 + (i + (edge ? 0 : (urand() - 0.5) * 0.6)) * D;
            vy[i][j] = Y0 + (j + (edge ? 0 : (urand() - 0.5) * 0.6)) * D;
        }
    int *perm = xmalloc(sizeof *perm * RN * RN);
    for (int k = 0; k < RN * RN; k++)
        perm[k] = k;
    for (int k = RN * RN - 1; k > 0; k--) {
        int m = (int)(urand() * (k + 1)), t = perm[k];
        perm[k] = perm[m];
        perm[m] = t;
    }
    char json[600];
    for (int i = 0; i < RN; i++)
        for (int j = 0; j < RN; j++) {
            snprintf(json, sizeof json,
                     "{\"type\":\"Polygon\",\"coordinates\":[[[%.17g,%.17g],[%.17g,%.17g],"
                     "[%.17g,%.17g],[%.17g,%.17g],[%.17g,%.17g]]]}",
                     vx[i][j], vy[i][j], vx[i + 1][j], vy[i + 1][j], vx[i + 1][j + 1],
                     vy[i + 1][j + 1], vx[i][j + 1], vy[i][j + 1], vx[i][j], vy[i][j]);
            snprintf(r->code[r->n], sizeof r->code[0], "Q%04d", perm[i * RN + j]);
            rnd_add(r, S(json));
        }
    xfree(perm);
    str_copy(r->code[r->n], sizeof r->code[0],
             "A000"); /* overlaps many grids, wins where it covers */
    rnd_add(r, S("{\"type\":\"Polygon\",\"coordinates\":[[[102.7603,24.9571],[102.7711,24.9602],"
                 "[102.7652,24.9709],[102.7603,24.9571]]]}"));
    str_copy(r->code[r->n], sizeof r->code[0],
             "Z001"); /* a hole; overlaps and loses to the tiles */
    rnd_add(r, R_hole(5, 5, 15, 15, 7, 7, 12, 13));
    str_copy(r->code[r->n], sizeof r->code[0],
             "Z002"); /* a multipolygon partly outside the tiling */
    rnd_add(r, S("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[102.74,24.94],[102.76,24.94],"
                 "[102.745,24.952],[102.74,24.94]]],[[[102.79,24.99],[102.8,24.99],"
                 "[102.8,25.0],[102.79,24.99]]]]}"));
    /* sort by code (the brute force takes the first match) */
    for (int a = 1; a < r->n; a++)
        for (int b = a; b > 0 && strcmp(r->code[b - 1], r->code[b]) > 0; b--) {
            char t[16];
            struct geo_shape *ts = r->s[b];
            double tb[4];
            memcpy(t, r->code[b], 16), memcpy(r->code[b], r->code[b - 1], 16),
                memcpy(r->code[b - 1], t, 16);
            r->s[b] = r->s[b - 1], r->s[b - 1] = ts;
            memcpy(tb, r->bbox[b], sizeof tb), memcpy(r->bbox[b], r->bbox[b - 1], sizeof tb),
                memcpy(r->bbox[b - 1], tb, sizeof tb);
        }
    r->ix = geo_index_new();
    for (int k = r->n - 1; k >= 0; k--)
        geo_index_add(r->ix, r->code[k], r->s[k]);
    geo_index_build(r->ix);
    /* points: random over a box larger than everything, every vertex, and
     * random x on the horizontal line of a vertex (the half-open rule) */
    int nv = (RN + 1) * (RN + 1);
    r->pt = xcalloc((size_t)(NPTS + 2 * nv + 600), sizeof *r->pt);
    r->want = xcalloc((size_t)(NPTS + 2 * nv + 600), sizeof *r->want);
    for (int k = 0; k < NPTS; k++) {
        r->pt[r->npt][0] = 102.735 + urand() * 0.07;
        r->pt[r->npt++][1] = 24.935 + urand() * 0.07;
    }
    for (int i = 0; i <= RN; i++)
        for (int j = 0; j <= RN; j++) {
            r->pt[r->npt][0] = vx[i][j];
            r->pt[r->npt++][1] = vy[i][j];
            r->pt[r->npt][0] = X0 + urand() * RN * D;
            r->pt[r->npt++][1] = vy[i][j];
        }
    /* exactly on vertical edges: the tiling's sides and the hole grid's */
    for (int k = 0; k < 200; k++) {
        double y = Y0 + urand() * RN * D;
        r->pt[r->npt][0] = vx[0][0];
        r->pt[r->npt++][1] = y;
        r->pt[r->npt][0] = vx[RN][0];
        r->pt[r->npt++][1] = y;
        r->pt[r->npt][0] = cx(urand() < 0.5 ? 5 : 15);
        r->pt[r->npt++][1] = cy(5 + urand() * 10);
    }
    for (int k = 0; k < r->npt; k++)
        r->want[k] = brute(r, r->pt[k][0], r->pt[k][1]);
}

/* Frees what rnd_make made. */
static void rnd_free(struct rnd *r)
{
    geo_index_free(r->ix);
    for (int i = 0; i < r->n; i++)
        geo_shape_free(r->s[i]);
    xfree(r->s);
    xfree(r->code);
    xfree(r->bbox);
    xfree(r->pt);
    xfree(r->want);
}

/* Compares geo_index_find with the expected answers on points [from, npt). */
static int rnd_check(const struct rnd *r, int from, int step)
{
    int bad = 0;
    for (int k = from; k < r->npt; k += step) {
        const char *got = geo_index_find(r->ix, r->pt[k][0], r->pt[k][1]);
        const char *want = r->want[k];
        if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0))
            bad++;
    }
    return bad;
}

static void test_index_random(void **state)
{
    (void)state;
    struct rnd r;
    rnd_make(&r);
    int found = 0, bad = 0;
    for (int k = 0; k < r.npt; k++) {
        const char *fast = geo_index_find(r.ix, r.pt[k][0], r.pt[k][1]);
        const char *ref = geo__index_find_geos(r.ix, r.pt[k][0], r.pt[k][1]);
        const char *want = r.want[k];
        found += want != NULL;
        if ((fast == NULL) != (want == NULL) || (fast && strcmp(fast, want) != 0) ||
            (ref == NULL) != (want == NULL) || (ref && strcmp(ref, want) != 0)) {
            if (bad++ < 5)
                print_message("point %d (%.17g, %.17g): fast %s, GEOS ref %s, brute %s\n", k,
                              r.pt[k][0], r.pt[k][1], fast ? fast : "NULL", ref ? ref : "NULL",
                              want ? want : "NULL");
        }
    }
    assert_int_equal(bad, 0);
    assert_true(found > r.npt / 3 && found < r.npt); /* some inside, some outside */
    long fallbacks;
    int cells;
    double per;
    geo__index_stats(r.ix, &fallbacks, &cells, &per);
    print_message("%d points, %d found; %d buckets, %.2f candidates each; %ld GEOS fallbacks\n",
                  r.npt, found, cells, per, fallbacks);
    assert_true(cells > 0 && fallbacks >= 400); /* points on vertical edges */
    rnd_free(&r);
}

/* ---- threads ------------------------------------------------------------------- */

struct worker {
    const struct rnd *r; /* shared index and answers */
    int from;            /* first point */
    int bad;             /* OUT: wrong answers */
};

/* Thread body: lookups and parses, counting wrong answers. */
static void *work(void *arg)
{
    struct worker *w = arg;
    for (int round = 0; round < 3; round++)
        w->bad += rnd_check(w->r, w->from, 4);
    /* parse errors keep their own messages per thread */
    for (int i = 0; i < 50; i++) {
        struct err e = {0};
        struct geo_shape *s = NULL;
        const char *bad = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}";
        if (geo_shape_from_geojson(bad, strlen(bad), &s, &e) != ERR_INVALID ||
            strstr(e.msg, "ring 1 has 3") == NULL)
            w->bad++;
        const char *ok = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}";
        err_clear(&e);
        if (geo_shape_from_geojson(ok, strlen(ok), &s, &e) != 0)
            w->bad++;
        else
            geo_shape_free(s);
    }
    return NULL;
}

static void test_index_threads(void **state)
{
    (void)state;
    struct rnd r;
    rnd_make(&r);
    pthread_t t[4];
    struct worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){&r, i, 0};
        assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].bad, 0);
    }
    rnd_free(&r);
}

/* ---- validation ----------------------------------------------------------------- */

/* Runs geo_validate on n areas; returns the count and fills out[0..8). */
static int validate(const struct geo_area *a, int n, double tol, struct geo_issue *out)
{
    memset(out, 0, 8 * sizeof *out);
    return geo_validate(a, n, tol, out, 8);
}

static void test_validate_invalid_and_empty(void **state)
{
    (void)state;
    struct geo_issue is[8];
    struct geo_shape *bow = S("{\"type\":\"Polygon\",\"coordinates\":[[[102.75,24.95],"
                              "[102.751,24.951],[102.751,24.95],[102.75,24.951],"
                              "[102.75,24.95]]]}");
    assert_int_equal(geo_shape_type(bow), 2); /* parsing is not validating */
    struct geo_shape *empty = S("{\"type\":\"MultiPolygon\",\"coordinates\":[]}");
    struct geo_shape *sib = R(0.5, 0, 1.5, 1); /* overlaps the bow tie's right lobe */
    struct geo_area a[] = {{"B1", "", bow, 1}, {"E1", "", empty, 1}, {"B2", "", sib, 1}};
    int n = validate(a, 3, 1.0, is);
    assert_int_equal(n, 3);
    assert_string_equal(is[0].code, "B1");
    assert_string_equal(is[0].kind, "invalid");
    assert_non_null(strstr(is[0].detail, "Self-intersection"));
    assert_true(fabs(is[0].lon - 102.7505) < 1e-9 && fabs(is[0].lat - 24.9505) < 1e-9);
    assert_string_equal(is[1].code, "E1");
    assert_string_equal(is[1].kind, "empty");
    assert_string_equal(is[2].kind, "overlap"); /* checked on the repaired bow tie */
    assert_string_equal(is[2].code, "B1");
    assert_string_equal(is[2].other, "B2");
    /* only max findings are written */
    struct geo_issue one[2];
    memset(one, 0x5a, sizeof one);
    assert_int_equal(geo_validate(a, 3, 1.0, one, 1), 3);
    assert_string_equal(one[0].kind, "invalid");
    assert_int_equal((unsigned char)one[1].kind[0], 0x5a);
    assert_int_equal(geo_validate(a, 0, 1.0, is, 8), 0);
    geo_shape_free(bow);
    geo_shape_free(empty);
    geo_shape_free(sib);
}

static void test_validate_overlap_outside_gap(void **state)
{
    (void)state;
    struct geo_issue is[8];
    struct geo_shape *p = R(0, 0, 3, 1);
    struct geo_shape *a = R(0, 0, 1.2, 1), *b = R(1, 0, 2, 1), *c = R(2, 0, 3, 1);
    /* overlap: a and b share a 0.2-cell strip */
    struct geo_area o[] = {
        {"P", "", p, 1}, {"P01", "P", a, 1}, {"P02", "P", b, 1}, {"P03", "P", c, 1}};
    assert_int_equal(validate(o, 4, 1.0, is), 1);
    assert_string_equal(is[0].kind, "overlap");
    assert_string_equal(is[0].code, "P01");
    assert_string_equal(is[0].other, "P02");
    struct geo_shape *st = R(1, 0, 1.2, 1);
    double strip = geo_shape_area_m2(st);
    geo_shape_free(st);
    const char *by = strstr(is[0].detail, "overlap by ");
    assert_non_null(by);
    assert_true(fabs(strtod(by + 11, NULL) - strip) < 0.1);
    assert_true(is[0].lon > X0 + 1 * D && is[0].lon < X0 + 1.2 * D);
    /* below the tolerance: nothing */
    assert_int_equal(validate(o, 4, strip * 1.01, is), 0);
    geo_shape_free(a);

    /* outside: c sticks out by half a cell */
    struct geo_shape *c2 = R(2, 0, 3.5, 1);
    a = R(0, 0, 1, 1);
    struct geo_area out[] = {
        {"P", "", p, 1}, {"P01", "P", a, 1}, {"P02", "P", b, 1}, {"P03", "P", c2, 1}};
    assert_int_equal(validate(out, 4, 1.0, is), 1);
    assert_string_equal(is[0].kind, "outside");
    assert_string_equal(is[0].code, "P03");
    assert_string_equal(is[0].other, "P");
    assert_true(is[0].lon > X0 + 3 * D && is[0].lon < X0 + 3.5 * D);

    /* gap: nothing between 1 and 2 */
    struct geo_area gap[] = {{"P", "", p, 1}, {"P01", "P", a, 1}, {"P03", "P", c, 1}};
    assert_int_equal(validate(gap, 3, 1.0, is), 1);
    assert_string_equal(is[0].kind, "gap");
    assert_string_equal(is[0].code, "P");
    assert_non_null(strstr(is[0].detail, "none of its 2 child"));
    assert_true(is[0].lon > X0 + 1 * D && is[0].lon < X0 + 2 * D);
    assert_true(is[0].lat > Y0 && is[0].lat < Y0 + D);
    /* a parent without a shape: no gap check; a missing parent likewise */
    struct geo_area orphan[] = {{"P01", "X", a, 1}, {"P03", "X", c, 1}};
    assert_int_equal(validate(orphan, 2, 1.0, is), 0);
    geo_shape_free(p);
    geo_shape_free(a);
    geo_shape_free(b);
    geo_shape_free(c);
    geo_shape_free(c2);
}

static void test_validate_clean_tiling(void **state)
{
    (void)state;
    enum { N = 10 };
    struct geo_issue is[8];
    struct geo_shape *s[2 * N * N + 3];
    struct geo_area a[2 * N * N + 3];
    char codes[2 * N * N + 3][48];
    int n = 0;
    /* root R; two communities C1 (left) and C2 (right), each tiled N x N */
    s[n] = R(0, 0, 2 * N, N);
    a[n] = (struct geo_area){"R", "", s[n], 1};
    n++;
    for (int half = 0; half < 2; half++) {
        s[n] = R(half * N, 0, half * N + N, N);
        a[n] = (struct geo_area){half ? "C2" : "C1", "R", s[n], 1};
        n++;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                snprintf(codes[n], sizeof codes[n], "C%d%02d%02d", half + 1, i, j);
                s[n] = R(half * N + i, j, half * N + i + 1, j + 1);
                a[n] = (struct geo_area){codes[n], half ? "C2" : "C1", s[n], 1};
                n++;
            }
    }
    assert_int_equal(validate(a, n, 1.0, is), 0);
    assert_int_equal(validate(a, n, 0, is), 0);
    for (int i = 0; i < n; i++)
        geo_shape_free(s[i]);
}

static int setup(void **state)
{
    (void)state;
    return geo_init();
}

static int teardown(void **state)
{
    (void)state;
    geo_shutdown();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_geojson_round_trip),
        cmocka_unit_test(test_types_bbox_inner_point),
        cmocka_unit_test(test_area),
        cmocka_unit_test(test_reproject),
        cmocka_unit_test(test_index_borders),
        cmocka_unit_test(test_index_holes_and_parts),
        cmocka_unit_test(test_index_random),
        cmocka_unit_test(test_index_threads),
        cmocka_unit_test(test_validate_invalid_and_empty),
        cmocka_unit_test(test_validate_overlap_outside_gap),
        cmocka_unit_test(test_validate_clean_tiling),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
