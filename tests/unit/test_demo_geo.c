/*
 * test_demo_geo.c - unit tests of the demo's generated boundary set
 * (demo/demo_geo.c): the text is a GeoJSON FeatureCollection with the place
 * tree 六甲街道 > 10 communities > 240 grids > compounds > buildings; codes
 * follow the code rules; every ring is closed and counter-clockwise; grids are
 * convex quads of 10,000..100,000 m2; grids tile their community and
 * communities tile the subdistrict exactly (areas add up, and every inner edge
 * is shared by exactly two neighbours with identical coordinates); grid
 * numbers run west to east, north to south; random points fall in their own
 * grid only; the output is the same on every call.
 *
 * Areas use a local equirectangular projection about (102.75, 24.95):
 * x = lon * 111320 * cos(24.95 deg), y = lat * 110574 metres.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "core/core.h"
#include "demo/demo_geo.h"

#define N_COMM     10
#define N_GRIDS    240
#define N_COMPOUND 2
#define N_BUILDING 6
#define MAX_PTS    128 /* largest ring read (the subdistrict has 65 positions) */
#define LON_REF    102.75
#define LAT_REF    24.95
#define REL_TOL    1e-6

/* The communities of demo.c, which the boundary set must use. */
static const struct {
    const char *code, *name;
} want_comm[N_COMM] = {
    {"530111008001", "六甲社区"},   {"530111008002", "福保社区"}, {"530111008003", "海华社区"},
    {"530111008004", "陈家社区"},   {"530111008005", "宝丰社区"}, {"530111008006", "金刀营社区"},
    {"530111008007", "张家庙社区"}, {"530111008008", "盘龙社区"}, {"530111008009", "郭家凹社区"},
    {"530111008010", "新二社区"},
};

/* One parsed ring or point list. */
struct ring {
    int n;                /* positions, including the closing one */
    double p[MAX_PTS][2]; /* lon, lat */
};

static char *g_text;   /* demo_geo_geojson() */
static json_t *g_root; /* g_text parsed */

/* ---- helpers -------------------------------------------------------------- */

static json_t *features(void)
{
    return json_object_get(g_root, "features");
}

/* A string property of feature f ("" if missing). */
static const char *prop(json_t *f, const char *key)
{
    const char *s = json_string_value(json_object_get(json_object_get(f, "properties"), key));
    return s ? s : "";
}

/* The feature with this code, or NULL. */
static json_t *by_code(const char *code)
{
    size_t i;
    json_t *f;
    json_array_foreach(features(), i, f)
    {
        if (strcmp(prop(f, "code"), code) == 0)
            return f;
    }
    return NULL;
}

/* The exterior ring of a Polygon feature into r; fails the test otherwise. */
static void ring_of(json_t *f, struct ring *r)
{
    json_t *g = json_object_get(f, "geometry");
    assert_string_equal(json_string_value(json_object_get(g, "type")), "Polygon");
    json_t *rings = json_object_get(g, "coordinates");
    assert_int_equal(json_array_size(rings), 1);
    json_t *ring = json_array_get(rings, 0);
    assert_true(json_array_size(ring) <= MAX_PTS);
    r->n = (int)json_array_size(ring);
    for (int i = 0; i < r->n; i++) {
        json_t *pos = json_array_get(ring, (size_t)i);
        assert_int_equal(json_array_size(pos), 2);
        assert_true(json_is_real(json_array_get(pos, 0)));
        r->p[i][0] = json_real_value(json_array_get(pos, 0));
        r->p[i][1] = json_real_value(json_array_get(pos, 1));
    }
}

/* The position of a Point feature. */
static void point_of(json_t *f, double *lon, double *lat)
{
    json_t *g = json_object_get(f, "geometry");
    assert_string_equal(json_string_value(json_object_get(g, "type")), "Point");
    json_t *c = json_object_get(g, "coordinates");
    assert_int_equal(json_array_size(c), 2);
    *lon = json_real_value(json_array_get(c, 0));
    *lat = json_real_value(json_array_get(c, 1));
}

