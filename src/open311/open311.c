/* api_open311.c - Open311 GeoReport v2 under /open311/v2/ (docs/open311.md):
 * the path and format, jurisdiction_id, the method table, the spec's error
 * document, and the read-only methods discovery, services and
 * services/{code}. Requests and updates are in open311_requests.c and
 * open311_updates.c. */
#include <stdio.h>
#include <string.h>
#include "open311_int.h"
#include "store/store.h"

#define DEFAULT_JURISDICTION "liujia.kunming.cn"

/* Who reads through Open311: the spec's GETs are public, so every case can
 * be listed (reporter identities are never part of the shapes). */

/* ---- discovery ------------------------------------------------------------- */

/* A setting's value or def (in the arena). A failed read is kept in o->e
 * (the caller answers it: see settings_failed). */
static const char *setting(struct o311 *o, const char *key, const char *def)
{
    char v[512];
    int rc = store_setting_get(o->store, key, v, sizeof v, &o->e);
    if (rc == 0 && v[0])
        return arena_strdup(o->a, v);
    return def;
}

/* 1 if a setting could not be read (o->e says why). */
static int settings_failed(struct o311 *o)
{
    return o->e.code != 0 && o->e.code != ERR_NOTFOUND;
}

/* GET discovery: the endpoint, its formats and where to get a key. */
static int discovery(struct o311 *o)
{
    struct buf b;
    struct ow w;
    const char *changeset = setting(o, "open311_changeset", "2025-01-01T00:00:00+08:00");
    o311_begin(o, &b, &w);
    ow_obj(&w, "discovery");
    ow_str(&w, "changeset", changeset);
    ow_str(
        &w, "contact",
        setting(o, "open311_contact", "六甲街道综合指挥中心 (Liujia subdistrict command centre)"));
    ow_str(&w, "key_service",
           setting(o, "open311_key_service",
                   "Ask the administrator for an API key (chuishao apikey create)."));
    ow_list(&w, "endpoints", "endpoint");
    ow_obj(&w, NULL);
    ow_str(&w, "specification", "http://wiki.open311.org/GeoReport_v2");
    ow_str(&w, "url", setting(o, "open311_base_url", "/open311/v2"));
    ow_str(&w, "changeset", changeset);
    ow_str(&w, "type", "production");
    ow_list(&w, "formats", "format");
    ow_str(&w, NULL, "text/xml");
    ow_str(&w, NULL, "application/json");
    ow_list_end(&w);
    ow_obj_end(&w);
    ow_list_end(&w);
    ow_obj_end(&w);
    if (settings_failed(o)) {
        buf_free(&b);
        return o311_fail_domain(o);
    }
    return o311_reply(o, &b);
}

/* ---- services -------------------------------------------------------------- */

/* The services with attributes, as ",code,code,". */
struct attr_services {
    struct arena *a;        /* where the string lives */
    const char *with_attrs; /* the list */
};

/* Appends one service code to the list. */
static int add_attr_service(void *arg, const char *code)
{
    struct attr_services *x = arg;
    x->with_attrs = arena_printf(x->a, "%s%s,", x->with_attrs, code);
    return 0;
}

/* The class of a category code's first digit (data/categories.txt). */
static const char *category_class(const char *code)
{
    return code[0] == '1' ? "部件" : code[0] == '2' ? "事件" : code[0] == '3' ? "民生诉求" : "";
}

/* One service: a category in the spec's shape. */
static void service_jw(struct o311 *o, struct ow *w, const struct store_category *c, int meta)
{
    ow_obj(w, NULL);
    ow_str(w, "service_code", c->code);
    ow_str(w, "service_name", c->name);
    ow_str(w, "description",
           arena_printf(o->a, "%s（%s·%s）", c->name, category_class(c->code), c->group));
    ow_bool(w, "metadata", meta);
    ow_str(w, "type", "realtime");
    ow_str(w, "keywords", arena_printf(o->a, "%s,%s", category_class(c->code), c->group));
    ow_str(w, "group", c->group);
    ow_obj_end(w);
}

/* GET services: every category; metadata says which have attributes. */
static int services(struct o311 *o)
{
    struct attr_services x = {.a = o->a, .with_attrs = ","};
    struct o311_names nm;
    struct buf b;
    struct ow w;
    if (o311_names_load(o->store, o->a, &nm, &o->e) ||
        store_o311_attr_services(o->store, add_attr_service, &x, &o->e))
        return o311_fail_domain(o);
    o311_begin(o, &b, &w);
    ow_list(&w, "services", "service");
    for (int i = 0; i < nm.n_cats; i++) {
        char key[24];
        snprintf(key, sizeof key, ",%s,", nm.cats[i].code);
        service_jw(o, &w, &nm.cats[i], strstr(x.with_attrs, key) != NULL);
    }
    ow_list_end(&w);
    return o311_reply(o, &b);
}

