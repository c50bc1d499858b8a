/* demo_history.c - generated case histories (see demo_history.h). */
#include <stdio.h>
#include <string.h>
#include "demo_history.h"
#include "domain/case/case.h"
#include "domain/stats/stats.h"
#include "demo_geo.h"
#include "store/unit/store_unit.h"

#define MAX_CATS   96
#define MAX_HALF   64 /* half-years in a period (32 years) */
#define RECENT     8  /* recent cases remembered per category, for duplicates */
#define MAX_SUMMON 4  /* units summoned by a whistle */

/* Liujia's quotas per half-year of 2019-2020: whistles, petitions, repeat
 * complaints. 2020 H1: 171 whistles; (96 + 120) = 216 against (240 + 360) =
 * 600 in 2019 H1, down 64% (petitions -60%, repeat complaints -66.7%). */
static const struct {
    int year, half;
    int whistles, petitions, repeats;
} liujia_quota[] = {
    {2019, 0, 0, 240, 360},
    {2019, 1, 96, 210, 310},
    {2020, 0, 171, 96, 120},
    {2020, 1, 158, 88, 107},
};

/* Share of each category group of reports (by the code's first digit and
 * the big class): street environment and livelihood dominate. */
static const struct {
    const char *prefix; /* category code prefix */
    double weight;      /* relative weight of each category under it */
} cat_weights[] = {
    {"201", 6}, {"202", 3}, {"203", 4}, {"205", 5}, {"206", 3}, {"301", 5},
    {"302", 3}, {"304", 3}, {"101", 2}, {"103", 2}, {"", 1},
};

/* Reports per month (January..December): fewer around the Spring Festival,
 * more in the rainy season. */
static const double month_weight[12] = {0.85, 0.7, 0.95, 1.0, 1.05, 1.15,
                                        1.2,  1.2, 1.1,  1.0, 0.95, 0.9};

/* Channels and their shares among reports not from grid patrols. */
static const struct {
    const char *name;
    int share; /* per mille */
} channels[] = {
    {"hotline_12345", 420}, {"grid_patrol", 300},      {"app", 80}, {"wechat", 70}, {"phone", 50},
    {"street_office", 30},  {"deliberation_hall", 20}, {"web", 20}, {"leader", 5},  {"media", 5},
};

static const char *const surnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄",
                                       "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"};
static const char *const roads[] = {"六甲路", "福保路", "宝丰路",   "环湖东路", "金刀营路",
                                    "滇池路", "海华路", "张家庙路", "盘龙路",   "新二路"};
static const char *const details[] = {"，影响居民出行",     "，已持续多日",   "，请尽快处理",
                                      "，周边群众反映强烈", "，存在安全隐患", ""};

struct gen {
    struct domain *d;
    const struct demo_cast *cast;
    const struct demo_history_opts *o;
    struct err *e;
    uint32_t rng;
    int64_t now;                         /* no event after this instant */
    struct store_category cat[MAX_CATS]; /* categories */
    int64_t cat_unit[MAX_CATS];          /* their default unit's id (0 none) */
    double cat_cum[MAX_CATS];            /* cumulative weights */
    int n_cat;
    int64_t recent[MAX_CATS][RECENT]; /* recent case ids per category */
    int n_grid;                       /* grids of the demo geometry */
    /* the half-year being generated */
    int half;                                        /* index from the period's start */
    int64_t half_n, half_i;                          /* its cases, and the current one's index */
    int q_whistles, q_petitions, q_repeats;          /* its quotas */
    int owed_whistles, owed_petitions, owed_repeats; /* quota picks not yet placed */
    int64_t done;                                    /* cases generated */
    int64_t cases_in_half[MAX_HALF];                 /* planned cases per half-year */
};

static uint32_t rnd(struct gen *g)
{
    return demo_rand(&g->rng);
}

/* Uniform in [0, 1). */
static double unif(struct gen *g)
{
    return (double)(rnd(g) >> 8) / 16777216.0;
}

/* Uniform integer in [lo, hi]. */
static int64_t between(struct gen *g, int64_t lo, int64_t hi)
{
    return hi <= lo ? lo : lo + (int64_t)(rnd(g) % (uint32_t)(hi - lo + 1));
}

/* 1 for exactly k of the n indexes 0..n-1, spread evenly. */
static int pick(int64_t i, int64_t k, int64_t n)
{
    return n > 0 && i < n && (i + 1) * k / n != i * k / n;
}

