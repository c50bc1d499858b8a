/* case_query.c - reading cases with visibility rules, the replay check and
 * the per-stage deadlines derived from the event log. */
#include <stdio.h>
#include <string.h>
#include "case_int.h"

int case_get(struct domain *d, const struct actor *who, int64_t id, struct arena *a,
             struct store_case *out, struct err *e)
{
    int rc = store_case_get(d->store, id, a, out, e);
    if (rc)
        return rc;
    rc = case_visible(d, who, out, e);
    if (rc < 0)
        return rc;
    /* Not visible reads as absent: ids of others' cases are not disclosed. */
    return rc ? 0 : err_set(e, ERR_NOTFOUND, "id", "no case %lld", (long long)id);
}

int case_list(struct domain *d, const struct actor *who, struct store_case_filter *f,
              struct arena *a, struct store_case **out, int *n, struct err *e)
{
    f->now = time_now();
    switch (who->role) {
    case ROLE_HANDLER:
        if (who->unit_id == 0)
            return err_set(e, ERR_DENIED, NULL, "this handler belongs to no unit");
        f->unit_id = who->unit_id;
        f->team_user = who->user_id;
        break;
    case ROLE_RESIDENT:
        f->user_id = who->user_id;
        break;
    case ROLE_GRID:
        /* Its grid (if any), what it must verify or reported, its teams' grids. */
        f->grid = who->grid[0] ? who->grid : "-";
        f->verifier_id = who->user_id;
        f->team_user = who->user_id;
        break;
    default:
        break;
    }
    return store_case_list(d->store, f, a, out, n, e);
}

int case_events(struct domain *d, const struct actor *who, int64_t id, struct arena *a,
                struct store_event **out, int *n, struct err *e)
{
    struct store_case c;
    int rc = case_get(d, who, id, a, &c, e);
    return rc ? rc : store_case_events(d->store, id, a, out, n, e);
}

/* ---- replay -------------------------------------------------------------------- */

/* Compares the derived fields of two projections; names the first that differs. */
static const char *first_diff(const struct store_case *x, const struct store_case *y)
{
    if (strcmp(x->state, y->state))
        return "state";
    if (x->lead_unit != y->lead_unit || strcmp(x->co_units, y->co_units))
        return "units";
    if (x->master_id != y->master_id || x->verifier_id != y->verifier_id)
        return "links";
    if (x->due_at != y->due_at || x->warn_at != y->warn_at || x->close_due != y->close_due)
        return "deadlines";
    if (x->paused_at != y->paused_at || x->closed_at != y->closed_at)
        return "pause/close times";
    if (x->supervise_count != y->supervise_count || x->return_count != y->return_count ||
        x->rework_count != y->rework_count || x->extension_count != y->extension_count)
        return "counters";
    if (x->visit_resolved != y->visit_resolved || x->visit_satisfaction != y->visit_satisfaction)
        return "visit";
    if (x->last_seq != y->last_seq || x->updated_at != y->updated_at)
        return "last event";
    return NULL;
}

struct replay {
    struct domain *d; /* rules */
    int64_t checked;  /* cases compared so far */
    struct err *e;    /* where a mismatch is reported */
};

static int replay_one(void *arg, int64_t id)
{
    struct replay *r = arg;
    struct arena *a = arena_new();
    struct store_case stored, folded = {.visit_resolved = -1};
    struct store_event *ev;
    int n, rc = store_case_get(r->d->store, id, a, &stored, r->e);
    if (rc == 0)
        rc = store_case_events(r->d->store, id, a, &ev, &n, r->e);
    for (int i = 0; rc == 0 && i < n; i++)
        rc = case_apply(&folded, &ev[i], r->e);
    const char *diff = rc ? NULL : first_diff(&stored, &folded);
    if (rc == 0 && diff == NULL && n > 0 && ev[0].intake && ev[0].intake[0]) {
        char *facts = case_intake(&stored); /* the row's facts against the report's */
        if (strcmp(facts, ev[0].intake) != 0)
            diff = "intake facts";
        xfree(facts);
    }
    if (diff)
        rc = err_set(r->e, ERR_CONFLICT, NULL, "case %lld: replayed %s differ from the stored row",
                     (long long)id, diff);
    arena_free(a);
    r->checked++;
    return rc;
}

