/*
 * test_geo_coord.c - unit tests of the coordinate systems in geo/coord.c:
 * WGS-84 / GCJ-02 / BD-09 conversions, the China box, names, range checks
 * and distances.
 *
 * The WGS -> GCJ vectors are googollee/eviltransform's c/test.c (written
 * lat, lon there). The copy in china-governance.md 7.1 has a typo in the
 * Shenzhen longitude (113.9171765808363); c/test.c says 113.9171764808363,
 * which is what the formula gives.
 * Round trips are measured in metres with geo_distance_m; the largest
 * errors are printed so that a drift shows before it fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "geo/geo.h"

/* Kunming, Guandu district, Liujia subdistrict (WGS-84). */
#define LIUJIA_LON 102.75
#define LIUJIA_LAT 24.95

/* Largest round-trip error allowed, metres. */
#define MAX_RT_M 0.5

/* Asserts |got - want| <= tol, printing the numbers on failure. */
static void assert_near(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.10f, want %.10f (tolerance %g)", got, want, tol);
}

/* Distance in metres between (lon, lat) and its round trip to crs and back. */
static double round_trip_m(int crs, double lon, double lat)
{
    double mlon, mlat, blon, blat;
    geo_convert(GEO_WGS84, crs, lon, lat, &mlon, &mlat);
    geo_convert(crs, GEO_WGS84, mlon, mlat, &blon, &blat);
    return geo_distance_m(lon, lat, blon, blat);
}

/* ---- WGS -> GCJ against published vectors ------------------------------- */

static void test_gcj_vectors(void **state)
{
    (void)state;
    static const struct {
        double lat, lon;         /* WGS-84 input, as in eviltransform's test.c */
        double gcj_lat, gcj_lon; /* expected GCJ-02 */
    } v[] = {
        {31.1774276, 121.5272106, 31.17530398364597, 121.531541859215},
        {22.543847, 113.912316, 22.540796131694766, 113.9171764808363},
        {39.911954, 116.377817, 39.91334545536069, 116.38404722455657},
    };
    for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
        double lon, lat;
        geo_convert(GEO_WGS84, GEO_GCJ02, v[i].lon, v[i].lat, &lon, &lat);
        print_message("vector %zu: gcj %.9f,%.9f  diff %.2e,%.2e deg\n", i, lon, lat,
                      lon - v[i].gcj_lon, lat - v[i].gcj_lat);
        assert_near(lon, v[i].gcj_lon, 1e-6);
        assert_near(lat, v[i].gcj_lat, 1e-6);
        /* Much closer than 6 decimals: this pins a = 6378245 (Krasovsky);
         * eviltransform's current 6378137 is off by up to 1e-7 here. */
        assert_near(lon, v[i].gcj_lon, 1e-9);
        assert_near(lat, v[i].gcj_lat, 1e-9);
    }
}

/* ---- round trips -------------------------------------------------------- */

/* Every 0.5 degree over 18..53 N, 74..134 E (the box and a bit of the
 * neighbours, which the box includes too): WGS -> crs -> WGS under 0.5 m. */
static void grid_round_trip(int crs)
{
    double worst = 0.0, wlon = 0.0, wlat = 0.0;
    int n = 0;
    for (int i = 0; i <= 70; i++) {
        for (int j = 0; j <= 120; j++) {
            double lat = 18.0 + 0.5 * i, lon = 74.0 + 0.5 * j;
            double d = round_trip_m(crs, lon, lat);
            if (d > worst) {
                worst = d;
                wlon = lon;
                wlat = lat;
            }
            n++;
        }
    }
    print_message("%s round trip: %d points, max error %.3e m at %.1f,%.1f\n", geo_crs_name(crs), n,
                  worst, wlon, wlat);
    assert_true(worst < MAX_RT_M);
}

static void test_round_trip_gcj_grid(void **state)
{
    (void)state;
    grid_round_trip(GEO_GCJ02);
}

static void test_round_trip_bd_grid(void **state)
{
    (void)state;
    grid_round_trip(GEO_BD09);
}

