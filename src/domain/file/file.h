/*
 * file.h - uploaded files: photos of reports and of work done, named by the
 * SHA-256 of their bytes (the same bytes are stored once), of the image
 * types the web app sends, checked by their first bytes.
 */
#ifndef CHUISHAO_FILE_H
#define CHUISHAO_FILE_H

#include "domain/domain.h"
#include "store/file/store_file.h"

/* Largest file taken, in bytes. */
#define FILE_MAX_BYTES (5 * 1024 * 1024)

/* Stores the n bytes at data, sent as media type content_type (parameters
 * after ';' and letter case ignored), on behalf of who. OUT: out->id (the
 * SHA-256, hex), type, size, created_at, created_by (out->data points at
 * data). Errors, with nothing stored: ERR_INVALID (empty), ERR_TOOBIG (over
 * FILE_MAX_BYTES), ERR_UNSUPPORTED (a type not taken, or bytes that are not
 * that type), ERR_STORE. */
MUST_CHECK int file_put(struct domain *d, const struct actor *who, const char *content_type,
                        const char *data, size_t n, struct store_file *out, struct err *e);

#endif
