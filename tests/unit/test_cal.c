/*
 * test_cal.c - unit tests of cal/ (working calendar, deadlines, spans).
 *
 * Loads the real data/holidays.txt (directory from CHUISHAO_DATA_DIR, default
 * "data"). Expected dates were worked out by hand from the State Council
 * notices; each is explained next to the assertion.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cal/cal.h"

static char *g_text;      /* contents of holidays.txt */
static size_t g_len;      /* its length */
static struct cal *g_cal; /* calendar loaded from it, default periods */

/* ---- helpers ------------------------------------------------------------ */

static int64_t D(const char *s)
{
    int64_t d = 0;
    assert_int_equal(time_parse_date(s, &d), 0);
    return d;
}

/* An instant from "YYYY-MM-DDTHH:MM[:SS]" China time. */
static int64_t T(const char *s)
{
    int64_t t = 0;
    assert_int_equal(time_parse_iso(s, &t), 0);
    return t;
}

/* Asserts that instant got is the China-time instant want (readable on failure). */
static void assert_at(int64_t got, const char *want)
{
    char g[32], w[32];
    time_format_iso(got, g);
    time_format_iso(T(want), w);
    assert_string_equal(g, w);
}

static void assert_day(int64_t got, const char *want)
{
    char g[16];
    time_format_date(got, g);
    assert_string_equal(g, want);
}

/* A new calendar loaded with the real holiday data. */
static struct cal *load_real(void)
{
    struct err e = {0};
    struct cal *c = cal_new();
    assert_int_equal(cal_load_text(c, g_text, g_len, &e), 0);
    return c;
}

