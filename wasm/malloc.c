/*
 * malloc — malloc, free, realloc and calloc for both wasm modules, in place of wasi-libc's
 * dlmalloc (12 KB of code: a third of what the WASI module took from libc) and of
 * Emscripten's emmalloc (2.5 KB; linked with -sMALLOC=none).
 *
 * What the engine asks of an allocator is simple: per call a few arena chunks of 64 KiB+,
 * cJSON's tree of small nodes (all freed when the call ends), and the
 * host's nova_alloc/nova_free buffers. A boundary-tag allocator does that in ~1 KB:
 *
 *   - a block is [4-byte header: size | USED | PREV_USED][payload ...]; a free block also
 *     has free-list links after the header and its size in its last 4 bytes (footer), so
 *     free() merges with both neighbours in O(1) and memory never fragments for good
 *   - payloads are 16-byte aligned (max_align_t), block sizes multiples of 16
 *   - first fit over one doubly linked free list; an epilogue header (size 0, USED)
 *     ends the heap, which runs from __heap_base to the end of memory and grows with it
 *     (memory.grow; Emscripten: emscripten_resize_heap, which also renews the JS glue's
 *     views). Nothing else in the modules allocates or grows memory.
 *
 * The state below is the one mutable global of the modules: an allocator is
 * process-wide by nature, as libc's was. The modules are single-threaded.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __EMSCRIPTEN__
#include <emscripten/heap.h>
#endif

/* Where static data and the stack end (wasm-ld): the heap is everything after it. */
extern unsigned char __heap_base;

#define HDR sizeof(size_t)
#define USED ((size_t)1)
#define PREV_USED ((size_t)2)
#define FLAGS ((size_t)15)
#define MIN_BLOCK ((size_t)16)
#define PAGE ((size_t)65536)

typedef struct block {
    size_t head;
    struct block *next, *prev; /* only while free */
} block;

/* A free block holds its header, two links and a footer. */
_Static_assert(sizeof(block) + sizeof(size_t) <= MIN_BLOCK, "MIN_BLOCK holds a free block");

static block *free_list;
static block *epilogue; /* the heap's end; NULL until the first malloc */

static size_t size_of(const block *b) { return b->head & ~FLAGS; }
static block *at(block *b, size_t off) { return (block *)((char *)b + off); }

static void push(block *b) {
    b->prev = NULL;
    b->next = free_list;
    if (free_list) free_list->prev = b;
    free_list = b;
}

static void unlink_block(block *b) {
    if (b->prev)
        b->prev->next = b->next;
    else
        free_list = b->next;
    if (b->next) b->next->prev = b->prev;
}

/* Marks b (any flags) free with size s, merged with a free block before it; pushes it. */
static void release(block *b, size_t s) {
    if (!(b->head & PREV_USED)) {
        size_t ps = *(size_t *)((char *)b - HDR);
        b = (block *)((char *)b - ps);
        unlink_block(b);
        s += ps;
    }
    b->head = s | PREV_USED; /* two free blocks are never neighbours */
    *(size_t *)((char *)b + s - HDR) = s;
    at(b, s)->head &= ~PREV_USED;
    push(b);
}

/* Adds a free block of at least `need` bytes at the end of the heap: the memory from the
 * old end (first time: __heap_base) to the end of memory, grown first if that is short. */
static int grow(size_t need) {
    uintptr_t lo = epilogue ? (uintptr_t)epilogue + HDR
                            : ((uintptr_t)&__heap_base + 15) & ~(uintptr_t)15;
    uintptr_t end = __builtin_wasm_memory_size(0) * PAGE;
    if (end - lo < need + 16) { /* 16: the first block's offset, the epilogue */
        size_t pages = (need + 16 - (end - lo) + PAGE - 1) / PAGE;
#ifdef __EMSCRIPTEN__
        if (!emscripten_resize_heap(end + pages * PAGE)) return 0;
#else
        if (__builtin_wasm_memory_grow(0, pages) == SIZE_MAX) return 0;
#endif
        end = __builtin_wasm_memory_size(0) * PAGE;
        if (end - lo < need + 16) return 0;
    }
    block *b;
    size_t s;
    if (epilogue) {
        b = epilogue; /* the old epilogue becomes the new block's header */
        s = end - lo;
    } else {
        b = (block *)(lo + 16 - HDR); /* header just below a 16-byte boundary */
        b->head = PREV_USED;          /* nothing before it to merge with */
        s = end - lo - 16;
    }
    epilogue = at(b, s);
    epilogue->head = USED;
    release(b, s);
    return 1;
}

/* Makes b (not in the free list, size >= need) used, splitting off a free remainder;
 * the links of a free block are not touched, they may be the caller's data by now. */
static void *take(block *b, size_t need) {
    size_t s = size_of(b);
    if (s - need >= MIN_BLOCK) {
        b->head = need | USED | (b->head & PREV_USED);
        block *rest = at(b, need);
        rest->head = (s - need) | PREV_USED;
        *(size_t *)((char *)rest + s - need - HDR) = s - need;
        push(rest);
    } else {
        b->head |= USED;
        at(b, s)->head |= PREV_USED;
    }
    return (char *)b + HDR;
}

/* The block size for n payload bytes, or 0 when n is absurd. */
static size_t block_size(size_t n) {
    if (n > SIZE_MAX / 2) return 0;
    size_t need = (n + HDR + 15) & ~(size_t)15;
    return need < MIN_BLOCK ? MIN_BLOCK : need;
}

void *malloc(size_t n) {
    size_t need = block_size(n);
    if (!need) return NULL;
    for (;;) {
        for (block *b = free_list; b; b = b->next)
            if (size_of(b) >= need) {
                unlink_block(b);
                return take(b, need);
            }
        if (!grow(need)) return NULL;
    }
}

void free(void *p) {
    if (!p) return;
    block *b = (block *)((char *)p - HDR);
    size_t s = size_of(b);
    block *next = at(b, s);
    if (!(next->head & USED)) {
        unlink_block(next);
        s += size_of(next);
    }
    release(b, s);
}

void *realloc(void *p, size_t n) {
    if (!p) return malloc(n);
    size_t need = block_size(n);
    if (!need) return NULL;
    block *b = (block *)((char *)p - HDR);
    size_t s = size_of(b);
    if (s >= need) return p;
    block *next = at(b, s);
    if (!(next->head & USED) && s + size_of(next) >= need) {
        /* Grow in place over the free neighbour. */
        unlink_block(next);
        b->head = (s + size_of(next)) | (b->head & PREV_USED);
        return take(b, need);
    }
    void *q = malloc(n);
    if (!q) return NULL;
    memcpy(q, p, s - HDR);
    free(p);
    return q;
}

void *calloc(size_t count, size_t size) {
    if (size && count > SIZE_MAX / size) return NULL;
    void *p = malloc(count * size);
    if (p) memset(p, 0, count * size);
    return p;
}
