/*
 * assemble — runs the six layers in their fixed order into one doc (doc.h), lets the
 * budget drop what does not fit, and renders what is left.
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
#include "rules.h"
#include "sanitize.h"
#include "template.h"

static const char *const layer_names[NOVA_LAYER_COUNT] = {
    "core", "main_user", "reference", "memory", "insight", "relationship",
};

static const layer_fn layer_fns[NOVA_LAYER_COUNT] = {
    layer_core, layer_main_user, layer_reference, layer_memory, layer_insight,
    layer_relationship,
};

/* The budget class whose items a layer holds, or -1. */
static const int layer_class[NOVA_LAYER_COUNT] = {-1, DOC_SUMMARY, DOC_REFERENCE, DOC_MEMORY,
                                                  DOC_INSIGHT, -1};

/* The "there" of the seed's fallback (full_name ?? email ?? "there", NOVA_NO_NAME) is a
 * greeting, not a name: the layers then say "the user". */
static nova_text known_user_name(const nova_request *req) {
    nova_text n = req->has_user ? req->user.name : req->fallback_name;
    if (!n.s || !n.len ||
        (n.len == sizeof NOVA_NO_NAME - 1 && memcmp(n.s, NOVA_NO_NAME, n.len) == 0))
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

void layer_ctx_init(layer_ctx *ctx, arena *a, const nova_request *req,
                    const nova_detection *det) {
    ctx->req = req;
    ctx->det = det;
    ctx->user_name = known_user_name(req);
    ctx->partner_name = known_partner_name(a, req);
    ctx->partner_id = req->has_reference && req->reference.user_id.s ? req->reference.user_id
                      : req->has_partnership ? req->partnership.partner_user_id
                                             : (nova_text){NULL, 0};
    ctx->stems = NULL;
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
    nova_status st = detect_run(a, req, &out->detection, err);
    if (st != NOVA_OK) return st;

    layer_ctx ctx;
    layer_ctx_init(&ctx, a, req, &out->detection);
    message_stems stems = {a, req->message.s, req->message.len, 0, {NULL, 0, 0}};
    ctx.stems = &stems;

    doc d;
    doc_init(&d, a);
    int roots[NOVA_LAYER_COUNT];
    const char *reasons[NOVA_LAYER_COUNT];
    for (int i = 0; i < NOVA_LAYER_COUNT; i++) {
        reasons[i] = NULL;
        roots[i] = layer_fns[i](&d, &ctx, &reasons[i]);
    }
    if (a->failed) return NOVA_E_NOMEM;

    size_t dropped[DOC_CLASS_COUNT];
    size_t used = budget_apply(&d, req->max_chars, dropped);
    size_t chars[NOVA_LAYER_COUNT];
    for (int l = 0; l < NOVA_LAYER_COUNT; l++)
        chars[l] = roots[l] >= 0 ? doc_alive_chars(&d, roots[l]) : 0;

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

    out->prompt = doc_render(&d, &out->prompt_len);
    for (int l = 0; l < NOVA_LAYER_COUNT; l++) {
        nova_layer_report *r = &out->layers[l];
        r->name = layer_names[l];
        r->included = doc_alive(&d, roots[l]);
        r->chars = r->included ? chars[l] : 0;
        size_t n = layer_class[l] >= 0 ? dropped[layer_class[l]] : 0;
        r->reason = roots[l] >= 0 ? final_reason(a, reasons[l], r->included, n) : reasons[l];
    }
    out->max_chars = req->max_chars;
    out->used_chars = used;
    out->dropped_memories = dropped[DOC_MEMORY];
    out->dropped_insights = dropped[DOC_INSIGHT];
    out->dropped_reference_items = dropped[DOC_REFERENCE];
    out->dropped_summary_lines = dropped[DOC_SUMMARY];
    return a->failed ? NOVA_E_NOMEM : NOVA_OK;
}
