/* store_unit.h - the units that handle cases and answer whistles:
 * departments, red-alliance units, communities, property companies. */
#ifndef CHUISHAO_STORE_UNIT_H
#define CHUISHAO_STORE_UNIT_H

#include <stdint.h>
#include "store/store.h"

struct store_unit {
    int64_t id;     /* row id */
    char code[32];  /* short stable code, e.g. "CGJ" */
    char name[128]; /* display name (Chinese) */
    char kind[24];  /* department | alliance | community | property | other */
    char uscc[24];  /* unified social credit code, "" if none */
    char phone[32]; /* contact phone, "" if none */
};
MUST_CHECK int store_unit_put(struct store *s, struct store_unit *u,
                              struct err *e); /* insert or update by code; sets u->id */
/* Inserts a new unit (u->id set); ERR_CONFLICT if the code is taken. */
MUST_CHECK int store_unit_insert(struct store *s, struct store_unit *u, struct err *e);
MUST_CHECK int store_unit_get(struct store *s, int64_t id, struct store_unit *out, struct err *e);
MUST_CHECK int store_unit_by_code(struct store *s, const char *code, struct store_unit *out,
                                  struct err *e);
/* Visits all units ordered by id. */
MUST_CHECK int store_unit_each(struct store *s, int (*fn)(void *arg, const struct store_unit *u),
                               void *arg, struct err *e);

#endif
