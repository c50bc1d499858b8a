/*
 * coord.c - the coordinate systems of input points (see geo.h): WGS-84,
 * GCJ-02 (the obfuscated "Mars" datum of AMap and Tencent) and BD-09
 * (Baidu), the conversions between them, range checks and great-circle
 * distance. Plain libm; no GEOS, no PROJ.
 *
 * Written from the published formulas summarised in the project reference
 * (china-governance.md section 7.1): googollee/eviltransform c/transform.c
 * and wandergis/coordtransform index.js.
 */
#include <math.h>
#include <stddef.h>
#include "geo.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---- names ------------------------------------------------------------- */

/* The systems and their names: a short table searched linearly. */
static const struct {
    int crs;          /* GEO_* */
    const char *name; /* canonical lower-case name */
} crs_names[] = {
    {GEO_WGS84, "wgs84"},
    {GEO_GCJ02, "gcj02"},
    {GEO_BD09, "bd09"},
};

/* 1 if a and b are equal ignoring ASCII case (locale-independent). */
static int ascii_case_equal(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca = (unsigned char)(ca - 'A' + 'a');
        if (cb >= 'A' && cb <= 'Z')
            cb = (unsigned char)(cb - 'A' + 'a');
        if (ca != cb)
            return 0;
        if (ca == '\0')
            return 1;
    }
}

int geo_crs_parse(const char *name)
{
    if (name == NULL)
        return 0;
    for (size_t i = 0; i < ARRAY_SIZE(crs_names); i++)
        if (ascii_case_equal(name, crs_names[i].name))
            return crs_names[i].crs;
    return 0;
}

/* Returns "unknown" for a value that is not a GEO_* constant. */
const char *geo_crs_name(int crs)
{
    for (size_t i = 0; i < ARRAY_SIZE(crs_names); i++)
        if (crs_names[i].crs == crs)
            return crs_names[i].name;
    return "unknown";
}

/* ---- WGS-84 <-> GCJ-02 ------------------------------------------------- */

/* Semi-major axis and first eccentricity squared used by the GCJ-02 offset.
 * a is the Krasovsky 1940 axis, as in wandergis/coordtransform and the
 * AMap-compatible implementations most Chinese software uses. eviltransform
 * switched to 6378137.0 in 2016 (commit 547f9fc, "fix #28"); the two
 * differ by well under a metre (about 1e-7 degrees). The test vectors in
 * eviltransform's c/test.c were evidently computed with 6378245.0: we
 * reproduce them to 1e-11 degrees, against about 1e-7 with 6378137.0 (see
 * tests/unit/test_geo_coord.c). */
#define GCJ_A  6378245.0
#define GCJ_EE 0.00669342162296594323

/* The box where GCJ-02 applies. We use eviltransform's box (72.004-137.8347 E,
 * 0.8293-55.8271 N) rather than wandergis's tighter one (73.66-135.05 E,
 * 3.86-53.55 N) because wandergis's cuts off real corners of China: Fuyuan
 * in Heilongjiang reaches 135.08 E and the Mohe tip 53.56 N. Both boxes also
 * cover some neighbouring countries; no box is exact. Edges count as inside. */
#define CN_LON_MIN 72.004
#define CN_LON_MAX 137.8347
#define CN_LAT_MIN 0.8293
#define CN_LAT_MAX 55.8271

int geo_in_china(double lon, double lat)
{
    return lon >= CN_LON_MIN && lon <= CN_LON_MAX && lat >= CN_LAT_MIN && lat <= CN_LAT_MAX;
}

/* The periodic part shared by both offset polynomials (x = lon - 105). */
static double gcj_wave_x(double x)
{
    return (20.0 * sin(6.0 * x * M_PI) + 20.0 * sin(2.0 * x * M_PI)) * 2.0 / 3.0;
}

/* Latitude offset in metres-like units, x = lon - 105, y = lat - 35. */
static double gcj_dlat(double x, double y)
{
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x));
    r += gcj_wave_x(x);
    r += (20.0 * sin(y * M_PI) + 40.0 * sin(y * M_PI / 3.0)) * 2.0 / 3.0;
    r += (160.0 * sin(y * M_PI / 12.0) + 320.0 * sin(y * M_PI / 30.0)) * 2.0 / 3.0;
    return r;
}

/* Longitude offset in metres-like units, x = lon - 105, y = lat - 35. */
static double gcj_dlon(double x, double y)
{
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));
    r += gcj_wave_x(x);
    r += (20.0 * sin(x * M_PI) + 40.0 * sin(x * M_PI / 3.0)) * 2.0 / 3.0;
    r += (150.0 * sin(x * M_PI / 12.0) + 300.0 * sin(x * M_PI / 30.0)) * 2.0 / 3.0;
    return r;
}

/* WGS-84 -> GCJ-02; identity outside the China box. */
static void wgs_to_gcj(double lon, double lat, double *out_lon, double *out_lat)
{
    if (!geo_in_china(lon, lat)) {
        *out_lon = lon;
        *out_lat = lat;
        return;
    }
    double dlat = gcj_dlat(lon - 105.0, lat - 35.0);
    double dlon = gcj_dlon(lon - 105.0, lat - 35.0);
    double rad = lat / 180.0 * M_PI;
    double s = sin(rad);
    double m = 1.0 - GCJ_EE * s * s; /* 1 - e^2 sin^2(lat) */
    double sm = sqrt(m);
    /* Metres to degrees with the meridian and prime-vertical radii. */
    dlat = dlat * 180.0 / (GCJ_A * (1.0 - GCJ_EE) / (m * sm) * M_PI);
    dlon = dlon * 180.0 / (GCJ_A / sm * cos(rad) * M_PI);
    *out_lon = lon + dlon;
    *out_lat = lat + dlat;
}

