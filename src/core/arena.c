/* arena.c - request arenas: bump allocation in chained blocks (see core.h). */
#include <stdio.h>
#include <string.h>
#include "core.h"

#define ARENA_BLOCK 8192

struct arena_block {
    struct arena_block *next; /* older block */
    size_t used;              /* bytes handed out from data */
    size_t size;              /* bytes in data */
    max_align_t data[];       /* the storage */
};

struct arena {
    struct arena_block *head; /* newest block, allocations come from here */
};

struct arena *arena_new(void)
{
    return xcalloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
    struct arena_block *b, *next;
    if (a == NULL)
        return;
    for (b = a->head; b; b = next) {
        next = b->next;
        xfree(b);
    }
    xfree(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
    struct arena_block *b = a->head;
    size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    if (b == NULL || b->size - b->used < n) {
        size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = xmalloc(sizeof *b + size);
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
