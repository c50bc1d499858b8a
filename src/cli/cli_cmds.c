/* cli_cmds.c - the commands of the core: init, serve, and a raw API request. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli_int.h"
#include "http/http.h"
#include "store/store.h"

static volatile sig_atomic_t stop_requested;

static int cli_init_cmd(struct cli *c)
{
    int rc = cli_open(c, 1);
    if (rc)
        return rc;
    printf("initialised %s (%s, schema %d) with the built-in calendar, categories, limits\n", c->db,
           store_driver_name(c->store), store_schema_version(c->store));
    cli_close(c);
    return 0;
}

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

static int cli_serve_cmd(struct cli *c)
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

static int cli_api_cmd(struct cli *c)
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

static const struct cli_cmd cmds[] = {
    {"api", cli_api_cmd, "METHOD PATH [JSON]", "db as", 2, 3, "send one request to the JSON API"},
    {"init", cli_init_cmd, "", "db", 0, 0,
     "create (or upgrade) a database with the reference data"},
    {"serve", cli_serve_cmd, "", "db port bind threads workers web cache-mb", 0, 0,
     "serve the API and web app over HTTP"},
};
CLI_CMDS(cli_core_cmds, "cli", cmds);
