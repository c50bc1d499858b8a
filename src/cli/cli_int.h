/* cli_int.h - internals shared by the files of src/cli/. */
#ifndef CHUISHAO_CLI_INT_H
#define CHUISHAO_CLI_INT_H

#include <jansson.h>
#include "cli.h"
#include "api/api.h"
#include "auth/auth.h"

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

/* A subject's commands (a table_part of struct cli_cmd rows), in any order:
 * cli_main sorts the merged table. */
#define CLI_CMDS(name, subject, table) TABLE_PART(name, subject, table)

/* The merged command table, sorted by name. OUT: *n. NULL with ERR_INTERNAL
 * in e if two commands share a name (a programming error). */
const struct cli_cmd *cli__commands(size_t *n, struct err *e);

#endif
