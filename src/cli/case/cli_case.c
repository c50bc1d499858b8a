/* cli_case.c - case and whistle commands: options become an API request. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_case.h"
#include "domain/case/case.h"

/* Adds option `opt` to body as string field `field` if present. */
static void put_str(struct cli *c, json_t *body, const char *opt, const char *field)
{
    const char *v = cli_opt(c, opt);
    if (v)
        json_object_set_new(body, field, json_string(v));
}

/* Adds an integer option; returns 2 (usage) if it is not an integer. */
static int put_int(struct cli *c, json_t *body, const char *opt, const char *field)
{
    const char *v = cli_opt(c, opt);
    int64_t x;
    if (v == NULL)
        return 0;
    if (str_to_i64(v, &x))
        return cli_fail(2, "--%s must be an integer", opt);
    json_object_set_new(body, field, json_integer(x));
    return 0;
}

static int put_num(struct cli *c, json_t *body, const char *opt)
{
    const char *v = cli_opt(c, opt);
    char *end;
    if (v == NULL)
        return 0;
    double x = strtod(v, &end);
    if (*v == '\0' || *end)
        return cli_fail(2, "--%s must be a number", opt);
    json_object_set_new(body, opt, json_real(x));
    return 0;
}

/* yes/no (or true/false) option as a boolean field. */
static int put_bool(struct cli *c, json_t *body, const char *opt, const char *field)
{
    const char *v = cli_opt(c, opt);
    if (v == NULL)
        return 0;
    if (strcmp(v, "yes") && strcmp(v, "no") && strcmp(v, "true") && strcmp(v, "false"))
        return cli_fail(2, "--%s must be yes or no", opt);
    json_object_set_new(body, field, json_boolean(v[0] == 'y' || v[0] == 't'));
    return 0;
}

/* "1,2,3" as an array of integers. */
static int put_ints(struct cli *c, json_t *body, const char *opt, const char *field)
{
    const char *v = cli_opt(c, opt);
    if (v == NULL)
        return 0;
    json_t *arr = json_array();
    for (const char *p = v; *p;) {
        char *end;
        long long x = strtoll(p, &end, 10);
        if (end == p || (*end && *end != ',')) {
            json_decref(arr);
            return cli_fail(2, "--%s must be a comma-separated list of ids", opt);
        }
        json_array_append_new(arr, json_integer(x));
        p = *end ? end + 1 : end;
    }
    json_object_set_new(body, field, arr);
    return 0;
}

static void put_attachment(struct cli *c, json_t *body)
{
    const char *v = cli_opt(c, "attachment");
    if (v)
        json_object_set_new(body, "attachments", json_pack("[s]", v));
}

static int cli_case_create_cmd(struct cli *c)
{
    static const char *const strs[][2] = {{"category", "category"},
                                          {"description", "description"},
                                          {"channel", "channel"},
                                          {"nature", "nature"},
                                          {"priority", "priority"},
                                          {"title", "title"},
                                          {"address", "address"},
                                          {"grid", "grid"},
                                          {"reporter-name", "reporter_name"},
                                          {"reporter-phone", "reporter_phone"},
                                          {"source-ref", "source_ref"}};
    json_t *body = json_object();
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        put_str(c, body, strs[i][0], strs[i][1]);
    put_attachment(c, body);
    if (cli_flag(c, "self-handled"))
        json_object_set_new(body, "self_handled", json_true());
    int rc = put_num(c, body, "lat");
    rc = rc ? rc : put_num(c, body, "lon");
    rc = rc ? rc : cli_open(c, 0);
    if (rc) {
        json_decref(body);
        return rc;
    }
    rc = cli_api(c, "POST", "/api/v1/cases", body, 0, NULL);
    cli_close(c);
    return rc;
}

/* Runs GET on a path built from the first positional id. */
static int get_by_id(struct cli *c, const char *fmt)
{
    char path[128];
    int64_t id;
    if (str_to_i64(c->pos[0], &id) || id <= 0)
        return cli_fail(2, "the id must be a positive integer");
    snprintf(path, sizeof path, fmt, (long long)id);
    return cli_get(c, path);
}

static int cli_case_show_cmd(struct cli *c)
{
    return get_by_id(c, "/api/v1/cases/%lld");
}

static int cli_case_events_cmd(struct cli *c)
{
    return get_by_id(c, "/api/v1/cases/%lld/events");
}

static int cli_whistle_show_cmd(struct cli *c)
{
    return get_by_id(c, "/api/v1/whistles/%lld");
}

/* Prints a case list as lines, or JSON with --json. */
static int print_list(struct cli *c, const char *path)
{
    json_t *out = NULL, *x;
    size_t i;
    int rc = cli_open(c, 0);
    if (rc)
        return rc;
    rc = cli_api(c, "GET", path, NULL, !cli_flag(c, "json") ? 1 : 0, &out);
    if (rc == 0 && !cli_flag(c, "json")) {
        json_array_foreach(json_object_get(out, "items"), i, x)
        {
            const char *due = json_string_value(json_object_get(x, "due_at"));
            printf("%-7lld %-20s %-6s %-25s %s%s\n",
                   (long long)json_integer_value(json_object_get(x, "id")),
                   json_string_value(json_object_get(x, "state")),
                   json_string_value(json_object_get(x, "category")), due ? due : "-",
                   json_is_true(json_object_get(x, "overdue")) ? "[超期] " : "",
                   json_string_value(json_object_get(x, "title")));
        }
    }
    json_decref(out);
    cli_close(c);
    return rc;
}

