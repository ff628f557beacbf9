/*
 * arena — the one allocator of a call. Every allocation a call makes comes from its
 * arena (cJSON's tree too: json_parse.h), and arena_free() releases all of it at once
 * when the call returns, so no error path can leak.
 *
 * Out of memory, the one convention of the engine (as SQLite's mallocFailed): an
 * allocation failure sets a->failed, which stays set. The function that asked returns
 * its ordinary "did not work" value (NULL, -1, 0, or NOVA_E_NOMEM where it returns a
 * status) and writes no error message; nothing below the API records out_of_memory.
 * api.c alone looks at a->failed when the call ends and turns it into the
 * out_of_memory result, whatever else was recorded (an error after a failed allocation
 * may be its consequence).
 */
#ifndef NOVA_ARENA_H
#define NOVA_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

typedef struct arena {
    unsigned char *next, *end; /* the free part of the current chunk */
    arena_chunk *head;  /* newest chunk first */
    size_t chunks;      /* how many; each new one is larger (fewer mallocs for big calls) */
    int failed;         /* set once any allocation has failed */
} arena;

#define ARENA_ALIGN 16u

void arena_init(arena *a);
void arena_free(arena *a);

/* Zeroed, 16-byte aligned memory valid until arena_free(); NULL (and a->failed) on OOM. */
void *arena_alloc(arena *a, size_t size);

/* The same, not zeroed: for memory the caller fills at once. Inline: cJSON's nodes and
 * every string of a request come through here. */
void *arena_alloc_chunk(arena *a, size_t size); /* the slow path: a new chunk */

static inline void *arena_alloc_raw(arena *a, size_t size) {
    size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need - 1 < (size_t)(a->end - a->next)) { /* size 0 (need 0) takes the slow path */
        void *p = a->next;
        a->next += need;
        return p;
    }
    return arena_alloc_chunk(a, size);
}

/* Array allocation with overflow check: zeroed, or not (the caller fills it). */
void *arena_array(arena *a, size_t count, size_t elem_size);
void *arena_array_raw(arena *a, size_t count, size_t elem_size);

/* A NUL-terminated copy of len bytes of s. */
char *arena_strndup(arena *a, const char *s, size_t len);

#endif
