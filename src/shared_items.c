/*
 * shared_items — the shown and kept orders of the memory and insight layers
 * (shared_items.h says what they are and why there are two).
 */
#include "shared_items.h"

#include <stdlib.h>
#include <string.h>

#include "budget.h"

void shared_item_init(shared_item *it, const nova_request *req, const void *src, nova_text id,
                      size_t index, int category, int64_t updated_at) {
    memset(it, 0, sizeof *it);
    it->src = src;
    it->id = id;
    it->index = index;
    it->category = category;
    it->updated_at = updated_at;
    it->node = -1;
    if (req->has_now && req->now > updated_at) it->age_days = (req->now - updated_at) / 86400;
}

static int cmp_id(const shared_item *a, const shared_item *b) {
    int c = strcmp(a->id.s ? a->id.s : "", b->id.s ? b->id.s : "");
    if (c) return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

static int cmp_shown(const void *pa, const void *pb) {
    const shared_item *a = pa, *b = pb;
    if (a->category != b->category) return a->category < b->category ? -1 : 1;
    if (a->updated_at != b->updated_at) return a->updated_at > b->updated_at ? -1 : 1;
    return cmp_id(a, b);
}

void shared_items_sort_shown(shared_item *items, size_t n) {
    qsort(items, n, sizeof *items, cmp_shown);
}

int shared_item_node(doc *d, int layer, shared_item *items, size_t i,
                     const char *const *headings, int *heading, doc_class cls) {
    if (i == 0 || items[i].category != items[i - 1].category) {
        *heading = doc_heading(d, layer, headings[items[i].category]);
    }
    int node = doc_node_new(d, *heading, 0);
    items[i].node = node;
    doc_droppable(d, cls, node);
    return node;
}

/* Highest rank first. */
static int cmp_rank(const void *pa, const void *pb) {
    const shared_item *a = *(const shared_item *const *)pa, *b = *(const shared_item *const *)pb;
    if (a->relevance != b->relevance) return a->relevance > b->relevance ? -1 : 1;
    if (a->confidence10 != b->confidence10) return a->confidence10 > b->confidence10 ? -1 : 1;
    if (a->age_days != b->age_days) return a->age_days < b->age_days ? -1 : 1;
    return cmp_id(a, b);
}

/* What the rank function needs, kept in the arena until the budget has run. */
typedef struct ranking {
    arena *a;
    const layer_ctx *ctx;
    shared_item *items;
    size_t n;
} ranking;

/* The budget's drop order: the lowest rank first. */
static void rank_items(void *p, int *nodes, size_t count) {
    ranking *r = p;
    shared_item **rank = arena_array(r->a, r->n ? r->n : 1, sizeof *rank);
    if (!rank || count != r->n) return; /* arena failure: reported by the assembler */
    stem_set *stems = message_stems_get(r->ctx->stems);
    for (size_t i = 0; i < r->n; i++) {
        shared_item *x = &r->items[i];
        x->relevance = 0;
        for (int t = 0; t < 2; t++)
            if (x->texts[t].len) x->relevance += stem_set_overlap(stems, x->texts[t].s, x->texts[t].len);
        rank[i] = x;
    }
    qsort(rank, r->n, sizeof *rank, cmp_rank);
    for (size_t i = 0; i < r->n; i++) nodes[i] = rank[r->n - 1 - i]->node;
}

int shared_items_rank_later(doc *d, doc_class cls, const layer_ctx *ctx, shared_item *items,
                            size_t n) {
    ranking *r = arena_alloc(d->a, sizeof *r);
    if (!r) return 0;
    *r = (ranking){d->a, ctx, items, n};
    doc_rank_later(d, cls, rank_items, r);
    return 1;
}
