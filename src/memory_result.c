/*
 * memory_result — the memory calls' result JSON (schema/nova-contract.schema.json:
 * memory_prompt_result, memory_ops_result), written directly by json_write.h like
 * result.c, members in the contract's order, numbers through nova_format_number.
 */
#include "memory_result.h"

#include "json_write.h"
#include "memory_scope.h"

static void message_json(json_out *o, const char *role, const char *content, size_t len) {
    JSON_LIT(o, "{\"role\":");
    json_cstring(o, role);
    JSON_LIT(o, ",\"content\":");
    json_string(o, (nova_text){content, len});
    JSON_LIT(o, "}");
}

char *result_memory_prompt_json(const memory_prompt_out *mp, size_t *len) {
    json_out o;
    size_t text = mp->system_len + mp->user_len;
    json_out_init(&o, text + text / 16 + 256);
    JSON_LIT(&o, "{\"messages\":[");
    message_json(&o, "system", mp->system, mp->system_len);
    JSON_LIT(&o, ",");
    message_json(&o, "user", mp->user, mp->user_len);
    JSON_LIT(&o, "],\"allowed\":{\"memories\":");
    json_bool(&o, mp->allow_memories);
    JSON_LIT(&o, ",\"partner_notes\":");
    json_bool(&o, mp->allow_partner_notes);
    JSON_LIT(&o, "}}");
    return json_out_finish(&o, len);
}

/* A string, or null for absent text. */
static void text_or_null(json_out *o, nova_text t) {
    if (t.s)
        json_string(o, t);
    else
        JSON_LIT(o, "null");
}

static void op_json(json_out *o, const memory_op *op) {
    static const char *const KINDS[] = {"add", "update", "deactivate"};
    JSON_LIT(o, "{\"op\":");
    json_cstring(o, KINDS[op->kind]);
    if (op->kind == MEMORY_OP_ADD) {
        JSON_LIT(o, ",\"category\":");
        json_cstring(o, nova_memory_category_names[op->category]);
        JSON_LIT(o, ",\"about_user\":");
        text_or_null(o, op->about_user);
    } else {
        JSON_LIT(o, ",\"id\":");
        json_string(o, op->target->id);
        JSON_LIT(o, ",\"updated_at\":");
        json_string(o, op->target->updated_at_text);
    }
    if (op->content.s) {
        JSON_LIT(o, ",\"content\":");
        json_string(o, op->content);
    }
    if (op->has_confidence) {
        JSON_LIT(o, ",\"confidence\":");
        json_number(o, op->confidence);
    }
    JSON_LIT(o, "}");
}

char *result_memory_ops_json(const memory_ops_out *mo, size_t *len) {
    json_out o;
    size_t text = 0;
    for (size_t i = 0; i < mo->op_count; i++) text += mo->ops[i].content.len + 200;
    for (size_t i = 0; i < mo->note_count; i++) text += mo->notes[i].content.len + 64;
    json_out_init(&o, text + 48 * mo->rejected_count + 128);
    JSON_LIT(&o, "{\"ops\":[");
    for (size_t i = 0; i < mo->op_count; i++) {
        if (i) JSON_LIT(&o, ",");
        op_json(&o, &mo->ops[i]);
    }
    JSON_LIT(&o, "],\"partner_notes\":[");
    for (size_t i = 0; i < mo->note_count; i++) {
        if (i) JSON_LIT(&o, ",");
        JSON_LIT(&o, "{\"field\":");
        json_cstring(&o, memory_note_fields[mo->notes[i].field]);
        JSON_LIT(&o, ",\"content\":");
        json_string(&o, mo->notes[i].content);
        JSON_LIT(&o, "}");
    }
    JSON_LIT(&o, "],\"partner_name\":");
    text_or_null(&o, mo->partner_name);
    JSON_LIT(&o, ",\"rejected\":[");
    for (size_t i = 0; i < mo->rejected_count; i++) {
        const memory_rejection *r = &mo->rejected[i];
        if (i) JSON_LIT(&o, ",");
        JSON_LIT(&o, "{\"index\":");
        if (r->whole)
            JSON_LIT(&o, "null");
        else
            json_uint(&o, r->index);
        JSON_LIT(&o, ",\"reason\":");
        json_cstring(&o, memory_reason_names[r->reason]);
        JSON_LIT(&o, "}");
    }
    JSON_LIT(&o, "]}");
    return json_out_finish(&o, len);
}
