/*
 * json_parse — cJSON's parser with its tree in the call's arena.
 *
 * cJSON allocates through one process-wide pair of hooks (cJSON_InitHooks). Setting
 * them per call would race with every other thread; so they are installed exactly once
 * (the first parse, under pthread_once) and never changed again, and what they do
 * depends only on the calling thread: inside json_parse() they take memory from the
 * arena of the call running on that thread (a thread-local pointer, set for the parse
 * and cleared after it); anywhere else they are plain malloc and free, so other cJSON
 * users in the process (the CLI, the tests) see cJSON as before. The tree is never freed
 * node by node: arena_free() releases it with everything else of the call, so a parse
 * costs no free() at all and cannot leak. An allocation failure sets the arena's failed
 * flag (cJSON itself cannot tell a failed malloc from bad JSON).
 *
 * A program linking libnova must not call cJSON_InitHooks itself: json_parse() would
 * see its tree allocated elsewhere and refuses to go on (NOVA_E_ARGUMENT).
 *
 * One shared write is cJSON's own and stays: every parse resets, and a failed one sets,
 * the position cJSON_GetErrorPtr() reports (a static of cJSON.c). The engine never reads
 * it (errors are located with the per-call return_parse_end), so concurrent calls only
 * race on a value nobody uses (helgrind reports it; nothing else).
 */
#ifndef NOVA_JSON_PARSE_H
#define NOVA_JSON_PARSE_H

#include <stddef.h>

#include "arena.h"
#include "error.h"

struct cJSON;

/* Parses text[0..len) into *root (arena memory). *end: the offset where parsing stopped
 * (the error position when *root is NULL). *longest: a bound no decoded string or key of
 * the tree exceeds (in bytes), cheaper than measuring them all. Returns NOVA_OK (also for a syntax error:
 * *root NULL), NOVA_E_NOMEM or NOVA_E_ARGUMENT (hooks replaced, recorded in err). */
nova_status json_parse(arena *a, const char *text, size_t len, struct cJSON **root,
                       size_t *end, size_t *longest, nova_error *err);

#endif
