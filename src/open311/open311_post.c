/* open311_post.c - POST requests: a GeoReport service request becomes an
 * ordinary case (channel "open311") through case_create, with its attribute
 * answers stored in the same transaction. Everything is checked before
 * anything is written; an error stores nothing. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "open311_int.h"
#include "store/place/store_place.h"

#define MAX_ANSWERS  100  /* attribute values in one request */
#define MAX_STRING   500  /* characters of a string attribute (and unknown ones) */
#define MAX_TEXT     4000 /* characters of a text attribute */
#define MAX_PLACE_UP 10   /* levels walked up from an address_id to its grid */

/* The service's attribute definitions. */
struct defs {
    struct store_o311_attr *at; /* attributes */
    int n;                      /* their number */
    struct store_o311_value *v; /* options of the list attributes */
    int nv;                     /* their number */
};

/* ---- attributes ------------------------------------------------------------ */

static const struct store_o311_attr *def_find(const struct defs *d, const char *code)
{
    for (int i = 0; i < d->n; i++)
        if (strcmp(d->at[i].code, code) == 0)
            return &d->at[i];
    return NULL;
}

/* 1 if key is one of the options of list attribute code. */
static int is_option(const struct defs *d, const char *code, const char *key)
{
    for (int i = 0; i < d->nv; i++)
        if (strcmp(d->v[i].attr_code, code) == 0 && strcmp(d->v[i].key, key) == 0)
            return 1;
    return 0;
}

/* "attribute[code]" or "attribute[code][]": copies code (1..63 of
 * [A-Za-z0-9_.-]); 0 if key is not an attribute field, -1 if malformed. */
