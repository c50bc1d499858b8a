/* demo.c - the demo data set (see demo.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "demo.h"
#include "auth/auth.h"
#include "domain/case/case.h"
#include "domain/place/place.h"
#include "domain/stats/stats.h"
#include "demo_geo.h"
#include "demo_history.h"
#include "store/unit/store_unit.h"

/* Departments and red-alliance (红色联盟) units. Codes match the default units
 * of data/categories.txt. Alliance USCCs are generated with valid check
 * characters but are not real registrations. */
static const struct {
    const char *code, *name, *kind;
} units[] = {
    {"ZHZX", "六甲街道综治中心（指挥中心）", "department"},
    {"CGZF", "六甲街道综合行政执法队", "department"},
    {"HWS", "六甲街道环卫站", "department"},
    {"SZGL", "官渡区市政设施管理所六甲片区", "department"},
    {"SWGS", "昆明自来水公司官渡营业所", "department"},
    {"GDS", "六甲供电所", "department"},
    {"JJDD", "官渡交警大队六甲中队", "department"},
    {"YLLH", "六甲街道园林绿化所", "department"},
    {"HZB", "六甲街道河长办", "department"},
    {"SQGZ", "六甲街道社区事务办", "department"},
    {"PCS", "六甲派出所", "department"},
    {"ZJB", "官渡区住建局六甲工作站", "department"},
    {"RQGS", "昆明燃气公司官渡分公司", "department"},
    {"SBS", "六甲街道社会保障服务中心", "department"},
    {"MZB", "六甲街道民政办", "department"},
    {"SCJG", "六甲市场监管所", "department"},
    {"ZDB", "六甲街道征地拆迁办", "department"},
    {"JTJJ", "六甲街道集体经济服务中心", "department"},
    {"XFJ", "六甲消防救援站", "department"},
    {"LM01", "滇池国际会展中心党委", "alliance"},
    {"LM02", "王府井滇池小镇党支部", "alliance"},
    {"LM03", "昆明奥特莱斯商业区党支部", "alliance"},
    {"LM04", "福保社区红色物业联合党支部", "alliance"},
    {"LM05", "云南滇池国际会展中心有限公司党支部", "alliance"},
    {"LM06", "昆明西山区供销社六甲分社党支部", "alliance"},
    {"LM07", "云南建投第三建设有限公司六甲项目党支部", "alliance"},
    {"LM08", "昆明公交集团六甲停保场党支部", "alliance"},
    {"LM09", "官渡区第六中学党支部", "alliance"},
    {"LM10", "六甲中心小学党支部", "alliance"},
    {"LM11", "官渡区人民医院六甲分院党支部", "alliance"},
    {"LM12", "六甲街道社区卫生服务中心党支部", "alliance"},
    {"LM13", "中国邮政昆明六甲支局党支部", "alliance"},
    {"LM14", "中国移动官渡分公司六甲营业部党支部", "alliance"},
    {"LM15", "昆明农村商业银行六甲支行党支部", "alliance"},
    {"LM16", "富滇银行六甲支行党支部", "alliance"},
    {"LM17", "滇池泛亚国际汽车城党支部", "alliance"},
    {"LM18", "官渡文化生态新城项目党支部", "alliance"},
    {"LM19", "盘龙村三旧改造项目党支部", "alliance"},
    {"LM20", "陈家营城中村改造项目党支部", "alliance"},
    {"LM21", "福保文化城物业服务中心党支部", "alliance"},
    {"LM22", "海华小区物业服务中心党支部", "alliance"},
    {"LM23", "宝丰新村物业服务中心党支部", "alliance"},
    {"LM24", "金刀营小区物业服务中心党支部", "alliance"},
    {"LM25", "张家庙小区物业服务中心党支部", "alliance"},
    {"LM26", "星海湿地公园管理处党支部", "alliance"},
    {"LM27", "大清河管理站党支部", "alliance"},
    {"LM28", "昆明奥特莱斯物业管理公司党支部", "alliance"},
    {"LM29", "王府井滇池小镇商户联合党支部", "alliance"},
    {"LM30", "六甲农贸市场党支部", "alliance"},
    {"LM31", "六甲物流园区联合党支部", "alliance"},
    {"LM32", "滇池度假区环湖东路商户联合党支部", "alliance"},
    {"LM33", "六甲志愿者协会党支部", "alliance"},
    {"LM34", "六甲老年协会党支部", "alliance"},
    {"LM35", "六甲退役军人服务站党支部", "alliance"},
    {"LM36", "六甲律师服务团党支部", "alliance"},
};

