/*
 * index.c - the point -> area index (see geo.h).
 *
 * Two ways to answer geo_index_find, with the same results:
 *
 *  - the reference path on GEOS alone (geo__index_find_geos): STRtree query
 *    with the point, then GEOSPreparedIntersects on each candidate (a point
 *    on a border intersects), the lowest code wins. Prepared geometries
 *    build their indexes lazily, so this path holds the index mutex.
 *
 *  - the fast path (geo_index_find): a uniform bucket grid over the bbox of
 *    all areas; each bucket lists the areas whose bbox touches it, in code
 *    order, cut after the first area that contains the whole bucket in its
 *    interior (GEOSPreparedContainsProperly at build time): that area
 *    answers for every point of the bucket that no lower code covers. Each
 *    candidate is tested by ray crossing on a copy of its rings that mirrors
 *    GEOS's RayCrossingCounter (same half-open rule, same vertex and
 *    horizontal-edge cases), with Shewchuk's error bound on every
 *    orientation: when a sign is not certain (the point is on an edge or a
 *    few ulps from one) the candidate is decided by GEOS under the mutex.
 *    So the answer equals GEOS's predicate, without locks in the common
 *    case; the rare GEOS fallbacks are serialised.
 *
 * Codes compare with strcmp; duplicate codes keep insertion order.
 */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "geo_int.h"

#define FULL_BIT  0x80000000u /* in a bucket item: the area covers the whole bucket */
#define ITEMS_MAX (16u << 20) /* most bucket entries in all (64 MB) */

/* One indexed area. */
struct ix_area {
    char *code;                     /* owned copy */
    GEOSGeometry *g;                /* owned copy of the shape */
    const GEOSPreparedGeometry *pg; /* prepared g (after build; NULL if empty) */
    double minx, miny, maxx, maxy;  /* bbox (after build) */
    int seq;                        /* insertion order (tie-break of equal codes) */
    int kind;                       /* 0 empty, 1 point, 2 polygonal (after build) */
    uint32_t ring0, nring;          /* its rings in geo_index.rings */
};

/* One ring of the flattened copy: points pts[off .. off + n) (closed). */
struct ix_ring {
    uint32_t off; /* first point */
    uint32_t n;   /* number of points, the last equal to the first */
};

struct geo_index {
    struct ix_area *a;       /* areas; sorted by code after build */
    int n, cap;              /* count and capacity of a */
    int built;               /* 1 after geo_index_build (and no add since) */
    pthread_mutex_t lock;    /* serialises every GEOS call on the shared geometries */
    GEOSSTRtree *tree;       /* items: pointers into a */
    double *pts;             /* x, y of every ring point */
    size_t npts, cappts;     /* points used / allocated */
    struct ix_ring *rings;   /* rings of every polygonal area */
    size_t nrings, caprings; /* rings used / allocated */
    double x0, y0, x1, y1;   /* bbox of all non-empty areas */
    double inv_w, inv_h;     /* buckets per degree in x and y */
    int nx, ny;              /* bucket grid size (0 if no area) */
    uint32_t *cell_off;      /* nx * ny + 1 offsets into cell_item */
    uint32_t *cell_item;     /* area index, | FULL_BIT on the last item of a bucket */
    atomic_long fallbacks;   /* fast-path lookups decided by GEOS */
};

/* A new empty index (free with geo_index_free). */
struct geo_index *geo_index_new(void)
{
    struct geo_index *ix = xcalloc(1, sizeof *ix);
    pthread_mutex_init(&ix->lock, NULL);
    atomic_init(&ix->fallbacks, 0);
    return ix;
}

/* Frees what geo_index_build made; the index is unbuilt again. */
static void unbuild(struct geo_index *ix)
{
    GEOSContextHandle_t h = geo__ctx();
    for (int i = 0; i < ix->n; i++) {
        if (ix->a[i].pg)
            GEOSPreparedGeom_destroy_r(h, ix->a[i].pg);
        ix->a[i].pg = NULL;
    }
    if (ix->tree)
        GEOSSTRtree_destroy_r(h, ix->tree);
    ix->tree = NULL;
    xfree(ix->pts);
    xfree(ix->rings);
    xfree(ix->cell_off);
    xfree(ix->cell_item);
    ix->pts = NULL;
    ix->rings = NULL;
    ix->cell_off = ix->cell_item = NULL;
    ix->npts = ix->cappts = ix->nrings = ix->caprings = 0;
    ix->nx = ix->ny = 0;
    ix->built = 0;
}

