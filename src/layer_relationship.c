/*
 * layer relationship — the coaching frame for a message about the couple, switched on by
 * the detector (score >= threshold). The creator's template (prompts/relationship.txt)
 * names the two people through {{user_name}} and {{partner_name}} (template.h); names are
 * sanitized one-line values, so they cannot break the template's lines.
 */
#include <string.h>

#include "fmt.h"
#include "layers.h"
#include "template.h"
#include "texts.h"

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
    template_value names[2];
    layer_template_names(ctx, names);
    const template_args args = {names, 2, NULL, 0, 0};
    layer_template(d, layer, nova_text_relationship, nova_text_relationship_len, &args, NULL, NULL);
    layer_close(d, layer, "relationship");
    return layer;
}
