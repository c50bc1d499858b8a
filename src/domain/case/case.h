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

#include "domain/domain.h"
#include "cal/cal.h"
#include "store/case/store_case.h"

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
    T_NOTE = 1,        /* a non-empty note (reason, explanation) is required */
    T_UNIT = 2,        /* a target unit is required */
    T_LEAD = 4,        /* a handler must belong to the case's lead unit */
    T_HANDLING = 8,    /* a handler must belong to the lead or a co-handling unit */
    T_REPORTER = 16,   /* the actor must be the case's reporter */
    T_REF = 32,        /* a reference (master case, whistle) is required */
    T_SUMMONED = 64,   /* a whistle summoned the actor's unit (a handler's; any unit for
                          others) and awaits its report */
    T_VISIT = 128,     /* resolved (yes/no) and satisfaction (1..3) are required */
    T_SPAN = 256,      /* a time span is required (extension) */
    T_UNHAPPY = 512,   /* only after a visit answering unresolved or unsatisfied */
    T_WHISTLED = 1024, /* only on a case on which a whistle was blown */
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

/* Actions, in the alphabetical order of their names (names and labels are
 * data: case_action_name, case_action_label). ACT_NONE is no action. */
enum case_act {
    ACT_NONE = 0,
    ACT_APPROVE_EXTENSION, /* 批准延期 */
    ACT_CLOSE,             /* 结案 */
    ACT_COMMENT,           /* 备注 */
    ACT_DEFER,             /* 缓办 */
    ACT_DENY_EXTENSION,    /* 驳回延期 */
    ACT_DISPATCH,          /* 派遣 */
    ACT_FEEDBACK,          /* 处置反馈 */
    ACT_HANG,              /* 挂账 */
    ACT_MERGE,             /* 合并 */
    ACT_PROGRESS,          /* 处置进展 */
    ACT_REASSIGN,          /* 改派 */
    ACT_REGISTER,          /* 立案 */
    ACT_REJECT,            /* 不予立案 */
    ACT_REOPEN,            /* 重新办理 */
    ACT_REPORT,            /* 上报: the first event of every case (no table row) */
    ACT_REQUEST_EXTENSION, /* 申请延期 */
    ACT_RESUME,            /* 恢复办理 */
    ACT_RETURN,            /* 退单 */
    ACT_REWORK,            /* 返工 */
    ACT_SELF_HANDLE,       /* 自行处置 */
    ACT_SEND_VERIFY,       /* 派发核实 */
    ACT_SIGN,              /* 签收 */
    ACT_SUPERVISE,         /* 督办 */
    ACT_VERIFY,            /* 核实 */
    ACT_VISIT,             /* 回访评价 */
    ACT_VOID,              /* 作废 */
    ACT_WHISTLE,           /* 吹哨 */
    ACT_WHISTLE_RATE,      /* 报到评价 */
    ACT_WHISTLE_REPORT,    /* 报到 */
    ACT_COUNT
};
/* Stored name of an action ("dispatch", ...); "" for ACT_NONE or out of range. */
const char *case_action_name(int act);
/* Chinese label of an action. */
const char *case_action_label(int act);
/* Action by name; ACT_NONE if unknown. */
int case_action_parse(const char *name);
/* 1 if the public may read the note and attachments of an event of this
 * action (the report, registration, rejection, feedback, closing, visits,
 * reopening, merges, comments, self-handling); 0 for internal notes (return
 * reasons, reassignment, supervision, deferral, extensions, progress). */
int case_action_public(int act);

struct case_transition;

/* One field an action's request asks for besides the action and the note
 * (every action takes a note; T_NOTE says when it is required), so that
 * every door (the API's `actions` and GET /transitions, which the web app
 * builds its forms from) asks for what the rule needs, in the order a form
 * shows it, and keeps no copy of it. */
