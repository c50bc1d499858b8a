/* calendar.c - the working calendar kept in the store: import of holiday
 * data, and the calendar loaded from the stored days and periods. */
#include <string.h>
#include "domain_int.h"
#include "core/embed.h"
#include "store/calendar/store_calendar.h"

struct day_iter {
    const struct cal *c; /* the calendar being copied */
    int64_t *days;       /* its special days */
    int *kinds;          /* and their kinds */
    const char **names;  /* and names */
    int n, i, cap;       /* count, cursor, allocated */
};

static int collect_day(void *arg, int64_t day, int kind, const char *name)
{
    struct day_iter *it = arg;
    if (it->n == it->cap) {
        it->cap = it->cap ? it->cap * 2 : 256;
        it->days = xrealloc(it->days, sizeof *it->days * (size_t)it->cap);
        it->kinds = xrealloc(it->kinds, sizeof *it->kinds * (size_t)it->cap);
        it->names = xrealloc(it->names, sizeof *it->names * (size_t)it->cap);
    }
    it->days[it->n] = day;
    it->kinds[it->n] = kind;
    it->names[it->n++] = name;
    return 0;
}

static int next_day(void *arg, int64_t *day, int *kind, const char **name)
{
    struct day_iter *it = arg;
    if (it->i >= it->n)
        return 0;
    *day = it->days[it->i];
    *kind = it->kinds[it->i];
    *name = it->names[it->i++];
    return 1;
}

int dom_calendar_import(struct store *s, const char *text, size_t n, struct err *e)
{
    struct cal *c = cal_new();
    struct day_iter it = {.c = c};
    int rc = cal_load_text(c, text, n, e), y0, y1;
    int64_t from, to;
    if (rc == 0) {
        cal_years(c, &y0, &y1);
        if (y0 == 0 || time_days_from_civil(y0, 1, 1, &from) ||
            time_days_from_civil(y1, 12, 31, &to))
            rc = err_set(e, ERR_INVALID, NULL, "the calendar text holds no days");
    }
    if (rc == 0) {
        cal_each_day(c, collect_day, &it);
        rc = store_calendar_replace(s, from, to, next_day, &it, e);
    }
    xfree(it.days);
    xfree(it.kinds);
    xfree(it.names);
    cal_free(c);
    return rc;
}

static int load_day(void *arg, int64_t day, int kind, const char *name)
{
    return cal_set_day(arg, day, kind, name);
}

int dom_calendar_load(struct store *s, struct cal **out, struct err *e)
{
    struct cal *c = cal_new();
    int rc;
    if (s == NULL) {
        const struct embed_file *hol = embed_find("data/holidays.txt");
        rc = hol ? cal_load_text(c, (const char *)hol->data, hol->len, e)
                 : err_set(e, ERR_INTERNAL, NULL, "built-in holidays are missing");
    } else {
        char periods[128];
        rc = store_calendar_each(s, load_day, c, e);
        int got = rc ? rc : store_setting_get(s, "work_periods", periods, sizeof periods, e);
        if (got == 0)
            rc = cal_set_periods(c, periods, e);
        else if (got != ERR_NOTFOUND) /* unset: the default periods */
            rc = got;
    }
    if (rc) {
        cal_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

/* Stops at the first stored calendar day. */
static int any_day(void *arg, int64_t day, int kind, const char *name)
{
    (void)day, (void)kind, (void)name;
    *(int *)arg = 1;
    return 1;
}

int dom__calendar_seed(struct store *s, struct err *e)
{
    const struct embed_file *hol = embed_find("data/holidays.txt");
    int have_days = 0;
    char v[64];
    /* A failed read must stop here: taking it for an empty calendar would
     * put the built-in days over edited ones. */
    int rc = store_calendar_each(s, any_day, &have_days, e);
    if (rc < 0)
        return rc;
    if (hol == NULL)
        return err_set(e, ERR_INTERNAL, NULL, "built-in holidays are missing");
    if (!have_days && (rc = dom_calendar_import(s, (const char *)hol->data, hol->len, e)))
        return rc;
    rc = store_setting_get(s, "work_periods", v, sizeof v, e);
    if (rc == ERR_NOTFOUND) /* (e is left alone: unset is no error) */
        rc = store_setting_set(s, "work_periods", "09:00-12:00,14:00-18:00", e);
    return rc;
}

int dom__calendar_open(struct domain *d, struct err *e)
{
    return dom_calendar_load(d->store, &d->cal, e);
}

void dom__calendar_close(struct domain *d)
{
    cal_free(d->cal);
    d->cal = NULL;
}
