/*
 * core.h - the few things every module uses: error codes and the error
 * context, allocation that aborts on out-of-memory, request arenas, bounded
 * buffers and UTC/Asia-Shanghai time helpers.
 *
 * core/ includes nothing from the project above it.
 */
#ifndef CHUISHAO_CORE_H
#define CHUISHAO_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* ---- errors -------------------------------------------------------------
 * Functions that can fail return int: 0 on success or a negative ERR_* code.
 * The numbers are stable and never renumbered; add new ones at the end. One
 * table (err.c) gives each its stable name, its HTTP status and the CLI's
 * exit code, for every door: the JSON API, Open311, the HTTP server's own
 * refusals and the command line. */
enum {
    ERR_OK = 0,
    ERR_NOMEM = -1,        /* allocation failed */
    ERR_INVALID = -2,      /* the caller's input is wrong (message says how) */
    ERR_NOTFOUND = -3,     /* a named thing does not exist (or is not visible) */
    ERR_CONFLICT = -4,     /* the request is valid but not in the current state */
    ERR_DENIED = -5,       /* the caller may not do this */
    ERR_STORE = -6,        /* the database failed */
    ERR_AGAIN = -7,        /* busy; the same call may succeed later */
    ERR_AUTH = -8,         /* no or bad credentials */
    ERR_TOOBIG = -9,       /* input larger than the limit */
    ERR_INTERNAL = -10,    /* a bug or an impossible condition */
    ERR_UNSUPPORTED = -11, /* method/format not supported */
    ERR_UNSYNCED = -12,    /* written, but the disk failed to sync it: it may be lost */
    /* Faults of a request as it arrives (from -100). */
    ERR_JSON = -100,   /* the body is not JSON */
    ERR_FIELD = -101,  /* an unknown field */
    ERR_TYPE = -102,   /* a field of the wrong type */
    ERR_UTF8 = -103,   /* invalid UTF-8 */
    ERR_ROUTE = -104,  /* no such endpoint */
    ERR_METHOD = -105, /* the endpoint exists, the method does not */
};

/* Error context filled by the first failing function (first error wins).
 * `field` names the offending input field when there is one. */
struct err {
    int code;       /* ERR_* of the first error, 0 when none */
    char field[64]; /* offending input field, "" when not applicable */
    char msg[256];  /* human-readable message (UTF-8) */
};

/* On a function that returns an ERR_* code: ignoring the result is a
 * compile error (-Werror), so no failure goes unchecked by accident; cast
 * to (void) where ignoring it is the decision, with a comment why. */
#define MUST_CHECK __attribute__((warn_unused_result))

/* Records an error in e (if e is non-NULL and holds none yet) and returns
 * code, so callers can write `return err_set(e, ERR_INVALID, "x", "...")`.
 * field may be NULL. */