struct case_field {
    const char *name; /* the request field: unit, units, master, verifier, confirmed, span,
                         resolved, satisfaction, type, limit_minutes, whistle, score,
                         attachments (photos) */
    int required;     /* 1 if the action needs it */
};
/* The fields action t asks of who (NULL: of anyone, as GET /transitions
 * lists them), in form order, into out (up to max). Returns how many. A
 * field asked only of actors without a unit of their own (the unit an admin
 * reports in for) is left out for a handler, and is not required when who
 * is NULL. */
int case_fields(const struct case_transition *t, const struct actor *who, struct case_field *out,
                int max);

struct store_case;
struct store_event;

/* One row of the transition table: in any of the `from` states, `act` by
 * one of `roles` leads to `to` (or ST_SAME); `effect` folds what the event
 * carries besides the state and clocks into the case (case_apply). */
struct case_transition {
    int act;       /* enum case_act */
    uint32_t from; /* bit (1 << state) for each allowed state */
    int to;        /* resulting state or ST_SAME */
    int roles;     /* enum role bits allowed */
    int flags;     /* T_* requirements */
    int clock;     /* enum case_clock */
    /* the request's fields in form order, space-separated: "name!" required,
     * "name^" asked (and required) only of an actor without a unit of its own */
    const char *fields;
    void (*effect)(struct store_case *c, const struct store_event *ev); /* NULL: none */
};

/* The whole table (sorted by action), for docs and tests. OUT: *n. */
const struct case_transition *case_transitions(int *n);
/* The row of act (any state), or NULL for ACT_NONE, ACT_REPORT or out of
 * range. */
const struct case_transition *case_transition_of(int act);
/* The row for act in state `from`, or NULL if the action has no row or is
 * not allowed in that state. */
const struct case_transition *case_transition_find(int act, int from);

/* Whether who may take action t on case c now, before any input is looked
 * at: the state, the role, the lead or handling unit, the reporter, the
 * outcome of the visit, and for whistle reports and ratings a whistle of the
 * case that summoned who's unit and awaits its report (read from the store).
 * 0 if so; ERR_CONFLICT (not in this state), ERR_DENIED (not this actor),
 * ERR_STORE, with the reason in e. Both case_act and the list of actions
 * the API offers (case_actions) use this one rule. */
MUST_CHECK int case_may(struct domain *d, const struct actor *who, const struct store_case *c,
                        const struct case_transition *t, struct err *e);
/* The rows of the actions who may take on case c now (case_may), in table
 * order, into an arena array. OUT: *out, *n. ERR_STORE. */
MUST_CHECK int case_actions(struct domain *d, const struct actor *who, const struct store_case *c,
                            struct arena *a, const struct case_transition ***out, int *n,
                            struct err *e);

/* The channel a case reported by who comes through when the report names
 * none: grid patrol for grid workers, the web for residents, the 12345
 * hotline for the command centre. */
const char *case_default_channel(const struct actor *who);
/* 1 if who may see the reporter's phone in full on case c (the command
 * centre and the reporter); everyone else sees it masked. */
int case_may_see_reporter(const struct actor *who, const struct store_case *c);
/* 1 if what who may see of any case, and may do on it, depends only on
 * who's role and unit and the case's own rows, so a view built for one such
 * viewer can be kept until the case changes (the API's case view cache). */
int case_view_cacheable(const struct actor *who);