static int cli_case_list_cmd(struct cli *c)
{
    char path[512];
    const char *state = cli_opt(c, "state"), *cat = cli_opt(c, "category");
    const char *limit = cli_opt(c, "limit"), *before = cli_opt(c, "before");
    snprintf(path, sizeof path, "/api/v1/cases?limit=%s", limit ? limit : "50");
    if (state)
        snprintf(path + strlen(path), sizeof path - strlen(path), "&state=%s", state);
    if (cat)
        snprintf(path + strlen(path), sizeof path - strlen(path), "&category=%s", cat);
    if (before)
        snprintf(path + strlen(path), sizeof path - strlen(path), "&before=%s", before);
    return print_list(c, path);
}

static int cli_case_overdue_cmd(struct cli *c)
{
    char path[256];
    const char *limit = cli_opt(c, "limit");
    snprintf(path, sizeof path, "/api/v1/cases?%s=1&limit=%s",
             cli_flag(c, "at-risk") ? "at_risk" : "overdue", limit ? limit : "1000");
    return print_list(c, path);
}

/* Builds the body of an action from the options. */
static int action_body(struct cli *c, json_t *body)
{
    put_str(c, body, "note", "note");
    put_str(c, body, "span", "span");
    put_str(c, body, "satisfaction", "satisfaction");
    put_str(c, body, "type", "type");
    put_attachment(c, body);
    int rc = put_int(c, body, "unit", "unit");
    rc = rc ? rc : put_ints(c, body, "units", "units");
    rc = rc ? rc : put_int(c, body, "master", "master");
    rc = rc ? rc : put_int(c, body, "verifier", "verifier");
    rc = rc ? rc : put_int(c, body, "score", "score");
    rc = rc ? rc : put_int(c, body, "limit-minutes", "limit_minutes");
    rc = rc ? rc : put_int(c, body, "expect-seq", "expect_seq");
    rc = rc ? rc : put_bool(c, body, "resolved", "resolved");
    return rc ? rc : put_bool(c, body, "confirmed", "confirmed");
}

/* POSTs an action-like body to a path with the positional id. */
static int post_action(struct cli *c, const char *fmt, const char *action)
{
    char path[128];
    int64_t id;
    json_t *body = json_object();
    if (str_to_i64(c->pos[0], &id) || id <= 0) {
        json_decref(body);
        return cli_fail(2, "the id must be a positive integer");
    }
    if (action)
        json_object_set_new(body, "action", json_string(action));
    int rc = action_body(c, body);
    rc = rc ? rc : cli_open(c, 0);
    if (rc) {
        json_decref(body);
        return rc;
    }
    snprintf(path, sizeof path, fmt, (long long)id);
    rc = cli_api(c, "POST", path, body, 0, NULL);
    cli_close(c);
    return rc;
}

static int cli_case_act_cmd(struct cli *c)
{
    return post_action(c, "/api/v1/cases/%lld/actions", c->pos[1]);
}

static int cli_case_whistle_cmd(struct cli *c)
{
    return post_action(c, "/api/v1/cases/%lld/whistles", NULL);
}

static int cli_whistle_report_cmd(struct cli *c)
{
    return post_action(c, "/api/v1/whistles/%lld/report", NULL);
}

static int cli_whistle_rate_cmd(struct cli *c)
{
    return post_action(c, "/api/v1/whistles/%lld/rate", NULL);
}

static int cli_case_replay_cmd(struct cli *c)
{
    struct err e = {0};
    int64_t n;
    int rc = cli_open(c, 0);
    if (rc)
        return rc;
    rc = case_replay_check(c->dom, &n, &e);
    if (rc)
        fprintf(stderr, "chuishao: replay check failed after %lld cases: %s\n", (long long)n,
                e.msg);
    else
        printf("replay check: %lld cases, every stored state equals the replay of its events\n",
               (long long)n);
    cli_close(c);
    return rc ? 6 : 0;
}

#define CASE_OPTS "db as"
static const struct cli_cmd cmds[] = {
    {"case act", cli_case_act_cmd, "ID ACTION",
     CASE_OPTS " note unit units master verifier span resolved satisfaction score type "
               "limit-minutes confirmed expect-seq attachment",
     2, 2, "apply an action (the actions: docs/case.md, GET /api/v1/transitions)"},
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
    {"limit list", cli_limit_list_cmd, "", "db", 0, 0,
     "list the time limits (category x priority x stage)"},
    {"limit set", cli_limit_set_cmd, "CATEGORY PRIORITY STAGE LIMIT", "db", 4, 4,
     "add or change a time limit (category * = default)"},
    {"whistle rate", cli_whistle_rate_cmd, "WHISTLE-ID", CASE_OPTS " unit score note", 1, 1,
     "rate a summoned unit's response"},
    {"whistle report", cli_whistle_report_cmd, "WHISTLE-ID", CASE_OPTS " note unit", 1, 1,
     "report in (报到) for a whistle"},
    {"whistle show", cli_whistle_show_cmd, "WHISTLE-ID", CASE_OPTS, 1, 1,
     "a whistle with its units"},
};
CLI_CMDS(cli_case_cmds, "case", cmds);
