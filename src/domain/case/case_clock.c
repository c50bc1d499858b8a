/* case_clock.c - deadlines of case stages on the working calendar. */
#include <string.h>
#include "case_int.h"

/* Deadline and warning instant for `stage` starting at `start`. */
static int stage_due(const struct domain *d, const struct store_case *c, const char *stage,
                     int64_t start, int64_t *due, int64_t *warn, struct err *e)
{
    struct cal_span span;
    int rc = case_limit(d, c->category, c->priority, stage, &span, e);
    if (rc)
        return rc;
    *due = cal_deadline(d->cal, start, span);
    if (warn == NULL)
        return 0;
    /* At risk once warn_fraction of the limit is used: counted in working
     * time for working limits, on the wall clock for continuous ones. */
    if (span.unit == CAL_H) {
        *warn = start + (int64_t)((double)(*due - start) * d->warn_fraction);
    } else {
        int64_t work = cal_work_minutes_between(d->cal, start, *due);
        *warn = cal_add_work_minutes(d->cal, start, (int64_t)((double)work * d->warn_fraction));
    }
    return 0;
}

/* 1 if the case's limit at stage runs on continuous time. */
static int continuous(const struct domain *d, const struct store_case *c, const char *stage);

/* The at-risk instant between start and due for the limit of stage: after
 * warn_fraction of the working time, or of the wall time for a continuous
 * limit. */
static int64_t warn_between(const struct domain *d, const struct store_case *c, const char *stage,
                            int64_t start, int64_t due)
{
    if (continuous(d, c, stage))
        return start + (int64_t)((double)(due - start) * d->warn_fraction);
    int64_t work = cal_work_minutes_between(d->cal, start, due);
    return cal_add_work_minutes(d->cal, start, (int64_t)((double)work * d->warn_fraction));
}

/* 1 if the case's limit at stage runs on continuous time. */
static int continuous(const struct domain *d, const struct store_case *c, const char *stage)
{
    struct cal_span span;
    if (case_limit(d, c->category, c->priority, stage, &span, NULL))
        return 0;
    return span.unit == CAL_H;
}

int64_t case__shift(const struct domain *d, const struct store_case *c, const char *stage,
                    int64_t t, int64_t from, int64_t to)
{
    if (t == 0 || to <= from)
        return t;
    if (continuous(d, c, stage))
        return t + (to - from);
    int64_t minutes = cal_work_minutes_between(d->cal, from, to);
    return cal_add_work_minutes(d->cal, t, minutes);
}

/* Extends an instant by a span counted from it. */
static int64_t extend(const struct domain *d, int64_t t, struct cal_span span)
{
    return t ? cal_deadline(d->cal, t, span) : 0;
}

int case__clock(const struct domain *d, const struct store_case *c, int clock, struct cal_span span,
                struct store_event *ev, struct err *e)
{
    static const char *const stage_of[] = {
        [CLK_REGISTER] = "register", [CLK_DISPATCH] = "dispatch", [CLK_REGISTERED] = "dispatch",
        [CLK_SIGN] = "sign",         [CLK_HANDLE] = "handle",     [CLK_REOPEN] = "handle",
    };
    int64_t now = ev->at;
    ev->due_at = c->due_at;
    ev->warn_at = c->warn_at;
    ev->close_due = c->close_due;
    switch (clock) {
    case CLK_REGISTER:
    case CLK_DISPATCH:
    case CLK_SIGN:
    case CLK_HANDLE:
        return stage_due(d, c, stage_of[clock], now, &ev->due_at, &ev->warn_at, e);
    case CLK_REGISTERED:
    case CLK_REOPEN: {
        int rc = stage_due(d, c, stage_of[clock], now, &ev->due_at, &ev->warn_at, e);
        return rc ? rc : stage_due(d, c, "close", now, &ev->close_due, NULL, e);
    }
    case CLK_CHECK:
        ev->due_at = c->close_due;
        ev->warn_at = c->close_due > now ? warn_between(d, c, "close", now, c->close_due) : 0;
        return 0;
    case CLK_STOP:
        ev->due_at = ev->warn_at = 0;
        switch (case_state_parse(ev->to_state)) {
        case ST_CLOSED:
        case ST_VISITED:
        case ST_SELF_HANDLED:
            break; /* the closing deadline stays, to judge closing on time */
        default:
            ev->close_due = 0;
        }
        return 0;
    case CLK_RESUME:
        /* Pauses happen while handling: the stage clock is the handle limit's. */
        ev->due_at = case__shift(d, c, "handle", c->due_at, c->paused_at, now);
        ev->warn_at = case__shift(d, c, "handle", c->warn_at, c->paused_at, now);
        ev->close_due = case__shift(d, c, "close", c->close_due, c->paused_at, now);
        return 0;
    case CLK_EXTEND:
        ev->due_at = extend(d, c->due_at, span);
        /* The warning moves by as much as the deadline: in wall time for a
         * continuous span, in working time otherwise. */
        if (c->warn_at && span.unit == CAL_H)
            ev->warn_at = c->warn_at + (ev->due_at - c->due_at);
        else if (c->warn_at)
            ev->warn_at = cal_add_work_minutes(
                d->cal, c->warn_at, cal_work_minutes_between(d->cal, c->due_at, ev->due_at));
        ev->close_due = extend(d, c->close_due, span);
        return 0;
    default: /* CLK_KEEP, CLK_PAUSE */
        return 0;
    }
}