int err_set(struct err *e, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Clears e. */
void err_clear(struct err *e);
/* Stable lower-case name of an ERR_* code, e.g. "invalid" (docs/api.md
 * "Errors"); "internal" for a code that is not in the table. */
const char *err_name(int code);
/* The HTTP status that answers an ERR_* code (500 if unknown). */
int err_http_status(int code);
/* The command line's exit code for an ERR_* code (7 if unknown). */
int err_exit_code(int code);

/* ---- memory ------------------------------------------------------------- */
/* Allocation wrappers: they never return NULL; on out-of-memory they print a
 * message and abort (an application, like Fossil and Redis). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void xfree(void *p);

/* A request arena: many small allocations freed together by arena_free().
 * Not thread-safe; one arena per request or per job. */
struct arena;
struct arena *arena_new(void);
void arena_free(struct arena *a);
/* Returns n bytes aligned for any type, zeroed; lives until arena_free. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A growable byte buffer with a hard maximum (curl dynbuf): appends past
 * `max` fail with ERR_TOOBIG and leave the buffer unchanged. */
struct buf {
    char *data;   /* NUL-terminated contents (NULL until first append) */
    size_t len;   /* bytes used, excluding the NUL */
    size_t cap;   /* bytes allocated */
    size_t max;   /* largest allowed len */
    int overflow; /* set once an append was refused for passing max */
};
void buf_init(struct buf *b, size_t max);
/* Appends n bytes (see buf_append); the slow path grows the buffer. */
int buf__append_slow(struct buf *b, const void *p, size_t n);
/* Appends n bytes; ERR_TOOBIG past max (the buffer is then unchanged). */
static inline int buf_append(struct buf *b, const void *p, size_t n)
{
    if (b->cap - b->len > n && b->data) { /* fast path: room for n bytes and the NUL */
        __builtin_memcpy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = '\0';
        return 0;
    }
    return buf__append_slow(b, p, n);
}
/* Makes room for n more bytes without appending; ERR_TOOBIG past max. */
int buf_reserve(struct buf *b, size_t n);
/* Takes the contents out of b (caller frees with xfree; NULL if empty) and
 * leaves b empty. */
char *buf_take(struct buf *b);
int buf_appendf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/* ---- strings ------------------------------------------------------------ */
/* 1 if s (n bytes) is well-formed UTF-8 without NUL bytes, else 0. */
int utf8_valid(const char *s, size_t n);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_len(const char *s);
/* Replaces every byte of s that is not part of valid UTF-8 with '?'. */
void str_utf8_fix(char *s);
/* Copies src into dst (size dsz), always NUL-terminating and never cutting
 * a UTF-8 character in two; returns strlen(src). */
size_t str_copy(char *dst, size_t dsz, const char *src);
/* Parses a decimal int64 from the whole of s; 0 on success, ERR_INVALID otherwise. */
int str_to_i64(const char *s, int64_t *out);

/* ---- time ---------------------------------------------------------------
 * Instants are int64 seconds since the Unix epoch (UTC). Civil dates and
 * clock times are in Asia/Shanghai, which has been UTC+8 without daylight
 * saving since 1991. Days are counted as "day numbers" since 1970-01-01. */
#define TIME_CN_OFFSET (8 * 3600)
/* Current instant. Tests may pin it with the environment variable
 * CHUISHAO_NOW (an ISO 8601 instant), read once per process. */
int64_t time_now(void);
/* Pins time_now() to t for this process; t = -1 returns to $CHUISHAO_NOW or
 * the real clock. For simulations
 * that generate history, like the demo data; not thread-safe. */
void time_pin(int64_t t);
/* Day number of a civil date; 0 on success, ERR_INVALID on a bad date. */
int time_days_from_civil(int y, int m, int d, int64_t *days);
void time_civil_from_days(int64_t days, int *y, int *m, int *d);
/* Parses "YYYY-MM-DD" strictly into a day number. */
int time_parse_date(const char *s, int64_t *days);
/* Formats a day number as "YYYY-MM-DD" into out (at least 11 bytes). */
void time_format_date(int64_t days, char *out);
/* Day of week of a day number: 1 = Monday ... 7 = Sunday. */
int time_weekday(int64_t days);
/* Parses ISO 8601 "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]" or a bare date
 * ("YYYY-MM-DD", meaning 00:00 China time). A time without a zone is China
 * time. 0 on success, ERR_INVALID otherwise. */
int time_parse_iso(const char *s, int64_t *t);
/* Formats t as "YYYY-MM-DDTHH:MM:SS+08:00" into out (at least 26 bytes). */
void time_format_iso(int64_t t, char *out);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- tables contributed by subjects ---------------------------------------
 * A table (the API's routes, the CLI's commands) whose rows come from
 * several subjects, each giving one part. */
struct table_part {
    const char *subject; /* for messages */
    const void *v;       /* its rows */
    size_t n;            /* their number */
};
#define TABLE_PART(name, subject, rows)                                                            \
    const struct table_part name = {subject, rows, sizeof(rows) / sizeof((rows)[0])}
/* Concatenates the parts' rows (size bytes each) into one array sorted by
 * cmp (xmalloc: the caller keeps or frees it). OUT: *n rows; *dup the index
 * of the first row equal to the one before it (0 if none: the rows are
 * unique). */
void *table_merge(const struct table_part *const *parts, size_t n_parts, size_t size,
                  int (*cmp)(const void *, const void *), size_t *n, size_t *dup);

#endif
