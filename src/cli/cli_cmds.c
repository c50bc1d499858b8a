/* cli_cmds.c - init, serve, users, units, API keys, the calendar, raw API. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli_int.h"
#include "../http/http.h"

int cli_init_cmd(struct cli *c)
{
    int rc = cli_open(c, 1);
    if (rc)
        return rc;
    printf("initialised %s (%s, schema %d) with the built-in calendar, categories, limits\n", c->db,
           store_driver_name(c->store), store_schema_version(c->store));
    cli_close(c);
    return 0;
}

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* Reads an integer option within [lo, hi]; def if absent. */
static int int_opt(struct cli *c, const char *name, int def, int lo, int hi, int *out)
{
    const char *v = cli_opt(c, name);
    int64_t x = def;
    if (v && (str_to_i64(v, &x) || x < lo || x > hi))
        return cli_fail(2, "--%s must be an integer %d..%d", name, lo, hi);
    *out = (int)x;
    return 0;
}

/* The web directory to serve: --web DIR, else $CHUISHAO_WEB_DIR, else
 * build/web when it holds index.html, else NULL (the built-in page). */
static const char *web_dir(struct cli *c)
{
    struct stat st;
    const char *d = cli_opt(c, "web");
    if (d == NULL || *d == '\0')
        d = getenv("CHUISHAO_WEB_DIR");
    if (d && *d)
        return d;
    return stat("build/web/index.html", &st) == 0 ? "build/web" : NULL;
}