/* Writes the options of attribute code, if it is a list. */
static void values_jw(struct ow *w, const struct store_o311_attr *at,
                      const struct store_o311_value *v, int n)
{
    if (strstr(at->datatype, "valuelist") == NULL)
        return;
    ow_list(w, "values", "value");
    for (int i = 0; i < n; i++) {
        if (strcmp(v[i].attr_code, at->code) != 0)
            continue;
        ow_obj(w, NULL);
        ow_str(w, "key", v[i].key);
        ow_str(w, "name", v[i].name);
        ow_obj_end(w);
    }
    ow_list_end(w);
}

/* GET services/{code}: the attributes in order, with list options. 404
 * for an unknown code. */
static int service_definition(struct o311 *o)
{
    struct store_category c;
    struct store_o311_attr *at;
    struct store_o311_value *v;
    int n, nv;
    struct buf b;
    struct ow w;
    if (store_category_get(o->store, o->arg, &c, &o->e))
        return o->e.code == ERR_NOTFOUND ? o311_fail(o, 404, "service_code %.40s not found", o->arg)
                                         : o311_fail_domain(o);
    if (store_o311_attrs(o->store, c.code, o->a, &at, &n, &v, &nv, &o->e))
        return o311_fail_domain(o);
    o311_begin(o, &b, &w);
    ow_obj(&w, "service_definition");
    ow_str(&w, "service_code", c.code);
    ow_list(&w, "attributes", "attribute");
    for (int i = 0; i < n; i++) {
        ow_obj(&w, NULL);
        ow_bool(&w, "variable", at[i].variable);
        ow_str(&w, "code", at[i].code);
        ow_str(&w, "datatype", at[i].datatype);
        ow_bool(&w, "required", at[i].required);
        ow_str(&w, "datatype_description", at[i].datatype_description);
        ow_int(&w, "order", at[i].order);
        ow_str(&w, "description", at[i].description);
        values_jw(&w, &at[i], v, nv);
        ow_obj_end(&w);
    }
    ow_list_end(&w);
    ow_obj_end(&w);
    return o311_reply(o, &b);
}

/* ---- dispatch -------------------------------------------------------------- */

/* One method: resource name, whether it takes a {code}/{id} segment, HTTP
 * method, handler. Sorted by resource. */
static const struct o311_route {
    const char *res;
    int arg;
    const char *method;
    int (*fn)(struct o311 *o);
} routes[] = {
    {"discovery", 0, "GET", discovery},
    {"requests", 0, "GET", o311_requests_get},
    {"requests", 0, "POST", o311_requests_post},
    {"requests", 1, "GET", o311_request_get},
    {"servicerequestupdates", 0, "GET", o311_updates_get},
    {"servicerequestupdates", 0, "POST", o311_updates_post},
    {"services", 0, "GET", services},
    {"services", 1, "GET", service_definition},
    {"tokens", 1, "GET", o311_token_get},
};

/* ---- shared lookups --------------------------------------------------------- */

const char *o311_status(const char *state)
{
    return case_state_final(case_state_parse(state)) ? "closed" : "open";
}

const char *o311_action_label(const char *action)
{
    int act = case_action_parse(action);
    return act ? case_action_label(act) : action;
}

const char *o311_first_line(struct arena *a, const char *s)
{
    if (s == NULL || *s == '\0')
        return NULL;
    const char *nl = strchr(s, '\n');
    return nl ? arena_strndup(a, s, (size_t)(nl - s)) : s;
}

/* Grows an arena array by doubling; returns the slot for element n. */
static void *grow(struct arena *a, void **v, int n, int *cap, size_t size)
{
    if (n == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        void *bigger = arena_alloc(a, size * (size_t)*cap);
        if (n)
            memcpy(bigger, *v, size * (size_t)n);
        *v = bigger;
    }
    return (char *)*v + size * (size_t)n;
}

/* Collects categories and units into the names. */
static int add_cat(void *arg, const struct store_category *c)
{
    struct o311_names *nm = arg;
    *(struct store_category *)grow(nm->a, (void **)&nm->cats, nm->n_cats++, &nm->cap_cats,
                                   sizeof *c) = *c;
    return 0;
}

static int add_unit(void *arg, const struct store_unit *u)
{
    struct o311_names *nm = arg;
    *(struct store_unit *)grow(nm->a, (void **)&nm->units, nm->n_units++, &nm->cap_units,
                               sizeof *u) = *u;
    return 0;
}

int o311_names_load(struct store *s, struct arena *a, struct o311_names *nm, struct err *e)
{
    memset(nm, 0, sizeof *nm);
    nm->a = a;
    if (store_category_each(s, add_cat, nm, e) || store_unit_each(s, add_unit, nm, e))
        return e->code;
    return 0;
}

