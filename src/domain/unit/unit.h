/*
 * unit.h - the units that handle cases and answer whistles: departments
 * (部门), red-alliance units (红色联盟单位), communities, property companies
 * and others, each with a short stable code.
 */
#ifndef CHUISHAO_UNIT_H
#define CHUISHAO_UNIT_H

#include "domain/domain.h"
#include "store/unit/store_unit.h"

/* The kinds of unit (NULL-terminated): department, alliance, community,
 * property, other. */
extern const char *const unit_kinds[];

/* A new unit, as entered. */
struct unit_new {
    const char *code;  /* 1..31 bytes, unique */
    const char *name;  /* 1..127 bytes */
    const char *kind;  /* one of unit_kinds; NULL: department */
    const char *uscc;  /* unified social credit code (GB 32100), NULL or "" if none */
    const char *phone; /* contact phone, NULL or "" if none */
};

/* Checks and stores a new unit. OUT: *out (with its id). ERR_INVALID naming
 * the field (nothing stored), ERR_CONFLICT if the code is taken, ERR_STORE.
 * Who may add units is the door's access rule (ACCESS_ADMIN). */
MUST_CHECK int unit_create(struct domain *d, const struct unit_new *in, struct store_unit *out,
                           struct err *e);

#endif
