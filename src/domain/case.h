/*
 * case.h - the case lifecycle (DESIGN.md §4): states, actions, the
 * transition table, deadlines, and the operations on cases.
 *
 * Every change is an event appended to the case's log; the stored case row
 * is the fold of its events (case_apply), written in the same transaction.
 * case_replay_check proves it for every case in a database.
 */
#ifndef CHUISHAO_CASE_H
#define CHUISHAO_CASE_H

#include "domain.h"

/* States. The numbering is internal; names are stored and shown. */
enum case_state {
    ST_NONE = 0,      /* before the report */
    ST_REPORTED,      /* 上报: received, not yet registered */
    ST_VERIFYING,     /* 核实中: sent to a grid worker to verify */
    ST_VERIFIED,      /* 已核实 */
    ST_REGISTERED,    /* 立案 */
    ST_REJECTED,      /* 不予立案 (final) */
    ST_VOIDED,        /* 作废 (final) */
    ST_DISPATCHED,    /* 派遣: waiting for the lead unit to sign for it */
    ST_RETURNED,      /* 退单: the unit returned it, with a reason */
    ST_ACCEPTED,      /* 签收 */
    ST_IN_PROGRESS,   /* 处置中 */
    ST_EXTENSION_REQ, /* 延期申请中 */
    ST_DEFERRED,      /* 缓办 (clock paused) */
    ST_HUNG,          /* 挂账 (clock paused, written explanation) */
    ST_HANDLED,       /* 已反馈: waiting for the check */
    ST_REWORK,        /* 返工 */
    ST_CLOSED,        /* 结案 */
    ST_VISITED,       /* 已回访 */
    ST_SELF_HANDLED,  /* 自行处置 by the reporting grid worker */
    ST_MERGED,        /* 已合并 into a master case (final) */
    ST_COUNT
};
#define ST_SAME (-1) /* a transition that keeps the state */

/* Name of a state ("reported", ...), "" for ST_NONE. */
const char *case_state_name(int st);
/* Chinese label of a state. */
const char *case_state_label(int st);
/* State by name; -1 if unknown. */
int case_state_parse(const char *name);
/* 1 for states in which the case is finished (no clock, no more handling). */
int case_state_final(int st);

/* Requirements of a transition (flags). */
enum {
    T_NOTE = 1,      /* a non-empty note (reason, explanation) is required */
    T_UNIT = 2,      /* a target unit is required */
    T_LEAD = 4,      /* a handler must belong to the case's lead unit */
    T_HANDLING = 8,  /* a handler must belong to the lead or a co-handling unit */
    T_REPORTER = 16, /* the actor must be the case's reporter */
    T_REF = 32,      /* a reference (master case, whistle) is required */
    T_SUMMONED = 64, /* a handler's unit must be summoned by the whistle */
    T_VISIT = 128,   /* resolved (yes/no) and satisfaction (1..3) are required */
    T_SPAN = 256,    /* a time span is required (extension) */
    T_UNHAPPY = 512, /* only after a visit answering unresolved or unsatisfied */
};

/* What a transition does to the clocks. */
enum case_clock {
    CLK_KEEP = 0,   /* deadlines unchanged */
    CLK_REGISTER,   /* due = register limit from now */
    CLK_DISPATCH,   /* due = dispatch limit from now */
    CLK_REGISTERED, /* due = dispatch limit, close_due = close limit, from now */
    CLK_SIGN,       /* due = sign-for limit from now */
    CLK_HANDLE,     /* due = handle limit from now */
    CLK_CHECK,      /* due = close_due (the dispatcher must check and close) */
    CLK_STOP,       /* no deadline (final or waiting for the visit) */
    CLK_PAUSE,      /* clocks paused: deadlines move by the pause on resume */
    CLK_RESUME,     /* end a pause: due, warn and close_due move by its length */
    CLK_EXTEND,     /* due and close_due extended by the approved span */
    CLK_REOPEN,     /* due = handle limit, close_due = close limit, from now */
};

/* One row of the transition table: in any of the `from` states, `action`
 * by one of `roles` leads to `to` (or ST_SAME). */
struct case_transition {
    const char *action; /* action name */
    uint32_t from;      /* bit (1 << state) for each allowed state */
    int to;             /* resulting state or ST_SAME */
    int roles;          /* enum role bits allowed */
    int flags;          /* T_* requirements */
    int clock;          /* enum case_clock */
    const char *label;  /* Chinese name of the action */
};

/* The whole table (sorted by action name), for docs and tests. OUT: *n. */
const struct case_transition *case_transitions(int *n);
/* The row for action in state `from`, or NULL if the action does not exist or
 * is not allowed in that state. */
const struct case_transition *case_transition_find(const char *action, int from);
/* 1 if action names some transition. */
int case_action_known(const char *action);

