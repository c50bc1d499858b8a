/*
 * case_rules.c - the lifecycle as data: state names, the transition table
 * (state x action -> state, roles allowed, requirements, clock effect) and
 * case_apply, the fold of one event into a case projection.
 */
#include <stdlib.h>
#include <string.h>
#include "case.h"

static const struct {
    const char *name;  /* stored name */
    const char *label; /* Chinese label */
} states[ST_COUNT] = {
    [ST_NONE] = {"", ""},
    [ST_REPORTED] = {"reported", "已上报"},
    [ST_VERIFYING] = {"verifying", "核实中"},
    [ST_VERIFIED] = {"verified", "已核实"},
    [ST_REGISTERED] = {"registered", "已立案"},
    [ST_REJECTED] = {"rejected", "不予立案"},
    [ST_VOIDED] = {"voided", "已作废"},
    [ST_DISPATCHED] = {"dispatched", "已派遣"},
    [ST_RETURNED] = {"returned", "已退单"},
    [ST_ACCEPTED] = {"accepted", "已签收"},
    [ST_IN_PROGRESS] = {"in_progress", "处置中"},
    [ST_EXTENSION_REQ] = {"extension_requested", "延期申请中"},
    [ST_DEFERRED] = {"deferred", "缓办"},
    [ST_HUNG] = {"hung", "挂账"},
    [ST_HANDLED] = {"handled", "已反馈"},
    [ST_REWORK] = {"rework", "返工"},
    [ST_CLOSED] = {"closed", "已结案"},
    [ST_VISITED] = {"visited", "已回访"},
    [ST_SELF_HANDLED] = {"self_handled", "自行处置"},
    [ST_MERGED] = {"merged", "已合并"},
};

const char *case_state_name(int st)
{
    return st >= 0 && st < ST_COUNT ? states[st].name : "";
}

const char *case_state_label(int st)
{
    return st >= 0 && st < ST_COUNT ? states[st].label : "";
}

int case_state_parse(const char *name)
{
    for (int i = 1; i < ST_COUNT; i++)
        if (strcmp(states[i].name, name) == 0)
            return i;
    return -1;
}

int case_state_final(int st)
{
    return st == ST_REJECTED || st == ST_VOIDED || st == ST_MERGED || st == ST_CLOSED ||
           st == ST_VISITED || st == ST_SELF_HANDLED;
}

#define B(s) (1u << (s))
/* States in which a unit is working on the case. */
#define S_WORKING (B(ST_ACCEPTED) | B(ST_IN_PROGRESS) | B(ST_REWORK))
/* States before registration. */
#define S_INTAKE (B(ST_REPORTED) | B(ST_VERIFYING) | B(ST_VERIFIED))
/* States in which the case is open (not final). */
#define S_OPEN                                                                                     \
    (S_INTAKE | B(ST_REGISTERED) | B(ST_DISPATCHED) | B(ST_RETURNED) | S_WORKING |                 \
     B(ST_EXTENSION_REQ) | B(ST_DEFERRED) | B(ST_HUNG) | B(ST_HANDLED))
/* States after registration in which a whistle makes sense. */
#define S_WHISTLE                                                                                  \
    (B(ST_REGISTERED) | B(ST_DISPATCHED) | B(ST_RETURNED) | S_WORKING | B(ST_EXTENSION_REQ) |      \
     B(ST_HANDLED) | B(ST_HUNG) | B(ST_DEFERRED))
#define S_ALL ((1u << ST_COUNT) - 2u)

#define R_RES  ROLE_RESIDENT
#define R_GRID ROLE_GRID
#define R_DISP ROLE_DISPATCHER
#define R_HAND ROLE_HANDLER
#define R_LEAD ROLE_LEADER
#define R_ADM  ROLE_ADMIN
#define R_ALL  (R_RES | R_GRID | R_DISP | R_HAND | R_LEAD | R_ADM)

