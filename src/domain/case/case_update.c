/* case_update.c - updates that another system sends about a case (Open311
 * servicerequestupdates): each update id is taken once and becomes a
 * comment on the case; a repeat changes nothing. */
#include "case_int.h"
#include "store/open311/store_open311.h"

struct update_job {
    struct domain *d;               /* rules */
    const struct actor *who;        /* the sender's account */
    struct store_o311_update *u;    /* the update (seq set here) */
    const struct case_action *act;  /* the comment it becomes */
    struct arena *a;                /* for reads */
    struct store_o311_update *seen; /* the earlier record of a repeat */
    int *replay;                    /* set to 1 for a repeat */
};

static int job_update(struct store *s, void *arg, struct err *e)
{
    struct update_job *j = arg;
    struct store_case k;
    int rc = store_o311_update_get(s, j->u->update_id, j->a, j->seen, e);
    if (rc == 0) {
        *j->replay = 1;
        return err_set(e, ERR_CONFLICT, "update_id", "update_id %s was received before",
                       j->u->update_id);
    }
    if (rc != ERR_NOTFOUND)
        return rc;
    if ((rc = case_act(j->d, j->who, j->u->case_id, j->act, j->a, &k, e)))
        return rc;
    j->u->seq = k.last_seq;
    return store_o311_update_insert(s, j->u, e);
}

int case_update_receive(struct domain *d, const struct actor *who, struct store_o311_update *u,
                        const struct case_action *act, struct arena *a,
                        struct store_o311_update *seen, int *replay, struct err *e)
{
    struct update_job j = {d, who, u, act, a, seen, replay};
    *replay = 0;
    if (act->act != ACT_COMMENT)
        return err_set(e, ERR_INTERNAL, NULL, "an update becomes a comment");
    return store_write(d->store, job_update, &j, e);
}
