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

/* ---- names --------------------------------------------------------------------- */

static const struct {
    const char *name;  /* stored name */
    const char *label; /* Chinese label */
    int public_note;   /* 1: the public may read the event's note (case_action_public) */
} actions[ACT_COUNT] = {
    [ACT_NONE] = {"", "", 0},
    [ACT_APPROVE_EXTENSION] = {"approve_extension", "批准延期", 0},
    [ACT_CLOSE] = {"close", "结案", 1},
    [ACT_COMMENT] = {"comment", "备注", 1},
    [ACT_DEFER] = {"defer", "缓办", 0},
    [ACT_DENY_EXTENSION] = {"deny_extension", "驳回延期", 0},
    [ACT_DISPATCH] = {"dispatch", "派遣", 0},
    [ACT_FEEDBACK] = {"feedback", "处置反馈", 1},
    [ACT_HANG] = {"hang", "挂账", 0},
    [ACT_MERGE] = {"merge", "合并", 1},
    [ACT_PROGRESS] = {"progress", "处置进展", 0},
    [ACT_REASSIGN] = {"reassign", "改派", 0},
    [ACT_REGISTER] = {"register", "立案", 1},
    [ACT_REJECT] = {"reject", "不予立案", 1},
    [ACT_REOPEN] = {"reopen", "重新办理", 1},
    [ACT_REPORT] = {"report", "上报", 1},
    [ACT_REQUEST_EXTENSION] = {"request_extension", "申请延期", 0},
    [ACT_RESUME] = {"resume", "恢复办理", 0},
    [ACT_RETURN] = {"return", "退单", 0},
    [ACT_REWORK] = {"rework", "返工", 0},
    [ACT_SELF_HANDLE] = {"self_handle", "自行处置", 1},
    [ACT_SEND_VERIFY] = {"send_verify", "派发核实", 0},
    [ACT_SIGN] = {"sign", "签收", 0},
    [ACT_SUPERVISE] = {"supervise", "督办", 0},
    [ACT_VERIFY] = {"verify", "核实", 0},
    [ACT_VISIT] = {"visit", "回访评价", 1},
    [ACT_VOID] = {"void", "作废", 0},
    [ACT_WHISTLE] = {"whistle", "吹哨", 0},
    [ACT_WHISTLE_RATE] = {"whistle_rate", "报到评价", 0},
    [ACT_WHISTLE_REPORT] = {"whistle_report", "报到", 0},
};

const char *case_action_name(int act)
{
    return act > 0 && act < ACT_COUNT ? actions[act].name : "";
}

const char *case_action_label(int act)
{
    return act > 0 && act < ACT_COUNT ? actions[act].label : "";
}

int case_action_public(int act)
{
    return act > 0 && act < ACT_COUNT && actions[act].public_note;
}

int case_action_parse(const char *name)
{
    int lo = 1, hi = ACT_COUNT - 1; /* the names are sorted like the enum */
    while (name && lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(name, actions[mid].name);
        if (c == 0)
            return mid;
        if (c < 0)
            hi = mid - 1;
        else
            lo = mid + 1;
    }
    return ACT_NONE;
}

/* The request fields an action may name (the API's action body). */
static const char *const field_names[] = {
    "attachments", "confirmed", "limit_minutes", "master", "resolved", "satisfaction", "score",
    "span",        "type",      "unit",          "units",  "verifier", "whistle",
};

/* The field named by the len bytes at p, as a lasting string; "" if none. */
static const char *field_name(const char *p, size_t len)
{
    for (size_t i = 0; i < ARRAY_SIZE(field_names); i++)
        if (strlen(field_names[i]) == len && strncmp(field_names[i], p, len) == 0)
            return field_names[i];
    return "";
}

int case_fields(const struct case_transition *t, const struct actor *who, struct case_field *out,
                int max)
{
    int n = 0;
    for (const char *p = t->fields; p && *p && n < max;) {
        size_t len = strcspn(p, " ");
        char mark = len ? p[len - 1] : 0;
        size_t name_len = mark == '!' || mark == '^' ? len - 1 : len;
        if (mark == '^' && who && who->unit_id) {
            p += len + (p[len] == ' ');
            continue; /* it reports for its own unit */
        }
        out[n].name = field_name(p, name_len);
        out[n].required = mark == '!' || (mark == '^' && who);
        n++;
        p += len + (p[len] == ' ');
    }
    return n;
}

