/*
 * request_summary — flattening memory_summary into lines (request_summary.h says how).
 */
#include "request_summary.h"

#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "fmt.h"
#include "sanitize.h"

typedef struct walk {
    arena *a;
    nova_summary *out;
} walk;

typedef struct keyed {
    const cJSON *item;
    size_t index; /* keeps duplicate keys in their given order: a total order */
} keyed;

static int cmp_keyed(const void *pa, const void *pb) {
    const keyed *a = pa, *b = pb;
    int c = strcmp(a->item->string ? a->item->string : "", b->item->string ? b->item->string : "");
    if (c) return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

static int full(const walk *w) { return w->out->count >= SUMMARY_MAX_LINES; }

/* The text of a scalar; s NULL for null, objects and arrays (and on arena failure). */
static nova_text scalar_text(arena *a, const cJSON *v) {
    if (cJSON_IsString(v) && v->valuestring)
        return sanitize_text(a, v->valuestring, strlen(v->valuestring), SANITIZE_LINE,
                             SANITIZE_CAP_LONG);
    if (cJSON_IsBool(v)) return cJSON_IsTrue(v) ? NOVA_LIT("yes") : NOVA_LIT("no");
    if (cJSON_IsNumber(v)) { /* finite: the decoder checked */
        char buf[NOVA_SHORTEST_BUF];
        nova_format_shortest(v->valuedouble, buf);
        size_t n = strlen(buf);
        char *s = arena_strndup(a, buf, n);
        return (nova_text){s, s ? n : 0};
    }
    return (nova_text){NULL, 0};
}

static void add_line(walk *w, nova_text path, nova_text value) {
    if (!path.s || !value.s || !value.len || full(w)) return;
    nova_summary *o = w->out;
    if (!o->lines) {
        o->lines = arena_array(w->a, SUMMARY_MAX_LINES, sizeof *o->lines);
        if (!o->lines) return;
    }
    o->lines[o->count].path = path;
    o->lines[o->count].value = value;
    o->count++;
}

static nova_text join_path(arena *a, nova_text prefix, const char *key, size_t key_len) {
    size_t p = prefix.s ? prefix.len : 0;
    char *s = arena_alloc_raw(a, p + 1 + key_len + 1);
    if (!s) return (nova_text){NULL, 0};
    if (p) {
        memcpy(s, prefix.s, p);
        s[p++] = '.';
    }
    memcpy(s + p, key, key_len);
    s[p + key_len] = '\0';
    return (nova_text){s, p + key_len};
}

static void walk_object(walk *w, const cJSON *obj, nova_text prefix, int depth);

/* One member: a scalar line, an array line (+ its objects), or a nested object. */
static void walk_value(walk *w, const cJSON *v, nova_text path, int depth) {
    if (cJSON_IsObject(v)) {
        if (depth < SUMMARY_MAX_DEPTH) walk_object(w, v, path, depth + 1);
        return;
    }
    if (!cJSON_IsArray(v)) {
        add_line(w, path, scalar_text(w->a, v));
        return;
    }
    /* Scalars joined on one line, in array order (order is meaningful in an array). */
    nova_text t[SUMMARY_MAX_ITEMS];
    size_t count = 0, len = 0;
    for (const cJSON *e = v->child; e && count < SUMMARY_MAX_ITEMS; e = e->next) {
        t[count] = scalar_text(w->a, e);
        if (!t[count].s || !t[count].len) continue;
        len += (count ? 2 : 0) + t[count].len;
        count++;
    }
    if (count) {
        char *joined = arena_alloc_raw(w->a, len + 1);
        if (!joined) return;
        size_t at = 0;
        for (size_t i = 0; i < count; i++) {
            if (i) {
                memcpy(joined + at, ", ", 2);
                at += 2;
            }
            memcpy(joined + at, t[i].s, t[i].len);
            at += t[i].len;
        }
        joined[at] = '\0';
        add_line(w, path, (nova_text){joined, at});
    }
    /* Objects inside the array, numbered from 1. */
    if (depth >= SUMMARY_MAX_DEPTH) return;
    size_t i = 0;
    for (const cJSON *e = v->child; e && !full(w); e = e->next) {
        i++;
        if (!cJSON_IsObject(e)) continue;
        char num[24];
        int n = nova_snprintf(num, sizeof num, "%zu", i);
        nova_text sub = join_path(w->a, path, num, (size_t)n);
        if (sub.s) walk_object(w, e, sub, depth + 1);
    }
}

static void walk_object(walk *w, const cJSON *obj, nova_text prefix, int depth) {
    size_t n = 0;
    for (const cJSON *c = obj->child; c; c = c->next) n++;
    if (!n) return;
    keyed *kids = arena_array(w->a, n, sizeof *kids);
    if (!kids) return;
    n = 0;
    for (const cJSON *c = obj->child; c; c = c->next, n++) kids[n] = (keyed){c, n};
    qsort(kids, n, sizeof *kids, cmp_keyed);
    for (size_t i = 0; i < n && !full(w); i++) {
        const char *raw = kids[i].item->string ? kids[i].item->string : "";
        nova_text key = sanitize_text(w->a, raw, strlen(raw), SANITIZE_LINE, SANITIZE_CAP_NAME);
        if (!key.s || !key.len) continue;
        nova_text path = join_path(w->a, prefix, key.s, key.len);
        if (path.s) walk_value(w, kids[i].item, path, depth);
    }
}

int summary_flatten(arena *a, const cJSON *obj, nova_summary *out) {
    out->lines = NULL;
    out->count = 0;
    walk w = {a, out};
    if (obj) walk_object(&w, obj, (nova_text){NULL, 0}, 1);
    return !a->failed;
}