/* Liujia itself, in all three systems; the values are printed for the log. */
static void test_liujia(void **state)
{
    (void)state;
    double glon, glat, blon, blat, lon, lat;
    geo_convert(GEO_WGS84, GEO_GCJ02, LIUJIA_LON, LIUJIA_LAT, &glon, &glat);
    geo_convert(GEO_WGS84, GEO_BD09, LIUJIA_LON, LIUJIA_LAT, &blon, &blat);
    print_message("Liujia wgs84 %.7f,%.7f\n", LIUJIA_LON, LIUJIA_LAT);
    print_message("Liujia gcj02 %.7f,%.7f\n", glon, glat);
    print_message("Liujia bd09  %.7f,%.7f\n", blon, blat);
    /* GCJ-02 moves points in Kunming by some hundreds of metres, BD-09 more. */
    double dg = geo_distance_m(LIUJIA_LON, LIUJIA_LAT, glon, glat);
    double db = geo_distance_m(LIUJIA_LON, LIUJIA_LAT, blon, blat);
    assert_true(dg > 100.0 && dg < 1000.0);
    assert_true(db > dg && db < 2000.0);
    /* BD -> GCJ directly agrees with the route through WGS. */
    geo_convert(GEO_BD09, GEO_GCJ02, blon, blat, &lon, &lat);
    assert_true(geo_distance_m(glon, glat, lon, lat) < 0.01);
    /* Back to WGS from both. */
    geo_convert(GEO_GCJ02, GEO_WGS84, glon, glat, &lon, &lat);
    assert_true(geo_distance_m(LIUJIA_LON, LIUJIA_LAT, lon, lat) < MAX_RT_M);
    geo_convert(GEO_BD09, GEO_WGS84, blon, blat, &lon, &lat);
    assert_true(geo_distance_m(LIUJIA_LON, LIUJIA_LAT, lon, lat) < MAX_RT_M);
    /* GCJ -> BD -> GCJ. */
    geo_convert(GEO_GCJ02, GEO_BD09, glon, glat, &lon, &lat);
    geo_convert(GEO_BD09, GEO_GCJ02, lon, lat, &lon, &lat);
    assert_true(geo_distance_m(glon, glat, lon, lat) < MAX_RT_M);
}

/* ---- outside China, same system, unknown systems ------------------------ */

static void test_outside_china(void **state)
{
    (void)state;
    static const double pts[][2] = {
        {2.3522, 48.8566},   /* Paris */
        {139.7, 35.68},      /* Tokyo, east of the box */
        {-74.006, 40.7128},  /* New York */
        {151.2093, -33.8688} /* Sydney */
    };
    for (size_t i = 0; i < ARRAY_SIZE(pts); i++) {
        double lon, lat;
        assert_false(geo_in_china(pts[i][0], pts[i][1]));
        geo_convert(GEO_WGS84, GEO_GCJ02, pts[i][0], pts[i][1], &lon, &lat);
        assert_true(lon == pts[i][0] && lat == pts[i][1]);
        geo_convert(GEO_GCJ02, GEO_WGS84, pts[i][0], pts[i][1], &lon, &lat);
        assert_true(lon == pts[i][0] && lat == pts[i][1]);
        /* BD-09 keeps its shift abroad, but still round-trips. */
        assert_true(round_trip_m(GEO_BD09, pts[i][0], pts[i][1]) < MAX_RT_M);
    }
    assert_true(geo_in_china(LIUJIA_LON, LIUJIA_LAT));
    assert_true(geo_in_china(116.39, 39.91)); /* Beijing */
    assert_true(geo_in_china(135.08, 48.35)); /* Fuyuan, the easternmost county */
    assert_true(geo_in_china(122.35, 53.56)); /* Mohe, the northern tip */
    assert_false(geo_in_china(70.0, 35.0));   /* west of the box */
    assert_false(geo_in_china(105.0, 56.0));  /* north of the box */
    assert_false(geo_in_china(105.0, 0.5));   /* south of the box */
    assert_false(geo_in_china(NAN, LIUJIA_LAT));
}

static void test_same_and_unknown(void **state)
{
    (void)state;
    double lon, lat;
    for (int c = GEO_WGS84; c <= GEO_BD09; c++) {
        geo_convert(c, c, LIUJIA_LON, LIUJIA_LAT, &lon, &lat);
        assert_true(lon == LIUJIA_LON && lat == LIUJIA_LAT);
    }
    geo_convert(0, GEO_GCJ02, LIUJIA_LON, LIUJIA_LAT, &lon, &lat);
    assert_true(lon == LIUJIA_LON && lat == LIUJIA_LAT);
    geo_convert(GEO_WGS84, 42, LIUJIA_LON, LIUJIA_LAT, &lon, &lat);
    assert_true(lon == LIUJIA_LON && lat == LIUJIA_LAT);
}

/* ---- names -------------------------------------------------------------- */