/* ---- effects: what an event carries besides state and clocks ------------------- */

static void fx_lead(struct store_case *c, const struct store_event *ev)
{
    c->lead_unit = ev->unit_id;
    str_copy(c->co_units, sizeof c->co_units, ev->units);
}

static void fx_returned(struct store_case *c, const struct store_event *ev)
{
    (void)ev;
    c->return_count++;
}

static void fx_rework(struct store_case *c, const struct store_event *ev)
{
    (void)ev;
    c->rework_count++;
}

static void fx_extended(struct store_case *c, const struct store_event *ev)
{
    (void)ev;
    c->extension_count++;
}

static void fx_supervised(struct store_case *c, const struct store_event *ev)
{
    (void)ev;
    c->supervise_count++;
}

static void fx_master(struct store_case *c, const struct store_event *ev)
{
    c->master_id = ev->ref_id;
}

static void fx_verifier(struct store_case *c, const struct store_event *ev)
{
    c->verifier_id = ev->ref_id;
}

static void fx_visit(struct store_case *c, const struct store_event *ev)
{
    c->visit_resolved = ev->flag;
    c->visit_satisfaction = (int)ev->amount;
}

/* ---- the transition table ------------------------------------------------------ */

#define F_DISPATCH "unit! units"
#define F_WORK     "attachments"
#define F_VISIT    "resolved! satisfaction!"

