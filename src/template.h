/*
 * template — how the creator texts in prompts/ name the things the engine fills in, so the
 * creator edits the whole wording as plain text and C supplies only data:
 *
 *   {{name}}       inside a line: the value `name` (a sanitized one-line text, so a value
 *                  can never add or break a line);
 *   {{name}}       alone on a line, when no value has that name: a block the caller writes
 *                  (a list of memories, say) in place of the line;
 *   {{#flag}} ... {{/flag}}   lines kept only when the flag is on; {{^flag}} ... {{/flag}}
 *                  only when it is off. Each marker stands alone on its line; sections nest.
 *
 * Lines end at LF (a CR before it is dropped); the text's trailing line breaks are ignored
 * and every kept line ends with one. An unknown flag is off; an unknown inline {{name}}
 * is left as written (the golden tests would show it).
 */
#ifndef NOVA_TEMPLATE_H
#define NOVA_TEMPLATE_H

#include <stddef.h>

#include "request.h"

typedef struct template_value {
    const char *name;
    nova_text text;
} template_value;

typedef struct template_flag {
    const char *name;
    int on;
} template_flag;

typedef struct template_args {
    const template_value *values;
    size_t value_count;
    const template_flag *flags;
    size_t flag_count;
    int every_section; /* keep the lines of every section, whatever the flags */
} template_args;

/* Where a rendering goes. The pointers passed to text() point into the template or into
 * a value, and live as long as they do. */
typedef struct template_sink {
    void *ctx;
    void (*text)(void *ctx, const char *s, size_t len); /* a piece of a kept line */
    void (*end_line)(void *ctx);                        /* the end of a kept line */
    void (*block)(void *ctx, const char *name, size_t len); /* may be NULL: no blocks */
} template_sink;

void template_render(const char *t, size_t len, const template_args *args,
                     const template_sink *sink);

#endif
