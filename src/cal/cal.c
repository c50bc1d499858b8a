/*
 * cal.c - China's working-time calendar and deadline arithmetic (see cal.h).
 *
 * Special days live in one array sorted by day number and are found by
 * binary search. Working periods are minutes since local midnight (UTC+8).
 * Arithmetic on instants is done in seconds of China local time; whole
 * working days are skipped by their length, never minute by minute.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cal.h"

#define DAY_SECS      86400
#define MAX_PERIODS   8
#define MAX_NAME      64      /* bytes of a festival name, excluding the NUL */
#define MAX_SCAN_DAYS 3660    /* searches give up after this many days (~10 years) */
#define MAX_SPAN_MIN  1000000 /* largest span in minutes (CAL_WH, CAL_H), ~694 days */
#define MAX_SPAN_DAYS 2000    /* largest span in working days (~8 years) */
#define MIN_YEAR      1900    /* range of years a special day may have (as core's time_*) */
#define MAX_YEAR      9999

/* One special day. */
struct cal_day {
    int64_t day; /* day number */
    int kind;    /* CAL_OFF or CAL_WORK */
    char *name;  /* festival name (owned) or NULL */
};

/* One working period [start, end) in minutes since local midnight. */
struct cal_period {
    int start; /* first minute, 0..1439 */
    int end;   /* minute after the last, 1..1440 */
};

struct cal {
    struct cal_day *days;                   /* special days, ascending by day */
    size_t ndays;                           /* entries used in days */
    size_t cap;                             /* entries allocated in days */
    struct cal_period periods[MAX_PERIODS]; /* working periods, ascending */
    int nperiods;                           /* 1..MAX_PERIODS */
    int year_first;                         /* first year covered, 0 when none */
    int year_last;                          /* last year covered, 0 when none */
};

/* ---- small helpers ------------------------------------------------------ */

/* floor(a / b) for b > 0. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Splits instant t into the China-time day number and seconds of that day. */
static void split_local(int64_t t, int64_t *day, int64_t *sod)
{
    int64_t local = t + TIME_CN_OFFSET;
    *day = floor_div(local, DAY_SECS);
    *sod = local - *day * DAY_SECS;
}

/* The instant at seconds `sod` of China-time day `day`. */
static int64_t local_instant(int64_t day, int64_t sod)
{
    return day * DAY_SECS + sod - TIME_CN_OFFSET;
}

static int is_weekend(int64_t day)
{
    return time_weekday(day) >= 6;
}

static int year_of(int64_t day)
{
    int y, m, d;
    time_civil_from_days(day, &y, &m, &d);
    return y;
}

