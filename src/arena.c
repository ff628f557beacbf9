#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The first chunk holds 64 KiB (a typical request needs one or two); each later one
 * doubles, up to 2 MiB, so an 8 MiB request takes a handful of mallocs, not hundreds.
 * A larger single allocation gets a chunk of its own. */
#define ARENA_CHUNK_MIN (64u * 1024u)
#define ARENA_CHUNK_GROWTH_MAX 5

struct arena_chunk {
    arena_chunk *next;
    _Alignas(16) unsigned char data[];
};

void arena_init(arena *a) {
    a->next = a->end = NULL;
    a->head = NULL;
    a->chunks = 0;
    a->failed = 0;
}

void arena_free(arena *a) {
    arena_chunk *c = a->head;
    while (c) {
        arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->next = a->end = NULL;
    a->head = NULL;
    a->chunks = 0;
}

void *arena_alloc_chunk(arena *a, size_t size) {
    if (size > SIZE_MAX / 2) {
        a->failed = 1;
        return NULL;
    }
    size = size ? (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1) : ARENA_ALIGN;
    if (a->next && size <= (size_t)(a->end - a->next)) { /* a zero-byte request that fits */
        void *p = a->next;
        a->next += size;
        return p;
    }
    size_t grown = (size_t)ARENA_CHUNK_MIN
                   << (a->chunks < ARENA_CHUNK_GROWTH_MAX ? a->chunks : ARENA_CHUNK_GROWTH_MAX);
    size_t cap = size > grown ? size : grown;
    arena_chunk *c = malloc(sizeof(arena_chunk) + cap);
    if (!c) {
        a->failed = 1;
        return NULL;
    }
    if (a->head && cap == size) {
        /* A one-off big block: keep allocating from the current chunk. */
        c->next = a->head->next;
        a->head->next = c;
        return c->data;
    }
    c->next = a->head;
    a->head = c;
    a->chunks++;
    a->next = c->data + size;
    a->end = c->data + cap;
    return c->data;
}

void *arena_alloc(arena *a, size_t size) {
    void *p = arena_alloc_raw(a, size);
    if (p) memset(p, 0, size);
    return p;
}

void *arena_array(arena *a, size_t count, size_t elem_size) {
    if (elem_size && count > SIZE_MAX / elem_size) {
        a->failed = 1;
        return NULL;
    }
    return arena_alloc(a, count * elem_size);
}

void *arena_array_raw(arena *a, size_t count, size_t elem_size) {
    if (elem_size && count > SIZE_MAX / elem_size) {
        a->failed = 1;
        return NULL;
    }
    return arena_alloc_raw(a, count * elem_size);
}

char *arena_strndup(arena *a, const char *s, size_t len) {
    char *p = arena_alloc_raw(a, len + 1);
    if (!p) return NULL;
    if (len) memcpy(p, s, len);
    p[len] = '\0';
    return p;
}