/* Frees the index, its areas and codes (NULL is fine). No query may run. */
void geo_index_free(struct geo_index *ix)
{
    if (ix == NULL)
        return;
    unbuild(ix);
    GEOSContextHandle_t h = geo__ctx();
    for (int i = 0; i < ix->n; i++) {
        GEOSGeom_destroy_r(h, ix->a[i].g);
        xfree(ix->a[i].code);
    }
    xfree(ix->a);
    pthread_mutex_destroy(&ix->lock);
    xfree(ix);
}

/* Adds a copy of shape under code (single thread, before build; adding after
 * a build unbuilds the index until the next geo_index_build). */
void geo_index_add(struct geo_index *ix, const char *code, const struct geo_shape *shape)
{
    if (ix->built)
        unbuild(ix);
    if (ix->n == ix->cap) {
        ix->cap = ix->cap ? ix->cap * 2 : 64;
        ix->a = xrealloc(ix->a, (size_t)ix->cap * sizeof *ix->a);
    }
    struct ix_area *a = &ix->a[ix->n];
    memset(a, 0, sizeof *a);
    a->code = xstrdup(code);
    a->g = GEOSGeom_clone_r(geo__ctx(), shape->g);
    if (a->g == NULL) /* GEOS failed to copy: keep an empty area */
        a->g = GEOSGeom_createEmptyPolygon_r(geo__ctx());
    a->seq = ix->n++;
}

/* Number of areas added (empty ones included). */
int geo_index_size(const struct geo_index *ix)
{
    return ix->n;
}

/* ---- build ---------------------------------------------------------------- */

static int cmp_area(const void *pa, const void *pb)
{
    const struct ix_area *a = pa, *b = pb;
    int c = strcmp(a->code, b->code);
    return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* Appends a copy of one ring's points to ix->pts / ix->rings. */
static void flatten_ring(GEOSContextHandle_t h, struct geo_index *ix, const GEOSGeometry *ring)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned n = 0;
    if (seq == NULL || !GEOSCoordSeq_getSize_r(h, seq, &n) || n < 2)
        return;
    if (ix->npts + n > ix->cappts) {
        ix->cappts = (ix->npts + n) * 2;
        ix->pts = xrealloc(ix->pts, ix->cappts * 2 * sizeof *ix->pts);
    }
    if (ix->nrings == ix->caprings) {
        ix->caprings = ix->caprings ? ix->caprings * 2 : 256;
        ix->rings = xrealloc(ix->rings, ix->caprings * sizeof *ix->rings);
    }
    if (!GEOSCoordSeq_copyToBuffer_r(h, seq, ix->pts + 2 * ix->npts, 0, 0))
        return;
    ix->rings[ix->nrings++] = (struct ix_ring){(uint32_t)ix->npts, n};
    ix->npts += n;
}

/* Copies every ring of a polygonal geometry (recursing into collections). */
static void flatten(GEOSContextHandle_t h, struct geo_index *ix, const GEOSGeometry *g)
{
    int id = GEOSGeomTypeId_r(h, g);
    if (id == GEOS_POLYGON) {
        if (GEOSisEmpty_r(h, g))
            return;
        flatten_ring(h, ix, GEOSGetExteriorRing_r(h, g));
        int holes = GEOSGetNumInteriorRings_r(h, g);
        for (int i = 0; i < holes; i++)
            flatten_ring(h, ix, GEOSGetInteriorRingN_r(h, g, i));
    } else if (id == GEOS_MULTIPOLYGON || id == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; i++)
            flatten(h, ix, GEOSGetGeometryN_r(h, g, i));
    }
}

/* Sizes the bucket grid: about `cells` buckets over the bbox of all areas
 * (1 .. 2^22), square in degrees. */
static void grid_size(struct geo_index *ix, double cells)
{
    double w = ix->x1 - ix->x0, hgt = ix->y1 - ix->y0;
    int nx = 1, ny = 1;
    if (w > 0 && hgt > 0) {
        nx = (int)fmax(1, ceil(sqrt(cells * w / hgt)));
        nx = nx > (1 << 22) ? (1 << 22) : nx;
        ny = (int)fmax(1, ceil(cells / nx));
        ny = ny > (1 << 22) / nx ? (1 << 22) / nx : ny;
        ny = ny < 1 ? 1 : ny;
    } else if (w > 0) {
        nx = (int)cells;
    } else if (hgt > 0) {
        ny = (int)cells;
    }
    ix->nx = nx;
    ix->ny = ny;
    ix->inv_w = w > 0 ? nx / w : 0;
    ix->inv_h = hgt > 0 ? ny / hgt : 0;
}