/* Local metres about the reference point. */
static double mx(double lon)
{
    return (lon - LON_REF) * 111320.0 * cos(LAT_REF * M_PI / 180.0);
}
static double my(double lat)
{
    return (lat - LAT_REF) * 110574.0;
}

/* Signed shoelace area of a closed ring in m2 (positive = counter-clockwise). */
static double area_m2(const struct ring *r)
{
    double s = 0;
    for (int i = 0; i + 1 < r->n; i++)
        s += mx(r->p[i][0]) * my(r->p[i + 1][1]) - mx(r->p[i + 1][0]) * my(r->p[i][1]);
    return s / 2;
}

/* 1 if (lon, lat) is inside the closed ring (ray casting). */
static int inside(const struct ring *r, double lon, double lat)
{
    int in = 0;
    for (int i = 0, j = r->n - 2; i < r->n - 1; j = i++) {
        double xi = r->p[i][0], yi = r->p[i][1], xj = r->p[j][0], yj = r->p[j][1];
        if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
            in = !in;
    }
    return in;
}

static void assert_rel(double got, double want)
{
    if (!(fabs(got - want) <= REL_TOL * fabs(want)))
        fail_msg("got %.6f, want %.6f (relative tolerance %g)", got, want, REL_TOL);
}

/* The ring of grid i (in demo_geo_grid_code order). */
static void grid_ring(int i, struct ring *r)
{
    char code[16];
    demo_geo_grid_code(i, code);
    json_t *f = by_code(code);
    assert_non_null(f);
    ring_of(f, r);
}

/* A directed edge between two positions. */
struct edge {
    double a[2], b[2]; /* from, to */
    int used;          /* matched already */
};

static int same_pt(const double *p, const double *q)
{
    return p[0] == q[0] && p[1] == q[1];
}

/* Appends the edges of r to e (n in/out, at most max). */
static void add_edges(const struct ring *r, struct edge *e, int *n, int max)
{
    for (int i = 0; i + 1 < r->n; i++) {
        assert_true(*n < max);
        struct edge x = {{r->p[i][0], r->p[i][1]}, {r->p[i + 1][0], r->p[i + 1][1]}, 0};
        e[(*n)++] = x;
    }
}

/* Asserts that the children's edges, with every pair of opposite inner edges
 * removed, are exactly the parent's edges: an exact tiling along shared
 * vertices (no gap, no overlap, no T-junction). */
static void assert_tiles(struct edge *e, int n, const struct ring *parent)
{
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n && !e[i].used; j++)
            if (!e[j].used && same_pt(e[i].a, e[j].b) && same_pt(e[i].b, e[j].a))
                e[i].used = e[j].used = 1;
    int left = 0;
    for (int i = 0; i < n; i++)
        left += !e[i].used;
    assert_int_equal(left, parent->n - 1);
    for (int k = 0; k + 1 < parent->n; k++) {
        int found = 0;
        for (int i = 0; i < n && !found; i++)
            if (!e[i].used && same_pt(e[i].a, parent->p[k]) && same_pt(e[i].b, parent->p[k + 1]))
                found = e[i].used = 1;
        if (!found)
            fail_msg("parent edge %d (%.7f,%.7f) has no child edge", k, parent->p[k][0],
                     parent->p[k][1]);
    }
}

/* ---- fixtures ------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    json_error_t je;
    g_text = demo_geo_geojson();
    g_root = json_loads(g_text, 0, &je);
    if (!g_root) {
        fprintf(stderr, "JSON error line %d: %s\n", je.line, je.text);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    json_decref(g_root);
    xfree(g_text);
    return 0;
}

/* ---- tests ---------------------------------------------------------------- */