static int read_file(const char *path, char **text, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    size_t cap = 1 << 16, n = 0, k;
    char *p = malloc(cap);
    while (p && (k = fread(p + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap)
            p = realloc(p, cap *= 2);
    }
    fclose(f);
    *text = p;
    *len = n;
    return p ? 0 : -1;
}

static int group_setup(void **state)
{
    (void)state;
    const char *dir = getenv("CHUISHAO_DATA_DIR");
    char path[512];
    struct err e = {0};
    snprintf(path, sizeof path, "%s/holidays.txt", dir && *dir ? dir : "data");
    if (read_file(path, &g_text, &g_len) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        return -1;
    }
    g_cal = cal_new();
    if (cal_load_text(g_cal, g_text, g_len, &e) != 0) {
        fprintf(stderr, "%s: %s\n", path, e.msg);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    cal_free(g_cal);
    free(g_text);
    return 0;
}

/* ---- the data file ------------------------------------------------------ */

struct scan {
    int64_t prev;  /* previous day seen */
    int count;     /* days seen */
    int bad_order; /* days not ascending */
    int bad_kind;  /* "off" on a weekend or "work" on a weekday */
};

static int scan_day(void *arg, int64_t day, int kind, const char *name)
{
    struct scan *s = arg;
    int weekend = time_weekday(day) >= 6;
    s->bad_order += s->count > 0 && day <= s->prev;
    s->bad_kind += (kind == CAL_OFF) == weekend;
    s->bad_kind += name == NULL;
    s->prev = day;
    s->count++;
    return 0;
}

/* The file loads, covers 2019-2026, every listed rest day is a weekday and
 * every make-up day a weekend day, and every day line became one entry. */
static void test_data_file(void **state)
{
    (void)state;
    int first, last, lines = 0;
    struct scan s = {0};
    cal_years(g_cal, &first, &last);
    assert_int_equal(first, 2019);
    assert_int_equal(last, 2026);
    for (size_t i = 0; i < g_len; i++)
        lines += (i == 0 || g_text[i - 1] == '\n') && g_text[i] >= '0' && g_text[i] <= '9';
    assert_int_equal(cal_each_day(g_cal, scan_day, &s), 0);
    assert_int_equal(s.count, lines);
    assert_true(lines > 150);
    assert_int_equal(s.bad_order, 0);
    assert_int_equal(s.bad_kind, 0);
}

static int stop_at_third(void *arg, int64_t day, int kind, const char *name)
{
    (void)day, (void)kind, (void)name;
    return ++*(int *)arg == 3 ? 42 : 0;
}

static void test_each_day_stops(void **state)
{
    (void)state;
    int n = 0;
    assert_int_equal(cal_each_day(g_cal, stop_at_third, &n), 42);
    assert_int_equal(n, 3);
}

/* ---- is_workday --------------------------------------------------------- */

static void test_weekends(void **state)
{
    (void)state;
    assert_false(cal_is_workday(g_cal, D("2024-03-09"))); /* Saturday */
    assert_false(cal_is_workday(g_cal, D("2024-03-10"))); /* Sunday */
    assert_true(cal_is_workday(g_cal, D("2024-03-11")));  /* Monday */
    assert_true(cal_is_workday(g_cal, D("2024-03-08")));  /* Friday */
    /* 2020-02-01 (Sat) was a make-up day, cancelled by the COVID extension. */
    assert_false(cal_is_workday(g_cal, D("2020-02-01")));
    assert_false(cal_is_workday(g_cal, D("2020-02-02"))); /* plain Sunday */
    assert_true(cal_is_workday(g_cal, D("2020-02-03")));  /* first day back */
    /* Outside the data: plain weekday/weekend rule. */
    assert_true(cal_is_workday(g_cal, D("2030-01-07")));  /* Monday */
    assert_false(cal_is_workday(g_cal, D("2030-01-05"))); /* Saturday */
}

static void test_weekday_holidays(void **state)
{
    (void)state;
    assert_false(cal_is_workday(g_cal, D("2020-10-08"))); /* Thursday, 国庆 */
    assert_false(cal_is_workday(g_cal, D("2019-10-07"))); /* Monday, 国庆 */
    assert_false(cal_is_workday(g_cal, D("2020-01-31"))); /* Friday, COVID extension */
    assert_false(cal_is_workday(g_cal, D("2025-10-06"))); /* Monday, 中秋 */
    assert_false(cal_is_workday(g_cal, D("2026-01-02"))); /* Friday, 元旦 */
    assert_false(cal_is_workday(g_cal, D("2023-09-29"))); /* Friday, 中秋 */
    /* 2024-02-09 (除夕, Friday) was not a statutory rest day in 2024. */
    assert_true(cal_is_workday(g_cal, D("2024-02-09")));
    assert_true(cal_is_workday(g_cal, D("2019-10-08"))); /* Tuesday after 国庆 */
}

static void test_makeup_days(void **state)
{
    (void)state;
    assert_true(cal_is_workday(g_cal, D("2020-01-19")));  /* Sunday */
    assert_true(cal_is_workday(g_cal, D("2026-01-04")));  /* Sunday */
    assert_true(cal_is_workday(g_cal, D("2019-02-02")));  /* Saturday */
    assert_true(cal_is_workday(g_cal, D("2022-10-08")));  /* Saturday */
    assert_true(cal_is_workday(g_cal, D("2024-02-18")));  /* Sunday */
    assert_true(cal_is_workday(g_cal, D("2025-02-08")));  /* Saturday */
    assert_false(cal_is_workday(g_cal, D("2025-02-09"))); /* the Sunday after: rest */
}

static void test_day_name(void **state)
{
    (void)state;
    assert_string_equal(cal_day_name(g_cal, D("2020-01-24")), "春节");
    assert_string_equal(cal_day_name(g_cal, D("2019-10-12")), "国庆节");
    assert_string_equal(cal_day_name(g_cal, D("2025-10-06")), "中秋");
    assert_null(cal_day_name(g_cal, D("2024-03-05")));
}

/* ---- add_workdays ------------------------------------------------------- */

static void test_add_workdays(void **state)
{
    (void)state;
    /* 2020-09-30 Wed; 10-01..10-08 rest (10-03/04 weekend), 10-09 Fri works. */
    assert_day(cal_add_workdays(g_cal, D("2020-09-30"), 1), "2020-10-09");
    /* then 10-10 is a make-up Saturday */
    assert_day(cal_add_workdays(g_cal, D("2020-09-30"), 2), "2020-10-10");
    /* 10-11 Sunday rests, 10-12 Monday */
    assert_day(cal_add_workdays(g_cal, D("2020-09-30"), 3), "2020-10-12");
    /* 2019-09-30 Mon: 10-01..04 off, 10-05/06 weekend, 10-07 off -> Tue 10-08 */
    assert_day(cal_add_workdays(g_cal, D("2019-09-30"), 1), "2019-10-08");
    /* 2019-09-27 Fri: Saturday rests, Sunday 09-29 is a make-up day */
    assert_day(cal_add_workdays(g_cal, D("2019-09-27"), 1), "2019-09-29");
    /* 2020-01-23 Thu: 01-24..02-02 all rest (extension) -> Mon 02-03 */
    assert_day(cal_add_workdays(g_cal, D("2020-01-23"), 1), "2020-02-03");
    /* 2020-01-17 Fri: Saturday rests, Sunday 01-19 is a make-up day */
    assert_day(cal_add_workdays(g_cal, D("2020-01-17"), 1), "2020-01-19");
    /* 2024-02-09 Fri: 02-10/11 weekend, 02-12..16 off, 02-17 Sat, 02-18 Sun works */
    assert_day(cal_add_workdays(g_cal, D("2024-02-09"), 1), "2024-02-18");
    /* 2025-01-27 Mon: 01-28..31 off, 02-01/02 weekend, 02-03/04 off -> Wed 02-05 */
    assert_day(cal_add_workdays(g_cal, D("2025-01-27"), 1), "2025-02-05");
    /* two plain weeks: Mon 2024-03-04 + 10 -> Mon 2024-03-18 */
    assert_day(cal_add_workdays(g_cal, D("2024-03-04"), 10), "2024-03-18");
}

static void test_add_workdays_zero(void **state)
{
    (void)state;
    assert_day(cal_add_workdays(g_cal, D("2020-10-01"), 0), "2020-10-01"); /* even a holiday */
    assert_day(cal_add_workdays(g_cal, D("2024-03-05"), 0), "2024-03-05");
    assert_day(cal_add_workdays(g_cal, D("2024-03-05"), -3), "2024-03-05");
}

/* ---- working-hour deadlines (default 09:00-12:00, 14:00-18:00) ---------- */

static void test_wh_default(void **state)
{
    (void)state;
    /* inside a period: Tue 10:00 + 60 min */
    assert_at(cal_add_work_minutes(g_cal, T("2024-03-05T10:00"), 60), "2024-03-05T11:00");
    /* 10:00 + 4h: 2h until 12:00, 2h from 14:00 */
    assert_at(cal_add_work_minutes(g_cal, T("2024-03-05T10:00"), 240), "2024-03-05T16:00");
    /* ending exactly at a period end stays at 12:00 */
    assert_at(cal_add_work_minutes(g_cal, T("2024-03-05T10:00"), 120), "2024-03-05T12:00");
    /* lunch break: counting starts at 14:00 */
    assert_at(cal_add_work_minutes(g_cal, T("2024-03-05T12:30"), 60), "2024-03-05T15:00");
    /* before opening: counting starts at 09:00 */
    assert_at(cal_add_work_minutes(g_cal, T("2024-03-05T07:00"), 30), "2024-03-05T09:30");
    /* after closing: next morning */
    assert_at(cal_add_work_minutes(g_cal, T("2024-03-05T19:00"), 120), "2024-03-06T11:00");
    /* Friday 17:00 + 2h: 1h on Friday, 1h on Monday */
    assert_at(cal_add_work_minutes(g_cal, T("2024-03-08T17:00"), 120), "2024-03-11T10:00");
    /* seconds are kept: 30 s before noon, 30 s after 14:00 */
    assert_at(cal_add_work_minutes(g_cal, T("2024-03-05T11:59:30"), 1), "2024-03-05T14:00:30");
    /* zero minutes: the start itself, even outside working time */
    assert_at(cal_add_work_minutes(g_cal, T("2024-03-09T03:00"), 0), "2024-03-09T03:00");
}

static void test_wh_holidays(void **state)
{
    (void)state;
    /* Mon 2024-09-30 17:00 + 2h: 1h, then 10-01..10-07 rest, Tue 10-08 10:00 */
    assert_at(cal_add_work_minutes(g_cal, T("2024-09-30T17:00"), 120), "2024-10-08T10:00");
    /* Thu 2020-01-23 16:00 + 4h: 2h, then rest until Mon 02-03, 2h -> 11:00 */
    assert_at(cal_add_work_minutes(g_cal, T("2020-01-23T16:00"), 240), "2020-02-03T11:00");
    /* Sat 2024-02-03 17:00 + 1h: Sunday 02-04 is a make-up day */
    assert_at(cal_add_work_minutes(g_cal, T("2024-02-03T17:00"), 60), "2024-02-04T10:00");
}

static void test_wh_many_days(void **state)
{
    (void)state;
    /* 35h = five 7h days: Mon 2024-03-04 09:00 -> Fri 18:00 */
    assert_at(cal_add_work_minutes(g_cal, T("2024-03-04T09:00"), 35 * 60), "2024-03-08T18:00");
    /* one more hour rolls over the weekend */
    assert_at(cal_add_work_minutes(g_cal, T("2024-03-04T09:00"), 36 * 60), "2024-03-11T10:00");
    /* Thu 2024-02-08 09:00: 14h = Thu + Fri; the 15th hour is on Sun 02-18 */
    assert_at(cal_add_work_minutes(g_cal, T("2024-02-08T09:00"), 14 * 60), "2024-02-09T18:00");
    assert_at(cal_add_work_minutes(g_cal, T("2024-02-08T09:00"), 15 * 60), "2024-02-18T10:00");
}

static void test_wh_custom_periods(void **state)
{
    (void)state;
    struct err e = {0};
    struct cal *c = load_real();
    assert_int_equal(cal_set_periods(c, "08:30-12:00,14:30-18:00", &e), 0);
    assert_int_equal(cal_day_minutes(c), 420);
    /* 11:00 + 2h: 1h to 12:00, 1h from 14:30 */
    assert_at(cal_add_work_minutes(c, T("2024-03-05T11:00"), 120), "2024-03-05T15:30");
    /* 08:00 + 30 min: from 08:30 */
    assert_at(cal_add_work_minutes(c, T("2024-03-05T08:00"), 30), "2024-03-05T09:00");
    /* 17:30 + 1h: 30 min today, 30 min from 08:30 tomorrow */
    assert_at(cal_add_work_minutes(c, T("2024-03-05T17:30"), 60), "2024-03-06T09:00");
    /* a round-the-clock period: Fri 00:00 + 24h ends at midnight */
    assert_int_equal(cal_set_periods(c, "00:00-24:00", &e), 0);
    assert_at(cal_add_work_minutes(c, T("2024-03-08T00:00"), 1440), "2024-03-09T00:00");
    assert_at(cal_add_work_minutes(c, T("2024-03-08T00:00"), 1441), "2024-03-11T00:01");
    cal_free(c);
}

/* ---- cal_deadline ------------------------------------------------------- */

static void test_deadline_wd(void **state)
{
    (void)state;
    struct cal_span wd = {CAL_WD, 3};
    /* Tue 2024-03-05 + 3 working days = Fri 03-08, end of its working time */
    assert_at(cal_deadline(g_cal, T("2024-03-05T10:00"), wd), "2024-03-08T18:00");
    /* Fri 2024-09-27 + 1: Sunday 09-29 is a make-up day */
    wd.amount = 1;
    assert_at(cal_deadline(g_cal, T("2024-09-27T10:00"), wd), "2024-09-29T18:00");
    /* + 3: 09-29, 09-30, then 10-01..10-07 rest -> 10-08 */
    wd.amount = 3;
    assert_at(cal_deadline(g_cal, T("2024-09-27T10:00"), wd), "2024-10-08T18:00");
    /* started on a holiday: 2020-10-01 + 1 -> Fri 10-09 */
    wd.amount = 1;
    assert_at(cal_deadline(g_cal, T("2020-10-01T10:00"), wd), "2020-10-09T18:00");
}

static void test_deadline_wd_zero(void **state)
{
    (void)state;
    struct cal_span wd = {CAL_WD, 0};
    /* same working day */
    assert_at(cal_deadline(g_cal, T("2024-03-05T10:00"), wd), "2024-03-05T18:00");
    /* after closing: the next working day, never before the start */
    assert_at(cal_deadline(g_cal, T("2024-03-05T19:00"), wd), "2024-03-06T18:00");
    /* on a Saturday: Monday */
    assert_at(cal_deadline(g_cal, T("2024-03-09T11:00"), wd), "2024-03-11T18:00");
}

static void test_deadline_wd_custom(void **state)
{
    (void)state;
    struct err e = {0};
    struct cal *c = load_real();
    struct cal_span wd = {CAL_WD, 1};
    assert_int_equal(cal_set_periods(c, "08:30-12:00,14:30-17:30", &e), 0);
    assert_at(cal_deadline(c, T("2024-03-05T10:00"), wd), "2024-03-06T17:30");
    cal_free(c);
}

static void test_deadline_wh_and_h(void **state)
{
    (void)state;
    struct cal_span wh = {CAL_WH, 240}, h = {CAL_H, 90};
    assert_at(cal_deadline(g_cal, T("2024-03-05T10:00"), wh), "2024-03-05T16:00");
    /* continuous: holidays do not matter */
    assert_at(cal_deadline(g_cal, T("2024-10-01T10:00"), h), "2024-10-01T11:30");
    h.amount = 120;
    assert_at(cal_deadline(g_cal, T("2024-03-08T23:00"), h), "2024-03-09T01:00");
    h.amount = 0;
    assert_at(cal_deadline(g_cal, T("2024-03-08T23:00"), h), "2024-03-08T23:00");
}

/* ---- cal_work_minutes_between ------------------------------------------- */

static void test_between(void **state)
{
    (void)state;
    struct cal *c = g_cal;
    assert_int_equal(cal_work_minutes_between(c, T("2024-03-05T09:10"), T("2024-03-05T10:00")), 50);
    /* across lunch: 11-12 and 14-15 */
    assert_int_equal(cal_work_minutes_between(c, T("2024-03-05T11:00"), T("2024-03-05T15:00")),
                     120);
    assert_int_equal(cal_work_minutes_between(c, T("2024-03-05T12:00"), T("2024-03-05T14:00")), 0);
    /* across a weekend: Fri 17-18 and Mon 9-10 */
    assert_int_equal(cal_work_minutes_between(c, T("2024-03-08T17:00"), T("2024-03-11T10:00")),
                     120);
    /* across National Day 2024: only 09-30 counts */
    assert_int_equal(cal_work_minutes_between(c, T("2024-09-30T09:00"), T("2024-10-08T09:00")),
                     420);
    /* a rest day only */
    assert_int_equal(cal_work_minutes_between(c, T("2024-03-09T09:00"), T("2024-03-09T18:00")), 0);
    /* whole minutes only */
    assert_int_equal(
        cal_work_minutes_between(c, T("2024-03-05T09:00:30"), T("2024-03-05T09:01:29")), 0);
    assert_int_equal(
        cal_work_minutes_between(c, T("2024-03-05T09:00:30"), T("2024-03-05T09:01:30")), 1);
    /* b <= a */
    assert_int_equal(cal_work_minutes_between(c, T("2024-03-05T15:00"), T("2024-03-05T11:00")), 0);
    assert_int_equal(cal_work_minutes_between(c, T("2024-03-05T11:00"), T("2024-03-05T11:00")), 0);
}

/* 2024 by hand: 366 days from Monday 01-01 = 52 weeks + Mon, Tue, so 262
 * weekdays; 19 weekday holidays (1 + 5 + 2 + 3 + 1 + 2 + 5) and 8 make-up
 * days -> 251 working days of 7 hours. */
static void test_between_year(void **state)
{
    (void)state;
    int64_t got = cal_work_minutes_between(g_cal, T("2024-01-01T00:00"), T("2025-01-01T00:00"));
    assert_int_equal(got, 251 * 420);
}

/* Every year: the closed-form count agrees with a day-by-day count. */
static void test_between_matches_daily_count(void **state)
{
    (void)state;
    char a[32], b[32];
    for (int y = 2018; y <= 2027; y++) {
        int64_t d0, d1, days = 0;
        snprintf(a, sizeof a, "%d-01-01", y);
        snprintf(b, sizeof b, "%d-01-01", y + 1);
        d0 = D(a);
        d1 = D(b);
        for (int64_t d = d0; d < d1; d++)
            days += cal_is_workday(g_cal, d);
        assert_int_equal(cal_work_minutes_between(g_cal, T(a), T(b)), days * 420);
        assert_in_range(days, 240, 262);
    }
}

/* ---- consistency ---------------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Reference: minute by minute with the default periods. */
static int64_t naive_add(const struct cal *c, int64_t t, int64_t m)
{
    while (m > 0) {
        int64_t local = t + TIME_CN_OFFSET, day = local / 86400, min = local % 86400 / 60;
        int in = (min >= 540 && min < 720) || (min >= 840 && min < 1080);
        if (in && cal_is_workday(c, day))
            m--;
        t += 60;
    }
    return t;
}

static void test_add_between_consistent(void **state)
{
    (void)state;
    int64_t lo = T("2019-01-01T00:00"), span = T("2026-12-01T00:00") - lo;
    for (int i = 0; i < 3000; i++) {
        int64_t t = lo + (int64_t)(rng() % (uint64_t)span);
        int64_t m = (int64_t)(rng() % 20000);
        int64_t r = cal_add_work_minutes(g_cal, t, m);
        assert_true(r >= t);
        assert_int_equal(cal_work_minutes_between(g_cal, t, r), m);
    }
}

static void test_add_matches_naive(void **state)
{
    (void)state;
    int64_t lo = T("2019-01-01T00:00"), span = T("2026-12-01T00:00") - lo;
    for (int i = 0; i < 300; i++) {
        int64_t t = lo + (int64_t)(rng() % (uint64_t)span) / 60 * 60; /* whole minutes */
        int64_t m = 1 + (int64_t)(rng() % 1500);
        assert_int_equal(cal_add_work_minutes(g_cal, t, m), naive_add(g_cal, t, m));
    }
}

/* ---- building errors ---------------------------------------------------- */

static void test_set_periods(void **state)
{
    (void)state;
    struct err e = {0};
    char out[128];
    struct cal *c = cal_new();
    cal_get_periods(c, out, sizeof out);
    assert_string_equal(out, "09:00-12:00,14:00-18:00");
    assert_int_equal(cal_day_minutes(c), 420);
    assert_int_equal(cal_set_periods(c, " 08:00-12:00 , 13:30-17:30", &e), 0);
    cal_get_periods(c, out, sizeof out);
    assert_string_equal(out, "08:00-12:00,13:30-17:30");
    assert_int_equal(cal_day_minutes(c), 480);
    assert_int_equal(cal_set_periods(c,
                                     "01:00-02:00,03:00-04:00,05:00-06:00,07:00-08:00,"
                                     "09:00-10:00,11:00-12:00,13:00-14:00,15:00-24:00",
                                     &e),
                     0);
    assert_int_equal(cal_day_minutes(c), 7 * 60 + 9 * 60);
    cal_get_periods(c, out, 12);
    assert_string_equal(out, "01:00-02:00"); /* truncated, NUL-terminated */
    cal_free(c);
}

static void test_set_periods_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "09:00-12:00,11:00-13:00", /* overlap */
        "12:00-09:00",             /* end before start */
        "09:00-09:00",             /* empty */
        "garbage",
        "",
        "09:00-12:00,",
        "9:00-12:00",
        "09:00-24:01",
        "25:00-26:00",
        "09:60-10:00",
        "14:00-18:00,09:00-12:00", /* not ascending */
        "09:00-12:00;14:00-18:00",
        "00:00-01:00,01:00-02:00,02:00-03:00,03:00-04:00,04:00-05:00,05:00-06:00,06:00-07:00,"
        "07:00-08:00,08:00-09:00", /* 9 periods */
    };
    struct cal *c = cal_new();
    char out[128];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct err e = {0};
        assert_int_equal(cal_set_periods(c, bad[i], &e), ERR_INVALID);
        assert_int_equal(e.code, ERR_INVALID);
        assert_string_equal(e.field, "periods");
        assert_true(e.msg[0] != '\0');
        cal_get_periods(c, out, sizeof out);
        assert_string_equal(out, "09:00-12:00,14:00-18:00");
    }
    cal_free(c);
}

