/* unit.c - checking and adding units. */
#include <string.h>
#include "unit.h"
#include "domain/ident/ident.h"

const char *const unit_kinds[] = {"department", "alliance", "community", "property", "other", NULL};

static int kind_known(const char *kind)
{
    for (const char *const *k = unit_kinds; *k; k++)
        if (strcmp(*k, kind) == 0)
            return 1;
    return 0;
}

int unit_create(struct domain *d, const struct unit_new *in, struct store_unit *u, struct err *e)
{
    const char *kind = in->kind ? in->kind : "department";
    memset(u, 0, sizeof *u);
    if (!kind_known(kind))
        return err_set(e, ERR_INVALID, "kind",
                       "kind must be department, alliance, community, property or other");
    if (in->code == NULL || in->name == NULL || strlen(in->code) < 1 ||
        strlen(in->code) >= sizeof u->code || strlen(in->name) >= sizeof u->name || !*in->name)
        return err_set(e, ERR_INVALID, "name", "code (1..31 bytes) and name are required");
    str_copy(u->code, sizeof u->code, in->code);
    str_copy(u->name, sizeof u->name, in->name);
    str_copy(u->kind, sizeof u->kind, kind);
    if (in->uscc && *in->uscc && ident_uscc_check(in->uscc, u->uscc, e))
        return e->code;
    if (in->phone && *in->phone && ident_phone_check(in->phone, u->phone, sizeof u->phone, e))
        return e->code;
    return store_unit_insert(d->store, u, e);
}
