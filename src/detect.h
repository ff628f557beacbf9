/*
 * detect — the relationship-talk detector: scores the message against the partner names
 * (detection.partner_names ∪ reference name, strong), the built-in keyword lists and the
 * custom keywords; each distinct term counts once (strong 2.0, medium 1.0, weak 0.5).
 * Used by nova_detect() and the assembler's relationship switch, and by the compiled
 * detectors of nova_detector_new() (detector.c).
 *
 * Two ways to hold the terms, with the same results to the byte:
 *   - per call (no compiled set): the built-in lists' automaton, built once per process
 *     on first use and immutable after, plus an automaton of the request's own terms
 *     built in the call's arena (or kept by a detector cache: detect_own); the message is
 *     scanned by both;
 *   - a compiled set (detect_set_build): one automaton of all the terms, built once and
 *     scanned once per message, shared read-only by any number of threads.
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
    size_t start, end;  /* [start, end) in the message: UTF-8 bytes, or UTF-16 code units */
} nova_match;

typedef struct nova_detection {
    double score;
    double threshold;
    int relationship;   /* score >= threshold */
    nova_match *matches; /* one per distinct term, in order of first occurrence */
    size_t match_count;
} nova_detection;

/* The terms of a request (or of a detector's configuration): what the detector reads.
 * reference_name is the reference's name as the prompt shows it (NULL text: none, or
 * over NOVA_MAX_KEYWORD_BYTES and so not a term). */
typedef struct detect_config {
    nova_text_list partner_names, strong, medium, weak;
    nova_text reference_name;
    double threshold;
} detect_config;

void detect_config_of(const nova_request *req, detect_config *cfg);

/* All the terms of a configuration (custom and built-in) in one immutable automaton. */
typedef struct detect_set detect_set;

/* Builds the set of cfg's terms in arena a (it copies what it keeps of cfg), with the
 * building's scratch in tmp. NULL when out of memory. */
detect_set *detect_set_build(arena *a, arena *tmp, const detect_config *cfg);

/* 1 when set was built from exactly the terms of cfg (the threshold aside). */
int detect_set_matches(const detect_set *set, const detect_config *cfg);

/* A configuration's own terms (partner names, the reference's name, custom keywords)
 * compiled as the per-call path compiles them, the built-in lists' pass aside: what a
 * detector cache keeps (detector_cache.c). Immutable once built. */
typedef struct detect_own detect_own;

/* Builds cfg's own terms in arena a (it copies what it keeps of cfg), with the building's
 * scratch in tmp. NULL when out of memory. */
detect_own *detect_own_build(arena *a, arena *tmp, const detect_config *cfg);

/* 1 when own was built from exactly the terms of cfg (the threshold aside). */
int detect_own_matches(const detect_own *own, const detect_config *cfg);

/* How many entries of its own cfg has (0: only the built-in lists score). */
size_t detect_own_count(const detect_config *cfg);

/* Scores msg[0..len) against set; when set is NULL, against the built-in lists and the
 * terms of cfg, compiled in own when it is not NULL (built from cfg's terms), else now.
 * With utf16, match offsets are UTF-16 code units (JavaScript string indices) instead of
 * bytes. NOVA_E_NOMEM when memory ran out (arena.h: nothing written in err). */
nova_status detect_message(arena *a, const detect_set *set, const detect_own *own,
                           const detect_config *cfg, const char *msg, size_t len, int utf16,
                           nova_detection *out, nova_error *err);

/* detect_message() on the request's message and terms, with req->compiled when it was
 * built from those terms, else req->own (from a cache), and the offsets the request's
 * options ask for. */
nova_status detect_run(arena *a, const nova_request *req, nova_detection *out,
                       nova_error *err);

/* "strong" | "medium" | "weak" */
const char *detect_tier_name(nova_tier tier);

#endif