/* Communities (社区) with a community code of 六甲街道 530111008 and grids.
 * Names follow public sources where known; the codes are illustrative. */
static const struct {
    const char *code, *name;
} communities[] = {
    {"530111008001", "六甲社区"},   {"530111008002", "福保社区"}, {"530111008003", "海华社区"},
    {"530111008004", "陈家社区"},   {"530111008005", "宝丰社区"}, {"530111008006", "金刀营社区"},
    {"530111008007", "张家庙社区"}, {"530111008008", "盘龙社区"}, {"530111008009", "郭家凹社区"},
    {"530111008010", "新二社区"},
};

const struct demo_login demo_logins[] = {
    {"admin", "admin", "系统管理员"},
    {"zhihui", "dispatcher", "指挥中心值班员"},
    {"lingdao", "leader", "街道领导"},
    {"cgzf", "handler", "综合行政执法队"},
    {"hws", "handler", "环卫站"},
    {"szgl", "handler", "市政设施管理所"},
    {"scjg", "handler", "市场监管所"},
    {"hzb", "handler", "河长办"},
    {"wangge01", "grid", "网格员（福保社区01网格）"},
    {"wangge02", "grid", "网格员（海华社区01网格）"},
    {"jumin1", "resident", "居民 张丽"},
    {"jumin2", "resident", "居民 李强"},
    {NULL, NULL, NULL},
};

/* Generated IDs: a USCC with a valid check character from a 17-char body. */
static void make_uscc(int n, char out[19])
{
    static const char set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    char body[18];
    snprintf(body, sizeof body, "91530111MA%06dX", n);
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (int)(strchr(set, body[i]) - set) * w[i];
    memcpy(out, body, 17);
    out[17] = set[(31 - sum % 31) % 31];
    out[18] = '\0';
}

struct demo {
    struct store *s;       /* database */
    struct domain *d;      /* rules */
    int64_t unit_id[64];   /* ids of units[] */
    struct actor duty[64]; /* a duty handler of every unit, for the histories */
    struct actor *gridw;   /* the grid worker of every demo grid (demo_geo order) */
    struct actor admin, disp, leader, grid1, grid2, res1, res2;
    struct actor hand[8]; /* handlers by index in units[] of interest */
    struct err *e;        /* errors */
    uint32_t rng;         /* deterministic generator */
};

static uint32_t next_rand(struct demo *m)
{
    return demo_rand(&m->rng);
}

static int add_units(struct demo *m)
{
    for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
        struct store_unit u = {0};
        str_copy(u.code, sizeof u.code, units[i].code);
        str_copy(u.name, sizeof u.name, units[i].name);
        str_copy(u.kind, sizeof u.kind, units[i].kind);
        if (strcmp(units[i].kind, "alliance") == 0)
            make_uscc((int)i + 1, u.uscc);
        snprintf(u.phone, sizeof u.phone, "0871-6731%04d", (int)i + 1000);
        if (store_unit_put(m->s, &u, m->e))
            return m->e->code;
        m->unit_id[i] = u.id;
    }
    return 0;
}

static int64_t unit_by_code(struct demo *m, const char *code)
{
    for (size_t i = 0; i < ARRAY_SIZE(units); i++)
        if (strcmp(units[i].code, code) == 0)
            return m->unit_id[i];
    return 0;
}

/* Short display name of a unit by code. */
static const char *unit_name(const char *code)
{
    for (size_t i = 0; i < ARRAY_SIZE(units); i++)
        if (strcmp(units[i].code, code) == 0)
            return units[i].name;
    return code;
}

/* Creates a user with the demo password and returns its actor. */
static int add_user(struct demo *m, const char *username, const char *name, const char *role,
                    const char *unit, const char *grid, const char *phone, struct actor *out)
{
    struct store_user u;
    struct auth_user_new in = {.username = username,
                               .name = name,
                               .role = role,
                               .password = DEMO_PASSWORD,
                               .unit_id = unit ? unit_by_code(m, unit) : 0,
                               .grid = grid ? grid : "",
                               .phone = phone};
    if (auth_user_create(m->s, &in, &u, m->e))
        return m->e->code;
    if (out)
        auth_actor_from_user(&u, out);
    return 0;
}

