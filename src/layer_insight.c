/*
 * layer insight — the creator's instructions (prompts/insight.txt) and the active shared
 * insights, grouped by category. Included per options.insights: "always", "never", or
 * "auto" = together with the relationship layer (insights are about the couple).
 *
 * Orders as in the memory layer: shown by category, most recently updated, id; kept
 * (over budget) by relevance to the message, then age in days from options.now, then
 * id. Insights are dropped only after every memory has been.
 */
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "fmt.h"
#include "layers.h"
#include "texts.h"

typedef struct ins_entry {
    const nova_insight *in;
    size_t relevance;
    int64_t age_days;
    int node;
} ins_entry;

typedef struct ins_ranking {
    arena *a;
    const layer_ctx *ctx;
    ins_entry *e;
    size_t n;
} ins_ranking;

static const char *const category_heading[NOVA_INS_CATEGORY_COUNT] = {
    [NOVA_INS_EMOTIONAL_NEED] = "Emotional needs",
    [NOVA_INS_COMMUNICATION] = "Communication",
    [NOVA_INS_CONFLICT_STYLE] = "Conflict style",
    [NOVA_INS_APPRECIATION] = "Appreciation",
    [NOVA_INS_STRENGTH] = "Strengths",
    [NOVA_INS_GROWTH_AREA] = "Growth areas",
    [NOVA_INS_GIFT_RELEVANT] = "Gifts",
};

static int cmp_id(const nova_insight *a, const nova_insight *b) {
    int c = strcmp(a->id.s ? a->id.s : "", b->id.s ? b->id.s : "");
    if (c) return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

static int cmp_shown(const void *pa, const void *pb) {
    const nova_insight *a = ((const ins_entry *)pa)->in, *b = ((const ins_entry *)pb)->in;
    if (a->category != b->category) return a->category < b->category ? -1 : 1;
    if (a->updated_at != b->updated_at) return a->updated_at > b->updated_at ? -1 : 1;
    return cmp_id(a, b);
}

/* Highest rank first. */
static int cmp_rank(const void *pa, const void *pb) {
    const ins_entry *a = *(const ins_entry *const *)pa, *b = *(const ins_entry *const *)pb;
    if (a->relevance != b->relevance) return a->relevance > b->relevance ? -1 : 1;
    if (a->age_days != b->age_days) return a->age_days < b->age_days ? -1 : 1;
    return cmp_id(a->in, b->in);
}

/* The budget's drop order: the lowest rank first. */
static void rank_insights(void *p, int *nodes, size_t count) {
    ins_ranking *r = p;
    ins_entry **rank = arena_array(r->a, r->n, sizeof *rank);
    if (!rank || count != r->n) return; /* arena failure: reported by the assembler */
    stem_set *stems = message_stems_get(r->ctx->stems);
    for (size_t i = 0; i < r->n; i++) {
        ins_entry *x = &r->e[i];
        x->relevance = stem_set_overlap(stems, x->in->title.s, x->in->title.len) +
                       stem_set_overlap(stems, x->in->content.s, x->in->content.len);
        rank[i] = x;
    }
    qsort(rank, r->n, sizeof *rank, cmp_rank);
    for (size_t i = 0; i < r->n; i++) nodes[i] = rank[r->n - 1 - i]->node;
}

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
    ins_entry *e = arena_array(d->a, n, sizeof *e);
    ins_ranking *ranking = arena_alloc(d->a, sizeof *ranking);
    if (!e || !ranking) return -1;
    n = 0;
    for (size_t i = 0; i < req->insight_count; i++) {
        const nova_insight *in = &req->insights[i];
        if (!in->is_active || !(in->content.len || in->title.len)) continue;
        ins_entry *x = &e[n++];
        x->in = in;
        x->relevance = 0; /* computed by rank_insights, only when over budget */
        x->age_days = 0;
        if (req->has_now && req->now > in->updated_at) x->age_days = (req->now - in->updated_at) / 86400;
    }
    qsort(e, n, sizeof *e, cmp_shown);

    int layer = layer_open(d, "insight", 0, 1);
    layer_creator_text(d, layer, nova_text_insight, nova_text_insight_len);
    int heading = -1;
    for (size_t i = 0; i < n; i++) {
        const nova_insight *in = e[i].in;
        if (i == 0 || in->category != e[i - 1].in->category) {
            heading = doc_node_new(d, layer, 1);
            doc_printf(d, heading, "%s:\n", category_heading[in->category]);
        }
        int item = doc_node_new(d, heading, 0);
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
        e[i].node = item;
        doc_droppable(d, DOC_INSIGHT, item);
    }
    layer_close(d, layer, "insight");

    *ranking = (ins_ranking){d->a, ctx, e, n};
    doc_rank_later(d, DOC_INSIGHT, rank_insights, ranking);

    size_t cap = strlen(mode) + 48;
    char *r = arena_alloc(d->a, cap);
    if (!r) return -1;
    nova_snprintf(r, cap, "%s; %zu active insight%s", mode, n, n == 1 ? "" : "s");
    *reason = r;
    return layer;
}
