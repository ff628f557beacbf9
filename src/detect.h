/*
 * detect — the relationship-talk detector: scores the message against the partner names
 * (detection.partner_names ∪ reference name, strong), the built-in keyword lists and the
 * custom keywords; each distinct term counts once (strong 2.0, medium 1.0, weak 0.5).
 * Used by nova_detect() and by the assembler's relationship switch.
 */
#ifndef NOVA_DETECT_H
#define NOVA_DETECT_H

#include <stddef.h>

#include "arena.h"
#include "error.h"
#include "request.h"

typedef enum nova_tier { NOVA_TIER_STRONG, NOVA_TIER_MEDIUM, NOVA_TIER_WEAK } nova_tier;

typedef struct nova_match {
    const char *term;   /* the keyword as configured / listed, NUL-terminated */
    nova_tier tier;
    size_t start, end;  /* byte offsets into req->message: [start, end) */
} nova_match;

typedef struct nova_detection {
    double score;
    double threshold;
    int relationship;   /* score >= threshold */
    nova_match *matches; /* one per distinct term, in order of first occurrence */
    size_t match_count;
} nova_detection;

nova_status detect_run(arena *a, const nova_request *req, nova_detection *out,
                       nova_error *err);

/* "strong" | "medium" | "weak" */
const char *detect_tier_name(nova_tier tier);

#endif