static int attr_key(const char *key, char code[64])
{
    if (strncmp(key, "attribute[", 10) != 0)
        return 0;
    const char *p = key + 10, *end = strchr(p, ']');
    size_t n = end ? (size_t)(end - p) : 0;
    if (n == 0 || n > 63 || (strcmp(end, "]") != 0 && strcmp(end, "][]") != 0))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!(p[i] == '_' || p[i] == '-' || p[i] == '.' || (p[i] >= '0' && p[i] <= '9') ||
              (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z')))
            return -1;
    memcpy(code, p, n);
    code[n] = '\0';
    return 1;
}

/* Checks one value against its definition (NULL: an attribute the service
 * does not define, kept as given). */
static int check_value(struct o311 *o, const struct defs *d, const struct store_o311_attr *at,
                       const char *code, const char *v)
{
    const char *t = at ? at->datatype : "string";
    double num;
    int64_t when;
    char *end;
    if (strcmp(t, "number") == 0 && ((num = strtod(v, &end)), end == v || *end || !isfinite(num)))
        return o311_fail(o, 400, "attribute[%s] must be a number", code);
    if (strcmp(t, "datetime") == 0 && time_parse_iso(v, &when))
        return o311_fail(o, 400, "attribute[%s] must be an ISO 8601 date-time", code);
    if (strstr(t, "valuelist") && !is_option(d, code, v))
        return o311_fail(o, 400, "attribute[%s]: '%.40s' is not one of its values", code, v);
    if (utf8_len(v) > (strcmp(t, "text") == 0 ? MAX_TEXT : MAX_STRING))
        return o311_fail(o, 400, "attribute[%s] is too long", code);
    return 0;
}

/* How many answers code already has. */
static int answers_for(const struct store_o311_answer *v, int n, const char *code)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += strcmp(v[i].code, code) == 0;
    return k;
}

/* Collects and checks the attribute fields in the order given; informational
 * attributes (variable=false) are ignored. OUT: arena array. */
static int collect_answers(struct o311 *o, const struct defs *d, struct store_o311_answer **out,
                           int *n)
{
    struct store_o311_answer *v = arena_alloc(o->a, sizeof *v * MAX_ANSWERS);
    *n = 0;
    for (int i = 0; i < o->np; i++) {
        char code[64];
        int kind = attr_key(o->p[i].key, code);
        const struct store_o311_attr *at = kind > 0 ? def_find(d, code) : NULL;
        if (kind < 0)
            return o311_fail(o, 400, "malformed attribute field %.80s", o->p[i].key);
        if (kind == 0 || o->p[i].value[0] == '\0' || (at && !at->variable))
            continue;
        if (check_value(o, d, at, code, o->p[i].value))
            return -1;
        int had = answers_for(v, *n, code);
        if (had && !(at && strcmp(at->datatype, "multivaluelist") == 0))
            return o311_fail(o, 400, "attribute[%s] takes one value", code);
        if (*n == MAX_ANSWERS)
            return o311_fail(o, 400, "more than %d attribute values", MAX_ANSWERS);
        str_copy(v[*n].code, sizeof v[*n].code, code);
        v[(*n)++].value = (char *)o->p[i].value;
    }
    for (int i = 0; i < d->n; i++)
        if (d->at[i].variable && d->at[i].required && !answers_for(v, *n, d->at[i].code))
            return o311_fail(o, 400, "attribute[%s] is required (%.100s)", d->at[i].code,
                             d->at[i].description);
    *out = v;
    return 0;
}

/* ---- location -------------------------------------------------------------- */

/* address_id names a place of the place tree: its grid (found by walking up)
 * locates the case; its name is the address unless one is given. */
static int address_place(struct o311 *o, const char *code, struct case_new *in)
{
    struct store_place p;
    struct err e = {0};
    for (int i = 0; i < MAX_PLACE_UP && code && *code; i++) {
        if (store_place_get(o->store, code, NULL, &p, &e))
            return e.code == ERR_NOTFOUND
                       ? o311_fail(o, 400, "address_id %.40s is not a known place code", code)
                       : o311_fail(o, 400, "%s", e.msg);
        if (i == 0 && in->address == NULL)
            in->address = arena_strdup(o->a, p.name);
        if (strcmp(p.kind, "grid") == 0) {
            in->grid = arena_strdup(o->a, p.code);
            break;
        }
        code = arena_strdup(o->a, p.parent);
    }
    return 0;
}

/* lat+long, address_string or address_id: at least one is required. */
static int location(struct o311 *o, struct case_new *in)
{
    const char *lat = o311_param(o, "lat"), *lon = o311_param(o, "long");
    const char *addr_id = o311_param(o, "address_id");
    char *e1, *e2;
    in->address = o311_param(o, "address_string");
    if ((lat == NULL) != (lon == NULL))
        return o311_fail(o, 400, "lat and long must be given together");
    if (lat) {
        in->lat = strtod(lat, &e1);
        in->lon = strtod(lon, &e2);
        if (e1 == lat || *e1 || e2 == lon || *e2 || !isfinite(in->lat) || !isfinite(in->lon) ||
            fabs(in->lat) > 90 || fabs(in->lon) > 180)
            return o311_fail(o, 400, "lat and long must be WGS-84 degrees");
        in->has_pos = 1;
    }
    if (addr_id && address_place(o, addr_id, in))
        return -1;
    if (!lat && !in->address && !addr_id)
        return o311_fail(o, 400,
                         "a location is required: lat and long, address_string or address_id");
    return 0;
}

/* ---- the request ----------------------------------------------------------- */

/* first_name + last_name, or NULL. */
static const char *reporter_name(struct o311 *o)
{
    const char *f = o311_param(o, "first_name"), *l = o311_param(o, "last_name");
    if (f && l)
        return arena_printf(o->a, "%s %s", f, l);
    return f ? f : l;
}

/* The write job: the case, then its answers, in one transaction. */
struct post_job {
    struct o311 *o;                /* the request */
    struct case_new in;            /* the report */
    struct store_o311_answer *ans; /* attribute answers */
    int n_ans;                     /* their number */
    struct store_case k;           /* the new case */
};

static int job_post(struct store *s, void *arg, struct err *e)
{
    struct post_job *j = arg;
    int rc = case_create(j->o->dom, &j->o->who, &j->in, j->o->a, &j->k, e);
    return rc ? rc : store_o311_answers_put(s, j->k.id, j->ans, j->n_ans, e);
}

/* The service, its definitions and the case to create. */
static int build(struct o311 *o, struct post_job *j)
{
    const char *code = o311_param(o, "service_code");
    struct store_category cat;
    struct defs d;
    if (code == NULL)
        return o311_fail(o, 400, "service_code was not provided");
    if (store_category_get(o->store, code, &cat, &o->e))
        return o->e.code == ERR_NOTFOUND ? o311_fail(o, 404, "service_code %.40s not found", code)
                                         : o311_fail_domain(o);
    if (store_o311_attrs(o->store, cat.code, o->a, &d.at, &d.n, &d.v, &d.nv, &o->e))
        return o311_fail_domain(o);
    if (location(o, &j->in) || collect_answers(o, &d, &j->ans, &j->n_ans))
        return -1;
    j->in.channel = "open311";
    j->in.nature = "complaint";
    j->in.category = arena_strdup(o->a, cat.code);
    j->in.description = o311_param(o, "description");
    if (j->in.description == NULL) /* optional in Open311, required for a case */
        j->in.description = arena_strdup(o->a, cat.name);
    j->in.reporter_name = reporter_name(o);
    j->in.reporter_phone = o311_param(o, "phone");
    j->in.attachments = o311_param(o, "media_url");
    return 0;
}

int o311_requests_post(struct o311 *o)
{
    struct post_job j = {.o = o};
    struct buf b;
    struct ow w;
    char due[32];
    if (o311_auth(o) || build(o, &j))
        return -1;
    if (store_write(o->store, job_post, &j, &o->e))
        return o311_fail_domain(o);
    time_format_iso(j.k.due_at, due);
    o311_begin(o, &b, &w);
    ow_list(&w, "service_requests", "request");
    ow_obj(&w, NULL);
    ow_int(&w, "service_request_id", j.k.id);
    ow_str(&w, "service_notice",
           j.k.due_at ? arena_printf(o->a, "已受理，编号 %lld；指挥中心将于 %s 前核实立案。",
                                     (long long)j.k.id, due)
                      : arena_printf(o->a, "已受理，编号 %lld。", (long long)j.k.id));
    ow_str(&w, "account_id", o311_param(o, "account_id"));
    ow_obj_end(&w);
    ow_list_end(&w);
    return o311_reply(o, &b);
}
