/*
 * layers — what the six layer builders share with the assembler (assemble.c).
 *
 * A layer does not write finished text. It adds to a `doc`: a tree of nodes (a layer, a
 * heading, one memory line, ...) and a list of text pieces in display order, each piece
 * owned by one node. The budget (budget.h) then drops whole droppable nodes, and a
 * container node (a category heading, a whole layer) disappears with its last child.
 * Rendering emits the pieces of the nodes still alive. So what is counted is exactly
 * what is printed, and no layer needs to know about the budget.
 */
#ifndef NOVA_LAYERS_H
#define NOVA_LAYERS_H

#include <stddef.h>

#include "arena.h"
#include "assemble.h"
#include "detect.h"
#include "request.h"

/* What a droppable node is; the budget drops whole classes in this order. */
typedef enum doc_class {
    DOC_MEMORY,
    DOC_INSIGHT,
    DOC_REFERENCE,
    DOC_CLASS_COUNT
} doc_class;

typedef struct doc_node {
    int parent;     /* index of the enclosing node, -1 for a layer */
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

/* New node under parent (-1: a layer). container: vanishes with its last child. Returns
 * its index, or -1 when the arena is exhausted (later calls then do nothing). */
int doc_node_new(doc *d, int parent, int container);

/* Appends text to the prompt, owned by node. `s` must outlive the call (arena/static). */
void doc_text(doc *d, int node, const char *s, size_t len);
void doc_str(doc *d, int node, const char *s); /* NUL-terminated static text */

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

/* What every layer builder gets: the request, the detector's verdict and the names the
 * layers use for the two people (already sanitized). */
typedef struct layer_ctx {
    const nova_request *req;
    const nova_detection *det;
    nova_text user_name;    /* the user's name; s == NULL when unknown */
    nova_text partner_name; /* the partner's name; s == NULL when unknown */
    nova_text partner_id;   /* reference.user_id, else partnership.partner_user_id */
    struct message_stems *stems; /* the message's word stems, built on first use (budget.h) */
} layer_ctx;

/*
 * A layer builder: adds its layer to d and returns the layer's node, or -1 when the layer
 * is left out; either way *reason says why (static or arena text). Returns -1 with
 * *reason NULL only when the arena failed.
 */
typedef int (*layer_fn)(doc *d, const layer_ctx *ctx, const char **reason);

int layer_core(doc *d, const layer_ctx *ctx, const char **reason);
int layer_main_user(doc *d, const layer_ctx *ctx, const char **reason);
int layer_reference(doc *d, const layer_ctx *ctx, const char **reason);
int layer_memory(doc *d, const layer_ctx *ctx, const char **reason);
int layer_insight(doc *d, const layer_ctx *ctx, const char **reason);
int layer_relationship(doc *d, const layer_ctx *ctx, const char **reason);

/* Starts a layer: the blank line before it (all layers but the first), "<nova:NAME>".
 * vanishes: the layer is left out once the budget has dropped all its children. */
int layer_open(doc *d, const char *name, int first, int vanishes);
/* Ends it: "</nova:NAME>". */
void layer_close(doc *d, int layer, const char *name);

/* Writes a creator text (a prompts/ file) ending in exactly one line break. */
void layer_creator_text(doc *d, int node, const char *text, size_t len);

/* Who a memory or insight is about, from the assistant's point of view: the user's name
 * (or "the user"), the partner's name (or "the partner"), "the relationship" for NULL,
 * "someone else" for any other id. */
nova_text layer_subject(const layer_ctx *ctx, nova_text about_user);

#endif
