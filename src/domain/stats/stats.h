/*
 * stats.h - the statistics engine (DESIGN.md §5, docs/stats.md): rates and
 * counts for a period and a scope, computed from the event log of the cases
 * reported in the period, optionally per group, with a weighted composite
 * score and a grade for the rows of units and grids (weights and grade bands
 * from data/metrics.txt).
 */
#ifndef CHUISHAO_STATS_H
#define CHUISHAO_STATS_H

#include "domain/domain.h"
#include "store/stats/store_stats.h"

/* The rates, in the order shown. */
enum stats_rate_id {
    SR_RESPONSE = 0,   /* 响应率: signed within the sign limit / cases dispatched */
    SR_RESOLUTION,     /* 解决率: visits answering resolved / visits */
    SR_SATISFACTION,   /* 满意率: (满意 + 基本满意) / visits */
    SR_CLOSURE,        /* 结案率: closed / due to close */
    SR_ONTIME_CLOSURE, /* 按期结案率: closed by close_due / due to close */
    SR_REWORK,         /* 返工率: rework events / cases with a feedback */
    SR_EXTENSION,      /* 延期率: due-to-close cases with an approved extension / due to close */
    SR_ACCURATE_DISPATCH, /* 准确派遣率: (dispatches - returns - reworks) / dispatches */
    SR_WHISTLE_ONTIME,    /* on-time 报到: units checked in within the limit / units summoned */
    SR_COUNT
};
/* Stable name ("response", ...) and Chinese label of a rate. */
const char *stats_rate_name(int id);
const char *stats_rate_label(int id);

/* A rate: value = num / den, undefined (null) when den is 0. */
struct stats_rate {
    int64_t num; /* numerator */
    int64_t den; /* denominator */
};

/* The five stages whose working time is averaged (case_deadlines' order). */
enum { STATS_STAGES = 5 };
#define STATS_MAX_KEYS 24 /* channels, natures, whistle types kept per row */

/* A count by a string key (channel, nature). */
struct stats_kv {
    char key[24]; /* channel or nature */
    int64_t n;    /* count */
};

/* Whistles of one type. */
struct stats_whistle {
    char type[24];            /* type code */
    int64_t whistles;         /* distinct whistles */
    int64_t units;            /* units summoned (rows) */
    struct stats_rate ontime; /* checked in by blown_at + limit / units summoned */
    int64_t rated;            /* ratings given */
    int64_t score_sum;        /* their sum (average = score_sum / rated) */
    int64_t last_whistle;     /* internal: the last whistle counted in `whistles` */
};

/* The figures of one group (or of the whole scope). */
struct stats_row {
    char key[48];                            /* group key ("" for the total) */
    char label[192];                         /* its display name */
    int64_t received;                        /* cases reported */
    struct stats_kv channel[STATS_MAX_KEYS]; /* received by channel (n_channel used) */
    int n_channel;                           /* entries in channel */
    struct stats_kv nature[STATS_MAX_KEYS];  /* received by nature */
    int n_nature;                            /* entries in nature */
    int64_t registered;                      /* cases with a register event */
    int64_t dispatched;                      /* cases with a dispatch event */
    int64_t dispatches;                      /* dispatch + reassign events */
    int64_t returns;                         /* return events */
    int64_t reworks;                         /* rework events */
    int64_t visits;                          /* visit events */
    int64_t closed;                          /* due-to-close cases closed at the end */
    int64_t due_to_close;                    /* see docs/stats.md */
    int64_t deferred;                        /* registered cases deferred (缓办) at the end */
    int64_t petitions;                       /* cases received by the petition channel (信访) */
    int64_t repeats;                         /* repeat complaints: duplicates merged by the end */
    struct stats_rate rate[SR_COUNT];        /* the rates */
    int64_t stage_minutes[STATS_STAGES];     /* working minutes summed per stage */
    int64_t stage_n[STATS_STAGES];           /* stages completed (cases) */
    struct stats_whistle whistle[STATS_MAX_KEYS]; /* by type (n_whistle used) */
    int n_whistle;                                /* entries in whistle */
    int has_score;                                /* 1 if score/grade are set */
    double score;                                 /* composite score 0..100 */
    char grade[4];                                /* "A".."E" */
    int rank;                                     /* 1 = best score, 0 if unranked */
};

/* What to compute. */
struct stats_query {
    const char *from;  /* "YYYY-MM-DD", China date, inclusive */
    const char *to;    /* "YYYY-MM-DD", inclusive; >= from */
    const char *scope; /* NULL/"subdistrict", "community:CODE", "grid:CODE", "unit:ID" */
    const char *by;    /* NULL/"none", "category", "unit", "grid", "community", "month" */
    int exact;         /* 1: fold the event log even where the roll-ups could answer */
};

