/* time.c - instants, civil dates and ISO 8601 in China time (see core.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core.h"

/* Days from civil, Howard Hinnant's algorithm (proleptic Gregorian). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dim[m - 1];
}

int time_days_from_civil(int y, int m, int d, int64_t *days)
{
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return ERR_INVALID;
    *days = days_from_civil(y, m, d);
    return 0;
}

void time_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int time_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday (4). */
    int64_t w = (days + 3) % 7;
    if (w < 0)
        w += 7;
    return (int)w + 1;
}

/* Reads exactly n digits from s into *v; 0 or ERR_INVALID. */
static int read_digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return ERR_INVALID;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

int time_parse_date(const char *s, int64_t *days)
{
    int y, m, d;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return ERR_INVALID;
    if (read_digits(s, 4, &y) || read_digits(s + 5, 2, &m) || read_digits(s + 8, 2, &d))
        return ERR_INVALID;
    return time_days_from_civil(y, m, d, days);
}

void time_format_date(int64_t days, char *out)
{
    int y, m, d;
    time_civil_from_days(days, &y, &m, &d);
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    str_copy(out, 11, tmp);
}

/* Parses the zone suffix at s: "", "Z", "+HH:MM", "+HHMM", "-HH:MM".
 * A missing zone means China time. */
static int parse_zone(const char *s, int *offset)
{
    int hh, mm, sign;
    if (*s == '\0') {
        *offset = TIME_CN_OFFSET;
        return 0;
    }
    if (strcmp(s, "Z") == 0 || strcmp(s, "z") == 0) {
        *offset = 0;
        return 0;
    }
    if (*s != '+' && *s != '-')
        return ERR_INVALID;
    sign = *s == '-' ? -1 : 1;
    s++;
    if (read_digits(s, 2, &hh))
        return ERR_INVALID;
    s += 2 + (*(s + 2) == ':');
    if (read_digits(s, 2, &mm) || s[2] != '\0' || hh > 14 || mm > 59)
        return ERR_INVALID;
    *offset = sign * (hh * 3600 + mm * 60);
    return 0;
}

int time_parse_iso(const char *s, int64_t *t)
{
    char date[11];
    int64_t days;
    int hh = 0, mi = 0, ss = 0, off;
    if (strlen(s) < 10)
        return ERR_INVALID;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (time_parse_date(date, &days))
        return ERR_INVALID;
    s += 10;
    if (*s == 'T' || *s == 't' || *s == ' ') {
        s++;
        if (read_digits(s, 2, &hh) || s[2] != ':' || read_digits(s + 3, 2, &mi))
            return ERR_INVALID;
        s += 5;
        if (*s == ':') {
            if (read_digits(s + 1, 2, &ss))
                return ERR_INVALID;
            s += 3;
            if (*s == '.') /* fractional seconds are accepted and dropped */
                while (*++s >= '0' && *s <= '9')
                    ;
        }
        if (hh > 23 || mi > 59 || ss > 60)
            return ERR_INVALID;
    }
    if (parse_zone(s, &off))
        return ERR_INVALID;
    *t = days * 86400 + hh * 3600 + mi * 60 + ss - off;
    return 0;
}

/* Writes v as exactly n decimal digits at p. */
static void put_digits(char *p, int64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void time_format_iso(int64_t t, char *out)
{
    int64_t local = t + TIME_CN_OFFSET;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t sec = local - days * 86400;
    int y, m, d;
    time_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        y = 0;
    memcpy(out, "0000-00-00T00:00:00+08:00", 26);
    put_digits(out, y, 4);
    put_digits(out + 5, m, 2);
    put_digits(out + 8, d, 2);
    put_digits(out + 11, sec / 3600, 2);
    put_digits(out + 14, sec / 60 % 60, 2);
    put_digits(out + 17, sec % 60, 2);
}

static int64_t pinned = -1;

void time_pin(int64_t t)
{
    pinned = t;
}

int64_t time_now(void)
{
    if (pinned == -1) {
        const char *env = getenv("CHUISHAO_NOW");
        int64_t t;
        pinned = (env && *env && time_parse_iso(env, &t) == 0) ? t : 0;
    }
    return pinned ? pinned : (int64_t)time(NULL);
}
