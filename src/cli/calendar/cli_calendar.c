/* cli_calendar.c - `calendar ...`: working days, deadlines, holiday data and
 * the working periods. A running server reads the calendar at start. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli_calendar.h"
#include "cal/cal.h"
#include "store/store.h"

/* The calendar of the database if it exists, else the built-in one. */
static int open_calendar(struct cli *c, struct cal **cal)
{
    struct err e = {0};
    struct stat sb;
    struct store *s = NULL;
    if (stat(c->db, &sb) == 0 && store_open(c->db, 0, &s, &e))
        return cli_fail(7, "%s", e.msg);
    int rc = dom_calendar_load(s, cal, &e);
    store_close(s);
    return rc ? cli_fail(7, "%s", e.msg) : 0;
}

static int cli_calendar_workday_cmd(struct cli *c)
{
    struct cal *cal;
    int64_t day;
    if (time_parse_date(c->pos[0], &day))
        return cli_fail(4, "not a date (YYYY-MM-DD): %s", c->pos[0]);
    if (open_calendar(c, &cal))
        return 7;
    printf("%s\n", cal_is_workday(cal, day) ? "yes" : "no");
    cal_free(cal);
    return 0;
}

static int cli_calendar_add_cmd(struct cli *c)
{
    struct cal *cal;
    int64_t day, n;
    char out[16];
    if (time_parse_date(c->pos[0], &day))
        return cli_fail(4, "not a date (YYYY-MM-DD): %s", c->pos[0]);
    if (str_to_i64(c->pos[1], &n) || n < 0 || n > 2000)
        return cli_fail(4, "N must be an integer 0..2000: %s", c->pos[1]);
    if (open_calendar(c, &cal))
        return 7;
    int64_t result = cal_add_workdays(cal, day, (int)n), last;
    cal_free(cal);
    time_days_from_civil(9999, 12, 31, &last);
    if (result > last)
        return cli_fail(4, "the result would be after 9999-12-31");
    time_format_date(result, out);
    printf("%s\n", out);
    return 0;
}

static int cli_calendar_deadline_cmd(struct cli *c)
{
    struct cal *cal;
    struct cal_span span;
    int64_t start;
    char out[32];
    if (time_parse_iso(c->pos[0], &start))
        return cli_fail(4, "START must be an ISO 8601 time: %s", c->pos[0]);
    if (cal_span_parse(c->pos[1], &span))
        return cli_fail(4, "LIMIT must look like 2wd, 4wh, 90wm, 24h or 30m: %s", c->pos[1]);
    if (open_calendar(c, &cal))
        return 7;
    time_format_iso(cal_deadline(cal, start, span), out);
    printf("%s\n", out);
    cal_free(cal);
    return 0;
}

static int cli_calendar_import_cmd(struct cli *c)
{
    struct err e = {0};
    struct buf b;
    char chunk[4096];
    size_t n;
    FILE *f = fopen(c->pos[0], "rb");
    if (f == NULL)
        return cli_fail(3, "cannot open %s", c->pos[0]);
    buf_init(&b, 1 << 20);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (buf_append(&b, chunk, n)) {
            fclose(f);
            buf_free(&b);
            return cli_fail(4, "%s is larger than 1 MiB", c->pos[0]);
        }
    fclose(f);
    int rc = cli_open(c, 0);
    if (rc == 0) {
        rc = dom_calendar_import(c->store, b.data ? b.data : "", b.len, &e);
        if (rc)
            rc = cli_fail(4, "%s: %s (nothing was changed)", c->pos[0], e.msg);
        else
            printf("calendar: the years in %s were replaced (restart a running server)\n",
                   c->pos[0]);
        cli_close(c);
    }
    buf_free(&b);
    return rc;
}

/* calendar periods [SPEC]: shows the working periods, or sets them. */
static int cli_calendar_periods_cmd(struct cli *c)
{
    struct err e = {0};
    char spec[128];
    int rc = cli_open(c, 0);
    if (rc)
        return rc;
    if (c->n_pos == 1) {
        struct cal *probe = cal_new();
        rc = cal_set_periods(probe, c->pos[0], &e); /* validate before storing */
        if (rc == 0) {
            cal_get_periods(probe, spec, sizeof spec);
            rc = store_setting_set(c->store, "work_periods", spec, &e);
        }
        cal_free(probe);
        if (rc == 0)
            printf("working periods set to %s (restart a running server)\n", spec);
    } else {
        cal_get_periods(c->dom->cal, spec, sizeof spec);
        printf("%s (%d working minutes a day)\n", spec, cal_day_minutes(c->dom->cal));
    }
    cli_close(c);
    return rc ? cli_fail(rc == ERR_INVALID ? 4 : 7, "%s", e.msg) : 0;
}

static const struct cli_cmd cmds[] = {
    {"calendar add-workdays", cli_calendar_add_cmd, "YYYY-MM-DD N", "db", 2, 2,
     "the date N working days later"},
    {"calendar deadline", cli_calendar_deadline_cmd, "START LIMIT", "db", 2, 2,
     "deadline of a limit like 2wd or 4wh from START"},
    {"calendar import", cli_calendar_import_cmd, "FILE", "db", 1, 1,
     "load holiday data: replaces the years FILE covers (data/holidays.txt format)"},
    {"calendar is-workday", cli_calendar_workday_cmd, "YYYY-MM-DD", "db", 1, 1, "print yes or no"},
    {"calendar periods", cli_calendar_periods_cmd, "[SPEC]", "db", 0, 1,
     "show or set the working periods, e.g. 09:00-12:00,14:00-18:00"},
};
CLI_CMDS(cli_calendar_cmds, "calendar", cmds);
