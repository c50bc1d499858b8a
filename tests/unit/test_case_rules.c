/*
 * test_case_rules.c - the case lifecycle's transition table (case_rules.c),
 * checked as data and then, pair by pair, through the real engine (case_act
 * on a SQLite store in a temporary directory; see casetest.h).
 *
 * Expected outcome of case_act(state, action, role), in the engine's order:
 *   1. the actor cannot see the case          -> ERR_NOTFOUND
 *      (a handler sees a case only once one of its units is attached: lead or
 *      co-unit by dispatch, or summoned by a whistle; a resident only the cases
 *      it reported or follows; a grid worker those of its grid, that it
 *      reported or must verify)
 *   2. the state is not in the row's from-mask -> ERR_CONFLICT
 *   3. the actor's role is not in the row       -> ERR_DENIED
 *   4. a requirement of the row is missing      -> ERR_INVALID (field named),
 *      ERR_DENIED (unit/reporter rules) or ERR_CONFLICT (reopen after a happy visit)
 *   5. otherwise 0, and the case moves to the row's `to`.
 */
#include "casetest.h"

/* ---- the table as data ---------------------------------------------------- */

/* The table is sorted by action name with no duplicates (bsearch needs it). */
static void test_table_sorted_unique(void **state)
{
    (void)state;
    int n = 0;
    const struct case_transition *t = case_transitions(&n);
    assert_true(n >= 20);
    for (int i = 1; i < n; i++)
        if (strcmp(case_action_name(t[i - 1].act), case_action_name(t[i].act)) >= 0)
            fail_msg("'%s' is not before '%s'", case_action_name(t[i - 1].act),
                     case_action_name(t[i].act));
}

/* Action names are sorted like the enum (case_action_parse searches them),
 * every name parses back to its id, and each row sits at its action's
 * place (case_transition_of). */
static void test_action_names(void **state)
{
    (void)state;
    int n = 0;
    case_transitions(&n);
    for (int act = ACT_NONE + 1; act < ACT_COUNT; act++) {
        assert_int_equal(case_action_parse(case_action_name(act)), act);
        assert_true(case_action_label(act)[0] != '\0');
        if (act > ACT_NONE + 1)
            assert_true(strcmp(case_action_name(act - 1), case_action_name(act)) < 0);
        const struct case_transition *row = case_transition_of(act);
        if (act == ACT_REPORT)
            assert_null(row);
        else
            assert_int_equal(row->act, act);
    }
    assert_int_equal(n, ACT_COUNT - 2); /* a row for every action but none and report */
    assert_int_equal(case_action_parse("frobnicate"), ACT_NONE);
    assert_int_equal(case_action_parse(NULL), ACT_NONE);
    assert_string_equal(case_action_name(ACT_COUNT), "");
    assert_true(case_action_public(ACT_FEEDBACK));
    assert_false(case_action_public(ACT_RETURN));
}

/* case_transition_find(act, state) is the row exactly when the row's
 * from-mask has the state, for every action and every state. */
static void test_find_matches_mask(void **state)
{
    (void)state;
    int n = 0;
    const struct case_transition *t = case_transitions(&n);
    for (int i = 0; i < n; i++) {
        assert_true((case_transition_of(case_action_parse(case_action_name(t[i].act))) != NULL));
        for (int st = ST_NONE; st < ST_COUNT; st++) {
            const struct case_transition *f = case_transition_find(t[i].act, st);
            int in_mask = (t[i].from >> st) & 1u;
            if ((f != NULL) != in_mask)
                fail_msg("find('%s', %s) disagrees with the mask", case_action_name(t[i].act),
                         case_state_name(st));
            if (f)
                assert_ptr_equal(f, &t[i]);
        }
        assert_null(case_transition_find(t[i].act, -1));
        assert_null(case_transition_find(t[i].act, ST_COUNT));
    }
    assert_false((case_transition_of(case_action_parse("report")) !=
                  NULL)); /* the first event is not an action */
    assert_false((case_transition_of(case_action_parse("frobnicate")) != NULL));
    assert_null(case_transition_find(case_action_parse("frobnicate"), ST_REPORTED));
}

/* Every row names real states, roles, requirements and clock effects. */
static void test_rows_valid(void **state)
{
    (void)state;
    int n = 0;
    const int all_roles =
        ROLE_RESIDENT | ROLE_GRID | ROLE_DISPATCHER | ROLE_HANDLER | ROLE_LEADER | ROLE_ADMIN;
    const struct case_transition *t = case_transitions(&n);
    for (int i = 0; i < n; i++) {
        assert_true(t[i].to == ST_SAME || (t[i].to > ST_NONE && t[i].to < ST_COUNT));
        assert_int_equal(t[i].from & 1u, 0); /* never from ST_NONE */
        assert_int_equal(t[i].from >> ST_COUNT, 0);
        assert_int_not_equal(t[i].from, 0);
        assert_int_not_equal(t[i].roles & all_roles, 0);
        assert_int_equal(t[i].roles & ~all_roles, 0);
        assert_true(t[i].roles & ROLE_ADMIN); /* the admin may do everything */
        assert_int_equal(t[i].flags & ~2047, 0);
        assert_true(t[i].clock >= CLK_KEEP && t[i].clock <= CLK_REOPEN);
        assert_true(case_action_label(t[i].act) && case_action_label(t[i].act)[0]);
    }
}

