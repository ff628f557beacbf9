/*
 * detect — gathers the terms (partner names, the reference's name, custom and built-in
 * keywords) in order of strength, runs the automaton once over the message and scores
 * the first occurrence of each distinct term. Matching rules: detect_automaton.h;
 * folding: casefold.h; what a word is: wordchar.h.
 *
 * Terms, strongest first: detection.partner_names, the reference's name, custom strong,
 * built-in strong, custom medium, built-in medium, custom weak, built-in weak. Two
 * entries that read the same after folding (case, accents, white space) are one term:
 * it counts once, in the tier of its first entry (so the strongest), and is reported as
 * that entry is written. Overlapping terms each count ("my partner" and "partner").
 * Empty entries (after trimming white space and dropping marks) are skipped; a custom
 * keyword or partner name over NOVA_MAX_KEYWORD_BYTES was refused by the decoder.
 * Matches are listed by start offset, then end offset, then term order.
 */
#include "detect.h"

#include <stdlib.h>
#include <string.h>

#include "detect_automaton.h"
#include "texts.h"

typedef struct term_set {
    nova_text *keys;
    nova_tier *tiers;
    size_t count, cap;
} term_set;

static void add_key(term_set *t, const char *s, size_t len, nova_tier tier) {
    t->keys[t->count].s = s;
    t->keys[t->count].len = len;
    t->tiers[t->count++] = tier;
}

static void add_list(term_set *t, const nova_text_list *list, nova_tier tier) {
    for (size_t i = 0; i < list->count; i++) add_key(t, list->items[i].s, list->items[i].len, tier);
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* One term per line of a built-in list; blank lines and lines starting with '#' are
 * skipped, spaces around a term trimmed. With add == 0 only counts. */
static size_t add_builtin(term_set *t, const char *text, size_t len, nova_tier tier, int add) {
    size_t count = 0, pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t b = pos, e = nl ? (size_t)(nl - text) : len;
        pos = e + 1;
        while (b < e && is_blank(text[b])) b++;
        while (e > b && is_blank(text[e - 1])) e--;
        if (b == e || text[b] == '#') continue;
        if (add) add_key(t, text + b, e - b, tier);
        count++;
    }
    return count;
}

typedef struct builtin {
    const char *text;
    size_t len;
} builtin;

static nova_status gather(arena *a, const nova_request *req, term_set *t) {
    const builtin lists[3] = {
        {nova_text_keywords_strong, nova_text_keywords_strong_len},
        {nova_text_keywords_medium, nova_text_keywords_medium_len},
        {nova_text_keywords_weak, nova_text_keywords_weak_len},
    };
    const nova_detection_config *cfg = req->has_detection ? &req->detection : NULL;
    const nova_text_list *custom[3] = {NULL, NULL, NULL};
    size_t cap = 1;
    if (cfg) {
        custom[0] = &cfg->strong;
        custom[1] = &cfg->medium;
        custom[2] = &cfg->weak;
        cap += cfg->partner_names.count + cfg->strong.count + cfg->medium.count + cfg->weak.count;
    }
    for (int i = 0; i < 3; i++) cap += add_builtin(t, lists[i].text, lists[i].len, 0, 0);
    t->keys = arena_array(a, cap, sizeof(nova_text));
    t->tiers = arena_array(a, cap, sizeof(nova_tier));
    if (!t->keys || !t->tiers) return NOVA_E_NOMEM;
    t->cap = cap;

    /* Strongest first: a term listed in several tiers counts in the first one. */
    if (cfg) add_list(t, &cfg->partner_names, NOVA_TIER_STRONG);
    /* The reference's name is a name, not configuration: too long a name is skipped
     * rather than failing every request of the partnership. */
    if (req->has_reference && req->reference.profile.name.s &&
        req->reference.profile.name.len <= NOVA_MAX_KEYWORD_BYTES)
        add_key(t, req->reference.profile.name.s, req->reference.profile.name.len,
                NOVA_TIER_STRONG);
    for (int i = 0; i < 3; i++) {
        if (custom[i]) add_list(t, custom[i], (nova_tier)i);
        add_builtin(t, lists[i].text, lists[i].len, (nova_tier)i, 1);
    }
    return NOVA_OK;
}

static double tier_weight(nova_tier tier) {
    return tier == NOVA_TIER_STRONG ? 2.0 : tier == NOVA_TIER_MEDIUM ? 1.0 : 0.5;
}

/* Order of first occurrence; the term order breaks ties, so the result is stable. */
typedef struct ranked {
    nova_match m;
    size_t term;
} ranked;

static int by_position(const void *pa, const void *pb) {
    const ranked *a = pa, *b = pb;
    if (a->m.start != b->m.start) return a->m.start < b->m.start ? -1 : 1;
    if (a->m.end != b->m.end) return a->m.end < b->m.end ? -1 : 1;
    return a->term < b->term ? -1 : a->term > b->term;
}

nova_status detect_run(arena *a, const nova_request *req, nova_detection *out,
                       nova_error *err) {
    term_set t = {0};
    out->score = 0.0;
    out->threshold = req->has_detection ? req->detection.relationship_threshold : 2.0;
    out->matches = NULL;
    out->match_count = 0;
    (void)err; /* no request error is found here; out of memory: arena.h */
    if (gather(a, req, &t) != NOVA_OK) return NOVA_E_NOMEM;

    uint32_t *term_of = arena_array(a, t.count + 1, sizeof(uint32_t));
    uint32_t *list = arena_array(a, t.count + 1, sizeof(uint32_t));
    ac_hit *hits = arena_array(a, t.count + 1, sizeof(ac_hit));
    detect_automaton *ac = term_of && list && hits ? ac_build(a, t.keys, t.count, term_of) : NULL;
    unsigned char *scratch = ac ? arena_alloc(a, ac_scratch_size(ac)) : NULL;
    if (!scratch) return NOVA_E_NOMEM;
    size_t found = ac_scan(ac, req->message.s ? req->message.s : "", req->message.len, hits,
                           list, scratch);

    ranked *r = arena_array(a, found + 1, sizeof(ranked));
    out->matches = arena_array(a, found + 1, sizeof(nova_match));
    if (!r || !out->matches) return NOVA_E_NOMEM;
    for (size_t k = 0; k < found; k++) {
        size_t i = list[k]; /* a term: the first key of its spelling */
        r[k].term = i;
        r[k].m.term = arena_strndup(a, t.keys[i].s, t.keys[i].len);
        r[k].m.tier = t.tiers[i];
        r[k].m.start = hits[i].start;
        r[k].m.end = hits[i].end;
        if (!r[k].m.term) return NOVA_E_NOMEM;
    }
    qsort(r, found, sizeof(ranked), by_position);
    for (size_t i = 0; i < found; i++) {
        out->matches[i] = r[i].m;
        out->score += tier_weight(r[i].m.tier);
    }
    out->match_count = found;
    out->relationship = out->score >= out->threshold;
    return NOVA_OK;
}

const char *detect_tier_name(nova_tier tier) {
    switch (tier) {
    case NOVA_TIER_STRONG: return "strong";
    case NOVA_TIER_MEDIUM: return "medium";
    case NOVA_TIER_WEAK: return "weak";
    }
    return "weak";
}
