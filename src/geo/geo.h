/*
 * geo.h - pure geometry for grids and places: coordinate systems used by
 * Chinese devices (WGS-84, GCJ-02, BD-09), projected CGCS2000 Gauss-Krüger
 * input through PROJ, polygons from and to GeoJSON through GEOS, boundary
 * validation, and the point -> grid index (a bucket grid with exact
 * ray-crossing tests; points within rounding distance of an edge are decided
 * by GEOS prepared geometries). No database, no HTTP.
 *
 * Longitude first everywhere (x = lon, y = lat), degrees, WGS-84 (which
 * equals CGCS2000 at metre level) unless said otherwise.
 */
#ifndef CHUISHAO_GEO_H
#define CHUISHAO_GEO_H

#include <stddef.h>
#include <stdint.h>
#include "core/core.h"

/* ---- coordinate systems of input points (coord.c) ----------------------- */
enum geo_crs {
    GEO_WGS84 = 1, /* GPS, CGCS2000 */
    GEO_GCJ02 = 2, /* AMap (高德), Tencent: the obfuscated "Mars" datum */
    GEO_BD09 = 3,  /* Baidu */
};
/* Parses "wgs84", "gcj02", "bd09" (case-insensitive); 0 if unknown. */
int geo_crs_parse(const char *name);
/* "wgs84", "gcj02" or "bd09". */
const char *geo_crs_name(int crs);
/* 1 if the point is inside the box where GCJ-02 applies (mainland China). */
int geo_in_china(double lon, double lat);
/* Converts a point between systems. GCJ-02 -> WGS-84 iterates to better than
 * 0.5 m. Outside China, GCJ-02 equals WGS-84. */
void geo_convert(int from, int to, double lon, double lat, double *out_lon, double *out_lat);
/* 0 if lon/lat are finite and within [-180,180] x [-90,90], else ERR_INVALID. */
int geo_check_lonlat(double lon, double lat, struct err *e);

/* Great-circle distance in metres. */
double geo_distance_m(double lon1, double lat1, double lon2, double lat2);

/* ---- shapes (shape.c) ----------------------------------------------------- */
/* A geometry: Point, Polygon or MultiPolygon, in WGS-84 lon/lat. */
struct geo_shape;

/* Prepares this thread's GEOS context (each thread gets its own on first
 * use; geo_shutdown frees the calling thread's). Returns 0 or ERR_INTERNAL. */
int geo_init(void);
void geo_shutdown(void);

/* Parses a GeoJSON geometry object (text of n bytes): Point, Polygon or
 * MultiPolygon, coordinates in lon/lat degrees. ERR_INVALID with a message
 * naming the problem (not JSON, unknown type, bad coordinates, too few ring
 * points, out-of-range numbers). OUT: *out, freed with geo_shape_free. */
int geo_shape_from_geojson(const char *text, size_t n, struct geo_shape **out, struct err *e);
/* Writes the shape as a GeoJSON geometry object. Returns heap text (xfree). */
char *geo_shape_to_geojson(const struct geo_shape *s);
void geo_shape_free(struct geo_shape *s);
/* 1 Point, 2 Polygon, 3 MultiPolygon. */
int geo_shape_type(const struct geo_shape *s);
/* Bounding box in degrees. */
void geo_shape_bbox(const struct geo_shape *s, double *minx, double *miny, double *maxx,
                    double *maxy);
/* Area in square metres on the WGS-84 ellipsoid (an equal-area projection;
 * 0 for points). */
double geo_shape_area_m2(const struct geo_shape *s);
/* A point guaranteed inside the shape (for labels and error reports). */
void geo_shape_inner_point(const struct geo_shape *s, double *lon, double *lat);
/* Parses a GeoJSON geometry whose coordinates are in the CRS `epsg` (0,
 * 4326 or 4490: lon/lat, as geo_shape_from_geojson; a projected code such
 * as 4543: easting/northing in metres) and returns it in WGS-84 lon/lat.
 * 0 or ERR_INVALID; OUT: *out (geo_shape_free). */
int geo_shape_from_geojson_epsg(const char *text, size_t n, int epsg, struct geo_shape **out,
                                struct err *e);
/* Reprojects a shape given in a projected CRS (an EPSG code such as 4543,
 * CGCS2000 3-degree Gauss-Krüger CM 102E; x = easting, y = northing in
 * metres) into WGS-84 lon/lat, in place, through PROJ. ERR_INVALID for an
 * unknown EPSG code or coordinates PROJ cannot transform. EPSG 4326 and 4490
 * are accepted as lon/lat already (no change). */
int geo_shape_reproject(struct geo_shape *s, int epsg, struct err *e);

/* ---- GeoJSON FeatureCollections of places (features.c) ------------------- */
/* One feature of a place boundary file. */
struct geo_feature {
    char *code;     /* properties.code */
    char *kind;     /* properties.kind */
    char *name;     /* properties.name */
    char *parent;   /* properties.parent ("" if absent) */
    char *geometry; /* the geometry object as compact GeoJSON text, NULL if null */
};
/* Parses a FeatureCollection whose features carry string properties code,
 * kind and name (parent optional). OUT: *out (n entries), freed with
 * geo_features_free. ERR_INVALID naming the feature that is wrong. */
int geo_features_parse(const char *text, size_t len, struct geo_feature **out, int *n,
                       struct err *e);
void geo_features_free(struct geo_feature *f, int n);

/* ---- validation of a boundary set (validate.c) ---------------------------- */
/* One finding of geo_validate. */
struct geo_issue {
    char code[40];    /* the place code the issue is about */
    char other[40];   /* the other place (overlap), "" if none */
    char kind[24];    /* invalid | overlap | outside | gap | empty */
    char detail[160]; /* human-readable: GEOS's reason, the area in m^2 ... */
    double lon, lat;  /* where (a point of the problem) */
};
/* One area to validate: a place with its parent. */
struct geo_area {
    const char *code;              /* place code */
    const char *parent;            /* parent's code, "" for the root */
    const struct geo_shape *shape; /* its boundary (NULL: none, not checked) */
    int cover;                     /* 1: its children must cover it without gaps (a community
                                      by its grids); 0: they need not (a grid by compounds) */
};
/* Validates areas: each polygon is valid (GEOS isValid; the reason says
 * what: self-intersection, ring not closed...); children of one parent do
 * not overlap each other by more than tol_m2; each child lies inside its
 * parent (the part outside > tol_m2 is reported); the children of a parent
 * marked `cover` cover it with no gap larger than tol_m2. Point shapes are
 * skipped. Findings go to
 * issues (up to max, arena-free: the caller's array). Returns the number of
 * findings (possibly > max: only max are written). */
int geo_validate(const struct geo_area *areas, int n, double tol_m2, struct geo_issue *issues,
                 int max);

/* ---- point -> area index (index.c) ---------------------------------------- */
struct geo_index;
/* A new empty index. Build it (single thread), then query it. */
struct geo_index *geo_index_new(void);
void geo_index_free(struct geo_index *ix);
/* Adds an area (the shape is copied). */
void geo_index_add(struct geo_index *ix, const char *code, const struct geo_shape *shape);
/* Builds the STRtree and prepared geometries; call once after adding. */
void geo_index_build(struct geo_index *ix);
/* Number of areas. */
int geo_index_size(const struct geo_index *ix);
/* The code of the area that contains the point (a point on a shared border
 * goes to one of them, deterministically: the lowest code), or NULL. The
 * code lives as long as the index.
 * Thread-safe after build (internally serialised or per-thread contexts). */
const char *geo_index_find(struct geo_index *ix, double lon, double lat);

#endif
