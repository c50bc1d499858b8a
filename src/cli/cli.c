/* cli.c - the command table, option parsing and the in-process API door. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_int.h"

#define CASE_OPTS "db as"
static const struct cli_cmd commands[] = {
    {"api", cli_api_cmd, "METHOD PATH [JSON]", CASE_OPTS, 2, 3, "send one request to the JSON API"},
    {"apikey create", cli_apikey_create_cmd, "", "db as name user", 0, 0,
     "create an API key (printed alone on the last line)"},
    {"calendar add-workdays", cli_calendar_add_cmd, "YYYY-MM-DD N", "db", 2, 2,
     "the date N working days later"},
    {"calendar deadline", cli_calendar_deadline_cmd, "START LIMIT", "db", 2, 2,
     "deadline of a limit like 2wd or 4wh from START"},
    {"calendar import", cli_calendar_import_cmd, "FILE", "db", 1, 1,
     "load holiday data: replaces the years FILE covers (data/holidays.txt format)"},
    {"calendar periods", cli_calendar_periods_cmd, "[SPEC]", "db", 0, 1,
     "show or set the working periods, e.g. 09:00-12:00,14:00-18:00"},
    {"calendar is-workday", cli_calendar_workday_cmd, "YYYY-MM-DD", "db", 1, 1, "print yes or no"},
    {"case act", cli_case_act_cmd, "ID ACTION",
     CASE_OPTS " note unit units master verifier span resolved satisfaction score type "
               "limit-minutes confirmed expect-seq attachment",
     2, 2, "apply an action (the actions: docs/lifecycle.md, GET /api/v1/transitions)"},
    {"case create", cli_case_create_cmd, "",
     CASE_OPTS " category description channel nature priority title address lat lon grid "
               "reporter-name reporter-phone source-ref self-handled attachment",
     0, 0, "report a new case"},
    {"case events", cli_case_events_cmd, "ID", CASE_OPTS, 1, 1, "the case's event log"},
    {"case list", cli_case_list_cmd, "", CASE_OPTS " state category limit before json", 0, 0,
     "list cases visible to --as"},
    {"case overdue", cli_case_overdue_cmd, "", CASE_OPTS " at-risk limit json", 0, 0,
     "list overdue (or --at-risk) cases"},
    {"case replay-check", cli_case_replay_cmd, "", "db", 0, 0,
     "replay every case's event log and compare with the stored state"},
    {"case show", cli_case_show_cmd, "ID", CASE_OPTS, 1, 1,
     "one case with events, deadlines, whistles"},
    {"case whistle", cli_case_whistle_cmd, "ID", CASE_OPTS " type units limit-minutes note", 1, 1,
     "blow a whistle on a case"},
    {"demo", cli_demo_cmd, "", "db force cases years", 0, 0,
     "create a database with the Liujia example (--cases N: N generated cases)"},
    {"demo-logins", cli_demo_logins_cmd, "", "db port", 0, 0, "print the demo's sign-in names"},
    {"geo convert", cli_geo_convert_cmd, "LON LAT", "from to", 2, 2,
     "convert a point: wgs84, gcj02, bd09 (prints LON LAT)"},
    {"geo export", cli_geo_export_cmd, "", "db as kind", 0, 0,
     "the place tree as one GeoJSON FeatureCollection"},
    {"geo import", cli_geo_import_cmd, "FILE", "db as epsg dry-run", 1, 1,
     "validate and load a GeoJSON boundary set (replaces the tree)"},
    {"geo locate", cli_geo_locate_cmd, "LON LAT", "db as crs", 2, 2,
     "the grid and community of a point"},
    {"init", cli_init_cmd, "", "db", 0, 0,
     "create (or upgrade) a database with the reference data"},
    {"limit list", cli_limit_list_cmd, "", "db", 0, 0,
     "list the time limits (category x priority x stage)"},
    {"limit set", cli_limit_set_cmd, "CATEGORY PRIORITY STAGE LIMIT", "db", 4, 4,
     "add or change a time limit (category * = default)"},
    {"report", cli_report_cmd, "-o FILE", "db as from to format lang scope", 2, 2,
     "write the report card (成绩单) of a period to FILE (- for standard output)"},
    {"serve", cli_serve_cmd, "", "db port bind threads workers web cache-mb", 0, 0,
     "serve the API and web app over HTTP"},
    {"stats", cli_stats_cmd, "", "db as from to scope by json", 0, 0,
     "rates and counts for a period (docs/metrics.md)"},
    {"unit add", cli_unit_add_cmd, "", "db as code name kind uscc phone", 0, 0,
     "add a department or alliance unit"},
    {"unit list", cli_unit_list_cmd, "", "db as", 0, 0, "list units"},
    {"user add", cli_user_add_cmd, "", "db as username name role password unit grid phone id-card",
     0, 0, "add a user"},
    {"user list", cli_user_list_cmd, "", "db as", 0, 0,
     "list users (phones and ID numbers masked)"},
    {"user passwd", cli_user_passwd_cmd, "USERNAME", "db password", 1, 1, "set a user's password"},
    {"whistle rate", cli_whistle_rate_cmd, "WHISTLE-ID", CASE_OPTS " unit score note", 1, 1,
     "rate a summoned unit's response"},
    {"whistle report", cli_whistle_report_cmd, "WHISTLE-ID", CASE_OPTS " note unit", 1, 1,
     "report in (报到) for a whistle"},
    {"whistle show", cli_whistle_show_cmd, "WHISTLE-ID", CASE_OPTS, 1, 1,
     "a whistle with its units"},
};

int cli_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("chuishao: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: chuishao COMMAND [ARGS] [--option VALUE ...]\n\n");
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
        fprintf(f, "  %-22s %-18s %s\n", commands[i].name, commands[i].args, commands[i].help);
    fprintf(f, "\nEvery command takes --db PATH (default ./chuishao.db or $CHUISHAO_DB).\n"
               "Case commands take --as USERNAME (default: the system administrator).\n"
               "`chuishao COMMAND --help` shows a command's options. See docs/cli.md.\n");
}

static void command_help(const struct cli_cmd *k)
{
    printf("usage: chuishao %s %s\n  %s\n", k->name, k->args, k->help);
    if (*k->opts) {
        char opts[512], *save = NULL;
        str_copy(opts, sizeof opts, k->opts);
        printf("options:");
        for (char *p = strtok_r(opts, " ", &save); p; p = strtok_r(NULL, " ", &save))
            printf(" --%s", p);
        printf("\n");
    }
}

/* Finds the command named by the first one or two words. */
static const struct cli_cmd *find_command(int argc, char **argv, int *used)
{
    char two[96];
    if (argc < 2)
        return NULL;
    snprintf(two, sizeof two, "%s %s", argv[1], argc > 2 ? argv[2] : "");
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        if (strcmp(commands[i].name, two) == 0) {
            *used = 3;
            return &commands[i];
        }
        if (strcmp(commands[i].name, argv[1]) == 0) {
            *used = 2;
            return &commands[i];
        }
    }
    return NULL;
}

