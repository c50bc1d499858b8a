/* fuzz_geojson.c - boundary sets: the GeoJSON FeatureCollection of places
 * that POST /places/import and `chuishao geo import` take, validated as a
 * dry run (place_import_geojson with apply = 0, src/domain/place/place.c:
 * features, tree rules and codes, geometries, then geo_validate's overlaps,
 * containment and gaps) on the fixture's database; and each feature's
 * geometry through the geo layer (src/geo/shape.c): parsed, written back
 * and parsed again, and, for a clean set, the point -> grid index.
 *
 * Input: the FeatureCollection text. Leading newlines choose the CRS of the
 * coordinates, so that the text stays JSON: none lon/lat (0), one EPSG:4326,
 * two EPSG:4543 (CGCS2000 Gauss-Krüger, CM 102E, metres), three EPSG:4490,
 * four or more an unknown code.
 *
 * Invariants: the report counts what it holds; a geometry written back
 * parses again to the same text; a clean set has every grid's inner point
 * in some grid of the index built from it. */
#include <math.h>
#include <string.h>
#include "fuzz.h"
#include "domain/place/place.h"
#include "geo/geo.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_db();
    return 0;
}

/* The CRS chosen by the number of leading newlines. */
static int epsg_of(const uint8_t *data, size_t size)
{
    static const int codes[] = {0, 4326, 4543, 4490, 999};
    size_t k = 0;
    while (k < size && k < 4 && data[k] == '\n')
        k++;
    return codes[k];
}

/* A geometry written back and parsed again gives the same text. */
static void check_round_trip(const struct geo_shape *s)
{
    struct geo_shape *again = NULL;
    struct err e = {0};
    char *text = geo_shape_to_geojson(s);
    FUZZ_CHECK(text != NULL);
    if (geo_shape_from_geojson(text, strlen(text), &again, &e) != 0)
        fprintf(stderr, "written back as %s: %s\n", text, e.msg);
    FUZZ_CHECK(again != NULL);
    FUZZ_CHECK(geo_shape_type(again) == geo_shape_type(s));
    char *text2 = geo_shape_to_geojson(again);
    FUZZ_CHECK(strcmp(text, text2) == 0);
    xfree(text2);
    xfree(text);
    geo_shape_free(again);
}

/* One feature's geometry in lon/lat: its box holds lon/lat, its area is a
 * number, and it survives a round trip. */
static struct geo_shape *check_geometry(const struct geo_feature *f)
{
    struct geo_shape *s = NULL;
    struct err e = {0};
    double minx, miny, maxx, maxy;
    if (f->geometry == NULL)
        return NULL;
    if (geo_shape_from_geojson(f->geometry, strlen(f->geometry), &s, &e)) {
        FUZZ_CHECK(s == NULL && e.code == ERR_INVALID && e.msg[0]);
        return NULL;
    }
    geo_shape_bbox(s, &minx, &miny, &maxx, &maxy);
    FUZZ_CHECK(minx <= maxx && miny <= maxy && minx >= -180 && maxx <= 180 && miny >= -90 &&
               maxy <= 90);
    FUZZ_CHECK(!isnan(geo_shape_area_m2(s)));
    check_round_trip(s);
    return s;
}

/* For a set the import accepts: every grid's inner point is in a grid. */
static void check_index(const struct geo_feature *f, struct geo_shape **shapes, int n)
{
    struct geo_index *ix = geo_index_new();
    int grids = 0;
    for (int i = 0; i < n; i++)
        if (shapes[i] && geo_shape_type(shapes[i]) != 1 && strcmp(f[i].kind, "grid") == 0) {
            geo_index_add(ix, f[i].code, shapes[i]);
            grids++;
        }
    geo_index_build(ix);
    FUZZ_CHECK(geo_index_size(ix) == grids);
    for (int i = 0; i < n; i++) {
        double lon, lat;
        if (!shapes[i] || geo_shape_type(shapes[i]) == 1 || strcmp(f[i].kind, "grid") != 0)
            continue;
        geo_shape_inner_point(shapes[i], &lon, &lat);
        FUZZ_CHECK(geo_index_find(ix, lon, lat) != NULL);
    }
    geo_index_free(ix);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_db *db = fuzz_db();
    struct place_report *r = xcalloc(1, sizeof *r);
    struct err e = {0};
    int epsg = epsg_of(data, size);
    int rc = place_import_geojson(db->dom, (const char *)data, size, epsg, 0, r, &e);
    if (getenv("FUZZ_VERBOSE")) /* to see what a seed reaches */
        fprintf(stderr, "epsg %d: rc %d, %d places, %d issues: %s %s %s\n", epsg, rc, r->n_places,
                r->n_issues, e.msg, r->n_issues ? r->issues[0].kind : "",
                r->n_issues ? r->issues[0].detail : "");
    FUZZ_CHECK(rc == 0 || rc == ERR_INVALID);
    FUZZ_CHECK(r->n_issues >= 0 && r->regridded == 0);
    FUZZ_CHECK(rc != 0 || r->n_issues == 0);
    FUZZ_CHECK(rc == 0 || e.msg[0] != '\0');
    for (int i = 0; i < r->n_issues && i < (int)ARRAY_SIZE(r->issues); i++)
        FUZZ_CHECK(r->issues[i].kind[0] != '\0');
    struct geo_feature *f;
    int n;
    if (geo_features_parse((const char *)data, size, &f, &n, &e) == 0) {
        FUZZ_CHECK(n == r->n_places);
        struct geo_shape **shapes = xcalloc((size_t)n + 1, sizeof *shapes);
        for (int i = 0; i < n; i++)
            shapes[i] = check_geometry(&f[i]);
        if (rc == 0 && (epsg == 0 || epsg == 4326 || epsg == 4490))
            check_index(f, shapes, n);
        for (int i = 0; i < n; i++)
            geo_shape_free(shapes[i]);
        xfree(shapes);
        geo_features_free(f, n);
    }
    xfree(r);
    return 0;
}
