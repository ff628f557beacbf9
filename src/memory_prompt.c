/* memory_prompt — memory_prompt.h says what the two messages hold. */
#include "memory_prompt.h"

#include <string.h>

#include "fmt.h"
#include "layers.h"
#include "memory_scope.h"
#include "template.h"
#include "texts.h"

/* "- m1 (important_date, about the partner, confidence 0.95): Sam's birthday is March 3."
 * The subject in the words of the operations' "about", not a name: the names are given
 * once, in <nova:names>. */
static void memory_list(doc *d, int node, const memory_scope *scope) {
    for (size_t i = 0; i < scope->shown_count; i++) {
        const nova_memory *m = scope->shown[i];
        char id[24], conf[NOVA_NUMBER_BUF];
        memory_scope_temp_id(i, id);
        nova_format_number(m->confidence, conf);
        size_t cap = strlen(conf) + 96;
        char *head = arena_alloc(d->a, cap);
        if (!head) return;
        nova_snprintf(head, cap, "- %s (%s, about %s, confidence %s): ", id,
                      nova_memory_category_names[m->category],
                      layer_about_words[layer_about_of(&scope->names, m->about_user)].s, conf);
        doc_str(d, node, head);
        doc_value(d, node, m->content);
        doc_str(d, node, "\n");
    }
}

/* "- traits: thoughtful", field by field. */
static void partner_items(doc *d, int node, const memory_scope *scope) {
    for (int f = 0; f < MEMORY_NOTE_FIELDS; f++) {
        nova_text_list items = memory_scope_note_items(scope, f);
        for (size_t i = 0; i < items.count; i++) {
            doc_str(d, node, "- ");
            doc_str(d, node, memory_note_fields[f]);
            doc_str(d, node, ": ");
            doc_value(d, node, items.items[i]);
            doc_str(d, node, "\n");
        }
    }
}

/* The transcript: "user: ..." / "assistant: ...", empty turns left out. */
static void transcript(doc *d, int node, const nova_request *req) {
    for (size_t i = 0; i < req->turn_count; i++) {
        const nova_turn *t = &req->transcript[i];
        if (!t->content.len) continue;
        doc_str(d, node, t->role == NOVA_TURN_USER ? "user: " : "assistant: ");
        doc_value(d, node, t->content);
        doc_str(d, node, "\n");
    }
}

/* The user message: memory_prompt.h has its layout. */
static void data_message(doc *d, int node, const memory_prompt_out *out,
                         const memory_scope *scope, const nova_request *req) {
    layer_open_marker(d, node, "names");
    layer_write_names(d, node, &scope->names);
    layer_close(d, node, "names");
    if (out->allow_memories) {
        layer_open_marker(d, node, "memories");
        memory_list(d, node, scope);
        layer_close(d, node, "memories");
    }
    if (out->allow_partner_notes) {
        layer_open_marker(d, node, "partner_notes");
        partner_items(d, node, scope);
        layer_close(d, node, "partner_notes");
    }
    layer_open_marker(d, node, "transcript");
    transcript(d, node, req);
    layer_close(d, node, "transcript");
}

nova_status memory_prompt_run(arena *a, const nova_request *req, memory_prompt_out *out) {
    memset(out, 0, sizeof *out);
    memory_scope scope;
    if (!memory_scope_init(&scope, a, req)) return NOVA_E_NOMEM;

    /* Facts come only from the user's words: without any, there is nothing to offer. */
    int user_spoke = 0;
    for (size_t i = 0; i < req->turn_count; i++)
        if (req->transcript[i].role == NOVA_TURN_USER && req->transcript[i].content.len)
            user_spoke = 1;
    out->allow_memories = user_spoke && scope.memories;
    out->allow_partner_notes = user_spoke && scope.partner_notes;

    int partner_known = scope.names.partner_name.s != NULL;
    const template_flag flags[] = {
        {"today", req->has_now},
        {"linked", scope.linked},
        {"unlinked_partner", !scope.linked && partner_known},
        {"no_partner", !scope.linked && !partner_known},
        {"memories", out->allow_memories},
        {"partner_notes", out->allow_partner_notes},
        {"anything", out->allow_memories || out->allow_partner_notes},
    };
    const template_args args = {scope.values, MEMORY_SCOPE_VALUES, flags,
                                sizeof flags / sizeof flags[0], 0};

    doc d;
    doc_init(&d, a);
    int system = doc_node_new(&d, -1, 0);
    layer_template(&d, system, nova_text_memory_update, nova_text_memory_update_len, &args,
                   NULL, NULL);
    out->system = doc_render(&d, &out->system_len);

    doc u;
    doc_init(&u, a);
    data_message(&u, doc_node_new(&u, -1, 0), out, &scope, req);
    out->user = doc_render(&u, &out->user_len);

    if (a->failed || !out->system || !out->user)
        return NOVA_E_NOMEM;
    return NOVA_OK;
}
