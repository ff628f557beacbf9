/*
 * request — the decoded request of any call: every field of the contract
 * (schema/nova-contract.schema.json), type-checked, limit-checked and, for text that
 * ends up in a prompt, already sanitized (sanitize.h). Layers and the memory calls read
 * only these structs, never the JSON tree, so every check lives in one place (request.c):
 * one decoder of the context for assemble, detect and both memory calls.
 *
 * All memory belongs to the call's arena (the parsed tree is there too, and text points
 * into it), released with it.
 */
#ifndef NOVA_REQUEST_H
#define NOVA_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "error.h"
#include "text.h"

/* memory_summary, flattened by the decoder (request_summary.h): one "- path: value" line
 * each, sanitized, in the order shown. */
typedef struct nova_summary_line {
    nova_text path;  /* "love_language.primary" */
    nova_text value; /* never empty */
} nova_summary_line;

typedef struct nova_summary {
    nova_summary_line *lines;
    size_t count;
} nova_summary;

/* user_profiles row, or the partner's row in a partner_account reference. */
typedef struct nova_profile {
    nova_text name;
    nova_text tone;
    nova_text_list interests;
    nova_text emotional_patterns;
    nova_text communication_style;
    nova_summary memory_summary;        /* the user's, flattened; a reference's stays
                                           empty (checked, never shown: privacy) */
    nova_text setup_mode;               /* "pending" | "self_written" | "quiz_generated" */
    int64_t version;
} nova_profile;

typedef enum nova_partnership_status {
    NOVA_PARTNERSHIP_PENDING,
    NOVA_PARTNERSHIP_ACTIVE,
    NOVA_PARTNERSHIP_DISSOLVED
} nova_partnership_status;

typedef struct nova_partnership {
    nova_text id;
    nova_partnership_status status;
    nova_text partner_user_id; /* NULL text when no partner has joined */
} nova_partnership;

typedef enum nova_reference_source {
    NOVA_SOURCE_AI_GENERATED,    /* a partner_profiles row the AI built            */
    NOVA_SOURCE_PARTNER_ACCOUNT  /* the linked partner's own user_profiles row     */
} nova_reference_source;

typedef struct nova_reference {
    nova_reference_source source;
    nova_text user_id;           /* the partner's auth id, when known */
    nova_profile profile;        /* name (required), tone, interests, ... */
    nova_text_list traits;
    nova_text_list relational_tendencies;
    nova_text_list important_truths;
    nova_text ai_notes;
} nova_reference;

typedef struct nova_detection_config {
    nova_text_list partner_names;   /* raw (unsanitized) but valid UTF-8 */
    nova_text_list strong, medium, weak;
    double relationship_threshold;  /* 2.0 when absent */
} nova_detection_config;

/* Memory categories in the fixed order the memory layer groups them. */
typedef enum nova_memory_category {
    NOVA_MEM_IMPORTANT_DATE,
    NOVA_MEM_EMOTIONAL_NEED,
    NOVA_MEM_PREFERENCE,
    NOVA_MEM_PATTERN,
    NOVA_MEM_GROWTH_MOMENT,
    NOVA_MEM_GIFT_IDEA,
    NOVA_MEM_GENERAL,
    NOVA_MEM_CATEGORY_COUNT
} nova_memory_category;

/* Insight categories in the fixed order the insight layer groups them. */
typedef enum nova_insight_category {
    NOVA_INS_EMOTIONAL_NEED,
    NOVA_INS_COMMUNICATION,
    NOVA_INS_CONFLICT_STYLE,
    NOVA_INS_APPRECIATION,
    NOVA_INS_STRENGTH,
    NOVA_INS_GROWTH_AREA,
    NOVA_INS_GIFT_RELEVANT,
    NOVA_INS_CATEGORY_COUNT
} nova_insight_category;

