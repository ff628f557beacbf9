/*
 * assemble — runs the six layers in their fixed order into one doc (layers.h), lets the
 * budget drop what does not fit, and renders what is left. Also the doc builder the
 * layers write through, and the few helpers they share.
 *
 * Order: core, main_user, reference, memory, insight, relationship. Stable first,
 * volatile last, so a provider's prompt cache keeps hitting on the long stable prefix;
 * only the budget (when over) and the last two layers depend on the message.
 */
#include "assemble.h"

#include <string.h>

#include "budget.h"
#include "fmt.h"
#include "layers.h"
#include "sanitize.h"
#include "utf8.h"

/* ------------------------------------------------------------------ doc builder */

/* Doubles an arena array (the old block stays in the arena: the doc is short-lived). */
static void *grow(arena *a, void *old, size_t count, size_t *cap, size_t elem) {
    size_t ncap = *cap ? *cap * 2 : 64;
    void *p = arena_array(a, ncap, elem);
    if (!p) return NULL;
    if (count) memcpy(p, old, count * elem);
    *cap = ncap;
    return p;
}

int doc_node_new(doc *d, int parent, int container) {
    if (d->a->failed) return -1;
    if (d->node_count == d->node_cap) {
        doc_node *p = grow(d->a, d->nodes, d->node_count, &d->node_cap, sizeof *p);
        if (!p) return -1;
        d->nodes = p;
    }
    doc_node *n = &d->nodes[d->node_count];
    n->parent = parent;
    n->container = container;
    n->alive = 1;
    n->live = 0;
    n->chars = 0;
    if (parent >= 0) d->nodes[parent].live++;
    return (int)d->node_count++;
}

void doc_text(doc *d, int node, const char *s, size_t len) {
    if (node < 0 || !len || d->a->failed) return;
    if (d->piece_count == d->piece_cap) {
        doc_piece *p = grow(d->a, d->pieces, d->piece_count, &d->piece_cap, sizeof *p);
        if (!p) return;
        d->pieces = p;
    }
    d->pieces[d->piece_count++] = (doc_piece){s, len, node};
    d->nodes[node].chars += utf8_count(s, len);
}