/* 1 if field name is among the n fields and required (want_required 1) or
 * not required (0). */
static int has_field(const struct case_field *f, int n, const char *name, int want_required)
{
    for (int i = 0; i < n; i++)
        if (strcmp(f[i].name, name) == 0)
            return f[i].required == want_required;
    return 0;
}

/* Every field an action names is a known request field, and the fields
 * the requirements need are marked required; the unit of a whistle report
 * is asked only of actors without a unit of their own. */
static void test_fields_match_requirements(void **state)
{
    (void)state;
    int n = 0;
    const struct case_transition *t = case_transitions(&n);
    for (int i = 0; i < n; i++) {
        struct case_field f[16];
        int k = case_fields(&t[i], NULL, f, 16);
        const char *name = case_action_name(t[i].act);
        for (int x = 0; x < k; x++)
            if (f[x].name[0] == '\0')
                fail_msg("'%s' names an unknown field (%s)", name, t[i].fields);
        if ((t[i].flags & T_UNIT) && !has_field(f, k, "unit", 1))
            fail_msg("'%s' needs a unit but does not require the field", name);
        if ((t[i].flags & T_REF) &&
            !has_field(f, k, t[i].act == ACT_MERGE ? "master" : "whistle", 1))
            fail_msg("'%s' needs a reference but does not require its field", name);
        if ((t[i].flags & T_SPAN) && !has_field(f, k, "span", 1))
            fail_msg("'%s' needs a span but does not require the field", name);
        if ((t[i].flags & T_VISIT) &&
            !(has_field(f, k, "resolved", 1) && has_field(f, k, "satisfaction", 1)))
            fail_msg("'%s' needs the visit's answers but does not require them", name);
    }
    struct actor handler = {.role = ROLE_HANDLER, .unit_id = 3}, admin = {.role = ROLE_ADMIN};
    struct case_field f[16];
    const struct case_transition *rep = case_transition_of(ACT_WHISTLE_REPORT);
    int k = case_fields(rep, &handler, f, 16);
    assert_int_equal(k, 1);
    assert_string_equal(f[0].name, "whistle");
    k = case_fields(rep, &admin, f, 16);
    assert_int_equal(k, 2);
    assert_true(has_field(f, k, "unit", 1));
    k = case_fields(case_transition_of(ACT_WHISTLE), NULL, f, 16);
    assert_int_equal(k, 3);
    assert_string_equal(f[0].name, "type"); /* in form order */
    assert_string_equal(f[2].name, "limit_minutes");
    assert_false(f[2].required);
}

/* State names round-trip and the final states are the designed ones. */
static void test_state_names(void **state)
{
    (void)state;
    static const int finals[] = {ST_REJECTED, ST_VOIDED,       ST_CLOSED,
                                 ST_VISITED,  ST_SELF_HANDLED, ST_MERGED};
    int nfinal = 0;
    for (int st = ST_REPORTED; st < ST_COUNT; st++) {
        assert_int_equal(case_state_parse(case_state_name(st)), st);
        assert_true(case_state_label(st)[0] != '\0');
        nfinal += case_state_final(st);
    }
    for (size_t i = 0; i < ARRAY_SIZE(finals); i++)
        assert_true(case_state_final(finals[i]));
    assert_int_equal(nfinal, (int)ARRAY_SIZE(finals));
    assert_int_equal(case_state_parse("nonsense"), -1);
    assert_int_equal(case_state_parse(""), -1);
    assert_string_equal(case_state_name(ST_NONE), "");
    assert_string_equal(case_state_name(-1), "");
    assert_string_equal(case_state_name(ST_COUNT), "");
}

/* 1 if (action, final state) is one of the intended ways out of a final
 * state, or an action that keeps it (comment, whistle_rate). */
static int final_exit_intended(const struct case_transition *t, int st)
{
    if (t->to == ST_SAME)
        return strcmp(case_action_name(t->act), "comment") == 0 ||
               strcmp(case_action_name(t->act), "whistle_rate") == 0;
    if (strcmp(case_action_name(t->act), "visit") == 0)
        return st == ST_CLOSED || st == ST_SELF_HANDLED;
    return strcmp(case_action_name(t->act), "reopen") == 0 && st == ST_VISITED;
}

/* Nothing leaves a final state except visit (closed, self_handled) and
 * reopen (visited); only comment and whistle_rate act on one in place. */
static void test_final_states_exits(void **state)
{
    (void)state;
    int n = 0, exits = 0;
    const struct case_transition *t = case_transitions(&n);
    for (int i = 0; i < n; i++)
        for (int st = ST_REPORTED; st < ST_COUNT; st++) {
            if (!case_state_final(st) || !((t[i].from >> st) & 1u))
                continue;
            if (!final_exit_intended(&t[i], st))
                fail_msg("'%s' acts on final state %s", case_action_name(t[i].act),
                         case_state_name(st));
            exits += t[i].to != ST_SAME;
        }
    assert_int_equal(exits, 3); /* visit x2, reopen */
}

/* Every state is reachable from reported, and every open state has a way
 * on to another state (no dead ends). */
