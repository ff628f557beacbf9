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
 *     top-level "message", NOVA_MAX_STRING_BYTES for every other string and key
 *     (NOVA_E_LIMIT).
 * Errors name the field as a path built from the keys and array indices seen so far
 * (keys shown as written, non-ASCII bytes as '?') and give the byte offset.
 *
 * It also skips a leading UTF-8 byte order mark and, since cJSON rejects them, rewrites
 * lone UTF-16 surrogate escapes (\ud800 without its pair) as \ufffd: the same six bytes,
 * so byte offsets do not move. Such input is what JSON.stringify makes of a JavaScript
 * string holding a lone surrogate; it becomes U+FFFD like ill-formed UTF-8 does.
 * Syntax errors are left to cJSON: this pass only tracks strings and brackets.
 */
#ifndef NOVA_JSON_PRESCAN_H
#define NOVA_JSON_PRESCAN_H

#include <stddef.h>

#include "arena.h"
#include "error.h"

typedef struct json_prescan_out {
    const char *text; /* what to parse: the request past any BOM, or an arena copy of it */
    size_t len;
    size_t offset;    /* bytes skipped at the start (3 after a BOM), for error positions */
} json_prescan_out;

nova_status json_prescan(arena *a, const char *json, size_t len, json_prescan_out *out,
                         nova_error *err);

#endif