static int half_of(int64_t day, int64_t from_day)
{
    int y0, m0, d0, y, m, dd;
    time_civil_from_days(from_day, &y0, &m0, &d0);
    time_civil_from_days(day, &y, &m, &dd);
    return (y - y0) * 2 + (m > 6) - (m0 > 6);
}

static double day_weight(int64_t day)
{
    int y, m, dd;
    time_civil_from_days(day, &y, &m, &dd);
    return month_weight[m - 1] * (time_weekday(day) >= 6 ? 0.75 : 1.0);
}

/* ---- setup ----------------------------------------------------------------------- */

static int add_category(void *arg, const struct store_category *c)
{
    struct gen *g = arg;
    if (g->n_cat == MAX_CATS)
        return 0;
    double w = 1;
    for (size_t i = 0; i < ARRAY_SIZE(cat_weights); i++)
        if (strncmp(c->code, cat_weights[i].prefix, strlen(cat_weights[i].prefix)) == 0) {
            w = cat_weights[i].weight;
            break;
        }
    g->cat[g->n_cat] = *c;
    g->cat_cum[g->n_cat] = (g->n_cat ? g->cat_cum[g->n_cat - 1] : 0) + w;
    g->n_cat++;
    return 0;
}

static int setup(struct gen *g)
{
    int rc = store_category_each(g->d->store, add_category, g, g->e);
    for (int i = 0; rc == 0 && i < g->n_cat; i++) {
        struct store_unit u;
        struct err le = {0};
        if (g->cat[i].unit_code[0] &&
            store_unit_by_code(g->d->store, g->cat[i].unit_code, &u, &le) == 0)
            g->cat_unit[i] = u.id;
    }
    if (rc == 0 && g->n_cat == 0)
        rc = err_set(g->e, ERR_INVALID, NULL, "no categories to generate cases in");
    g->n_grid = demo_geo_grid_count();
    return rc;
}

/* Plans the number of cases of every half-year (the same spread as the
 * generation loop uses). */
static void plan_halves(struct gen *g, double total_w)
{
    double cum = 0;
    int64_t prev = 0;
    for (int64_t day = g->o->from_day; day <= g->o->to_day; day++) {
        cum += day_weight(day);
        int64_t upto = (int64_t)(cum / total_w * (double)g->o->n_cases + 0.5);
        int h = half_of(day, g->o->from_day);
        if (h >= 0 && h < MAX_HALF)
            g->cases_in_half[h] += upto - prev;
        prev = upto;
    }
}

/* Sets the quotas of half-year h starting at day. */
static void start_half(struct gen *g, int h, int64_t day)
{
    int y, m, dd;
    time_civil_from_days(day, &y, &m, &dd);
    g->half = h;
    g->half_i = 0;
    g->half_n = h < MAX_HALF ? g->cases_in_half[h] : 0;
    g->q_whistles = (int)(g->half_n * 12 / 1000);
    g->q_petitions = (int)(g->half_n * 15 / 1000);
    g->q_repeats = (int)(g->half_n * 25 / 1000);
    for (size_t i = 0; g->o->liujia && i < ARRAY_SIZE(liujia_quota); i++)
        if (liujia_quota[i].year == y && liujia_quota[i].half == (m > 6)) {
            g->q_whistles = liujia_quota[i].whistles;
            g->q_petitions = liujia_quota[i].petitions;
            g->q_repeats = liujia_quota[i].repeats;
        }
}

/* ---- one case -------------------------------------------------------------------- */

/* The case being generated. */
struct gcase {
    struct gen *g;
    struct store_case k; /* after the last step */
    struct arena *a;
    int64_t t;   /* instant of the last step */
    int year;    /* year of the report */
    int ci;      /* category index */
    int stopped; /* 1 once a step would fall after `now` */
};

static const struct actor *handler_of(struct gen *g, int64_t unit)
{
    for (int i = 0; i < g->cast->n_hand; i++)
        if (g->cast->hand[i].unit_id == unit)
            return &g->cast->hand[i];
    return &g->cast->hand[0];
}

/* A unit other than `not`. */
static int64_t other_unit(struct gen *g, int64_t not )
{
    int64_t u = g->cast->hand[between(g, 0, g->cast->n_hand - 1)].unit_id;
    return u == not ? g->cast->hand[(between(g, 1, g->cast->n_hand - 1))].unit_id : u;
}