/* Iterations and stop threshold (degrees) of the inverse conversions. */
#define INV_MAX_ITER 30
#define INV_EPS      1e-7

/* A forward conversion that the inverse below undoes. */
typedef void (*fwd_fn)(double lon, double lat, double *out_lon, double *out_lat);

/* Finds p with fwd(p) = (lon, lat) by fixed-point iteration
 * p <- p - (fwd(p) - target), starting from (lon0, lat0). Both offsets vary
 * slowly (their derivatives are below 1e-2), so each step shrinks the error
 * about a hundredfold; it stops when a step moves less than INV_EPS degrees
 * in both axes, or after INV_MAX_ITER steps (possible only at the edge of the
 * China box, where the forward map jumps). */
static void invert(fwd_fn fwd, double lon, double lat, double lon0, double lat0, double *out_lon,
                   double *out_lat)
{
    double plon = lon0, plat = lat0;
    for (int i = 0; i < INV_MAX_ITER; i++) {
        double flon, flat;
        fwd(plon, plat, &flon, &flat);
        double dlon = flon - lon, dlat = flat - lat;
        plon -= dlon;
        plat -= dlat;
        if (fabs(dlon) < INV_EPS && fabs(dlat) < INV_EPS)
            break;
    }
    *out_lon = plon;
    *out_lat = plat;
}

/* GCJ-02 -> WGS-84, to far better than 0.5 m. Outside the box the first
 * step leaves the point unchanged and the loop stops at once. */
static void gcj_to_wgs(double lon, double lat, double *out_lon, double *out_lat)
{
    invert(wgs_to_gcj, lon, lat, lon, lat, out_lon, out_lat);
}

/* ---- GCJ-02 <-> BD-09 -------------------------------------------------- */

/* Baidu's constant: pi * 3000 / 180. */
static const double X_PI = M_PI * 3000.0 / 180.0;

/* BD-09 shift added after the rotation and scaling (degrees). */
#define BD_DLON 0.0065
#define BD_DLAT 0.006

/* GCJ-02 -> BD-09 (the published formula; like wandergis we apply it
 * everywhere, with no China box). */
static void gcj_to_bd(double lon, double lat, double *out_lon, double *out_lat)
{
    double z = sqrt(lon * lon + lat * lat) + 2e-5 * sin(lat * X_PI);
    double theta = atan2(lat, lon) + 3e-6 * cos(lon * X_PI);
    *out_lon = z * cos(theta) + BD_DLON;
    *out_lat = z * sin(theta) + BD_DLAT;
}

/* BD-09 -> GCJ-02. The published inverse subtracts the shift, then undoes
 * the perturbations evaluated at the BD point instead of the GCJ one, which
 * leaves errors of up to 0.2 m over China (measured); we start from it and
 * refine with the same fixed-point iteration as GCJ -> WGS. */
static void bd_to_gcj(double lon, double lat, double *out_lon, double *out_lat)
{
    double x = lon - BD_DLON, y = lat - BD_DLAT;
    double z = sqrt(x * x + y * y) - 2e-5 * sin(y * X_PI);
    double theta = atan2(y, x) - 3e-6 * cos(x * X_PI);
    invert(gcj_to_bd, lon, lat, z * cos(theta), z * sin(theta), out_lon, out_lat);
}

/* ---- conversion -------------------------------------------------------- */

/* Unknown systems (not GEO_*) leave the point unchanged: callers validate
 * names with geo_crs_parse first. */
void geo_convert(int from, int to, double lon, double lat, double *out_lon, double *out_lat)
{
    int known = from >= GEO_WGS84 && from <= GEO_BD09 && to >= GEO_WGS84 && to <= GEO_BD09;
    if (from == to || !known) {
        *out_lon = lon;
        *out_lat = lat;
        return;
    }
    /* Bring the point to GCJ-02, the hub between the other two. */
    if (from == GEO_WGS84)
        wgs_to_gcj(lon, lat, &lon, &lat);
    else if (from == GEO_BD09)
        bd_to_gcj(lon, lat, &lon, &lat);
    if (to == GEO_WGS84)
        gcj_to_wgs(lon, lat, &lon, &lat);
    else if (to == GEO_BD09)
        gcj_to_bd(lon, lat, &lon, &lat);
    *out_lon = lon;
    *out_lat = lat;
}

/* ---- checks and distance ----------------------------------------------- */

int geo_check_lonlat(double lon, double lat, struct err *e)
{
    if (!isfinite(lon))
        return err_set(e, ERR_INVALID, "lon", "longitude is not a finite number");
    if (lon < -180.0 || lon > 180.0)
        return err_set(e, ERR_INVALID, "lon", "longitude %.7f is outside [-180, 180]", lon);
    if (!isfinite(lat))
        return err_set(e, ERR_INVALID, "lat", "latitude is not a finite number");
    if (lat < -90.0 || lat > 90.0)
        return err_set(e, ERR_INVALID, "lat", "latitude %.7f is outside [-90, 90]", lat);
    return 0;
}

/* Mean Earth radius (IUGG R1), metres. */
#define EARTH_R_M 6371008.8

/* Haversine distance; good to about 0.5% (the Earth is not a sphere). */
double geo_distance_m(double lon1, double lat1, double lon2, double lat2)
{
    double p1 = lat1 * M_PI / 180.0, p2 = lat2 * M_PI / 180.0;
    double dp = p2 - p1, dl = (lon2 - lon1) * M_PI / 180.0;
    double sp = sin(dp / 2.0), sl = sin(dl / 2.0);
    double h = sp * sp + cos(p1) * cos(p2) * sl * sl;
    if (h > 1.0) /* rounding at antipodes */
        h = 1.0;
    return 2.0 * EARTH_R_M * asin(sqrt(h));
}
