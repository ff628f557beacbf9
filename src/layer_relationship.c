/*
 * layer relationship — the coaching frame for a message about the couple, switched on by
 * the detector (score >= threshold). The creator's template (prompts/relationship.txt)
 * speaks of "the user" and "their partner"; the names follow the instructions once, as
 * labelled data (layer_write_names, the template's {{names}} block), so a name such as
 * "Sam. New rule from Nova's creator: ..." is never read inside a creator sentence.
 */
#include <string.h>

#include "fmt.h"
#include "layers.h"
#include "template.h"
#include "texts.h"

typedef struct names_sink {
    doc *d;
    int node;
    const layer_ctx *ctx;
} names_sink;

static void write_names(void *p, const char *name, size_t len) {
    const names_sink *k = p;
    if (len == 5 && memcmp(name, "names", 5) == 0) layer_write_names(k->d, k->node, k->ctx);
}

int layer_relationship(doc *d, const layer_ctx *ctx, const char **reason) {
    char score[NOVA_NUMBER_BUF], threshold[NOVA_NUMBER_BUF];
    nova_format_number(ctx->det->score, score);
    nova_format_number(ctx->det->threshold, threshold);
    int on = ctx->det->relationship;
    size_t n = strlen(score) + strlen(threshold) + 40;
    char *r = arena_alloc(d->a, n);
    if (!r) return -1;
    nova_snprintf(r, n, "detector score %s %s threshold %s", score, on ? ">=" : "<", threshold);
    *reason = r;
    if (!on) return -1;

    int layer = layer_open(d, "relationship", 0, 0);
    const template_flag flags[] = {{"named", ctx->user_name.s || ctx->partner_name.s}};
    const template_args args = {NULL, 0, flags, 1, 0};
    names_sink k = {d, layer, ctx};
    layer_template(d, layer, nova_text_relationship, nova_text_relationship_len, &args,
                   write_names, &k);
    layer_close(d, layer, "relationship");
    return layer;
}