/* Prefixes e's message with the generated case and action. */
static int explain(struct err *e, int64_t id, const char *action)
{
    char msg[sizeof e->msg], field[sizeof e->field];
    int code = e->code;
    str_copy(msg, sizeof msg, e->msg);
    str_copy(field, sizeof field, e->field);
    e->code = 0;
    return err_set(e, code, field, "generated case %lld, %s: %s", (long long)id, action, msg);
}

/* Runs action on the case at t by who. Returns 1 if the case stops here
 * (t is after now), 0 done, or an error. */
static int step(struct gcase *c, const struct actor *who, int64_t t, struct case_action *act)
{
    if (c->stopped || t > c->g->now)
        return c->stopped = 1;
    if (t < c->t)
        t = c->t;
    act->confirmed = -1;
    if (act->act != ACT_VISIT)
        act->resolved = -1;
    if (act->act != ACT_WHISTLE_RATE)
        act->score = -1;
    time_pin(t);
    c->t = t;
    if (case_act(c->g->d, who, c->k.id, act, c->a, &c->k, c->g->e))
        return explain(c->g->e, c->k.id, case_action_name(act->act));
    return 0;
}

/* An action with the given fields; step() fills the "not given" markers. */
#define ACT(id, ...) (&(struct case_action){.act = (id), __VA_ARGS__})

/* Working minutes after the last step. */
static int64_t later(struct gcase *c, int64_t lo, int64_t hi)
{
    return cal_add_work_minutes(c->g->d->cal, c->t, between(c->g, lo, hi));
}

/* A time before (on time) or after (late) deadline due, from the last step. */
static int64_t against(struct gcase *c, int64_t due, int ontime)
{
    if (due <= c->t)
        return ontime ? later(c, 5, 30) : later(c, 60, 600);
    if (ontime)
        return c->t + (int64_t)((double)(due - c->t) * (0.15 + 0.8 * unif(c->g)));
    return cal_add_work_minutes(c->g->d->cal, due, between(c->g, 30, 3 * 480));
}

static int whistle(struct gcase *c)
{
    struct gen *g = c->g;
    const char *type = g->cat[c->ci].whistle[0] ? g->cat[c->ci].whistle : "minsheng";
    int64_t units[MAX_SUMMON], at[MAX_SUMMON];
    int n = 1, want = (int)between(g, 2, MAX_SUMMON);
    units[0] = c->k.lead_unit;
    for (int tries = 0; n < want && tries < 8; tries++) {
        int64_t u = other_unit(g, units[0]), dup = 0;
        for (int j = 0; j < n; j++)
            dup |= units[j] == u;
        if (!dup)
            units[n++] = u;
    }
    int rc = step(c, g->cast->disp, later(c, 10, 90),
                  ACT(ACT_WHISTLE, .whistle_type = type, .units = units, .n_units = n,
                      .note = "问题涉及多个部门，吹哨召集联合处置"));
    struct store_whistle *w;
    int nw;
    if (rc || store_whistle_list(g->d->store, c->k.id, 0, c->a, &w, &nw, g->e) || nw == 0)
        return rc ? rc : ERR_INTERNAL;
    int64_t blown = c->t, id = w[nw - 1].id;
    for (int i = 0; i < n; i++) { /* report-in times (0: never), in order */
        int late = unif(g) < (c->year >= 2020 ? 0.06 : 0.12);
        at[i] = unif(g) < 0.03 ? 0 : blown + 60 * (late ? between(g, 31, 90) : between(g, 5, 29));
        for (int j = i; j > 0 && at[j] < at[j - 1]; j--) {
            int64_t x = at[j], u = units[j];
            at[j] = at[j - 1], units[j] = units[j - 1];
            at[j - 1] = x, units[j - 1] = u;
        }
    }
    for (int i = 0; i < n && rc == 0; i++)
        if (at[i])
            rc = step(c, handler_of(g, units[i]), at[i],
                      ACT(ACT_WHISTLE_REPORT, .ref_id = id, .note = "已到达现场"));
    c->t = blown + 95 * 60;
    for (int i = 0; i < n && rc == 0; i++) {
        int score = (int)between(g, 70, 100);
        rc = step(c, g->cast->disp, c->t + 60,
                  ACT(ACT_WHISTLE_RATE, .ref_id = id, .unit_id = units[i], .score = score,
                      .note = score >= 90 ? "响应迅速，处置有力" : "到场及时，处置有待加强"));
    }
    return rc;
}

/* From dispatch to closed: sign, progress, extension, defer, feedback,
 * rework, close. */
