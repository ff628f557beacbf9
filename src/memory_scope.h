/*
 * memory_scope — what the AI's memory update may do for one context. Both memory calls
 * derive it from the context alone, the same way, so the prompt (nova_memory_prompt) and
 * the check of the model's answer (nova_memory_ops) agree on the temporary ids and on
 * which operations exist, without any state carried between the two calls:
 *
 *   - shared-memory operations (add, update, deactivate) need a pending or active
 *     partnership: shared_memories.partnership_id is required;
 *   - partner notes need a partner without a linked account: an AI-built reference, or
 *     no reference yet but a partner name (a linked partner's profile is their own);
 *   - "about": "partner" maps to the linked partner's user id, so it exists only when the
 *     partner is linked;
 *   - the temporary ids m1, m2, ... name the active memories with content, in
 *     context.memories order.
 */
#ifndef NOVA_MEMORY_SCOPE_H
#define NOVA_MEMORY_SCOPE_H

#include <stddef.h>

#include "arena.h"
#include "layers.h"
#include "request.h"
#include "rules.h"
#include "template.h"

/* The creator text's values for the memory prompt (template.h): categories, today. No
 * name is a value: names are data, in the user message (memory_prompt.h). */
#define MEMORY_SCOPE_VALUES 2

typedef struct memory_scope {
    const nova_request *req;
    layer_ctx names;          /* the two names and the partner's id, as the layers have them */
    int linked;               /* the partner has their own account (partner_account, or an
                                 active partnership with partner_user_id) */
    int memories;             /* shared-memory operations may be offered */
    int partner_notes;        /* partner notes may be offered */
    nova_text partner_user_id; /* what about "partner" maps to; NULL text: not linked */
    const nova_memory **shown; /* shown[k] has the temporary id "m<k+1>" */
    size_t shown_count;
    template_value values[MEMORY_SCOPE_VALUES];
} memory_scope;

/* The partner-note fields, as the model and the database name them (rules.h, from the
 * schema), and the reference's current items of each (empty unless the reference is
 * AI-built). */
#define MEMORY_NOTE_FIELDS NOVA_RULE_NOTE_FIELD_COUNT
extern const char *const memory_note_fields[MEMORY_NOTE_FIELDS];
nova_text_list memory_scope_note_items(const memory_scope *s, int field);

/* Returns 0 when the arena failed. */
int memory_scope_init(memory_scope *s, arena *a, const nova_request *req);

/* The memory a temporary id names ("m1" ... exactly: no sign, space or leading zero),
 * NULL for anything else. */
const nova_memory *memory_scope_find(const memory_scope *s, const char *id, size_t len);

/* Writes "m<k+1>" into buf (at least 24 bytes); returns buf. */
const char *memory_scope_temp_id(size_t k, char *buf);

#endif