static int add_users(struct demo *m)
{
    static const char *const hcodes[] = {"CGZF", "HWS",  "SZGL", "SCJG",
                                         "HZB",  "SWGS", "LM04", "PCS"};
    static const char *const hnames[] = {"cgzf", "hws",  "szgl", "scjg",
                                         "hzb",  "swgs", "lm04", "pcs"};
    int rc = add_user(m, "admin", "系统管理员", "admin", NULL, NULL, NULL, &m->admin);
    rc = rc ? rc
            : add_user(m, "zhihui", "王敏", "dispatcher", "ZHZX", NULL, "13708710001", &m->disp);
    rc = rc ? rc : add_user(m, "lingdao", "赵建国", "leader", NULL, NULL, NULL, &m->leader);
    rc = rc ? rc
            : add_user(m, "wangge01", "周红", "grid", NULL, "53011100800201", "13908710002",
                       &m->grid1);
    rc = rc ? rc
            : add_user(m, "wangge02", "杨波", "grid", NULL, "53011100800301", "13908710003",
                       &m->grid2);
    rc = rc ? rc : add_user(m, "jumin1", "张丽", "resident", NULL, NULL, "13888710004", &m->res1);
    rc = rc ? rc : add_user(m, "jumin2", "李强", "resident", NULL, NULL, "15087710005", &m->res2);
    for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(hcodes); i++) {
        char name[160];
        snprintf(name, sizeof name, "%s值班员", unit_name(hcodes[i]));
        rc = add_user(m, hnames[i], name, "handler", hcodes[i], NULL, NULL, &m->hand[i]);
    }
    return rc;
}

/* A duty handler (值班员) for every unit that has none among the demo's
 * sign-ins, sharing the demo password's hash (hashing is the slow part). */
static int add_duty_handlers(struct demo *m)
{
    struct store_user first;
    int rc = store_user_get(m->s, m->hand[0].user_id, &first, m->e);
    for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(units); i++) {
        int have = 0;
        for (size_t h = 0; h < ARRAY_SIZE(m->hand); h++)
            if (m->hand[h].unit_id == m->unit_id[i]) {
                m->duty[i] = m->hand[h];
                have = 1;
            }
        if (have)
            continue;
        struct store_user u = {0};
        snprintf(u.username, sizeof u.username, "duty_%s", units[i].code);
        for (char *p = u.username; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        snprintf(u.name, sizeof u.name, "%s值班员", units[i].name);
        str_copy(u.role, sizeof u.role, "handler");
        u.unit_id = m->unit_id[i];
        str_copy(u.pw_hash, sizeof u.pw_hash, first.pw_hash);
        u.created_at = time_now();
        rc = store_user_insert(m->s, &u, m->e);
        if (rc == 0)
            auth_actor_from_user(&u, &m->duty[i]);
    }
    return rc;
}

/* A grid worker (网格员) leading every grid but one in 40 (vacant posts),
 * sharing the demo password's hash; wangge01/02 keep their grids. */
static int add_grid_workers(struct demo *m)
{
    struct store_user first;
    int n = demo_geo_grid_count(), rc = store_user_get(m->s, m->grid1.user_id, &first, m->e);
    m->gridw = xcalloc((size_t)n, sizeof *m->gridw);
    for (int i = 0; rc == 0 && i < n; i++) {
        struct store_user u = {0};
        demo_geo_grid_code(i, u.grid);
        if (strcmp(u.grid, m->grid1.grid) == 0 || strcmp(u.grid, m->grid2.grid) == 0) {
            m->gridw[i] = strcmp(u.grid, m->grid1.grid) == 0 ? m->grid1 : m->grid2;
            continue;
        }
        snprintf(u.username, sizeof u.username, "wg%.5s", u.grid + 9);
        snprintf(u.name, sizeof u.name, "网格员%.5s", u.grid + 9);
        str_copy(u.role, sizeof u.role, "grid");
        str_copy(u.pw_hash, sizeof u.pw_hash, first.pw_hash);
        u.created_at = time_now();
        rc = store_user_insert(m->s, &u, m->e);
        if (rc == 0)
            auth_actor_from_user(&u, &m->gridw[i]);
        if (rc == 0 && i % 40 != 39)
            rc = place_team_set(m->d, u.grid, u.id, "leader", 1, m->e);
    }
    return rc;
}

