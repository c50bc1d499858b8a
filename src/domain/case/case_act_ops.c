/*
 * case_act_ops.c - what individual actions add to the generic transition:
 * a table of `prep` (checks and event fields, before the event is appended)
 * and `post` (derived rows kept in step, after) per action.
 */
#include <stdlib.h>
#include <string.h>
#include "case_int.h"

/* Context of one action being applied. */
struct op {
    struct act_job *j;      /* the job */
    struct store_event *ev; /* the event being built */
    struct cal_span span;   /* extension span for the clock */
};

static int prep_dispatch(struct op *o, struct err *e)
{
    const struct case_action *a = o->j->act;
    int rc = case__check_units(o->j, a->unit_id, e);
    if (rc)
        return rc;
    o->ev->unit_id = a->unit_id;
    case__list_format(a->units, a->n_units, o->ev->units, sizeof o->ev->units);
    return 0;
}

static int post_dispatch(struct op *o, struct err *e)
{
    struct store *s = o->j->d->store;
    const struct case_action *a = o->j->act;
    int rc = store_case_units_set(s, o->j->c->id, "lead", &a->unit_id, 1, e);
    return rc ? rc : store_case_units_set(s, o->j->c->id, "co", a->units, a->n_units, e);
}

static int prep_merge(struct op *o, struct err *e)
{
    struct act_job *j = o->j;
    struct store_case m;
    if (j->act->ref_id == j->c->id)
        return err_set(e, ERR_INVALID, "master", "a case cannot be merged into itself");
    if (store_case_get(j->d->store, j->act->ref_id, j->a, &m, e)) {
        if (e->code == ERR_NOTFOUND) {
            e->code = 0;
            return err_set(e, ERR_INVALID, "master", "no master case %lld",
                           (long long)j->act->ref_id);
        }
        return e->code;
    }
    int st = case_state_parse(m.state);
    if (st == ST_MERGED || st == ST_REJECTED || st == ST_VOIDED)
        return err_set(e, ERR_CONFLICT, "master", "case %lld is %s and cannot be a master",
                       (long long)m.id, m.state);
    o->ev->ref_id = m.id;
    return 0;
}

/* The duplicate's reporter and followers (reporters of cases merged into
 * it earlier) follow the master. */
static int post_merge(struct op *o, struct err *e)
{
    struct act_job *j = o->j;
    return store_case_follow_all(j->d->store, j->c->id, j->act->ref_id, e);
}

/* The grid's verifier by default: its team leader, else a grid worker of
 * the grid. */
struct pick {
    const char *grid; /* the case's grid */
    int64_t user_id;  /* found, 0 if none */
};

static int pick_leader(void *arg, int64_t user_id, const char *role)
{
    struct pick *p = arg;
    if (strcmp(role, "leader") == 0 || (p->user_id == 0 && strcmp(role, "supervisor") == 0))
        p->user_id = user_id;
    return strcmp(role, "leader") == 0;
}

static int pick_worker(void *arg, const struct store_user *u)
{
    struct pick *p = arg;
    if (strcmp(u->role, "grid") == 0 && strcmp(u->grid, p->grid) == 0 && !u->disabled) {
        p->user_id = u->id;
        return 1;
    }
    return 0;
}

/* OUT: *user (0 if the grid has nobody). ERR_STORE. */
static int default_verifier(struct store *s, const char *grid, int64_t *user, struct err *e)
{
    struct pick p = {grid, 0};
    int rc = grid[0] ? store_grid_members(s, grid, pick_leader, &p, e) : 0;
    if (rc == 0 && grid[0] && p.user_id == 0)
        rc = store_user_each(s, pick_worker, &p, e);
    *user = p.user_id;
    return rc < 0 ? rc : 0;
}

static int prep_send_verify(struct op *o, struct err *e)
{
    struct act_job *j = o->j;
    struct store_user u;
    if (j->act->ref_id <= 0) {
        int rc = default_verifier(j->d->store, j->c->grid, &o->ev->ref_id, e);
        if (rc)
            return rc;
        if (o->ev->ref_id == 0)
            return err_set(e, ERR_INVALID, "verifier",
                           "no grid worker or team leader for grid '%s': name a verifier",
                           j->c->grid);
        return 0;
    }
    int rc = store_user_get(j->d->store, j->act->ref_id, &u, e);
    if (rc && rc != ERR_NOTFOUND)
        return rc;
    if (rc || strcmp(u.role, "grid") != 0) {
        err_clear(e);
        return err_set(e, ERR_INVALID, "verifier", "user %lld is not a grid worker",
                       (long long)j->act->ref_id);
    }
    o->ev->ref_id = u.id;
    return 0;
}