void doc_str(doc *d, int node, const char *s) { doc_text(d, node, s, strlen(s)); }

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
    for (size_t i = 0; i <= len; i++) {
        if (i < len && v.s[i] != '\n') continue;
        if (start) doc_str(d, node, i > start ? "\n  " : "\n");
        doc_text(d, node, v.s + start, i - start);
        start = i + 1;
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

/* ------------------------------------------------------------------ shared helpers */

int layer_open(doc *d, const char *name, int first, int vanishes) {
    int layer = doc_node_new(d, -1, vanishes);
    if (!first) doc_str(d, layer, "\n"); /* the blank line between layers */
    doc_str(d, layer, "<nova:");
    doc_str(d, layer, name);
    doc_str(d, layer, ">\n");
    return layer;
}

void layer_close(doc *d, int layer, const char *name) {
    doc_str(d, layer, "</nova:");
    doc_str(d, layer, name);
    doc_str(d, layer, ">\n");
}

void layer_creator_text(doc *d, int node, const char *text, size_t len) {
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r')) len--;
    doc_text(d, node, text, len);
    doc_str(d, node, "\n");
}

/* UUIDs compare without regard to the case of their hex digits. */
static int same_id(nova_text a, nova_text b) {
    if (!a.s || !b.s || a.len != b.len) return 0;
    for (size_t i = 0; i < a.len; i++) {
        char x = a.s[i], y = b.s[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
        if (x != y) return 0;
    }
    return 1;
}

static nova_text lit(const char *s) { return (nova_text){s, strlen(s)}; }

nova_text layer_subject(const layer_ctx *ctx, nova_text about_user) {
    if (!about_user.s) return lit("the relationship");
    if (same_id(about_user, ctx->req->user_id))
        return ctx->user_name.s ? ctx->user_name : lit("the user");
    if (same_id(about_user, ctx->partner_id))
        return ctx->partner_name.s ? ctx->partner_name : lit("the partner");
    return lit("someone else");
}

/* ------------------------------------------------------------------ the assembler */

static const char *const layer_names[NOVA_LAYER_COUNT] = {
    "core", "main_user", "reference", "memory", "insight", "relationship",
};

static const layer_fn layer_fns[NOVA_LAYER_COUNT] = {
    layer_core, layer_main_user, layer_reference, layer_memory, layer_insight,
    layer_relationship,
};

/* The budget class whose items a layer holds, or -1. */
static const int layer_class[NOVA_LAYER_COUNT] = {-1, -1, DOC_REFERENCE, DOC_MEMORY,
                                                  DOC_INSIGHT, -1};

/* The "there" of the seed's fallback (full_name ?? email ?? "there") is a greeting, not
 * a name: the layers then say "the user". */
static nova_text known_user_name(const nova_request *req) {
    nova_text n = req->has_user ? req->user.name : req->fallback_name;
    if (!n.s || !n.len || (n.len == 5 && memcmp(n.s, "there", 5) == 0))
        return (nova_text){NULL, 0};
    return n;
}

/* The reference's name, else the first configured partner name (raw in the request, so
 * sanitized here), else unknown. */
static nova_text known_partner_name(arena *a, const nova_request *req) {
    if (req->has_reference && req->reference.profile.name.s && req->reference.profile.name.len)
        return req->reference.profile.name;
    if (req->has_detection) {
        for (size_t i = 0; i < req->detection.partner_names.count; i++) {
            nova_text raw = req->detection.partner_names.items[i];
            nova_text n = sanitize_text(a, raw.s, raw.len, SANITIZE_LINE, SANITIZE_CAP_NAME);
            if (n.s && n.len) return n;
        }
    }
    return (nova_text){NULL, 0};
}

static const char *final_reason(arena *a, const char *reason, int included, size_t dropped) {
    if (!dropped) return reason;
    size_t cap = strlen(reason) + 64;
    char *r = arena_alloc(a, cap);
    if (!r) return reason;
    if (included)
        nova_snprintf(r, cap, "%s; %zu dropped to fit max_chars", reason, dropped);
    else
        nova_snprintf(r, cap, "%s; all %zu dropped to fit max_chars", reason, dropped);
    return r;
}

nova_status assemble_run(arena *a, const nova_request *req, nova_assembly *out,
                         nova_error *err) {
    memset(out, 0, sizeof *out);
    if (detect_run(a, req, &out->detection, err) != NOVA_OK) return err->code;

    layer_ctx ctx;
    ctx.req = req;
    ctx.det = &out->detection;
    ctx.user_name = known_user_name(req);
    ctx.partner_name = known_partner_name(a, req);
    ctx.partner_id = req->has_reference && req->reference.user_id.s ? req->reference.user_id
                     : req->has_partnership ? req->partnership.partner_user_id
                                            : (nova_text){NULL, 0};
    message_stems stems = {a, req->message.s, req->message.len, 0, {NULL, 0, 0}};
    ctx.stems = &stems;

    doc d;
    memset(&d, 0, sizeof d);
    d.a = a;
    int roots[NOVA_LAYER_COUNT];
    const char *reasons[NOVA_LAYER_COUNT];
    for (int i = 0; i < NOVA_LAYER_COUNT; i++) {
        reasons[i] = NULL;
        roots[i] = layer_fns[i](&d, &ctx, &reasons[i]);
        if (!reasons[i]) a->failed = 1;
    }
    if (a->failed) return nova_fail(err, NOVA_E_NOMEM, "", "out of memory");

    size_t dropped[DOC_CLASS_COUNT];
    size_t used = budget_apply(&d, req->max_chars, dropped);

    /* Each node's layer: parents are created before their children. */
    int *root_of = arena_array(a, d.node_count ? d.node_count : 1, sizeof *root_of);
    if (!root_of) return nova_fail(err, NOVA_E_NOMEM, "", "out of memory");
    size_t chars[NOVA_LAYER_COUNT] = {0};
    for (size_t i = 0; i < d.node_count; i++) {
        int p = d.nodes[i].parent;
        root_of[i] = p < 0 ? (int)i : root_of[p];
    }
    for (size_t i = 0; i < d.node_count; i++) {
        if (!d.nodes[i].alive) continue;
        for (int l = 0; l < NOVA_LAYER_COUNT; l++)
            if (roots[l] == root_of[i]) chars[l] += d.nodes[i].chars;
    }

    if (used > req->max_chars) {
        size_t fixed = chars[0] + chars[1];
        if (used > fixed)
            return nova_fail(err, NOVA_E_BUDGET, "options.max_chars",
                             "core and main_user need %zu chars (%zu with the other parts "
                             "that are never dropped), max_chars is %zu",
                             fixed, used, req->max_chars);
        return nova_fail(err, NOVA_E_BUDGET, "options.max_chars",
                         "core and main_user need %zu chars, max_chars is %zu", fixed,
                         req->max_chars);
    }

    size_t bytes = 0;
    for (size_t i = 0; i < d.piece_count; i++)
        if (d.nodes[d.pieces[i].node].alive) bytes += d.pieces[i].len;
    char *prompt = arena_alloc(a, bytes + 1);
    if (!prompt) return nova_fail(err, NOVA_E_NOMEM, "", "out of memory");
    size_t at = 0;
    for (size_t i = 0; i < d.piece_count; i++) {
        const doc_piece *pc = &d.pieces[i];
        if (!d.nodes[pc->node].alive) continue;
        memcpy(prompt + at, pc->s, pc->len);
        at += pc->len;
    }
    prompt[at] = '\0';
    out->prompt = prompt;
    out->prompt_len = at;

    for (int l = 0; l < NOVA_LAYER_COUNT; l++) {
        nova_layer_report *r = &out->layers[l];
        r->name = layer_names[l];
        r->included = roots[l] >= 0 && d.nodes[roots[l]].alive;
        r->chars = r->included ? chars[l] : 0;
        size_t n = layer_class[l] >= 0 ? dropped[layer_class[l]] : 0;
        r->reason = roots[l] >= 0 ? final_reason(a, reasons[l], r->included, n) : reasons[l];
    }
    out->max_chars = req->max_chars;
    out->used_chars = used;
    out->dropped_memories = dropped[DOC_MEMORY];
    out->dropped_insights = dropped[DOC_INSIGHT];
    out->dropped_reference_items = dropped[DOC_REFERENCE];
    if (a->failed) return nova_fail(err, NOVA_E_NOMEM, "", "out of memory");
    return NOVA_OK;
}
