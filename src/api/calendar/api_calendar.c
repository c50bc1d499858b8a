/* api_calendar.c - /calendar: is a day a working day, N working days
 * later, the deadline of a limit. */
#include "api_calendar.h"
#include "cal/cal.h"

/* The date query parameter as a day number. */
static int query_date(struct api_ctx *c, const char *name, int64_t *day)
{
    const char *v = api__query(c, name);
    if (v == NULL || time_parse_date(v, day))
        return err_set(&c->e, ERR_INVALID, name, "%s must be a date YYYY-MM-DD", name);
    return 0;
}

static int api_calendar_day(struct api_ctx *c)
{
    int64_t day;
    char s[16];
    if (query_date(c, "date", &day))
        return c->e.code;
    const char *name = cal_day_name(c->api->dom->cal, day);
    time_format_date(day, s);
    return api__reply(c, 200,
                      json_pack("{s:s, s:b, s:i, s:s}", "date", s, "workday",
                                cal_is_workday(c->api->dom->cal, day), "weekday", time_weekday(day),
                                "name", name ? name : ""));
}

static int api_calendar_add(struct api_ctx *c)
{
    int64_t day, n;
    char s[16];
    if (query_date(c, "date", &day) || api__query_int(c, "n", -1, &n))
        return c->e.code;
    if (n < 0 || n > 2000)
        return err_set(&c->e, ERR_INVALID, "n", "n must be 0..2000");
    int64_t result = cal_add_workdays(c->api->dom->cal, day, (int)n), last;
    time_days_from_civil(9999, 12, 31, &last);
    if (result > last)
        return err_set(&c->e, ERR_INVALID, "n", "the result would be after 9999-12-31");
    time_format_date(result, s);
    return api__reply(c, 200,
                      json_pack("{s:s, s:I, s:s}", "date", api__query(c, "date"), "n",
                                (json_int_t)n, "result", s));
}

/* The first instant after 9999-12-31 in China time: ISO text cannot show it. */
static int64_t after_9999(void)
{
    int64_t last;
    time_days_from_civil(9999, 12, 31, &last);
    return (last + 1) * 86400 - TIME_CN_OFFSET;
}

static int api_calendar_deadline(struct api_ctx *c)
{
    int64_t start, due;
    struct cal_span span;
    const char *st = api__query(c, "start"), *lim = api__query(c, "limit");
    if (st == NULL || time_parse_iso(st, &start) || start >= after_9999())
        return err_set(&c->e, ERR_INVALID, "start",
                       "start must be an ISO 8601 time up to 9999-12-31 (China time)");
    if (lim == NULL || cal_span_parse(lim, &span))
        return err_set(&c->e, ERR_INVALID, "limit", "limit must look like 2wd, 4wh, 90wm or 24h");
    if ((due = cal_deadline(c->api->dom->cal, start, span)) >= after_9999())
        return err_set(&c->e, ERR_INVALID, "limit", "the deadline would be after 9999-12-31");
    return api__reply(c, 200,
                      json_pack("{s:o, s:s, s:o}", "start", api__time(start), "limit", lim, "due",
                                api__time(due)));
}

static const struct api_route routes[] = {
    {"/calendar/add-workdays", "GET", api_calendar_add, ACCESS_PUBLIC, 0},
    {"/calendar/day", "GET", api_calendar_day, ACCESS_PUBLIC, 0},
    {"/calendar/deadline", "GET", api_calendar_deadline, ACCESS_PUBLIC, 0},
};
API_ROUTES(api_calendar_routes, "calendar", routes);
