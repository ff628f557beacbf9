/*
 * json_write — the result JSON written straight into the caller's buffer: no tree to
 * build and print. What no library here does, and all the engine needs: literal JSON
 * text (keys, punctuation), strings escaped exactly as cJSON prints them (\" \\ \b \f \n
 * \r \t, other bytes below 0x20 as \u00xx, everything else as is: the text is UTF-8),
 * unsigned integers, and the engine's numbers (nova_format_number).
 *
 * The buffer is malloc'ed (the result belongs to the caller, who frees it with
 * nova_free) and grows by doubling. Failure is sticky, as in the arena: after a failed
 * allocation every call does nothing and json_out_finish() returns NULL.
 */
#ifndef NOVA_JSON_WRITE_H
#define NOVA_JSON_WRITE_H

#include <stddef.h>

#include "text.h"

typedef struct json_out {
    char *buf;
    size_t len, cap;
    int failed;
} json_out;

/* An empty output with room for about `hint` bytes. */
void json_out_init(json_out *o, size_t hint);

/* JSON text as it is: keys, punctuation, literals. */
void json_raw(json_out *o, const char *s, size_t n);
/* A string literal only ("" lit "" refuses anything else: sizeof must see the array). */
#define JSON_LIT(o, lit) json_raw((o), "" lit "", sizeof(lit) - 1)

/* "s", escaped; s NULL writes "" (as cJSON does). */
void json_string(json_out *o, nova_text s);
void json_cstring(json_out *o, const char *s); /* NUL-terminated */

void json_uint(json_out *o, size_t v);
void json_bool(json_out *o, int v);
void json_number(json_out *o, double v); /* nova_format_number: 6 decimals at most */

/* The text, NUL-terminated, *len its length; the caller frees it. NULL after a failure
 * (the buffer is then freed already). */
char *json_out_finish(json_out *o, size_t *len);

#endif
