/* cli_int.h - internals shared by the files of src/cli/. */
#ifndef CHUISHAO_CLI_INT_H
#define CHUISHAO_CLI_INT_H

#include <jansson.h>
#include "cli.h"
#include "../api/api.h"
#include "../auth/auth.h"
#include "../domain/case.h"

#define CLI_MAX_ARGS 32

/* Parsed command line. */
struct cli {
    const char *cmd[2];            /* command words matched */
    const char *pos[CLI_MAX_ARGS]; /* positional arguments */
    int n_pos;                     /* their number */
    const char *key[CLI_MAX_ARGS]; /* option names (without --) */
    const char *val[CLI_MAX_ARGS]; /* option values ("" for flags) */
    int n_opt;                     /* their number */
    const char *db;                /* --db, $CHUISHAO_DB or ./chuishao.db */
    struct store *store;           /* opened by cli_open */
    struct domain *dom;            /* opened by cli_open */
    struct api *api;               /* opened by cli_open */
    struct actor as;               /* --as USER, or the system administrator */
};

/* One command. */
struct cli_cmd {
    const char *name; /* "case create" */
    int (*fn)(struct cli *c);
    const char *args;     /* positional arguments, for usage */
    const char *opts;     /* allowed options, space-separated ("" none) */
    int min_pos, max_pos; /* positional argument count */
    const char *help;     /* one line */
};

/* Option value or NULL. */
const char *cli_opt(struct cli *c, const char *name);
/* 1 if a flag option is present. */
int cli_flag(struct cli *c, const char *name);
/* Opens the database (creating it with create=1), the domain and the API,
 * and resolves --as. Returns an exit code (0 ok). */
int cli_open(struct cli *c, int create);
void cli_close(struct cli *c);
/* Runs METHOD PATH with body (steals it; may be NULL) through the API as
 * c->as; prints the JSON result (pretty) unless quiet. OUT: *result (the
 * parsed response, caller decrefs) if result is non-NULL. Returns the exit
 * code. */
int cli_api(struct cli *c, const char *method, const char *path, json_t *body, int quiet,
            json_t **result);
/* Like cli_api with a raw body (text of n bytes, may be NULL); prints the
 * answer as it came (compact) if compact, else pretty. */
int cli_api_raw(struct cli *c, const char *method, const char *path, const char *text, size_t n,
                int compact);
/* Runs METHOD PATH (no body) through the API as c->as into *resp (in a; a
 * heap body, see api_resp.body_heap, is the caller's); prints an error
 * answer on stderr. Returns the exit code (0: resp holds the answer). */
int cli_api_fetch(struct cli *c, const char *method, const char *path, struct arena *a,
                  struct api_resp *resp);
/* Opens the database, GETs path through the API as c->as, prints the
 * answer, closes. Returns the exit code. */
int cli_get(struct cli *c, const char *path);
/* Prints an error line "chuishao: ..." and returns code. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Commands (cli_cmds.c, cli_case.c, cli_demo.c). */
int cli_init_cmd(struct cli *c);
int cli_serve_cmd(struct cli *c);
int cli_demo_cmd(struct cli *c);
int cli_demo_logins_cmd(struct cli *c);
int cli_case_create_cmd(struct cli *c);
int cli_case_show_cmd(struct cli *c);
int cli_case_events_cmd(struct cli *c);
int cli_case_list_cmd(struct cli *c);
int cli_case_overdue_cmd(struct cli *c);
int cli_case_act_cmd(struct cli *c);
int cli_case_whistle_cmd(struct cli *c);
int cli_case_replay_cmd(struct cli *c);
int cli_whistle_report_cmd(struct cli *c);
int cli_whistle_rate_cmd(struct cli *c);
int cli_whistle_show_cmd(struct cli *c);
int cli_user_add_cmd(struct cli *c);
int cli_user_list_cmd(struct cli *c);
int cli_user_passwd_cmd(struct cli *c);
int cli_unit_add_cmd(struct cli *c);
int cli_unit_list_cmd(struct cli *c);
int cli_apikey_create_cmd(struct cli *c);
int cli_calendar_workday_cmd(struct cli *c);
int cli_calendar_add_cmd(struct cli *c);
int cli_calendar_deadline_cmd(struct cli *c);
int cli_calendar_import_cmd(struct cli *c);
int cli_api_cmd(struct cli *c);
int cli_geo_import_cmd(struct cli *c);
int cli_calendar_periods_cmd(struct cli *c);
int cli_limit_list_cmd(struct cli *c);
int cli_limit_set_cmd(struct cli *c);
int cli_geo_export_cmd(struct cli *c);
int cli_geo_convert_cmd(struct cli *c);
int cli_geo_locate_cmd(struct cli *c);
int cli_stats_cmd(struct cli *c);
int cli_report_cmd(struct cli *c);

#endif
