/*
 * demo_geo.c - the demo's example boundary set (see demo_geo.h).
 *
 * The real boundaries of 六甲街道's communities and grids are not public, so
 * these are GENERATED, not surveyed: only the location (beside Dianchi lake,
 * about 24.95N 102.75E, WGS-84), the community codes and names (the same as
 * demo.c) and the sizes (grids of about 56,000 m2, within the 10,000 ..
 * 100,000 m2 that grid rules ask for) are meant to look real.
 *
 * The geometry is one lattice of (NX + 1) x (NY + 1) vertices, y increasing
 * north, whose interior vertices are moved by a fixed-seed xorshift32 by at
 * most JITTER of a cell in each axis. A cell's corners then move by at most
 * 2 * JITTER relative to each other, so every corner's cross product stays
 * >= 1 - 4 * JITTER > 0 (in cell units): all cells stay convex quads. The
 * outer vertices stay on the box, so the subdistrict's bbox is exactly
 * lon LON0..LON1, lat LAT0..LAT1.
 *
 * Every polygon - a grid (1 x 1 cells), a community (BLOCK_W x BLOCK_H
 * cells) or the subdistrict (NX x NY cells) - is traced around a rectangle
 * of cells through every lattice vertex on its border, counter-clockwise.
 * Vertices are rounded to 1e-7 degrees once, here, so a vertex shared by
 * neighbours prints as the same "%.7f" text and parses back to the same
 * double: the pieces tile their parents exactly, with no slivers.
 *
 * This file writes the GeoJSON text with struct buf (no JSON library); the
 * names are fixed UTF-8 strings without characters that need escaping.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "demo_geo.h"
#include "core/core.h"

#define NX               20      /* lattice columns (cells west to east) */
#define NY               12      /* lattice rows (cells south to north) */
#define LON0             102.735 /* west edge, degrees */
#define LON1             102.775 /* east edge */
#define LAT0             24.935  /* south edge */
#define LAT1             24.965  /* north edge */
#define BLOCK_W          4       /* community width, cells */
#define BLOCK_H          6       /* community height, cells */
#define BLOCKS_X         (NX / BLOCK_W)
#define N_GRIDS          (NX * NY)
#define PER_COMM         (BLOCK_W * BLOCK_H)
#define JITTER           0.2         /* largest vertex move, fraction of a cell per axis */
#define SEED             0x6c6a6961u /* "ljia": the lattice's fixed xorshift32 seed */
#define OUT_MAX          (1u << 20)  /* limit of the GeoJSON text (it is ~84 KB) */
#define SUBDISTRICT_CODE "530111008"

/* The communities, as in demo.c's table (codes illustrative). Index k is
 * block (k % BLOCKS_X, k / BLOCKS_X) counted west to east, north to south. */
static const struct {
    const char *code; /* 12-digit community code */
    const char *name; /* name */
} communities[] = {
    {"530111008001", "六甲社区"},   {"530111008002", "福保社区"}, {"530111008003", "海华社区"},
    {"530111008004", "陈家社区"},   {"530111008005", "宝丰社区"}, {"530111008006", "金刀营社区"},
    {"530111008007", "张家庙社区"}, {"530111008008", "盘龙社区"}, {"530111008009", "郭家凹社区"},
    {"530111008010", "新二社区"},
};

/* A few compounds (小区) with three buildings each, for realism. 福保文化城
 * appears in demo.c's cases; the second name is illustrative. */
static const struct {
    int community; /* index in communities[] */
    int grid_no;   /* grid number in the community, 1-based */
    const char *name;
} compounds[] = {
    {1, 1, "福保文化城"},
    {1, 2, "福保新村"},
};

/* A compound's outline in its grid's bilinear (u east, v north) coordinates,
 * counter-clockwise, not closed; well inside the unit square. */
static const double compound_uv[][2] = {
    {0.22, 0.20}, {0.78, 0.20}, {0.80, 0.70}, {0.66, 0.80}, {0.22, 0.80}, {0.20, 0.50},
};
/* Its buildings 1栋, 2栋, 3栋 (west to east, north to south), inside the outline. */
static const double building_uv[][2] = {{0.35, 0.65}, {0.65, 0.65}, {0.50, 0.35}};

/* The jittered lattice: vertex (ix, iy) is (lon[iy][ix], lat[iy][ix]),
 * iy = 0 on the south edge. */
struct lattice {
    double lon[NY + 1][NX + 1]; /* longitude, degrees, rounded to 1e-7 */
    double lat[NY + 1][NX + 1]; /* latitude, degrees, rounded to 1e-7 */
};

