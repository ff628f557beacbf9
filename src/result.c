/*
 * result — the contract's result JSON (schema/nova-contract.schema.json), written
 * directly by json_write.h into a malloc'ed buffer that is the caller's (nova_free).
 * Members in the contract's order; the detector's score and threshold through
 * nova_format_number, so 2.5 prints "2.5" on every libc and target.
 */
#include "result.h"

#include "json_write.h"
#include "nova.h"

static void detection_json(json_out *o, const nova_detection *d) {
    JSON_LIT(o, "{\"score\":");
    json_number(o, d->score);
    JSON_LIT(o, ",\"threshold\":");
    json_number(o, d->threshold);
    JSON_LIT(o, ",\"relationship\":");
    json_bool(o, d->relationship);
    JSON_LIT(o, ",\"matches\":[");
    for (size_t i = 0; i < d->match_count; i++) {
        const nova_match *m = &d->matches[i];
        if (i) JSON_LIT(o, ",");
        JSON_LIT(o, "{\"term\":");
        json_cstring(o, m->term);
        JSON_LIT(o, ",\"tier\":");
        json_cstring(o, detect_tier_name(m->tier));
        JSON_LIT(o, ",\"start\":");
        json_uint(o, m->start);
        JSON_LIT(o, ",\"end\":");
        json_uint(o, m->end);
        JSON_LIT(o, "}");
    }
    JSON_LIT(o, "]}");
}

char *result_detection_json(const nova_detection *d, size_t *len) {
    json_out o;
    json_out_init(&o, 128 + 64 * d->match_count);
    detection_json(&o, d);
    return json_out_finish(&o, len);
}

char *result_assembly_json(const nova_assembly *as, size_t *len) {
    json_out o;
    /* The prompt, a few escapes per line, the small rest. */
    json_out_init(&o, as->prompt_len + as->prompt_len / 16 + 1024 +
                          64 * as->detection.match_count);
    JSON_LIT(&o, "{\"prompt\":");
    json_string(&o, (nova_text){as->prompt, as->prompt_len});
    JSON_LIT(&o, ",\"layers\":[");
    for (int i = 0; i < NOVA_LAYER_COUNT; i++) {
        const nova_layer_report *r = &as->layers[i];
        if (i) JSON_LIT(&o, ",");
        JSON_LIT(&o, "{\"name\":");
        json_cstring(&o, r->name);
        JSON_LIT(&o, ",\"included\":");
        json_bool(&o, r->included);
        JSON_LIT(&o, ",\"chars\":");
        json_uint(&o, r->chars);
        JSON_LIT(&o, ",\"reason\":");
        json_cstring(&o, r->reason);
        JSON_LIT(&o, "}");
    }
    JSON_LIT(&o, "],\"detection\":");
    detection_json(&o, &as->detection);
    JSON_LIT(&o, ",\"budget\":{\"max_chars\":");
    json_uint(&o, as->max_chars);
    JSON_LIT(&o, ",\"used_chars\":");
    json_uint(&o, as->used_chars);
    JSON_LIT(&o, ",\"dropped\":{\"memories\":");
    json_uint(&o, as->dropped_memories);
    JSON_LIT(&o, ",\"insights\":");
    json_uint(&o, as->dropped_insights);
    JSON_LIT(&o, ",\"reference_items\":");
    json_uint(&o, as->dropped_reference_items);
    JSON_LIT(&o, ",\"memory_summary_lines\":");
    json_uint(&o, as->dropped_summary_lines);
    JSON_LIT(&o, "}}}");
    return json_out_finish(&o, len);
}

char *result_error_json(const nova_error *err, size_t *len) {
    json_out o;
    json_out_init(&o, 64 + sizeof err->message + sizeof err->path);
    JSON_LIT(&o, "{\"error\":{\"code\":");
    json_cstring(&o, nova_status_name(err->code));
    JSON_LIT(&o, ",\"message\":");
    json_cstring(&o, err->message);
    JSON_LIT(&o, ",\"path\":");
    json_cstring(&o, err->path);
    JSON_LIT(&o, "}}");
    return json_out_finish(&o, len);
}