/* Two years of generated history (2019-2020, or o's size and years). */
static int add_history(struct demo *m, const struct demo_opts *o)
{
    struct demo_cast cast = {&m->disp, m->gridw, demo_geo_grid_count(), m->duty,
                             (int)ARRAY_SIZE(units)};
    struct demo_history_opts h = {.n_cases = o->cases < 0 ? DEMO_HISTORY_CASES : o->cases,
                                  .liujia = o->cases < 0,
                                  .seed = 20200630,
                                  .progress = o->progress,
                                  .progress_arg = o->progress_arg,
                                  .roll = 1};
    if (h.n_cases == 0)
        return 0;
    time_days_from_civil(o->first_year, 1, 1, &h.from_day);
    time_days_from_civil(o->last_year, 12, 31, &h.to_day);
    int rc = store_bulk_load(m->s, 1, m->e);
    rc = rc ? rc : demo_history(m->d, &cast, &h, m->e);
    if (o->phase)
        o->phase(o->progress_arg, "building the indexes of cases and events");
    int rc2 = store_bulk_load(m->s, 0, m->e);
    return rc ? rc : rc2;
}

/* A scripted case: who reports what, then a path of actions. */
struct script {
    int reporter;         /* 0 res1, 1 res2, 2 grid1, 3 grid2, 4 dispatcher (12345) */
    const char *category; /* category code */
    const char *priority; /* normal | urgent */
    const char *title;    /* title */
    const char *address;  /* where */
    int community;        /* index in communities[] */
    const char *path;     /* actions, space-separated (see run_step) */
};

static const struct script scripts[] = {
    {0, "20102", "normal", "小区门口垃圾堆放三天无人清运", "福保社区福保文化城3栋旁", 1, ""},
    {1, "30103", "normal", "夜间广场舞音响扰民", "海华社区滇池路海华广场", 2, "send_verify"},
    {2, "10101", "urgent", "上水井盖破损，行人易踩空", "六甲社区六甲路与福保路交叉口", 0,
     "register"},
    {4, "20501", "normal", "游商占道经营，堵塞人行道", "福保社区奥特莱斯南门", 1,
     "register dispatch:CGZF"},
    {0, "30101", "normal", "物业不作为，电梯长期故障", "陈家社区陈家营小区5栋", 3,
     "register dispatch:SZGL return"},
    {1, "20104", "normal", "道路泥泞不洁，车辆带泥上路", "宝丰社区宝丰路", 4,
     "register dispatch:HWS sign"},
    {4, "20602", "normal", "大清河河道淤塞，水流不畅", "海华社区大清河下游段", 2,
     "register dispatch:HZB sign progress"},
    {2, "20302", "normal", "工地扬尘严重，未覆盖裸土", "金刀营社区环湖东路工地", 5,
     "register dispatch:CGZF sign progress request_extension"},
    {0, "30104", "normal", "老旧小区加装电梯协调", "张家庙社区2栋", 6,
     "register dispatch:LM04 sign progress defer"},
    {4, "30501", "normal", "征地补偿款发放疑问", "盘龙社区", 7, "register dispatch:SWGS sign hang"},
    {1, "20102", "normal", "绿化带内暴露垃圾", "郭家凹社区郭家凹路", 8,
     "register dispatch:HWS sign progress feedback"},
    {2, "10118", "normal", "路灯不亮，夜间通行不安全", "福保社区福保路中段", 1,
     "register dispatch:SZGL sign feedback rework"},
    {0, "20201", "normal", "楼道内非法张贴小广告", "新二社区新二村12号", 9,
     "register dispatch:CGZF sign progress feedback close"},
    {1, "30401", "normal", "餐馆后厨卫生差，疑似使用过期食材", "六甲社区六甲街15号", 0,
     "register dispatch:SCJG sign progress feedback close visit:yes:satisfied"},
    {4, "20404", "urgent", "下水道堵塞，污水外溢", "海华社区海华路8号", 2,
     "register dispatch:SZGL sign feedback close visit:yes:basically_satisfied"},
    {0, "30103", "normal", "装修施工噪声扰民", "陈家社区陈家营小区9栋", 3,
     "register dispatch:PCS sign feedback close visit:no:unsatisfied"},
    {1, "20101", "normal", "屋顶私搭乱建", "宝丰社区宝丰新村", 4,
     "register dispatch:CGZF sign feedback close visit:no:unsatisfied reopen"},
    {2, "20104", "normal", "路面散落建筑垃圾已现场清理", "金刀营社区金刀营路", 5, "self"},
    {3, "10305", "normal", "垃圾箱倾倒已扶正", "海华社区滇池路", 2, "self"},
    {1, "20102", "normal", "小区门口垃圾还没清运（重复反映）", "福保社区福保文化城3栋旁", 1,
     "merge:1"},
    {0, "30901", "normal", "咨询社区党群服务中心开放时间", "六甲社区", 0, "reject"},
    {4, "30901", "normal", "重复录入的测试工单", "六甲社区", 0, "void"},
    {4, "20603", "normal", "河道黑臭水体，周边居民反映强烈", "海华社区大清河入湖口", 2,
     "register dispatch:HZB whistle:huanjing:HZB,CGZF,HWS report:HZB report:CGZF rate:HZB:95 "
     "rate:CGZF:88 sign progress"},
    {4, "30402", "normal", "商户价格欺诈，游客投诉", "福保社区王府井滇池小镇", 1,
     "register dispatch:SCJG whistle:shichang:SCJG,LM02 report:SCJG rate:SCJG:90 sign feedback "
     "close visit:yes:satisfied"},
    {0, "30201", "urgent", "小区突发停水，老人无法做饭", "陈家社区陈家营小区", 3,
     "register dispatch:SWGS whistle:minsheng:SWGS,SQGZ sign"},
    {2, "20107", "normal", "废弃车辆长期占用消防通道", "张家庙社区", 6,
     "register dispatch:CGZF supervise"},
    {1, "20603", "normal", "河边偷钓野钓", "海华社区星海湿地", 2,
     "register dispatch:HZB sign progress supervise supervise"},
};

