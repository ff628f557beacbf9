/*
 * layer memory — the creator's instructions (prompts/memory.txt), the active shared
 * memories grouped by category, then the summary of the current chat.
 *
 * Two orders, on purpose:
 * - what is SHOWN: category (request.h order), then most recently updated, then id. It
 *   does not depend on the message, so while everything fits the layer is byte-identical
 *   from one message to the next and the provider's prompt cache keeps hitting.
 * - what is KEPT when over budget: rank = relevance to the message (distinct shared word
 *   stems), then confidence (in steps of 0.1), then age in whole days from options.now
 *   (ignored without now: the engine reads no clock), then id. The lowest rank is
 *   dropped first.
 * Left out when there is no active memory and no chat summary.
 */
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "fmt.h"
#include "layers.h"
#include "texts.h"

#define TENTATIVE_BELOW 0.5

typedef struct mem_entry {
    const nova_memory *m;
    size_t relevance;
    int confidence10;
    int64_t age_days;
    int node;
} mem_entry;

/* What the rank function needs, kept in the arena until the budget has run. */
typedef struct mem_ranking {
    arena *a;
    const layer_ctx *ctx;
    mem_entry *e;
    size_t n;
} mem_ranking;

static const char *const category_heading[NOVA_MEM_CATEGORY_COUNT] = {
    [NOVA_MEM_IMPORTANT_DATE] = "Important dates",
    [NOVA_MEM_EMOTIONAL_NEED] = "Emotional needs",
    [NOVA_MEM_PREFERENCE] = "Preferences",
    [NOVA_MEM_PATTERN] = "Patterns",
    [NOVA_MEM_GROWTH_MOMENT] = "Growth moments",
    [NOVA_MEM_GIFT_IDEA] = "Gift ideas",
    [NOVA_MEM_GENERAL] = "Other",
};

static int cmp_id(const nova_memory *a, const nova_memory *b) {
    int c = strcmp(a->id.s ? a->id.s : "", b->id.s ? b->id.s : "");
    if (c) return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

static int cmp_shown(const void *pa, const void *pb) {
    const nova_memory *a = ((const mem_entry *)pa)->m, *b = ((const mem_entry *)pb)->m;
    if (a->category != b->category) return a->category < b->category ? -1 : 1;
    if (a->updated_at != b->updated_at) return a->updated_at > b->updated_at ? -1 : 1;
    return cmp_id(a, b);
}

/* Highest rank first. */
static int cmp_rank(const void *pa, const void *pb) {
    const mem_entry *a = *(const mem_entry *const *)pa, *b = *(const mem_entry *const *)pb;
    if (a->relevance != b->relevance) return a->relevance > b->relevance ? -1 : 1;
    if (a->confidence10 != b->confidence10) return a->confidence10 > b->confidence10 ? -1 : 1;
    if (a->age_days != b->age_days) return a->age_days < b->age_days ? -1 : 1;
    return cmp_id(a->m, b->m);
}

/* The budget's drop order: the lowest rank first. */
static void rank_memories(void *p, int *nodes, size_t count) {
    mem_ranking *r = p;
    mem_entry **rank = arena_array(r->a, r->n ? r->n : 1, sizeof *rank);
    if (!rank || count != r->n) return; /* arena failure: reported by the assembler */
    stem_set *stems = message_stems_get(r->ctx->stems);
    for (size_t i = 0; i < r->n; i++) {
        mem_entry *x = &r->e[i];
        x->relevance = stem_set_overlap(stems, x->m->content.s, x->m->content.len);
        rank[i] = x;
    }
    qsort(rank, r->n, sizeof *rank, cmp_rank);
    for (size_t i = 0; i < r->n; i++) nodes[i] = rank[r->n - 1 - i]->node;
}

int layer_memory(doc *d, const layer_ctx *ctx, const char **reason) {
    const nova_request *req = ctx->req;
    size_t n = 0;
    for (size_t i = 0; i < req->memory_count; i++)
        if (req->memories[i].is_active && req->memories[i].content.len) n++;
    int has_summary = req->chat_memory_summary.s && req->chat_memory_summary.len;
    if (!n && !has_summary) {
        *reason = "no active memories";
        return -1;
    }
    mem_entry *e = arena_array(d->a, n ? n : 1, sizeof *e);
    mem_ranking *ranking = arena_alloc(d->a, sizeof *ranking);
    if (!e || !ranking) return -1;
    n = 0;
    for (size_t i = 0; i < req->memory_count; i++) {
        const nova_memory *m = &req->memories[i];
        if (!m->is_active || !m->content.len) continue;
        mem_entry *x = &e[n++];
        x->m = m;
        x->relevance = 0; /* computed by rank_memories, only when over budget */
        x->confidence10 = (int)(m->confidence * 10.0 + 0.5);
        x->age_days = 0;
        if (req->has_now && req->now > m->updated_at) x->age_days = (req->now - m->updated_at) / 86400;
    }
    qsort(e, n, sizeof *e, cmp_shown);

    int layer = layer_open(d, "memory", 0, 1);
    layer_creator_text(d, layer, nova_text_memory, nova_text_memory_len);
    int heading = -1;
    for (size_t i = 0; i < n; i++) {
        const nova_memory *m = e[i].m;
        if (i == 0 || m->category != e[i - 1].m->category) {
            heading = doc_node_new(d, layer, 1);
            doc_printf(d, heading, "%s:\n", category_heading[m->category]);
        }
        int item = doc_node_new(d, heading, 0);
        nova_text who = layer_subject(ctx, m->about_user);
        doc_str(d, item, "- About ");
        doc_value(d, item, who);
        doc_str(d, item, m->confidence < TENTATIVE_BELOW ? " (tentative): " : ": ");
        doc_value(d, item, m->content);
        doc_str(d, item, "\n");
        e[i].node = item;
        doc_droppable(d, DOC_MEMORY, item);
    }
    if (has_summary) {
        /* A child of its own keeps the layer alive when every memory is dropped. */
        int summary = doc_node_new(d, layer, 0);
        doc_field(d, summary, "Summary of this conversation so far", req->chat_memory_summary);
    }
    layer_close(d, layer, "memory");

    *ranking = (mem_ranking){d->a, ctx, e, n};
    doc_rank_later(d, DOC_MEMORY, rank_memories, ranking);

    char *r = arena_alloc(d->a, 64);
    if (!r) return -1;
    if (n)
        nova_snprintf(r, 64, "%zu active memor%s%s", n, n == 1 ? "y" : "ies",
                 has_summary ? " and the chat summary" : "");
    else
        nova_snprintf(r, 64, "the chat summary (no active memories)");
    *reason = r;
    return layer;
}