/* 1 if name is in the space-separated list. */
static int opt_allowed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

static int is_flag(const char *name)
{
    return strcmp(name, "json") == 0 || strcmp(name, "force") == 0 ||
           strcmp(name, "dry-run") == 0 || strcmp(name, "self-handled") == 0 ||
           strcmp(name, "at-risk") == 0;
}

static int parse_args(struct cli *c, const struct cli_cmd *k, int argc, char **argv, int from)
{
    for (int i = from; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) != 0 || argv[i][2] == '\0') {
            if (c->n_pos == CLI_MAX_ARGS)
                return cli_fail(2, "too many arguments");
            c->pos[c->n_pos++] = argv[i];
            continue;
        }
        char *name = argv[i] + 2, *eq = strchr(name, '=');
        if (eq)
            *eq = '\0';
        if (!opt_allowed(k->opts, name))
            return cli_fail(2, "%s: unknown option --%s (see --help)", k->name, name);
        if (c->n_opt == CLI_MAX_ARGS)
            return cli_fail(2, "too many options");
        c->key[c->n_opt] = name;
        if (eq)
            c->val[c->n_opt] = eq + 1;
        else if (is_flag(name))
            c->val[c->n_opt] = "";
        else if (i + 1 < argc)
            c->val[c->n_opt] = argv[++i];
        else
            return cli_fail(2, "option --%s needs a value", name);
        c->n_opt++;
    }
    if (c->n_pos < k->min_pos || c->n_pos > k->max_pos)
        return cli_fail(2, "usage: chuishao %s %s", k->name, k->args);
    return 0;
}

const char *cli_opt(struct cli *c, const char *name)
{
    for (int i = c->n_opt - 1; i >= 0; i--)
        if (strcmp(c->key[i], name) == 0)
            return c->val[i];
    return NULL;
}

int cli_flag(struct cli *c, const char *name)
{
    return cli_opt(c, name) != NULL;
}

int cli_open(struct cli *c, int create)
{
    struct err e = {0};
    if (auth_init())
        return cli_fail(7, "cannot initialise libsodium");
    if (store_open(c->db, create ? STORE_CREATE : 0, &c->store, &e) ||
        (create && dom_seed(c->store, &e)) || dom_open(c->store, &c->dom, &e)) {
        cli_close(c);
        return cli_fail(e.code == ERR_NOTFOUND ? 3 : 7, "%s", e.msg);
    }
    c->api = api_new(c->store, c->dom);
    const char *as = cli_opt(c, "as");
    c->as = (struct actor){.role = ROLE_ADMIN, .username = "system"};
    if (as && auth_actor_by_name(c->store, as, &c->as, &e)) {
        cli_close(c);
        return cli_fail(3, "--as: %s", e.msg);
    }
    return 0;
}

