/* template — the placeholders of the creator texts (template.h has the syntax). */
#include "template.h"

#include <string.h>

#define TEMPLATE_MAX_NESTING 16

/* If line[0..n) is "{{<sigil>name}}" alone (sigil '#', '^', '/' or none), sets *name and
 * returns the sigil (0 for none); returns -1 otherwise. */
static int marker_line(const char *line, size_t n, const char **name, size_t *name_len) {
    if (n < 5 || memcmp(line, "{{", 2) != 0 || memcmp(line + n - 2, "}}", 2) != 0) return -1;
    const char *s = line + 2;
    size_t k = n - 4;
    int sigil = 0;
    if (*s == '#' || *s == '^' || *s == '/') {
        sigil = *s++;
        k--;
    }
    if (k == 0) return -1;
    for (size_t i = 0; i < k; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || c == '_')) return -1;
    }
    *name = s;
    *name_len = k;
    return sigil;
}

static int same_name(const char *a, const char *b, size_t b_len) {
    return strlen(a) == b_len && memcmp(a, b, b_len) == 0;
}

static int flag_on(const template_args *args, const char *name, size_t len) {
    for (size_t i = 0; i < args->flag_count; i++)
        if (same_name(args->flags[i].name, name, len)) return args->flags[i].on;
    return 0;
}

static const template_value *find_value(const template_args *args, const char *name,
                                        size_t len) {
    for (size_t i = 0; i < args->value_count; i++)
        if (same_name(args->values[i].name, name, len)) return &args->values[i];
    return NULL;
}

/* A kept line: the text between placeholders, and the values in their place. */
static void put_line(const char *line, size_t n, const template_args *args,
                     const template_sink *sink) {
    size_t start = 0, i = 0;
    while (i + 1 < n) {
        if (line[i] != '{' || line[i + 1] != '{') {
            i++;
            continue;
        }
        size_t j = i + 2;
        while (j + 1 < n && !(line[j] == '}' && line[j + 1] == '}')) j++;
        const template_value *v = j + 1 < n ? find_value(args, line + i + 2, j - i - 2) : NULL;
        if (!v) {
            i += 2;
            continue;
        }
        if (i > start) sink->text(sink->ctx, line + start, i - start);
        if (v->text.len) sink->text(sink->ctx, v->text.s, v->text.len);
        i = start = j + 2;
    }
    if (n > start) sink->text(sink->ctx, line + start, n - start);
    sink->end_line(sink->ctx);
}

void template_render(const char *t, size_t len, const template_args *args,
                     const template_sink *sink) {
    while (len && (t[len - 1] == '\n' || t[len - 1] == '\r')) len--;
    if (!len) return;
    int kept[TEMPLATE_MAX_NESTING + 1];
    size_t depth = 0;
    kept[0] = 1;
    size_t at = 0;
    while (at <= len) {
        const char *line = t + at;
        const char *nl = memchr(line, '\n', len - at);
        size_t n = nl ? (size_t)(nl - line) : len - at;
        at += n + 1;
        if (n && line[n - 1] == '\r') n--;
        const char *name;
        size_t name_len;
        int sigil = marker_line(line, n, &name, &name_len);
        if ((sigil == '#' || sigil == '^') && depth < TEMPLATE_MAX_NESTING) {
            int on = flag_on(args, name, name_len);
            kept[depth + 1] = kept[depth] && (args->every_section || (sigil == '#' ? on : !on));
            depth++;
            continue;
        }
        if (sigil == '/' && depth > 0) {
            depth--;
            continue;
        }
        if (!kept[depth]) continue;
        if (sigil == 0 && sink->block && !find_value(args, name, name_len)) {
            sink->block(sink->ctx, name, name_len);
            continue;
        }
        put_line(line, n, args, sink);
    }
}