const char *o311_service_name(const struct o311_names *nm, const char *code)
{
    for (int i = 0; i < nm->n_cats; i++)
        if (strcmp(nm->cats[i].code, code) == 0)
            return nm->cats[i].name;
    return NULL;
}

const char *o311_unit_name(const struct o311_names *nm, int64_t id)
{
    for (int i = 0; id && i < nm->n_units; i++)
        if (nm->units[i].id == id)
            return nm->units[i].name;
    return NULL;
}

/* Splits the path into resource, argument and format (the suffix is read
 * first, so that even a 404 for the path comes in the asked format). 404 for
 * a path outside the API or an unknown format (answered in XML). */
static int parse_path(struct o311 *o)
{
    const char *p = o->req->path + strlen("/open311/");
    int v2 = strncmp(p, "v2/", 3) == 0;
    char *res = arena_strdup(o->a, v2 ? p + 3 : p), *slash = strchr(res, '/');
    char *last = slash ? slash + 1 : res, *dot = strrchr(last, '.');
    if (dot) {
        *dot = '\0';
        if (strcmp(dot + 1, "json") != 0 && strcmp(dot + 1, "xml") != 0)
            return o311_fail(o, 404, "unknown format '%.20s': use .xml or .json", dot + 1);
        o->json = strcmp(dot + 1, "json") == 0;
    }
    if (slash) {
        *slash = '\0';
        o->arg = *last ? last : NULL;
    }
    if ((slash && strchr(last, '/')) || (!v2 && (strcmp(res, "discovery") != 0 || slash)))
        return o311_fail(o, 404, "no such resource: %.100s (the API is at /open311/v2/)",
                         o->req->path);
    o->res = res;
    return 0;
}

/* jurisdiction_id: absent, or this endpoint's. */
static int check_jurisdiction(struct o311 *o)
{
    const char *j = o311_param(o, "jurisdiction_id");
    const char *mine = setting(o, "open311_jurisdiction", DEFAULT_JURISDICTION);
    if (settings_failed(o))
        return o311_fail_domain(o);
    if (j && strcmp(j, mine) != 0)
        return o311_fail(o, 404, "jurisdiction_id %.60s not found (this endpoint serves %s)", j,
                         mine);
    return 0;
}

/* Reads the path, parameters and jurisdiction, then runs the method;
 * 404 for an unknown resource, 400 for a method it does not have. */
static int route(struct o311 *o)
{
    const char *method = strcmp(o->req->method, "HEAD") == 0 ? "GET" : o->req->method;
    int known = 0;
    if (parse_path(o) || o311_params(o) || check_jurisdiction(o))
        return -1;
    for (size_t i = 0; i < ARRAY_SIZE(routes); i++) {
        if (strcmp(routes[i].res, o->res) != 0 || routes[i].arg != (o->arg != NULL))
            continue;
        if (strcmp(routes[i].method, method) == 0)
            return routes[i].fn(o);
        known = 1;
    }
    if (known)
        return o311_fail(o, 400, "%s is not supported on %s", o->req->method, o->req->path);
    return o311_fail(o, 404, "no such resource: %s", o->req->path);
}

/* The spec's error document: errors/error with code and description. */
static void reply_error(struct o311 *o)
{
    struct buf b;
    struct ow w;
    o311_begin(o, &b, &w);
    ow_list(&w, "errors", "error");
    ow_obj(&w, NULL);
    ow_int(&w, "code", o->status);
    ow_str(&w, "description", o->e.msg);
    ow_obj_end(&w);
    ow_list_end(&w);
    o311_reply(o, &b);
    o->resp->status = o->status;
}

/* The format the path asks for: JSON for a path ending in .json. */
static int wants_json(const char *path)
{
    size_t n = strlen(path);
    return n >= 5 && strcmp(path + n - 5, ".json") == 0;
}

void open311_error(const struct api_req *req, struct api_resp *resp, int code, const char *msg)
{
    struct o311 o = {.req = req, .resp = resp, .a = req->arena, .json = wants_json(req->path)};
    memset(resp, 0, sizeof *resp);
    o311_fail(&o, err_http_status(code), "%s", msg);
    reply_error(&o);
    resp->exit_code = err_exit_code(code);
}

void open311_handle(struct api *a, const struct api_req *req, struct api_resp *resp)
{
    struct o311 o = {
        .store = api_store(a), .dom = api_domain(a), .req = req, .resp = resp, .a = req->arena};
    dom_actor_reader(&o.who, "open311");
    memset(resp, 0, sizeof *resp);
    store_enter(o.store); /* reads may share a kept snapshot (store.h) */
    int rc = route(&o);
    store_leave(o.store);
    if (rc != 0) {
        if (o.status == 0) /* a handler failed without saying how: a bug */
            o311_fail(&o, 400, "the request could not be answered");
        reply_error(&o);
    }
}