/* Loads text that must fail with a message starting "line N:", and checks
 * the calendar did not change. */
static void expect_load_error(const char *text, int line)
{
    struct err e = {0};
    struct cal *c = load_real();
    char prefix[32];
    int first, last;
    assert_int_equal(cal_load_text(c, text, strlen(text), &e), ERR_INVALID);
    snprintf(prefix, sizeof prefix, "line %d:", line);
    assert_memory_equal(e.msg, prefix, strlen(prefix));
    cal_years(c, &first, &last);
    assert_int_equal(first, 2019);
    assert_int_equal(last, 2026);
    assert_true(cal_is_workday(c, D("2030-01-07")));  /* Monday, not marked off */
    assert_false(cal_is_workday(c, D("2030-01-05"))); /* Saturday, not marked work */
    assert_false(cal_is_workday(c, D("2020-10-08"))); /* old data kept */
    assert_null(cal_day_name(c, D("2030-01-07")));
    cal_free(c);
}

static void test_load_errors(void **state)
{
    (void)state;
    expect_load_error("years 2019 2030\n2030-01-07 off X\n2030-13-01 off Y\n", 3);
    expect_load_error("2030-01-07 off X\n\n2030-01-08 holiday Y\n", 3);
    expect_load_error("# comment\nhello world\n", 2);
    expect_load_error("2030-01-05 work A\n2030-01-07 off X\n2030-01-07 work Y\n", 3);
    expect_load_error("years 2030 2030\n2031-01-01 off X\n", 2);
    expect_load_error("years 2031 2030\n", 1);
    expect_load_error("years 2030\n", 1);
    expect_load_error("2030-01-07 off X\nyears 2030 2030\nyears 2030 2031\n", 3);
    expect_load_error("2030-01-07\n", 1);
    expect_load_error("2030-1-7 off X\n", 1);
    expect_load_error("2030-02-29 off X\n", 1);
    expect_load_error("2030-01-07 off X\r\n2030-01-05 work\t\xff\xfe\n", 2); /* not UTF-8 */

    struct err e = {0};
    struct cal *c = cal_new();
    static const char nul[] = "2030-01-05 work A\n2030-01-07 of\0f X\n";
    assert_int_equal(cal_load_text(c, nul, sizeof nul - 1, &e), ERR_INVALID);
    assert_string_equal(e.msg, "line 2: NUL byte");
    assert_false(cal_is_workday(c, D("2030-01-05")));
    cal_free(c);
}