/* Index of the first special day >= day (ndays when none). */
static size_t lower_bound(const struct cal *c, int64_t day)
{
    size_t lo = 0, hi = c->ndays;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->days[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The special day entry for day, or NULL. */
static const struct cal_day *find_day(const struct cal *c, int64_t day)
{
    size_t i = lower_bound(c, day);
    return (i < c->ndays && c->days[i].day == day) ? &c->days[i] : NULL;
}

/* Widens the covered year range to include [first, last]. */
static void widen_years(struct cal *c, int first, int last)
{
    if (c->year_first == 0 || first < c->year_first)
        c->year_first = first;
    if (c->year_last == 0 || last > c->year_last)
        c->year_last = last;
}

static int name_ok(const char *name)
{
    return name == NULL || (strlen(name) <= MAX_NAME && utf8_valid(name, strlen(name)));
}

/* ---- construction ------------------------------------------------------- */

struct cal *cal_new(void)
{
    struct cal *c = xcalloc(1, sizeof *c);
    c->periods[0] = (struct cal_period){9 * 60, 12 * 60};
    c->periods[1] = (struct cal_period){14 * 60, 18 * 60};
    c->nperiods = 2;
    return c;
}

void cal_free(struct cal *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->ndays; i++)
        xfree(c->days[i].name);
    xfree(c->days);
    xfree(c);
}

/* Checks the arguments of cal_set_day; 0 or ERR_INVALID. */
static int day_args_ok(int64_t day, int kind, const char *name)
{
    if (kind != CAL_OFF && kind != CAL_WORK)
        return ERR_INVALID;
    if (day < -3000000 || day > 3000000)
        return ERR_INVALID; /* keeps year_of() in int range */
    int y = year_of(day);
    if (y < MIN_YEAR || y > MAX_YEAR || !name_ok(name))
        return ERR_INVALID;
    return 0;
}

int cal_set_day(struct cal *c, int64_t day, int kind, const char *name)
{
    if (day_args_ok(day, kind, name))
        return ERR_INVALID;
    size_t i = lower_bound(c, day);
    if (i < c->ndays && c->days[i].day == day) {
        xfree(c->days[i].name);
    } else {
        if (c->ndays == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 64;
            c->days = xrealloc(c->days, c->cap * sizeof *c->days);
        }
        memmove(&c->days[i + 1], &c->days[i], (c->ndays - i) * sizeof *c->days);
        c->ndays++;
    }
    c->days[i] = (struct cal_day){day, kind, name ? xstrdup(name) : NULL};
    widen_years(c, year_of(day), year_of(day));
    return 0;
}

/* ---- working periods ---------------------------------------------------- */

/* Parses "HH:MM" (00:00..24:00) at *p, advancing *p; 0 or ERR_INVALID. */
static int parse_hhmm(const char **p, int *minutes)
{
    const char *s = *p;
    for (int i = 0; i < 5; i++)
        if (i == 2 ? s[i] != ':' : (s[i] < '0' || s[i] > '9'))
            return ERR_INVALID;
    int hh = (s[0] - '0') * 10 + (s[1] - '0');
    int mm = (s[3] - '0') * 10 + (s[4] - '0');
    if (mm > 59 || hh > 24 || (hh == 24 && mm != 0))
        return ERR_INVALID;
    *minutes = hh * 60 + mm;
    *p = s + 5;
    return 0;
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Parses one "HH:MM-HH:MM" at *p into *out; 0 or ERR_INVALID with e set. */
static int parse_period(const char **p, struct cal_period *out, struct err *e)
{
    const char *s = skip_spaces(*p);
    if (parse_hhmm(&s, &out->start) || *s++ != '-' || parse_hhmm(&s, &out->end))
        return err_set(e, ERR_INVALID, "periods",
                       "each working period must look like 09:00-12:00 (00:00 to 24:00)");
    if (out->end <= out->start)
        return err_set(e, ERR_INVALID, "periods", "a working period must end after it starts");
    *p = skip_spaces(s);
    return 0;
}

int cal_set_periods(struct cal *c, const char *spec, struct err *e)
{
    struct cal_period tmp[MAX_PERIODS];
    int n = 0;
    const char *p = spec ? spec : "";
    for (;;) {
        if (n == MAX_PERIODS)
            return err_set(e, ERR_INVALID, "periods", "at most %d working periods", MAX_PERIODS);
        if (parse_period(&p, &tmp[n], e))
            return ERR_INVALID;
        if (n > 0 && tmp[n].start < tmp[n - 1].end)
            return err_set(e, ERR_INVALID, "periods",
                           "working periods must be ascending and must not overlap");
        n++;
        if (*p == '\0')
            break;
        if (*p++ != ',')
            return err_set(e, ERR_INVALID, "periods", "working periods are separated by ','");
    }
    memcpy(c->periods, tmp, sizeof tmp);
    c->nperiods = n;
    return 0;
}

void cal_get_periods(const struct cal *c, char *out, size_t n)
{
    char tmp[MAX_PERIODS * 12 + 1] = ""; /* "HH:MM-HH:MM," per period */
    size_t len = 0;
    for (int i = 0; i < c->nperiods; i++) {
        const struct cal_period *pp = &c->periods[i];
        len += (size_t)snprintf(tmp + len, sizeof tmp - len, "%s%02d:%02d-%02d:%02d", i ? "," : "",
                                pp->start / 60, pp->start % 60, pp->end / 60, pp->end % 60);
    }
    if (n > 0)
        str_copy(out, n, tmp);
}

int cal_day_minutes(const struct cal *c)
{
    int sum = 0;
    for (int i = 0; i < c->nperiods; i++)
        sum += c->periods[i].end - c->periods[i].start;
    return sum;
}

/* ---- queries ------------------------------------------------------------ */

void cal_years(const struct cal *c, int *first, int *last)
{
    *first = c->year_first;
    *last = c->year_last;
}

int cal_each_day(const struct cal *c, int (*fn)(void *arg, int64_t day, int kind, const char *name),
                 void *arg)
{
    for (size_t i = 0; i < c->ndays; i++) {
        int rc = fn(arg, c->days[i].day, c->days[i].kind, c->days[i].name);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int cal_is_workday(const struct cal *c, int64_t day)
{
    const struct cal_day *d = find_day(c, day);
    if (d != NULL)
        return d->kind == CAL_WORK;
    return !is_weekend(day);
}

const char *cal_day_name(const struct cal *c, int64_t day)
{
    const struct cal_day *d = find_day(c, day);
    return d ? d->name : NULL;
}

/* ---- arithmetic --------------------------------------------------------- */

int64_t cal_add_workdays(const struct cal *c, int64_t day, int n)
{
    /* Capped: a calendar without working days must not loop forever. */
    for (int scanned = 0; n > 0 && scanned < MAX_SCAN_DAYS; scanned++) {
        day++;
        if (cal_is_workday(c, day))
            n--;
    }
    return day;
}

/* Weekdays (Monday..Friday) among the days [d0, d1), d0 <= d1. */
static int64_t weekdays_between(int64_t d0, int64_t d1)
{
    int64_t n = d1 - d0;
    int64_t count = n / 7 * 5;
    int w = time_weekday(d0);
    for (int64_t i = 0; i < n % 7; i++)
        count += ((w - 1 + i) % 7) < 5;
    return count;
}

/* Working days among the days [d0, d1): weekdays corrected by the special
 * days in that range (O(log n + k), no day-by-day loop). */
static int64_t workdays_between(const struct cal *c, int64_t d0, int64_t d1)
{
    if (d1 <= d0)
        return 0;
    int64_t count = weekdays_between(d0, d1);
    for (size_t i = lower_bound(c, d0); i < c->ndays && c->days[i].day < d1; i++) {
        int weekend = is_weekend(c->days[i].day);
        if (c->days[i].kind == CAL_WORK && weekend)
            count++;
        else if (c->days[i].kind == CAL_OFF && !weekend)
            count--;
    }
    return count;
}

/* Seconds of working periods inside [s0, s1) of one working day. */
static int64_t period_overlap(const struct cal *c, int64_t s0, int64_t s1)
{
    int64_t sum = 0;
    for (int i = 0; i < c->nperiods; i++) {
        int64_t from = c->periods[i].start * 60, to = c->periods[i].end * 60;
        if (from < s0)
            from = s0;
        if (to > s1)
            to = s1;
        if (to > from)
            sum += to - from;
    }
    return sum;
}

int64_t cal_work_minutes_between(const struct cal *c, int64_t a, int64_t b)
{
    int64_t da, sa, db, sb, secs = 0;
    if (b <= a)
        return 0;
    split_local(a, &da, &sa);
    split_local(b, &db, &sb);
    if (da == db)
        return cal_is_workday(c, da) ? period_overlap(c, sa, sb) / 60 : 0;
    if (cal_is_workday(c, da))
        secs += period_overlap(c, sa, DAY_SECS);
    secs += workdays_between(c, da + 1, db) * cal_day_minutes(c) * 60;
    if (cal_is_workday(c, db))
        secs += period_overlap(c, 0, sb);
    return secs / 60;
}

/* Consumes up to *need working seconds from second `sod` of a working day.
 * Returns 1 and the second of the day reached in *at when *need is used up
 * that day; otherwise subtracts what the day offered from *need and returns 0. */
static int consume_day(const struct cal *c, int64_t sod, int64_t *need, int64_t *at)
{
    for (int i = 0; i < c->nperiods; i++) {
        int64_t from = c->periods[i].start * 60, to = c->periods[i].end * 60;
        if (to <= sod)
            continue;
        if (from < sod)
            from = sod;
        if (*need <= to - from) {
            *at = from + *need;
            return 1;
        }
        *need -= to - from;
    }
    return 0;
}

int64_t cal_add_work_minutes(const struct cal *c, int64_t t, int64_t minutes)
{
    int64_t day, sod, at;
    if (minutes <= 0)
        return t;
    if (minutes > (int64_t)MAX_SCAN_DAYS * 1440)
        minutes = (int64_t)MAX_SCAN_DAYS * 1440; /* more than the cap can reach anyway */
    int64_t need = minutes * 60, day_secs = (int64_t)cal_day_minutes(c) * 60;
    split_local(t, &day, &sod);
    for (int scanned = 0; scanned < MAX_SCAN_DAYS; scanned++, day++, sod = 0) {
        if (!cal_is_workday(c, day))
            continue;
        if (sod == 0 && need > day_secs) {
            need -= day_secs; /* a whole working day */
            continue;
        }
        if (consume_day(c, sod, &need, &at))
            return local_instant(day, at);
    }
    return local_instant(day, 0); /* the cap was reached */
}

/* End of the last working period of day, as an instant. */
static int64_t day_end(const struct cal *c, int64_t day)
{
    return local_instant(day, (int64_t)c->periods[c->nperiods - 1].end * 60);
}

/* CAL_WD deadline: see cal_deadline in cal.h. */
static int64_t deadline_wd(const struct cal *c, int64_t start, int64_t amount)
{
    int64_t day, sod;
    split_local(start, &day, &sod);
    if (amount > 0)
        return day_end(c, cal_add_workdays(c, day, (int)amount));
    if (cal_is_workday(c, day) && start < day_end(c, day))
        return day_end(c, day);
    return day_end(c, cal_add_workdays(c, day, 1));
}

int64_t cal_deadline(const struct cal *c, int64_t start, struct cal_span span)
{
    int64_t amount = span.amount < 0 ? 0 : span.amount;
    switch (span.unit) {
    case CAL_WH:
        return cal_add_work_minutes(c, start, amount);
    case CAL_WD:
        return deadline_wd(c, start, amount > MAX_SCAN_DAYS ? MAX_SCAN_DAYS : amount);
    case CAL_H:
        return start + (amount > MAX_SPAN_MIN ? MAX_SPAN_MIN : amount) * 60;
    default:
        return start; /* an unknown unit: due at once */
    }
}

/* ---- spans -------------------------------------------------------------- */

/* The span suffixes: unit, minutes (or days) per 1, decimals allowed. */
static const struct span_unit {
    const char *suffix; /* text after the number */
    int unit;           /* enum cal_unit */
    int scale;          /* amount per 1 of the number */
    int decimal;        /* 1 if "0.5" is allowed (result must be whole minutes) */
} span_units[] = {
    {"wh", CAL_WH, 60, 1}, {"wm", CAL_WH, 1, 0}, {"wd", CAL_WD, 1, 0},
    {"h", CAL_H, 60, 1},   {"m", CAL_H, 1, 0},
};

/* Parses "123" or "1.25" at *p: *whole, *frac (as digits) and *fdigits. */
static int parse_number(const char **p, int64_t *whole, int64_t *frac, int *fdigits)
{
    const char *s = *p;
    int n = 0;
    *whole = *frac = 0;
    *fdigits = 0;
    for (; *s >= '0' && *s <= '9'; s++, n++)
        if (n < 10)
            *whole = *whole * 10 + (*s - '0');
    if (n == 0 || n > 9)
        return ERR_INVALID;
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++, (*fdigits)++)
            if (*fdigits < 6)
                *frac = *frac * 10 + (*s - '0');
        if (*fdigits == 0 || *fdigits > 6)
            return ERR_INVALID;
    }
    *p = s;
    return 0;
}

int cal_span_parse(const char *s, struct cal_span *out)
{
    int64_t whole, frac, pow10 = 1;
    int fdigits;
    if (s == NULL || parse_number(&s, &whole, &frac, &fdigits))
        return ERR_INVALID;
    for (int i = 0; i < fdigits; i++)
        pow10 *= 10;
    for (size_t i = 0; i < ARRAY_SIZE(span_units); i++) {
        const struct span_unit *u = &span_units[i];
        if (strcmp(s, u->suffix) != 0)
            continue;
        if ((fdigits && !u->decimal) || (frac * u->scale) % pow10 != 0)
            return ERR_INVALID;
        int64_t amount = whole * u->scale + frac * u->scale / pow10;
        if (amount > (u->unit == CAL_WD ? MAX_SPAN_DAYS : MAX_SPAN_MIN))
            return ERR_INVALID;
        *out = (struct cal_span){u->unit, amount};
        return 0;
    }
    return ERR_INVALID;
}

void cal_span_format(struct cal_span s, char *out, size_t n)
{
    char tmp[48] = "";
    long long a = (long long)s.amount;
    if (s.unit == CAL_WD)
        snprintf(tmp, sizeof tmp, "%lldwd", a);
    else if (s.unit == CAL_WH)
        snprintf(tmp, sizeof tmp, a % 60 ? "%lldwm" : "%lldwh", a % 60 ? a : a / 60);
    else if (s.unit == CAL_H)
        snprintf(tmp, sizeof tmp, a % 60 ? "%lldm" : "%lldh", a % 60 ? a : a / 60);
    if (n > 0)
        str_copy(out, n, tmp);
}

/* ---- loading holiday text ----------------------------------------------- */

/* One parsed day line of holiday text. */
struct load_entry {
    int64_t day; /* day number */
    int kind;    /* CAL_OFF or CAL_WORK */
    char *name;  /* owned; NULL when the line has no name */
    int line;    /* 1-based line number, for messages */
};

/* State of one cal_load_text call. */
struct loader {
    struct load_entry *v; /* parsed day lines */
    size_t n;             /* entries used */
    size_t cap;           /* entries allocated */
    int first, last;      /* declared years, 0 when no "years" line */
    int years_line;       /* line of the "years" line, 0 when none */
};

static void loader_free(struct loader *ld)
{
    for (size_t i = 0; i < ld->n; i++)
        xfree(ld->v[i].name);
    xfree(ld->v);
}

/* Splits the next whitespace-separated token off [*p, end) into tok (size
 * tsz); returns its length (0 when none; tok is truncated if too long). */
static size_t next_token(const char **p, const char *end, char *tok, size_t tsz)
{
    const char *s = *p;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    const char *b = s;
    while (s < end && *s != ' ' && *s != '\t')
        s++;
    size_t len = (size_t)(s - b);
    size_t k = len < tsz - 1 ? len : tsz - 1;
    memcpy(tok, b, k);
    tok[k] = '\0';
    *p = s;
    return len;
}

/* Parses a 4-digit year token; 0 or ERR_INVALID. */
static int parse_year(const char *tok, int *year)
{
    int64_t v;
    if (strlen(tok) != 4 || str_to_i64(tok, &v) || v < MIN_YEAR || v > MAX_YEAR)
        return ERR_INVALID;
    *year = (int)v;
    return 0;
}

/* Parses "years YYYY YYYY" (after the keyword) at [p, end). */
static int load_years(struct loader *ld, const char *p, const char *end, int line, struct err *e)
{
    char a[16], b[16], extra[4];
    int first, last;
    if (ld->years_line)
        return err_set(e, ERR_INVALID, "holidays",
                       "line %d: second 'years' line (first on line %d)", line, ld->years_line);
    next_token(&p, end, a, sizeof a);
    next_token(&p, end, b, sizeof b);
    if (parse_year(a, &first) || parse_year(b, &last) || first > last ||
        next_token(&p, end, extra, sizeof extra) != 0)
        return err_set(e, ERR_INVALID, "holidays",
                       "line %d: expected 'years FIRST LAST' with 4-digit years, FIRST <= LAST",
                       line);
    ld->first = first;
    ld->last = last;
    ld->years_line = line;
    return 0;
}

/* Returns the festival name: the rest of [p, end) trimmed, "" when none. */
static void rest_of_line(const char *p, const char *end, char *out, size_t n)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    size_t len = (size_t)(end - p);
    if (len >= n)
        len = n - 1;
    memcpy(out, p, len);
    out[len] = '\0';
}

static int parse_kind(const char *tok)
{
    return strcmp(tok, "off") == 0 ? CAL_OFF : strcmp(tok, "work") == 0 ? CAL_WORK : 0;
}

/* Parses "YYYY-MM-DD off|work [NAME]" where `date` is the first token. */
static int load_day(struct loader *ld, const char *date, const char *p, const char *end, int line,
                    struct err *e)
{
    char kind_tok[16], name[MAX_NAME + 2];
    int64_t day;
    if (time_parse_date(date, &day))
        return err_set(e, ERR_INVALID, "holidays", "line %d: bad date '%s' (want YYYY-MM-DD)", line,
                       date);
    next_token(&p, end, kind_tok, sizeof kind_tok);
    int kind = parse_kind(kind_tok);
    if (kind == 0)
        return err_set(e, ERR_INVALID, "holidays",
                       "line %d: kind must be 'off' or 'work', got '%s'", line, kind_tok);
    rest_of_line(p, end, name, sizeof name);
    if (strlen(name) > MAX_NAME || !utf8_valid(name, strlen(name)))
        return err_set(e, ERR_INVALID, "holidays",
                       "line %d: the name must be valid UTF-8 of at most %d bytes", line, MAX_NAME);
    if (ld->n == ld->cap) {
        ld->cap = ld->cap ? ld->cap * 2 : 64;
        ld->v = xrealloc(ld->v, ld->cap * sizeof *ld->v);
    }
    ld->v[ld->n++] = (struct load_entry){day, kind, name[0] ? xstrdup(name) : NULL, line};
    return 0;
}

/* Parses one line of n bytes at p (without its newline). */
static int load_line(struct loader *ld, const char *p, size_t n, int line, struct err *e)
{
    char tok[16];
    if (n > 0 && p[n - 1] == '\r')
        n--;
    if (memchr(p, '\0', n) != NULL)
        return err_set(e, ERR_INVALID, "holidays", "line %d: NUL byte", line);
    const char *end = p + n;
    size_t len = next_token(&p, end, tok, sizeof tok);
    if (len == 0 || tok[0] == '#')
        return 0;
    if (strcmp(tok, "years") == 0)
        return load_years(ld, p, end, line, e);
    if (len != 10 || tok[0] < '0' || tok[0] > '9')
        return err_set(e, ERR_INVALID, "holidays",
                       "line %d: expected 'YYYY-MM-DD off|work NAME' or 'years FIRST LAST'", line);
    return load_day(ld, tok, p, end, line, e);
}

static int entry_cmp(const void *a, const void *b)
{
    const struct load_entry *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return x->line - y->line;
}

/* Checks the parsed entries (sorted): no day twice, all inside the declared years. */
static int load_check(const struct loader *ld, struct err *e)
{
    char date[11];
    for (size_t i = 0; i < ld->n; i++) {
        const struct load_entry *x = &ld->v[i];
        int y = year_of(x->day);
        time_format_date(x->day, date);
        if (i > 0 && ld->v[i - 1].day == x->day)
            return err_set(e, ERR_INVALID, "holidays", "line %d: %s already listed on line %d",
                           x->line, date, ld->v[i - 1].line);
        if (ld->years_line && (y < ld->first || y > ld->last))
            return err_set(e, ERR_INVALID, "holidays",
                           "line %d: %s is outside the declared years %d-%d", x->line, date,
                           ld->first, ld->last);
    }
    return 0;
}

/* Merges the checked entries into c (a new entry replaces an old one). */
static void load_apply(struct cal *c, struct loader *ld)
{
    for (size_t i = 0; i < ld->n; i++) {
        struct load_entry *x = &ld->v[i];
        cal_set_day(c, x->day, x->kind, x->name); /* cannot fail: checked */
    }
    if (ld->years_line)
        widen_years(c, ld->first, ld->last);
}

int cal_load_text(struct cal *c, const char *text, size_t n, struct err *e)
{
    struct loader ld = {0};
    const char *p = text, *end = text + n;
    int rc = 0, line = 0;
    while (p < end && rc == 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        rc = load_line(&ld, p, len, ++line, e);
        p = nl ? nl + 1 : end;
    }
    if (rc == 0) {
        if (ld.n > 0) /* no day lines: ld.v is NULL, which qsort may not be given */
            qsort(ld.v, ld.n, sizeof *ld.v, entry_cmp);
        rc = load_check(&ld, e);
    }
    if (rc == 0)
        load_apply(c, &ld);
    loader_free(&ld);
    return rc;
}