int cli_serve_cmd(struct cli *c)
{
    struct http_options o = {.bind = cli_opt(c, "bind") ? cli_opt(c, "bind") : "127.0.0.1",
                             .max_conns = 4096,
                             .web_dir = web_dir(c)};
    struct http_server *h;
    struct err e = {0};
    struct store *s;
    int cache_mb;
    if (int_opt(c, "port", 8080, 1, 65535, &o.port) ||
        int_opt(c, "threads", 2, 1, 64, &o.threads) ||
        int_opt(c, "workers", 8, 1, 1024, &o.workers) ||
        int_opt(c, "cache-mb", API_CACHE_DEFAULT_MB, 0, 65536, &cache_mb))
        return 2;
    if (auth_init())
        return cli_fail(7, "cannot initialise libsodium");
    if (store_open(c->db, STORE_GROUP_COMMIT, &s, &e) || dom_open(s, &c->dom, &e))
        return cli_fail(e.code == ERR_NOTFOUND ? 3 : 7, "%s", e.msg);
    c->store = s;
    c->api = api_new(s, c->dom);
    api_set_cache_mb(c->api, cache_mb);
    if (http_start(&o, c->api, &h, &e)) {
        cli_close(c);
        return cli_fail(e.code == ERR_INVALID || e.code == ERR_NOTFOUND ? 2 : 1, "%s", e.msg);
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    printf("chuishao serving %s on http://%s:%d/ (%d event threads, %d workers; web: %s); "
           "Ctrl-C stops\n",
           c->db, o.bind, o.port, o.threads, o.workers, o.web_dir ? o.web_dir : "built-in page");
    fflush(stdout);
    while (!stop_requested)
        pause();
    http_stop(h);
    int64_t jobs, commits;
    store_write_stats(s, &jobs, &commits);
    cli_close(c);
    printf("stopped: %lld writes in %lld commits\n", (long long)jobs, (long long)commits);
    return 0;
}

int cli_user_add_cmd(struct cli *c)
{
    static const char *const strs[][2] = {{"username", "username"}, {"name", "name"},
                                          {"role", "role"},         {"password", "password"},
                                          {"grid", "grid"},         {"phone", "phone"},
                                          {"id-card", "id_card"}};
    json_t *body = json_object();
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        if (cli_opt(c, strs[i][0]))
            json_object_set_new(body, strs[i][1], json_string(cli_opt(c, strs[i][0])));
    const char *unit = cli_opt(c, "unit");
    int64_t uid;
    if (unit && (str_to_i64(unit, &uid) || uid <= 0)) {
        json_decref(body);
        return cli_fail(2, "--unit must be a unit id");
    }
    if (unit)
        json_object_set_new(body, "unit", json_integer(uid));
    int rc = cli_open(c, 0);
    if (rc) {
        json_decref(body);
        return rc;
    }
    rc = cli_api(c, "POST", "/api/v1/users", body, 0, NULL);
    cli_close(c);
    return rc;
}

int cli_get(struct cli *c, const char *path)
{
    int rc = cli_open(c, 0);
    if (rc)
        return rc;
    rc = cli_api(c, "GET", path, NULL, 0, NULL);
    cli_close(c);
    return rc;
}

int cli_user_list_cmd(struct cli *c)
{
    return cli_get(c, "/api/v1/users");
}

int cli_unit_list_cmd(struct cli *c)
{
    return cli_get(c, "/api/v1/units");
}

int cli_user_passwd_cmd(struct cli *c)
{
    struct err e = {0};
    const char *pw = cli_opt(c, "password");
    if (pw == NULL)
        return cli_fail(2, "give the new password with --password");
    int rc = cli_open(c, 0);
    if (rc)
        return rc;
    rc = auth_user_set_password(c->store, c->pos[0], pw, &e);
    if (rc == 0)
        printf("password of %s changed\n", c->pos[0]);
    cli_close(c);
    return rc ? cli_fail(rc == ERR_NOTFOUND ? 3 : 4, "%s", e.msg) : 0;
}

int cli_unit_add_cmd(struct cli *c)
{
    static const char *const opts[] = {"code", "name", "kind", "uscc", "phone"};
    json_t *body = json_object();
    for (size_t i = 0; i < ARRAY_SIZE(opts); i++)
        if (cli_opt(c, opts[i]))
            json_object_set_new(body, opts[i], json_string(cli_opt(c, opts[i])));
    int rc = cli_open(c, 0);
    if (rc) {
        json_decref(body);
        return rc;
    }
    rc = cli_api(c, "POST", "/api/v1/units", body, 0, NULL);
    cli_close(c);
    return rc;
}

int cli_apikey_create_cmd(struct cli *c)
{
    json_t *out = NULL, *body = json_object();
    if (cli_opt(c, "name") == NULL) {
        json_decref(body);
        return cli_fail(2, "give the key a name with --name NAME");
    }
    json_object_set_new(body, "name", json_string(cli_opt(c, "name")));
    if (cli_opt(c, "user"))
        json_object_set_new(body, "user", json_string(cli_opt(c, "user")));
    int rc = cli_open(c, 0);
    if (rc) {
        json_decref(body);
        return rc;
    }
    if (strcmp(c->as.username, "system") == 0 && cli_opt(c, "user") == NULL) {
        cli_close(c);
        json_decref(body);
        return cli_fail(2, "say whose key it is with --user USERNAME (or --as USERNAME)");
    }
    rc = cli_api(c, "POST", "/api/v1/apikeys", body, 1, &out);
    if (rc == 0)
        printf("API key '%s' for %s (shown once; keep it secret):\n%s\n",
               json_string_value(json_object_get(out, "name")),
               json_string_value(json_object_get(out, "user")),
               json_string_value(json_object_get(out, "key")));
    json_decref(out);
    cli_close(c);
    return rc;
}

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

int cli_calendar_workday_cmd(struct cli *c)
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

int cli_calendar_add_cmd(struct cli *c)
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

int cli_calendar_deadline_cmd(struct cli *c)
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

int cli_calendar_import_cmd(struct cli *c)
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

int cli_api_cmd(struct cli *c)
{
    json_error_t je;
    json_t *body = NULL;
    if (c->n_pos == 3 && (body = json_loads(c->pos[2], 0, &je)) == NULL)
        return cli_fail(4, "the body is not JSON: %s", je.text);
    int rc = cli_open(c, 0);
    if (rc) {
        json_decref(body);
        return rc;
    }
    rc = cli_api(c, c->pos[0], c->pos[1], body, 0, NULL);
    cli_close(c);
    return rc;
}