/* A new report. */
struct case_new {
    const char *channel;        /* intake channel (see case_channels) */
    const char *nature;         /* request nature (see case_natures) */
    const char *category;       /* category code */
    const char *priority;       /* "normal" (default) or "urgent" */
    const char *title;          /* short title; "" = derived from description */
    const char *description;    /* what is wrong (required, <= 4000 characters) */
    const char *address;        /* address text, may be "" */
    int has_pos;                /* 1 if lat/lon are given */
    double lat, lon;            /* position */
    int crs;                    /* its system: GEO_WGS84 (0 means WGS-84), GEO_GCJ02, GEO_BD09 */
    const char *grid;           /* grid code, may be "" */
    const char *reporter_name;  /* may be "" */
    const char *reporter_phone; /* validated and normalised when given */
    const char *source_ref;     /* external reference (12345 ticket), may be "" */
    const char *attachments;    /* newline-separated references, may be "" */
    int self_handled;           /* 1: a grid worker fixed it on the spot */
    int64_t reporter_id;        /* set by the caller: 0 = the actor */
};

/* An action on an existing case. */
struct case_action {
    const char *action;   /* e.g. "dispatch" */
    const char *note;     /* note/reason, may be NULL */
    int64_t unit_id;      /* target unit (dispatch, reassign, whistle ops) */
    const int64_t *units; /* co-handling or summoned units */
    int n_units;          /* number of units */
    int64_t ref_id;       /* master case (merge), whistle (whistle ops), verifier (send_verify) */
    struct cal_span span; /* extension asked or granted (amount 0 = none given) */
    int resolved;         /* visit: 1 yes, 0 no, -1 not given */
    int satisfaction;     /* visit: 1 满意, 2 基本满意, 3 不满意, 0 not given */
    int score;            /* whistle_rate: 0..100, -1 not given */
    int confirmed;        /* verify: 1 the problem exists, 0 not found, -1 not given */
    const char *whistle_type; /* whistle: type code */
    int limit_min;            /* whistle: report-in limit in minutes, 0 = type default */
    const char *attachments;  /* newline-separated references, may be NULL */
    int64_t expect_seq;       /* if > 0: refuse with ERR_CONFLICT unless last_seq equals it */
};

/* Known channel and nature names (NULL-terminated lists). */
extern const char *const case_channels[];
extern const char *const case_natures[];

/* Creates a case from a report by `who` (residents, grid workers,
 * dispatchers, admins). Validates everything first; nothing is stored on
 * error. OUT: *out (strings in a). Errors: ERR_INVALID (field named),
 * ERR_DENIED, ERR_STORE. */
int case_create(struct domain *d, const struct actor *who, const struct case_new *in,
                struct arena *a, struct store_case *out, struct err *e);

/* Applies an action to case id on behalf of who, in one transaction: checks
 * visibility, the transition table, the action's requirements, computes the
 * event (with its deadlines), appends it and stores the new projection.
 * OUT: *out the case afterwards. Errors: ERR_NOTFOUND (no such case, or not
 * visible to who), ERR_DENIED (role not allowed), ERR_CONFLICT (not allowed
 * in the current state), ERR_INVALID (a requirement is missing). */
int case_act(struct domain *d, const struct actor *who, int64_t id, const struct case_action *act,
             struct arena *a, struct store_case *out, struct err *e);

/* Reads a case visible to who. ERR_NOTFOUND otherwise. */
int case_get(struct domain *d, const struct actor *who, int64_t id, struct arena *a,
             struct store_case *out, struct err *e);
/* 1 if who may see case c, 0 if not, or an error. */
int case_visible(struct domain *d, const struct actor *who, const struct store_case *c,
                 struct err *e);
/* Lists cases visible to who, narrowed by f (whose scope fields this
 * function overrides according to the role). */
int case_list(struct domain *d, const struct actor *who, struct store_case_filter *f,
              struct arena *a, struct store_case **out, int *n, struct err *e);
/* The case's events (visibility checked). */
int case_events(struct domain *d, const struct actor *who, int64_t id, struct arena *a,
                struct store_event **out, int *n, struct err *e);

/* 1 if unit is in a comma-separated id list such as a case's co_units. */
int case_unit_listed(const char *list, int64_t unit);

/* Folds one event into a case projection: the pure function that defines
 * the stored state. Returns 0 or ERR_INVALID for an event that does not
 * follow (wrong seq or from-state). */
int case_apply(struct store_case *c, const struct store_event *ev, struct err *e);

/* The intake facts of a case (channel, nature, category, priority, title,
 * description, address, position (or, without one, the grid given), reporter, source
 * reference, report time) as "key=value" lines in a fixed order, newlines
 * and backslashes in values escaped. The report event stores this text, so
 * the log holds every fact of the case. Returns heap text (xfree). */
char *case_intake(const struct store_case *c);

/* Replays the log of every case and compares with the stored projection
 * (and, where the report event carries them, the intake facts).
 * OUT: *checked cases; returns ERR_CONFLICT with the first mismatch in e. */
int case_replay_check(struct domain *d, int64_t *checked, struct err *e);

/* Deadlines of a case, derived from its events, for display. */
struct case_deadline {
    const char *stage; /* register, dispatch, sign, handle, close */
    int64_t started;   /* when the clock started (0 = not yet) */
    int64_t due;       /* deadline (0 = none) */
    int64_t done;      /* when the stage was completed (0 = not yet) */
};
/* Fills up to 5 deadlines (one per stage, latest cycle) from the events. */
int case_deadlines(const struct store_event *ev, int n, struct case_deadline out[5]);

#endif
