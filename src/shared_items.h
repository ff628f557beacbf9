/*
 * shared_items — the two orders of the memory and insight layers (shared memories and
 * shared insights are the same kind of thing: a categorized, dated text about someone).
 *
 * - what is SHOWN: category (request.h order), then most recently updated, then id. It
 *   does not depend on the message, so while everything fits the layer is byte-identical
 *   from one message to the next and the provider's prompt cache keeps hitting.
 * - what is KEPT when over budget: rank = relevance to the message (distinct shared word
 *   stems), then confidence in steps of 0.1 (memories; insights have none), then age in
 *   whole days from options.now (ignored without now: the engine reads no clock), then
 *   id. The lowest rank is dropped first. Relevance is computed only when the budget
 *   has to drop from the layer (doc_rank_later).
 */
#ifndef NOVA_SHARED_ITEMS_H
#define NOVA_SHARED_ITEMS_H

#include <stddef.h>
#include <stdint.h>

#include "layers.h"

typedef struct shared_item {
    const void *src;      /* the nova_memory or nova_insight */
    nova_text id;
    size_t index;         /* position in its context list: the last tie-break */
    int category;
    int64_t updated_at;
    nova_text texts[2];   /* what relevance is measured on (title and/or content) */
    int confidence10;     /* 0 for insights: then not a rank key */
    int64_t age_days;     /* from options.now, 0 without it */
    size_t relevance;     /* set when ranked */
    int node;             /* the item's doc node, set by the layer */
} shared_item;

/* Fills the fields every item has; age from req's options.now. */
void shared_item_init(shared_item *it, const nova_request *req, const void *src, nova_text id,
                      size_t index, int category, int64_t updated_at);

/* Sorts items into the shown order. */
void shared_items_sort_shown(shared_item *items, size_t n);

/* The doc node for items[i] (shown order), droppable in cls; opens a heading node under
 * layer, "<headings[category]>:", when the category changes from items[i-1]'s. *heading
 * carries the current heading between calls. */
int shared_item_node(doc *d, int layer, shared_item *items, size_t i,
                     const char *const *headings, int *heading, doc_class cls);

/* Registers items (their nodes set, droppable in cls) to be ranked if the budget must
 * drop some. Returns 0 when the arena failed. */
int shared_items_rank_later(doc *d, doc_class cls, const layer_ctx *ctx, shared_item *items,
                            size_t n);

#endif
