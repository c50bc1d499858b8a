/* cli.c - the command table, option parsing and the in-process API door. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_int.h"

#include "cli/auth/cli_auth.h"
#include "cli/calendar/cli_calendar.h"
#include "cli/case/cli_case.h"
#include "cli/demo/cli_demo.h"
#include "cli/place/cli_place.h"
#include "cli/stats/cli_stats.h"
#include "cli/unit/cli_unit.h"

extern const struct table_part cli_core_cmds; /* cli_cmds.c */

/* Every subject's commands: a new subject adds its table here. */
static const struct table_part *const subjects[] = {
    &cli_core_cmds, &cli_auth_cmds,  &cli_calendar_cmds, &cli_case_cmds,
    &cli_demo_cmds, &cli_place_cmds, &cli_stats_cmds,    &cli_unit_cmds,
};

/* ---- the merged command table ---------------------------------------------------- */

static int cmd_cmp(const void *x, const void *y)
{
    return strcmp(((const struct cli_cmd *)x)->name, ((const struct cli_cmd *)y)->name);
}

static struct {
    struct cli_cmd *v; /* every command, sorted by name */
    size_t n;          /* their number */
    size_t dup;        /* a command named like the one before it, 0 if none */
} table;

const struct cli_cmd *cli__commands(size_t *n, struct err *e)
{
    if (table.v == NULL)
        table.v = table_merge(subjects, ARRAY_SIZE(subjects), sizeof *table.v, cmd_cmp, &table.n,
                              &table.dup);
    *n = table.n;
    if (table.dup)
        return (void)err_set(e, ERR_INTERNAL, NULL, "two commands named '%s'",
                             table.v[table.dup].name),
               NULL;
    return table.v;
}

/* The command named exactly name, or NULL. */
static const struct cli_cmd *command_named(const char *name)
{
    struct cli_cmd key = {.name = name};
    return bsearch(&key, table.v, table.n, sizeof *table.v, cmd_cmp);
}

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
    for (size_t i = 0; i < table.n; i++)
        fprintf(f, "  %-22s %-18s %s\n", table.v[i].name, table.v[i].args, table.v[i].help);
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
    const struct cli_cmd *k = argc > 2 ? command_named(two) : NULL;
    if (k) {
        *used = 3;
        return k;
    }
    *used = 2;
    return command_named(argv[1]);
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
    dom_actor_system(&c->as);
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

/* Flushes standard output: a failed write (a full disk, a closed pipe)
 * turns a success into exit 7, so no output is taken for complete when it
 * is not. */
static int finish_output(int code)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return code;
    int err = errno;
    cli_fail(7, "cannot write the output: %s", strerror(err ? err : EIO));
    return code ? code : 7;
}

static int run(int argc, char **argv);

int cli_main(int argc, char **argv)
{
    size_t n;
    struct err e = {0};
    if (cli__commands(&n, &e) == NULL) /* a programming error */
        return cli_fail(7, "%s", e.msg);
    return finish_output(run(argc, argv));
}

static int run(int argc, char **argv)
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
int cli_get(struct cli *c, const char *path)
{
    int rc = cli_open(c, 0);
    if (rc)
        return rc;
    rc = cli_api(c, "GET", path, NULL, 0, NULL);
    cli_close(c);
    return rc;
}
