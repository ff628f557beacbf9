/*
 * layer relationship — the coaching frame for a message about the couple, switched on by
 * the detector (score >= threshold). The creator's template (prompts/relationship.txt)
 * names the two people through {{user_name}} and {{partner_name}}; names are sanitized
 * one-line values, so they cannot break the template's lines.
 */
#include <string.h>

#include "fmt.h"
#include "layers.h"
#include "texts.h"

static int starts(const char *t, size_t len, size_t i, const char *key) {
    size_t k = strlen(key);
    return len - i >= k && memcmp(t + i, key, k) == 0;
}

static void put_template(doc *d, int node, const char *t, size_t len, nova_text user,
                         nova_text partner) {
    size_t start = 0, i = 0;
    while (i < len) {
        const char *key = starts(t, len, i, "{{user_name}}")      ? "{{user_name}}"
                          : starts(t, len, i, "{{partner_name}}") ? "{{partner_name}}"
                                                                  : NULL;
        if (!key) {
            i++;
            continue;
        }
        nova_text value = key[2] == 'u' ? user : partner;
        doc_text(d, node, t + start, i - start);
        doc_text(d, node, value.s, value.len);
        i += strlen(key);
        start = i;
    }
    doc_text(d, node, t + start, len - start);
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

    nova_text user = ctx->user_name.s ? ctx->user_name : (nova_text){"the user", 8};
    /* Not "your partner": the prompt speaks to Nova, whose partner this is not. */
    nova_text partner = ctx->partner_name.s ? ctx->partner_name : (nova_text){"their partner", 13};
    size_t len = nova_text_relationship_len;
    while (len && (nova_text_relationship[len - 1] == '\n' || nova_text_relationship[len - 1] == '\r'))
        len--;
    int layer = layer_open(d, "relationship", 0, 0);
    put_template(d, layer, nova_text_relationship, len, user, partner);
    doc_str(d, layer, "\n");
    layer_close(d, layer, "relationship");
    return layer;
}
