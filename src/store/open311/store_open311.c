/* store_open311.c - what Open311 GeoReport v2 keeps besides the cases:
 * service attributes, request answers, posted updates (003_open311.sql), and
 * the case and event queries its list methods need. */
#include <math.h>
#include <string.h>
#include "store/store_int.h"
#include "store_open311.h"

STORE_Q(q_attrs, "SELECT code, variable, datatype, required, datatype_description, ord, "
                 "description FROM open311_attributes WHERE service_code = ? ORDER BY ord");
STORE_Q(q_values, "SELECT attr_code, key, name FROM open311_attribute_values "
                  "WHERE service_code = ? ORDER BY attr_code, ord");
STORE_Q(q_attr_services, "SELECT DISTINCT service_code FROM open311_attributes "
                         "ORDER BY service_code");
STORE_Q(q_answer_add, "INSERT INTO open311_answers(case_id, code, ord, value) VALUES (?, ?, ?, ?)");
STORE_Q(q_answers, "SELECT code, value FROM open311_answers WHERE case_id = ? ORDER BY ord");
/* Lists are matched as ",a,b," against ",x,"; the circle test is an
 * equirectangular distance (exact enough below 50 km) after the box. */
STORE_Q(q_find, "SELECT c.id FROM cases c WHERE "
                "(?1 IS NULL OR instr(',' || ?1 || ',', ',' || c.category || ',') > 0) "
                "AND (?2 IS NULL OR instr(',' || ?2 || ',', ',' || c.state || ',') > 0) "
                "AND (?3 IS NULL OR c.created_at >= ?3) AND (?4 IS NULL OR c.created_at <= ?4) "
                "AND (?5 IS NULL OR c.updated_at >= ?5) AND (?6 IS NULL OR c.updated_at <= ?6) "
                "AND (?7 IS NULL OR (c.lat BETWEEN ?8 AND ?10 AND c.lon BETWEEN ?7 AND ?9)) "
                "AND (?11 IS NULL OR (c.lat IS NOT NULL AND "
                "     ((c.lon - ?12) * ?13) * ((c.lon - ?12) * ?13) + "
                "     ((c.lat - ?11) * 110574.0) * ((c.lat - ?11) * 110574.0) <= ?14 * ?14)) "
                "ORDER BY c.created_at DESC, c.id DESC LIMIT ?15 OFFSET ?16");
STORE_Q(q_events, "SELECT id, case_id, seq, at, action, from_state, to_state, note, attachments "
                  "FROM case_events WHERE seq > 1 AND at >= ?1 AND at <= ?2 "
                  "AND (?3 IS NULL OR case_id = ?3) ORDER BY at, id LIMIT ?4 OFFSET ?5");
STORE_Q(q_update_get, "SELECT update_id, case_id, seq, status, description, updated_at, "
                      "received_at, user_id FROM open311_updates WHERE update_id = ?");
STORE_Q(q_update_add, "INSERT INTO open311_updates(update_id, case_id, seq, status, description, "
                      "updated_at, received_at, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");

/* ---- attributes ------------------------------------------------------------ */

/* Arena array being filled by a row callback. */
struct rows {
    struct arena *a; /* where strings and the array live */
    void *v;         /* the array */
    int n, cap;      /* used and allocated */
};

/* Row callbacks: each appends one record to the arena array. */
static int row_attr(struct store *s, struct store_stmt *st, void *arg)
{
    struct rows *r = arg;
    struct store_o311_attr *x = store__push(r->a, &r->v, &r->n, &r->cap, sizeof *x);
    COL_COPY(s, st, 0, x->code);
    x->variable = (int)COL_I64(s, st, 1);
    COL_COPY(s, st, 2, x->datatype);
    x->required = (int)COL_I64(s, st, 3);
    x->datatype_description = store__col_dup(s, st, 4, r->a);
    x->order = (int)COL_I64(s, st, 5);
    x->description = store__col_dup(s, st, 6, r->a);
    return 0;
}

static int row_value(struct store *s, struct store_stmt *st, void *arg)
{
    struct rows *r = arg;
    struct store_o311_value *x = store__push(r->a, &r->v, &r->n, &r->cap, sizeof *x);
    COL_COPY(s, st, 0, x->attr_code);
    COL_COPY(s, st, 1, x->key);
    x->name = store__col_dup(s, st, 2, r->a);
    return 0;
}

int store_o311_attrs(struct store *s, const char *service_code, struct arena *a,
                     struct store_o311_attr **attrs, int *n_attrs, struct store_o311_value **vals,
                     int *n_vals, struct err *e)
{
    struct rows ra = {.a = a}, rv = {.a = a};
    int rc = store__query(s, &q_attrs, e, row_attr, &ra, "s", service_code);
    if (rc == 0)
        rc = store__query(s, &q_values, e, row_value, &rv, "s", service_code);
    *attrs = ra.v;
    *n_attrs = ra.n;
    *vals = rv.v;
    *n_vals = rv.n;
    return rc;
}

struct code_visit {
    int (*fn)(void *arg, const char *code); /* the caller's visitor */
    void *arg;                              /* its argument */
};

static int row_service(struct store *s, struct store_stmt *st, void *arg)
{
    struct code_visit *v = arg;
    return v->fn(v->arg, COL_TEXT(s, st, 0));
}

int store_o311_attr_services(struct store *s, int (*fn)(void *arg, const char *service_code),
                             void *arg, struct err *e)
{
    struct code_visit v = {fn, arg};
    return store__query(s, &q_attr_services, e, row_service, &v, "");
}

/* ---- answers --------------------------------------------------------------- */