/* A new report. */
struct case_new {
    const char *channel;        /* intake channel (see case_channels); NULL: the actor's
                                   default (case_default_channel) */
    const char *nature;         /* request nature (see case_natures); NULL: complaint */
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
    int act;              /* enum case_act, e.g. ACT_DISPATCH */
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
MUST_CHECK int case_create(struct domain *d, const struct actor *who, const struct case_new *in,
                           struct arena *a, struct store_case *out, struct err *e);

/* Applies an action to case id on behalf of who, in one transaction: checks
 * visibility, the transition table, the action's requirements, computes the
 * event (with its deadlines), appends it and stores the new projection.
 * OUT: *out the case afterwards. Errors: ERR_NOTFOUND (no such case, or not
 * visible to who), ERR_DENIED (role not allowed), ERR_CONFLICT (not allowed
 * in the current state), ERR_INVALID (a requirement is missing). */
MUST_CHECK int case_act(struct domain *d, const struct actor *who, int64_t id,
                        const struct case_action *act, struct arena *a, struct store_case *out,
                        struct err *e);

/* Reads a case visible to who. ERR_NOTFOUND otherwise. */
MUST_CHECK int case_get(struct domain *d, const struct actor *who, int64_t id, struct arena *a,
                        struct store_case *out, struct err *e);
/* 1 if who may see case c, 0 if not, or an error. */
MUST_CHECK int case_visible(struct domain *d, const struct actor *who, const struct store_case *c,
                            struct err *e);
/* Lists cases visible to who, narrowed by f (whose scope fields this
 * function overrides according to the role). */
MUST_CHECK int case_list(struct domain *d, const struct actor *who, struct store_case_filter *f,
                         struct arena *a, struct store_case **out, int *n, struct err *e);
/* The case's events (visibility checked). */
MUST_CHECK int case_events(struct domain *d, const struct actor *who, int64_t id, struct arena *a,
                           struct store_event **out, int *n, struct err *e);

/* 1 if unit is in a comma-separated id list such as a case's co_units. */
int case_unit_listed(const char *list, int64_t unit);

/* Folds one event into a case projection: the pure function that defines
 * the stored state. Returns 0 or ERR_INVALID for an event that does not
 * follow (wrong seq or from-state). */
MUST_CHECK int case_apply(struct store_case *c, const struct store_event *ev, struct err *e);

/* The intake facts of a case (channel, nature, category, priority, title,
 * description, address, position (or, without one, the grid given), reporter, source
 * reference, report time) as "key=value" lines in a fixed order, newlines
 * and backslashes in values escaped. The report event stores this text, so
 * the log holds every fact of the case. Returns heap text (xfree). */
char *case_intake(const struct store_case *c);

/* Replays the log of every case and compares with the stored projection
 * (and, where the report event carries them, the intake facts).
 * OUT: *checked cases; returns ERR_CONFLICT with the first mismatch in e. */
MUST_CHECK int case_replay_check(struct domain *d, int64_t *checked, struct err *e);

/* Deadlines of a case, derived from its events, for display. */
struct case_deadline {
    const char *stage; /* register, dispatch, sign, handle, close */
    int64_t started;   /* when the clock started (0 = not yet) */
    int64_t due;       /* deadline (0 = none) */
    int64_t done;      /* when the stage was completed (0 = not yet) */
};
/* Fills up to 5 deadlines (one per stage, latest cycle) from the events. */
int case_deadlines(const struct store_event *ev, int n, struct case_deadline out[5]);

/* ---- updates from other systems (case_update.c) ------------------------------ */

struct store_o311_update;
/* Takes an update another system sends about case u->case_id (Open311
 * servicerequestupdates) as the comment act (ACT_COMMENT, on behalf of who),
 * once per u->update_id: in one transaction the comment is appended and the
 * update recorded (u->seq set to the comment's event). A repeated update_id
 * changes nothing: ERR_CONFLICT, *replay 1 and *seen the earlier record (in
 * a). Otherwise case_act's errors. */
MUST_CHECK int case_update_receive(struct domain *d, const struct actor *who,
                                   struct store_o311_update *u, const struct case_action *act,
                                   struct arena *a, struct store_o311_update *seen, int *replay,
                                   struct err *e);

/* ---- reference data of cases (case_ref.c) -------------------------------- */

/* The time limit for a category and priority at a stage ("register",
 * "dispatch", "sign", "handle", "close"): the category's own row, else the
 * default ('*') row of that priority. ERR_NOTFOUND if neither exists. */
MUST_CHECK int case_limit(const struct domain *d, const char *category, const char *priority,
                          const char *stage, struct cal_span *out, struct err *e);
/* 1 if some limit row names this priority. */
int case_priority_known(const struct domain *d, const char *priority);
/* The default report-in limit (minutes) of a whistle type into *limit.
 * ERR_INVALID (field "type") if the type is unknown, ERR_STORE. */
MUST_CHECK int case_whistle_limit(const struct domain *d, const char *type, int *limit,
                                  struct err *e);

#endif
