/* mem.c - allocation wrappers that abort on out-of-memory (see core.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

static void *mem_check(void *p, size_t n)
{
    if (p == NULL && n != 0) {
        fprintf(stderr, "chuishao: out of memory (%zu bytes)\n", n);
        abort();
    }
    return p;
}

void *xmalloc(size_t n)
{
    return mem_check(malloc(n ? n : 1), n);
}

void *xcalloc(size_t n, size_t size)
{
    return mem_check(calloc(n ? n : 1, size ? size : 1), n * size);
}

void *xrealloc(void *p, size_t n)
{
    return mem_check(realloc(p, n ? n : 1), n);
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void xfree(void *p)
{
    free(p);
}
