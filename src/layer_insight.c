/*
 * layer insight — the creator's instructions (prompts/insight.txt) and the active shared
 * insights, grouped by category. Included per options.insights: "always", "never", or
 * "auto" = together with the relationship layer (insights are about the couple).
 *
 * Shown and kept (over budget) in the orders of shared_items.h; relevance is measured on
 * the title and the content. Insights are dropped only after every memory has been.
 */
#include <string.h>

#include "fmt.h"
#include "layers.h"
#include "shared_items.h"
#include "texts.h"

static const char *const category_heading[NOVA_INS_CATEGORY_COUNT] = {
    [NOVA_INS_EMOTIONAL_NEED] = "Emotional needs",
    [NOVA_INS_COMMUNICATION] = "Communication",
    [NOVA_INS_CONFLICT_STYLE] = "Conflict style",
    [NOVA_INS_APPRECIATION] = "Appreciation",
    [NOVA_INS_STRENGTH] = "Strengths",
    [NOVA_INS_GROWTH_AREA] = "Growth areas",
    [NOVA_INS_GIFT_RELEVANT] = "Gifts",
};

int layer_insight(doc *d, const layer_ctx *ctx, const char **reason) {
    const nova_request *req = ctx->req;
    const char *mode;
    switch (req->insights_mode) {
    case NOVA_INSIGHTS_NEVER:
        *reason = "insights: never";
        return -1;
    case NOVA_INSIGHTS_ALWAYS:
        mode = "insights: always";
        break;
    default:
        if (!ctx->det->relationship) {
            *reason = "insights: auto, relationship layer off";
            return -1;
        }
        mode = "insights: auto, relationship layer on";
        break;
    }
    size_t n = 0;
    for (size_t i = 0; i < req->insight_count; i++)
        if (req->insights[i].is_active && (req->insights[i].content.len || req->insights[i].title.len)) n++;
    if (!n) {
        *reason = "no active insights";
        return -1;
    }
    shared_item *e = arena_array(d->a, n, sizeof *e);
    if (!e) return -1;
    n = 0;
    for (size_t i = 0; i < req->insight_count; i++) {
        const nova_insight *in = &req->insights[i];
        if (!in->is_active || !(in->content.len || in->title.len)) continue;
        shared_item *x = &e[n++];
        shared_item_init(x, req, in, in->id, in->index, (int)in->category, in->updated_at);
        x->texts[0] = in->title;
        x->texts[1] = in->content;
    }
    shared_items_sort_shown(e, n);

    int layer = layer_open(d, "insight", 0, 1);
    layer_creator_text(d, layer, nova_text_insight, nova_text_insight_len);
    int heading = -1;
    for (size_t i = 0; i < n; i++) {
        const nova_insight *in = e[i].src;
        int item = shared_item_node(d, layer, e, i, category_heading, &heading, DOC_INSIGHT);
        doc_str(d, item, "- ");
        if (in->title.len) {
            doc_value(d, item, in->title);
            doc_str(d, item, " (about ");
        } else {
            doc_str(d, item, "(about ");
        }
        doc_value(d, item, layer_subject(ctx, in->about_user));
        doc_str(d, item, in->content.len ? "): " : ")");
        doc_value(d, item, in->content);
        doc_str(d, item, "\n");
    }
    layer_close(d, layer, "insight");

    size_t cap = strlen(mode) + 48;
    char *r = arena_alloc(d->a, cap);
    if (!r || !shared_items_rank_later(d, DOC_INSIGHT, ctx, e, n)) return -1;
    nova_snprintf(r, cap, "%s; %zu active insight%s", mode, n, n == 1 ? "" : "s");
    *reason = r;
    return layer;
}