static int prep_verify(struct op *o, struct err *e)
{
    (void)e;
    o->ev->flag = o->j->act->confirmed < 0 ? 1 : o->j->act->confirmed;
    return 0;
}

static int prep_visit(struct op *o, struct err *e)
{
    (void)e;
    o->ev->flag = o->j->act->resolved;
    o->ev->amount = o->j->act->satisfaction;
    return 0;
}

static int prep_request_ext(struct op *o, struct err *e)
{
    (void)e;
    o->ev->amount = o->j->act->span.amount;
    o->ev->flag = o->j->act->span.unit;
    return 0;
}

/* Approving grants the span given, or else the one last requested. */
static int prep_approve_ext(struct op *o, struct err *e)
{
    struct act_job *j = o->j;
    struct cal_span span = j->act->span;
    if (span.amount <= 0) {
        struct store_event *evs;
        int n;
        if (store_case_events(j->d->store, j->c->id, j->a, &evs, &n, e))
            return e->code;
        for (int i = n - 1; i >= 0 && span.amount <= 0; i--)
            if (case_action_parse(evs[i].action) == ACT_REQUEST_EXTENSION)
                span = (struct cal_span){evs[i].flag, evs[i].amount};
    }
    if (span.amount <= 0 || span.unit < CAL_WH || span.unit > CAL_H)
        return err_set(e, ERR_INVALID, "span", "no extension span requested or given");
    o->span = span;
    o->ev->amount = span.amount;
    o->ev->flag = span.unit;
    return 0;
}

/* Blows a whistle: stores it with the summoned units (they see the case). */
static int prep_whistle(struct op *o, struct err *e)
{
    struct act_job *j = o->j;
    const struct case_action *a = j->act;
    int limit, rc = case_whistle_limit(j->d, a->whistle_type, &limit, e);
    if (rc)
        return rc;
    if (a->n_units < 1)
        return err_set(e, ERR_INVALID, "units", "a whistle summons at least one unit");
    if (a->limit_min < 0 || a->limit_min > 7 * 24 * 60)
        return err_set(e, ERR_INVALID, "limit_minutes", "limit must be 1..10080 minutes");
    if ((rc = case__check_units(j, 0, e)))
        return rc;
    struct store_whistle w = {.case_id = j->c->id,
                              .blown_at = o->ev->at,
                              .blown_by = j->who->user_id,
                              .limit_min = a->limit_min ? a->limit_min : limit,
                              .note = (char *)(a->note ? a->note : "")};
    str_copy(w.type, sizeof w.type, a->whistle_type);
    if ((rc = store_whistle_insert(j->d->store, &w, a->units, a->n_units, e)))
        return rc;
    o->ev->ref_id = w.id;
    o->ev->amount = w.limit_min;
    case__list_format(a->units, a->n_units, o->ev->units, sizeof o->ev->units);
    return 0;
}

static int post_whistle(struct op *o, struct err *e)
{
    struct act_job *j = o->j;
    struct store_whistle *ws;
    int n, rc;
    /* Every unit summoned by any whistle of the case is attached. */
    if ((rc = store_whistle_list(j->d->store, j->c->id, 0, j->a, &ws, &n, e)))
        return rc;
    int64_t ids[64];
    int k = 0;
    for (int i = 0; i < n; i++) {
        struct store_whistle_unit *u;
        int m;
        if ((rc = store_whistle_units(j->d->store, ws[i].id, j->a, &u, &m, e)))
            return rc;
        for (int x = 0; x < m && k < 64; x++)
            ids[k++] = u[x].unit_id;
    }
    return store_case_units_set(j->d->store, j->c->id, "whistle", ids, k, e);
}