void cli_close(struct cli *c)
{
    api_free(c->api);
    dom_close(c->dom);
    store_close(c->store);
    c->api = NULL;
    c->dom = NULL;
    c->store = NULL;
}

/* Splits "?k=v&k=v" off req->path into params (values are not decoded). */
static void split_query(struct api_req *req, struct api_param *params)
{
    char *q = strchr(req->path, '?'), *save = NULL;
    struct api_req *r = req;
    if (q == NULL)
        return;
    *q++ = '\0';
    for (char *p = strtok_r(q, "&", &save); p && r->n_query < CLI_MAX_ARGS;
         p = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(p, '=');
        if (eq)
            *eq++ = '\0';
        params[r->n_query].key = p;
        params[r->n_query++].value = eq ? eq : "";
    }
}

/* Runs one request through the API in-process as c->as. OUT: *resp (body
 * freed by the caller: see api_resp.body_heap). */
static void run_request(struct cli *c, struct arena *a, const char *method, const char *path,
                        const char *text, size_t n, struct api_resp *resp)
{
    struct api_param *params = arena_alloc(a, sizeof *params * CLI_MAX_ARGS);
    struct api_req req = {.method = method,
                          .path = arena_strdup(a, path),
                          .query = params,
                          .body = text,
                          .body_len = n,
                          .as = &c->as,
                          .arena = a};
    split_query(&req, params);
    api_handle(c->api, &req, resp);
}

/* Prints an API error answer on stderr. */
static void print_error(json_t *out)
{
    json_t *err = json_object_get(out, "error");
    const char *field = json_string_value(json_object_get(err, "field"));
    fprintf(stderr, "chuishao: %s%s%s (%s)\n", field ? field : "", field ? ": " : "",
            json_string_value(json_object_get(err, "message")),
            json_string_value(json_object_get(err, "code")));
}

/* Prints a successful answer: compact as it came, or pretty. */
static void print_answer(const struct api_resp *resp, json_t *out, int compact)
{
    if (compact) {
        fwrite(resp->body, 1, resp->len, stdout);
    } else if (out) {
        char *pretty = json_dumps(out, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        puts(pretty);
        xfree(pretty); /* allocated by jansson with malloc */
    }
}

/* The exit code of an answer (0 for success). */
static int exit_code(const struct api_resp *resp)
{
    return resp->status < 400 ? 0 : resp->exit_code ? resp->exit_code : 4;
}

int cli_api_raw(struct cli *c, const char *method, const char *path, const char *text, size_t n,
                int compact)
{
    struct arena *a = arena_new();
    struct api_resp resp;
    run_request(c, a, method, path, text, n, &resp);
    json_t *out = json_loadb(resp.body, resp.len, 0, NULL);
    if (resp.status >= 400)
        print_error(out);
    if (resp.status < 400 || json_object_get(out, "issues")) /* an import report */
        print_answer(&resp, out, compact);
    int code = exit_code(&resp);
    json_decref(out);
    if (resp.body_heap)
        xfree(resp.body);
    arena_free(a);
    return code;
}

int cli_api_fetch(struct cli *c, const char *method, const char *path, struct arena *a,
                  struct api_resp *resp)
{
    run_request(c, a, method, path, NULL, 0, resp);
    if (resp->status >= 400) {
        json_t *out = json_loadb(resp->body, resp->len, 0, NULL);
        print_error(out);
        json_decref(out);
    }
    return exit_code(resp);
}

int cli_api(struct cli *c, const char *method, const char *path, json_t *body, int quiet,
            json_t **result)
{
    struct arena *a = arena_new();
    struct api_resp resp;
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    run_request(c, a, method, path, text, text ? strlen(text) : 0, &resp);
    json_t *out = json_loadb(resp.body, resp.len, 0, NULL);
    if (resp.status >= 400)
        print_error(out);
    else if (!quiet)
        print_answer(&resp, out, 0);
    if (result)
        *result = out;
    else
        json_decref(out);
    xfree(text); /* allocated by jansson with malloc */
    int code = exit_code(&resp);
    if (resp.body_heap)
        xfree(resp.body);
    arena_free(a);
    return code;
}

int cli_main(int argc, char **argv)
{
    struct cli c = {0};
    int used = 0;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const struct cli_cmd *k = find_command(argc, argv, &used);
    if (k == NULL)
        return cli_fail(2, "unknown command '%s' (see chuishao --help)", argv[1]);
    for (int i = used; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            command_help(k);
            return 0;
        }
    if (parse_args(&c, k, argc, argv, used))
        return 2;
    c.db = cli_opt(&c, "db");
    if (c.db == NULL)
        c.db = getenv("CHUISHAO_DB") ? getenv("CHUISHAO_DB") : "chuishao.db";
    return k->fn(&c);
}
