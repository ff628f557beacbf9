/*
 * json_prescan — one cheap, non-recursive pass over the raw request bytes before cJSON
 * parses them. It enforces what must be refused before a parser spends memory or stack
 * on the input, and what cJSON would get wrong:
 *   - the request size (NOVA_MAX_REQUEST_BYTES), checked first;
 *   - an empty or white-space-only request (NOVA_E_JSON "empty request");
 *   - nesting deeper than NOVA_MAX_DEPTH (NOVA_E_LIMIT), found without recursion, so a
 *     10,000-deep array costs 33 steps and no stack;
 *   - NUL characters in strings, raw or as \u0000 (NOVA_E_VALUE): cJSON's strings are
 *     NUL-terminated and would silently lose the rest of the text;
 *   - control characters outside strings (NOVA_E_JSON; cJSON would take them for space);
 *   - the length of every string after unescaping: NOVA_MAX_MESSAGE_BYTES for the
 *     top-level "message", NOVA_MAX_LLM_OUTPUT_BYTES for the top-level "llm_output",
 *     NOVA_MAX_STRING_BYTES for every other string and key (NOVA_E_LIMIT).
 * Errors name the field as a path built from the keys and array indices seen so far
 * (keys shown as written, non-ASCII bytes as '?') and give the byte offset.
 *
 * It also skips a leading UTF-8 byte order mark and, since cJSON rejects them, rewrites
 * lone UTF-16 surrogate escapes (\ud800 without its pair) as \ufffd: the same six bytes,
 * so byte offsets do not move. Such input is what JSON.stringify makes of a JavaScript
 * string holding a lone surrogate; it becomes U+FFFD like ill-formed UTF-8 does.
 * Syntax errors are left to cJSON: this pass only tracks strings and brackets.
 *
 * Most requests need none of that (no control character, no \u escape, no string over
 * the limits), and cJSON then parses them directly: json_prescan_trivial() tells so in
 * a pass that reads 8 bytes a step, and the full scan runs only for the others, or to
 * explain why cJSON refused a request (request.c says the order).
 */
#ifndef NOVA_JSON_PRESCAN_H
#define NOVA_JSON_PRESCAN_H

#include <stddef.h>

#include "arena.h"
#include "error.h"

typedef struct json_text {
    const char *text; /* what to parse: the request past any BOM, or an arena copy of it */
    size_t len;
    size_t offset;    /* bytes skipped at the start (3 after a BOM), for error positions */
} json_text;

/* The full scan: every check above; on success *out is the text for cJSON. */
nova_status json_prescan(arena *a, const char *json, size_t len, json_text *out,
                         nova_error *err);

/* 1 when cJSON may parse the request as it is: within the size limit, and no byte below
 * 0x20 other than tab, LF and CR (so no NUL) and no backslash followed by 'u' anywhere;
 * *out is then set (past a BOM). 0: run json_prescan(). Strings longer than the limits
 * are not looked for here (request.c checks the parse for them). */
int json_prescan_trivial(const char *json, size_t len, json_text *out);

/* How an error path shows a key, here and in request.c (one rule): its first
 * JSON_PATH_KEY_SHOWN characters, each printable ASCII character other than '.', '[' and
 * ']' as it is and every other one as '?' (so no key can pose as a path or carry a line
 * break into a log), then "..." when the key is longer. */
#define JSON_PATH_KEY_SHOWN 48
char json_path_key_char(int c);

#endif