static void test_graph(void **state)
{
    (void)state;
    int n = 0, seen[ST_COUNT] = {0}, changed = 1;
    const struct case_transition *t = case_transitions(&n);
    seen[ST_REPORTED] = 1;
    while (changed) {
        changed = 0;
        for (int i = 0; i < n; i++)
            for (int st = ST_REPORTED; st < ST_COUNT; st++)
                if (seen[st] && ((t[i].from >> st) & 1u) && t[i].to != ST_SAME && !seen[t[i].to])
                    seen[t[i].to] = changed = 1;
    }
    for (int st = ST_REPORTED; st < ST_COUNT; st++) {
        if (!seen[st])
            fail_msg("%s cannot be reached", case_state_name(st));
        int out = 0;
        for (int i = 0; i < n; i++)
            out += ((t[i].from >> st) & 1u) && t[i].to != ST_SAME && t[i].to != st;
        if (!case_state_final(st) && out == 0)
            fail_msg("open state %s is a dead end", case_state_name(st));
    }
}

/* ---- driving real cases ------------------------------------------------------- */

/* How each state is reached: the state before it and up to two actions. */
static const struct path {
    int parent;           /* state the path continues from */
    const char *steps[2]; /* actions taken there (NULL-padded) */
} paths[ST_COUNT] = {
    [ST_VERIFYING] = {ST_REPORTED, {"send_verify"}},
    [ST_VERIFIED] = {ST_VERIFYING, {"verify"}},
    /* A whistle (summoning unit 3) is blown at once, so that every later
     * state has one to report to and to rate. */
    [ST_REGISTERED] = {ST_REPORTED, {"register", "whistle"}},
    [ST_REJECTED] = {ST_REPORTED, {"reject"}},
    [ST_VOIDED] = {ST_REGISTERED, {"void"}},
    [ST_DISPATCHED] = {ST_REGISTERED, {"dispatch"}},
    [ST_RETURNED] = {ST_DISPATCHED, {"return"}},
    [ST_ACCEPTED] = {ST_DISPATCHED, {"sign"}},
    [ST_IN_PROGRESS] = {ST_ACCEPTED, {"progress"}},
    [ST_EXTENSION_REQ] = {ST_ACCEPTED, {"request_extension"}},
    [ST_DEFERRED] = {ST_ACCEPTED, {"defer"}},
    [ST_HUNG] = {ST_ACCEPTED, {"hang"}},
    [ST_HANDLED] = {ST_ACCEPTED, {"feedback"}},
    [ST_REWORK] = {ST_HANDLED, {"rework"}},
    [ST_CLOSED] = {ST_HANDLED, {"close"}},
    [ST_VISITED] = {ST_CLOSED, {"visit"}},
    [ST_MERGED] = {ST_REGISTERED, {"merge"}},
    /* ST_REPORTED is a fresh report, ST_SELF_HANDLED a grid worker's report
     * fixed on the spot: both have parent ST_NONE. */
};

/* 1 if the path to st passes through state via. */
static int passes(int st, int via)
{
    for (; st != ST_NONE; st = paths[st].parent)
        if (st == via)
            return 1;
    return 0;
}

/* State shared by the matrix test. */
struct mx {
    struct ct *t;           /* fixture */
    int64_t master;         /* an open case to merge into */
    int64_t tmpl[ST_COUNT]; /* a case in each state, for refused attempts */
    int tried, allowed;     /* counts for the summary */
};

static int is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* One unit id that lives as long as the arena (action units must). */
static const int64_t *one_unit(struct ct *t, int64_t id)
{
    int64_t *u = arena_alloc(t->a, sizeof *u);
    *u = id;
    return u;
}

/* Complete, valid parameters for action on case id: a note always, the
 * lead unit 1 with co-unit 2 for (re)dispatch, unit 3 summoned by a
 * whistle, the case's first whistle, a 2-working-day span, an unhappy visit
 * (so that reopen is possible), the master case for merge. */
static struct case_action params(struct mx *m, int64_t id, const char *action)
{
    struct ct *t = m->t;
    struct case_action a = ct_action(action);
    a.note = "测试说明";
    if (is(action, "dispatch") || is(action, "reassign")) {
        a.unit_id = t->unit[1];
        a.units = one_unit(t, t->unit[2]);
        a.n_units = 1;
    } else if (is(action, "whistle")) {
        a.whistle_type = "huanjing";
        a.units = one_unit(t, t->unit[3]);
        a.n_units = 1;
    } else if (is(action, "whistle_report") || is(action, "whistle_rate")) {
        a.ref_id = ct_whistle_of(t, id);
        a.unit_id = t->unit[3];
        a.score = 80;
    } else if (is(action, "request_extension") || is(action, "approve_extension")) {
        a.span = (struct cal_span){CAL_WD, 2};
    } else if (is(action, "visit")) {
        a.resolved = 0;
        a.satisfaction = 3;
    } else if (is(action, "merge")) {
        a.ref_id = m->master;
    } else if (is(action, "send_verify")) {
        a.ref_id = t->grid.user_id;
    } else if (is(action, "verify")) {
        a.confirmed = 1;
    }
    return a;
}

/* Who takes a step on the way to a state. */
static const struct actor *step_actor(struct ct *t, const char *action)
{
    static const char *const by_handler[] = {"return", "sign", "progress", "feedback",
                                             "request_extension"};
    for (size_t i = 0; i < ARRAY_SIZE(by_handler); i++)
        if (is(action, by_handler[i]))
            return &t->hand[1];
    return is(action, "verify") ? &t->grid : &t->disp;
}

/* A case fixed on the spot by grid worker g1; resident A follows it so
 * that a resident can take part in its return visit. */
