/* case_int.h - internals shared by the files of the case module. */
#ifndef CHUISHAO_CASE_INT_H
#define CHUISHAO_CASE_INT_H

#include "case.h"
#include "domain/domain_int.h"
#include "store/auth/store_auth.h"
#include "store/place/store_place.h"
#include "store/unit/store_unit.h"

/* Fills ev->due_at, warn_at and close_due for a transition whose clock
 * effect is `clock`, applied at ev->at to case c (the state before). span is
 * the extension for CLK_EXTEND. Returns 0 or ERR_INVALID (no limit). */
MUST_CHECK int case__clock(const struct domain *d, const struct store_case *c, int clock,
                           struct cal_span span, struct store_event *ev, struct err *e);

/* Shifts an instant t by the pause [from, to), counted the way the limit of
 * `stage` is counted: working time, or wall time for continuous limits.
 * 0 stays 0. */
int64_t case__shift(const struct domain *d, const struct store_case *c, const char *stage,
                    int64_t t, int64_t from, int64_t to);

/* The state of one case_act call, shared by its steps. */
struct act_job {
    struct domain *d;              /* rules */
    const struct actor *who;       /* actor */
    int64_t id;                    /* case */
    const struct case_action *act; /* what to do */
    struct arena *a;               /* for the result */
    struct store_case *c;          /* the case (before, then after) */
};

/* Builds the event for transition t (with the action's own checks and side
 * effects), folds it into j->c and appends it. Runs inside the write job. */
MUST_CHECK int case__act_apply(struct act_job *j, const struct case_transition *t, struct err *e);
/* Checks co-handling units: they exist, are distinct and differ from lead. */
MUST_CHECK int case__check_units(struct act_job *j, int64_t lead, struct err *e);
/* Checks that unit id exists; ERR_INVALID naming field if not. */
MUST_CHECK int case__unit_exists(struct domain *d, int64_t id, const char *field, struct err *e);
/* 1 if unit is in the comma-separated id list. */
int case__list_has(const char *list, int64_t unit);
/* Writes ids as "1,2,3" into out (n bytes). */
void case__list_format(const int64_t *ids, int k, char *out, size_t n);
/* Initialises an event by who at instant at. */
void case__event_init(struct store_event *ev, const struct actor *who, const char *action,
                      int64_t at);

#endif
