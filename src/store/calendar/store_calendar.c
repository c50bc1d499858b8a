/* store_calendar.c - the stored special days of the working calendar. */
#include <string.h>
#include "store/store_int.h"
#include "store_calendar.h"

STORE_Q(q_cal_clear, "DELETE FROM calendar_days WHERE day BETWEEN ? AND ?");
STORE_Q(q_cal_add, "INSERT INTO calendar_days(day, kind, name) VALUES (?, ?, ?)");
STORE_Q(q_cal_all, "SELECT day, kind, name FROM calendar_days ORDER BY day");

struct cal_feed {
    int (*next)(void *arg, int64_t *day, int *kind, const char **name);
    void *arg;
    int64_t from, to; /* the range replaced */
};

static int job_cal_replace(struct store *s, void *arg, struct err *e)
{
    struct cal_feed *f = arg;
    int64_t day;
    int kind, rc;
    const char *name;
    if ((rc = store__run(s, &q_cal_clear, e, "ii", f->from, f->to)))
        return rc;
    while (f->next(f->arg, &day, &kind, &name))
        if ((rc = store__run(s, &q_cal_add, e, "iis", day, (int64_t)kind, name ? name : "")))
            return rc;
    return 0;
}

int store_calendar_replace(struct store *s, int64_t from, int64_t to,
                           int (*next)(void *arg, int64_t *day, int *kind, const char **name),
                           void *arg, struct err *e)
{
    struct cal_feed f = {next, arg, from, to};
    return store_write(s, job_cal_replace, &f, e);
}

struct cal_visit {
    int (*fn)(void *arg, int64_t day, int kind, const char *name);
    void *arg;
};

static int row_cal(struct store *s, struct store_stmt *st, void *arg)
{
    struct cal_visit *v = arg;
    return v->fn(v->arg, COL_I64(s, st, 0), (int)COL_I64(s, st, 1), COL_TEXT(s, st, 2));
}

int store_calendar_each(struct store *s,
                        int (*fn)(void *arg, int64_t day, int kind, const char *name), void *arg,
                        struct err *e)
{
    struct cal_visit v = {fn, arg};
    return store__query(s, &q_cal_all, e, row_cal, &v, "");
}
