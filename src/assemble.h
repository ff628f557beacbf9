/*
 * assemble — the layered system prompt: runs the six layers in their fixed order
 * (core, main_user, reference, memory, insight, relationship), applies the budget and
 * joins the kept text.
 */
#ifndef NOVA_ASSEMBLE_H
#define NOVA_ASSEMBLE_H

#include <stddef.h>

#include "arena.h"
#include "detect.h"
#include "error.h"
#include "request.h"

typedef struct nova_layer_report {
    const char *name;    /* "core", "main_user", ... */
    int included;
    size_t chars;        /* Unicode code points this layer adds to the prompt */
    const char *reason;  /* why included or not, e.g. "no reference", "detector score 2.5 >= 2" */
} nova_layer_report;

#define NOVA_LAYER_COUNT 6

typedef struct nova_assembly {
    const char *prompt;  /* arena-owned, NUL-terminated */
    size_t prompt_len;   /* bytes */
    nova_layer_report layers[NOVA_LAYER_COUNT];
    nova_detection detection;
    size_t max_chars, used_chars;
    size_t dropped_memories, dropped_insights, dropped_reference_items, dropped_summary_lines;
} nova_assembly;

nova_status assemble_run(arena *a, const nova_request *req, nova_assembly *out,
                         nova_error *err);

#endif