static int64_t self_handled_case(struct ct *t)
{
    struct case_new in = ct_report_in("normal");
    struct store_case c;
    struct err e = {0};
    in.self_handled = 1;
    assert_int_equal(case_create(t->d, &t->grid, &in, t->a, &c, &e), 0);
    assert_string_equal(c.state, "self_handled");
    assert_int_equal(store_case_follow(t->s, c.id, t->res.user_id, &e), 0);
    return c.id;
}

/* A new case brought into state st through real case_act calls. */
static int64_t drive(struct mx *m, int st, const struct actor *reporter)
{
    struct ct *t = m->t;
    if (st == ST_SELF_HANDLED)
        return self_handled_case(t);
    if (st == ST_REPORTED)
        return ct_report(t, reporter, "normal");
    int64_t id = drive(m, paths[st].parent, reporter);
    for (int i = 0; i < 2 && paths[st].steps[i]; i++) {
        struct case_action a = params(m, id, paths[st].steps[i]);
        ct_ok(t, step_actor(t, paths[st].steps[i]), id, &a);
    }
    ct_assert_state(t, id, st);
    return id;
}

/* The actor of a role who satisfies the unit and reporter rules: resident A
 * (the reporter), grid worker g1 (the case's grid), the lead unit's handler
 * (the summoned unit's handler for whistle_report), and so on. */
static const struct actor *actor_for(struct ct *t, int role, const char *action)
{
    switch (role) {
    case ROLE_RESIDENT:
        return &t->res;
    case ROLE_GRID:
        return &t->grid;
    case ROLE_DISPATCHER:
        return &t->disp;
    case ROLE_HANDLER:
        return &t->hand[is(action, "whistle_report") ? 3 : 1];
    case ROLE_LEADER:
        return &t->lead;
    default:
        return &t->adm;
    }
}

/* Expected outcome of actor_for(role, action) trying action in state st. */
static int expected(int st, const char *action, int role)
{
    const struct case_transition *row = case_transition_find(case_action_parse(action), st);
    /* The lead unit is attached by dispatch; unit 3 by the whistle blown at
     * registration. Every other actor_for() sees every case. */
    if (role == ROLE_HANDLER &&
        !passes(st, is(action, "whistle_report") ? ST_REGISTERED : ST_DISPATCHED))
        return ERR_NOTFOUND;
    if (row == NULL)
        return ERR_CONFLICT;
    if (!(row->roles & role))
        return ERR_DENIED;
    /* The table allows whistle_rate in rejected and self_handled, but no
     * whistle can be blown before registration: nothing to rate. */
    if (is(action, "whistle_rate") && !passes(st, ST_REGISTERED))
        return ERR_INVALID;
    return 0;
}

/* Checks a successful attempt: the new state, one more event, by whom. */
static void check_done(struct mx *m, int64_t id, const struct ct_snap *before, int st,
                       const struct case_transition *row, const struct actor *who)
{
    struct ct *t = m->t;
    struct ct_snap after = ct_snap(t, id);
    struct store_event *ev;
    int n;
    struct err e = {0};
    assert_string_equal(after.c.state, case_state_name(row->to == ST_SAME ? st : row->to));
    assert_int_equal(after.c.last_seq, before->c.last_seq + 1);
    assert_int_equal(after.n, before->n + 1);
    assert_int_equal(store_case_events(t->s, id, t->a, &ev, &n, &e), 0);
    assert_string_equal(ev[n - 1].action, case_action_name(row->act));
    assert_string_equal(ev[n - 1].from_state, case_state_name(st));
    assert_string_equal(ev[n - 1].to_state, after.c.state);
    assert_string_equal(ev[n - 1].actor_role, role_name(who->role));
    assert_int_equal(ev[n - 1].actor_id, who->user_id);
}

/* 1 if case_actions offers row to who on case id now. */
static int offered(struct ct *t, const struct actor *who, int64_t id,
                   const struct case_transition *row)
{
    struct store_case k;
    const struct case_transition **v;
    int n;
    struct err e = {0};
    assert_int_equal(store_case_get(t->s, id, t->a, &k, &e), 0);
    assert_int_equal(case_actions(t->d, who, &k, t->a, &v, &n, &e), 0);
    for (int i = 0; i < n; i++)
        if (v[i] == row)
            return 1;
    return 0;
}

/* Tries one (state, action, role) and checks the outcome and its effect. */
static void attempt(struct mx *m, int st, const struct case_transition *row, int role)
{
    struct ct *t = m->t;
    int want = expected(st, case_action_name(row->act), role);
    const struct actor *who = actor_for(t, role, case_action_name(row->act));
    int own = (row->flags & T_REPORTER) && role == ROLE_GRID; /* grid worker reports */
    int64_t id = want == 0 ? drive(m, st, own ? &t->grid : &t->res) : m->tmpl[st];
    struct ct_snap before = ct_snap(t, id);
    struct case_action a = params(m, id, case_action_name(row->act));
    struct err e;
    int listed = offered(t, who, id, row);
    int rc = ct_try(t, who, id, &a, &e);
    m->tried++;
    /* One rule: the actions the API offers (case_actions) are exactly those
     * case_act takes, for everyone who may see the case. */
    if (want != ERR_NOTFOUND && listed != (want == 0))
        fail_msg("%s: '%s' by %s is %soffered but case_act gives %s", case_state_name(st),
                 case_action_name(row->act), role_name(role), listed ? "" : "not ", err_name(want));
    if (rc != want)
        fail_msg("%s: '%s' by %s gave %s (%s), want %s", case_state_name(st),
                 case_action_name(row->act), role_name(role), err_name(rc), e.msg, err_name(want));
    if (want) {
        assert_int_equal(e.code, want);
        ct_assert_unchanged(t, id, &before);
        return;
    }
    m->allowed++;
    check_done(m, id, &before, st, row, who);
}