static void test_load_update(void **state)
{
    (void)state;
    struct err e = {0};
    struct cal *c = load_real();
    int first, last;
    const char *next = "# next year's notice\r\nyears 2027 2027\r\n2027-01-01 off 元旦\r\n"
                       "2027-02-06 work 春节\r\n";
    const char *fix = "2020-02-01 work 春节"; /* no "years" line, no final newline */
    assert_int_equal(cal_load_text(c, next, strlen(next), &e), 0);
    assert_int_equal(cal_load_text(c, fix, strlen(fix), &e), 0);
    cal_years(c, &first, &last);
    assert_int_equal(first, 2019);
    assert_int_equal(last, 2027);
    assert_false(cal_is_workday(c, D("2027-01-01")));
    assert_true(cal_is_workday(c, D("2027-02-06")));
    assert_string_equal(cal_day_name(c, D("2027-02-06")), "春节"); /* no '\r' kept */
    assert_true(cal_is_workday(c, D("2020-02-01")));               /* replaced a mark */
    assert_false(cal_is_workday(c, D("2020-10-08")));              /* the rest kept */
    cal_free(c);
}

static void test_set_day(void **state)
{
    (void)state;
    struct cal *c = cal_new();
    int first, last;
    cal_years(c, &first, &last);
    assert_int_equal(first + last, 0);
    assert_int_equal(cal_set_day(c, D("2030-01-07"), 0, NULL), ERR_INVALID);
    assert_int_equal(cal_set_day(c, D("2030-01-07"), 3, NULL), ERR_INVALID);
    assert_true(cal_is_workday(c, D("2030-01-07")));
    assert_int_equal(cal_set_day(c, D("2030-01-07"), CAL_OFF, "x"), 0);
    assert_false(cal_is_workday(c, D("2030-01-07")));
    assert_int_equal(cal_set_day(c, D("2030-01-07"), CAL_WORK, NULL), 0);
    assert_true(cal_is_workday(c, D("2030-01-07")));
    assert_null(cal_day_name(c, D("2030-01-07")));
    cal_years(c, &first, &last);
    assert_int_equal(first, 2030);
    assert_int_equal(last, 2030);
    cal_free(c);
}

