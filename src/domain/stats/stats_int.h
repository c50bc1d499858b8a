/*
 * stats_int.h - internals shared by stats.c (the figures) and stats_roll.c
 * (the roll-ups that make them fast): what one case contributes to the
 * figures, as a vector of facts.
 */
#ifndef CHUISHAO_STATS_INT_H
#define CHUISHAO_STATS_INT_H

#include "stats.h"
#include "cal/cal.h"
#include "store/place/store_place.h"
#include "store/unit/store_unit.h"
#include "domain/case/case.h"

/* The facts one case contributes at the end of a period (docs/stats.md).
 * Stored as v0.. of the stats_roll table: append only, never reorder. */
enum stats_fact {
    SF_RECEIVED = 0, /* 1: the case */
    SF_REGISTERED,   /* has a register event */
    SF_DISPATCHED,   /* has a dispatch event */
    SF_DISPATCHES,   /* dispatch + reassign events */
    SF_RETURNS,      /* return events */
    SF_REWORKS,      /* rework events */
    SF_VISITS,       /* visit events */
    SF_RESOLVED,     /* visits answering resolved */
    SF_SATISFIED,    /* visits answering 满意 or 基本满意 */
    SF_CLOSED,       /* due to close and closed */
    SF_DUE,          /* due to close */
    SF_ONTIME,       /* due to close and closed by its close_due */
    SF_EXTENDED,     /* due to close with an approved extension */
    SF_DEFERRED,     /* registered and deferred (缓办) at the end */
    SF_SIGNED,       /* dispatched and first signed within the sign limit */
    SF_FEEDBACK,     /* has a feedback event */
    SF_REWORK_FB,    /* rework events if it has a feedback event */
    SF_ACCURATE,     /* max(0, dispatches - returns - reworks) */
    SF_PETITION,     /* received by the petition channel */
    SF_REPEAT,       /* merged as a duplicate (a repeat complaint) */
    SF_STAGE_MIN,    /* working minutes of the 5 completed stages (5 slots) */
    SF_STAGE_N = SF_STAGE_MIN + STATS_STAGES, /* stages completed (5 slots) */
    SF_COUNT = SF_STAGE_N + STATS_STAGES
};

/* The facts of a case whose events ev[0..n) (seq order, all at <= end) are
 * counted for a period ending at the instant end; channel is the case's.
 * OUT: v[SF_COUNT]; *lead (if not NULL) the unit of the last dispatch or
 * reassign, 0 if none. */
void stats__case_vector(struct domain *d, const struct store_event *ev, int n, int64_t end,
                        const char *channel, int64_t *v, int64_t *lead);
/* Adds a sum of fact vectors to a row's counts, rates and stage times. */
void stats__row_add_vector(struct stats_row *r, const int64_t *v);

/* China day number of an instant, and the last instant of a day. */
#define STATS_DAY(t)     (((t) + 8 * 3600) / 86400)
#define STATS_DAY_END(d) (((d) + 1) * 86400 - 8 * 3600 - 1)

#endif