/* Every state x every action x every role through the real engine. */
static void test_matrix(void **state)
{
    struct mx m = {.t = *state};
    int n = 0;
    const struct case_transition *rows = case_transitions(&n);
    m.master = ct_report(m.t, &m.t->res, "normal");
    for (int st = ST_REPORTED; st < ST_COUNT; st++)
        m.tmpl[st] = drive(&m, st, &m.t->res);
    for (int st = ST_REPORTED; st < ST_COUNT; st++)
        for (int i = 0; i < n; i++)
            for (int role = ROLE_RESIDENT; role <= ROLE_ADMIN; role <<= 1)
                attempt(&m, st, &rows[i], role);
    assert_int_equal(m.tried, (ST_COUNT - 1) * n * 6);
    assert_true(m.allowed > 100);
    print_message("matrix: %d attempts, %d allowed\n", m.tried, m.allowed);
}

/* Actors with no link to a case get ERR_NOTFOUND for every action in every
 * state, and the case is unchanged: resident B (not the reporter, not a
 * follower), grid worker g2 (other grid, not the verifier) and the handler
 * of unit 4 (never attached). */
static void test_outsiders(void **state)
{
    struct mx m = {.t = *state};
    struct ct *t = m.t;
    const struct actor *outs[] = {&t->res2, &t->grid2, &t->hand[4]};
    int n = 0;
    const struct case_transition *rows = case_transitions(&n);
    m.master = ct_report(t, &t->res, "normal");
    for (int st = ST_REPORTED; st < ST_COUNT; st++) {
        int64_t id = drive(&m, st, &t->res);
        struct ct_snap before = ct_snap(t, id);
        for (int i = 0; i < n; i++)
            for (size_t k = 0; k < ARRAY_SIZE(outs); k++) {
                struct case_action a = params(&m, id, case_action_name(rows[i].act));
                struct err e;
                assert_int_equal(ct_try(t, outs[k], id, &a, &e), ERR_NOTFOUND);
                assert_string_equal(e.field, "id");
            }
        ct_assert_unchanged(t, id, &before);
    }
}

/* ---- requirements -------------------------------------------------------------- */

/* The first role (in a natural order) that may take row. */
static int some_role(const struct case_transition *row)
{
    static const int order[] = {ROLE_DISPATCHER, ROLE_HANDLER, ROLE_GRID,
                                ROLE_RESIDENT,   ROLE_LEADER,  ROLE_ADMIN};
    for (size_t i = 0; i < ARRAY_SIZE(order); i++)
        if (row->roles & order[i])
            return order[i];
    return ROLE_ADMIN;
}

/* The first state of row's from-mask that has a path. */
static int some_state(const struct case_transition *row)
{
    for (int st = ST_REPORTED; st < ST_COUNT; st++)
        if (((row->from >> st) & 1u) &&
            (passes(st, ST_REGISTERED) || !is(case_action_name(row->act), "whistle_rate")))
            return st;
    return ST_NONE;
}

/* Expects ERR_INVALID naming field, and the case unchanged. */
static void expect_invalid(struct ct *t, const struct actor *who, int64_t id,
                           const struct case_action *a, const char *field)
{
    struct ct_snap before = ct_snap(t, id);
    struct err e;
    int rc = ct_try(t, who, id, a, &e);
    if (rc != ERR_INVALID || strcmp(e.field, field) != 0)
        fail_msg("'%s': got %s field '%s' (%s), want invalid '%s'", case_action_name(a->act),
                 err_name(rc), e.field, e.msg, field);
    ct_assert_unchanged(t, id, &before);
}

/* Expects code rc, and the case unchanged. */
static void expect_code(struct ct *t, const struct actor *who, int64_t id,
                        const struct case_action *a, int want)
{
    struct ct_snap before = ct_snap(t, id);
    struct err e;
    int rc = ct_try(t, who, id, a, &e);
    if (rc != want)
        fail_msg("'%s' by %s: got %s (%s), want %s", case_action_name(a->act), role_name(who->role),
                 err_name(rc), e.msg, err_name(want));
    ct_assert_unchanged(t, id, &before);
}

/* Every action that needs a note refuses a missing or empty one, naming
 * "note", and then succeeds with one. */
static void test_note_required(void **state)
{
    struct mx m = {.t = *state};
    int n = 0, checked = 0;
    const struct case_transition *rows = case_transitions(&n);
    m.master = ct_report(m.t, &m.t->res, "normal");
    for (int i = 0; i < n; i++) {
        if (!(rows[i].flags & T_NOTE))
            continue;
        int st = some_state(&rows[i]);
        int64_t id = drive(&m, st, &m.t->res);
        const struct actor *who =
            actor_for(m.t, some_role(&rows[i]), case_action_name(rows[i].act));
        struct case_action a = params(&m, id, case_action_name(rows[i].act));
        a.note = NULL;
        expect_invalid(m.t, who, id, &a, "note");
        a.note = "";
        expect_invalid(m.t, who, id, &a, "note");
        a.note = "\xff\xfe"; /* not UTF-8 */
        expect_invalid(m.t, who, id, &a, "note");
        a.note = "有理由";
        ct_ok(m.t, who, id, &a);
        checked++;
    }
    assert_true(checked >= 12);
}