/* Redundant marks (a weekday marked "work", a weekend day marked "off") do
 * not change the counts. */
static void test_redundant_marks(void **state)
{
    (void)state;
    struct cal *c = cal_new();
    assert_int_equal(cal_set_day(c, D("2030-01-08"), CAL_WORK, NULL), 0); /* Tuesday */
    assert_int_equal(cal_set_day(c, D("2030-01-12"), CAL_OFF, NULL), 0);  /* Saturday */
    /* Mon 2030-01-07 .. Mon 01-14: five working days of 7 hours */
    assert_int_equal(cal_work_minutes_between(c, T("2030-01-07T00:00"), T("2030-01-14T00:00")),
                     5 * 420);
    cal_free(c);
}

/* Instants before 1970 (negative) split into days correctly. */
static void test_before_1970(void **state)
{
    (void)state;
    struct cal *c = cal_new();
    /* 1969-12-31 was a Wednesday, 1969-12-27 a Saturday */
    assert_true(cal_is_workday(c, D("1969-12-31")));
    assert_false(cal_is_workday(c, D("1969-12-27")));
    assert_at(cal_add_work_minutes(c, T("1969-12-31T10:00"), 60), "1969-12-31T11:00");
    assert_at(cal_add_work_minutes(c, T("1969-12-31T17:00"), 120), "1970-01-01T10:00");
    assert_int_equal(cal_work_minutes_between(c, T("1969-12-31T08:00"), T("1970-01-01T10:00")),
                     420 + 60);
    cal_free(c);
}