static void test_collection(void **state)
{
    (void)state;
    assert_string_equal(json_string_value(json_object_get(g_root, "type")), "FeatureCollection");
    assert_int_equal(demo_geo_grid_count(), N_GRIDS);
    assert_int_equal(json_array_size(features()), 1 + N_COMM + N_GRIDS + N_COMPOUND + N_BUILDING);
    int n[5] = {0};
    static const char *const kinds[5] = {"subdistrict", "community", "grid", "compound",
                                         "building"};
    size_t i;
    json_t *f;
    json_array_foreach(features(), i, f)
    {
        assert_string_equal(json_string_value(json_object_get(f, "type")), "Feature");
        json_t *p = json_object_get(f, "properties");
        assert_int_equal(json_object_size(p), 4);
        static const char *const keys[] = {"kind", "code", "name", "parent"};
        for (int k = 0; k < 4; k++)
            assert_true(json_is_string(json_object_get(p, keys[k])));
        int k = 0;
        while (k < 5 && strcmp(kinds[k], prop(f, "kind")) != 0)
            k++;
        if (k == 5) {
            fail_msg("unknown kind '%s'", prop(f, "kind"));
            return;
        }
        n[k]++;
    }
    assert_int_equal(n[0], 1);
    assert_int_equal(n[1], N_COMM);
    assert_int_equal(n[2], N_GRIDS);
    assert_int_equal(n[3], N_COMPOUND);
    assert_int_equal(n[4], N_BUILDING);
}

static void test_codes(void **state)
{
    (void)state;
    json_t *sd = by_code("530111008");
    assert_non_null(sd);
    assert_string_equal(prop(sd, "kind"), "subdistrict");
    assert_string_equal(prop(sd, "name"), "六甲街道");
    assert_string_equal(prop(sd, "parent"), "");
    for (int k = 0; k < N_COMM; k++) {
        json_t *c = by_code(want_comm[k].code);
        assert_non_null(c);
        assert_string_equal(prop(c, "kind"), "community");
        assert_string_equal(prop(c, "name"), want_comm[k].name);
        assert_string_equal(prop(c, "parent"), "530111008");
    }
    /* codes unique */
    size_t i, j;
    json_t *f, *g;
    json_array_foreach(features(), i, f)
    {
        json_array_foreach(features(), j, g)
        {
            if (i < j)
                assert_string_not_equal(prop(f, "code"), prop(g, "code"));
        }
    }
    /* grids: parent community's code + 2 digits, in demo_geo_grid_code order */
    int per[N_COMM] = {0}, gi = 0;
    json_array_foreach(features(), i, f)
    {
        if (strcmp(prop(f, "kind"), "grid") != 0)
            continue;
        const char *code = prop(f, "code"), *parent = prop(f, "parent");
        json_t *pc = by_code(parent);
        assert_non_null(pc);
        assert_string_equal(prop(pc, "kind"), "community");
        assert_int_equal(strlen(code), 14);
        assert_memory_equal(code, parent, 12);
        assert_true(code[12] >= '0' && code[12] <= '9' && code[13] >= '0' && code[13] <= '9');
        int k; /* index of the community */
        for (k = 0; k < N_COMM && strcmp(want_comm[k].code, parent) != 0; k++)
            ;
        if (k == N_COMM) {
            fail_msg("grid %s: parent %s is not a demo community", code, parent);
            return;
        }
        per[k]++;
        char name[64], want[16];
        snprintf(name, sizeof name, "%s第%s网格", want_comm[k].name, code + 12);
        assert_string_equal(prop(f, "name"), name);
        demo_geo_grid_code(gi++, want);
        assert_string_equal(code, want);
    }
    assert_int_equal(gi, N_GRIDS);
    for (int k = 0; k < N_COMM; k++)
        assert_int_equal(per[k], 24);
    char out[16];
    demo_geo_grid_code(0, out);
    assert_string_equal(out, "53011100800101");
    demo_geo_grid_code(239, out);
    assert_string_equal(out, "53011100801024");
}