/* Dispatch needs an existing lead unit; co-units must exist, be distinct
 * and differ from the lead. */
static void test_dispatch_units(void **state)
{
    struct mx m = {.t = *state};
    struct ct *t = m.t;
    int64_t id = drive(&m, ST_REGISTERED, &t->res);
    int64_t twice[2] = {t->unit[2], t->unit[2]}, bad[1] = {99999};
    struct case_action a = params(&m, id, "dispatch");
    a.unit_id = 0;
    expect_invalid(t, &t->disp, id, &a, "unit");
    a.unit_id = 99999;
    expect_invalid(t, &t->disp, id, &a, "unit");
    a.unit_id = t->unit[2]; /* lead also listed as co-unit */
    expect_invalid(t, &t->disp, id, &a, "units");
    a.unit_id = t->unit[1];
    a.units = twice;
    a.n_units = 2;
    expect_invalid(t, &t->disp, id, &a, "units");
    a.units = bad;
    a.n_units = 1;
    expect_invalid(t, &t->disp, id, &a, "units");
    a = params(&m, id, "dispatch");
    ct_ok(t, &t->disp, id, &a);
    assert_int_equal(ct_get(t, id).lead_unit, t->unit[1]);
}

/* Only the lead unit may return, sign, feed back or ask for more time: a
 * co-unit's handler (who sees the case) is denied, an unrelated unit's
 * handler does not see it at all; the lead may. */
static void test_lead_only(void **state)
{
    struct mx m = {.t = *state};
    struct ct *t = m.t;
    int64_t id = drive(&m, ST_DISPATCHED, &t->res);
    struct case_action a = params(&m, id, "return");
    expect_code(t, &t->hand[2], id, &a, ERR_DENIED);
    expect_code(t, &t->hand[4], id, &a, ERR_NOTFOUND);
    a = params(&m, id, "sign");
    expect_code(t, &t->hand[2], id, &a, ERR_DENIED);
    ct_ok(t, &t->hand[1], id, &a);
    static const char *const lead_only[] = {"feedback", "request_extension"};
    for (size_t i = 0; i < ARRAY_SIZE(lead_only); i++) {
        a = params(&m, id, lead_only[i]);
        expect_code(t, &t->hand[2], id, &a, ERR_DENIED);
    }
    a = params(&m, id, "progress"); /* a co-unit may report progress */
    ct_ok(t, &t->hand[2], id, &a);
    ct_assert_state(t, id, ST_IN_PROGRESS);
}

/* A visit needs resolved (0/1) and satisfaction (1..3). */
static void test_visit_requirements(void **state)
{
    struct mx m = {.t = *state};
    struct ct *t = m.t;
    int64_t id = drive(&m, ST_CLOSED, &t->res);
    struct case_action a = params(&m, id, "visit");
    a.satisfaction = 0;
    expect_invalid(t, &t->res, id, &a, "satisfaction");
    a.satisfaction = 4;
    expect_invalid(t, &t->res, id, &a, "satisfaction");
    a.satisfaction = 1;
    a.resolved = -1;
    expect_invalid(t, &t->res, id, &a, "resolved");
    a.resolved = 2;
    expect_invalid(t, &t->res, id, &a, "resolved");
    a.resolved = 1;
    ct_ok(t, &t->res, id, &a);
    struct store_case c = ct_get(t, id);
    assert_int_equal(c.visit_resolved, 1);
    assert_int_equal(c.visit_satisfaction, 1);
}

/* Visits a closed case with (resolved, satisfaction) and tries reopen. */
static int reopen_after(struct mx *m, int resolved, int satisfaction)
{
    struct ct *t = m->t;
    int64_t id = drive(m, ST_CLOSED, &t->res);
    struct case_action a = params(m, id, "visit");
    a.resolved = resolved;
    a.satisfaction = satisfaction;
    ct_ok(t, &t->res, id, &a);
    struct ct_snap before = ct_snap(t, id);
    struct err e;
    a = params(m, id, "reopen");
    int rc = ct_try(t, &t->res, id, &a, &e);
    if (rc)
        ct_assert_unchanged(t, id, &before);
    return rc;
}

/* Reopen only follows an unresolved or unsatisfied visit. */
static void test_reopen_needs_unhappy_visit(void **state)
{
    struct mx m = {.t = *state};
    assert_int_equal(reopen_after(&m, 1, 1), ERR_CONFLICT); /* resolved, satisfied */
    assert_int_equal(reopen_after(&m, 1, 2), ERR_CONFLICT); /* basically satisfied */
    assert_int_equal(reopen_after(&m, 0, 1), 0);            /* unresolved */
    assert_int_equal(reopen_after(&m, 1, 3), 0);            /* unsatisfied */
}

/* Merge needs a master that exists, is another case, and is not merged,
 * rejected or voided itself. */
