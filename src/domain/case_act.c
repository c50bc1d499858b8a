/* case_act.c - acting on a case: visibility, the transition table, the
 * action's requirements, then one event appended with its side effects. */
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

/* Requirements from the transition's flags. */
static int check_flags(struct act_job *j, const struct case_transition *t, struct err *e)
{
    const struct case_action *a = j->act;
    const struct actor *w = j->who;
    const struct store_case *c = j->c;
    int handler = w->role == ROLE_HANDLER;
    if ((t->flags & T_NOTE) && (a->note == NULL || *a->note == '\0'))
        return err_set(e, ERR_INVALID, "note", "'%s' needs a note (the reason)", t->action);
    if (a->note && (!utf8_valid(a->note, strlen(a->note)) || utf8_len(a->note) > 2000))
        return err_set(e, ERR_INVALID, "note", "note must be valid UTF-8, at most 2000 characters");
    if ((t->flags & T_LEAD) && handler && w->unit_id != c->lead_unit)
        return err_set(e, ERR_DENIED, NULL, "only the lead unit may '%s' this case", t->action);
    if ((t->flags & T_HANDLING) && handler && w->unit_id != c->lead_unit &&
        !case__list_has(c->co_units, w->unit_id))
        return err_set(e, ERR_DENIED, NULL, "only a handling unit may '%s'", t->action);
    if ((t->flags & T_REPORTER) && w->role != ROLE_ADMIN && c->reporter_id != w->user_id)
        return err_set(e, ERR_DENIED, NULL, "only the reporter may '%s'", t->action);
    if ((t->flags & T_REF) && a->ref_id <= 0)
        return err_set(e, ERR_INVALID, strcmp(t->action, "merge") == 0 ? "master" : "whistle",
                       "'%s' needs %s", t->action,
                       strcmp(t->action, "merge") == 0 ? "the master case id" : "a whistle id");
    if ((t->flags & T_SPAN) &&
        (a->span.amount <= 0 || a->span.unit < CAL_WH || a->span.unit > CAL_H))
        return err_set(e, ERR_INVALID, "span", "'%s' needs a time span like \"2wd\"", t->action);
    if ((t->flags & T_VISIT) && (a->resolved < 0 || a->resolved > 1))
        return err_set(e, ERR_INVALID, "resolved", "a visit needs resolved: true or false");
    if ((t->flags & T_VISIT) && (a->satisfaction < 1 || a->satisfaction > 3))
        return err_set(e, ERR_INVALID, "satisfaction",
                       "satisfaction must be satisfied, basically_satisfied or unsatisfied");
    if ((t->flags & T_UNHAPPY) && c->visit_resolved != 0 && c->visit_satisfaction != 3)
        return err_set(e, ERR_CONFLICT, NULL,
                       "only a case whose visit was unresolved or unsatisfied can be reopened");
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
    if (!case_action_known(a->action))
        return err_set(e, ERR_INVALID, "action", "unknown action '%s'", a->action);
    int from = case_state_parse(j->c->state);
    const struct case_transition *t = case_transition_find(a->action, from);
    if (t == NULL)
        return err_set(e, ERR_CONFLICT, "action", "'%s' is not allowed when the case is %s (%s)",
                       a->action, j->c->state, case_state_label(from));
    if (!(t->roles & j->who->role))
        return err_set(e, ERR_DENIED, "action", "a %s may not '%s'", role_name(j->who->role),
                       a->action);
    if (a->expect_seq > 0 && a->expect_seq != j->c->last_seq)
        return err_set(e, ERR_CONFLICT, "expect_seq", "the case changed (now at event %d)",
                       j->c->last_seq);
    if ((rc = check_flags(j, t, e)))
        return rc;
    return case__act_apply(j, t, e);
}

int case_act(struct domain *d, const struct actor *who, int64_t id, const struct case_action *act,
             struct arena *a, struct store_case *out, struct err *e)
{
    struct act_job j = {.d = d, .who = who, .id = id, .act = act, .a = a, .c = out};
    if (act->action == NULL || *act->action == '\0')
        return err_set(e, ERR_INVALID, "action", "action is required");
    return store_write(d->store, job_act, &j, e);
}
