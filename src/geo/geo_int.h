/*
 * geo_int.h - internals shared by shape.c, validate.c and index.c: the shape
 * struct, the per-thread GEOS context and the local equal-area projection.
 * Not for use outside src/geo (tests and the geo benchmark excepted).
 */
#ifndef CHUISHAO_GEO_INT_H
#define CHUISHAO_GEO_INT_H

#include <geos_c.h>
#include "geo.h"

/* A shape owns one GEOS geometry (Point, Polygon or MultiPolygon, possibly
 * empty, possibly invalid: parsing does not validate). */
struct geo_shape {
    GEOSGeometry *g; /* owned; lon/lat degrees */
    int type;        /* 1 Point, 2 Polygon, 3 MultiPolygon (geo_shape_type) */
};

/* The calling thread's GEOS context, created on first use and destroyed when
 * the thread exits (or by geo_shutdown for the calling thread). GEOS error
 * and notice messages never reach stderr: the last error is kept per thread
 * (geo__last_error). Never NULL (aborts if GEOS cannot allocate one). */
GEOSContextHandle_t geo__ctx(void);
/* The last GEOS error message of the calling thread ("" if none). */
const char *geo__last_error(void);
/* Clears the calling thread's last GEOS error. */
void geo__clear_error(void);

/* Wraps a GEOS geometry (ownership moves to the shape) and sets its type.
 * Returns NULL (and destroys g) if g is not a Point, Polygon or MultiPolygon. */
struct geo_shape *geo__shape_wrap(GEOSGeometry *g);

/* Area in m^2 of a polygonal lon/lat geometry on the WGS-84 ellipsoid,
 * through Lambert's cylindrical equal-area projection (exact in area for any
 * standard parallel; edges straight in the projected plane). 0 for points,
 * lines and empty geometries; components of collections are summed. */
double geo__area_m2(GEOSContextHandle_t h, const GEOSGeometry *g);

/* A point on the surface of g (GEOSPointOnSurface); 0 and *x = *y = 0 if g is
 * empty or GEOS fails, else 1. */
int geo__inner_point(GEOSContextHandle_t h, const GEOSGeometry *g, double *x, double *y);

/* Reference implementation of geo_index_find on GEOS alone (STRtree query,
 * then prepared intersects on each candidate, lowest code wins), serialised
 * by the index mutex. Same result and contract as geo_index_find; for tests
 * and benchmarks. */
const char *geo__index_find_geos(struct geo_index *ix, double lon, double lat);
/* Statistics of the fast path since build: lookups that GEOS decided (the
 * point on an edge or within a few ulps of one), number of buckets and mean
 * candidates per bucket. Read them when no query runs. */
void geo__index_stats(const struct geo_index *ix, long *fallbacks, int *cells, double *per_cell);

#endif