static void test_rings(void **state)
{
    (void)state;
    size_t i;
    json_t *f;
    static struct ring r;
    json_array_foreach(features(), i, f)
    {
        if (strcmp(prop(f, "kind"), "building") == 0)
            continue;
        ring_of(f, &r);
        assert_true(r.n >= 4);
        assert_true(same_pt(r.p[0], r.p[r.n - 1]));
        if (!(area_m2(&r) > 0))
            fail_msg("%s is not counter-clockwise", prop(f, "code"));
        if (strcmp(prop(f, "kind"), "grid") != 0)
            continue;
        assert_int_equal(r.n, 5);     /* a quad */
        for (int k = 0; k < 4; k++) { /* convex: every turn to the left */
            const double *a = r.p[k], *b = r.p[k + 1], *c = r.p[(k + 2) % 4];
            double cr = (mx(b[0]) - mx(a[0])) * (my(c[1]) - my(b[1])) -
                        (my(b[1]) - my(a[1])) * (mx(c[0]) - mx(b[0]));
            if (!(cr > 0))
                fail_msg("grid %s is not convex at vertex %d", prop(f, "code"), k + 1);
        }
    }
}

static void test_areas(void **state)
{
    (void)state;
    static struct ring r;
    double gmin = 1e300, gmax = 0, comm_sum = 0;
    for (int k = 0; k < N_COMM; k++) {
        double sum = 0;
        for (int n = 0; n < 24; n++) {
            grid_ring(k * 24 + n, &r);
            double a = area_m2(&r);
            if (a < 10000 || a > 100000)
                fail_msg("grid %d area %.0f m2 outside 10,000..100,000", k * 24 + n, a);
            gmin = fmin(gmin, a);
            gmax = fmax(gmax, a);
            sum += a;
        }
        ring_of(by_code(want_comm[k].code), &r);
        double ca = area_m2(&r);
        assert_rel(sum, ca);
        comm_sum += ca;
    }
    ring_of(by_code("530111008"), &r);
    double sa = area_m2(&r);
    assert_rel(comm_sum, sa);
    double lon0 = 1e9, lon1 = -1e9, lat0 = 1e9, lat1 = -1e9;
    for (int i = 0; i < r.n; i++) {
        lon0 = fmin(lon0, r.p[i][0]);
        lon1 = fmax(lon1, r.p[i][0]);
        lat0 = fmin(lat0, r.p[i][1]);
        lat1 = fmax(lat1, r.p[i][1]);
    }
    assert_true(lon0 == 102.735 && lon1 == 102.775 && lat0 == 24.935 && lat1 == 24.965);
    print_message("grid area min %.0f max %.0f m2; subdistrict %.0f m2 (%.3f km2)\n", gmin, gmax,
                  sa, sa / 1e6);
    print_message("bbox lon %.7f..%.7f lat %.7f..%.7f\n", lon0, lon1, lat0, lat1);
}

static void test_tiling(void **state)
{
    (void)state;
    static struct edge e[400];
    static struct ring r;
    for (int k = 0; k < N_COMM; k++) {
        int n = 0;
        for (int g = 0; g < 24; g++) {
            grid_ring(k * 24 + g, &r);
            add_edges(&r, e, &n, (int)ARRAY_SIZE(e));
        }
        ring_of(by_code(want_comm[k].code), &r);
        assert_tiles(e, n, &r);
    }
    int n = 0;
    for (int k = 0; k < N_COMM; k++) {
        ring_of(by_code(want_comm[k].code), &r);
        add_edges(&r, e, &n, (int)ARRAY_SIZE(e));
    }
    ring_of(by_code("530111008"), &r);
    assert_tiles(e, n, &r);
}

/* Centroid of the 4 corners of grid i. */
static void grid_center(int i, double *lon, double *lat)
{
    static struct ring r;
    grid_ring(i, &r);
    *lon = *lat = 0;
    for (int k = 0; k < 4; k++) {
        *lon += r.p[k][0] / 4;
        *lat += r.p[k][1] / 4;
    }
}