/* The transition table, sorted by action name (then by from-states). */
static const struct case_transition table[] = {
    {"approve_extension", B(ST_EXTENSION_REQ), ST_IN_PROGRESS, R_DISP | R_ADM, 0, CLK_EXTEND,
     "批准延期"},
    {"close", B(ST_HANDLED), ST_CLOSED, R_DISP | R_GRID | R_ADM, 0, CLK_STOP, "结案"},
    {"comment", S_ALL, ST_SAME, R_ALL, T_NOTE, CLK_KEEP, "备注"},
    {"defer", S_WORKING | B(ST_EXTENSION_REQ), ST_DEFERRED, R_DISP | R_ADM, T_NOTE, CLK_PAUSE,
     "缓办"},
    {"deny_extension", B(ST_EXTENSION_REQ), ST_IN_PROGRESS, R_DISP | R_ADM, T_NOTE, CLK_KEEP,
     "驳回延期"},
    {"dispatch", B(ST_REGISTERED) | B(ST_RETURNED), ST_DISPATCHED, R_DISP | R_ADM, T_UNIT, CLK_SIGN,
     "派遣"},
    {"feedback", S_WORKING, ST_HANDLED, R_HAND | R_ADM, T_NOTE | T_LEAD, CLK_CHECK, "处置反馈"},
    {"hang", S_WORKING | B(ST_DEFERRED) | B(ST_EXTENSION_REQ), ST_HUNG, R_DISP | R_ADM, T_NOTE,
     CLK_PAUSE, "挂账"},
    {"merge", S_INTAKE | B(ST_REGISTERED), ST_MERGED, R_DISP | R_ADM, T_REF, CLK_STOP, "合并"},
    {"progress", S_WORKING, ST_IN_PROGRESS, R_HAND | R_ADM, T_NOTE | T_HANDLING, CLK_KEEP,
     "处置进展"},
    {"reassign", B(ST_DISPATCHED) | B(ST_RETURNED) | S_WORKING, ST_DISPATCHED, R_DISP | R_ADM,
     T_UNIT | T_NOTE, CLK_SIGN, "改派"},
    {"register", B(ST_REPORTED) | B(ST_VERIFIED), ST_REGISTERED, R_DISP | R_ADM, 0, CLK_REGISTERED,
     "立案"},
    {"reject", S_INTAKE, ST_REJECTED, R_DISP | R_ADM, T_NOTE, CLK_STOP, "不予立案"},
    {"reopen", B(ST_VISITED), ST_REWORK, R_DISP | R_RES | R_ADM, T_NOTE | T_UNHAPPY, CLK_REOPEN,
     "重新办理"},
    {"request_extension", S_WORKING, ST_EXTENSION_REQ, R_HAND | R_ADM, T_NOTE | T_SPAN | T_LEAD,
     CLK_KEEP, "申请延期"},
    {"resume", B(ST_DEFERRED) | B(ST_HUNG), ST_IN_PROGRESS, R_DISP | R_ADM, 0, CLK_RESUME,
     "恢复办理"},
    {"return", B(ST_DISPATCHED), ST_RETURNED, R_HAND | R_ADM, T_NOTE | T_LEAD, CLK_DISPATCH,
     "退单"},
    {"rework", B(ST_HANDLED), ST_REWORK, R_DISP | R_GRID | R_ADM, T_NOTE, CLK_HANDLE, "返工"},
    {"self_handle", B(ST_REPORTED), ST_SELF_HANDLED, R_GRID | R_ADM, T_REPORTER, CLK_STOP,
     "自行处置"},
    {"send_verify", B(ST_REPORTED), ST_VERIFYING, R_DISP | R_ADM, 0, CLK_KEEP, "派发核实"},
    {"sign", B(ST_DISPATCHED), ST_ACCEPTED, R_HAND | R_ADM, T_LEAD, CLK_HANDLE, "签收"},
    {"supervise", S_OPEN, ST_SAME, R_DISP | R_LEAD | R_ADM, T_NOTE, CLK_KEEP, "督办"},
    {"verify", B(ST_VERIFYING), ST_VERIFIED, R_GRID | R_DISP | R_ADM, 0, CLK_KEEP, "核实"},
    {"visit", B(ST_CLOSED) | B(ST_SELF_HANDLED), ST_VISITED, R_DISP | R_RES | R_ADM, T_VISIT,
     CLK_STOP, "回访评价"},
    {"void", S_INTAKE | B(ST_REGISTERED), ST_VOIDED, R_DISP | R_ADM, T_NOTE, CLK_STOP, "作废"},
    {"whistle", S_WHISTLE, ST_SAME, R_DISP | R_ADM, 0, CLK_KEEP, "吹哨"},
    {"whistle_rate", S_WHISTLE | B(ST_CLOSED) | B(ST_VISITED), ST_SAME, R_DISP | R_LEAD | R_ADM,
     T_REF | T_UNIT, CLK_KEEP, "报到评价"},
    {"whistle_report", S_WHISTLE, ST_SAME, R_HAND | R_ADM, T_REF | T_SUMMONED, CLK_KEEP, "报到"},
};

