/*
 * memory_result — the memory calls' results as the contract's JSON
 * (schema/nova-contract.schema.json: memory_prompt_result, memory_ops_result). Each
 * returns a malloc'ed NUL-terminated text (the caller's, freed with nova_free) or NULL on
 * allocation failure.
 */
#ifndef NOVA_MEMORY_RESULT_H
#define NOVA_MEMORY_RESULT_H

#include <stddef.h>

#include "memory_ops.h"
#include "memory_prompt.h"

char *result_memory_prompt_json(const memory_prompt_out *mp, size_t *len);
char *result_memory_ops_json(const memory_ops_out *mo, size_t *len);

#endif
