/*
 * cal.h - China's working-time calendar and deadline arithmetic (pure; no I/O).
 *
 * A calendar holds: the special days (statutory rest days that fall on a
 * weekday, make-up working days that fall on a weekend: 调休), the working
 * periods of a working day (e.g. 09:00-12:00 and 14:00-18:00, China time) and
 * the range of years its holiday data covers. Weekends are rest days unless
 * listed as make-up working days.
 *
 * Instants are int64 UTC seconds; days are day numbers (see core.h). Clock
 * times are Asia/Shanghai (UTC+8).
 *
 * Thread-safety: a fully built calendar is immutable and may be read by many
 * threads at once; building (cal_set_*, cal_load_text) is single-threaded.
 */
#ifndef CHUISHAO_CAL_H
#define CHUISHAO_CAL_H

#include <stdint.h>
#include "core/core.h"

struct cal;

/* Kind of a special day. */
enum cal_day_kind {
    CAL_OFF = 1,  /* rest day (holiday), even if it is a weekday */
    CAL_WORK = 2, /* working day (调休 make-up day), even if it is a weekend */
};

/* How a time limit is counted. */
enum cal_unit {
    CAL_WH = 1, /* working minutes: only inside working periods of working days */
    CAL_WD = 2, /* working days: due at the end of the last working period of
                   the Nth working day after the start day */
    CAL_H = 3,  /* continuous minutes (urgent cases): wall-clock time */
};

/* A time limit: an amount in a unit. For CAL_WH and CAL_H the amount is in
 * minutes; for CAL_WD it is in days. */
struct cal_span {
    int unit;       /* enum cal_unit */
    int64_t amount; /* minutes (CAL_WH, CAL_H) or days (CAL_WD); >= 0 */
};

/* Returns a new empty calendar: no special days, default working periods
 * 09:00-12:00 and 14:00-18:00. Never NULL (aborts on OOM). Free with cal_free. */
struct cal *cal_new(void);
void cal_free(struct cal *c);

/* Marks one day as CAL_OFF or CAL_WORK, replacing an earlier mark. name (a
 * festival name, may be NULL) is copied. Returns 0 or ERR_INVALID. */
int cal_set_day(struct cal *c, int64_t day, int kind, const char *name);

/* Sets the working periods from a spec like "09:00-12:00,14:00-18:00":
 * 1..8 periods, each start < end, ascending and not overlapping, within
 * 00:00-24:00. On error returns ERR_INVALID with a message in e and leaves the
 * calendar unchanged. */
int cal_set_periods(struct cal *c, const char *spec, struct err *e);
/* Writes the current periods spec (same syntax) into out (size n). */
void cal_get_periods(const struct cal *c, char *out, size_t n);
/* Working minutes in one working day (sum of the periods). */
int cal_day_minutes(const struct cal *c);

/* Loads holiday data text (the format of data/holidays.txt): one day a line,
 * "YYYY-MM-DD off|work NAME"; blank lines and lines starting with '#' are
 * ignored; a line "years YYYY YYYY" declares the range of years the data
 * covers (otherwise it is the range of the days seen). All or nothing: on an
 * error returns ERR_INVALID with "line N: ..." in e and changes nothing. */
int cal_load_text(struct cal *c, const char *text, size_t n, struct err *e);

/* First and last year the holiday data covers (0, 0 when empty). */
void cal_years(const struct cal *c, int *first, int *last);

/* Visits every special day in ascending order; stops early and returns the
 * callback's value when it returns non-zero. */
int cal_each_day(const struct cal *c, int (*fn)(void *arg, int64_t day, int kind, const char *name),
                 void *arg);

/* 1 if day is a working day, else 0. */
int cal_is_workday(const struct cal *c, int64_t day);
/* Name of the special day (festival) or NULL. */
const char *cal_day_name(const struct cal *c, int64_t day);

/* The day n working days after day (n >= 0): n = 0 returns day itself; n = 1
 * the first working day strictly after day; and so on. */
int64_t cal_add_workdays(const struct cal *c, int64_t day, int n);

/* Working minutes inside the half-open interval [a, b) (0 when b <= a). */
int64_t cal_work_minutes_between(const struct cal *c, int64_t a, int64_t b);

/* The instant reached by adding `minutes` working minutes to t. If t is
 * outside working time, counting starts at the next working period. With
 * minutes = 0 returns t. */
int64_t cal_add_work_minutes(const struct cal *c, int64_t t, int64_t minutes);

/* The deadline for a limit that starts at `start`:
 *   CAL_WH: cal_add_work_minutes(start, amount)
 *   CAL_WD: end of the last working period of the day
 *           cal_add_workdays(day of start, amount); amount 0 = end of the start
 *           day's working time if it is a working day and start is before
 *           that end, else of the next working day
 *   CAL_H:  start + amount minutes
 * Returns the instant. */
int64_t cal_deadline(const struct cal *c, int64_t start, struct cal_span span);

/* Parses a limit like "4wh" (working hours), "90wm" (working minutes),
 * "3wd" (working days), "2h" (continuous hours), "30m" (continuous minutes).
 * Decimal hours like "0.5wh" are allowed. 0 or ERR_INVALID. */
int cal_span_parse(const char *s, struct cal_span *out);
/* Formats a span in the same syntax (shortest exact form) into out (n bytes). */
void cal_span_format(struct cal_span s, char *out, size_t n);

#endif
