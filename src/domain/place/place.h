/*
 * place.h - the place tree (网格化): subdistrict > community > grid >
 * compound > courtyard > building > unit > household, with official codes
 * and boundaries, importing a whole boundary set after validation, and
 * finding the grid of a point (every located case lands in its grid).
 */
#ifndef CHUISHAO_PLACE_H
#define CHUISHAO_PLACE_H

#include "domain/domain.h"
#include "geo/geo.h"
#include "store/place/store_place.h"

/* Rank of a kind in the tree (0 subdistrict .. 7 household); -1 unknown. */
int place_kind_rank(const char *kind);
/* Kind name by rank; "" if out of range. */
const char *place_kind_name(int rank);

/* Checks a place's code against its kind and parent:
 *   subdistrict: 9 digits (county code + 3-digit township, e.g. 530111008)
 *   community:   12 digits starting with its subdistrict's code
 *   grid:        14 digits = its community's code + 2-digit grid number
 *   below grids: the parent's code + "-" + 1..5 letters or digits
 * and that the parent's kind ranks above the child's (a grid's parent is a
 * community; a community's a subdistrict). ERR_INVALID naming field "code"
 * or "parent". parent_kind is "" for the root. */
MUST_CHECK int place_check_code(const char *kind, const char *code, const char *parent,
                                const char *parent_kind, struct err *e);

/* One place to import. */
struct place_in {
    const char *code;    /* official code */
    const char *kind;    /* kind name */
    const char *parent;  /* parent's code ("" for the root) */
    const char *name;    /* name */
    const char *geojson; /* GeoJSON geometry object text, or NULL/"" for none */
};

/* The outcome of an import or a validation. */
struct place_report {
    int n_places;                /* places read */
    int n_issues;                /* findings (tree rules and geometry) */
    int64_t regridded;           /* located cases whose grid changed with the import */
    struct geo_issue issues[64]; /* the first findings */
};

/* Validates a whole boundary set (tree rules, codes, GeoJSON, then
 * geo_validate: invalid rings, overlaps between siblings, children outside
 * their parent, gaps) and, if it is clean and apply is set, replaces the
 * stored place tree with it in one transaction and rebuilds the grid index.
 * epsg: the CRS of the coordinates (0 or 4326/4490 = lon/lat; a projected
 * CGCS2000 Gauss-Krüger code such as 4543 is converted through PROJ).
 * Returns 0, or ERR_INVALID with the findings in r (nothing stored). */
MUST_CHECK int place_import(struct domain *d, const struct place_in *in, int n, int epsg, int apply,
                            struct place_report *r, struct err *e);

/* place_import for the text of a GeoJSON FeatureCollection whose features
 * carry properties code, kind, name and parent. */
MUST_CHECK int place_import_geojson(struct domain *d, const char *text, size_t len, int epsg,
                                    int apply, struct place_report *r, struct err *e);

/* Puts every located case into the grid its position falls in now (after
 * the boundaries changed): grid and grid_status are updated where they
 * differ, in one transaction. OUT: *changed (may be NULL). */
MUST_CHECK int place_regrid_cases(struct domain *d, int64_t *changed, struct err *e);

/* Loads the grid boundaries from the store into the domain's point index
 * (at open, and after an import). */
MUST_CHECK int place_index_load(struct domain *d, struct err *e);

/* The grid containing a WGS-84 point: copies its code into out (40 bytes)
 * and returns 1; 0 if the point is in no grid. */
int place_grid_at(struct domain *d, double lon, double lat, char out[40]);

/* 1 if the point is plausibly in the served area: inside the subdistrict's
 * box grown by margin_m metres (or anywhere, if no boundary is loaded). */
int place_near_area(struct domain *d, double lon, double lat, double margin_m);

/* Renames a place; the old name stays in its name history. ERR_NOTFOUND,
 * ERR_INVALID (name: UTF-8, 1..60 characters). */
MUST_CHECK int place_rename(struct domain *d, const char *code, const char *name, struct err *e);

/* Roles of a grid team ("1+5+X"). */
extern const char *const place_team_roles[];
/* Adds or removes a team member; the grid must exist, the user too. */
MUST_CHECK int place_team_set(struct domain *d, const char *grid, int64_t user_id, const char *role,
                              int add, struct err *e);

#endif