typedef struct nova_memory {
    size_t index;                 /* position in context.memories */
    nova_text id;                 /* uuid */
    nova_memory_category category;
    nova_text about_user;         /* NULL text: about the relationship */
    nova_text content;
    double confidence;            /* 0..1 */
    int64_t updated_at;           /* seconds since the Unix epoch, UTC */
    nova_text updated_at_text;    /* as sent: memory ops give it back verbatim */
    int is_active;                /* inactive rows are decoded but never shown */
} nova_memory;

/* The memory category names, in nova_memory_category order. */
extern const char *const nova_memory_category_names[NOVA_MEM_CATEGORY_COUNT];

typedef struct nova_insight {
    size_t index;
    nova_text id;
    nova_insight_category category;
    nova_text about_user;
    nova_text title;
    nova_text content;
    int64_t updated_at;
    int is_active;
} nova_insight;

typedef enum nova_insights_mode {
    NOVA_INSIGHTS_AUTO,   /* with the relationship layer */
    NOVA_INSIGHTS_ALWAYS,
    NOVA_INSIGHTS_NEVER
} nova_insights_mode;

/* One turn of the memory prompt's transcript. */
typedef enum nova_turn_role { NOVA_TURN_USER, NOVA_TURN_ASSISTANT } nova_turn_role;

typedef struct nova_turn {
    nova_turn_role role;
    nova_text content;            /* sanitized block text, no cap (the string limit bounds it) */
} nova_turn;

/* Which call the request is for: they share context and options and differ in the one
 * other top-level member they require. */
typedef enum nova_request_kind {
    NOVA_REQUEST_ASSEMBLE,        /* assemble, detect: "message"        */
    NOVA_REQUEST_MEMORY_PROMPT,   /* nova_memory_prompt: "transcript"    */
    NOVA_REQUEST_MEMORY_OPS       /* nova_memory_ops: "llm_output"       */
} nova_request_kind;

typedef struct nova_request {
    nova_text user_id;
    int has_user;                  /* context.user is an object (else null)       */
    nova_profile user;
    nova_text fallback_name;       /* sanitized; NOVA_NO_NAME ("there") when absent */
    int has_partnership;
    nova_partnership partnership;
    int has_reference;
    nova_reference reference;
    int has_detection;
    nova_detection_config detection;
    nova_memory *memories;
    size_t memory_count;
    nova_insight *insights;
    size_t insight_count;
    nova_text chat_memory_summary;

    nova_text message;             /* the original bytes, unsanitized (offsets refer to them) */
    nova_turn *transcript;         /* memory prompt */
    size_t turn_count;
    nova_text llm_output;          /* memory ops: the model's answer, the original bytes */

    size_t max_chars;              /* NOVA_DEFAULT_MAX_CHARS when absent */
    int offsets_utf16;             /* options.offsets is "utf16" */
    nova_insights_mode insights_mode;
    int has_now;
    int64_t now;                   /* options.now, seconds since the epoch */
    nova_text now_text;            /* options.now as sent (its date is the caller's day) */

    /* Not from the JSON: a compiled term set the caller passed (nova_assemble_with), used
     * by the detector when it was built from this request's terms (detect.h); and the
     * request's own terms from a detector cache (nova_assemble_cached), always built from
     * this request's terms. */
    const struct detect_set *compiled;
    const struct detect_own *own;
} nova_request;

/* Parses and checks a request of the given kind. On failure returns the code:
 * NOVA_E_NOMEM when the arena failed (arena.h), else the error recorded in err (with the
 * field path). */
nova_status request_decode(arena *a, nova_request_kind kind, const char *json, size_t len,
                           nova_request *req, nova_error *err);

/* Parses and checks a detector configuration (schema $defs/detector_config) into the
 * request's detection config and reference name; the rest stays at its defaults. Same
 * conventions as request_decode(). */
nova_status request_decode_detector(arena *a, const char *json, size_t len, nova_request *req,
                                    nova_error *err);

#endif
