/*
 * budget — what stays when the prompt is longer than options.max_chars.
 *
 * Two parts. Relevance: the word stems a memory or insight shares with the message (the
 * first rank key of a memory). Dropping: whole droppable nodes of the doc (layers.h) go,
 * memories first, then insights, then reference list items, each class in the order its
 * layer registered (lowest rank first), until the text fits. One loop, O(n) after the
 * layers' O(n log n) sorts, which run only for a class the budget must drop from.
 */
#ifndef NOVA_BUDGET_H
#define NOVA_BUDGET_H

#include <stddef.h>

#include "arena.h"
#include "doc.h"

/* The distinct stems of one text (the message), as an open-addressing hash set. */
typedef struct stem_set {
    struct stem_slot *slots;
    size_t cap;      /* a power of two, or 0 for an empty set */
    unsigned stamp;  /* bumped by each stem_set_overlap call to count each stem once */
} stem_set;

/* Words as the detector reads them (wordchar.h) and folded as it folds them (casefold.h:
 * case and accents, in every script, so "Москва" meets "москва" and "José" "jose");
 * stopwords and words under 3 code points ignored; letters of scripts written without
 * spaces read as overlapping pairs ("纪念日": "纪念", "念日"); crude English suffix
 * stripping (ies, ing, ed, ly, es, s, then a final e) so "dates" meets "date". */
void stem_set_build(arena *a, const char *s, size_t len, stem_set *set);

/* How many distinct stems of s[0..len) are in the set. */
size_t stem_set_overlap(stem_set *set, const char *s, size_t len);

/* The message's stems, built the first time a rank function asks for them. */
typedef struct message_stems {
    arena *a;
    const char *s;
    size_t len;
    int built;
    stem_set set;
} message_stems;

stem_set *message_stems_get(message_stems *m);

/* Drops nodes until the alive text is at most max_chars code points or nothing droppable
 * is left; dropped[cls] counts the nodes dropped per class. Returns the alive total. */
size_t budget_apply(doc *d, size_t max_chars, size_t dropped[DOC_CLASS_COUNT]);

#endif