/* Bucket range [lo, hi] touched by the interval [a, b] on one axis, widened
 * by 1e-6 bucket so that rounding in the lookup cannot miss a candidate. */
static void bucket_range(double a, double b, double origin, double inv, int n, int *lo, int *hi)
{
    double l = floor((a - origin) * inv - 1e-6), u = floor((b - origin) * inv + 1e-6);
    *lo = l < 0 ? 0 : l > n - 1 ? n - 1 : (int)l;
    *hi = u < 0 ? 0 : u > n - 1 ? n - 1 : (int)u;
}

/* Number of bucket items the areas' bboxes make on the current grid. */
static size_t count_items(const struct geo_index *ix)
{
    size_t items = 0;
    int lo_i, hi_i, lo_j, hi_j;
    for (int k = 0; k < ix->n; k++) {
        const struct ix_area *a = &ix->a[k];
        if (a->kind == 0)
            continue;
        bucket_range(a->minx, a->maxx, ix->x0, ix->inv_w, ix->nx, &lo_i, &hi_i);
        bucket_range(a->miny, a->maxy, ix->y0, ix->inv_h, ix->ny, &lo_j, &hi_j);
        items += (size_t)(hi_i - lo_i + 1) * (size_t)(hi_j - lo_j + 1);
    }
    return items;
}

/* 1 if area a contains the whole bucket (i, j), widened by 1e-6 bucket, in
 * its interior. */
static int covers_bucket(GEOSContextHandle_t h, const struct geo_index *ix, const struct ix_area *a,
                         int i, int j)
{
    if (a->kind != 2 || ix->inv_w == 0 || ix->inv_h == 0)
        return 0;
    double bw = 1 / ix->inv_w, bh = 1 / ix->inv_h;
    double x0 = ix->x0 + (i - 1e-6) * bw, x1 = ix->x0 + (i + 1 + 1e-6) * bw;
    double y0 = ix->y0 + (j - 1e-6) * bh, y1 = ix->y0 + (j + 1 + 1e-6) * bh;
    if (x0 <= a->minx || x1 >= a->maxx || y0 <= a->miny || y1 >= a->maxy)
        return 0;
    GEOSGeometry *r = GEOSGeom_createRectangle_r(h, x0, y0, x1, y1);
    int full = r && GEOSPreparedContainsProperly_r(h, a->pg, r) == 1;
    if (r)
        GEOSGeom_destroy_r(h, r);
    return full;
}

/* Fills the bucket grid: candidates by bbox in code order, each list cut
 * after its first area that covers the whole bucket. */
static void build_grid(GEOSContextHandle_t h, struct geo_index *ix)
{
    size_t cells = (size_t)ix->nx * (size_t)ix->ny;
    uint32_t *count = xcalloc(cells + 1, sizeof *count);
    int lo_i, hi_i, lo_j, hi_j;
    for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < ix->n; k++) {
            const struct ix_area *a = &ix->a[k];
            if (a->kind == 0)
                continue;
            bucket_range(a->minx, a->maxx, ix->x0, ix->inv_w, ix->nx, &lo_i, &hi_i);
            bucket_range(a->miny, a->maxy, ix->y0, ix->inv_h, ix->ny, &lo_j, &hi_j);
            for (int j = lo_j; j <= hi_j; j++)
                for (int i = lo_i; i <= hi_i; i++) {
                    size_t c = (size_t)j * ix->nx + i;
                    if (pass == 0)
                        count[c]++;
                    else
                        ix->cell_item[ix->cell_off[c] + count[c]++] = (uint32_t)k;
                }
        }
        if (pass == 0) {
            ix->cell_off = xcalloc(cells + 1, sizeof *ix->cell_off);
            for (size_t c = 0; c < cells; c++)
                ix->cell_off[c + 1] = ix->cell_off[c] + count[c];
            ix->cell_item = xcalloc((size_t)ix->cell_off[cells] + 1, sizeof *ix->cell_item);
            memset(count, 0, (cells + 1) * sizeof *count);
        }
    }
    xfree(count);
    /* Cut each list after the first area covering the whole bucket (in place:
     * the write position never passes the read position). */
    uint32_t w = 0;
    for (size_t c = 0; c < cells; c++) {
        uint32_t from = ix->cell_off[c], to = ix->cell_off[c + 1];
        ix->cell_off[c] = w;
        for (uint32_t k = from; k < to; k++) {
            uint32_t item = ix->cell_item[k];
            int full = covers_bucket(h, ix, &ix->a[item], (int)(c % ix->nx), (int)(c / ix->nx));
            ix->cell_item[w++] = item | (full ? FULL_BIT : 0);
            if (full)
                break;
        }
    }
    ix->cell_off[cells] = w;
}