/* A calendar without any working day must not hang: searches stop at the cap. */
static void test_no_workdays_capped(void **state)
{
    (void)state;
    struct cal *c = cal_new();
    int64_t d0 = D("2024-01-01");
    for (int64_t d = d0; d < d0 + 4000; d++)
        if (time_weekday(d) <= 5)
            assert_int_equal(cal_set_day(c, d, CAL_OFF, NULL), 0);
    int64_t r = cal_add_workdays(c, d0, 1);
    assert_true(r > d0 + 3000 && r < d0 + 4000);
    int64_t t = cal_add_work_minutes(c, T("2024-01-01T10:00"), 60);
    assert_true(t > T("2024-01-01T10:00") + 3000LL * 86400);
    assert_int_equal(cal_work_minutes_between(c, T("2024-01-01T00:00"), t), 0);
    cal_free(c);
}

/* ---- spans -------------------------------------------------------------- */

static void test_span_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int unit;
        int64_t amount;
    } ok[] = {
        {"4wh", CAL_WH, 240}, {"90wm", CAL_WH, 90}, {"3wd", CAL_WD, 3},
        {"2h", CAL_H, 120},   {"30m", CAL_H, 30},   {"0.5wh", CAL_WH, 30},
        {"1.25h", CAL_H, 75}, {"0wh", CAL_WH, 0},   {"0.75wh", CAL_WH, 45},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        struct cal_span s = {0, -1};
        assert_int_equal(cal_span_parse(ok[i].text, &s), 0);
        assert_int_equal(s.unit, ok[i].unit);
        assert_int_equal(s.amount, ok[i].amount);
    }
}

