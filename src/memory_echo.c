/* memory_echo — memory_echo.h says which texts and how they are compared. */
#include "memory_echo.h"

#include <string.h>

#include "layers.h"
#include "memory_norm.h"
#include "template.h"
#include "texts.h"

/* Collects one rendered line at a time. */
typedef struct collector {
    memory_echo *e;
    char *line;
    size_t len, cap;
} collector;

static int push(memory_echo *e, nova_text **list, size_t *count, size_t *cap, nova_text t) {
    if (!t.s) return 0;
    if (!t.len) return 1;
    if (*count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        nova_text *p = arena_array(e->a, ncap, sizeof *p);
        if (!p) return 0;
        if (*count) memcpy(p, *list, *count * sizeof *p);
        *list = p;
        *cap = ncap;
    }
    (*list)[(*count)++] = t;
    return 1;
}

static void add_text(collector *c, const char *s, size_t len) {
    if (c->len + len + 1 > c->cap) {
        size_t ncap = (c->len + len + 1) * 2;
        char *p = arena_alloc(c->e->a, ncap);
        if (!p) return;
        if (c->len) memcpy(p, c->line, c->len);
        c->line = p;
        c->cap = ncap;
    }
    memcpy(c->line + c->len, s, len);
    c->len += len;
}

static void sink_text(void *p, const char *s, size_t len) { add_text(p, s, len); }

static int ends_sentence(const char *s, size_t n, size_t i) {
    char c = s[i];
    return (c == '.' || c == '?' || c == '!' || c == ':' || c == ';') &&
           (i + 1 == n || s[i + 1] == ' ');
}

/* Each sentence of the line, normalized, and the line: normalizing works code point by
 * code point, so the line's form is its sentences' forms joined. */
static void sink_end_line(void *p) {
    collector *c = p;
    memory_echo *e = c->e;
    if (!c->line || !c->len) return;
    size_t first = e->sentence_count, start = 0, total = 0;
    for (size_t i = 0; i < c->len; i++) {
        if (!ends_sentence(c->line, c->len, i) && i + 1 != c->len) continue;
        nova_text sentence = memory_norm(e->a, (nova_text){c->line + start, i + 1 - start});
        total += sentence.len;
        push(e, &e->sentences, &e->sentence_count, &e->sentence_cap, sentence);
        start = i + 1;
    }
    char *line = arena_alloc_raw(e->a, total + 1);
    if (!line) return;
    size_t at = 0;
    for (size_t k = first; k < e->sentence_count; k++) {
        memcpy(line + at, e->sentences[k].s, e->sentences[k].len);
        at += e->sentences[k].len;
    }
    line[at] = '\0';
    push(e, &e->lines, &e->line_count, &e->line_cap, (nova_text){line, at});
    c->len = 0;
}

static void collect(collector *c, const char *text, size_t len, const template_args *args) {
    const template_sink sink = {c, sink_text, sink_end_line, NULL};
    template_render(text, len, args, &sink);
}

/* "\x01a\x01b\x01...\x01": the items of at least min bytes, each between separators. */
static nova_text joined(arena *a, const nova_text *items, size_t count, size_t min) {
    size_t n = 1;
    for (size_t i = 0; i < count; i++)
        if (items[i].len >= min) n += items[i].len + 1;
    char *s = arena_alloc_raw(a, n + 1);
    if (!s) return (nova_text){NULL, 0};
    size_t at = 0;
    s[at++] = ECHO_SEP;
    for (size_t i = 0; i < count; i++) {
        if (items[i].len < min) continue;
        memcpy(s + at, items[i].s, items[i].len);
        at += items[i].len;
        s[at++] = ECHO_SEP;
    }
    s[at] = '\0';
    return (nova_text){s, at};
}

int memory_echo_init(memory_echo *e, arena *a, const memory_scope *s) {
    memset(e, 0, sizeof *e);
    e->a = a;
    collector c = {e, NULL, 0, 0};
    /* Every section of the memory prompt: what a model may echo is whatever it was shown
     * in any context, and the ops call does not know which sections the prompt kept. */
    const template_args all = {s->values, MEMORY_SCOPE_VALUES, NULL, 0, 1};
    collect(&c, nova_text_core, nova_text_core_len, &all);
    collect(&c, nova_text_memory, nova_text_memory_len, &all);
    collect(&c, nova_text_insight, nova_text_insight_len, &all);
    collect(&c, nova_text_relationship, nova_text_relationship_len, &all);
    collect(&c, nova_text_memory_update, nova_text_memory_update_len, &all);
    for (int i = 0; i < 2; i++)
        collect(&c, layer_reference_intro[i], strlen(layer_reference_intro[i]), &all);
    e->all_lines = joined(a, e->lines, e->line_count, 1);
    e->all_sentences = joined(a, e->sentences, e->sentence_count, ECHO_SHORT_BYTES);
    return !a->failed;
}

/* Is needle in hay? The plain search (each place of needle's first byte, found with
 * memchr, compared): in every search here one side is the prompts' own text, natural
 * sentences without long self-overlapping runs, so a compare stops within a few bytes
 * at all but a true match and the search stays linear. Smaller than libc's two-way
 * strstr, which the wasm modules' size budget counts. */
static int contains(nova_text hay, const char *needle, size_t n) {
    if (!n) return 1;
    const char *at = hay.s, *end = hay.s + hay.len;
    while ((size_t)(end - at) >= n && (at = memchr(at, needle[0], (size_t)(end - at) - n + 1))) {
        if (memcmp(at + 1, needle + 1, n - 1) == 0) return 1;
        at++;
    }
    return 0;
}

/* Is norm, between separators, in list (when whole) or anywhere in it? */
static int found(nova_text list, nova_text norm, int whole, arena *a) {
    if (!whole) return contains(list, norm.s, norm.len);
    char *key = arena_alloc_raw(a, norm.len + 2);
    if (!key) return 0;
    key[0] = ECHO_SEP;
    memcpy(key + 1, norm.s, norm.len);
    key[norm.len + 1] = ECHO_SEP;
    return contains(list, key, norm.len + 2);
}

int memory_echo_is(const memory_echo *e, nova_text norm) {
    if (!norm.len || !e->all_lines.s || !e->all_sentences.s) return 0;
    if (found(e->all_lines, norm, norm.len < ECHO_LONG_BYTES, e->a)) return 1;
    if (norm.len >= ECHO_SHORT_BYTES && found(e->all_sentences, norm, 1, e->a)) return 1;
    for (size_t i = 0; i < e->sentence_count; i++) {
        const nova_text *t = &e->sentences[i];
        if (t->len >= ECHO_LONG_BYTES && norm.len > t->len && contains(norm, t->s, t->len)) return 1;
    }
    return 0;
}
