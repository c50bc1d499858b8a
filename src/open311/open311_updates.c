/* open311_updates.c - mySociety's servicerequestupdates in both directions.
 * GET: the events of the cases since a date, each as an update with id
 * "<case>-<seq>". POST: an update from another system becomes a "comment"
 * event through case_act, recorded under its update_id so that a replay is
 * refused and nothing is duplicated. */
#include <string.h>
#include <strings.h>
#include "open311_int.h"

#define WINDOW        (90 * 86400)   /* default span of GET: the last 90 days */
#define END_OF_TIME   253402300799LL /* 9999-12-31T23:59:59Z */
#define MAX_ROWS      1000
#define MAX_UPDATE_ID 64   /* bytes of an update_id */
#define MAX_TEXT      4000 /* characters of a description */

/* The statuses of mySociety's extension (sent upper-case on POST). */
static const char *const statuses[] = {
    "OPEN",
    "CLOSED",
    "FIXED",
    "IN_PROGRESS",
    "ACTION_SCHEDULED",
    "INVESTIGATING",
    "DUPLICATE",
    "NOT_COUNCILS_RESPONSIBILITY",
    "NO_FURTHER_ACTION",
    "INTERNAL_REFERRAL",
    "REOPEN",
    "FOR_TRIAGE",
    "CANCELLED",
};

/* ---- GET ------------------------------------------------------------------- */

/* One event as a request_update. */
static void update_jw(struct o311 *o, struct ow *w, const struct store_event *ev)
{
    ow_obj(w, NULL);
    ow_str(w, "update_id", arena_printf(o->a, "%lld-%d", (long long)ev->case_id, ev->seq));
    ow_int(w, "service_request_id", ev->case_id);
    ow_str(w, "status", o311_status(ev->to_state));
    ow_time(w, "updated_datetime", ev->at);
    const char *note = o311_public_note(ev);
    ow_str(w, "description", note[0] ? note : o311_action_label(ev->action));
    /* Attachments are as private as the note they came with. */
    ow_str(w, "media_url", o311_event_public(ev) ? o311_first_line(o->a, ev->attachments) : NULL);
    ow_str(w, "external_status_code", ev->to_state);
    ow_obj_end(w);
}

int o311_updates_get(struct o311 *o)
{
    int64_t from, to, page, size, id;
    struct store_event *ev;
    int n;
    struct buf b;
    struct ow w;
    if (o311_time_param(o, "start_date", &from) || o311_time_param(o, "end_date", &to) ||
        o311_int_param(o, "service_request_id", 0, 1, INT64_MAX, &id) ||
        o311_int_param(o, "page", 1, 1, 1000000, &page) ||
        o311_int_param(o, "page_size", MAX_ROWS, 1, MAX_ROWS, &size))
        return -1;
    if (from && to && from > to)
        return o311_fail(o, 400, "start_date is after end_date");
    if (from == 0)
        from = (to ? to : time_now()) - WINDOW;
    if (store_o311_events(o->store, from, to ? to : END_OF_TIME, id, (int)size, (page - 1) * size,
                          o->a, &ev, &n, &o->e))
        return o311_fail_domain(o);
    o311_begin(o, &b, &w);
    ow_list(&w, "service_request_updates", "request_update");
    for (int i = 0; i < n; i++)
        update_jw(o, &w, &ev[i]);
    ow_list_end(&w);
    return o311_reply(o, &b);
}

/* ---- POST ------------------------------------------------------------------ */

/* What POST servicerequestupdates carries. */
struct update_job {
    int64_t case_id;               /* the request updated */
    struct case_action act;        /* the comment */
    struct store_o311_update u;    /* the record */
    struct store_o311_update seen; /* the earlier record of a replay */
};

/* A required parameter, or a 400 naming it. */
static const char *required(struct o311 *o, const char *name)
{
    const char *v = o311_param(o, name);
    if (v == NULL)
        o311_fail(o, 400, "%s was not provided", name);
    return v;
}

/* Checks the fields and fills the job. */
static int build(struct o311 *o, struct update_job *j)
{
    const char *id = required(o, "service_request_id"), *uid = required(o, "update_id");
    const char *status = required(o, "status"), *text = required(o, "description");
    size_t k = 0;
    if (!id || !uid || !status || !text || o311_time_param(o, "updated_datetime", &j->u.updated_at))
        return -1;
    if (j->u.updated_at == 0)
        return o311_fail(o, 400, "updated_datetime was not provided");
    if (str_to_i64(id, &j->case_id) || j->case_id <= 0)
        return o311_fail(o, 404, "service_request_id %.40s not found", id);
    if (strlen(uid) > MAX_UPDATE_ID)
        return o311_fail(o, 400, "update_id is longer than %d bytes", MAX_UPDATE_ID);
    while (k < ARRAY_SIZE(statuses) && strcasecmp(statuses[k], status) != 0)
        k++;
    if (k == ARRAY_SIZE(statuses))
        return o311_fail(o, 400,
                         "status %.40s is not one of OPEN, CLOSED, FIXED, IN_PROGRESS, "
                         "ACTION_SCHEDULED, INVESTIGATING, DUPLICATE, ...",
                         status);
    if (utf8_len(text) > MAX_TEXT)
        return o311_fail(o, 400, "description is longer than %d characters", MAX_TEXT);
    str_copy(j->u.update_id, sizeof j->u.update_id, uid);
    str_copy(j->u.status, sizeof j->u.status, statuses[k]);
    j->u.description = (char *)text;
    j->u.case_id = j->case_id;
    j->u.received_at = time_now();
    j->u.user_id = o->who.user_id;
    j->act = (struct case_action){.act = ACT_COMMENT,
                                  .note = text,
                                  .resolved = -1,
                                  .score = -1,
                                  .confirmed = -1,
                                  .attachments = o311_param(o, "media_url")};
    return 0;
}

int o311_updates_post(struct o311 *o)
{
    struct update_job j = {0};
    struct buf b;
    struct ow w;
    int replay = 0;
    if (o311_auth(o) || build(o, &j))
        return -1;
    if (case_update_receive(o->dom, &o->who, &j.u, &j.act, o->a, &j.seen, &replay, &o->e)) {
        if (replay)
            return o311_fail(o, 400,
                             "Bad request: already exists -- update_id %s was received before "
                             "(update %lld-%d); nothing was changed",
                             j.u.update_id, (long long)j.seen.case_id, j.seen.seq);
        return o311_fail_domain(o);
    }
    o311_begin(o, &b, &w);
    ow_list(&w, "service_request_updates", "request_update");
    ow_obj(&w, NULL);
    ow_str(&w, "update_id", arena_printf(o->a, "%lld-%d", (long long)j.case_id, j.u.seq));
    ow_str(&w, "account_id", o311_param(o, "account_id"));
    ow_obj_end(&w);
    ow_list_end(&w);
    return o311_reply(o, &b);
}