/* Petitions and repeat complaints against the same period a year before
 * (息诉息访): cur = petitions + repeats of the period, prev = the same of
 * [from - 1 year, to - 1 year] in the same scope (29 Feb becomes 28 Feb). */
struct stats_yoy {
    int64_t prev_from_day, prev_to_day;   /* the period a year before (day numbers) */
    int64_t petitions, repeats;           /* this period */
    int64_t prev_petitions, prev_repeats; /* the period a year before */
};
/* Change of (petitions + repeats) against the year before: (cur - prev) /
 * prev, e.g. -0.64 for "down 64%"; -2 when the year before had none. */
double stats_yoy_change(const struct stats_yoy *y);

/* The result. */
struct stats_result {
    int64_t from_day, to_day; /* the period (day numbers) */
    int64_t from_t, to_t;     /* as instants: [from 00:00, to 23:59:59] China time */
    char scope[64];           /* the scope as given ("subdistrict" if none) */
    char by[16];              /* grouping ("none" if none) */
    struct stats_row total;   /* the whole scope */
    struct stats_row *rows;   /* groups, by key (by rank when scored); arena */
    int n_rows;               /* number of groups */
    int scored;               /* 1 if rows carry score, grade and rank */
    struct stats_yoy yoy;     /* petitions and repeat complaints against a year before */
    int64_t grids;            /* grids in the scope (now) */
    int64_t grids_covered;    /* of them, grids with an assigned team (网格员 or 网格长) */
};

/* Computes the statistics of q over the event log, in one read snapshot.
 * OUT: *out (rows in a). Errors: ERR_INVALID naming the field (from, to,
 * scope, by) for malformed dates, an inverted period, an unknown scope kind,
 * code or id, or an unknown grouping; ERR_STORE. Needs no transaction. */
MUST_CHECK int stats_compute(struct domain *d, const struct stats_query *q, struct arena *a,
                             struct stats_result *out, struct err *e);

/* Brings the roll-ups that make statistics fast (stats_roll.c) up to the
 * newest event; stats_compute calls it. OUT: *cases, the cases worked on
 * (may be NULL). Errors of the store; ERR_DENIED on a read-only database. */
MUST_CHECK int stats_roll_update(struct domain *d, int64_t *cases, struct err *e);
/* Drops the roll-ups, so that the next statistic rebuilds them from the
 * whole log: after cases moved to other grids or the calendar changed. */
MUST_CHECK int stats_roll_reset(struct domain *d, struct err *e);

/* The cases behind a figure. */
struct stats_drill {
    int64_t from_day, to_day; /* the period */
    int64_t *ids;             /* case ids, ascending (arena) */
    int n;                    /* their number */
};
/* Drill-down: the cases of q's period and scope (q->by is ignored) that
 * count in `figure` (a count such as received, petitions, due_to_close, or
 * a rate name such as closure), in the numerator of a rate (part "num",
 * the default) or its denominator ("den"). Folds the log. Errors:
 * ERR_INVALID naming drill, part or a field of q. */
MUST_CHECK int stats_drill(struct domain *d, const struct stats_query *q, const char *figure,
                           const char *part, struct arena *a, struct stats_drill *out,
                           struct err *e);

/* A rate's value, or -1 when its denominator is 0. */
double stats_rate_value(struct stats_rate r);

/* The ranking configuration (data/metrics.txt). */
struct stats_weights {
    double weight[SR_COUNT]; /* weight of each rate in the composite score (0: unused) */
    double grade_min[5];     /* lowest score of grades A, B, C, D, E */
};
/* Parses metrics text (the format of data/metrics.txt). ERR_INVALID with
 * "line N: ..." on a bad line; out is then unchanged. */
MUST_CHECK int stats_weights_parse(const char *text, size_t n, struct stats_weights *out,
                                   struct err *e);
/* The built-in weights (embedded data/metrics.txt). */
MUST_CHECK int stats_weights_default(struct stats_weights *out, struct err *e);
/* Composite score of a row: 100 * sum(w * r) / sum(w) over the weighted
 * rates that are defined (rework and extension count as 1 - r). Returns 0
 * and sets *score, or -1 if no weighted rate is defined. */
int stats_score(const struct stats_weights *w, const struct stats_row *r, double *score);
/* The grade letter of a score. */
const char *stats_grade(const struct stats_weights *w, double score);

#endif
