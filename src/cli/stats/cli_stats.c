/* cli_stats.c - `chuishao stats`: GET /api/v1/stats printed as a table (or
 * the JSON with --json). */
#include <stdio.h>
#include <string.h>
#include "cli_stats.h"

/* Appends &name=value to path, percent-encoding the value. */
static void add_param(char *path, size_t n, const char *name, const char *value)
{
    size_t len = strlen(path);
    if (value == NULL || len + 1 >= n)
        return;
    len += (size_t)snprintf(path + len, n - len, "%s%s=", strchr(path, '?') ? "&" : "?", name);
    if (len >= n) /* cut: keep what fits */
        len = n - 1;
    for (const unsigned char *p = (const unsigned char *)value; *p && len + 4 < n; p++) {
        if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            strchr("-_.:", *p))
            path[len++] = (char)*p;
        else
            len += (size_t)snprintf(path + len, n - len, "%%%02X", *p);
    }
    path[len] = '\0';
}

static long long int_of(json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

/* "  响应率 response   12 / 40   30.0%" ("-" when undefined). */
static void print_rate(json_t *rates, const char *name, const char *label)
{
    json_t *r = json_object_get(rates, name), *v = json_object_get(r, "value");
    printf("  %-16s %-18s %6lld / %-6lld", label, name, int_of(r, "num"), int_of(r, "den"));
    if (json_is_number(v))
        printf(" %6.1f%%\n", json_number_value(v) * 100);
    else
        printf(" %7s\n", "-");
}

static void print_map(const char *title, json_t *map)
{
    const char *k;
    json_t *v;
    printf("  %-14s", title);
    json_object_foreach(map, k, v) printf(" %s=%lld", k, (long long)json_integer_value(v));
    printf("\n");
}

static void print_whistles(json_t *wh)
{
    json_t *x;
    size_t i;
    printf("  whistles       %lld (units %lld)\n", int_of(wh, "count"), int_of(wh, "units"));
    json_array_foreach(json_object_get(wh, "by_type"), i, x)
    {
        json_t *avg = json_object_get(x, "rating_avg");
        printf("    %-12s %lld whistles, %lld units", json_string_value(json_object_get(x, "type")),
               int_of(x, "count"), int_of(x, "units"));
        if (json_is_number(avg))
            printf(", average rating %.2f", json_number_value(avg));
        printf("\n");
    }
}

static void print_row(json_t *row)
{
    static const char *const counts[] = {"received", "registered", "dispatched", "dispatches",
                                         "returns",  "reworks",    "visits",     "due_to_close",
                                         "closed",   "deferred",   "petitions",  "repeats"};
    static const char *const rates[][2] = {
        {"response", "响应率"},           {"resolution", "解决率"},
        {"satisfaction", "满意率"},       {"closure", "结案率"},
        {"ontime_closure", "按期结案率"}, {"rework", "返工率"},
        {"extension", "延期率"},          {"accurate_dispatch", "准确派遣率"},
        {"whistle_ontime", "按时报到率"}};
    const char *k;
    json_t *v;
    for (size_t i = 0; i < ARRAY_SIZE(counts); i++)
        printf("  %-14s %lld\n", counts[i], int_of(row, counts[i]));
    print_map("by channel", json_object_get(row, "by_channel"));
    print_map("by nature", json_object_get(row, "by_nature"));
    for (size_t i = 0; i < ARRAY_SIZE(rates); i++)
        print_rate(json_object_get(row, "rates"), rates[i][0], rates[i][1]);
    printf("  %-14s", "stage hours");
    json_object_foreach(json_object_get(row, "stage_hours"), k, v)
    {
        json_t *avg = json_object_get(v, "avg");
        if (json_is_number(avg))
            printf(" %s=%.2f", k, json_number_value(avg));
        else
            printf(" %s=-", k);
    }
    printf("\n");
    print_whistles(json_object_get(row, "whistles"));
}

/* 息诉息访 against a year before, and the grid-team coverage. */
static void print_yoy(json_t *p, json_t *cov)
{
    json_t *change = json_object_get(p, "change");
    printf("  %-14s %lld petitions + %lld repeats = %lld; %s..%s: %lld", "信访+重复投诉",
           int_of(p, "petitions"), int_of(p, "repeats"), int_of(p, "total"),
           json_string_value(json_object_get(p, "prev_from")),
           json_string_value(json_object_get(p, "prev_to")), int_of(p, "prev_total"));
    if (json_is_number(change))
        printf(" (%+.1f%%)", json_number_value(change) * 100);
    printf("\n  %-14s %lld of %lld grids with a team\n", "网格覆盖", int_of(cov, "covered"),
           int_of(cov, "grids"));
}

static void print_stats(json_t *out)
{
    json_t *x;
    size_t i;
    printf("%s .. %s  scope %s  by %s\n", json_string_value(json_object_get(out, "from")),
           json_string_value(json_object_get(out, "to")),
           json_string_value(json_object_get(out, "scope")),
           json_string_value(json_object_get(out, "by")));
    printf("total\n");
    print_row(json_object_get(out, "total"));
    print_yoy(json_object_get(out, "petitions"), json_object_get(out, "coverage"));
    json_array_foreach(json_object_get(out, "rows"), i, x)
    {
        json_t *score = json_object_get(x, "score");
        printf("\n%s %s", json_string_value(json_object_get(x, "key")),
               json_string_value(json_object_get(x, "label")));
        if (json_is_number(score))
            printf("  score %.2f grade %s rank %lld", json_number_value(score),
                   json_string_value(json_object_get(x, "grade")), int_of(x, "rank"));
        printf("\n");
        print_row(x);
    }
}

static int cli_stats_cmd(struct cli *c)
{
    static const char *const opts[] = {"from", "to", "scope", "by"};
    char path[1024] = "/api/v1/stats";
    json_t *out = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(opts); i++)
        add_param(path, sizeof path, opts[i], cli_opt(c, opts[i]));
    int rc = cli_open(c, 0);
    if (rc)
        return rc;
    int json = cli_flag(c, "json");
    rc = cli_api(c, "GET", path, NULL, !json, &out);
    if (rc == 0 && !json)
        print_stats(out);
    json_decref(out);
    cli_close(c);
    return rc;
}

static const struct cli_cmd cmds[] = {
    {"report", cli_report_cmd, "-o FILE", "db as from to format lang scope", 2, 2,
     "write the report card (成绩单) of a period to FILE (- for standard output)"},
    {"stats", cli_stats_cmd, "", "db as from to scope by json", 0, 0,
     "rates and counts for a period (docs/stats.md)"},
};
CLI_CMDS(cli_stats_cmds, "stats", cmds);
