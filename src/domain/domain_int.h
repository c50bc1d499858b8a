/* domain_int.h - what the subjects of src/domain/ share among themselves
 * (no module outside src/domain/ includes this). */
#ifndef CHUISHAO_DOMAIN_INT_H
#define CHUISHAO_DOMAIN_INT_H

#include "domain.h"
#include "store/store.h"
#include "cal/cal.h"

/* Calls row(arg, fields, n, e) for each data line of the embedded
 * tab-separated file (blank lines and # comments skipped; at most 8 fields).
 * Stops at the first nonzero return, adding "FILE line N is wrong" when
 * row left no message. ERR_INTERNAL if the file is not built in. */
int dom__each_row(const char *file, int (*row)(void *arg, char **f, int n, struct err *e),
                  void *arg, struct err *e);

/* ---- the hooks of the subjects (the table in domain.c) -------------------
 * seed: adds the subject's missing reference data (inside dom_seed's write).
 * open: loads what the subject keeps in the handle (at dom_open).
 * close: frees it (at dom_close, also after a failed open). */

/* The calendar (calendar.c): the built-in holidays into an empty calendar,
 * the default working periods; the calendar loaded into d->cal. */
int dom__calendar_seed(struct store *s, struct err *e);
int dom__calendar_open(struct domain *d, struct err *e);
void dom__calendar_close(struct domain *d);

/* Cases (case/case_ref.c): categories, time limits, whistle types and the
 * warning fraction; the limits and the fraction loaded into d. */
int case__ref_seed(struct store *s, struct err *e);
int case__ref_open(struct domain *d, struct err *e);
void case__ref_close(struct domain *d);

/* Places (place/place.c): the grid index built from the stored boundaries. */
int place__open(struct domain *d, struct err *e);
void place__close(struct domain *d);

#endif