static int replay_all(struct store *s, void *arg, struct err *e)
{
    (void)e;
    struct replay *r = arg;
    return store_case_each_id(s, replay_one, r, r->e);
}

int case_replay_check(struct domain *d, int64_t *checked, struct err *e)
{
    struct replay r = {d, 0, e};
    int rc = store_read(d->store, replay_all, &r, e);
    *checked = r.checked;
    return rc;
}

/* ---- deadlines per stage ----------------------------------------------------------- */

/* Which stage an action's clock starts, and which stage it completes, by
 * action (0 for both: none; stages are counted from 1 here). */
static const struct {
    int starts; /* stage index + 1 started, 0 none */
    int ends;   /* stage index + 1 completed, 0 none */
} stage_map[ACT_COUNT] = {
    [ACT_REPORT] = {1, 0},   [ACT_REGISTER] = {2, 1},    [ACT_REJECT] = {0, 1},
    [ACT_VOID] = {0, 1},     [ACT_MERGE] = {0, 1},       [ACT_RETURN] = {2, 3},
    [ACT_DISPATCH] = {3, 2}, [ACT_REASSIGN] = {3, 2},    [ACT_SIGN] = {4, 3},
    [ACT_REWORK] = {4, 0},   [ACT_REOPEN] = {4, 0},      [ACT_FEEDBACK] = {0, 4},
    [ACT_CLOSE] = {0, 5},    [ACT_SELF_HANDLE] = {0, 1},
};

/* The stage whose clock runs in a state: 0..3 (register, dispatch, sign,
 * handle), or -1 (none, or the close clock). */
static const signed char running[ST_COUNT] = {
    [ST_NONE] = -1,      [ST_REPORTED] = 0,  [ST_VERIFYING] = 0,     [ST_VERIFIED] = 0,
    [ST_REGISTERED] = 1, [ST_REJECTED] = -1, [ST_VOIDED] = -1,       [ST_DISPATCHED] = 2,
    [ST_RETURNED] = 1,   [ST_ACCEPTED] = 3,  [ST_IN_PROGRESS] = 3,   [ST_EXTENSION_REQ] = 3,
    [ST_DEFERRED] = 3,   [ST_HUNG] = 3,      [ST_HANDLED] = -1,      [ST_REWORK] = 3,
    [ST_CLOSED] = -1,    [ST_VISITED] = -1,  [ST_SELF_HANDLED] = -1, [ST_MERGED] = -1,
};

static int running_stage(const char *state)
{
    int st = case_state_parse(state);
    return st < 0 ? -1 : running[st];
}

int case_deadlines(const struct store_event *ev, int n, struct case_deadline out[5])
{
    static const char *const names[5] = {"register", "dispatch", "sign", "handle", "close"};
    for (int k = 0; k < 5; k++)
        out[k] = (struct case_deadline){names[k], 0, 0, 0};
    for (int i = 0; i < n; i++) {
        int act = case_action_parse(ev[i].action);
        int started = stage_map[act].starts - 1, ends = stage_map[act].ends - 1;
        if (ends >= 0 && out[ends].done == 0)
            out[ends].done = ev[i].at;
        int run = running_stage(ev[i].to_state);
        if (started >= 0)
            out[started] = (struct case_deadline){names[started], ev[i].at, ev[i].due_at, 0};
        else if (run >= 0 && out[run].started && !out[run].done)
            out[run].due = ev[i].due_at; /* moved by an extension or a pause */
        if (act == ACT_REGISTER || act == ACT_REOPEN)
            out[4] = (struct case_deadline){"close", ev[i].at, ev[i].close_due, 0};
        else if (out[4].started && !out[4].done && ev[i].close_due)
            out[4].due = ev[i].close_due;
    }
    return 5;
}