const struct case_transition *case_transitions(int *n)
{
    *n = (int)ARRAY_SIZE(table);
    return table;
}

static int cmp_action(const void *key, const void *row)
{
    return strcmp(key, ((const struct case_transition *)row)->action);
}

const struct case_transition *case_transition_find(const char *action, int from)
{
    const struct case_transition *t =
        bsearch(action, table, ARRAY_SIZE(table), sizeof table[0], cmp_action);
    if (t == NULL || from < 0 || from >= ST_COUNT || !(t->from & B(from)))
        return NULL;
    return t;
}

int case_action_known(const char *action)
{
    return bsearch(action, table, ARRAY_SIZE(table), sizeof table[0], cmp_action) != NULL;
}

/* ---- the fold ---------------------------------------------------------------- */

/* Per-action effects on counters and links that the event carries. */
static void apply_effects(struct store_case *c, const struct store_event *ev)
{
    const char *a = ev->action;
    if (strcmp(a, "dispatch") == 0 || strcmp(a, "reassign") == 0) {
        c->lead_unit = ev->unit_id;
        str_copy(c->co_units, sizeof c->co_units, ev->units);
    } else if (strcmp(a, "return") == 0) {
        c->return_count++;
    } else if (strcmp(a, "rework") == 0 || strcmp(a, "reopen") == 0) {
        c->rework_count++;
    } else if (strcmp(a, "approve_extension") == 0) {
        c->extension_count++;
    } else if (strcmp(a, "supervise") == 0) {
        c->supervise_count++;
    } else if (strcmp(a, "merge") == 0) {
        c->master_id = ev->ref_id;
    } else if (strcmp(a, "send_verify") == 0) {
        c->verifier_id = ev->ref_id;
    } else if (strcmp(a, "visit") == 0) {
        c->visit_resolved = ev->flag;
        c->visit_satisfaction = (int)ev->amount;
    }
}

int case_apply(struct store_case *c, const struct store_event *ev, struct err *e)
{
    if (ev->seq != c->last_seq + 1)
        return err_set(e, ERR_INVALID, NULL, "event seq %d does not follow %d", ev->seq,
                       c->last_seq);
    if (strcmp(ev->from_state, c->state) != 0)
        return err_set(e, ERR_INVALID, NULL, "event %d starts from '%s' but the case is '%s'",
                       ev->seq, ev->from_state, c->state);
    int to = case_state_parse(ev->to_state);
    if (to < 0)
        return err_set(e, ERR_INVALID, NULL, "event %d: unknown state '%s'", ev->seq, ev->to_state);
    int from = case_state_parse(ev->from_state);
    const struct case_transition *t = case_transition_find(ev->action, from);
    int report = strcmp(ev->action, "report") == 0;
    /* The first event is the report, into "reported"; every later one is a
     * row of the table and lands where that row says. */
    if (ev->seq == 1 ? !report || to != ST_REPORTED : report || t == NULL)
        return err_set(e, ERR_INVALID, NULL, "event %d: '%s' is not allowed in '%s'", ev->seq,
                       ev->action, ev->from_state);
    if (t && to != (t->to == ST_SAME ? from : t->to))
        return err_set(e, ERR_INVALID, NULL, "event %d: '%s' cannot lead to '%s'", ev->seq,
                       ev->action, ev->to_state);
    str_copy(c->state, sizeof c->state, ev->to_state);
    c->last_seq = ev->seq;
    c->updated_at = ev->at;
    c->due_at = ev->due_at;
    c->warn_at = ev->warn_at;
    c->close_due = ev->close_due;
    apply_effects(c, ev);
    int clock = t ? t->clock : CLK_REGISTER;
    if (clock == CLK_PAUSE && c->paused_at == 0) /* deferred -> hung: still the same pause */
        c->paused_at = ev->at;
    else if (clock == CLK_RESUME)
        c->paused_at = 0;
    if (to == ST_CLOSED || to == ST_SELF_HANDLED)
        c->closed_at = ev->at;
    else if (clock == CLK_REOPEN)
        c->closed_at = 0;
    return 0;
}
