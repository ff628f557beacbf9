/*
 * memory_message — the memory prompt's user message parsed back (header-only): the data
 * parts between their marker lines, in order (src/memory_prompt.h has the layout):
 *
 *   <nova:names>          lines "User: ..." / "Partner: ...", at most one of each
 *   <nova:memories>       optional: lines "- m<k> (" with k = 1, 2, ... or continuations
 *   <nova:partner_notes>  optional: lines "- traits: " / "- relational_tendencies: " /
 *                         "- important_truths: " or continuations
 *   <nova:transcript>     lines "user: " / "assistant: " or continuations
 *
 * A continuation line starts with two spaces (or is empty: a blank line inside a value).
 * No other line may read as a marker ('<', white space or slashes, "nova" in any case).
 * Used by test_memory_golden and test_injection, so both check one layout.
 */
#ifndef NOVA_TEST_MEMORY_MESSAGE_H
#define NOVA_TEST_MEMORY_MESSAGE_H

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "marker_read.h"

typedef struct memory_part {
    const char *start; /* the first line after the opening marker; NULL: part absent */
    size_t len;        /* up to the closing marker line */
} memory_part;

typedef struct memory_message {
    memory_part names, memories, partner_notes, transcript;
    int memory_count; /* "- m<k> (" lines */
} memory_message;

/* Does the line [p, e) read as a marker anywhere in it (marker_read.h)? */
static int memory_line_has_marker(const char *p, const char *e) {
    for (const char *q = p; q < e; q++)
        if (*q == '<' && reads_as_marker(p, (size_t)(e - p), (size_t)(q - p))) return 1;
    return 0;
}

static int memory_line_is(const char *p, const char *e, const char *prefix) {
    size_t n = strlen(prefix);
    return (size_t)(e - p) >= n && !strncmp(p, prefix, n);
}

/* Is the line [p, e) one the part allows? k counts the memories seen so far. */
static int memory_line_ok(const char *part, const char *p, const char *e, int *k) {
    if (p == e || memory_line_is(p, e, "  ")) return strcmp(part, "names") != 0;
    if (!strcmp(part, "names")) return memory_line_is(p, e, "User: ") || memory_line_is(p, e, "Partner: ");
    if (!strcmp(part, "memories")) {
        char want[32];
        snprintf(want, sizeof want, "- m%d (", *k + 1);
        if (!memory_line_is(p, e, want)) return 0;
        (*k)++;
        return 1;
    }
    if (!strcmp(part, "partner_notes"))
        return memory_line_is(p, e, "- traits: ") || memory_line_is(p, e, "- relational_tendencies: ") ||
               memory_line_is(p, e, "- important_truths: ");
    return memory_line_is(p, e, "user: ") || memory_line_is(p, e, "assistant: ");
}

/* Parses u into m; returns 0 with a reason in why when it is not the layout above. */
static int memory_message_parse(const char *u, memory_message *m, char *why, size_t why_len) {
    static const char *const parts[4] = {"names", "memories", "partner_notes", "transcript"};
    static const int optional[4] = {0, 1, 1, 0};
    memory_part *slot[4];
    memset(m, 0, sizeof *m);
    slot[0] = &m->names, slot[1] = &m->memories, slot[2] = &m->partner_notes, slot[3] = &m->transcript;
    const char *p = u;
    for (int i = 0; i < 4; i++) {
        char open[40], close[40];
        snprintf(open, sizeof open, "<nova:%s>\n", parts[i]);
        snprintf(close, sizeof close, "</nova:%s>\n", parts[i]);
        if (strncmp(p, open, strlen(open))) {
            if (optional[i]) continue;
            return snprintf(why, why_len, "no %s marker line at: %.60s", parts[i], p), 0;
        }
        p += strlen(open);
        slot[i]->start = p;
        int users = 0, partners = 0;
        for (;;) {
            const char *e = strchr(p, '\n');
            if (!e) return snprintf(why, why_len, "%s is not closed", parts[i]), 0;
            if ((size_t)(e + 1 - p) == strlen(close) && !strncmp(p, close, strlen(close))) break;
            if (memory_line_has_marker(p, e))
                return snprintf(why, why_len, "marker-like text in %s: %.60s", parts[i], p), 0;
            if (!memory_line_ok(parts[i], p, e, &m->memory_count))
                return snprintf(why, why_len, "a line %s may not hold: %.60s", parts[i], p), 0;
            users += memory_line_is(p, e, "User: ") && i == 0;
            partners += memory_line_is(p, e, "Partner: ") && i == 0;
            p = e + 1;
        }
        if (users > 1 || partners > 1) return snprintf(why, why_len, "a name twice"), 0;
        slot[i]->len = (size_t)(p - slot[i]->start);
        p += strlen(close);
    }
    if (*p) return snprintf(why, why_len, "text after the transcript: %.60s", p), 0;
    return 1;
}

/* How many times needle occurs in s (overlaps not counted). */
static inline size_t count_of(const char *s, const char *needle) {
    size_t n = 0, k = strlen(needle);
    if (!k) return 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + k, needle)) n++;
    return n;
}

#endif
