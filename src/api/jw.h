/*
 * jw.h - a streaming JSON writer into a bounded buffer (api/ only): no
 * allocation per value, escaping done in one pass. Used for the hot response
 * shapes (cases, events, whistles); jansson stays for parsing and for the
 * small, rare shapes.
 */
#ifndef CHUISHAO_JW_H
#define CHUISHAO_JW_H

#include <stdint.h>
#include "core/core.h"

#define JW_MAX_DEPTH 16

struct jw {
    struct buf *b;           /* output */
    int depth;               /* current nesting */
    int count[JW_MAX_DEPTH]; /* values written at each level (for commas) */
    int after_key;           /* 1 right after a key: no comma before the value */
};

void jw_init(struct jw *w, struct buf *b);
void jw_obj(struct jw *w);     /* { */
void jw_obj_end(struct jw *w); /* } */
void jw_arr(struct jw *w);     /* [ */
void jw_arr_end(struct jw *w); /* ] */
void jw_key(struct jw *w, const char *k);
void jw_str(struct jw *w, const char *s); /* NULL writes null */
void jw_int(struct jw *w, int64_t v);
void jw_num(struct jw *w, double v);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);
void jw_time(struct jw *w, int64_t t); /* ISO 8601 +08:00, 0 writes null */
void jw_id(struct jw *w, int64_t v);   /* 0 writes null */
/* A value that is already JSON text (n bytes), such as a stored GeoJSON
 * geometry; the caller vouches that it is valid JSON. */
void jw_raw(struct jw *w, const char *json, size_t n);
/* Convenience: key + value. */
void jw_kstr(struct jw *w, const char *k, const char *s);
void jw_kint(struct jw *w, const char *k, int64_t v);
void jw_kbool(struct jw *w, const char *k, int v);
void jw_ktime(struct jw *w, const char *k, int64_t t);
void jw_kid(struct jw *w, const char *k, int64_t v);

#endif
