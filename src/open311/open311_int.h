/*
 * open311_int.h - internals of the Open311 GeoReport v2 door under
 * /open311/v2/ (open311*.c; docs/open311.md). A translation between the
 * GeoReport shapes and the case engine: every rule stays in domain/, and
 * errors take the status of the one error table (core.h).
 */
#ifndef CHUISHAO_OPEN311_INT_H
#define CHUISHAO_OPEN311_INT_H

#include "open311.h"
#include "api/jw.h"
#include "domain/case/case.h"
#include "store/open311/store_open311.h"
#include "store/unit/store_unit.h"

/* ---- one writer, two formats -------------------------------------------
 * The same sequence of calls writes XML (the spec's element names) or JSON
 * (its "Spark" mapping: list roots become arrays, the item element name
 * disappears), so both formats always carry the same data. A NULL or empty
 * string is written as null / an empty element. */
#define OW_MAX_DEPTH 12

struct ow {
    struct buf *b;                  /* output (bounded) */
    int json;                       /* 1 JSON, 0 XML */
    struct jw jw;                   /* the JSON writer (json only) */
    int depth;                      /* open lists and objects */
    const char *name[OW_MAX_DEPTH]; /* XML element open at each depth (1-based) */
    const char *item[OW_MAX_DEPTH]; /* item element name if the level is a list, else NULL */
};

/* Starts a document (the XML declaration for XML). */
void ow_init(struct ow *w, struct buf *b, int json);
/* A list <name> whose entries are <item> elements (a JSON array). */
void ow_list(struct ow *w, const char *name, const char *item);
void ow_list_end(struct ow *w);
/* An object: <name> (NULL inside a list: the list's item name). */
void ow_obj(struct ow *w, const char *name);
void ow_obj_end(struct ow *w);
/* Scalars; name NULL inside a list means the list's item name. */
void ow_str(struct ow *w, const char *name, const char *v);
void ow_int(struct ow *w, const char *name, int64_t v);
void ow_num(struct ow *w, const char *name, double v);
void ow_bool(struct ow *w, const char *name, int v);
void ow_time(struct ow *w, const char *name, int64_t t); /* ISO 8601 +08:00; 0 = null */
/* Appends s escaped for XML text and attribute values (& < > " ' and tab,
 * newline, carriage return as character references). s must be clean (see
 * o311_clean). */
void o311_xml_escape(struct buf *b, const char *s);
/* s with every byte sequence that is not valid UTF-8, and every character
 * XML 1.0 cannot carry (controls other than tab/newline/CR, U+FFFE/U+FFFF),
 * replaced by U+FFFD: s itself when already clean, else a copy in a. */
const char *o311_clean(struct arena *a, const char *s);

/* ---- a request being answered ------------------------------------------ */
struct o311 {
    struct store *store;       /* the database */
    struct domain *dom;        /* the rules */
    const struct api_req *req; /* the HTTP request */
    struct api_resp *resp;     /* the answer */
    struct arena *a;           /* request arena */
    int json;                  /* response format: 1 JSON, 0 XML */
    const char *res;           /* resource below /open311/v2/ without the format suffix */
    const char *arg;           /* its {code}/{id} segment, or NULL */
    struct api_param *p;       /* parameters: the form body's, then the query's */
    int np;                    /* their number */
    struct actor who;          /* the api_key's actor (writes) or the public reader */
    int status;                /* HTTP status of the error being answered */
    struct err e;              /* error context */
};

/* A parameter's value; NULL when absent or empty (the spec treats both alike). */
const char *o311_param(struct o311 *o, const char *name);
/* Records an error answer of the spec's own (HTTP 400, 403 or 404) and
 * returns -1. */
int o311_fail(struct o311 *o, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Turns the domain's error in o->e into the spec's answer, with the HTTP
 * status of the one error table (ERR_INVALID 400, ERR_NOTFOUND 404,
 * ERR_DENIED 403, ERR_CONFLICT 409, ERR_STORE 500, ...). Returns -1. */
int o311_fail_domain(struct o311 *o);
/* Answers 200 with the document in b (takes the buffer). Returns 0. */
int o311_reply(struct o311 *o, struct buf *b);
/* A response buffer and a writer on it in the request's format. */
void o311_begin(struct o311 *o, struct buf *b, struct ow *w);
/* Resolves the api_key parameter into o->who; 403 if missing or invalid. */
int o311_auth(struct o311 *o);
/* Parses an ISO 8601 parameter into *t (0 if absent); 400 if malformed. */
int o311_time_param(struct o311 *o, const char *name, int64_t *t);
/* Parses a non-negative integer parameter in [lo, hi] (def if absent). */
int o311_int_param(struct o311 *o, const char *name, int64_t def, int64_t lo, int64_t hi,
                   int64_t *out);

/* Decodes the form body (application/x-www-form-urlencoded) and joins it
 * with the query parameters into o->p; 400 for another body type, a bad
 * escape or text that is not UTF-8. */
int o311_params(struct o311 *o);

/* ---- shared lookups ------------------------------------------------------ */
/* "open" or "closed" for a case state (the final states are closed). */
const char *o311_status(const char *state);
/* The Chinese label of an action (its name if unknown). */
const char *o311_action_label(const char *action);
/* The first line of s (an attachment list: the media URL), in the arena;
 * NULL for NULL or "". */
const char *o311_first_line(struct arena *a, const char *s);

/* Every category and unit, for names (read once per request). */
struct o311_names {
    struct store_category *cats; /* categories (arena) */
    int n_cats, cap_cats;        /* used and allocated */
    struct store_unit *units;    /* units (arena) */
    int n_units, cap_units;      /* used and allocated */
    struct arena *a;             /* where the arrays live */
};
/* Loads the names into the arena a (inside the caller's read, if any). */
int o311_names_load(struct store *s, struct arena *a, struct o311_names *nm, struct err *e);
/* A category's name, or NULL. */
const char *o311_service_name(const struct o311_names *nm, const char *code);
/* A unit's name, or NULL (also for id 0). */
const char *o311_unit_name(const struct o311_names *nm, int64_t id);

/* The methods (each answers or fails with o311_fail*). */
int o311_requests_get(struct o311 *o);
int o311_request_get(struct o311 *o);
int o311_requests_post(struct o311 *o);
int o311_token_get(struct o311 *o);
int o311_updates_get(struct o311 *o);
int o311_updates_post(struct o311 *o);

/* The note of an event as the public may read it: the note for actions
 * meant for the reporter, "" for internal ones (open311_requests.c). */
const char *o311_public_note(const struct store_event *ev);
/* 1 if the event is one whose note and attachments the public may see. */
int o311_event_public(const struct store_event *ev);
/* The "" returned by o311_public_note for internal events. */
extern const char o311_hidden[];

#endif /* CHUISHAO_OPEN311_INT_H */