static void test_span_parse_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {"",     "3",    "-1wh",   "3xx",           "wh",
                                      "1.wh", ".5wh", "0.01wh", "1.5wd",         "1.5m",
                                      "3 wd", " 3wd", "3wdx",   "99999999999wh", "2001wd",
                                      "+3wd", "3WD",  "1e2m"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct cal_span s = {CAL_H, 7};
        assert_int_equal(cal_span_parse(bad[i], &s), ERR_INVALID);
        assert_int_equal(s.unit, CAL_H); /* untouched */
        assert_int_equal(s.amount, 7);
    }
    assert_int_equal(cal_span_parse(NULL, &(struct cal_span){0, 0}), ERR_INVALID);
}

static void test_span_format(void **state)
{
    (void)state;
    char out[32];
    cal_span_format((struct cal_span){CAL_WH, 240}, out, sizeof out);
    assert_string_equal(out, "4wh");
    cal_span_format((struct cal_span){CAL_WH, 30}, out, sizeof out);
    assert_string_equal(out, "30wm");
    cal_span_format((struct cal_span){CAL_WD, 3}, out, sizeof out);
    assert_string_equal(out, "3wd");
    cal_span_format((struct cal_span){CAL_H, 120}, out, sizeof out);
    assert_string_equal(out, "2h");
    cal_span_format((struct cal_span){CAL_H, 45}, out, sizeof out);
    assert_string_equal(out, "45m");
    cal_span_format((struct cal_span){CAL_WH, 0}, out, sizeof out);
    assert_string_equal(out, "0wh");
}

