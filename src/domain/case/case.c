/* case.c - creating cases and acting on them (the decide step of the
 * lifecycle: checks, then one event appended in one transaction). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "case_int.h"
#include "domain/ident/ident.h"
#include "domain/place/place.h"

const char *const case_channels[] = {
    "hotline_12345", "phone",       "web",          "app",           "open311",
    "wechat",        "grid_patrol", "river_patrol", "street_office", "deliberation_hall",
    "leader",        "petition",    "media",        "video",         NULL};
const char *const case_natures[] = {"consult",    "help",   "complaint", "report",
                                    "suggestion", "praise", "other",     NULL};

static int in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return 1;
    return 0;
}

/* Checks a free text field: valid UTF-8 and at most max characters. */
static int check_text(const char *s, const char *field, size_t max, int required, struct err *e)
{
    if (s == NULL || *s == '\0')
        return required ? err_set(e, ERR_INVALID, field, "%s is required", field) : 0;
    if (!utf8_valid(s, strlen(s)))
        return err_set(e, ERR_INVALID, field, "%s is not valid UTF-8", field);
    if (utf8_len(s) > max)
        return err_set(e, ERR_INVALID, field, "%s is longer than %zu characters", field, max);
    return 0;
}

static int check_new(struct domain *d, const struct case_new *in, struct err *e)
{
    struct store_category cat;
    if (!in->channel || !in_list(case_channels, in->channel))
        return err_set(e, ERR_INVALID, "channel", "unknown channel '%s'",
                       in->channel ? in->channel : "");
    if (!in->nature || !in_list(case_natures, in->nature))
        return err_set(e, ERR_INVALID, "nature", "unknown nature '%s'",
                       in->nature ? in->nature : "");
    if (!in->category || !*in->category)
        return err_set(e, ERR_INVALID, "category", "category is required");
    if (store_category_get(d->store, in->category, &cat, e))
        return e->code == ERR_NOTFOUND ? (e->code = ERR_INVALID) : e->code;
    if (!case_priority_known(d, in->priority))
        return err_set(e, ERR_INVALID, "priority", "unknown priority '%s'", in->priority);
    if (check_text(in->description, "description", 4000, 1, e) ||
        check_text(in->title, "title", 100, 0, e) ||
        check_text(in->address, "address", 200, 0, e) ||
        check_text(in->reporter_name, "reporter_name", 50, 0, e) ||
        check_text(in->source_ref, "source_ref", 60, 0, e) ||
        check_text(in->attachments, "attachments", 2000, 0, e) ||
        check_text(in->grid, "grid", 20, 0, e))
        return ERR_INVALID;
    if (in->has_pos &&
        (!isfinite(in->lat) || !isfinite(in->lon) || fabs(in->lat) > 90 || fabs(in->lon) > 180))
        return err_set(e, ERR_INVALID, isfinite(in->lat) && fabs(in->lat) <= 90 ? "lon" : "lat",
                       "position out of range");
    return 0;
}

/* Title from the first characters of the description when none is given. */
static char *derive_title(struct arena *a, const char *title, const char *desc)
{
    if (title && *title)
        return arena_strdup(a, title);
    size_t n = 0, chars = 0;
    while (desc[n] && chars < 30) {
        n++;
        while (((unsigned char)desc[n] & 0xC0) == 0x80)
            n++;
        chars++;
    }
    return arena_strndup(a, desc, n);
}

void case__event_init(struct store_event *ev, const struct actor *who, const char *action,
                      int64_t at)
{
    memset(ev, 0, sizeof *ev);
    ev->at = at;
    ev->actor_id = who->user_id;
    str_copy(ev->actor_role, sizeof ev->actor_role, role_name(who->role));
    ev->actor_unit = who->unit_id;
    str_copy(ev->action, sizeof ev->action, action);
    ev->flag = -1;
    ev->note = (char *)"";
    ev->attachments = (char *)"";
}

struct create_job {
    struct domain *d;        /* rules */
    const struct actor *who; /* reporter */
    struct store_case *c;    /* the new case (in/out) */
    struct store_event ev;   /* its report event */
    int self_handled;        /* also apply self_handle */
};

