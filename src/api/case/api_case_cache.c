/* api_case_cache.c - the case view cache (see api_cache.h). */
#include <pthread.h>
#include <string.h>
#include "api_case_cache.h"
#include "domain/case/case.h"

#define STRIPES         64 /* locks; slot i is guarded by lock i % STRIPES */
#define ENTRY_COST(len) ((int64_t)((len) + 1 + sizeof(struct entry))) /* bytes an entry holds */

struct entry {
    struct api_case_cache_key key; /* case_id 0: empty */
    int64_t version;               /* the store generation the answer reflects at least */
    int64_t valid_until;           /* instant after which it is stale */
    char *body;                    /* the answer (heap) */
    size_t len;
};

struct api_case_cache {
    struct entry *slot; /* n_slots entries */
    size_t n_slots;     /* a power of two */
    int64_t max_bytes;  /* budget for the answers held (after the slots) */
    int64_t bytes;      /* held now (atomic; may dip below 0 for a moment) */
    size_t hand;        /* next slot to evict from when over budget (atomic) */
    pthread_mutex_t lock[STRIPES];
    int64_t hits, misses; /* approximate (updated without the lock) */
};

struct api_case_cache *api_case_cache_new(size_t max_bytes)
{
    struct api_case_cache *c = xcalloc(1, sizeof *c);
    size_t want = max_bytes / API_CACHE_BYTES_PER_SLOT;
    c->n_slots = 1024;
    while (c->n_slots < want && c->n_slots < ((size_t)1 << 24))
        c->n_slots *= 2;
    c->slot = xcalloc(c->n_slots, sizeof *c->slot);
    /* The slots count against the budget too. */
    c->max_bytes = (int64_t)max_bytes - (int64_t)(c->n_slots * sizeof *c->slot);
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_init(&c->lock[i], NULL);
    return c;
}

void api_case_cache_free(struct api_case_cache *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n_slots; i++)
        xfree(c->slot[i].body);
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_destroy(&c->lock[i]);
    xfree(c->slot);
    xfree(c);
}

int api_case_cache_viewer_ok(const struct actor *who)
{
    return who->user_id > 0 && case_view_cacheable(who);
}

static size_t slot_of(const struct api_case_cache *c, const struct api_case_cache_key *k)
{
    uint64_t h = (uint64_t)k->case_id * 0x9E3779B97F4A7C15ull;
    h ^= ((uint64_t)k->user_id * 0xC2B2AE3D27D4EB4Full) + (uint64_t)k->crs;
    h ^= h >> 29;
    return (size_t)(h & (c->n_slots - 1));
}

/* Empties slot i (under its lock); returns the bytes freed. */
static int64_t drop(struct api_case_cache *c, size_t i)
{
    struct entry *x = &c->slot[i];
    pthread_mutex_lock(&c->lock[i % STRIPES]);
    char *body = x->body;
    int64_t freed = body ? ENTRY_COST(x->len) : 0;
    x->body = NULL;
    x->key.case_id = 0;
    pthread_mutex_unlock(&c->lock[i % STRIPES]);
    xfree(body);
    if (freed)
        __atomic_sub_fetch(&c->bytes, freed, __ATOMIC_RELAXED);
    return freed;
}

static int same_key(const struct api_case_cache_key *a, const struct api_case_cache_key *b)
{
    return a->case_id == b->case_id && a->user_id == b->user_id && a->unit_id == b->unit_id &&
           a->role == b->role && a->crs == b->crs;
}

int api_case_cache_get(struct api_case_cache *c, const struct api_case_cache_key *k,
                       int64_t version, int64_t now, char **body, size_t *len)
{
    size_t i = slot_of(c, k);
    struct entry *x = &c->slot[i];
    int hit = 0;
    pthread_mutex_lock(&c->lock[i % STRIPES]);
    if (x->body && same_key(&x->key, k) && x->version >= version && now < x->valid_until) {
        *body = xmalloc(x->len + 1);
        memcpy(*body, x->body, x->len + 1);
        *len = x->len;
        hit = 1;
    }
    pthread_mutex_unlock(&c->lock[i % STRIPES]);
    __atomic_add_fetch(hit ? &c->hits : &c->misses, 1, __ATOMIC_RELAXED);
    return hit;
}

void api_case_cache_put(struct api_case_cache *c, const struct api_case_cache_key *k,
                        int64_t version, int64_t now, int64_t valid_until, const char *body,
                        size_t len)
{
    size_t i = slot_of(c, k);
    int64_t cost = ENTRY_COST(len);
    if (cost > c->max_bytes / 8) /* an answer too big to be worth a place (or no budget) */
        return;
    drop(c, i); /* what it replaces */
    /* Over budget: empty slots ahead of a moving hand (in effect at random)
     * until the answer fits; give up after a bounded sweep. */
    for (int n = 0; n < 64 && __atomic_load_n(&c->bytes, __ATOMIC_RELAXED) + cost > c->max_bytes;
         n++)
        drop(c, __atomic_fetch_add(&c->hand, 1, __ATOMIC_RELAXED) & (c->n_slots - 1));
    if (__atomic_load_n(&c->bytes, __ATOMIC_RELAXED) + cost > c->max_bytes)
        return;
    struct entry *x = &c->slot[i];
    char *copy = xmalloc(len + 1), *old;
    int64_t old_cost = 0;
    memcpy(copy, body, len);
    copy[len] = '\0';
    if (valid_until > now + API_CACHE_MAX_AGE)
        valid_until = now + API_CACHE_MAX_AGE;
    pthread_mutex_lock(&c->lock[i % STRIPES]);
    old = x->body; /* another thread's answer put meanwhile */
    if (old)
        old_cost = ENTRY_COST(x->len);
    x->key = *k;
    x->version = version;
    x->valid_until = valid_until;
    x->body = copy;
    x->len = len;
    pthread_mutex_unlock(&c->lock[i % STRIPES]);
    xfree(old);
    __atomic_add_fetch(&c->bytes, cost, __ATOMIC_RELAXED);
    if (old_cost)
        __atomic_sub_fetch(&c->bytes, old_cost, __ATOMIC_RELAXED);
}

size_t api_case_cache_bytes(struct api_case_cache *c)
{
    int64_t b = __atomic_load_n(&c->bytes, __ATOMIC_RELAXED);
    return b > 0 ? (size_t)b : 0;
}

void api_case_cache_stats(struct api_case_cache *c, int64_t *hits, int64_t *misses)
{
    *hits = __atomic_load_n(&c->hits, __ATOMIC_RELAXED);
    *misses = __atomic_load_n(&c->misses, __ATOMIC_RELAXED);
}
