/*
 * layer main_user — the person Nova is talking with: every profile field present, and
 * memory_summary (a JSON object the AI keeps) as "- key.sub: value" lines, flattened by
 * the decoder (request_summary.h). No profile row: the name alone, from fallback_name.
 * Never cut by the budget.
 */
#include <string.h>

#include "fmt.h"
#include "layers.h"

static const char *setup_mode_meaning(nova_text mode) {
    if (!mode.s) return NULL;
    if (strcmp(mode.s, "self_written") == 0) return "written by the user themself";
    if (strcmp(mode.s, "quiz_generated") == 0)
        return "generated from the user's answers to the onboarding quiz";
    if (strcmp(mode.s, "pending") == 0) return "not filled in yet";
    return NULL;
}

static void put_list(doc *d, int node, const char *label, nova_text_list list) {
    if (!list.count) return;
    doc_str(d, node, label);
    doc_str(d, node, ": ");
    for (size_t i = 0; i < list.count; i++) {
        if (i) doc_str(d, node, ", ");
        doc_value(d, node, list.items[i]);
    }
    doc_str(d, node, "\n");
}

int layer_main_user(doc *d, const layer_ctx *ctx, const char **reason) {
    const nova_request *req = ctx->req;
    int layer = layer_open(d, "main_user", 0, 0);
    if (layer < 0) return -1; /* arena exhausted: the assembler reports it */
    doc_str(d, layer, "The user you are talking with:\n");
    if (ctx->user_name.s)
        doc_field(d, layer, "Name", ctx->user_name);
    else
        doc_str(d, layer, "Name: not known yet (do not guess one)\n");

    if (!req->has_user) {
        doc_str(d, layer, ctx->user_name.s ? "They have no profile yet: only their name is "
                                             "known. Get to know them through the conversation.\n"
                                           : "They have no profile yet. Get to know them "
                                             "through the conversation.\n");
        layer_close(d, layer, "main_user");
        *reason = "no profile row: name only";
        return layer;
    }

    const nova_profile *p = &req->user;
    doc_field(d, layer, "Preferred tone", p->tone);
    put_list(d, layer, "Interests", p->interests);
    doc_field(d, layer, "Emotional patterns", p->emotional_patterns);
    doc_field(d, layer, "Communication style", p->communication_style);
    const char *mode = setup_mode_meaning(p->setup_mode);
    if (mode) {
        doc_str(d, layer, "Profile: ");
        doc_str(d, layer, mode);
        doc_str(d, layer, "\n");
    }
    /* The summary is the one part of main_user the budget may cut (the last thing it cuts,
     * from its last line): the database accepts summaries far longer than a prompt. */
    if (p->memory_summary.count) {
        int *items = arena_array(d->a, p->memory_summary.count, sizeof *items);
        if (!items) return -1;
        int heading = doc_heading(d, layer, "What Nova has learned about them (profile summary)");
        for (size_t i = 0; i < p->memory_summary.count; i++) {
            const nova_summary_line *line = &p->memory_summary.lines[i];
            items[i] = doc_node_new(d, heading, 0);
            doc_str(d, items[i], "- ");
            doc_text(d, items[i], line->path.s, line->path.len);
            doc_str(d, items[i], ": ");
            doc_value(d, items[i], line->value);
            doc_str(d, items[i], "\n");
        }
        for (size_t i = p->memory_summary.count; i > 0; i--)
            doc_droppable(d, DOC_SUMMARY, items[i - 1]);
    }
    layer_close(d, layer, "main_user");
    char *r = arena_alloc(d->a, 48);
    if (!r) return -1;
    if (p->setup_mode.s)
        nova_snprintf(r, 48, "user profile (%s)", p->setup_mode.s);
    else
        nova_snprintf(r, 48, "user profile");
    *reason = r;
    return layer;
}
