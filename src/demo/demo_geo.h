/*
 * demo_geo.h - a generated example boundary set for the demo: Liujia
 * subdistrict (六甲街道, 官渡区, Kunming) with its 10 communities, 240 grids
 * and a few compounds and buildings, as GeoJSON in WGS-84 lon/lat.
 *
 * Real grid boundaries are not public, so these are made up: one jittered
 * lattice of 21 x 13 shared vertices over lon 102.735..102.775, lat
 * 24.935..24.965 (beside Dianchi lake). Every lattice cell is one grid; each
 * community is a block of 4 x 6 cells; the subdistrict is the whole lattice.
 * Neighbours share the very same vertices, so the pieces tile their parents
 * without gaps or overlaps. Everything is deterministic (fixed seed).
 */
#ifndef CHUISHAO_DEMO_GEO_H
#define CHUISHAO_DEMO_GEO_H

#include <stdint.h>

/* The whole boundary set as the text of one GeoJSON FeatureCollection.
 * Each Feature has properties {"kind", "code", "name", "parent"} (the kinds,
 * codes and parents follow place_check_code in domain/place.h) and a
 * geometry: a Polygon (closed, counter-clockwise exterior ring) for the
 * subdistrict, communities, grids and compounds, a Point for buildings.
 * Order: subdistrict, communities, grids (index order of
 * demo_geo_grid_code), compounds, buildings. Coordinates are printed with
 * "%.7f"; a shared vertex is always the same text.
 * Returns a NUL-terminated string the caller frees with xfree; never NULL
 * (aborts on out-of-memory like xmalloc). Same text on every call. */
char *demo_geo_geojson(void);

/* Number of grids (240). */
/* Advances a xorshift32 state (nonzero) and returns it: the one generator
 * of the demo, so that the same seed gives the same data. */
uint32_t demo_rand(uint32_t *s);

int demo_geo_grid_count(void);

/* The 14-digit code of grid i (0 <= i < demo_geo_grid_count()) into out:
 * community code + 2-digit number. Grids are ordered by community, then by
 * number; numbers run west to east, then north to south in the community
 * (01..04 the northernmost row). */
void demo_geo_grid_code(int i, char out[16]);

/* A deterministic pseudo-random WGS-84 point strictly inside grid i (away
 * from its edges: bilinear parameters u, v in [0.15, 0.85] of its quad).
 * *rng is the caller's xorshift32 state, advanced twice; a zero state is
 * replaced by a fixed nonzero seed first. */
void demo_geo_point_in_grid(int i, uint32_t *rng, double *lon, double *lat);

#endif
