/*
 * doc — the prompt's node tree and text pieces (doc.h says why it is built this way).
 */
#include "doc.h"

#include <string.h>

#include "utf8.h"

/* Doubles an arena array (the old block stays in the arena: the doc is short-lived). */
static void *grow(arena *a, void *old, size_t count, size_t *cap, size_t elem) {
    size_t ncap = *cap ? *cap * 2 : 64;
    void *p = arena_array_raw(a, ncap, elem); /* filled as it is used */
    if (!p) return NULL;
    if (count) memcpy(p, old, count * elem);
    *cap = ncap;
    return p;
}

void doc_init(doc *d, arena *a) {
    memset(d, 0, sizeof *d);
    d->a = a;
}

int doc_node_new(doc *d, int parent, int container) {
    if (d->a->failed) return -1;
    if (d->node_count == d->node_cap) {
        doc_node *p = grow(d->a, d->nodes, d->node_count, &d->node_cap, sizeof *p);
        if (!p) return -1;
        d->nodes = p;
    }
    int index = (int)d->node_count++;
    doc_node *n = &d->nodes[index];
    n->parent = parent;
    n->root = parent >= 0 ? d->nodes[parent].root : index;
    n->container = container;
    n->alive = 1;
    n->live = 0;
    n->chars = 0;
    if (parent >= 0) d->nodes[parent].live++;
    return index;
}

void doc_text(doc *d, int node, const char *s, size_t len) {
    if (node < 0 || !len || d->a->failed) return;
    if (d->piece_count == d->piece_cap) {
        doc_piece *p = grow(d->a, d->pieces, d->piece_count, &d->piece_cap, sizeof *p);
        if (!p) return;
        d->pieces = p;
    }
    d->pieces[d->piece_count++] = (doc_piece){s, len, node};
    d->nodes[node].chars += utf8_chars(s, len);
}

int doc_heading(doc *d, int parent, const char *title) {
    int heading = doc_node_new(d, parent, 1);
    doc_str(d, heading, title);
    doc_str(d, heading, ":\n");
    return heading;
}

void doc_value(doc *d, int node, nova_text v) {
    if (!v.s) return;
    size_t len = v.len;
    while (len && (v.s[len - 1] == '\n' || v.s[len - 1] == ' ')) len--;
    size_t start = 0;
    for (;;) {
        const char *nl = memchr(v.s + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - v.s) : len;
        if (start) doc_str(d, node, end > start ? "\n  " : "\n");
        doc_text(d, node, v.s + start, end - start);
        if (!nl) return;
        start = end + 1;
    }
}

void doc_field(doc *d, int node, const char *label, nova_text v) {
    if (!v.s || !v.len) return;
    doc_str(d, node, label);
    doc_str(d, node, ": ");
    doc_value(d, node, v);
    doc_str(d, node, "\n");
}

void doc_rank_later(doc *d, doc_class cls, doc_rank_fn rank, void *rank_ctx) {
    d->drop[cls].rank = rank;
    d->drop[cls].rank_ctx = rank_ctx;
}

void doc_droppable(doc *d, doc_class cls, int node) {
    if (node < 0 || d->a->failed) return;
    doc_order *o = &d->drop[cls];
    if (o->count == o->cap) {
        int *p = grow(d->a, o->nodes, o->count, &o->cap, sizeof *p);
        if (!p) return;
        o->nodes = p;
    }
    o->nodes[o->count++] = node;
}

size_t doc_alive_chars(const doc *d, int root) {
    size_t chars = 0;
    for (size_t i = 0; i < d->node_count; i++)
        if (d->nodes[i].root == root && d->nodes[i].alive) chars += d->nodes[i].chars;
    return chars;
}

int doc_alive(const doc *d, int node) { return node >= 0 && d->nodes[node].alive; }

char *doc_render(const doc *d, size_t *len) {
    size_t bytes = 0;
    for (size_t i = 0; i < d->piece_count; i++)
        if (d->nodes[d->pieces[i].node].alive) bytes += d->pieces[i].len;
    char *out = arena_alloc_raw(d->a, bytes + 1);
    if (!out) return NULL;
    size_t at = 0;
    for (size_t i = 0; i < d->piece_count; i++) {
        const doc_piece *pc = &d->pieces[i];
        if (!d->nodes[pc->node].alive) continue;
        memcpy(out + at, pc->s, pc->len);
        at += pc->len;
    }
    out[at] = '\0';
    *len = at;
    return out;
}
