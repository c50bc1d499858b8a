/* fuzz_calendar.c - the working calendar's parsers (src/cal/cal.c): the
 * holiday file (cal_load_text, the format of data/holidays.txt that
 * `chuishao calendar import` takes), working periods (cal_set_periods, the
 * work_periods setting), time limits (cal_span_parse, data/time_limits.txt
 * and ?limit=), and core's ISO 8601 instants and dates (src/core/time.c),
 * with the deadline arithmetic run on what they give.
 *
 * Input: lines "@periods SPEC", "@span SPEC", "@at ISO-INSTANT" and
 * "@date YYYY-MM-DD" are taken out (in order); every other line is holiday
 * text, loaded in one call.
 *
 * Invariants: a load is all or nothing (a refused text changes nothing and
 * names its line; loading an accepted text again changes nothing), the
 * special days are ascending and agree with cal_is_workday; periods and
 * spans format back to what parses the same; an instant formats back to
 * itself; a deadline is never before its start, and working minutes
 * counted up to a CAL_WH deadline are the limit (unless the ten-year
 * search cap was hit). */
#include <string.h>
#include "fuzz.h"
#include "cal/cal.h"

#define MAX_ITEMS 8    /* spans, instants and dates read from one input */
#define SCAN_DAYS 3660 /* the calendar's search cap (cal.c MAX_SCAN_DAYS) */
#define DAY_SECS  86400

struct items {
    char *v[MAX_ITEMS]; /* the texts (xmalloc) */
    int n;              /* their number */
};

static void items_add(struct items *it, const char *s, size_t n)
{
    if (it->n < MAX_ITEMS)
        it->v[it->n++] = fuzz_strndup(s, n);
}

static void items_free(struct items *it)
{
    for (int i = 0; i < it->n; i++)
        xfree(it->v[i]);
}

/* ---- special days ------------------------------------------------------------ */

/* What cal_each_day shows: checked as it goes, summed up in a signature. */
struct listing {
    const struct cal *c; /* the calendar */
    int64_t last;        /* the previous day */
    size_t n;            /* days seen */
    uint64_t sig;        /* a hash of days, kinds and names */
};

static int visit(void *arg, int64_t day, int kind, const char *name)
{
    struct listing *l = arg;
    FUZZ_CHECK(l->n == 0 || day > l->last);
    FUZZ_CHECK(kind == CAL_OFF || kind == CAL_WORK);
    FUZZ_CHECK(cal_is_workday(l->c, day) == (kind == CAL_WORK));
    FUZZ_CHECK(cal_day_name(l->c, day) == name);
    FUZZ_CHECK(name == NULL || (strlen(name) <= 64 && utf8_valid(name, strlen(name))));
    l->sig = l->sig * 1000003u ^ (uint64_t)day ^ ((uint64_t)kind << 40);
    for (const char *p = name ? name : ""; *p; p++)
        l->sig = l->sig * 31u + (unsigned char)*p;
    l->last = day;
    l->n++;
    return 0;
}

/* The signature of c's special days and years. */
static uint64_t listing(const struct cal *c)
{
    struct listing l = {.c = c};
    int first, last;
    FUZZ_CHECK(cal_each_day(c, visit, &l) == 0);
    cal_years(c, &first, &last);
    FUZZ_CHECK((first == 0) == (last == 0) && first <= last);
    return l.sig ^ (uint64_t)first << 20 ^ (uint64_t)last << 36 ^ l.n;
}

static void check_load(struct cal *c, const char *text, size_t n)
{
    struct err e = {0};
    uint64_t before = listing(c);
    if (cal_load_text(c, text, n, &e) != 0) {
        FUZZ_CHECK(e.code == ERR_INVALID && strncmp(e.msg, "line ", 5) == 0);
        FUZZ_CHECK(listing(c) == before); /* all or nothing */
        return;
    }
    uint64_t after = listing(c);
    FUZZ_CHECK(cal_load_text(c, text, n, &e) == 0);
    FUZZ_CHECK(listing(c) == after); /* the same text again changes nothing */
}

/* ---- periods, spans, instants ---------------------------------------------------- */

static void check_periods(struct cal *c, const char *spec)
{
    char before[128], after[128], again[128];
    struct err e = {0};
    cal_get_periods(c, before, sizeof before);
    if (cal_set_periods(c, spec, &e) != 0) {
        FUZZ_CHECK(e.code == ERR_INVALID);
        cal_get_periods(c, after, sizeof after);
        FUZZ_CHECK(strcmp(before, after) == 0); /* unchanged */
        return;
    }
    FUZZ_CHECK(cal_day_minutes(c) >= 1 && cal_day_minutes(c) <= 1440);
    cal_get_periods(c, after, sizeof after);
    struct cal *other = cal_new();
    FUZZ_CHECK(cal_set_periods(other, after, &e) == 0);
    cal_get_periods(other, again, sizeof again);
    FUZZ_CHECK(strcmp(after, again) == 0);
    FUZZ_CHECK(cal_day_minutes(other) == cal_day_minutes(c));
    cal_free(other);
}

