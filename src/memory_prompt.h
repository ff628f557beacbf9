/*
 * memory_prompt — nova_memory_prompt: the two chat messages of the extraction call. The
 * system message is the creator's text (prompts/memory_update.txt, a template.h template)
 * with the scope's names, the existing memories under temporary ids and the partner's
 * notes; the user message is the transcript between <nova:transcript> marker lines, each
 * turn "user: ..." or "assistant: ..." with its continuation lines indented (doc_value),
 * so no content can start a line, and sanitized, so none can write a marker.
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
