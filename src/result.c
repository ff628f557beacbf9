/*
 * result — the contract's result JSON (schema/nova-contract.schema.json), built as a
 * cJSON tree and printed unformatted. The printed text is copied into a plain malloc
 * buffer so nova_free() releases it whatever allocator cJSON was given.
 *
 * Non-integer numbers (detector score and threshold) are written by nova_format_number
 * as raw JSON, so 2.5 prints "2.5" on every libc and target, never 2.4999999999999996.
 */
#include "result.h"

#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "fmt.h"
#include "layers.h"

static char *print_tree(cJSON *root, size_t *len) {
    char *text = root ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!text) return NULL;
    size_t n = strlen(text);
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, text, n + 1);
        if (len) *len = n;
    }
    cJSON_free(text);
    return out;
}

/* Adds item to obj (under name) or to an array (name NULL); on failure the item is
 * deleted, so no path leaks. Returns 0 on allocation failure. */
static int attach(cJSON *obj, const char *name, cJSON *item) {
    if (!item) return 0;
    if (name ? cJSON_AddItemToObject(obj, name, item) : cJSON_AddItemToArray(obj, item)) return 1;
    cJSON_Delete(item);
    return 0;
}

/* Adds name: number (no decimals when integral). */
static int add_number(cJSON *obj, const char *name, double v) {
    char buf[NOVA_NUMBER_BUF];
    return attach(obj, name, cJSON_CreateRaw(nova_format_number(v, buf)));
}

static int add_count(cJSON *obj, const char *name, size_t v) {
    return cJSON_AddNumberToObject(obj, name, (double)v) != NULL;
}

static cJSON *detection_tree(const nova_detection *d) {
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    int ok = add_number(o, "score", d->score) && add_number(o, "threshold", d->threshold) &&
             cJSON_AddBoolToObject(o, "relationship", d->relationship) != NULL;
    cJSON *matches = ok ? cJSON_AddArrayToObject(o, "matches") : NULL;
    ok = matches != NULL;
    for (size_t i = 0; ok && i < d->match_count; i++) {
        const nova_match *m = &d->matches[i];
        cJSON *mo = cJSON_CreateObject();
        ok = attach(matches, NULL, mo) &&
             cJSON_AddStringToObject(mo, "term", m->term ? m->term : "") &&
             cJSON_AddStringToObject(mo, "tier", detect_tier_name(m->tier)) &&
             add_count(mo, "start", m->start) && add_count(mo, "end", m->end);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

char *result_detection_json(const nova_detection *d, size_t *len) {
    return print_tree(detection_tree(d), len);
}

char *result_assembly_json(const nova_assembly *as, size_t *len) {
    cJSON *root = cJSON_CreateObject();
    if (!root) return NULL;
    int ok = cJSON_AddStringToObject(root, "prompt", as->prompt ? as->prompt : "") != NULL;
    cJSON *layers = ok ? cJSON_AddArrayToObject(root, "layers") : NULL;
    ok = layers != NULL;
    for (int i = 0; ok && i < NOVA_LAYER_COUNT; i++) {
        const nova_layer_report *r = &as->layers[i];
        cJSON *lo = cJSON_CreateObject();
        ok = attach(layers, NULL, lo) &&
             cJSON_AddStringToObject(lo, "name", r->name ? r->name : "") &&
             cJSON_AddBoolToObject(lo, "included", r->included) &&
             add_count(lo, "chars", r->chars) &&
             cJSON_AddStringToObject(lo, "reason", r->reason ? r->reason : "");
    }
    ok = ok && attach(root, "detection", detection_tree(&as->detection));
    cJSON *budget = ok ? cJSON_AddObjectToObject(root, "budget") : NULL;
    ok = budget && add_count(budget, "max_chars", as->max_chars) &&
         add_count(budget, "used_chars", as->used_chars);
    cJSON *dropped = ok ? cJSON_AddObjectToObject(budget, "dropped") : NULL;
    ok = dropped && add_count(dropped, "memories", as->dropped_memories) &&
         add_count(dropped, "insights", as->dropped_insights) &&
         add_count(dropped, "reference_items", as->dropped_reference_items);
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
    return print_tree(root, len);
}

char *result_error_json(const nova_error *err, size_t *len) {
    cJSON *root = cJSON_CreateObject();
    cJSON *e = root ? cJSON_AddObjectToObject(root, "error") : NULL;
    int ok = e && cJSON_AddStringToObject(e, "code", nova_status_name(err->code)) &&
             cJSON_AddStringToObject(e, "message", err->message) &&
             cJSON_AddStringToObject(e, "path", err->path);
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
    return print_tree(root, len);
}