/* A span formats back to text that parses to the same span. */
static int check_span(const char *s, struct cal_span *out)
{
    char text[48];
    struct cal_span again;
    if (cal_span_parse(s, out) != 0)
        return 0;
    FUZZ_CHECK(out->amount >= 0 && out->unit >= CAL_WH && out->unit <= CAL_H);
    cal_span_format(*out, text, sizeof text);
    FUZZ_CHECK(cal_span_parse(text, &again) == 0);
    FUZZ_CHECK(again.unit == out->unit && again.amount == out->amount);
    return 1;
}

/* An instant formats back to itself (within the years core handles). */
static int check_instant(const char *s, int64_t *t)
{
    char text[32];
    int64_t again = 0, local, day;
    int y, m, d;
    if (time_parse_iso(s, t) != 0)
        return 0;
    time_format_iso(*t, text);
    local = *t + TIME_CN_OFFSET;
    day = local >= 0 ? local / DAY_SECS : -((-local + DAY_SECS - 1) / DAY_SECS);
    time_civil_from_days(day, &y, &m, &d);
    if (y >= 1900 && y <= 9999) {
        FUZZ_CHECK(time_parse_iso(text, &again) == 0 && again == *t);
        text[10] = '\0';
        FUZZ_CHECK(time_parse_date(text, &again) == 0 && again == day);
    }
    return 1;
}

static void check_date(const struct cal *c, const char *s)
{
    char text[16];
    int64_t day, again;
    if (time_parse_date(s, &day) != 0)
        return;
    time_format_date(day, text);
    FUZZ_CHECK(strcmp(text, s) == 0);
    FUZZ_CHECK(time_parse_date(text, &again) == 0 && again == day);
    FUZZ_CHECK(cal_add_workdays(c, day, 0) == day);
    int64_t next = cal_add_workdays(c, day, 1), later = cal_add_workdays(c, day, 5);
    FUZZ_CHECK(next > day && later >= next && later <= day + SCAN_DAYS);
    FUZZ_CHECK(next == day + SCAN_DAYS || cal_is_workday(c, next));
}

/* The deadline of span from t. */
static void check_deadline(const struct cal *c, int64_t t, struct cal_span span)
{
    int64_t due = cal_deadline(c, t, span);
    FUZZ_CHECK(due >= t);
    if (span.unit == CAL_H)
        FUZZ_CHECK(due - t == span.amount * 60);
    if (span.unit == CAL_WH) {
        int64_t got = cal_work_minutes_between(c, t, due);
        FUZZ_CHECK(got <= span.amount);
        FUZZ_CHECK(got == span.amount || due >= t + (int64_t)(SCAN_DAYS - 2) * DAY_SECS);
    }
    FUZZ_CHECK(cal_work_minutes_between(c, t, due) <= (due - t) / 60 + 1);
}

/* ---- the input ------------------------------------------------------------------ */

/* 1 if the line starts with the tag; *rest and *rn get what follows. */
static int tagged(const char *line, size_t n, const char *tag, const char **rest, size_t *rn)
{
    size_t k = strlen(tag);
    if (n < k || memcmp(line, tag, k) != 0)
        return 0;
    *rest = line + k;
    *rn = n - k;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size, *line, *rest;
    size_t n, rn;
    struct items spans = {0}, ats = {0}, dates = {0};
    struct buf text;
    struct cal *c = cal_new();
    buf_init(&text, size + 1);
    while (fuzz_next_line(&p, end, &line, &n)) {
        if (tagged(line, n, "@periods ", &rest, &rn)) {
            char *spec = fuzz_strndup(rest, rn);
            check_periods(c, spec);
            xfree(spec);
        } else if (tagged(line, n, "@span ", &rest, &rn)) {
            items_add(&spans, rest, rn);
        } else if (tagged(line, n, "@at ", &rest, &rn)) {
            items_add(&ats, rest, rn);
        } else if (tagged(line, n, "@date ", &rest, &rn)) {
            items_add(&dates, rest, rn);
        } else {
            buf_append(&text, line, n);
            buf_append(&text, "\n", 1);
        }
    }
    check_load(c, text.data ? text.data : "", text.len);
    for (int i = 0; i < dates.n; i++)
        check_date(c, dates.v[i]);
    for (int i = 0; i < ats.n; i++) {
        int64_t t;
        if (!check_instant(ats.v[i], &t))
            continue;
        for (int k = 0; k < spans.n; k++) {
            struct cal_span span;
            if (check_span(spans.v[k], &span))
                check_deadline(c, t, span);
        }
    }
    for (int k = 0; k < spans.n; k++) {
        struct cal_span span;
        check_span(spans.v[k], &span);
    }
    items_free(&spans);
    items_free(&ats);
    items_free(&dates);
    buf_free(&text);
    cal_free(c);
    return 0;
}
