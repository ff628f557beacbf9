/*
 * memory_prompt — nova_memory_prompt: the two chat messages of the extraction call.
 *
 * The system message is instructions only: the creator's text (prompts/memory_update.txt,
 * a template.h template) with the flags of the scope, the category list and today's date.
 * It says "the user" and "the partner", never a name.
 *
 * The user message is data only, every part between its marker lines, in this order:
 *
 *   <nova:names>           "User: Maya", "Partner: Sam" (the known ones; layer_write_names)
 *   </nova:names>
 *   <nova:memories>        when memories are offered: "- m1 (important_date, about the
 *   </nova:memories>       partner, confidence 0.95): Sam's birthday is March 3."
 *   <nova:partner_notes>   when notes are offered: "- traits: thoughtful"
 *   </nova:partner_notes>
 *   <nova:transcript>      "user: ..." / "assistant: ...", empty turns left out
 *   </nova:transcript>
 *
 * Names, memories, notes and turns are written with doc_value (continuation lines
 * indented, so no value can start a line) and were sanitized (so none can write a
 * marker). A name is therefore printed once, after its label, and a memory written from
 * the partner's chats is read as data, never as one of the rules.
 */
#ifndef NOVA_MEMORY_PROMPT_H
#define NOVA_MEMORY_PROMPT_H

#include <stddef.h>

#include "arena.h"
#include "nova.h"
#include "request.h"

typedef struct memory_prompt_out {
    const char *system; /* arena-owned, NUL-terminated */
    size_t system_len;
    const char *user;
    size_t user_len;
    int allow_memories;      /* the prompt offers add / update / deactivate */
    int allow_partner_notes; /* the prompt offers partner_note */
} memory_prompt_out;

/* NOVA_OK, or NOVA_E_NOMEM when the arena failed (arena.h). */
nova_status memory_prompt_run(arena *a, const nova_request *req, memory_prompt_out *out);

#endif
