/* table.c - merging the parts of a table that several subjects contribute
 * (core.h: the API's routes, the command line's commands). */
#include <stdlib.h>
#include <string.h>
#include "core.h"

void *table_merge(const struct table_part *const *parts, size_t n_parts, size_t size,
                  int (*cmp)(const void *, const void *), size_t *n, size_t *dup)
{
    size_t total = 0;
    for (size_t i = 0; i < n_parts; i++)
        total += parts[i]->n;
    char *v = xcalloc(total ? total : 1, size);
    *n = 0;
    for (size_t i = 0; i < n_parts; i++) {
        memcpy(v + *n * size, parts[i]->v, parts[i]->n * size);
        *n += parts[i]->n;
    }
    qsort(v, *n, size, cmp);
    *dup = 0;
    for (size_t i = 1; i < *n && *dup == 0; i++)
        if (cmp(v + (i - 1) * size, v + i * size) == 0)
            *dup = i;
    return v;
}
