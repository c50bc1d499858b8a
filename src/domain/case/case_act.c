/* case_act.c - acting on a case: who may see it, who may take which action
 * now (case_may: the one rule behind both case_act and the actions the API
 * offers), what the request must carry, then one event appended with its
 * side effects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "case_int.h"

int case_unit_listed(const char *list, int64_t unit)
{
    return case__list_has(list, unit);
}

int case__list_has(const char *list, int64_t unit)
{
    const char *p = list;
    while (p && *p) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (v == unit)
            return 1;
        p = *end == ',' ? end + 1 : NULL;
    }
    return 0;
}

void case__list_format(const int64_t *ids, int k, char *out, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < k && used < n; i++)
        used += (size_t)snprintf(out + used, n - used, "%s%lld", i ? "," : "", (long long)ids[i]);
}

/* 1 if who is on the team ("1+5+X") of the case's grid. */
static int team_member(struct domain *d, const struct actor *who, const struct store_case *c,
                       struct err *e)
{
    return c->grid[0] ? store_grid_is_member(d->store, c->grid, who->user_id, e) : 0;
}

int case_visible(struct domain *d, const struct actor *who, const struct store_case *c,
                 struct err *e)
{
    switch (who->role) {
    case ROLE_DISPATCHER:
    case ROLE_LEADER:
    case ROLE_ADMIN:
        return 1;
    case ROLE_HANDLER: {
        int rc = who->unit_id ? store_case_has_unit(d->store, c->id, who->unit_id, e) : 0;
        return rc ? rc : team_member(d, who, c, e);
    }
    case ROLE_GRID:
        if (c->reporter_id == who->user_id || c->verifier_id == who->user_id)
            return 1;
        if (who->grid[0] && strcmp(who->grid, c->grid) == 0)
            return 1;
        return team_member(d, who, c, e);
    case ROLE_RESIDENT:
        return who->user_id ? store_case_is_follower(d->store, c->id, who->user_id, e) : 0;
    default:
        return 0;
    }
}

int case__unit_exists(struct domain *d, int64_t id, const char *field, struct err *e)
{
    struct store_unit u;
    if (id <= 0)
        return err_set(e, ERR_INVALID, field, "%s is required", field);
    if (store_unit_get(d->store, id, &u, e) == 0)
        return 0;
    if (e->code == ERR_NOTFOUND) {
        e->code = 0;
        return err_set(e, ERR_INVALID, field, "no unit with id %lld", (long long)id);
    }
    return e->code;
}

/* ---- who may act now ------------------------------------------------------------ */

/* T_SUMMONED and T_WHISTLED: the whistles of the case. */
static int check_whistles(struct domain *d, const struct actor *w, const struct store_case *c,
                          const struct case_transition *t, struct err *e)
{
    int64_t units, awaiting, unit = w->role == ROLE_HANDLER ? w->unit_id : 0;
    const char *name = case_action_name(t->act);
    int rc = store_whistle_summons(d->store, c->id, unit, &units, &awaiting, e);
    if (rc)
        return rc;
    if ((t->flags & T_WHISTLED) && units == 0)
        return err_set(e, ERR_CONFLICT, "whistle", "no whistle was blown on this case");
    if (!(t->flags & T_SUMMONED) || awaiting > 0)
        return 0;
    if (units == 0 && unit)
        return err_set(e, ERR_DENIED, "unit", "no whistle of this case summoned unit %lld",
                       (long long)unit);
    if (unit)
        return err_set(e, ERR_CONFLICT, "unit", "unit %lld has already reported", (long long)unit);
    return err_set(e, ERR_CONFLICT, "unit", "'%s': every summoned unit has already reported", name);
}

/* case_may with the case's state already parsed (from). */
static int may_from(struct domain *d, const struct actor *w, const struct store_case *c, int from,
                    const struct case_transition *t, struct err *e)
{
    int handler = w->role == ROLE_HANDLER;
    const char *name = case_action_name(t->act);
    if (from < 0 || !(t->from & (1u << from)))
        return err_set(e, ERR_CONFLICT, "action", "'%s' is not allowed when the case is %s (%s)",
                       name, c->state, case_state_label(from));
    if (!(t->roles & w->role))
        return err_set(e, ERR_DENIED, "action", "a %s may not '%s'", role_name(w->role), name);
    if ((t->flags & T_LEAD) && handler && w->unit_id != c->lead_unit)
        return err_set(e, ERR_DENIED, NULL, "only the lead unit may '%s' this case", name);
    if ((t->flags & T_HANDLING) && handler && w->unit_id != c->lead_unit &&
        !case__list_has(c->co_units, w->unit_id))
        return err_set(e, ERR_DENIED, NULL, "only a handling unit may '%s'", name);
    if ((t->flags & T_REPORTER) && w->role != ROLE_ADMIN && c->reporter_id != w->user_id)
        return err_set(e, ERR_DENIED, NULL, "only the reporter may '%s'", name);
    if ((t->flags & T_UNHAPPY) && c->visit_resolved != 0 && c->visit_satisfaction != 3)
        return err_set(e, ERR_CONFLICT, NULL,
                       "only a case whose visit was unresolved or unsatisfied can be reopened");
    if (t->flags & (T_SUMMONED | T_WHISTLED))
        return check_whistles(d, w, c, t, e);
    return 0;
}

int case_may(struct domain *d, const struct actor *w, const struct store_case *c,
             const struct case_transition *t, struct err *e)
{
    return may_from(d, w, c, case_state_parse(c->state), t, e);
}

