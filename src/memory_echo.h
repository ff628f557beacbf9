/*
 * memory_echo — the engine's own words, so that a memory, update or partner note that
 * restates them is rejected as an "echo" (the junk memory layers collect: restated system
 * prompts). The texts: core, the memory and insight instructions, the relationship frame
 * and the memory prompt's own lines (every section, with the scope's names), and the
 * reference layer's fixed sentences. Compared after memory_norm():
 *   - equal to one of their lines, or to one of their sentences of at least
 *     ECHO_SHORT_BYTES normalized bytes;
 *   - or, for content of at least ECHO_LONG_BYTES, a part of one of their lines;
 *   - or containing one of their sentences of at least ECHO_LONG_BYTES.
 */
#ifndef NOVA_MEMORY_ECHO_H
#define NOVA_MEMORY_ECHO_H

#include <stddef.h>

#include "arena.h"
#include "memory_scope.h"
#include "request.h"

#define ECHO_SHORT_BYTES 12
#define ECHO_LONG_BYTES 24

typedef struct memory_echo {
    nova_text *lines;     /* normalized, non-empty */
    size_t line_count, line_cap;
    nova_text *sentences; /* normalized, non-empty */
    size_t sentence_count, sentence_cap;
    /* The same joined, each one between two ECHO_SEP bytes (never in normalized text), so
     * "equal to one" and "part of one" are one search each; sentences of at least
     * ECHO_SHORT_BYTES only. */
    nova_text all_lines, all_sentences;
    arena *a;
} memory_echo;

#define ECHO_SEP '\x01'

/* Returns 0 when the arena failed. */
int memory_echo_init(memory_echo *e, arena *a, const memory_scope *s);

/* 1 when norm (memory_norm of a content) echoes the engine's texts. */
int memory_echo_is(const memory_echo *e, nova_text norm);

#endif
