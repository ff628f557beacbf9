/*
 * text — the engine's one text type: a pointer and a byte length, so text is never
 * re-measured with strlen and can point into any buffer (the arena, a static string,
 * the request). Kept apart from request.h so the text modules (sanitize, the detector)
 * need nothing of the request.
 */
#ifndef NOVA_TEXT_H
#define NOVA_TEXT_H

#include <stddef.h>

/* A piece of UTF-8 text. s == NULL means absent or JSON null; otherwise s is
 * NUL-terminated and len is its byte length. Sanitized text is valid UTF-8 with no
 * control or invisible characters and no assembler markers. */
typedef struct nova_text {
    const char *s;
    size_t len;
} nova_text;

typedef struct nova_text_list {
    nova_text *items; /* sanitized; empty strings after sanitizing are dropped */
    size_t count;
} nova_text_list;

/* A static string literal as text: NOVA_LIT("the user"). */
#define NOVA_LIT(lit) ((nova_text){(lit), sizeof(lit) - 1})

#endif