/* Finds the row of unit in the whistle's units. */
static struct store_whistle_unit *whistle_unit(struct op *o, int64_t unit, struct err *e)
{
    struct act_job *j = o->j;
    struct store_whistle w;
    struct store_whistle_unit *u;
    int n;
    if (store_whistle_get(j->d->store, j->act->ref_id, j->a, &w, e) || w.case_id != j->c->id) {
        e->code = 0;
        err_set(e, ERR_INVALID, "whistle", "case %lld has no whistle %lld", (long long)j->c->id,
                (long long)j->act->ref_id);
        return NULL;
    }
    if (store_whistle_units(j->d->store, w.id, j->a, &u, &n, e))
        return NULL;
    for (int i = 0; i < n; i++)
        if (u[i].unit_id == unit)
            return &u[i];
    err_set(e, j->who->role == ROLE_HANDLER ? ERR_DENIED : ERR_INVALID, "unit",
            "unit %lld was not summoned by whistle %lld", (long long)unit, (long long)w.id);
    return NULL;
}

static int prep_whistle_report(struct op *o, struct err *e)
{
    struct act_job *j = o->j;
    int64_t unit = j->who->role == ROLE_HANDLER ? j->who->unit_id : j->act->unit_id;
    struct store_whistle_unit *u = whistle_unit(o, unit, e);
    if (u == NULL)
        return e->code;
    if (u->reported_at)
        return err_set(e, ERR_CONFLICT, "unit", "unit %lld has already reported", (long long)unit);
    u->reported_at = o->ev->at;
    u->reported_by = j->who->user_id;
    u->report_note = (char *)(j->act->note ? j->act->note : "");
    o->ev->ref_id = j->act->ref_id;
    o->ev->unit_id = unit;
    return store_whistle_unit_update(j->d->store, u, e);
}

static int prep_whistle_rate(struct op *o, struct err *e)
{
    struct act_job *j = o->j;
    if (j->act->score < 0 || j->act->score > 100)
        return err_set(e, ERR_INVALID, "score", "score must be 0..100");
    struct store_whistle_unit *u = whistle_unit(o, j->act->unit_id, e);
    if (u == NULL)
        return e->code;
    u->score = j->act->score;
    u->comment = (char *)(j->act->note ? j->act->note : "");
    u->rated_at = o->ev->at;
    u->rated_by = j->who->user_id;
    o->ev->ref_id = j->act->ref_id;
    o->ev->unit_id = j->act->unit_id;
    o->ev->amount = j->act->score;
    return store_whistle_unit_update(j->d->store, u, e);
}

/* Hooks of one action. */
struct op_hook {
    int (*prep)(struct op *o, struct err *e); /* before append (may be NULL) */
    int (*post)(struct op *o, struct err *e); /* after append (may be NULL) */
};

/* Per-action hooks, by action. */
static const struct op_hook ops[ACT_COUNT] = {
    [ACT_APPROVE_EXTENSION] = {prep_approve_ext, NULL},
    [ACT_DISPATCH] = {prep_dispatch, post_dispatch},
    [ACT_MERGE] = {prep_merge, post_merge},
    [ACT_REASSIGN] = {prep_dispatch, post_dispatch},
    [ACT_REQUEST_EXTENSION] = {prep_request_ext, NULL},
    [ACT_SEND_VERIFY] = {prep_send_verify, NULL},
    [ACT_VERIFY] = {prep_verify, NULL},
    [ACT_VISIT] = {prep_visit, NULL},
    [ACT_WHISTLE] = {prep_whistle, post_whistle},
    [ACT_WHISTLE_RATE] = {prep_whistle_rate, NULL},
    [ACT_WHISTLE_REPORT] = {prep_whistle_report, NULL},
};

int case__act_apply(struct act_job *j, const struct case_transition *t, struct err *e)
{
    struct store_event ev;
    struct op o = {.j = j, .ev = &ev};
    const char *from = j->c->state;
    int rc;
    case__event_init(&ev, j->who, case_action_name(t->act), time_now());
    str_copy(ev.from_state, sizeof ev.from_state, from);
    str_copy(ev.to_state, sizeof ev.to_state, t->to == ST_SAME ? from : case_state_name(t->to));
    ev.note = (char *)(j->act->note ? j->act->note : "");
    ev.attachments = (char *)(j->act->attachments ? j->act->attachments : "");
    ev.seq = j->c->last_seq + 1;
    const struct op_hook *hook = &ops[t->act];
    if (hook->prep && (rc = hook->prep(&o, e)))
        return rc;
    if ((rc = case__clock(j->d, j->c, t->clock, o.span, &ev, e)) ||
        (rc = case_apply(j->c, &ev, e)) || (rc = store_case_append(j->d->store, j->c, &ev, e)))
        return rc;
    return hook->post ? hook->post(&o, e) : 0;
}
