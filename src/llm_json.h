/*
 * llm_json — the answer object in what a chat model wrote. Models wrap their JSON in code
 * fences, put prose (even prose with braces) before and after it, think aloud in
 * <think>...</think> blocks, use CRLF, stop mid-object, or write lone UTF-16 surrogate
 * escapes; none of that may lose the answer silently.
 *
 * The answer is the first JSON object, in text order, that is complete and has a member
 * "operations" whose value is an array: each '{' outside a think block is tried in turn,
 * so one nested in a wrapper object or following a brace of prose is found too. Think
 * blocks (<think> or <thinking>, any case, to the matching close tag) are skipped, and so
 * is everything before a close tag that has no open tag (some APIs drop the opening one).
 * The JSON is strict RFC 8259 but for strings, which may hold raw control characters
 * (the sanitizer deals with them), and \u escapes, where a lone surrogate reads as U+FFFD
 * and \u0000 as nothing.
 *
 * Nothing is copied or allocated while searching: values are spans of the model's text,
 * read on demand (llm_member, llm_next_item, llm_string).
 */
#ifndef NOVA_LLM_JSON_H
#define NOVA_LLM_JSON_H

#include <stddef.h>

#include "arena.h"
#include "request.h"

/* Deepest nesting a candidate object may have: the answer needs 3 levels. */
#define LLM_MAX_DEPTH 32

typedef enum llm_type { LLM_NULL, LLM_BOOL, LLM_NUMBER, LLM_STRING, LLM_ARRAY, LLM_OBJECT } llm_type;

/* A JSON value: its type and its text (s[0..len), from its first byte to its last). */
typedef struct llm_value {
    llm_type type;
    const char *s;
    size_t len;
} llm_value;

typedef enum llm_answer {
    LLM_ANSWER_FOUND,     /* *operations is the array */
    LLM_ANSWER_NOTHING,   /* empty, white space or "NONE" (think blocks aside): no answer */
    LLM_ANSWER_NONE,      /* no complete object with an operations array */
    LLM_ANSWER_TRUNCATED  /* none, and the text ends inside an object or a think block */
} llm_answer;

llm_answer llm_find_operations(const char *text, size_t len, llm_value *operations);

/* The items of an array in order: *at starts at 0; returns 0 after the last item. */
int llm_next_item(const llm_value *array, size_t *at, llm_value *item);

/* The first member named key (ASCII; the JSON key's escapes are decoded) of an object;
 * returns 0 when there is none. */
int llm_member(const llm_value *object, const char *key, llm_value *out);

/* A string's text, unescaped, NUL-terminated in the arena (.s NULL when it failed). */
nova_text llm_string(arena *a, const llm_value *v);

/* A number's value (+-HUGE_VAL when out of range). */
double llm_number(const llm_value *v);

#endif
