/*
 * fuzz.h - what the fuzz targets share (fuzz/README.md): the libFuzzer entry
 * points, an invariant check that works under libFuzzer and under the gcc
 * replay driver (fuzz/replay.c), input helpers, and a small database built
 * once per process (fuzz/fixture.c) for the targets that need one.
 */
#ifndef CHUISHAO_FUZZ_H
#define CHUISHAO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "core/core.h"
#include "domain/domain.h"

struct api;

/* The entry points libFuzzer calls (and fuzz/replay.c, once per file). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An invariant: when it does not hold, say which and abort, which both
 * libFuzzer and the replay driver report as a crash. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A NUL-terminated copy of n bytes at p (from xmalloc: the caller xfrees
 * it). An embedded NUL ends the string, as it would in a C API. */
char *fuzz_strndup(const void *p, size_t n);

/* The next line of [*p, end) (without its '\n') into *line and *len;
 * 0 when none is left. */
int fuzz_next_line(const char **p, const char *end, const char **line, size_t *len);

/* Percent-decodes s (n bytes) into the arena as libmicrohttpd does for a
 * URL: %XX becomes the byte, a malformed escape is kept as it is, and
 * plus (if set) turns '+' into a space (query strings). The result is
 * NUL-terminated, so a %00 ends it. */
char *fuzz_url_decode(struct arena *a, const char *s, size_t n, int plus);

/* Actors of the fixture, by fuzz_actor's index. */
enum {
    FUZZ_SYSTEM,     /* the system administrator (the CLI's default) */
    FUZZ_DISPATCHER, /* the command centre */
    FUZZ_LEADER,     /* a leader */
    FUZZ_RESIDENT,   /* a resident who reported some of the cases */
    FUZZ_GRID,       /* the grid worker of the first grid */
    FUZZ_HANDLER,    /* a handler of the unit the cases were dispatched to */
    FUZZ_ACTORS
};

/* The fixture: a database in a temporary directory with the built-in
 * reference data, the demo boundary set (Liujia: 10 communities, 240
 * grids), one user of each role and a dozen located cases, some
 * registered and dispatched; time pinned to 2020-03-02 10:00 China time.
 * Built on the first call, removed at exit; aborts if it cannot be built. */
struct fuzz_db {
    struct store *store;              /* the store */
    struct domain *dom;               /* its domain */
    struct api *api;                  /* the API over them */
    struct actor actors[FUZZ_ACTORS]; /* by FUZZ_* */
    int64_t case_ids[16];             /* the cases created */
    int n_cases;                      /* their number */
};
struct fuzz_db *fuzz_db(void);

/* The actor named name ("system", "dispatcher", "leader", "resident",
 * "grid", "handler"; n bytes), or NULL for "public" and any other name. */
const struct actor *fuzz_actor(struct fuzz_db *db, const char *name, size_t n);

#endif
