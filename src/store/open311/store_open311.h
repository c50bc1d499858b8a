/* store_open311.h - what Open311 GeoReport v2 keeps beside the cases:
 * service attributes, the answers given with requests, received updates,
 * and its queries over cases and events. */
#ifndef CHUISHAO_STORE_OPEN311_H
#define CHUISHAO_STORE_OPEN311_H

#include <stdint.h>
#include "store/case/store_case.h"

/* An extra question of a service (GET services/{code}). */
struct store_o311_attr {
    char code[64];              /* attribute code (attribute[code] on POST) */
    int variable;               /* 1: asks for input; 0: information only */
    char datatype[24];          /* string number datetime text singlevaluelist multivaluelist */
    int required;               /* 1 if an answer is required */
    char *datatype_description; /* input hint (arena), may be "" */
    int order;                  /* display order, 1 first */
    char *description;          /* the question (arena) */
};
/* An option of a list attribute. */
struct store_o311_value {
    char attr_code[64]; /* the attribute */
    char key[64];       /* the value sent */
    char *name;         /* its label (arena) */
};
/* The attributes of a service in display order, and the options of its list
 * attributes (by attribute, in order). OUT: arena arrays. */
MUST_CHECK int store_o311_attrs(struct store *s, const char *service_code, struct arena *a,
                                struct store_o311_attr **attrs, int *n_attrs,
                                struct store_o311_value **vals, int *n_vals, struct err *e);
/* Visits the codes of the services that have attributes, in order. */
MUST_CHECK int store_o311_attr_services(struct store *s,
                                        int (*fn)(void *arg, const char *service_code), void *arg,
                                        struct err *e);

/* One answer value given with a request (a multivaluelist has several). */
struct store_o311_answer {
    char code[64]; /* attribute code */
    char *value;   /* the value (arena or caller's) */
};
/* Stores a new request's answers in order. Must run inside a write job. */
MUST_CHECK int store_o311_answers_put(struct store *s, int64_t case_id,
                                      const struct store_o311_answer *v, int n, struct err *e);
/* The answers of a request in the order given. OUT: arena array. */
MUST_CHECK int store_o311_answers(struct store *s, int64_t case_id, struct arena *a,
                                  struct store_o311_answer **out, int *n, struct err *e);

/* GET requests: which cases; zero/NULL fields do not filter. */
struct store_o311_filter {
    const char *categories;           /* comma-separated category codes */
    const char *states;               /* comma-separated state names */
    int64_t created_from, created_to; /* created_at range (inclusive) */
    int64_t updated_from, updated_to; /* updated_at range (inclusive) */
    int has_bbox;                     /* 1: located inside the box below */
    double minx, miny, maxx, maxy;    /* the box (WGS-84 degrees) */
    int has_circle;                   /* 1: located within radius_m of lon/lat */
    double lon, lat, radius_m;        /* the circle (WGS-84, metres) */
    int limit;                        /* rows (1..1000) */
    int64_t offset;                   /* rows skipped */
};
/* Ids of the matching cases, newest report first. OUT: arena array. */
MUST_CHECK int store_o311_find(struct store *s, const struct store_o311_filter *f, struct arena *a,
                               int64_t **ids, int *n, struct err *e);
/* Events after the report (seq > 1) with at in [from, to], of one case if
 * case_id > 0, oldest first, paged. Filled: id, case_id, seq, at, action,
 * from_state, to_state, note, attachments. OUT: arena array. */
MUST_CHECK int store_o311_events(struct store *s, int64_t from, int64_t to, int64_t case_id,
                                 int limit, int64_t offset, struct arena *a,
                                 struct store_event **out, int *n, struct err *e);

/* An update received through POST servicerequestupdates. */
struct store_o311_update {
    char update_id[72];  /* the sender's id (unique) */
    int64_t case_id;     /* the request */
    int seq;             /* the comment event it produced */
    char status[32];     /* status as sent */
    char *description;   /* text (arena or caller's) */
    int64_t updated_at;  /* the sender's updated_datetime */
    int64_t received_at; /* instant of receipt */
    int64_t user_id;     /* whose api_key */
};
/* Reads an update by update_id; ERR_NOTFOUND (e untouched) if never seen. */
MUST_CHECK int store_o311_update_get(struct store *s, const char *update_id, struct arena *a,
                                     struct store_o311_update *out, struct err *e);
/* Records an update; ERR_CONFLICT if its update_id was seen. Must run inside
 * a write job. */
MUST_CHECK int store_o311_update_insert(struct store *s, const struct store_o311_update *u,
                                        struct err *e);

#endif
