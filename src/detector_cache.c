/*
 * detector_cache — nova_detector_cache_new(), nova_detector_cache_free() and the lookup
 * behind nova_assemble_cached() / nova_detect_cached() (api.c). A cache keeps the own
 * terms (detect.h: detect_own) of up to NOVA_DETECTOR_CACHE_SIZE configurations, each in
 * an arena of its own, and replaces the least recently used one on a miss. Lookup
 * compares the terms themselves, not a hash of them: two configurations never share an
 * entry, and the first differing term (or count) ends a comparison.
 */
#include "detector_cache.h"

#include <stdint.h>
#include <stdlib.h>

typedef struct slot {
    arena a;            /* all of own */
    const detect_own *own; /* NULL: an empty slot */
    uint64_t used;      /* the cache's clock at its last use (0: never) */
} slot;

struct nova_detector_cache {
    slot slots[NOVA_DETECTOR_CACHE_SIZE];
    uint64_t clock;
    size_t misses;      /* lookups that compiled (detector_cache_misses) */
};

nova_detector_cache *nova_detector_cache_new(void) {
    return calloc(1, sizeof(nova_detector_cache)); /* zeroed arenas are empty ones */
}

void nova_detector_cache_free(nova_detector_cache *cache) {
    if (!cache) return;
    for (size_t i = 0; i < NOVA_DETECTOR_CACHE_SIZE; i++) arena_free(&cache->slots[i].a);
    free(cache);
}

const detect_own *detector_cache_get(nova_detector_cache *cache, const detect_config *cfg) {
    slot *oldest = &cache->slots[0];
    for (size_t i = 0; i < NOVA_DETECTOR_CACHE_SIZE; i++) {
        slot *s = &cache->slots[i];
        if (s->own && detect_own_matches(s->own, cfg)) {
            s->used = ++cache->clock;
            return s->own;
        }
        if (s->used < oldest->used) oldest = s;
    }
    cache->misses++;
    arena a, tmp;
    arena_init(&a);
    arena_init(&tmp);
    const detect_own *own = detect_own_build(&a, &tmp, cfg);
    arena_free(&tmp);
    if (!own) { /* the slot keeps what it had */
        arena_free(&a);
        return NULL;
    }
    arena_free(&oldest->a);
    oldest->a = a; /* the arena's chunk list as it is now: all of own */
    oldest->own = own;
    oldest->used = ++cache->clock;
    return own;
}

size_t detector_cache_misses(const nova_detector_cache *cache) { return cache->misses; }
