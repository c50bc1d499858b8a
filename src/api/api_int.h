/*
 * api_int.h - what the subjects of src/api/ share: the handle, a request
 * being answered, routes, body checks and replies. No module outside
 * src/api/ includes this.
 *
 * Each subject (api/<subject>/) defines its routes in a table and names it
 * in its header (`extern const struct table_part api_<subject>_routes;`);
 * api.c lists the tables, and api_new merges them into one sorted table.
 */
#ifndef CHUISHAO_API_INT_H
#define CHUISHAO_API_INT_H

#include <jansson.h>
#include "api.h"
#include "jw.h"

struct api_case_cache;

struct api {
    struct store *store;          /* database */
    struct domain *dom;           /* rules */
    struct api_case_cache *cache; /* full case views (case/api_case_cache.h) */
};

/* Room for a path parameter: {code} (≤ 47 bytes) or {sha256} (64 hex). */
#define API_CODE_SIZE 65

/* Everything a handler gets. */
struct api_ctx {
    struct api *api;           /* the API */
    const struct api_req *req; /* the request */
    struct api_resp *resp;     /* the response to fill */
    struct arena *a;           /* request arena */
    struct actor who;          /* the signed-in actor (role 0 if anonymous) */
    int64_t id;                /* the {id} path parameter, if any */
    char code[API_CODE_SIZE];  /* the {code} or {sha256} path parameter, if any */
    int out_crs;               /* coordinates in responses: GEO_* (0 = WGS-84) */
    double near_lon, near_lat; /* GET /cases?near=: the centre (WGS-84) */
    double near_m;             /* and the radius in metres (0: no radius search) */
    json_t *body;              /* parsed JSON body (object) or NULL */
    struct err e;              /* error context */
};

/* A handler answers the request in c->resp and returns 0, or returns an
 * ERR_* with c->e set (the pipeline then answers the error). */
typedef int (*api_handler)(struct api_ctx *c);

/* ---- routes --------------------------------------------------------------- */

/* Route flags. */
enum {
    ROUTE_WRITER = 1,   /* a quick write, run on the writer thread (api_handle_async) */
    ROUTE_RAW_BODY = 2, /* the handler reads the body itself (not a JSON object) */
    ROUTE_UPLOAD = 4,   /* a raw body of up to API_MAX_UPLOAD bytes (api_max_body) */
};

/* One endpoint. `{id}` in a pattern matches a positive integer, `{code}` a
 * place or category code, `{sha256}` 64 lower-case hex digits. */
struct api_route {
    const char *pattern; /* path pattern below /api/v1 */
    const char *method;  /* HTTP method */
    api_handler fn;      /* handler */
    int access;          /* who may call it: enum dom_access (the rule is in domain/) */
    int flags;           /* ROUTE_* */
};

/* A subject's routes (a table_part of struct api_route rows), in any order:
 * api_new sorts the merged table. */
#define API_ROUTES(name, subject, table) TABLE_PART(name, subject, table)

/* Orders two patterns: segment by segment, a literal segment before a
 * parameter ({id}, {code}, {sha256}), literals by bytes; so the first route
 * that matches a path is the most specific one. <0, 0, >0. */
int api__pattern_cmp(const char *a, const char *b);
/* The merged route table, sorted by api__pattern_cmp then method (built on
 * first use). OUT: *n. ERR_INTERNAL in e for two routes with the same
 * pattern and method (a programming error; api_new aborts on it). */
const struct api_route *api__routes(size_t *n, struct err *e);
/* The route that answers method and path (below /api/v1): on success *id
 * and code hold the path parameters. NULL with *code_err ERR_ROUTE or
 * ERR_METHOD. HEAD finds GET routes. */
const struct api_route *api__route_find(const char *method, const char *path, int64_t *id,
                                        char *code, int *code_err);

/* ---- bodies and parameters ------------------------------------------------ */

/* Parses c->req's body into c->body (NULL for no body): at most API_MAX_BODY
 * bytes (unless c->req->as), UTF-8, a JSON object without duplicate keys.
 * 0, or ERR_TOOBIG, ERR_UTF8, ERR_JSON or ERR_TYPE with c->e set; the
 * caller json_decref()s c->body either way. */
int api__parse_body(struct api_ctx *c);

/* Field types for body checks. */
enum { F_STR = 1, F_INT, F_NUM, F_BOOL, F_INTS, F_STRS, F_ANY };
struct api_field {
    const char *name; /* field name */
    int type;         /* F_* */
    int required;     /* 1 if it must be present */
};
/* Checks that the body is a JSON object whose fields are all in spec, with
 * the right types, and that required ones are there. */
int api__check_body(struct api_ctx *c, const struct api_field *spec, int n);

/* Body field accessors (after api__check_body): NULL / def if absent. */
const char *api__str(struct api_ctx *c, const char *name);
int64_t api__int(struct api_ctx *c, const char *name, int64_t def);
double api__num(struct api_ctx *c, const char *name, double def, int *present);
int api__bool(struct api_ctx *c, const char *name, int def);
/* Copies an int array field into an arena array. OUT: *n. */
int64_t *api__ints(struct api_ctx *c, const char *name, int *n);
/* Query parameter or NULL. */
const char *api__query(struct api_ctx *c, const char *name);
/* Query parameter as int64 (def if absent); ERR_INVALID naming it if malformed. */
int api__query_int(struct api_ctx *c, const char *name, int64_t def, int64_t *out);
/* Parses a coordinate system name (NULL/"" = WGS-84) into *crs. */
int api__crs(struct api_ctx *c, const char *value, int *crs);

/* ---- replies -------------------------------------------------------------- */

/* Sets a JSON response (steals the reference to v). Returns 0. */
int api__reply(struct api_ctx *c, int status, json_t *v);
/* Sets the error response for code (with c->e's message and field). */
void api__reply_error(struct api_ctx *c, int code);
/* Sets a response from a jw buffer (frees the buffer). Returns 0. */
int api__reply_buf(struct api_ctx *c, int status, struct buf *b);
/* A buffer for a jw response: pre-sized, bounded by API_MAX_RESPONSE. */
void api__buf_init(struct buf *b);
/* Starts a list answer {"<key>": [ on a fresh buffer; close it with
 * api__items_end (which writes "]" and "}"). */
void api__items_begin(struct buf *b, struct jw *w, const char *key);
void api__items_end(struct jw *w);
/* Largest JSON response built with jw. */
#define API_MAX_RESPONSE (16 * 1024 * 1024)
/* An instant as an ISO 8601 JSON string (null for 0). */
json_t *api__time(int64_t t);

#endif
