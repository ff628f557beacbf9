/*
 * layers — the helpers every layer builder uses (layers.h): layer markers, creator
 * texts (plain and templates), and who a memory or insight is about.
 */
#include "layers.h"

#include <string.h>

#include "template.h"

void layer_open_marker(doc *d, int node, const char *name) {
    doc_str(d, node, "<nova:");
    doc_str(d, node, name);
    doc_str(d, node, ">\n");
}

int layer_open(doc *d, const char *name, int first, int vanishes) {
    int layer = doc_node_new(d, -1, vanishes);
    if (!first) doc_str(d, layer, "\n"); /* the blank line between layers */
    layer_open_marker(d, layer, name);
    return layer;
}

void layer_close(doc *d, int layer, const char *name) {
    doc_str(d, layer, "</nova:");
    doc_str(d, layer, name);
    doc_str(d, layer, ">\n");
}

void layer_creator_text(doc *d, int node, const char *text, size_t len) {
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r')) len--;
    doc_text(d, node, text, len);
    doc_str(d, node, "\n");
}

/* A template rendering into a doc node (template.h's sink). */
typedef struct doc_sink {
    doc *d;
    int node;
    layer_block_fn block;
    void *block_ctx;
} doc_sink;

static void sink_text(void *p, const char *s, size_t len) {
    doc_sink *k = p;
    doc_text(k->d, k->node, s, len);
}

static void sink_end_line(void *p) {
    doc_sink *k = p;
    doc_str(k->d, k->node, "\n");
}

static void sink_block(void *p, const char *name, size_t len) {
    doc_sink *k = p;
    k->block(k->block_ctx, name, len);
}

void layer_template(doc *d, int node, const char *t, size_t len, const template_args *args,
                    layer_block_fn block, void *block_ctx) {
    doc_sink k = {d, node, block, block_ctx};
    const template_sink sink = {&k, sink_text, sink_end_line, block ? sink_block : NULL};
    template_render(t, len, args, &sink);
}

/* The decoder stores UUIDs in lower case, so equal ids are equal bytes. */
static int same_id(nova_text a, nova_text b) {
    return a.s && b.s && a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

layer_about layer_about_of(const layer_ctx *ctx, nova_text about_user) {
    if (!about_user.s) return LAYER_ABOUT_RELATIONSHIP;
    if (same_id(about_user, ctx->req->user_id)) return LAYER_ABOUT_USER;
    if (same_id(about_user, ctx->partner_id)) return LAYER_ABOUT_PARTNER;
    return LAYER_ABOUT_OTHER;
}

#define WORDS(lit) {lit, sizeof lit - 1}
const nova_text layer_about_words[4] = {
    [LAYER_ABOUT_RELATIONSHIP] = WORDS("the relationship"),
    [LAYER_ABOUT_USER] = WORDS("the user"),
    [LAYER_ABOUT_PARTNER] = WORDS("the partner"),
    [LAYER_ABOUT_OTHER] = WORDS("someone else"),
};

nova_text layer_subject(const layer_ctx *ctx, nova_text about_user) {
    layer_about who = layer_about_of(ctx, about_user);
    if (who == LAYER_ABOUT_USER && ctx->user_name.s) return ctx->user_name;
    if (who == LAYER_ABOUT_PARTNER && ctx->partner_name.s) return ctx->partner_name;
    return layer_about_words[who];
}

int layer_write_names(doc *d, int node, const layer_ctx *ctx) {
    int n = 0;
    if (ctx->user_name.s) {
        doc_field(d, node, "User", ctx->user_name);
        n++;
    }
    if (ctx->partner_name.s) {
        doc_field(d, node, "Partner", ctx->partner_name);
        n++;
    }
    return n;
}