static int handle(struct gcase *c, int whistled)
{
    struct gen *g = c->g;
    const struct actor *h = handler_of(g, c->k.lead_unit);
    int good = c->year >= 2020; /* the reform year: faster and better */
    int rc = step(c, h, against(c, c->k.due_at, unif(g) < (good ? 0.96 : 0.9)), ACT(ACT_SIGN));
    if (rc == 0 && whistled)
        rc = whistle(c);
    if (rc == 0 && unif(g) < 0.5)
        rc = step(c, h, later(c, 30, 240),
                  ACT(ACT_PROGRESS, .note = "已联系诉求人，正在组织人员处置"));
    if (rc == 0 && unif(g) < 0.06) {
        rc = step(
            c, h, later(c, 60, 960),
            ACT(ACT_REQUEST_EXTENSION, .span = {CAL_WD, 5}, .note = "需协调产权单位，申请延期"));
        if (rc == 0)
            rc = step(c, g->cast->disp, later(c, 30, 240),
                      unif(g) < 0.85 ? ACT(ACT_APPROVE_EXTENSION)
                                     : ACT(ACT_DENY_EXTENSION, .note = "理由不充分，请按期办结"));
    }
    if (rc == 0 && unif(g) < 0.02) {
        rc = step(c, g->cast->disp, later(c, 60, 960),
                  ACT(ACT_DEFER, .note = "需纳入年度改造计划，暂缓办理"));
        if (rc == 0)
            rc = step(c, g->cast->disp, later(c, 5 * 480, 20 * 480), ACT(ACT_RESUME));
    }
    if (rc == 0 && unif(g) < 0.03)
        rc = step(c, g->cast->disp, later(c, 240, 960),
                  ACT(ACT_SUPERVISE, .note = "请加快办理，按期反馈"));
    int reworks = unif(g) < (good ? 0.04 : 0.08);
    for (int round = 0; rc == 0 && round <= reworks; round++) {
        rc = step(c, h, against(c, c->k.due_at, unif(g) < (good ? 0.93 : 0.85)),
                  ACT(ACT_FEEDBACK, .note = "已安排人员现场处置完毕，附处置后照片"));
        if (rc == 0 && round < reworks)
            rc = step(c, g->cast->disp, later(c, 60, 480),
                      ACT(ACT_REWORK, .note = "核查发现问题未彻底解决，返工"));
    }
    if (rc == 0)
        rc = step(c, g->cast->disp, later(c, 30, 600),
                  ACT(ACT_CLOSE, .note = "核查属实，已整改到位，予以结案"));
    return rc;
}

/* Return visits (回访), and a reopening after some unhappy ones. */
static int visit(struct gcase *c)
{
    struct gen *g = c->g;
    int good = c->year >= 2020, rc = 0;
    for (int round = 0; rc == 0 && round < 2; round++) {
        if (unif(g) < 0.12)
            return 0; /* not reached */
        double u = unif(g), sat1 = good ? 0.8 : 0.68, sat2 = good ? 0.95 : 0.86;
        int sat = u < sat1 ? 1 : u < sat2 ? 2 : 3;
        int resolved = sat < 3 || unif(g) < 0.3;
        rc = step(c, g->cast->disp, later(c, 240, 1440),
                  ACT(ACT_VISIT, .resolved = resolved, .satisfaction = sat));
        if (rc || sat < 3 || round == 1 || unif(g) < 0.7)
            return rc;
        rc = step(c, g->cast->disp, later(c, 30, 240),
                  ACT(ACT_REOPEN, .note = "回访不满意，重新交办"));
        if (rc == 0)
            rc = step(c, handler_of(g, c->k.lead_unit), later(c, 480, 3 * 480),
                      ACT(ACT_FEEDBACK, .note = "已再次处置，并与诉求人沟通"));
        if (rc == 0)
            rc =
                step(c, g->cast->disp, later(c, 30, 600), ACT(ACT_CLOSE, .note = "复核到位，结案"));
    }
    return rc;
}

