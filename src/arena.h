/*
 * arena — the one allocator of a call. Every allocation a call makes comes from its
 * arena, and arena_free() releases all of it at once when the call returns, so no
 * error path can leak. Allocation failure is sticky: after the first NULL, a->failed
 * stays set and the API entry reports NOVA_E_NOMEM.
 */
#ifndef NOVA_ARENA_H
#define NOVA_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

typedef struct arena {
    arena_chunk *head;  /* newest chunk first */
    int failed;         /* set once any allocation has failed */
} arena;

void arena_init(arena *a);
void arena_free(arena *a);

/* Zeroed, 16-byte aligned memory valid until arena_free(); NULL (and a->failed) on OOM. */
void *arena_alloc(arena *a, size_t size);

/* Array allocation with overflow check. */
void *arena_array(arena *a, size_t count, size_t elem_size);

/* A NUL-terminated copy of len bytes of s. */
char *arena_strndup(arena *a, const char *s, size_t len);

#endif
