/*
 * layer memory — the creator's instructions (prompts/memory.txt), the active shared
 * memories grouped by category, then the summary of the current chat. Shown and kept
 * (over budget) in the orders of shared_items.h; relevance is measured on the content.
 * Left out when there is no active memory and no chat summary.
 */
#include "fmt.h"
#include "layers.h"
#include "shared_items.h"
#include "texts.h"

#define TENTATIVE_BELOW 0.5

static const char *const category_heading[NOVA_MEM_CATEGORY_COUNT] = {
    [NOVA_MEM_IMPORTANT_DATE] = "Important dates",
    [NOVA_MEM_EMOTIONAL_NEED] = "Emotional needs",
    [NOVA_MEM_PREFERENCE] = "Preferences",
    [NOVA_MEM_PATTERN] = "Patterns",
    [NOVA_MEM_GROWTH_MOMENT] = "Growth moments",
    [NOVA_MEM_GIFT_IDEA] = "Gift ideas",
    [NOVA_MEM_GENERAL] = "Other",
};

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
    shared_item *e = arena_array(d->a, n ? n : 1, sizeof *e);
    if (!e) return -1;
    n = 0;
    for (size_t i = 0; i < req->memory_count; i++) {
        const nova_memory *m = &req->memories[i];
        if (!m->is_active || !m->content.len) continue;
        shared_item *x = &e[n++];
        shared_item_init(x, req, m, m->id, m->index, (int)m->category, m->updated_at);
        x->texts[0] = m->content;
        x->confidence10 = (int)(m->confidence * 10.0 + 0.5);
    }
    shared_items_sort_shown(e, n);

    int layer = layer_open(d, "memory", 0, 1);
    layer_creator_text(d, layer, nova_text_memory, nova_text_memory_len);
    int heading = -1;
    for (size_t i = 0; i < n; i++) {
        const nova_memory *m = e[i].src;
        int item = shared_item_node(d, layer, e, i, category_heading, &heading, DOC_MEMORY);
        nova_text who = layer_subject(ctx, m->about_user);
        doc_str(d, item, "- About ");
        doc_value(d, item, who);
        doc_str(d, item, m->confidence < TENTATIVE_BELOW ? " (tentative): " : ": ");
        doc_value(d, item, m->content);
        doc_str(d, item, "\n");
    }
    if (has_summary) {
        /* A child of its own keeps the layer alive when every memory is dropped. */
        int summary = doc_node_new(d, layer, 0);
        doc_field(d, summary, "Summary of this conversation so far", req->chat_memory_summary);
    }
    layer_close(d, layer, "memory");

    char *r = arena_alloc(d->a, 64);
    if (!r || !shared_items_rank_later(d, DOC_MEMORY, ctx, e, n)) return -1;
    if (n)
        nova_snprintf(r, 64, "%zu active memor%s%s", n, n == 1 ? "y" : "ies",
                 has_summary ? " and the chat summary" : "");
    else
        nova_snprintf(r, 64, "the chat summary (no active memories)");
    *reason = r;
    return layer;
}
