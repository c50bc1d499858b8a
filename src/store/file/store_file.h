/* store_file.h - uploaded files (photos), named by the SHA-256 of their bytes. */
#ifndef CHUISHAO_STORE_FILE_H
#define CHUISHAO_STORE_FILE_H

#include <stdint.h>
#include "store/store.h"

struct store_file {
    char id[65];        /* SHA-256 of the bytes, 64 lower-case hex digits */
    char type[32];      /* media type, e.g. "image/jpeg" */
    int64_t size;       /* bytes */
    char *data;         /* the bytes (see store_file_get for who owns them) */
    int64_t created_at; /* first upload, unix seconds UTC */
    int64_t created_by; /* who uploaded it first, 0 for the system */
};

/* Stores f (id, type, size bytes at data, created_at, created_by) unless a
 * file with f->id is already there: the id names the bytes, so the stored
 * row is kept as it is. *created (may be NULL) is 1 if a row was added.
 * Writes: call from a job (store_write). ERR_STORE. */
MUST_CHECK int store_file_put(struct store *s, const struct store_file *f, int *created,
                              struct err *e);
/* Reads file id into *out; out->data is from xmalloc (size bytes) and the
 * caller frees it with xfree. ERR_NOTFOUND (field "id") if there is none,
 * ERR_STORE. */
MUST_CHECK int store_file_get(struct store *s, const char *id, struct store_file *out,
                              struct err *e);

#endif
