/*
 * api_case_cache.h - a cache of full case views (GET /cases/{id}) by case and
 * viewer, for the staff who read cases most.
 *
 * An entry is the finished JSON answer, tagged with the version (the store's
 * change generation, store_gen) it reflects at least. It is valid while no
 * change of the case came later (store_case_gen: every change of a case is
 * an event, and the store marks the cases each commit wrote), until the next
 * deadline of the case passes (the overdue and at-risk marks change then)
 * and for at most API_CACHE_MAX_AGE seconds (names of users and units shown
 * in it may change without an event). A hit reads no database at all.
 *
 * Only viewers whose right to see a case changes through the case's own
 * events are served from it: dispatchers, leaders, admins (all cases) and
 * handlers (their unit's cases). Residents and grid workers, whose rights
 * also follow followings and grid teams, are always answered afresh.
 *
 * Direct-mapped: a slot per (case, viewer) hash, the newest entry wins.
 * The answers held stay within a byte budget (`serve --cache-mb`): past it,
 * a put first empties slots ahead of a moving hand. Thread-safe (striped
 * locks).
 */
#ifndef CHUISHAO_API_CASE_CACHE_H
#define CHUISHAO_API_CASE_CACHE_H

#include "domain/domain.h"
#include "api/api.h"

#define API_CACHE_MAX_AGE        30  /* seconds */
#define API_CACHE_BYTES_PER_SLOT 512 /* slots: a power of two near budget / this */

/* Who looks at which case, in which coordinate system: what an answer
 * depends on besides the case. */
struct api_case_cache_key {
    int64_t case_id;
    int64_t user_id;
    int64_t unit_id;
    int role;
    int crs;
};

struct api_case_cache;
/* A cache holding at most max_bytes of answers (0: holds nothing). */
struct api_case_cache *api_case_cache_new(size_t max_bytes);
void api_case_cache_free(struct api_case_cache *c);

/* 1 if the viewer's answers may be cached (see above). */
int api_case_cache_viewer_ok(const struct actor *who);

/* On a hit (same key, made at version `version` or later, not expired at
 * now) copies the answer into a new heap buffer *body (caller frees with
 * xfree), *len bytes, and returns 1; else 0. */
int api_case_cache_get(struct api_case_cache *c, const struct api_case_cache_key *k,
                       int64_t version, int64_t now, char **body, size_t *len);

/* Stores an answer made at `version`, valid until the instant
 * valid_until (capped at now + API_CACHE_MAX_AGE). */
void api_case_cache_put(struct api_case_cache *c, const struct api_case_cache_key *k,
                        int64_t version, int64_t now, int64_t valid_until, const char *body,
                        size_t len);

/* The bytes held now by answers and their entries (the slot array, which
 * also counts against the budget, is not included). */
size_t api_case_cache_bytes(struct api_case_cache *c);

/* Counters for benchmarks and tests. */
void api_case_cache_stats(struct api_case_cache *c, int64_t *hits, int64_t *misses);

#endif