/* Default notes per action (Chinese, as staff would write them). */
static const char *const notes[ACT_COUNT] = {
    [ACT_CLOSE] = "核查属实，已整改到位，予以结案",
    [ACT_DEFER] = "需纳入年度改造计划，暂缓办理",
    [ACT_FEEDBACK] = "已安排人员现场处置完毕，附处置后照片",
    [ACT_HANG] = "涉及历史遗留问题，需区级层面协调，书面说明已报送",
    [ACT_PROGRESS] = "已联系诉求人，正在组织人员处置",
    [ACT_REJECT] = "属咨询类诉求，已电话答复，不予立案",
    [ACT_REOPEN] = "回访不满意，重新交办",
    [ACT_REQUEST_EXTENSION] = "需协调产权单位，申请延期",
    [ACT_RETURN] = "不属于本单位职责，建议派物业主管部门",
    [ACT_REWORK] = "核查发现问题未彻底解决，返工",
    [ACT_SUPERVISE] = "超期未办结，请加快办理",
    [ACT_VOID] = "重复录入，作废",
};

/* The actor that performs an action on case k: the lead unit's handler for
 * its steps, a grid worker verifies, the command centre does the rest. */
static const struct actor *performer(struct demo *m, int act, const struct store_case *k)
{
    switch (act) {
    case ACT_SIGN:
    case ACT_RETURN:
    case ACT_PROGRESS:
    case ACT_REQUEST_EXTENSION:
    case ACT_FEEDBACK:
        for (size_t h = 0; h < ARRAY_SIZE(m->hand); h++)
            if (m->hand[h].unit_id == k->lead_unit)
                return &m->hand[h];
        return act == ACT_SIGN ? &m->admin : &m->disp;
    case ACT_VERIFY:
        return &m->grid2;
    default:
        return &m->disp;
    }
}

/* The action a script word names: an action's name, or "report" and
 * "rate" for the whistle's report-in and rating. ACT_NONE if neither. */
static int script_action(const char *word)
{
    if (strcmp(word, "report") == 0)
        return ACT_WHISTLE_REPORT;
    if (strcmp(word, "rate") == 0)
        return ACT_WHISTLE_RATE;
    return case_action_parse(word);
}

static const struct actor *handler_of(struct demo *m, const char *code)
{
    int64_t id = unit_by_code(m, code);
    for (size_t h = 0; h < ARRAY_SIZE(m->hand); h++)
        if (m->hand[h].unit_id == id)
            return &m->hand[h];
    return &m->admin;
}