int case_actions(struct domain *d, const struct actor *who, const struct store_case *c,
                 struct arena *a, const struct case_transition ***out, int *n, struct err *e)
{
    int nt;
    const struct case_transition *t = case_transitions(&nt);
    const struct case_transition **v = arena_alloc(a, sizeof *v * (size_t)nt);
    int from = case_state_parse(c->state);
    *n = 0;
    for (int i = 0; i < nt; i++) {
        /* Without an error context: a refusal is only a code (no message is
         * formatted for each of the actions not offered). */
        if (from < 0 || !(t[i].from & (1u << from)) || !(t[i].roles & who->role))
            continue; /* the first two checks of may_from, without a call */
        int rc = may_from(d, who, c, from, &t[i], NULL);
        if (rc == 0)
            v[(*n)++] = &t[i];
        else if (rc != ERR_CONFLICT && rc != ERR_DENIED) /* a failure: ask again for why */
            return may_from(d, who, c, from, &t[i], e) ? e->code : err_set(e, rc, NULL, "failed");
    }
    *out = v;
    return 0;
}

const char *case_default_channel(const struct actor *who)
{
    return who->role == ROLE_GRID       ? "grid_patrol"
           : who->role == ROLE_RESIDENT ? "web"
                                        : "hotline_12345";
}

int case_may_see_reporter(const struct actor *who, const struct store_case *c)
{
    return (who->role & (ROLE_DISPATCHER | ROLE_ADMIN)) ||
           (c->reporter_id && c->reporter_id == who->user_id);
}

int case_view_cacheable(const struct actor *who)
{
    return (who->role & (ROLE_DISPATCHER | ROLE_LEADER | ROLE_ADMIN | ROLE_HANDLER)) != 0;
}

/* ---- what the request must carry ----------------------------------------------- */

/* The action's input against the transition's requirements. */
static int check_input(struct act_job *j, const struct case_transition *t, struct err *e)
{
    const struct case_action *a = j->act;
    const char *name = case_action_name(t->act);
    int merge = t->act == ACT_MERGE;
    if ((t->flags & T_NOTE) && (a->note == NULL || *a->note == '\0'))
        return err_set(e, ERR_INVALID, "note", "'%s' needs a note (the reason)", name);
    if (a->note && (!utf8_valid(a->note, strlen(a->note)) || utf8_len(a->note) > 2000))
        return err_set(e, ERR_INVALID, "note", "note must be valid UTF-8, at most 2000 characters");
    if ((t->flags & T_REF) && a->ref_id <= 0)
        return err_set(e, ERR_INVALID, merge ? "master" : "whistle", "'%s' needs %s", name,
                       merge ? "the master case id" : "a whistle id");
    if ((t->flags & T_SPAN) &&
        (a->span.amount <= 0 || a->span.unit < CAL_WH || a->span.unit > CAL_H))
        return err_set(e, ERR_INVALID, "span", "'%s' needs a time span like \"2wd\"", name);
    if ((t->flags & T_VISIT) && (a->resolved < 0 || a->resolved > 1))
        return err_set(e, ERR_INVALID, "resolved", "a visit needs resolved: true or false");
    if ((t->flags & T_VISIT) && (a->satisfaction < 1 || a->satisfaction > 3))
        return err_set(e, ERR_INVALID, "satisfaction",
                       "satisfaction must be satisfied, basically_satisfied or unsatisfied");
    if (t->flags & T_UNIT)
        return case__unit_exists(j->d, a->unit_id, "unit", e);
    return 0;
}

int case__check_units(struct act_job *j, int64_t lead, struct err *e)
{
    const struct case_action *a = j->act;
    if (a->n_units > 10)
        return err_set(e, ERR_INVALID, "units", "at most 10 units");
    for (int i = 0; i < a->n_units; i++) {
        if (a->units[i] == lead)
            return err_set(e, ERR_INVALID, "units", "unit %lld is listed twice", (long long)lead);
        for (int k = 0; k < i; k++)
            if (a->units[k] == a->units[i])
                return err_set(e, ERR_INVALID, "units", "unit %lld is listed twice",
                               (long long)a->units[i]);
        if (case__unit_exists(j->d, a->units[i], "units", e))
            return e->code;
    }
    return 0;
}

static int job_act(struct store *s, void *arg, struct err *e)
{
    struct act_job *j = arg;
    const struct case_action *a = j->act;
    int rc = store_case_get(s, j->id, j->a, j->c, e);
    if (rc)
        return rc;
    rc = case_visible(j->d, j->who, j->c, e);
    if (rc <= 0)
        return rc < 0 ? rc : err_set(e, ERR_NOTFOUND, "id", "no case %lld", (long long)j->id);
    const struct case_transition *t = case_transition_of(a->act);
    if (t == NULL)
        return err_set(e, ERR_INVALID, "action", "unknown action '%s'", case_action_name(a->act));
    if ((rc = case_may(j->d, j->who, j->c, t, e)))
        return rc;
    if (a->expect_seq > 0 && a->expect_seq != j->c->last_seq)
        return err_set(e, ERR_CONFLICT, "expect_seq", "the case changed (now at event %d)",
                       j->c->last_seq);
    if ((rc = check_input(j, t, e)))
        return rc;
    return case__act_apply(j, t, e);
}

int case_act(struct domain *d, const struct actor *who, int64_t id, const struct case_action *act,
             struct arena *a, struct store_case *out, struct err *e)
{
    struct act_job j = {.d = d, .who = who, .id = id, .act = act, .a = a, .c = out};
    if (act->act <= ACT_NONE || act->act >= ACT_COUNT)
        return err_set(e, ERR_INVALID, "action", "action is required");
    return store_write(d->store, job_act, &j, e);
}
