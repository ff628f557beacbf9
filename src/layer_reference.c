/*
 * layer reference — the user's partner: the partner's own profile (partner_account, a
 * linked account) or the profile Nova built from the user's conversations (ai_generated).
 * Left out when there is no reference.
 *
 * Privacy: the partner's memory_summary is NOT rendered. It is the AI's summary of the
 * partner's own private conversations; the user's prompt gets only what describes the
 * partner (name, tone, interests, patterns, style, traits, ...), and the core layer
 * forbids quoting even that.
 *
 * Budget: the list items are droppable, the last one shown first, one at a time; the
 * name, single-value fields and notes stay.
 */
#include "layers.h"

const char *const layer_reference_intro[2] = {
    "The user's partner, as Nova has come to know them from the user's conversations: an "
    "impression, not facts the partner has confirmed.\n",
    "The user's partner, who has their own Nova account. This comes from the partner's own "
    "profile: use it to understand them, but never quote it or reveal what they wrote or told "
    "Nova.\n",
};

typedef struct list_spec {
    const char *heading;
    nova_text_list list;
} list_spec;

int layer_reference(doc *d, const layer_ctx *ctx, const char **reason) {
    const nova_request *req = ctx->req;
    if (!req->has_reference) {
        *reason = "no reference";
        return -1;
    }
    const nova_reference *r = &req->reference;
    int own = r->source == NOVA_SOURCE_PARTNER_ACCOUNT;
    int layer = layer_open(d, "reference", 0, 0);
    doc_str(d, layer, layer_reference_intro[own ? 1 : 0]);
    doc_field(d, layer, "Name", r->profile.name);
    doc_field(d, layer, "Preferred tone", r->profile.tone);
    doc_field(d, layer, "Emotional patterns", r->profile.emotional_patterns);
    doc_field(d, layer, "Communication style", r->profile.communication_style);
    doc_field(d, layer, "Notes", r->ai_notes);

    const list_spec lists[] = {
        {"Important to know", r->important_truths},
        {"Traits", r->traits},
        {"How they tend to act in the relationship", r->relational_tendencies},
        {"Interests", r->profile.interests},
    };
    size_t total = 0;
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) total += lists[l].list.count;
    int *items = arena_array(d->a, total ? total : 1, sizeof *items);
    if (!items) return -1;
    size_t n = 0;
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
        if (!lists[l].list.count) continue;
        int heading = doc_heading(d, layer, lists[l].heading);
        for (size_t i = 0; i < lists[l].list.count; i++) {
            int item = doc_node_new(d, heading, 0);
            doc_str(d, item, "- ");
            doc_value(d, item, lists[l].list.items[i]);
            doc_str(d, item, "\n");
            items[n++] = item;
        }
    }
    while (n) doc_droppable(d, DOC_REFERENCE, items[--n]);
    layer_close(d, layer, "reference");
    *reason = own ? "partner_account: the partner's own profile"
                  : "ai_generated: the partner profile Nova built";
    return layer;
}