static int job_create(struct store *s, void *arg, struct err *e)
{
    struct create_job *j = arg;
    int rc = store_case_insert(s, j->c, &j->ev, e);
    if (rc || !j->self_handled)
        return rc;
    struct store_event ev2;
    case__event_init(&ev2, j->who, "self_handle", j->ev.at);
    str_copy(ev2.from_state, sizeof ev2.from_state, "reported");
    str_copy(ev2.to_state, sizeof ev2.to_state, "self_handled");
    ev2.note = (char *)"现场自行处置";
    ev2.seq = 2;
    if ((rc = case__clock(j->d, j->c, CLK_STOP, (struct cal_span){0, 0}, &ev2, e)) ||
        (rc = case_apply(j->c, &ev2, e)))
        return rc;
    return store_case_append(s, j->c, &ev2, e);
}

static void fill_case(struct store_case *c, const struct case_new *in, const struct actor *who,
                      struct arena *a, int64_t now)
{
    memset(c, 0, sizeof *c);
    c->created_at = c->updated_at = now;
    str_copy(c->channel, sizeof c->channel, in->channel);
    str_copy(c->nature, sizeof c->nature, in->nature);
    str_copy(c->category, sizeof c->category, in->category);
    str_copy(c->priority, sizeof c->priority, in->priority);
    c->title = derive_title(a, in->title, in->description);
    c->description = arena_strdup(a, in->description);
    c->address = arena_strdup(a, in->address ? in->address : "");
    c->has_pos = in->has_pos;
    c->lat = in->lat;
    c->lon = in->lon;
    str_copy(c->grid, sizeof c->grid, in->grid ? in->grid : "");
    /* A dispatcher or admin records reports of people outside the system
     * (hotline callers, petitions): the case has no reporting user then. */
    int on_behalf = who->role & (ROLE_DISPATCHER | ROLE_ADMIN);
    c->reporter_id = in->reporter_id ? in->reporter_id : on_behalf ? 0 : who->user_id;
    str_copy(c->reporter_name, sizeof c->reporter_name, in->reporter_name ? in->reporter_name : "");
    str_copy(c->source_ref, sizeof c->source_ref, in->source_ref ? in->source_ref : "");
    c->visit_resolved = -1;
}

/* Appends "key=value\n" with \\ and \n escaped in the value. */
static void intake_put(struct buf *b, const char *key, const char *value)
{
    buf_append(b, key, strlen(key));
    buf_append(b, "=", 1);
    for (const char *p = value ? value : ""; *p; p++) {
        if (*p == '\\' || *p == '\n')
            buf_append(b, *p == '\\' ? "\\\\" : "\\n", 2);
        else
            buf_append(b, p, 1);
    }
    buf_append(b, "\n", 1);
}

char *case_intake(const struct store_case *c)
{
    struct buf b;
    char num[64];
    buf_init(&b, 64 * 1024);
    intake_put(&b, "channel", c->channel);
    intake_put(&b, "nature", c->nature);
    intake_put(&b, "category", c->category);
    intake_put(&b, "priority", c->priority);
    intake_put(&b, "title", c->title);
    intake_put(&b, "description", c->description);
    intake_put(&b, "address", c->address);
    /* A located case's grid is derived from its position and the current
     * boundaries (a boundary import re-grids it): the position is the fact.
     * Without a position, the grid given is the fact. */
    if (c->has_pos) {
        snprintf(num, sizeof num, "%.7f,%.7f", c->lon, c->lat);
        intake_put(&b, "position", num);
    } else {
        intake_put(&b, "grid", c->grid);
    }
    snprintf(num, sizeof num, "%lld", (long long)c->reporter_id);
    intake_put(&b, "reporter_id", num);
    intake_put(&b, "reporter_name", c->reporter_name);
    intake_put(&b, "reporter_phone", c->reporter_phone);
    intake_put(&b, "source_ref", c->source_ref);
    snprintf(num, sizeof num, "%lld", (long long)c->created_at);
    intake_put(&b, "created_at", num);
    return buf_take(&b);
}