/* The transition table, in the order of the actions. */
static const struct case_transition table[] = {
    {ACT_APPROVE_EXTENSION, B(ST_EXTENSION_REQ), ST_IN_PROGRESS, R_DISP | R_ADM, 0, CLK_EXTEND,
     "span", fx_extended},
    {ACT_CLOSE, B(ST_HANDLED), ST_CLOSED, R_DISP | R_GRID | R_ADM, 0, CLK_STOP, F_WORK, NULL},
    {ACT_COMMENT, S_ALL, ST_SAME, R_ALL, T_NOTE, CLK_KEEP, "", NULL},
    {ACT_DEFER, S_WORKING | B(ST_EXTENSION_REQ), ST_DEFERRED, R_DISP | R_ADM, T_NOTE, CLK_PAUSE, "",
     NULL},
    {ACT_DENY_EXTENSION, B(ST_EXTENSION_REQ), ST_IN_PROGRESS, R_DISP | R_ADM, T_NOTE, CLK_KEEP, "",
     NULL},
    {ACT_DISPATCH, B(ST_REGISTERED) | B(ST_RETURNED), ST_DISPATCHED, R_DISP | R_ADM, T_UNIT,
     CLK_SIGN, F_DISPATCH, fx_lead},
    {ACT_FEEDBACK, S_WORKING, ST_HANDLED, R_HAND | R_ADM, T_NOTE | T_LEAD, CLK_CHECK, F_WORK, NULL},
    {ACT_HANG, S_WORKING | B(ST_DEFERRED) | B(ST_EXTENSION_REQ), ST_HUNG, R_DISP | R_ADM, T_NOTE,
     CLK_PAUSE, "", NULL},
    {ACT_MERGE, S_INTAKE | B(ST_REGISTERED), ST_MERGED, R_DISP | R_ADM, T_REF, CLK_STOP, "master!",
     fx_master},
    {ACT_PROGRESS, S_WORKING, ST_IN_PROGRESS, R_HAND | R_ADM, T_NOTE | T_HANDLING, CLK_KEEP, F_WORK,
     NULL},
    {ACT_REASSIGN, B(ST_DISPATCHED) | B(ST_RETURNED) | S_WORKING, ST_DISPATCHED, R_DISP | R_ADM,
     T_UNIT | T_NOTE, CLK_SIGN, F_DISPATCH, fx_lead},
    {ACT_REGISTER, B(ST_REPORTED) | B(ST_VERIFIED), ST_REGISTERED, R_DISP | R_ADM, 0,
     CLK_REGISTERED, "", NULL},
    {ACT_REJECT, S_INTAKE, ST_REJECTED, R_DISP | R_ADM, T_NOTE, CLK_STOP, "", NULL},
    {ACT_REOPEN, B(ST_VISITED), ST_REWORK, R_DISP | R_RES | R_ADM, T_NOTE | T_UNHAPPY, CLK_REOPEN,
     "", fx_rework},
    {ACT_REQUEST_EXTENSION, S_WORKING, ST_EXTENSION_REQ, R_HAND | R_ADM, T_NOTE | T_SPAN | T_LEAD,
     CLK_KEEP, "span!", NULL},
    {ACT_RESUME, B(ST_DEFERRED) | B(ST_HUNG), ST_IN_PROGRESS, R_DISP | R_ADM, 0, CLK_RESUME, "",
     NULL},
    {ACT_RETURN, B(ST_DISPATCHED), ST_RETURNED, R_HAND | R_ADM, T_NOTE | T_LEAD, CLK_DISPATCH, "",
     fx_returned},
    {ACT_REWORK, B(ST_HANDLED), ST_REWORK, R_DISP | R_GRID | R_ADM, T_NOTE, CLK_HANDLE, "",
     fx_rework},
    {ACT_SELF_HANDLE, B(ST_REPORTED), ST_SELF_HANDLED, R_GRID | R_ADM, T_REPORTER, CLK_STOP, F_WORK,
     NULL},
    {ACT_SEND_VERIFY, B(ST_REPORTED), ST_VERIFYING, R_DISP | R_ADM, 0, CLK_KEEP, "verifier",
     fx_verifier},
    {ACT_SIGN, B(ST_DISPATCHED), ST_ACCEPTED, R_HAND | R_ADM, T_LEAD, CLK_HANDLE, "", NULL},
    {ACT_SUPERVISE, S_OPEN, ST_SAME, R_DISP | R_LEAD | R_ADM, T_NOTE, CLK_KEEP, "", fx_supervised},
    {ACT_VERIFY, B(ST_VERIFYING), ST_VERIFIED, R_GRID | R_DISP | R_ADM, 0, CLK_KEEP, "confirmed",
     NULL},
    {ACT_VISIT, B(ST_CLOSED) | B(ST_SELF_HANDLED), ST_VISITED, R_DISP | R_RES | R_ADM, T_VISIT,
     CLK_STOP, F_VISIT, fx_visit},
    {ACT_VOID, S_INTAKE | B(ST_REGISTERED), ST_VOIDED, R_DISP | R_ADM, T_NOTE, CLK_STOP, "", NULL},
    {ACT_WHISTLE, S_WHISTLE, ST_SAME, R_DISP | R_ADM, 0, CLK_KEEP, "type! units! limit_minutes",
     NULL},
    {ACT_WHISTLE_RATE, S_WHISTLE | B(ST_CLOSED) | B(ST_VISITED), ST_SAME, R_DISP | R_LEAD | R_ADM,
     T_REF | T_UNIT | T_WHISTLED, CLK_KEEP, "whistle! unit! score!", NULL},
    {ACT_WHISTLE_REPORT, S_WHISTLE, ST_SAME, R_HAND | R_ADM, T_REF | T_SUMMONED, CLK_KEEP,
     "whistle! unit^", NULL},
};

const struct case_transition *case_transitions(int *n)
{
    *n = (int)ARRAY_SIZE(table);
    return table;
}

/* The table has one row per action, in action order, except ACT_REPORT
 * (which starts a case) and ACT_NONE; so an action's row is at a fixed
 * index (a test checks the order). */
const struct case_transition *case_transition_of(int act)
{
    if (act <= ACT_NONE || act >= ACT_COUNT || act == ACT_REPORT)
        return NULL;
    return &table[act < ACT_REPORT ? act - 1 : act - 2];
}

const struct case_transition *case_transition_find(int act, int from)
{
    const struct case_transition *t = case_transition_of(act);
    if (t == NULL || from < 0 || from >= ST_COUNT || !(t->from & B(from)))
        return NULL;
    return t;
}

/* ---- the fold ---------------------------------------------------------------- */

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
    int from = case_state_parse(ev->from_state), act = case_action_parse(ev->action);
    const struct case_transition *t = case_transition_find(act, from);
    int report = act == ACT_REPORT;
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
    if (t && t->effect)
        t->effect(c, ev);
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