uint32_t demo_rand(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* A uniform double in [0, 1) from the top 24 bits of the next state. */
static double rnd01(uint32_t *s)
{
    return (double)(demo_rand(s) >> 8) * (1.0 / 16777216.0);
}

/* x rounded to 7 decimals, the precision the text is printed with. */
static double round7(double x)
{
    return round(x * 1e7) / 1e7;
}

/* Fills the lattice; the same numbers on every call. */
static void lattice_make(struct lattice *L)
{
    uint32_t s = SEED;
    double dx = (LON1 - LON0) / NX, dy = (LAT1 - LAT0) / NY;
    for (int iy = 0; iy <= NY; iy++)
        for (int ix = 0; ix <= NX; ix++) {
            double lon = LON0 + ix * dx, lat = LAT0 + iy * dy;
            if (ix > 0 && ix < NX && iy > 0 && iy < NY) {
                lon += (2 * rnd01(&s) - 1) * JITTER * dx;
                lat += (2 * rnd01(&s) - 1) * JITTER * dy;
            }
            L->lon[iy][ix] = round7(lon);
            L->lat[iy][ix] = round7(lat);
        }
}

/* The lattice cell (south-west vertex cx, cy) of grid i. */
static void grid_cell(int i, int *cx, int *cy)
{
    int k = i / PER_COMM, n = i % PER_COMM;
    *cx = (k % BLOCKS_X) * BLOCK_W + n % BLOCK_W;
    *cy = NY - 1 - ((k / BLOCKS_X) * BLOCK_H + n / BLOCK_W);
}

/* Bilinear point (u east, v north, both in [0, 1]) of lattice cell (cx, cy).
 * For a convex cell and u, v in (0, 1) it lies strictly inside. */
static void cell_point(const struct lattice *L, int cx, int cy, double u, double v, double *lon,
                       double *lat)
{
    const double w[4] = {(1 - u) * (1 - v), u * (1 - v), u * v, (1 - u) * v};
    const int px[4] = {cx, cx + 1, cx + 1, cx}, py[4] = {cy, cy, cy + 1, cy + 1};
    *lon = *lat = 0;
    for (int j = 0; j < 4; j++) {
        *lon += w[j] * L->lon[py[j]][px[j]];
        *lat += w[j] * L->lat[py[j]][px[j]];
    }
}

int demo_geo_grid_count(void)
{
    return N_GRIDS;
}

void demo_geo_grid_code(int i, char out[16])
{
    if (i < 0 || i >= N_GRIDS) {
        out[0] = '\0';
        return;
    }
    snprintf(out, 16, "%s%02d", communities[i / PER_COMM].code, i % PER_COMM + 1);
}

void demo_geo_point_in_grid(int i, uint32_t *rng, double *lon, double *lat)
{
    struct lattice L;
    int cx, cy;
    if (*rng == 0)
        *rng = SEED;
    lattice_make(&L);
    grid_cell(i < 0 || i >= N_GRIDS ? 0 : i, &cx, &cy);
    double u = 0.15 + 0.70 * rnd01(rng);
    double v = 0.15 + 0.70 * rnd01(rng);
    cell_point(&L, cx, cy, u, v, lon, lat);
}

/* ---- writing the text ---------------------------------------------------- */

/* The text being written; the first failure sticks in rc. */
struct out {
    struct buf b;   /* the text */
    int rc;         /* 0, or the first ERR_* of an append */
    int n_features; /* features written so far */
};

/* printf-appends a short piece (under 512 bytes) to o. */
static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    if (o->rc)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        o->rc = ERR_INTERNAL;
        return;
    }
    o->rc = buf_append(&o->b, tmp, (size_t)n);
}

/* Opens a Feature with its properties, up to the geometry's value. */
static void feature_open(struct out *o, const char *kind, const char *code, const char *name,
                         const char *parent)
{
    put(o,
        "%s\n{\"type\":\"Feature\",\"properties\":{\"kind\":\"%s\",\"code\":\"%s\","
        "\"name\":\"%s\",\"parent\":\"%s\"},\"geometry\":",
        o->n_features++ ? "," : "", kind, code, name, parent);
}

/* One "[lon,lat]" position, preceded by a comma unless first. */
static void position(struct out *o, int first, double lon, double lat)
{
    put(o, "%s[%.7f,%.7f]", first ? "" : ",", lon, lat);
}

/* A Polygon traced counter-clockwise around the cells x0..x1-1, y0..y1-1
 * through every lattice vertex on the border: south edge west to east, east
 * edge south to north, north edge east to west, west edge north to south,
 * ending where it began. Closes the feature. */