/* STRtree callback that does nothing (forces the tree to build). */
static void on_nothing(void *item, void *ud)
{
    (void)item;
    (void)ud;
}

/* Builds the index (single thread, after the last add): sorts the areas by
 * code, prepares their geometries, fills the STRtree and the bucket grid.
 * Building again after more adds is allowed. */
void geo_index_build(struct geo_index *ix)
{
    GEOSContextHandle_t h = geo__ctx();
    if (ix->built)
        unbuild(ix);
    if (ix->n > 1)
        qsort(ix->a, (size_t)ix->n, sizeof *ix->a, cmp_area);
    ix->tree = GEOSSTRtree_create_r(h, 10);
    int nonempty = 0;
    for (int k = 0; k < ix->n; k++) {
        struct ix_area *a = &ix->a[k];
        a->kind = 0;
        if (GEOSisEmpty_r(h, a->g) != 0 ||
            !GEOSGeom_getExtent_r(h, a->g, &a->minx, &a->miny, &a->maxx, &a->maxy))
            continue;
        a->kind = GEOSGeomTypeId_r(h, a->g) == GEOS_POINT ? 1 : 2;
        a->pg = GEOSPrepare_r(h, a->g);
        if (a->pg == NULL) {
            a->kind = 0;
            continue;
        }
        a->ring0 = (uint32_t)ix->nrings;
        if (a->kind == 2)
            flatten(h, ix, a->g);
        a->nring = (uint32_t)ix->nrings - a->ring0;
        GEOSSTRtree_insert_r(h, ix->tree, a->g, a);
        if (nonempty++ == 0) {
            ix->x0 = a->minx, ix->y0 = a->miny, ix->x1 = a->maxx, ix->y1 = a->maxy;
        } else {
            ix->x0 = fmin(ix->x0, a->minx), ix->y0 = fmin(ix->y0, a->miny);
            ix->x1 = fmax(ix->x1, a->maxx), ix->y1 = fmax(ix->y1, a->maxy);
        }
    }
    if (nonempty > 0) {
        /* about 4 buckets per area, fewer if large areas would make the
         * bucket lists too long (at most ITEMS_MAX entries in all) */
        double cells = fmin(4.0 * nonempty, (double)(1 << 22));
        for (grid_size(ix, cells); cells > 1 && count_items(ix) > ITEMS_MAX; grid_size(ix, cells))
            cells = fmax(1, cells / 4);
        build_grid(h, ix);
        GEOSGeometry *p = GEOSGeom_createPointFromXY_r(h, ix->x0, ix->y0);
        if (p) {
            GEOSSTRtree_query_r(h, ix->tree, p, on_nothing, NULL);
            GEOSGeom_destroy_r(h, p);
        }
    }
    atomic_store(&ix->fallbacks, 0);
    ix->built = 1;
}

/* ---- queries ---------------------------------------------------------------- */

/* GEOS's answer for one area: 1 if the point intersects (is in or on) it.
 * Serialised by the index mutex. */
static int geos_covers(struct geo_index *ix, const struct ix_area *a, double x, double y)
{
    GEOSContextHandle_t h = geo__ctx();
    pthread_mutex_lock(&ix->lock);
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(h, x, y);
    int in = p && GEOSPreparedIntersects_r(h, a->pg, p) == 1;
    if (p)
        GEOSGeom_destroy_r(h, p);
    pthread_mutex_unlock(&ix->lock);
    return in;
}

/* Shewchuk's static error bound of orient2d: (3 + 16 eps) eps, eps = 2^-53. */
#define ORIENT_ERRBOUND ((3.0 + 16.0 * (DBL_EPSILON / 2)) * (DBL_EPSILON / 2))

/* Ray crossing on area a's rings, as GEOS's RayCrossingCounter does: 1 if the
 * point is inside or on the boundary, 0 if outside, -1 if an orientation is
 * too close to call in doubles (ask GEOS). */