static void test_crs_names(void **state)
{
    (void)state;
    assert_int_equal(geo_crs_parse("wgs84"), GEO_WGS84);
    assert_int_equal(geo_crs_parse("gcj02"), GEO_GCJ02);
    assert_int_equal(geo_crs_parse("bd09"), GEO_BD09);
    assert_int_equal(geo_crs_parse("WGS84"), GEO_WGS84);
    assert_int_equal(geo_crs_parse("Gcj02"), GEO_GCJ02);
    assert_int_equal(geo_crs_parse("BD09"), GEO_BD09);
    assert_int_equal(geo_crs_parse(""), 0);
    assert_int_equal(geo_crs_parse(NULL), 0);
    assert_int_equal(geo_crs_parse("wgs"), 0);
    assert_int_equal(geo_crs_parse("wgs84 "), 0);
    assert_int_equal(geo_crs_parse("bd09ll"), 0);
    assert_int_equal(geo_crs_parse("epsg:4326"), 0);
    assert_string_equal(geo_crs_name(GEO_WGS84), "wgs84");
    assert_string_equal(geo_crs_name(GEO_GCJ02), "gcj02");
    assert_string_equal(geo_crs_name(GEO_BD09), "bd09");
    assert_string_equal(geo_crs_name(0), "unknown");
    for (int c = GEO_WGS84; c <= GEO_BD09; c++)
        assert_int_equal(geo_crs_parse(geo_crs_name(c)), c);
}

/* ---- range checks -------------------------------------------------------- */

/* Asserts geo_check_lonlat fails with ERR_INVALID on field, with a message. */
static void assert_bad(double lon, double lat, const char *field)
{
    struct err e;
    err_clear(&e);
    assert_int_equal(geo_check_lonlat(lon, lat, &e), ERR_INVALID);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.field, field);
    assert_true(strlen(e.msg) > 0);
}

static void test_check_lonlat(void **state)
{
    (void)state;
    struct err e;
    err_clear(&e);
    assert_int_equal(geo_check_lonlat(LIUJIA_LON, LIUJIA_LAT, &e), 0);
    assert_int_equal(geo_check_lonlat(-180.0, -90.0, &e), 0);
    assert_int_equal(geo_check_lonlat(180.0, 90.0, &e), 0);
    assert_int_equal(geo_check_lonlat(0.0, 0.0, NULL), 0);
    assert_int_equal(e.code, 0);
    assert_bad(NAN, 0.0, "lon");
    assert_bad(INFINITY, 0.0, "lon");
    assert_bad(-INFINITY, 0.0, "lon");
    assert_bad(180.0000001, 0.0, "lon");
    assert_bad(-181.0, 0.0, "lon");
    assert_bad(0.0, NAN, "lat");
    assert_bad(0.0, INFINITY, "lat");
    assert_bad(0.0, 90.5, "lat");
    assert_bad(0.0, -91.0, "lat");
    /* Swapped order (lat, lon) is the common mistake: 24.95, 102.75. */
    assert_bad(LIUJIA_LAT, LIUJIA_LON, "lat");
    /* Both wrong: the longitude is reported. */
    assert_bad(NAN, NAN, "lon");
    assert_int_equal(geo_check_lonlat(NAN, 0.0, NULL), ERR_INVALID);
}

/* ---- distance ------------------------------------------------------------ */

static void test_distance(void **state)
{
    (void)state;
    /* One degree of latitude on the R = 6371008.8 m sphere: 111195.08 m. */
    assert_near(geo_distance_m(LIUJIA_LON, 24.0, LIUJIA_LON, 25.0), 111195.08, 0.01);
    assert_near(geo_distance_m(0.0, 0.0, 1.0, 0.0), 111195.08, 0.01);
    /* One degree of longitude at 60 N is half as long. */
    assert_near(geo_distance_m(10.0, 60.0, 11.0, 60.0), 111195.08 / 2.0, 5.0);
    assert_true(geo_distance_m(LIUJIA_LON, LIUJIA_LAT, LIUJIA_LON, LIUJIA_LAT) == 0.0);
    /* Symmetric. */
    assert_near(geo_distance_m(102.7, 25.0, 116.4, 39.9), geo_distance_m(116.4, 39.9, 102.7, 25.0),
                1e-6);
    /* Kunming - Beijing, about 2100 km. */
    double d = geo_distance_m(102.71, 25.04, 116.40, 39.90);
    assert_true(d > 2.0e6 && d < 2.2e6);
    /* Antipodes: half the circumference, no NaN. */
    assert_near(geo_distance_m(0.0, 0.0, 180.0, 0.0), M_PI * 6371008.8, 1e-3);
    assert_near(geo_distance_m(0.0, 90.0, 0.0, -90.0), M_PI * 6371008.8, 1e-3);
    /* Across the antimeridian. */
    assert_near(geo_distance_m(179.5, 0.0, -179.5, 0.0), 111195.08, 0.01);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gcj_vectors),        cmocka_unit_test(test_round_trip_gcj_grid),
        cmocka_unit_test(test_round_trip_bd_grid), cmocka_unit_test(test_liujia),
        cmocka_unit_test(test_outside_china),      cmocka_unit_test(test_same_and_unknown),
        cmocka_unit_test(test_crs_names),          cmocka_unit_test(test_check_lonlat),
        cmocka_unit_test(test_distance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
