/* memory_prompt — memory_prompt.h says what the two messages hold. */
#include "memory_prompt.h"

#include <string.h>

#include "fmt.h"
#include "layers.h"
#include "memory_scope.h"
#include "template.h"
#include "texts.h"

/* What the blocks of the template are written with. */
typedef struct prompt_sink {
    doc *d;
    int node;
    const memory_scope *scope;
} prompt_sink;

static int is_block(const char *name, size_t len, const char *want) {
    return strlen(want) == len && memcmp(name, want, len) == 0;
}

/* "- m1 (important_date, about Sam, confidence 0.95): Sam's birthday is March 3." */
static void memory_list(prompt_sink *k) {
    doc *d = k->d;
    for (size_t i = 0; i < k->scope->shown_count; i++) {
        const nova_memory *m = k->scope->shown[i];
        char id[24], conf[NOVA_NUMBER_BUF];
        memory_scope_temp_id(i, id);
        nova_format_number(m->confidence, conf);
        size_t cap = strlen(conf) + 64;
        char *head = arena_alloc(d->a, cap), *tail = arena_alloc(d->a, cap);
        if (!head || !tail) return;
        nova_snprintf(head, cap, "- %s (%s, about ", id, nova_memory_category_names[m->category]);
        nova_snprintf(tail, cap, ", confidence %s): ", conf);
        doc_str(d, k->node, head);
        doc_value(d, k->node, layer_subject(&k->scope->names, m->about_user));
        doc_str(d, k->node, tail);
        doc_value(d, k->node, m->content);
        doc_str(d, k->node, "\n");
    }
}

/* "- traits: thoughtful", field by field. */
static void partner_items(prompt_sink *k) {
    for (int f = 0; f < MEMORY_NOTE_FIELDS; f++) {
        nova_text_list items = memory_scope_note_items(k->scope, f);
        for (size_t i = 0; i < items.count; i++) {
            doc_str(k->d, k->node, "- ");
            doc_str(k->d, k->node, memory_note_fields[f]);
            doc_str(k->d, k->node, ": ");
            doc_value(k->d, k->node, items.items[i]);
            doc_str(k->d, k->node, "\n");
        }
    }
}

static void write_block(void *p, const char *name, size_t len) {
    prompt_sink *k = p;
    if (is_block(name, len, "memory_list")) memory_list(k);
    else if (is_block(name, len, "partner_items")) partner_items(k);
}

static size_t note_item_count(const memory_scope *s) {
    size_t n = 0;
    for (int f = 0; f < MEMORY_NOTE_FIELDS; f++) n += memory_scope_note_items(s, f).count;
    return n;
}

/* The transcript, between markers: "user: ..." / "assistant: ...", empty turns left out. */
static void transcript(doc *d, int node, const nova_request *req) {
    doc_str(d, node, "<nova:transcript>\n");
    for (size_t i = 0; i < req->turn_count; i++) {
        const nova_turn *t = &req->transcript[i];
        if (!t->content.len) continue;
        doc_str(d, node, t->role == NOVA_TURN_USER ? "user: " : "assistant: ");
        doc_value(d, node, t->content);
        doc_str(d, node, "\n");
    }
    doc_str(d, node, "</nova:transcript>\n");
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
        {"has_memories", scope.shown_count > 0},
        {"has_partner_items", note_item_count(&scope) > 0},
    };
    const template_args args = {scope.values, MEMORY_SCOPE_VALUES, flags,
                                sizeof flags / sizeof flags[0], 0};

    doc d;
    doc_init(&d, a);
    int system = doc_node_new(&d, -1, 0);
    prompt_sink k = {&d, system, &scope};
    layer_template(&d, system, nova_text_memory_update, nova_text_memory_update_len, &args,
                   write_block, &k);
    out->system = doc_render(&d, &out->system_len);

    doc u;
    doc_init(&u, a);
    transcript(&u, doc_node_new(&u, -1, 0), req);
    out->user = doc_render(&u, &out->user_len);

    if (a->failed || !out->system || !out->user)
        return NOVA_E_NOMEM;
    return NOVA_OK;
}
