/* store_calendar.h - the stored working calendar: the special days (holidays,
 * make-up working days) that src/cal reads and chuishao calendar import writes. */
#ifndef CHUISHAO_STORE_CALENDAR_H
#define CHUISHAO_STORE_CALENDAR_H

#include <stdint.h>
#include "store/store.h"

/* Replaces the calendar days in [from, to] (day numbers) with those fed by
 * the iterator, in one transaction: the job calls next(arg, &day, &kind,
 * &name) until it returns 0. Days outside the range are kept. */
MUST_CHECK int store_calendar_replace(struct store *s, int64_t from, int64_t to,
                                      int (*next)(void *arg, int64_t *day, int *kind,
                                                  const char **name),
                                      void *arg, struct err *e);
/* Visits the stored calendar days; returns 0 or an error. */
MUST_CHECK int store_calendar_each(struct store *s,
                                   int (*fn)(void *arg, int64_t day, int kind, const char *name),
                                   void *arg, struct err *e);

#endif