static int ray_test(const struct geo_index *ix, const struct ix_area *a, double x, double y)
{
    if (x < a->minx || x > a->maxx || y < a->miny || y > a->maxy)
        return 0;
    if (a->kind == 1) /* a point: the bbox test was an equality test */
        return 1;
    int crossings = 0;
    for (uint32_t r = a->ring0; r < a->ring0 + a->nring; r++) {
        const double *p = ix->pts + 2 * (size_t)ix->rings[r].off;
        uint32_t n = ix->rings[r].n;
        for (uint32_t k = 1; k < n; k++, p += 2) {
            double ax = p[0], ay = p[1], bx = p[2], by = p[3];
            if (ax < x && bx < x) /* wholly left of the point */
                continue;
            if ((bx == x && by == y) || (ax == x && ay == y)) /* on a vertex */
                return 1;
            if (ay == y && by == y) { /* horizontal, on the ray's line */
                if (x >= fmin(ax, bx) && x <= fmax(ax, bx))
                    return 1;
                continue;
            }
            if ((ay > y) == (by > y)) /* does not straddle the ray (half-open) */
                continue;
            double dl = (ax - x) * (by - y), dr = (ay - y) * (bx - x), det = dl - dr;
            double sum = fabs(dl) + fabs(dr);
            if (!(fabs(det) > ORIENT_ERRBOUND * sum) || sum < 1e-280)
                return -1;
            /* det > 0: the point is left of a -> b; count upward edges with
             * the point on their left, downward ones with it on their right */
            if ((det > 0) == (by > ay))
                crossings++;
        }
    }
    return crossings & 1;
}

/* The code of the area containing the point, lowest code on shared borders
 * (see geo.h); NULL if none or the index is not built. Owned by the index,
 * valid until it is freed or added to. Thread-safe after build: lock-free
 * except the rare GEOS fallback. */
const char *geo_index_find(struct geo_index *ix, double lon, double lat)
{
    if (!ix->built || ix->nx == 0)
        return NULL;
    if (!(lon >= ix->x0 && lon <= ix->x1 && lat >= ix->y0 && lat <= ix->y1))
        return NULL; /* outside every area (or NaN) */
    int i = (int)((lon - ix->x0) * ix->inv_w), j = (int)((lat - ix->y0) * ix->inv_h);
    i = i >= ix->nx ? ix->nx - 1 : i;
    j = j >= ix->ny ? ix->ny - 1 : j;
    size_t c = (size_t)j * ix->nx + i;
    for (uint32_t k = ix->cell_off[c]; k < ix->cell_off[c + 1]; k++) {
        uint32_t item = ix->cell_item[k];
        const struct ix_area *a = &ix->a[item & ~FULL_BIT];
        if (item & FULL_BIT)
            return a->code;
        int in = ray_test(ix, a, lon, lat);
        if (in < 0) {
            atomic_fetch_add_explicit(&ix->fallbacks, 1, memory_order_relaxed);
            in = geos_covers(ix, a, lon, lat);
        }
        if (in)
            return a->code;
    }
    return NULL;
}

/* State of one reference query. */
struct geos_query {
    struct geo_index *ix;   /* the index */
    GEOSContextHandle_t h;  /* the calling thread's context */
    const GEOSGeometry *pt; /* the point */
    long best;              /* lowest matching area index so far, or -1 */
};

/* STRtree callback: keeps the lowest-coded candidate that GEOS says holds
 * the point. */
static void on_candidate(void *item, void *ud)
{
    struct geos_query *q = ud;
    const struct ix_area *a = item;
    long k = a - q->ix->a;
    if ((q->best < 0 || k < q->best) && GEOSPreparedIntersects_r(q->h, a->pg, q->pt) == 1)
        q->best = k;
}

/* See geo_int.h. */
const char *geo__index_find_geos(struct geo_index *ix, double lon, double lat)
{
    if (!ix->built || ix->nx == 0)
        return NULL;
    struct geos_query q = {ix, geo__ctx(), NULL, -1};
    pthread_mutex_lock(&ix->lock);
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(q.h, lon, lat);
    if (p) {
        q.pt = p;
        GEOSSTRtree_query_r(q.h, ix->tree, p, on_candidate, &q);
        GEOSGeom_destroy_r(q.h, p);
    }
    pthread_mutex_unlock(&ix->lock);
    return q.best >= 0 ? ix->a[q.best].code : NULL;
}

/* See geo_int.h. */
void geo__index_stats(const struct geo_index *ix, long *fallbacks, int *cells, double *per_cell)
{
    size_t n = (size_t)ix->nx * (size_t)ix->ny;
    *fallbacks = atomic_load(&((struct geo_index *)ix)->fallbacks);
    *cells = (int)n;
    *per_cell = n && ix->cell_off ? (double)ix->cell_off[n] / (double)n : 0;
}
