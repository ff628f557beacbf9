/*
 * detector_cache — the detector caches of nova.h (nova_detector_cache_new() and the
 * calls that take one): the own terms of the configurations met last, kept compiled.
 */
#ifndef NOVA_DETECTOR_CACHE_H
#define NOVA_DETECTOR_CACHE_H

#include "detect.h"
#include "nova.h"

/* cfg's own terms from the cache, compiled now on a miss (in the place of the least
 * recently used). NULL when out of memory. Valid until the cache's next lookup or
 * nova_detector_cache_free(). */
const detect_own *detector_cache_get(nova_detector_cache *cache, const detect_config *cfg);

/* How many lookups compiled (missed) so far: what tells a hit from a miss in the tests,
 * where an address cannot (an evicted entry's memory may hold the next one). */
size_t detector_cache_misses(const nova_detector_cache *cache);

#endif