/* Parses "A,B,C" unit codes into ids. */
static int parse_units(struct demo *m, char *list, int64_t *ids)
{
    int n = 0;
    char *save = NULL;
    for (char *p = strtok_r(list, ",", &save); p && n < 8; p = strtok_r(NULL, ",", &save))
        ids[n++] = unit_by_code(m, p);
    return n;
}

struct step_ctx {
    struct demo *m;       /* demo */
    struct store_case *k; /* the case (updated) */
    struct arena *a;      /* arena */
    int64_t whistle;      /* last whistle id */
    const int64_t *ids;   /* case ids of earlier scripts */
};

/* Runs one step token of a script path on the case. */
static int run_step(struct step_ctx *x, char *tok)
{
    char *save = NULL, *name = strtok_r(tok, ":", &save);
    char *a1 = strtok_r(NULL, ":", &save), *a2 = strtok_r(NULL, ":", &save);
    const char *a3 = strtok_r(NULL, ":", &save);
    int id = script_action(name);
    if (id == ACT_NONE)
        return err_set(x->m->e, ERR_INTERNAL, NULL, "demo script: unknown action '%s'", name);
    struct case_action act = {
        .act = id, .note = notes[id], .resolved = -1, .confirmed = -1, .score = -1};
    int64_t summoned[8];
    const struct actor *who = performer(x->m, id, x->k);
    switch (id) {
    case ACT_SEND_VERIFY:
        act.ref_id = x->m->grid2.user_id; /* the grid worker of 海华社区 */
        break;
    case ACT_DISPATCH:
        act.unit_id = unit_by_code(x->m, a1);
        break;
    case ACT_VISIT:
        act.resolved = strcmp(a1, "yes") == 0;
        act.satisfaction = strcmp(a2, "satisfied") == 0     ? 1
                           : strcmp(a2, "unsatisfied") == 0 ? 3
                                                            : 2;
        break;
    case ACT_MERGE:
        act.ref_id = x->ids[a1[0] - '0' - 1];
        break;
    case ACT_REQUEST_EXTENSION:
        act.span = (struct cal_span){CAL_WD, 3};
        break;
    case ACT_WHISTLE:
        act.whistle_type = a1;
        act.n_units = parse_units(x->m, a2, summoned);
        act.units = summoned;
        act.note = "问题涉及多个部门，吹哨召集联合处置";
        break;
    case ACT_WHISTLE_REPORT:
        act.ref_id = x->whistle;
        act.note = "已到达现场";
        who = handler_of(x->m, a1);
        break;
    case ACT_WHISTLE_RATE:
        act.ref_id = x->whistle;
        act.unit_id = unit_by_code(x->m, a1);
        act.score = (int)strtol(a2, NULL, 10);
        act.note = act.score >= 90 ? "响应迅速，处置有力" : "到场及时，处置有待加强";
        break;
    default:
        break;
    }
    (void)a3;
    if (case_act(x->m->d, who, x->k->id, &act, x->a, x->k, x->m->e))
        return x->m->e->code;
    if (id == ACT_WHISTLE) {
        struct store_whistle *w;
        int n;
        if (store_whistle_list(x->m->s, x->k->id, 0, x->a, &w, &n, x->m->e) || n == 0)
            return ERR_INTERNAL;
        x->whistle = w[n - 1].id;
    }
    return 0;
}

/* A point in a grid of community ci: grid 01 for the grid workers' own
 * reports (so they see them), another grid of the community otherwise. */
static void demo_point(struct demo *m, int ci, int reporter, double *lon, double *lat)
{
    char code[16], want[16];
    int pick = reporter == 2 || reporter == 3 ? 1 : 1 + (int)(next_rand(m) % 24);
    snprintf(want, sizeof want, "%s%02d", communities[ci].code, pick);
    for (int i = 0; i < demo_geo_grid_count(); i++) {
        demo_geo_grid_code(i, code);
        if (strcmp(code, want) == 0) {
            demo_geo_point_in_grid(i, &m->rng, lon, lat);
            return;
        }
    }
    *lon = 102.755; /* not reached with the generated set */
    *lat = 24.95;
}

/* Loads the generated boundaries and makes the grid workers their grids'
 * leaders (网格长). */
