/*
 * json_syntax — where a JSON text stops being JSON, for error messages.
 *
 * cJSON's own error position means different things on different paths (one past a bad
 * byte where an object key was expected, the last byte when the text ends early), so a
 * refused request is located again here, after cJSON refused it, by a strict RFC 8259
 * scan. The offset it gives has one meaning everywhere: the first byte that cannot
 * continue a JSON text ({"a":1,,} -> 7, the second comma), or the text's length when
 * the text ends before its value does ([1,2 -> 4). Only error paths run it.
 */
#ifndef NOVA_JSON_SYNTAX_H
#define NOVA_JSON_SYNTAX_H

#include <stddef.h>

#define JSON_SYNTAX_OK ((size_t)-1)

/* The offset of the first byte of text[0..len) that cannot continue a JSON text (one
 * value, white space around it), len when the text ends too early, or JSON_SYNTAX_OK
 * when the whole text is JSON (or nests deeper than this scan follows, 256 levels).
 * Strings are read as cJSON reads them: any byte but an unescaped '"' or '\\'. */
size_t json_syntax_error_at(const char *text, size_t len);

#endif