static void polygon_cells(struct out *o, const struct lattice *L, int x0, int y0, int x1, int y1)
{
    put(o, "{\"type\":\"Polygon\",\"coordinates\":[[");
    position(o, 1, L->lon[y0][x0], L->lat[y0][x0]);
    for (int ix = x0 + 1; ix <= x1; ix++)
        position(o, 0, L->lon[y0][ix], L->lat[y0][ix]);
    for (int iy = y0 + 1; iy <= y1; iy++)
        position(o, 0, L->lon[iy][x1], L->lat[iy][x1]);
    for (int ix = x1 - 1; ix >= x0; ix--)
        position(o, 0, L->lon[y1][ix], L->lat[y1][ix]);
    for (int iy = y1 - 1; iy >= y0; iy--)
        position(o, 0, L->lon[iy][x0], L->lat[iy][x0]);
    put(o, "]]}}");
}

/* The subdistrict and its communities. */
static void write_areas(struct out *o, const struct lattice *L)
{
    feature_open(o, "subdistrict", SUBDISTRICT_CODE, "六甲街道", "");
    polygon_cells(o, L, 0, 0, NX, NY);
    for (int k = 0; k < (int)ARRAY_SIZE(communities); k++) {
        int x0 = (k % BLOCKS_X) * BLOCK_W, y1 = NY - (k / BLOCKS_X) * BLOCK_H;
        feature_open(o, "community", communities[k].code, communities[k].name, SUBDISTRICT_CODE);
        polygon_cells(o, L, x0, y1 - BLOCK_H, x0 + BLOCK_W, y1);
    }
}

/* The grids, in index order. */
static void write_grids(struct out *o, const struct lattice *L)
{
    for (int i = 0; i < N_GRIDS; i++) {
        char code[16], name[64];
        int cx, cy, k = i / PER_COMM;
        demo_geo_grid_code(i, code);
        snprintf(name, sizeof name, "%s第%02d网格", communities[k].name, i % PER_COMM + 1);
        grid_cell(i, &cx, &cy);
        feature_open(o, "grid", code, name, communities[k].code);
        polygon_cells(o, L, cx, cy, cx + 1, cy + 1);
    }
}

/* The compounds (a Polygon inside the grid), then their buildings (Points). */
static void write_compounds(struct out *o, const struct lattice *L)
{
    for (int pass = 0; pass < 2; pass++)
        for (int c = 0; c < (int)ARRAY_SIZE(compounds); c++) {
            char grid[16], code[32];
            int cx, cy, i = compounds[c].community * PER_COMM + compounds[c].grid_no - 1;
            double lon, lat;
            demo_geo_grid_code(i, grid);
            grid_cell(i, &cx, &cy);
            snprintf(code, sizeof code, "%s-01", grid);
            if (pass == 0) {
                feature_open(o, "compound", code, compounds[c].name, grid);
                put(o, "{\"type\":\"Polygon\",\"coordinates\":[[");
                for (int j = 0; j <= (int)ARRAY_SIZE(compound_uv); j++) {
                    int jj = j % (int)ARRAY_SIZE(compound_uv); /* back to the first: closed */
                    cell_point(L, cx, cy, compound_uv[jj][0], compound_uv[jj][1], &lon, &lat);
                    position(o, j == 0, round7(lon), round7(lat));
                }
                put(o, "]]}}");
                continue;
            }
            for (int j = 0; j < (int)ARRAY_SIZE(building_uv); j++) {
                char bcode[64], bname[24];
                snprintf(bcode, sizeof bcode, "%s-%02d", code, j + 1);
                snprintf(bname, sizeof bname, "%d栋", j + 1);
                cell_point(L, cx, cy, building_uv[j][0], building_uv[j][1], &lon, &lat);
                feature_open(o, "building", bcode, bname, code);
                put(o, "{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]}}", round7(lon),
                    round7(lat));
            }
        }
}

char *demo_geo_geojson(void)
{
    struct lattice L;
    struct out o = {.rc = 0, .n_features = 0};
    buf_init(&o.b, OUT_MAX);
    lattice_make(&L);
    put(&o, "{\"type\":\"FeatureCollection\",\"features\":[");
    write_areas(&o, &L);
    write_grids(&o, &L);
    write_compounds(&o, &L);
    put(&o, "\n]}\n");
    if (o.rc) { /* only a bug can get here: the text is fixed and far below OUT_MAX */
        fprintf(stderr, "demo_geo_geojson: %s\n", err_name(o.rc));
        abort();
    }
    return buf_take(&o.b);
}
