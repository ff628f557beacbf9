/*
 * memory_ops — nova_memory_ops: the model's answer (found by llm_json.h) checked one
 * operation at a time against what the scope offers (memory_scope.h). An operation that
 * fails a check is reported with the first reason that applies, in this order, and the
 * others are still checked:
 *
 *   not_an_object; the "op" member: missing_field, wrong_type, unknown_op; not_allowed
 *   (a kind the scope does not offer); then each member in turn: missing_field,
 *   wrong_type (a JSON null counts as absent), unknown_category, unknown_about,
 *   partner_not_linked ("partner" without a linked partner), unknown_id (not one of the
 *   temporary ids), duplicate_id (an earlier kept operation is on that memory),
 *   unknown_field; the content once sanitized (sanitize.h): empty_content,
 *   content_too_long (over NOVA_MEMORY_CONTENT_CHARS, NOVA_PARTNER_NOTE_CHARS for notes:
 *   refused, never cut); no_change (an update that changes nothing: equal content by
 *   memory_norm, equal confidence as shown); echo (memory_echo.h); duplicate (equal by
 *   memory_norm to an active memory or an earlier kept content; a note to an item of its
 *   field or an earlier kept note); too_many_ops (NOVA_MEMORY_MAX_OPS already kept).
 * The answer as a whole (index null): no_operations, truncated_output.
 *
 * Confidence is clamped to 0..1 (default 1 for an add).
 */
#ifndef NOVA_MEMORY_OPS_H
#define NOVA_MEMORY_OPS_H

#include <stddef.h>

#include "arena.h"
#include "nova.h"
#include "request.h"
#include "rules.h"

/* MEMORY_NO_OPERATIONS, MEMORY_TRUNCATED_OUTPUT, ..., in the schema's order (rules.h,
 * generated from $defs/memory_rejection_reason). */
typedef enum memory_reason {
#define MEMORY_REASON_ID(id, name) MEMORY_##id,
    NOVA_RULE_MEMORY_REASONS(MEMORY_REASON_ID)
#undef MEMORY_REASON_ID
    MEMORY_REASON_COUNT
} memory_reason;

/* The stable codes, in memory_reason order (schema $defs/memory_rejection_reason). */
extern const char *const memory_reason_names[MEMORY_REASON_COUNT];

typedef enum memory_op_kind { MEMORY_OP_ADD, MEMORY_OP_UPDATE, MEMORY_OP_DEACTIVATE } memory_op_kind;

typedef struct memory_op {
    memory_op_kind kind;
    nova_memory_category category; /* add */
    nova_text about_user;          /* add: NULL text for the relationship */
    const nova_memory *target;     /* update, deactivate */
    nova_text content;             /* add; update: NULL text when unchanged */
    int has_confidence;            /* add: always; update: when it changes */
    double confidence;
} memory_op;

typedef struct memory_note {
    int field; /* memory_note_fields */
    nova_text content;
} memory_note;

typedef struct memory_rejection {
    int whole;    /* about the answer as a whole: index null */
    size_t index; /* the operation's position in "operations" */
    memory_reason reason;
} memory_rejection;

typedef struct memory_ops_out {
    memory_op *ops;
    size_t op_count;
    memory_note *notes;
    size_t note_count;
    nova_text partner_name; /* NULL text: null (partner notes not offered) */
    memory_rejection *rejected;
    size_t rejected_count;
} memory_ops_out;

/* NOVA_OK, or NOVA_E_NOMEM when the arena failed (arena.h): a model's answer is never an
 * error, whatever it holds. */
nova_status memory_ops_run(arena *a, const nova_request *req, memory_ops_out *out);

#endif
