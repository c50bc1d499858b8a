/* store_place.h - the place tree (网格化) with boundaries and names, and
 * the grid teams. */
#ifndef CHUISHAO_STORE_PLACE_H
#define CHUISHAO_STORE_PLACE_H

#include <stdint.h>
#include "store/store.h"

struct store_place {
    char code[40];     /* official code, unique */
    char kind[16];     /* subdistrict | community | grid | compound | courtyard | building |
                          unit | household */
    char parent[40];   /* parent's code, "" for the root */
    char name[192];    /* current name */
    char *geometry;    /* GeoJSON geometry (WGS-84), "" if none (arena or caller's) */
    double minx, miny; /* bounding box (degrees), valid if geometry is set */
    double maxx, maxy;
    double area_m2;     /* area of the boundary, 0 if none */
    int64_t updated_at; /* instant of the last change */
};
/* Inserts or updates a place by code. A changed name is recorded in the
 * name history (the old name's validity ends now). */
MUST_CHECK int store_place_put(struct store *s, const struct store_place *p, struct err *e);
/* Reads a place (geometry in a). ERR_NOTFOUND if absent. */
MUST_CHECK int store_place_get(struct store *s, const char *code, struct arena *a,
                               struct store_place *out, struct err *e);
/* Visits places ordered by code, optionally only one kind and/or one parent
 * (NULL: any); geometry is filled only if with_geometry (else ""). */
MUST_CHECK int store_place_each(struct store *s, const char *kind, const char *parent,
                                int with_geometry,
                                int (*fn)(void *arg, const struct store_place *p), void *arg,
                                struct err *e);
/* Removes every place (import replaces the tree). Keeps the name history. */
MUST_CHECK int store_place_clear(struct store *s, struct err *e);
/* Visits the names a place has had, oldest first. */
MUST_CHECK int store_place_names(struct store *s, const char *code,
                                 int (*fn)(void *arg, const char *name, int64_t from, int64_t to),
                                 void *arg, struct err *e);

/* A grid team member. */
MUST_CHECK int store_grid_member_add(struct store *s, const char *grid, int64_t user_id,
                                     const char *role, struct err *e);
MUST_CHECK int store_grid_member_remove(struct store *s, const char *grid, int64_t user_id,
                                        const char *role, struct err *e);
/* 1 if the user is on the grid's team (any role), else 0 (or an error). */
MUST_CHECK int store_grid_is_member(struct store *s, const char *grid, int64_t user_id,
                                    struct err *e);
MUST_CHECK int store_grid_members(struct store *s, const char *grid,
                                  int (*fn)(void *arg, int64_t user_id, const char *role),
                                  void *arg, struct err *e);

#endif
