/* api_cache.c - the case view cache (see api_cache.h). */
#include <pthread.h>
#include <string.h>
#include "api_cache.h"

#define STRIPES 64 /* locks; slot i is guarded by lock i % STRIPES */

struct entry {
    struct api_cache_key key; /* case_id 0: empty */
    int64_t version;          /* last_seq the answer was made from */
    int64_t valid_until;      /* instant after which it is stale */
    char *body;               /* the answer (heap) */
    size_t len;
};

struct api_cache {
    struct entry slot[API_CACHE_SLOTS];
    pthread_mutex_t lock[STRIPES];
    int64_t hits, misses; /* approximate (updated without the lock) */
};

struct api_cache *api_cache_new(void)
{
    struct api_cache *c = xcalloc(1, sizeof *c);
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_init(&c->lock[i], NULL);
    return c;
}

void api_cache_free(struct api_cache *c)
{
    if (c == NULL)
        return;
    for (int i = 0; i < API_CACHE_SLOTS; i++)
        xfree(c->slot[i].body);
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_destroy(&c->lock[i]);
    xfree(c);
}

int api_cache_viewer_ok(const struct actor *who)
{
    return who->user_id > 0 &&
           (who->role & (ROLE_DISPATCHER | ROLE_LEADER | ROLE_ADMIN | ROLE_HANDLER)) != 0;
}

static unsigned slot_of(const struct api_cache_key *k)
{
    uint64_t h = (uint64_t)k->case_id * 0x9E3779B97F4A7C15ull;
    h ^= ((uint64_t)k->user_id * 0xC2B2AE3D27D4EB4Full) + (uint64_t)k->crs;
    h ^= h >> 29;
    return (unsigned)(h % API_CACHE_SLOTS);
}

static int same_key(const struct api_cache_key *a, const struct api_cache_key *b)
{
    return a->case_id == b->case_id && a->user_id == b->user_id && a->unit_id == b->unit_id &&
           a->role == b->role && a->crs == b->crs;
}

int api_cache_get(struct api_cache *c, const struct api_cache_key *k, int64_t version, int64_t now,
                  char **body, size_t *len)
{
    unsigned i = slot_of(k);
    struct entry *x = &c->slot[i];
    int hit = 0;
    pthread_mutex_lock(&c->lock[i % STRIPES]);
    if (x->body && same_key(&x->key, k) && x->version == version && now < x->valid_until) {
        *body = xmalloc(x->len + 1);
        memcpy(*body, x->body, x->len + 1);
        *len = x->len;
        hit = 1;
    }
    pthread_mutex_unlock(&c->lock[i % STRIPES]);
    __atomic_add_fetch(hit ? &c->hits : &c->misses, 1, __ATOMIC_RELAXED);
    return hit;
}

void api_cache_put(struct api_cache *c, const struct api_cache_key *k, int64_t version, int64_t now,
                   int64_t valid_until, const char *body, size_t len)
{
    unsigned i = slot_of(k);
    struct entry *x = &c->slot[i];
    char *copy = xmalloc(len + 1), *old;
    memcpy(copy, body, len);
    copy[len] = '\0';
    if (valid_until > now + API_CACHE_MAX_AGE)
        valid_until = now + API_CACHE_MAX_AGE;
    pthread_mutex_lock(&c->lock[i % STRIPES]);
    old = x->body;
    x->key = *k;
    x->version = version;
    x->valid_until = valid_until;
    x->body = copy;
    x->len = len;
    pthread_mutex_unlock(&c->lock[i % STRIPES]);
    xfree(old);
}

void api_cache_stats(struct api_cache *c, int64_t *hits, int64_t *misses)
{
    *hits = __atomic_load_n(&c->hits, __ATOMIC_RELAXED);
    *misses = __atomic_load_n(&c->misses, __ATOMIC_RELAXED);
}