static void test_span_round_trip(void **state)
{
    (void)state;
    static const int units[] = {CAL_WH, CAL_WD, CAL_H};
    char out[32];
    for (size_t u = 0; u < 3; u++) {
        for (int64_t a = 0; a <= 2000; a += (a < 200 ? 1 : 37)) {
            struct cal_span s = {units[u], a}, back = {0, -1};
            cal_span_format(s, out, sizeof out);
            assert_int_equal(cal_span_parse(out, &back), 0);
            assert_int_equal(back.unit, s.unit);
            assert_int_equal(back.amount, s.amount);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_file),
        cmocka_unit_test(test_each_day_stops),
        cmocka_unit_test(test_weekends),
        cmocka_unit_test(test_weekday_holidays),
        cmocka_unit_test(test_makeup_days),
        cmocka_unit_test(test_day_name),
        cmocka_unit_test(test_add_workdays),
        cmocka_unit_test(test_add_workdays_zero),
        cmocka_unit_test(test_wh_default),
        cmocka_unit_test(test_wh_holidays),
        cmocka_unit_test(test_wh_many_days),
        cmocka_unit_test(test_wh_custom_periods),
        cmocka_unit_test(test_deadline_wd),
        cmocka_unit_test(test_deadline_wd_zero),
        cmocka_unit_test(test_deadline_wd_custom),
        cmocka_unit_test(test_deadline_wh_and_h),
        cmocka_unit_test(test_between),
        cmocka_unit_test(test_between_year),
        cmocka_unit_test(test_between_matches_daily_count),
        cmocka_unit_test(test_add_between_consistent),
        cmocka_unit_test(test_add_matches_naive),
        cmocka_unit_test(test_set_periods),
        cmocka_unit_test(test_set_periods_errors),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_load_update),
        cmocka_unit_test(test_set_day),
        cmocka_unit_test(test_redundant_marks),
        cmocka_unit_test(test_before_1970),
        cmocka_unit_test(test_no_workdays_capped),
        cmocka_unit_test(test_span_parse),
        cmocka_unit_test(test_span_parse_errors),
        cmocka_unit_test(test_span_format),
        cmocka_unit_test(test_span_round_trip),
    };
    return cmocka_run_group_tests_name("cal", tests, group_setup, group_teardown);
}