static int pick_category(struct gen *g)
{
    double u = unif(g) * g->cat_cum[g->n_cat - 1];
    int lo = 0, hi = g->n_cat - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (g->cat_cum[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* A grid, with hot spots: a quarter of the reports fall in 1 grid in 16. */
static int pick_grid(struct gen *g)
{
    int i = (int)between(g, 0, g->n_grid - 1);
    return unif(g) < 0.25 ? i - i % 16 : i;
}

static const char *pick_channel(struct gen *g)
{
    int u = (int)between(g, 0, 999), acc = 0;
    for (size_t i = 0; i < ARRAY_SIZE(channels); i++)
        if (u < (acc += channels[i].share))
            return channels[i].name;
    return "hotline_12345";
}

/* The report: what, where, by whom. */
static int report(struct gcase *c, int64_t t, int petition, int self)
{
    struct gen *g = c->g;
    char title[160], desc[400], addr[160], name[32], phone[16], code[16];
    int ci = c->ci, gi = pick_grid(g);
    const char *ch = petition ? "petition" : self ? "grid_patrol" : pick_channel(g);
    double lon, lat;
    demo_geo_grid_code(gi, code);
    demo_geo_point_in_grid(gi, &g->rng, &lon, &lat);
    snprintf(addr, sizeof addr, "%s%d号附近", roads[gi % ARRAY_SIZE(roads)],
             (int)between(g, 1, 300));
    snprintf(title, sizeof title, "%s%s问题", roads[gi % ARRAY_SIZE(roads)], g->cat[ci].name);
    snprintf(desc, sizeof desc, "%s发现%s问题%s", addr, g->cat[ci].name,
             details[rnd(g) % ARRAY_SIZE(details)]);
    snprintf(name, sizeof name, "%s%s", surnames[rnd(g) % ARRAY_SIZE(surnames)],
             rnd(g) % 2 ? "先生" : "女士");
    snprintf(phone, sizeof phone, "13%d%08d", (int)between(g, 5, 9), (int)between(g, 0, 99999999));
    int grid_rep = self || strcmp(ch, "grid_patrol") == 0;
    struct case_new in = {.channel = ch,
                          .nature = petition         ? "complaint"
                                    : unif(g) < 0.08 ? "consult"
                                                     : "complaint",
                          .category = g->cat[ci].code,
                          .priority = unif(g) < 0.03 ? "urgent" : "normal",
                          .title = title,
                          .description = desc,
                          .address = addr,
                          .has_pos = 1,
                          .lon = lon,
                          .lat = lat,
                          .self_handled = self,
                          .reporter_name = grid_rep ? "" : name,
                          .reporter_phone = grid_rep ? "" : phone};
    const struct actor *who = !grid_rep ? g->cast->disp
                              : g->cast->n_grid == g->n_grid
                                  ? &g->cast->grid[gi]
                                  : &g->cast->grid[rnd(g) % (uint32_t)g->cast->n_grid];
    time_pin(t);
    c->t = t;
    if (case_create(g->d, who, &in, c->a, &c->k, g->e))
        return explain(g->e, 0, "report");
    return 0;
}

/* Generates one case reported at t. */
static int one_case(struct gen *g, int64_t t)
{
    struct gcase c = {.g = g, .a = arena_new()};
    int y, m, dd;
    time_civil_from_days((t + TIME_CN_OFFSET) / 86400, &y, &m, &dd);
    c.year = y;
    int64_t i = g->half_i++, n = g->half_n - g->half_n / 50; /* quotas end before the half does */
    /* Quota picks that land on a case that cannot take them move to the next. */
    g->owed_repeats += pick(i, g->q_repeats, n);
    g->owed_petitions += pick(i, g->q_petitions, n);
    g->owed_whistles += pick(i, g->q_whistles, n);
    c.ci = pick_category(g);
    int64_t *rec = g->recent[c.ci], master = rec[rnd(g) % RECENT];
    int repeat = g->owed_repeats > 0 && rec[0] != 0;
    int petition = !repeat && g->owed_petitions > 0;
    int whistled = !repeat && g->owed_whistles > 0;
    g->owed_repeats -= repeat;
    g->owed_petitions -= petition;
    g->owed_whistles -= whistled;
    int self = !repeat && !petition && !whistled && unif(g) < 0.1;
    int rc = report(&c, t, petition, self);
    if (rc == 0 && repeat)
        rc = step(
            &c, g->cast->disp, later(&c, 10, 120),
            ACT(ACT_MERGE, .ref_id = master ? master : rec[0], .note = "重复反映，合并至原工单"));
    else if (rc == 0 && !self && !whistled && !petition && unif(g) < 0.04)
        rc = step(&c, g->cast->disp, later(&c, 10, 120),
                  unif(g) < 0.85 ? ACT(ACT_REJECT, .note = "属咨询类诉求，已电话答复，不予立案")
                                 : ACT(ACT_VOID, .note = "重复录入，作废"));
    else if (rc == 0 && !self) {
        rc = step(&c, g->cast->disp, later(&c, 5, 90), ACT(ACT_REGISTER));
        int64_t unit = g->cat_unit[c.ci] ? g->cat_unit[c.ci] : g->cast->hand[0].unit_id;
        if (rc == 0 && unif(g) < 0.05) { /* sent to the wrong unit first */
            int64_t wrong = other_unit(g, unit);
            rc = step(&c, g->cast->disp, later(&c, 5, 60), ACT(ACT_DISPATCH, .unit_id = wrong));
            if (rc == 0)
                rc = step(&c, handler_of(g, wrong), later(&c, 10, 120),
                          ACT(ACT_RETURN, .note = "不属于本单位职责，请改派"));
        }
        if (rc == 0)
            rc = step(&c, g->cast->disp, later(&c, 5, 60), ACT(ACT_DISPATCH, .unit_id = unit));
        if (rc == 0)
            rc = handle(&c, whistled);
        if (rc == 0)
            rc = visit(&c);
    }
    if (rc == 0 && !repeat && strcmp(c.k.state, "rejected") != 0 &&
        strcmp(c.k.state, "voided") != 0) {
        memmove(rec + 1, rec, (RECENT - 1) * sizeof *rec);
        rec[0] = c.k.id;
    }
    arena_free(c.a);
    g->done++;
    return rc > 0 ? 0 : rc;
}

/* ---- the stream ---------------------------------------------------------------- */

struct batch {
    struct gen *g;
    int64_t *day;   /* current day */
    double *cum;    /* cumulative weight up to the day before */
    int64_t *made;  /* cases planned up to the current day */
    double total_w; /* weight of the whole period */
    int64_t left;   /* cases still to make in the current day */
};

/* Report instant on day: mostly daytime, peaking mid-morning. */
static int64_t report_time(struct gen *g, int64_t day)
{
    int64_t minute = unif(g) < 0.85 ? between(g, 8 * 60, 19 * 60) : between(g, 0, 24 * 60 - 1);
    return day * 86400 - TIME_CN_OFFSET + minute * 60 + between(g, 0, 59);
}

static int batch_job(struct store *s, void *arg, struct err *e)
{
    struct batch *b = arg;
    struct gen *g = b->g;
    int rc = 0;
    (void)s;
    (void)e;
    for (int n = 0; rc == 0 && n < (g->o->batch > 0 ? g->o->batch : 500);) {
        while (b->left == 0 && *b->day <= g->o->to_day) { /* next day */
            int h = half_of(*b->day, g->o->from_day);
            if (h != g->half)
                start_half(g, h, *b->day);
            *b->cum += day_weight(*b->day);
            int64_t upto = (int64_t)(*b->cum / b->total_w * (double)g->o->n_cases + 0.5);
            b->left = upto - *b->made;
            *b->made = upto;
            if (b->left == 0)
                (*b->day)++;
        }
        if (b->left == 0)
            break;
        rc = one_case(g, report_time(g, *b->day));
        n++;
        if (--b->left == 0)
            (*b->day)++;
    }
    return rc;
}

int demo_history(struct domain *d, const struct demo_cast *cast, const struct demo_history_opts *o,
                 struct err *e)
{
    struct gen *g = xcalloc(1, sizeof *g);
    g->d = d;
    g->cast = cast;
    g->o = o;
    g->e = e;
    g->rng = o->seed ? o->seed : 20190101;
    g->now = time_now();
    g->half = -1;
    int rc = cast->n_hand < 2 || cast->n_grid < 1 || o->n_cases < 1 || o->to_day < o->from_day
                 ? err_set(e, ERR_INVALID, NULL, "demo history: nothing to generate")
                 : setup(g);
    double total_w = 0;
    for (int64_t day = o->from_day; day <= o->to_day; day++)
        total_w += day_weight(day);
    if (rc == 0)
        plan_halves(g, total_w);
    int64_t day = o->from_day, made = 0;
    double cum = 0;
    struct batch b = {g, &day, &cum, &made, total_w, 0};
    while (rc == 0 && (day <= o->to_day || b.left > 0)) {
        rc = store_write(d->store, batch_job, &b, e);
        if (rc == 0 && o->roll)
            rc = stats_roll_update(d, NULL, e);
        if (o->progress)
            o->progress(o->progress_arg, g->done, o->n_cases);
    }
    time_pin(-1);
    xfree(g);
    return rc;
}