int store_o311_answers_put(struct store *s, int64_t case_id, const struct store_o311_answer *v,
                           int n, struct err *e)
{
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        rc =
            store__run(s, &q_answer_add, e, "isis", case_id, v[i].code, (int64_t)i + 1, v[i].value);
    return rc;
}

static int row_answer(struct store *s, struct store_stmt *st, void *arg)
{
    struct rows *r = arg;
    struct store_o311_answer *x = store__push(r->a, &r->v, &r->n, &r->cap, sizeof *x);
    COL_COPY(s, st, 0, x->code);
    x->value = store__col_dup(s, st, 1, r->a);
    return 0;
}

int store_o311_answers(struct store *s, int64_t case_id, struct arena *a,
                       struct store_o311_answer **out, int *n, struct err *e)
{
    struct rows r = {.a = a};
    int rc = store__query(s, &q_answers, e, row_answer, &r, "i", case_id);
    *out = r.v;
    *n = r.n;
    return rc;
}

/* ---- finding requests ------------------------------------------------------ */

static int row_id(struct store *s, struct store_stmt *st, void *arg)
{
    struct rows *r = arg;
    *(int64_t *)store__push(r->a, &r->v, &r->n, &r->cap, sizeof(int64_t)) = COL_I64(s, st, 0);
    return 0;
}

/* The box to search: the filter's box, the circle's box, or both intersected. */
static void search_box(const struct store_o311_filter *f, double box[4])
{
    box[0] = f->has_bbox ? f->minx : -180;
    box[1] = f->has_bbox ? f->miny : -90;
    box[2] = f->has_bbox ? f->maxx : 180;
    box[3] = f->has_bbox ? f->maxy : 90;
    if (!f->has_circle)
        return;
    double dlat = f->radius_m / 110574.0;
    double dlon = f->radius_m / (111320.0 * fmax(cos(f->lat * M_PI / 180), 0.01));
    box[0] = fmax(box[0], f->lon - dlon);
    box[1] = fmax(box[1], f->lat - dlat);
    box[2] = fmin(box[2], f->lon + dlon);
    box[3] = fmin(box[3], f->lat + dlat);
}

int store_o311_find(struct store *s, const struct store_o311_filter *f, struct arena *a,
                    int64_t **ids, int *n, struct err *e)
{
    struct rows r = {.a = a};
    double box[4], none = NAN;
    int boxed = f->has_bbox || f->has_circle;
    search_box(f, box);
    double kx = 111320.0 * cos(f->lat * M_PI / 180);
    int rc = store__query(
        s, &q_find, e, row_id, &r, "ttIIIINNNNNdddii", f->categories, f->states, f->created_from,
        f->created_to, f->updated_from, f->updated_to, boxed ? box[0] : none, boxed ? box[1] : none,
        boxed ? box[2] : none, boxed ? box[3] : none, f->has_circle ? f->lat : none, f->lon, kx,
        f->radius_m, (int64_t)(f->limit > 0 && f->limit <= 1000 ? f->limit : 1000), f->offset);
    *ids = r.v;
    *n = r.n;
    return rc;
}

static int row_event(struct store *s, struct store_stmt *st, void *arg)
{
    struct rows *r = arg;
    struct store_event *ev = store__push(r->a, &r->v, &r->n, &r->cap, sizeof *ev);
    ev->id = COL_I64(s, st, 0);
    ev->case_id = COL_I64(s, st, 1);
    ev->seq = (int)COL_I64(s, st, 2);
    ev->at = COL_I64(s, st, 3);
    COL_COPY(s, st, 4, ev->action);
    COL_COPY(s, st, 5, ev->from_state);
    COL_COPY(s, st, 6, ev->to_state);
    ev->note = store__col_dup(s, st, 7, r->a);
    ev->attachments = store__col_dup(s, st, 8, r->a);
    ev->flag = -1;
    return 0;
}

int store_o311_events(struct store *s, int64_t from, int64_t to, int64_t case_id, int limit,
                      int64_t offset, struct arena *a, struct store_event **out, int *n,
                      struct err *e)
{
    struct rows r = {.a = a};
    int rc = store__query(s, &q_events, e, row_event, &r, "iiIii", from, to, case_id,
                          (int64_t)(limit > 0 && limit <= 1000 ? limit : 1000), offset);
    *out = r.v;
    *n = r.n;
    return rc;
}

/* ---- posted updates -------------------------------------------------------- */

static int row_update(struct store *s, struct store_stmt *st, void *arg)
{
    struct rows *r = arg;
    struct store_o311_update *u = store__push(r->a, &r->v, &r->n, &r->cap, sizeof *u);
    COL_COPY(s, st, 0, u->update_id);
    u->case_id = COL_I64(s, st, 1);
    u->seq = (int)COL_I64(s, st, 2);
    COL_COPY(s, st, 3, u->status);
    u->description = store__col_dup(s, st, 4, r->a);
    u->updated_at = COL_I64(s, st, 5);
    u->received_at = COL_I64(s, st, 6);
    u->user_id = COL_I64(s, st, 7);
    return 1;
}

int store_o311_update_get(struct store *s, const char *update_id, struct arena *a,
                          struct store_o311_update *out, struct err *e)
{
    struct rows r = {.a = a};
    int rc = store__query(s, &q_update_get, e, row_update, &r, "s", update_id);
    if (rc)
        return rc;
    if (r.n == 0)
        return ERR_NOTFOUND;
    *out = *(struct store_o311_update *)r.v;
    return 0;
}

int store_o311_update_insert(struct store *s, const struct store_o311_update *u, struct err *e)
{
    return store__run(s, &q_update_add, e, "siissiii", u->update_id, u->case_id, (int64_t)u->seq,
                      u->status, u->description ? u->description : "", u->updated_at,
                      u->received_at, u->user_id);
}
