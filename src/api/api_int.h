/* api_int.h - internals shared by the files of src/api/. */
#ifndef CHUISHAO_API_INT_H
#define CHUISHAO_API_INT_H

#include <jansson.h>
#include "api.h"
#include "../domain/case.h"
#include "../domain/stats.h"
#include "jw.h"

/* API-level error codes beyond core's ERR_* (stable, never renumbered). */
enum {
    API_ERR_JSON = -100,   /* the body is not JSON */
    API_ERR_FIELD = -101,  /* an unknown field */
    API_ERR_TYPE = -102,   /* a field of the wrong type */
    API_ERR_UTF8 = -103,   /* invalid UTF-8 */
    API_ERR_ROUTE = -104,  /* no such endpoint */
    API_ERR_METHOD = -105, /* endpoint exists, method does not */
};

struct api {
    struct store *store;     /* database */
    struct domain *dom;      /* rules */
    struct api_cache *cache; /* full case views (api_cache.h) */
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

typedef int (*api_handler)(struct api_ctx *c);

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

/* Sets a JSON response (steals the reference to v). Returns 0. */
int api__reply(struct api_ctx *c, int status, json_t *v);
/* Sets the error response for code (with c->e's message and field). */
void api__reply_error(struct api_ctx *c, int code);
/* HTTP status and stable code string for an error code; CLI exit code. */
int api__status(int code, const char **name, int *exit_code);

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

/* Streamed encoders. api__case_jw calls more(c, w, arg) inside the case
 * object to add fields (may be NULL). */
void api__case_jw(struct api_ctx *c, struct jw *w, const struct store_case *k, int full,
                  void (*more)(struct api_ctx *c, struct jw *w, void *arg), void *arg);
void api__event_jw(struct jw *w, const struct store_event *ev);
int api__whistle_jw(struct api_ctx *c, struct jw *w, const struct store_whistle *wh);
/* jansson encoders (values owned by the caller). */
json_t *api__time(int64_t t);
json_t *api__user_json(const struct store_user *u);
json_t *api__unit_json(const struct store_unit *u);

/* "key": {"num": n, "den": d, "value": v|null} - a rate as GET /stats and
 * GET /report write it (value rounded to 6 places, null when den is 0). */
void api__rate_jw(struct jw *w, const char *key, struct stats_rate r);

/* Role checks: ERR_DENIED unless who has one of the roles. */
int api__require(struct api_ctx *c, int roles);

/* Open311 GeoReport v2 under /open311/v2/ (api_open311*.c): answers any
 * request whose path starts with /open311/, in XML or JSON, with the
 * spec's errors. Never fails. */
void open311_handle(struct api *a, const struct api_req *req, struct api_resp *resp);

/* Handlers (one per endpoint). */
int api_health_get(struct api_ctx *c);
int api_login_post(struct api_ctx *c);
int api_logout_post(struct api_ctx *c);
int api_me_get(struct api_ctx *c);
int api_cases_list(struct api_ctx *c);
int api_cases_create(struct api_ctx *c);
int api_case_get(struct api_ctx *c);
int api_case_events(struct api_ctx *c);
int api_case_act(struct api_ctx *c);
int api_case_whistle(struct api_ctx *c);
int api_whistles_list(struct api_ctx *c);
int api_whistle_get(struct api_ctx *c);
int api_whistle_report(struct api_ctx *c);
int api_whistle_rate(struct api_ctx *c);
int api_categories_list(struct api_ctx *c);
int api_units_list(struct api_ctx *c);
int api_units_create(struct api_ctx *c);
int api_whistle_types_list(struct api_ctx *c);
int api_transitions_list(struct api_ctx *c);
int api_users_list(struct api_ctx *c);
int api_users_create(struct api_ctx *c);
int api_apikeys_create(struct api_ctx *c);
int api_calendar_day(struct api_ctx *c);
int api_calendar_add(struct api_ctx *c);
int api_calendar_deadline(struct api_ctx *c);
int api_places_list(struct api_ctx *c);
int api_place_get(struct api_ctx *c);
int api_places_import(struct api_ctx *c);
int api_places_locate(struct api_ctx *c);
int api_place_team(struct api_ctx *c);
int api_place_rename(struct api_ctx *c);
int api_stats_get(struct api_ctx *c);
int api_report_get(struct api_ctx *c);
int api_files_post(struct api_ctx *c);
int api_file_get(struct api_ctx *c);
/* Parses a coordinate system name (NULL/"" = WGS-84) into *crs. */
int api__crs(struct api_ctx *c, const char *value, int *crs);

#endif
