/*
 * layers — what the six layer builders share with the assembler (assemble.c): their
 * signature, the context they get, and the helpers they have in common (layers.c).
 * A layer writes into a doc (doc.h): one root node per layer, the budget decides later
 * what of it stays.
 */
#ifndef NOVA_LAYERS_H
#define NOVA_LAYERS_H

#include <stddef.h>

#include "detect.h"
#include "doc.h"
#include "request.h"

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

/* Fills ctx for req: the names (the user's; the reference's, else the first partner
 * name, sanitized here), the partner's id; stems NULL. The memory calls use the same
 * names, so a memory is about the same person in the prompt and in the extraction. */
void layer_ctx_init(layer_ctx *ctx, arena *a, const nova_request *req,
                    const nova_detection *det);

/* The names as data, one labelled line each and only the known ones: "User: Maya\n",
 * "Partner: Sam\n". The creator texts never paste a name into an instruction sentence
 * (they say "the user", "the partner"): a name is whatever its owner typed, so it may
 * only ever appear where a value is read as data. Returns how many lines it wrote. */
int layer_write_names(doc *d, int node, const layer_ctx *ctx);

/*
 * A layer builder: adds its layer to d and returns the layer's node, or -1 when the layer
 * is left out; either way *reason says why (static or arena text). When the arena fails
 * the return value and *reason do not matter: the assembler checks the arena.
 */
typedef int (*layer_fn)(doc *d, const layer_ctx *ctx, const char **reason);

int layer_core(doc *d, const layer_ctx *ctx, const char **reason);
int layer_main_user(doc *d, const layer_ctx *ctx, const char **reason);
int layer_reference(doc *d, const layer_ctx *ctx, const char **reason);
int layer_memory(doc *d, const layer_ctx *ctx, const char **reason);
int layer_insight(doc *d, const layer_ctx *ctx, const char **reason);
int layer_relationship(doc *d, const layer_ctx *ctx, const char **reason);

/* The reference layer's first line: [0] for an AI-built profile, [1] for the partner's own
 * (the memory update's echo check knows them too). */
extern const char *const layer_reference_intro[2];

/* Starts a layer: the blank line before it (all layers but the first), "<nova:NAME>".
 * vanishes: the layer is left out once the budget has dropped all its children. */
int layer_open(doc *d, const char *name, int first, int vanishes);
/* The marker line "<nova:NAME>" alone, into node (layer_open's, and the memory prompt's
 * data parts, which layer_close ends). */
void layer_open_marker(doc *d, int node, const char *name);
/* Ends it: "</nova:NAME>". */
void layer_close(doc *d, int layer, const char *name);

/* Writes a creator text (a prompts/ file) ending in exactly one line break. */
void layer_creator_text(doc *d, int node, const char *text, size_t len);

/* Writes a creator text with its values and flags (template.h) into node; block, when
 * not NULL, writes the caller's blocks ({{name}} lines), getting block_ctx. */
struct template_args;
typedef void (*layer_block_fn)(void *block_ctx, const char *name, size_t len);
void layer_template(doc *d, int node, const char *t, size_t len,
                    const struct template_args *args, layer_block_fn block, void *block_ctx);

/* Who a memory or insight is about. */
typedef enum layer_about {
    LAYER_ABOUT_RELATIONSHIP, /* about_user NULL */
    LAYER_ABOUT_USER,
    LAYER_ABOUT_PARTNER,
    LAYER_ABOUT_OTHER /* any other id */
} layer_about;
layer_about layer_about_of(const layer_ctx *ctx, nova_text about_user);
/* Each without a name: "the relationship", "the user", "the partner", "someone else". */
extern const nova_text layer_about_words[4];

/* The same as the assistant's layers name it: the user's or the partner's name when
 * known, else layer_about_words. */
nova_text layer_subject(const layer_ctx *ctx, nova_text about_user);

#endif
