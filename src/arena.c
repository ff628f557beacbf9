#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Chunks of at least 64 KiB keep the malloc count low for typical requests; a larger
 * single allocation gets a chunk of its own. */
#define ARENA_CHUNK_MIN (64u * 1024u)
#define ARENA_ALIGN 16u

struct arena_chunk {
    arena_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

void arena_init(arena *a) {
    a->head = NULL;
    a->failed = 0;
}

void arena_free(arena *a) {
    arena_chunk *c = a->head;
    while (c) {
        arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}

void *arena_alloc(arena *a, size_t size) {
    if (size == 0) size = 1;
    if (size > SIZE_MAX - ARENA_ALIGN - sizeof(arena_chunk)) {
        a->failed = 1;
        return NULL;
    }
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    arena_chunk *c = a->head;
    if (!c || c->cap - c->used < size) {
        size_t cap = size > ARENA_CHUNK_MIN ? size : ARENA_CHUNK_MIN;
        c = malloc(sizeof(arena_chunk) + cap);
        if (!c) {
            a->failed = 1;
            return NULL;
        }
        c->used = 0;
        c->cap = cap;
        /* Keep the partly used chunk in front when the new one is a one-off big block. */
        if (a->head && cap == size) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

void *arena_array(arena *a, size_t count, size_t elem_size) {
    if (elem_size && count > SIZE_MAX / elem_size) {
        a->failed = 1;
        return NULL;
    }
    return arena_alloc(a, count * elem_size);
}

char *arena_strndup(arena *a, const char *s, size_t len) {
    char *p = arena_alloc(a, len + 1);
    if (!p) return NULL;
    if (len) memcpy(p, s, len);
    p[len] = '\0';
    return p;
}
