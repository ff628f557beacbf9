/*
 * json_parse — cJSON with its allocations in the calling thread's arena (json_parse.h
 * says why the hooks are global but their state is not).
 */
#include "json_parse.h"

#include <stdlib.h>

#include <cJSON.h>

#ifndef __wasm__
#include <pthread.h>
#endif

/* Natively each thread has its own; the wasm modules are single-threaded (and wasm-ld
 * refuses thread-locals without the atomics feature), so plain globals there. */
#ifdef __wasm__
#define PER_THREAD
#else
#define PER_THREAD _Thread_local
#endif

static PER_THREAD arena *current;
static PER_THREAD size_t taken;   /* allocations served from `current` */
static PER_THREAD size_t largest; /* the largest of them, in bytes */

static void *hook_malloc(size_t size) {
    arena *a = current;
    if (!a) return malloc(size);
    taken++;
    if (size > largest) largest = size;
    return arena_alloc_raw(a, size);
}

static void hook_free(void *p) {
    if (!current) free(p);
    /* else: arena memory, released with the arena */
}

static void install_hooks(void) {
    cJSON_Hooks hooks = {hook_malloc, hook_free};
    cJSON_InitHooks(&hooks);
}

#ifdef __wasm__
static void install_once(void) {
    static int installed;
    if (!installed) install_hooks();
    installed = 1;
}
#else
static void install_once(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install_hooks);
}
#endif

nova_status json_parse(arena *a, const char *text, size_t len, cJSON **root, size_t *end,
                       size_t *longest, nova_error *err) {
    install_once();
    const char *stop = NULL;
    arena *outer = current;
    current = a;
    taken = largest = 0;
    *root = cJSON_ParseWithLengthOpts(text, len, &stop, 0);
    size_t served = taken;
    /* A string's block is its bytes in the text minus its backslashes, plus the NUL:
     * at least its decoded length + 1. */
    *longest = largest ? largest - 1 : 0;
    current = outer;
    *end = stop ? (size_t)(stop - text) : 0;
    if (a->failed) {
        *root = NULL;
        return NOVA_E_NOMEM;
    }
    if (*root && !served) { /* a tree of malloc'ed nodes: someone replaced the hooks */
        cJSON_Delete(*root);
        *root = NULL;
        return nova_fail(err, NOVA_E_ARGUMENT, "",
                         "cJSON_InitHooks was called by the program: nova-layers needs "
                         "cJSON's allocator hooks as it installed them");
    }
    return NOVA_OK;
}