/* Converts the position to WGS-84 and finds its grid: a point in no grid is
 * kept and flagged "outside"; a point far from the subdistrict (more than
 * 20 km from its boundary box: a wrong position, or one in the sea) is
 * refused. Without a position, a given grid code must name a grid. */
static int locate(struct domain *d, struct case_new *in, struct store_case *c, struct err *e)
{
    struct store_place p;
    if (!in->has_pos) {
        int rc = in->grid && *in->grid ? store_place_get(d->store, in->grid, NULL, &p, e) : 0;
        if (rc && rc != ERR_NOTFOUND)
            return rc;
        if (rc)
            err_clear(e);
        if (rc || (in->grid && *in->grid && strcmp(p.kind, "grid") != 0))
            return err_set(e, ERR_INVALID, "grid", "no grid with code %s", in->grid);
        return 0;
    }
    if (in->crs && in->crs != GEO_WGS84)
        geo_convert(in->crs, GEO_WGS84, in->lon, in->lat, &in->lon, &in->lat);
    if (!place_near_area(d, in->lon, in->lat, 20000))
        return err_set(e, ERR_INVALID, "lat",
                       "the position %.6f,%.6f is far outside the subdistrict", in->lon, in->lat);
    c->lon = in->lon;
    c->lat = in->lat;
    c->grid[0] = '\0'; /* the position decides the grid, not a code sent with it */
    char grid[40];
    if (place_grid_at(d, in->lon, in->lat, grid)) {
        str_copy(c->grid, sizeof c->grid, grid);
        str_copy(c->grid_status, sizeof c->grid_status, "in");
    } else if (d->grids && geo_index_size(d->grids) > 0)
        str_copy(c->grid_status, sizeof c->grid_status, "outside");
    return 0;
}

int case_create(struct domain *d, const struct actor *who, const struct case_new *in0,
                struct arena *a, struct store_case *out, struct err *e)
{
    struct case_new in = *in0;
    char phone[32] = "";
    if (!in.priority || !*in.priority)
        in.priority = "normal";
    if (in.channel == NULL)
        in.channel = case_default_channel(who);
    if (in.nature == NULL)
        in.nature = "complaint";
    if (!(who->role & (ROLE_RESIDENT | ROLE_GRID | ROLE_DISPATCHER | ROLE_ADMIN)))
        return err_set(e, ERR_DENIED, NULL, "a %s may not report cases", role_name(who->role));
    if (in.self_handled && !(who->role & (ROLE_GRID | ROLE_ADMIN)))
        return err_set(e, ERR_DENIED, "self_handled", "only grid workers handle cases on the spot");
    int rc = check_new(d, &in, e);
    if (rc == 0 && in.reporter_phone && *in.reporter_phone &&
        (rc = ident_phone_check(in.reporter_phone, phone, sizeof phone, e)) && e)
        str_copy(e->field, sizeof e->field, "reporter_phone"); /* the input's name, not "phone" */
    if (rc)
        return rc;
    struct create_job j = {.d = d, .who = who, .c = out, .self_handled = in.self_handled};
    fill_case(out, &in, who, a, time_now());
    if ((rc = locate(d, &in, out, e)))
        return rc;
    str_copy(out->reporter_phone, sizeof out->reporter_phone, phone);
    case__event_init(&j.ev, who, case_action_name(ACT_REPORT), out->created_at);
    j.ev.seq = 1;
    j.ev.attachments = (char *)(in.attachments ? in.attachments : "");
    str_copy(j.ev.to_state, sizeof j.ev.to_state, "reported");
    if ((rc = case__clock(d, out, CLK_REGISTER, (struct cal_span){0, 0}, &j.ev, e)))
        return rc;
    /* The projection of the new case is the fold of its first event, which
     * also carries every intake fact. */
    if ((rc = case_apply(out, &j.ev, e)))
        return rc;
    char *intake = case_intake(out);
    j.ev.intake = arena_strdup(a, intake);
    xfree(intake);
    return store_write(d->store, job_create, &j, e);
}