static void test_merge_refs(void **state)
{
    struct mx m = {.t = *state};
    struct ct *t = m.t;
    int64_t id = ct_report(t, &t->res, "normal");
    int64_t voided = drive(&m, ST_VOIDED, &t->res), rejected = drive(&m, ST_REJECTED, &t->res);
    struct case_action a = params(&m, id, "merge");
    a.ref_id = 0;
    expect_invalid(t, &t->disp, id, &a, "master");
    a.ref_id = id;
    expect_invalid(t, &t->disp, id, &a, "master");
    a.ref_id = 99999;
    expect_invalid(t, &t->disp, id, &a, "master");
    a.ref_id = voided;
    expect_code(t, &t->disp, id, &a, ERR_CONFLICT);
    a.ref_id = rejected;
    expect_code(t, &t->disp, id, &a, ERR_CONFLICT);
    m.master = ct_report(t, &t->res, "normal");
    a.ref_id = m.master;
    ct_ok(t, &t->disp, id, &a);
    int64_t other = ct_report(t, &t->res2, "normal");
    a.ref_id = id; /* into a merged case */
    expect_code(t, &t->disp, other, &a, ERR_CONFLICT);
}

/* An unknown, empty or missing action is invalid (for one who sees the case). */
static void test_unknown_action(void **state)
{
    struct ct *t = *state;
    int64_t id = ct_report(t, &t->res, "normal");
    struct case_action a = ct_action("frobnicate");
    expect_invalid(t, &t->disp, id, &a, "action");
    a.act = case_action_parse("");
    expect_invalid(t, &t->disp, id, &a, "action");
    a.act = case_action_parse(NULL);
    expect_invalid(t, &t->disp, id, &a, "action");
    a.act = case_action_parse("report"); /* the first event, not an action */
    expect_invalid(t, &t->disp, id, &a, "action");
    a.act = ACT_COUNT; /* out of range */
    expect_invalid(t, &t->disp, id, &a, "action");
    a.act = case_action_parse("register");
    struct err e;
    assert_int_equal(ct_try(t, &t->disp, 99999, &a, &e), ERR_NOTFOUND);
}

