/*
 * ident.h - validation, normalisation and masking of Chinese identifiers:
 * resident ID card numbers (GB 11643-1999), unified social credit codes
 * (GB 32100-2015) and phone numbers (mobile and fixed line).
 *
 * Pure functions: no I/O, no global state, safe from any thread.
 * Inputs are NUL-terminated strings; surrounding spaces are ignored.
 */
#ifndef CHUISHAO_IDENT_H
#define CHUISHAO_IDENT_H

#include <stddef.h>
#include "core/core.h"

/* Size of an output buffer that holds any normalised phone number
 * ("0871-67321111" is the longest form: 13 characters and the NUL). */
#define IDENT_PHONE_SIZE 16

/* Validates a resident ID card number and writes its normalised 18-character
 * form (upper-case 'X') into out, which may alias in.
 *   in:  18 characters (17 digits and a check digit or 'X'/'x'), or a legacy
 *        15-digit number, which is converted (birth year prefixed with "19",
 *        check character computed).
 *   Checks: length, digits, the birth date YYYYMMDD (a real calendar date,
 *   leap years included, year 1800..2999) and the GB 11643 check character.
 * Returns 0, or ERR_INVALID with field "id_card" and a message saying what is
 * wrong (e.g. which check character was expected). out is written only on
 * success. */
MUST_CHECK int ident_idcard_check(const char *in, char out[19], struct err *e);

/* Validates a phone number and writes its normalised form into out (size n;
 * IDENT_PHONE_SIZE is always enough).
 *   Mobile: 11 digits matching 1[3-9]xxxxxxxxx, optionally prefixed by
 *   "+86", "86" or "0086"; written as the 11 digits.
 *   Fixed line: area code (0 and 2 or 3 digits: 010 and 02x have 2, the
 *   others 3) and a local number of 7 or 8 digits not starting with 0 or 1;
 *   written as "0871-67321111".
 *   Spaces and hyphens in the input are ignored.
 * Returns 0, or ERR_INVALID with field "phone" (ERR_INTERNAL when out is too
 * small). out is written only on success. */
MUST_CHECK int ident_phone_check(const char *in, char *out, size_t n, struct err *e);

/* Validates a unified social credit code and writes it upper-cased into out
 * (may alias in): 18 characters from "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I,
 * O, Z, S, V), the last being the GB 32100 check character.
 * Returns 0, or ERR_INVALID with field "uscc" and a message saying what is
 * wrong. out is written only on success. */
MUST_CHECK int ident_uscc_check(const char *in, char out[19], struct err *e);

/* Writes a masked phone number for lists, logs and exports into out (size n,
 * always NUL-terminated when n > 0):
 *   a valid mobile (any accepted form):  "138****1234" (first 3, last 4)
 *   a valid fixed line:                  "0871-******11" (area code, last 2)
 *   anything else: the first and last character kept, every other character
 *   (UTF-8 code point) replaced by '*'; 2 characters or fewer: all '*'.
 * in may be NULL (treated as ""). */
void ident_mask_phone(const char *in, char *out, size_t n);

/* Writes a masked ID card number into out (size n, always NUL-terminated
 * when n > 0): for 15 or 18 characters the first 6 and the last 4 are kept,
 * "110105********002X"; anything else is masked like ident_mask_phone's
 * fallback. in is used as given (not validated); may be NULL. */
void ident_mask_idcard(const char *in, char *out, size_t n);

#endif
