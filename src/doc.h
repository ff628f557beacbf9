/*
 * doc — the prompt under construction. A layer does not write finished text: it adds to
 * a doc, a tree of nodes (a layer, a heading, one memory line, ...) and a list of text
 * pieces in display order, each piece owned by one node. The budget (budget.h) then
 * drops whole droppable nodes, a container node (a category heading, a whole layer)
 * disappearing with its last child, and doc_render() joins the pieces of the nodes still
 * alive. So what is counted is exactly what is printed, and no layer needs to know about
 * the budget.
 *
 * Out of memory: the doc is a builder with a sticky failure, like the arena under it.
 * After the first failed allocation every call does nothing (node constructors return
 * -1) and the arena's failed flag says so; the assembler checks it once, at the end.
 */
#ifndef NOVA_DOC_H
#define NOVA_DOC_H

#include <stddef.h>
#include <string.h>

#include "arena.h"
#include "text.h"

/* What a droppable node is; the budget drops whole classes in this order. */
typedef enum doc_class {
    DOC_MEMORY,
    DOC_INSIGHT,
    DOC_REFERENCE,
    DOC_SUMMARY,    /* lines of the user's memory_summary: the last resort */
    DOC_CLASS_COUNT
} doc_class;

typedef struct doc_node {
    int parent;     /* index of the enclosing node, -1 for a root (a layer) */
    int root;       /* the root this node is under (itself for a root) */
    int container;  /* disappears when its last child is dropped */
    int alive;
    size_t live;    /* children still alive */
    size_t chars;   /* code points of this node's own pieces */
} doc_node;

typedef struct doc_piece {
    const char *s;  /* arena-owned or static */
    size_t len;
    int node;
} doc_piece;

/* Puts nodes[0..count) into drop order (the first to drop first). */
typedef void (*doc_rank_fn)(void *rank_ctx, int *nodes, size_t count);

typedef struct doc_order {
    int *nodes;     /* droppable nodes of one class, the first to drop first */
    size_t count, cap;
    /* When set, the order is computed by rank() only if the budget has to drop from this
     * class: while everything fits (the usual case) no relevance is ever computed. */
    doc_rank_fn rank;
    void *rank_ctx;
} doc_order;

typedef struct doc {
    arena *a;
    doc_node *nodes;
    size_t node_count, node_cap;
    doc_piece *pieces;
    size_t piece_count, piece_cap;
    doc_order drop[DOC_CLASS_COUNT];
} doc;

/* An empty doc whose memory comes from a. */
void doc_init(doc *d, arena *a);

/* New node under parent (-1: a root). container: vanishes with its last child. Returns
 * its index, or -1 when the arena is exhausted. */
int doc_node_new(doc *d, int parent, int container);

/* Appends text to the prompt, owned by node. `s` must be valid UTF-8 (sanitized text,
 * literals, the creator's texts: its code points are counted by their lead bytes) and
 * outlive the doc (arena/static). */
void doc_text(doc *d, int node, const char *s, size_t len);

/* NUL-terminated text; inline, so a literal's length is known where it is written. */
static inline void doc_str(doc *d, int node, const char *s) { doc_text(d, node, s, strlen(s)); }

/* A heading node under parent, "<title>:\n", that vanishes with its last item. */
int doc_heading(doc *d, int parent, const char *title);

/* Appends a sanitized value; every line break inside it is followed by two spaces, so a
 * value can never start a line of its own (only the assembler writes line starts). */
void doc_value(doc *d, int node, nova_text v);

/* "label: value\n" when v is present and non-empty. */
void doc_field(doc *d, int node, const char *label, nova_text v);

/* Registers node as droppable; within a class, call in drop order (first dropped first)
 * unless the class has a rank function (doc_rank_later), which then sets the order. */
void doc_droppable(doc *d, doc_class cls, int node);
void doc_rank_later(doc *d, doc_class cls, doc_rank_fn rank, void *rank_ctx);

/* Code points of the alive nodes under root (root itself included). */
size_t doc_alive_chars(const doc *d, int root);

/* 1 when node is still alive (not dropped by the budget). */
int doc_alive(const doc *d, int node);

/* The pieces of the alive nodes joined, NUL-terminated, in the arena; *len its byte
 * length. NULL when the arena is exhausted. */
char *doc_render(const doc *d, size_t *len);

#endif