static int add_places(struct demo *m)
{
    struct place_report *r = xcalloc(1, sizeof *r);
    char *text = demo_geo_geojson();
    int rc = place_import_geojson(m->d, text, strlen(text), 0, 1, r, m->e);
    if (rc && r->n_issues)
        err_set(m->e, rc, NULL, "demo boundaries: %s %s: %s", r->issues[0].code, r->issues[0].kind,
                r->issues[0].detail);
    xfree(text);
    xfree(r);
    if (rc == 0)
        rc = place_team_set(m->d, m->grid1.grid, m->grid1.user_id, "leader", 1, m->e);
    if (rc == 0)
        rc = place_team_set(m->d, m->grid2.grid, m->grid2.user_id, "leader", 1, m->e);
    return rc;
}

static const struct actor *reporter(struct demo *m, int r)
{
    const struct actor *all[] = {&m->res1, &m->res2, &m->grid1, &m->grid2, &m->disp};
    return all[r];
}

/* Creates the case of script i at time t and runs its path, a step every
 * 20 minutes to 3 hours. */
static int run_script(struct demo *m, size_t i, int64_t t, int64_t *ids)
{
    const struct script *sc = &scripts[i];
    struct arena *a = arena_new();
    struct store_case k;
    char path[256], *save = NULL;
    double lon, lat;
    demo_point(m, sc->community, sc->reporter, &lon, &lat);
    int self = strcmp(sc->path, "self") == 0;
    struct case_new in = {.channel = sc->reporter == 4   ? "hotline_12345"
                                     : sc->reporter >= 2 ? "grid_patrol"
                                                         : "app",
                          .nature = "complaint",
                          .category = sc->category,
                          .priority = sc->priority,
                          .title = sc->title,
                          .description = sc->title,
                          .address = sc->address,
                          .has_pos = 1,
                          .lon = lon,
                          .lat = lat,
                          .self_handled = self,
                          .reporter_name = sc->reporter == 4 ? "12345转办" : "",
                          .reporter_phone = sc->reporter == 4 ? "13608711234" : ""};
    time_pin(t);
    int rc = case_create(m->d, reporter(m, sc->reporter), &in, a, &k, m->e);
    ids[i] = k.id;
    str_copy(path, sizeof path, self ? "" : sc->path);
    struct step_ctx x = {m, &k, a, 0, ids};
    for (char *tok = strtok_r(path, " ", &save); rc == 0 && tok; tok = strtok_r(NULL, " ", &save)) {
        /* Most units report in (报到) within the 30-minute limit; other
         * steps come 20 minutes to 3 hours apart. */
        if (strncmp(tok, "report:", 7) == 0)
            t += 5 * 60 + (int64_t)(next_rand(m) % ((next_rand(m) % 4 ? 20 : 60) * 60));
        else
            t += 20 * 60 + (int64_t)(next_rand(m) % (160 * 60));
        time_pin(t);
        rc = run_step(&x, tok);
    }
    arena_free(a);
    return rc;
}

int demo_build(struct store *s, int64_t now, const struct demo_opts *o, struct err *e)
{
    struct demo m = {.s = s, .e = e, .rng = 20200630};
    int64_t ids[ARRAY_SIZE(scripts)];
    int rc = add_units(&m);
    rc = rc ? rc : add_users(&m);
    rc = rc ? rc : dom_open(s, &m.d, e);
    rc = rc ? rc : add_places(&m);
    rc = rc ? rc : add_duty_handlers(&m);
    rc = rc ? rc : add_grid_workers(&m);
    rc = rc ? rc : add_history(&m, o);
    int64_t span = 20 * 86400, n = (int64_t)ARRAY_SIZE(scripts);
    for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(scripts); i++) {
        /* Spread the reports over the last 20 days, in the daytime. */
        int64_t t = now - span + (int64_t)i * (span / n);
        t = t - (t + TIME_CN_OFFSET) % 86400 + 9 * 3600 + (int64_t)(next_rand(&m) % (8 * 3600));
        rc = run_script(&m, i, t, ids);
    }
    time_pin(-1);
    if (rc == 0) /* the statistics' roll-ups, so that the first figures come at once */
        rc = stats_roll_update(m.d, NULL, e);
    xfree(m.gridw);
    dom_close(m.d);
    return rc;
}
