/* domain.c - the domain handle: roles, who may use which door, and the
 * table of subjects whose reference data dom_seed adds and whose loaded
 * state dom_open builds. */
#include <string.h>
#include "domain_int.h"

static const char *const role_table[] = {"resident", "grid",   "dispatcher",
                                         "handler",  "leader", "admin"};

int role_parse(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(role_table); i++)
        if (name && strcmp(role_table[i], name) == 0)
            return 1 << i;
    return 0;
}

const char *role_name(int role)
{
    for (size_t i = 0; i < ARRAY_SIZE(role_table); i++)
        if (role == 1 << i)
            return role_table[i];
    return "";
}

int role_names(int roles, const char **out, int max)
{
    int n = 0;
    for (size_t i = 0; i < ARRAY_SIZE(role_table) && n < max; i++)
        if (roles & (1 << i))
            out[n++] = role_table[i];
    return n;
}

void dom_actor_system(struct actor *out)
{
    *out = (struct actor){.role = ROLE_ADMIN};
    str_copy(out->username, sizeof out->username, "system");
}

void dom_actor_reader(struct actor *out, const char *name)
{
    *out = (struct actor){.role = ROLE_LEADER};
    str_copy(out->username, sizeof out->username, name);
}

/* The roles of each access level (ACCESS_PUBLIC: no sign-in needed). */
static const int access_roles[] = {
    [ACCESS_PUBLIC] = 0,
    [ACCESS_USER] = ROLE_ALL,
    [ACCESS_CASEWORK] = ROLE_DISPATCHER | ROLE_LEADER | ROLE_ADMIN | ROLE_HANDLER,
    [ACCESS_STAFF] = ROLE_DISPATCHER | ROLE_LEADER | ROLE_ADMIN,
    [ACCESS_ADMIN] = ROLE_ADMIN,
};

int dom_access(const struct actor *who, int access, struct err *e)
{
    if (access < 0 || (size_t)access >= ARRAY_SIZE(access_roles))
        return err_set(e, ERR_INTERNAL, NULL, "unknown access level %d", access);
    if (access == ACCESS_PUBLIC || (who->role & access_roles[access]))
        return 0;
    if (who->role == 0)
        return err_set(e, ERR_AUTH, NULL, "sign in first");
    return err_set(e, ERR_DENIED, NULL, "a %s may not do this", role_name(who->role));
}

int dom_may_act_for(const struct actor *who, int64_t user_id, const char *field, struct err *e)
{
    if (who->role == ROLE_ADMIN || (who->user_id != 0 && who->user_id == user_id))
        return 0;
    return err_set(e, ERR_DENIED, field, "only an admin may do this for another account");
}

int dom_account_check(const char *name, int64_t unit_id, int *role, struct err *e)
{
    *role = role_parse(name);
    if (*role == 0)
        return err_set(e, ERR_INVALID, "role", "unknown role '%s'", name ? name : "");
    if (*role == ROLE_HANDLER && unit_id <= 0)
        return err_set(e, ERR_INVALID, "unit", "a handler must belong to a unit");
    return 0;
}

/* ---- the subjects -------------------------------------------------------------- */

/* One subject's hooks (domain_int.h); NULL where it has nothing to do. */
static const struct dom_subject {
    const char *name;                             /* for messages */
    int (*seed)(struct store *s, struct err *e);  /* inside dom_seed's write */
    int (*open)(struct domain *d, struct err *e); /* at dom_open */
    void (*close)(struct domain *d);              /* at dom_close */
} subjects[] = {
    {"calendar", dom__calendar_seed, dom__calendar_open, dom__calendar_close},
    {"case", case__ref_seed, case__ref_open, case__ref_close},
    {"place", NULL, place__open, place__close},
};

static int job_seed(struct store *s, void *arg, struct err *e)
{
    (void)arg;
    for (size_t i = 0; i < ARRAY_SIZE(subjects); i++) {
        int rc = subjects[i].seed ? subjects[i].seed(s, e) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

int dom_seed(struct store *s, struct err *e)
{
    return store_write(s, job_seed, NULL, e);
}

int dom_open(struct store *s, struct domain **out, struct err *e)
{
    struct domain *d = xcalloc(1, sizeof *d);
    d->store = s;
    pthread_rwlock_init(&d->geo_lock, NULL);
    for (size_t i = 0; i < ARRAY_SIZE(subjects); i++) {
        int rc = subjects[i].open ? subjects[i].open(d, e) : 0;
        if (rc) {
            dom_close(d);
            return rc;
        }
    }
    *out = d;
    return 0;
}

void dom_close(struct domain *d)
{
    if (d == NULL)
        return;
    for (size_t i = ARRAY_SIZE(subjects); i-- > 0;)
        if (subjects[i].close)
            subjects[i].close(d);
    pthread_rwlock_destroy(&d->geo_lock);
    xfree(d);
}