/* expect_seq guards against acting on a stale view of the case. */
static void test_expect_seq(void **state)
{
    struct ct *t = *state;
    int64_t id = ct_report(t, &t->res, "normal");
    struct case_action a = ct_action("register");
    struct err e;
    a.expect_seq = 2;
    expect_code(t, &t->disp, id, &a, ERR_CONFLICT);
    assert_int_equal(ct_try(t, &t->disp, id, &a, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "expect_seq");
    a.expect_seq = 1;
    ct_ok(t, &t->disp, id, &a);
    a = ct_action("comment");
    a.note = "旧视图";
    a.expect_seq = 1; /* now stale: the case is at event 2 */
    expect_code(t, &t->disp, id, &a, ERR_CONFLICT);
}

/* self_handle is for the grid worker who reported the case: another grid
 * worker of the same grid (who sees it) is denied. */
static void test_self_handle_reporter(void **state)
{
    struct ct *t = *state;
    struct actor g3 = ct_user(t, "grid_c", "grid", 0, CT_GRID);
    int64_t id = ct_report(t, &t->grid, "normal");
    struct case_action a = ct_action("self_handle");
    expect_code(t, &g3, id, &a, ERR_DENIED);
    ct_ok(t, &t->grid, id, &a);
    struct store_case c = ct_get(t, id);
    assert_string_equal(c.state, "self_handled");
    assert_true(c.closed_at > 0);
    assert_int_equal(c.due_at, 0);
}

/* An extension needs a positive span in a known unit, both when asked and
 * when granted. */
static void test_extension_span(void **state)
{
    struct mx m = {.t = *state};
    struct ct *t = m.t;
    int64_t id = drive(&m, ST_ACCEPTED, &t->res);
    struct case_action a = params(&m, id, "request_extension");
    a.span = (struct cal_span){CAL_WD, 0};
    expect_invalid(t, &t->hand[1], id, &a, "span");
    a.span = (struct cal_span){0, 2}; /* no unit */
    expect_invalid(t, &t->hand[1], id, &a, "span");
    a.span = (struct cal_span){99, 2};
    expect_invalid(t, &t->hand[1], id, &a, "span");
    a.span = (struct cal_span){CAL_WD, 2};
    ct_ok(t, &t->hand[1], id, &a);
    a = params(&m, id, "approve_extension");
    a.span = (struct cal_span){7, 3};
    expect_invalid(t, &t->disp, id, &a, "span");
}

/* A whistle needs a known type, at least one existing unit and a sane limit. */
static void test_whistle_requirements(void **state)
{
    struct mx m = {.t = *state};
    struct ct *t = m.t;
    int64_t id = drive(&m, ST_DISPATCHED, &t->res);
    struct case_action a = params(&m, id, "whistle");
    a.whistle_type = "nosuch";
    expect_invalid(t, &t->disp, id, &a, "type");
    a.whistle_type = NULL;
    expect_invalid(t, &t->disp, id, &a, "type");
    a.whistle_type = "minsheng";
    a.n_units = 0;
    expect_invalid(t, &t->disp, id, &a, "units");
    a.n_units = 1;
    a.limit_min = 7 * 24 * 60 + 1;
    expect_invalid(t, &t->disp, id, &a, "limit_minutes");
    a.limit_min = 45;
    ct_ok(t, &t->disp, id, &a);
    struct store_event *ev;
    struct store_whistle w;
    struct err e = {0};
    int n = 0;
    assert_int_equal(store_case_events(t->s, id, t->a, &ev, &n, &e), 0);
    assert_string_equal(ev[n - 1].action, "whistle");
    assert_int_equal(store_whistle_get(t->s, ev[n - 1].ref_id, t->a, &w, &e), 0);
    assert_int_equal(w.case_id, id);
    assert_int_equal(w.limit_min, 45);
    assert_string_equal(w.type, "minsheng");
}

/* send_verify names a grid worker (or nobody); anyone else is refused. */
static void test_send_verify_ref(void **state)
{
    struct ct *t = *state;
    int64_t id = ct_report(t, &t->res, "normal");
    struct case_action a = ct_action("send_verify");
    a.ref_id = t->disp.user_id;
    expect_invalid(t, &t->disp, id, &a, "verifier");
    a.ref_id = 99999;
    expect_invalid(t, &t->disp, id, &a, "verifier");
    a.ref_id = t->grid2.user_id;
    ct_ok(t, &t->disp, id, &a);
    assert_int_equal(ct_get(t, id).verifier_id, t->grid2.user_id);
}

/* case_apply (the fold): a pause that goes on from deferred into hung
 * keeps its start, so resuming credits the whole pause. */
static void test_apply_pause_chain(void **state)
{
    (void)state;
    struct store_case c = {.visit_resolved = -1, .last_seq = 4};
    struct store_event ev = {.seq = 5, .flag = -1};
    struct err e = {0};
    str_copy(c.state, sizeof c.state, "in_progress");
    str_copy(ev.action, sizeof ev.action, "defer");
    str_copy(ev.from_state, sizeof ev.from_state, "in_progress");
    str_copy(ev.to_state, sizeof ev.to_state, "deferred");
    ev.at = 1000;
    assert_int_equal(case_apply(&c, &ev, &e), 0);
    assert_int_equal(c.paused_at, 1000);
    ev.seq = 6;
    ev.at = 5000;
    str_copy(ev.action, sizeof ev.action, "hang");
    str_copy(ev.from_state, sizeof ev.from_state, "deferred");
    str_copy(ev.to_state, sizeof ev.to_state, "hung");
    assert_int_equal(case_apply(&c, &ev, &e), 0);
    assert_string_equal(c.state, "hung");
    assert_int_equal(c.paused_at, 1000); /* still paused since the deferral */
    ev.seq = 7;
    str_copy(ev.action, sizeof ev.action, "resume");
    str_copy(ev.from_state, sizeof ev.from_state, "hung");
    str_copy(ev.to_state, sizeof ev.to_state, "in_progress");
    assert_int_equal(case_apply(&c, &ev, &e), 0);
    assert_int_equal(c.paused_at, 0);
}

/* case_apply refuses events that do not follow: a seq gap, a wrong
 * from-state, an action the table does not allow there. */
static void test_apply_refuses(void **state)
{
    (void)state;
    struct store_case c = {.visit_resolved = -1, .last_seq = 3};
    struct store_event ev = {.seq = 5, .flag = -1};
    struct err e = {0};
    str_copy(c.state, sizeof c.state, "registered");
    str_copy(ev.action, sizeof ev.action, "dispatch");
    str_copy(ev.from_state, sizeof ev.from_state, "registered");
    str_copy(ev.to_state, sizeof ev.to_state, "dispatched");
    assert_int_equal(case_apply(&c, &ev, &e), ERR_INVALID);
    ev.seq = 4;
    str_copy(ev.from_state, sizeof ev.from_state, "reported");
    err_clear(&e);
    assert_int_equal(case_apply(&c, &ev, &e), ERR_INVALID);
    str_copy(ev.from_state, sizeof ev.from_state, "registered");
    str_copy(ev.action, sizeof ev.action, "sign");
    err_clear(&e);
    assert_int_equal(case_apply(&c, &ev, &e), ERR_INVALID);
    assert_string_equal(c.state, "registered");
    assert_int_equal(c.last_seq, 3);
    str_copy(ev.action, sizeof ev.action, "dispatch");
    ev.unit_id = 7;
    str_copy(ev.units, sizeof ev.units, "8,9");
    assert_int_equal(case_apply(&c, &ev, &e), 0);
    assert_int_equal(c.lead_unit, 7);
    assert_string_equal(c.co_units, "8,9");
}

#define T(f) cmocka_unit_test_setup_teardown(f, ct_setup, ct_teardown)

int main(void)
{
    ct_pin_time();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_sorted_unique),
        cmocka_unit_test(test_action_names),
        cmocka_unit_test(test_fields_match_requirements),
        cmocka_unit_test(test_find_matches_mask),
        cmocka_unit_test(test_rows_valid),
        cmocka_unit_test(test_state_names),
        cmocka_unit_test(test_final_states_exits),
        cmocka_unit_test(test_graph),
        T(test_matrix),
        T(test_outsiders),
        T(test_note_required),
        T(test_dispatch_units),
        T(test_lead_only),
        T(test_visit_requirements),
        T(test_reopen_needs_unhappy_visit),
        T(test_merge_refs),
        T(test_unknown_action),
        T(test_expect_seq),
        T(test_self_handle_reporter),
        T(test_extension_span),
        T(test_whistle_requirements),
        T(test_send_verify_ref),
        cmocka_unit_test(test_apply_pause_chain),
        cmocka_unit_test(test_apply_refuses),
    };
    return cmocka_run_group_tests_name("case_rules", tests, NULL, NULL);
}