static void test_numbering(void **state)
{
    (void)state;
    for (int k = 0; k < N_COMM; k++)
        for (int n = 0; n < 24; n++) {
            double lon, lat, plon, plat;
            grid_center(k * 24 + n, &lon, &lat);
            if (n % 4) { /* east of its west neighbour, same row */
                grid_center(k * 24 + n - 1, &plon, &plat);
                assert_true(lon > plon);
            }
            if (n >= 4) { /* south of the grid above */
                grid_center(k * 24 + n - 4, &plon, &plat);
                assert_true(lat < plat);
            }
        }
    /* communities too: 001 north-west, 005 north-east, 010 south-east */
    double a[2], b[2], c[2];
    grid_center(0, &a[0], &a[1]);
    grid_center(4 * 24 + 3, &b[0], &b[1]);
    grid_center(9 * 24 + 23, &c[0], &c[1]);
    assert_true(b[0] > a[0] && c[1] < b[1]);
}

static void test_points(void **state)
{
    (void)state;
    static struct ring rings[N_GRIDS];
    for (int i = 0; i < N_GRIDS; i++)
        grid_ring(i, &rings[i]);
    uint32_t rng = 12345, again = 12345;
    for (int i = 0; i < N_GRIDS; i++)
        for (int t = 0; t < 20; t++) {
            double lon, lat, lon2, lat2;
            demo_geo_point_in_grid(i, &rng, &lon, &lat);
            demo_geo_point_in_grid(i, &again, &lon2, &lat2);
            assert_true(lon == lon2 && lat == lat2);
            if (!inside(&rings[i], lon, lat))
                fail_msg("point %.7f,%.7f not in grid %d", lon, lat, i);
            for (int j = 0; j < N_GRIDS; j++)
                if (j != i && inside(&rings[j], lon, lat))
                    fail_msg("point %.7f,%.7f of grid %d also in grid %d", lon, lat, i, j);
        }
    /* a zero state still works */
    uint32_t zero = 0;
    double lon, lat;
    demo_geo_point_in_grid(7, &zero, &lon, &lat);
    assert_true(zero != 0);
    assert_true(inside(&rings[7], lon, lat));
}

static void test_compounds(void **state)
{
    (void)state;
    static struct ring grid, comp;
    static const char *const want[N_COMPOUND] = {"53011100800201-01", "53011100800202-01"};
    for (int c = 0; c < N_COMPOUND; c++) {
        json_t *f = by_code(want[c]);
        assert_non_null(f);
        assert_string_equal(prop(f, "kind"), "compound");
        assert_memory_equal(want[c], prop(f, "parent"), 14);
        assert_int_equal(strlen(prop(f, "parent")), 14);
        assert_non_null(strstr(prop(f, "name"), "福保"));
        ring_of(by_code(prop(f, "parent")), &grid);
        ring_of(f, &comp);
        for (int k = 0; k + 1 < comp.n; k++)
            assert_true(inside(&grid, comp.p[k][0], comp.p[k][1]));
        for (int b = 1; b <= 3; b++) {
            char code[40], name[16];
            double lon, lat;
            snprintf(code, sizeof code, "%s-%02d", want[c], b);
            snprintf(name, sizeof name, "%d栋", b);
            json_t *bf = by_code(code);
            assert_non_null(bf);
            assert_string_equal(prop(bf, "kind"), "building");
            assert_string_equal(prop(bf, "parent"), want[c]);
            assert_string_equal(prop(bf, "name"), name);
            point_of(bf, &lon, &lat);
            assert_true(inside(&comp, lon, lat));
        }
    }
    assert_string_equal(prop(by_code(want[0]), "name"), "福保文化城");
}

static void test_deterministic(void **state)
{
    (void)state;
    char *again = demo_geo_geojson();
    assert_string_equal(again, g_text);
    xfree(again);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_collection),    cmocka_unit_test(test_codes),
        cmocka_unit_test(test_rings),         cmocka_unit_test(test_areas),
        cmocka_unit_test(test_tiling),        cmocka_unit_test(test_numbering),
        cmocka_unit_test(test_points),        cmocka_unit_test(test_compounds),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
