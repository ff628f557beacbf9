/*
 * detect — gathers the terms (partner names, the reference's name, custom and built-in
 * keywords) in order of strength, scans the message with their automata and scores the
 * first occurrence of each distinct term. Matching rules: detect_automaton.h; folding:
 * casefold.h; what a word is: wordchar.h.
 *
 * Terms, strongest first (the "gather order"): detection.partner_names, the reference's
 * name, custom strong, built-in strong, custom medium, built-in medium, custom weak,
 * built-in weak. Two entries that read the same after folding (case, accents, white
 * space) are one term: it counts once, in the tier of its first entry (so the
 * strongest), and is reported as that entry is written. Overlapping terms each count
 * ("my partner" and "partner"). Empty entries (after trimming white space and dropping
 * marks) are skipped; a custom keyword or partner name over NOVA_MAX_KEYWORD_BYTES was
 * refused by the decoder. Matches are listed by start offset, then end offset, then
 * term order.
 *
 * A scan is one or two passes (detect.h): each pass is an automaton over some of the
 * entries and a map from its terms to the term (entry number in gather order) they are
 * reported as. The per-call path also maps a request term that reads as a built-in one
 * to whichever comes first, so both ways give the same terms.
 */
#include "detect.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "detect_automaton.h"
#include "rules.h"
#include "texts.h"
#include "utf8.h"

/* ------------------------------------------------------------------ entries */

/* A list of entries in gather order (or some of them), with their tiers. */
typedef struct entries {
    nova_text *text;
    nova_tier *tier;
    size_t count;
} entries;

static int entries_alloc(arena *a, entries *e, size_t cap) {
    e->text = arena_array(a, cap + 1, sizeof(nova_text));
    e->tier = arena_array(a, cap + 1, sizeof(nova_tier));
    e->count = 0;
    return e->text && e->tier;
}

static void add_entry(entries *e, const char *s, size_t len, nova_tier tier) {
    e->text[e->count].s = s;
    e->text[e->count].len = len;
    e->tier[e->count++] = tier;
}

static void add_list(entries *e, const nova_text_list *list, nova_tier tier) {
    for (size_t i = 0; i < list->count; i++) add_entry(e, list->items[i].s, list->items[i].len, tier);
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* One term per line of a built-in list; blank lines and lines starting with '#' are
 * skipped, spaces around a term trimmed. With e NULL only counts. */
static size_t add_builtin(entries *e, const char *text, size_t len, nova_tier tier) {
    size_t count = 0, pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t b = pos, end = nl ? (size_t)(nl - text) : len;
        pos = end + 1;
        while (b < end && is_blank(text[b])) b++;
        while (end > b && is_blank(text[end - 1])) end--;
        if (b == end || text[b] == '#') continue;
        if (e) add_entry(e, text + b, end - b, tier);
        count++;
    }
    return count;
}

static const struct {
    const char *text;
    const unsigned *len;
} BUILTIN_LISTS[3] = {
    {nova_text_keywords_strong, &nova_text_keywords_strong_len},
    {nova_text_keywords_medium, &nova_text_keywords_medium_len},
    {nova_text_keywords_weak, &nova_text_keywords_weak_len},
};

static const nova_text_list *custom_list(const detect_config *cfg, int tier) {
    return tier == 0 ? &cfg->strong : tier == 1 ? &cfg->medium : &cfg->weak;
}

/* The request's own entries: partner names, the reference's name, custom strong, medium,
 * weak; with builtins, the built-in lists too, each after its tier's custom entries. */
static int gather(arena *a, const detect_config *cfg, int builtins, entries *e) {
    size_t cap = cfg->partner_names.count + 1 + cfg->strong.count + cfg->medium.count +
                 cfg->weak.count;
    for (int i = 0; builtins && i < 3; i++)
        cap += add_builtin(NULL, BUILTIN_LISTS[i].text, *BUILTIN_LISTS[i].len, 0);
    if (!entries_alloc(a, e, cap)) return 0;
    add_list(e, &cfg->partner_names, NOVA_TIER_STRONG);
    if (cfg->reference_name.s)
        add_entry(e, cfg->reference_name.s, cfg->reference_name.len, NOVA_TIER_STRONG);
    for (int i = 0; i < 3; i++) {
        add_list(e, custom_list(cfg, i), (nova_tier)i);
        if (builtins) add_builtin(e, BUILTIN_LISTS[i].text, *BUILTIN_LISTS[i].len, (nova_tier)i);
    }
    return 1;
}

void detect_config_of(const nova_request *req, detect_config *cfg) {
    static const nova_text_list none = {NULL, 0};
    const nova_detection_config *d = req->has_detection ? &req->detection : NULL;
    cfg->partner_names = d ? d->partner_names : none;
    cfg->strong = d ? d->strong : none;
    cfg->medium = d ? d->medium : none;
    cfg->weak = d ? d->weak : none;
    cfg->threshold = d ? d->relationship_threshold : NOVA_DEFAULT_THRESHOLD;
    /* The reference's name is a name, not configuration: too long a name is skipped
     * rather than failing every request of the partnership. */
    cfg->reference_name.s = NULL;
    cfg->reference_name.len = 0;
    if (req->has_reference && req->reference.profile.name.s &&
        req->reference.profile.name.len <= NOVA_MAX_KEYWORD_BYTES)
        cfg->reference_name = req->reference.profile.name;
}

/* ------------------------------------------------------------------ passes */

typedef struct pass {
    const detect_automaton *ac;
    size_t keys;          /* the automaton's entries */
    const uint32_t *term; /* per term of the automaton (its first entry): the term it is */
} pass;

/* The built-in lists' automaton: built on first use, then shared by every call. */
typedef struct builtins {
    arena a;              /* holds all of it but this struct (malloc'ed: the global points
                           * at the start of a block, so leak checkers see it reachable) */
    detect_automaton *ac;
    entries e;            /* strong, medium, weak, in list order */
    uint32_t *term_of;    /* per entry: first entry with the same units, or AC_NONE */
    size_t tier_count[3]; /* entries per tier */
} builtins;

static _Atomic(builtins *) the_builtins;

static void builtins_free(builtins *b) {
    arena_free(&b->a);
    free(b);
}

static builtins *builtins_build(void) {
    arena a, tmp;
    arena_init(&a);
    arena_init(&tmp);
    builtins *b = calloc(1, sizeof *b);
    detect_config none;
    memset(&none, 0, sizeof none);
    int ok = b && gather(&a, &none, 1, &b->e);
    if (ok) {
        for (size_t i = 0; i < b->e.count; i++) b->tier_count[b->e.tier[i]]++;
        b->term_of = arena_array(&a, b->e.count + 1, sizeof(uint32_t));
        ok = b->term_of && (b->ac = ac_build(&a, &tmp, b->e.text, b->e.count, b->term_of));
    }
    arena_free(&tmp);
    if (b) b->a = a;
    if (!ok) {
        if (b) builtins_free(b);
        else arena_free(&a);
        return NULL;
    }
    return b;
}

/* The shared built-in automaton, NULL when out of memory (the next call tries again).
 * Threads that race to build it each build one; the first to publish it wins and the
 * others free theirs, so no thread ever waits and nothing is built twice for good. */
static const builtins *builtins_get(void) {
    builtins *b = atomic_load_explicit(&the_builtins, memory_order_acquire);
    if (b) return b;
    builtins *mine = builtins_build();
    if (!mine) return NULL;
    builtins *expected = NULL;
    if (atomic_compare_exchange_strong_explicit(&the_builtins, &expected, mine,
                                                memory_order_acq_rel, memory_order_acquire))
        return mine;
    builtins_free(mine);
    return expected;
}

/* The entry number (gather order) of custom entry k and built-in entry k, given how many
 * entries of each kind come before each tier. */
typedef struct layout {
    size_t builtin_before[3];  /* built-in entries before built-in tier i */
    size_t custom_end[3];      /* custom entries up to the end of tier i (names included) */
} layout;

static uint32_t custom_index(const layout *l, size_t k) {
    int t = k < l->custom_end[0] ? 0 : k < l->custom_end[1] ? 1 : 2;
    return (uint32_t)(k + l->builtin_before[t]);
}

static uint32_t builtin_index(const layout *l, size_t k) {
    int t = k < l->builtin_before[1] ? 0 : k < l->builtin_before[2] ? 1 : 2;
    return (uint32_t)(k + l->custom_end[t]);
}

/* ------------------------------------------------------------------ own terms */

/* The request's own entries, compiled: the second pass of the per-call path. */
struct detect_own {
    detect_config cfg;  /* the terms it was built from (copies when kept), for matching */
    entries mine;       /* partner names, the reference's name, custom strong, medium, weak */
    detect_automaton *ac; /* over mine (NULL when there is none) */
    uint32_t *term_of;  /* per entry of mine: first entry with the same units */
    uint32_t *builtin;  /* per entry: the built-in term written alike, or AC_NONE (and
                         * AC_NONE for an entry that is not a term of its own) */
};

static int copy_list(arena *a, nova_text_list *dst, const nova_text_list *src) {
    dst->count = src->count;
    dst->items = arena_array(a, src->count + 1, sizeof(nova_text));
    if (!dst->items) return 0;
    for (size_t i = 0; i < src->count; i++) {
        dst->items[i].s = arena_strndup(a, src->items[i].s, src->items[i].len);
        dst->items[i].len = src->items[i].len;
        if (!dst->items[i].s) return 0;
    }
    return 1;
}

/* The terms of src in arena a, threshold too. */
static int copy_config(arena *a, detect_config *dst, const detect_config *src) {
    memset(dst, 0, sizeof *dst);
    dst->threshold = src->threshold;
    if (src->reference_name.s) {
        dst->reference_name.s = arena_strndup(a, src->reference_name.s, src->reference_name.len);
        dst->reference_name.len = src->reference_name.len;
        if (!dst->reference_name.s) return 0;
    }
    return copy_list(a, &dst->partner_names, &src->partner_names) &&
           copy_list(a, &dst->strong, &src->strong) && copy_list(a, &dst->medium, &src->medium) &&
           copy_list(a, &dst->weak, &src->weak);
}

/* cfg's own terms in arena a (scratch in tmp); keep: copy cfg's texts (for a cache),
 * else point at them (for the call). NULL when out of memory. */
static detect_own *own_build(arena *a, arena *tmp, const builtins *b, const detect_config *cfg,
                             int keep) {
    detect_own *o = arena_alloc(a, sizeof *o);
    if (!o) return NULL;
    if (!keep) o->cfg = *cfg;
    else if (!copy_config(a, &o->cfg, cfg)) return NULL;
    if (!gather(a, &o->cfg, 0, &o->mine)) return NULL;
    size_t n = o->mine.count;
    o->term_of = arena_array(a, n + 1, sizeof(uint32_t));
    o->builtin = arena_array_raw(a, n + 1, sizeof(uint32_t));
    uint32_t *units = n ? arena_array_raw(tmp, NOVA_MAX_KEYWORD_BYTES + 1, sizeof(uint32_t)) : NULL;
    if (!o->term_of || !o->builtin || (n && !units)) return NULL;
    if (n && !(o->ac = ac_build(a, tmp, o->mine.text, n, o->term_of))) return NULL;
    for (size_t k = 0; k < n; k++)
        o->builtin[k] = o->term_of[k] == k
                            ? ac_find(b->ac, o->mine.text[k].s, o->mine.text[k].len, units)
                            : AC_NONE;
    return o;
}

detect_own *detect_own_build(arena *a, arena *tmp, const detect_config *cfg) {
    const builtins *b = builtins_get();
    return b ? own_build(a, tmp, b, cfg, 1) : NULL;
}

size_t detect_own_count(const detect_config *cfg) {
    return cfg->partner_names.count + (cfg->reference_name.s != NULL) + cfg->strong.count +
           cfg->medium.count + cfg->weak.count;
}

/* The two passes of the per-call path: the built-ins, and the request's own entries
 * (own, or built now in arena a). all receives every entry in gather order (for the
 * report). */
static int per_call_passes(arena *a, const builtins *b, const detect_config *cfg,
                           const detect_own *own, pass *p, size_t *npass, entries *all) {
    if (!own && !(own = own_build(a, a, b, cfg, 0))) return 0;
    const entries *mine = &own->mine;
    layout l;
    size_t names = cfg->partner_names.count + (cfg->reference_name.s != NULL);
    l.custom_end[0] = names + cfg->strong.count;
    l.custom_end[1] = l.custom_end[0] + cfg->medium.count;
    l.custom_end[2] = l.custom_end[1] + cfg->weak.count;
    l.builtin_before[0] = 0;
    l.builtin_before[1] = b->tier_count[0];
    l.builtin_before[2] = b->tier_count[0] + b->tier_count[1];

    if (!entries_alloc(a, all, mine->count + b->e.count)) return 0;
    for (size_t k = 0; k < mine->count; k++) {
        all->text[custom_index(&l, k)] = mine->text[k];
        all->tier[custom_index(&l, k)] = mine->tier[k];
    }
    for (size_t k = 0; k < b->e.count; k++) {
        all->text[builtin_index(&l, k)] = b->e.text[k];
        all->tier[builtin_index(&l, k)] = b->e.tier[k];
    }
    all->count = mine->count + b->e.count;

    uint32_t *bterm = arena_array(a, b->e.count + 1, sizeof(uint32_t));
    if (!bterm) return 0;
    for (size_t k = 0; k < b->e.count; k++) bterm[k] = builtin_index(&l, k);
    p[0] = (pass){b->ac, b->e.count, bterm};
    *npass = 1;
    if (mine->count == 0) return 1;

    uint32_t *cterm = arena_array(a, mine->count + 1, sizeof(uint32_t));
    if (!cterm) return 0;
    for (size_t k = 0; k < mine->count; k++) {
        cterm[k] = custom_index(&l, k);
        /* Written like a built-in term: both are the one that comes first. */
        uint32_t t = own->builtin[k];
        if (t == AC_NONE) continue;
        if (bterm[t] < cterm[k])
            cterm[k] = bterm[t];
        else
            bterm[t] = cterm[k];
    }
    p[1] = (pass){own->ac, mine->count, cterm};
    *npass = 2;
    return 1;
}

/* ------------------------------------------------------------------ compiled sets */

struct detect_set {
    detect_config cfg;    /* the terms it was built from (copies), for detect_set_matches */
    entries all;          /* every entry in gather order */
    detect_automaton *ac; /* over all of them */
    uint32_t *term_of;
};

detect_set *detect_set_build(arena *a, arena *tmp, const detect_config *cfg) {
    detect_set *set = arena_alloc(a, sizeof *set);
    if (!set || !copy_config(a, &set->cfg, cfg) || !gather(a, &set->cfg, 1, &set->all))
        return NULL;
    set->term_of = arena_array(a, set->all.count + 1, sizeof(uint32_t));
    if (!set->term_of) return NULL;
    set->ac = ac_build(a, tmp, set->all.text, set->all.count, set->term_of);
    return set->ac ? set : NULL;
}

static int same_text(nova_text x, nova_text y) {
    return (!x.s) == (!y.s) && x.len == y.len && (!x.len || memcmp(x.s, y.s, x.len) == 0);
}

static int same_list(const nova_text_list *x, const nova_text_list *y) {
    if (x->count != y->count) return 0;
    for (size_t i = 0; i < x->count; i++)
        if (!same_text(x->items[i], y->items[i])) return 0;
    return 1;
}

/* The same terms (the threshold aside). */
static int same_terms(const detect_config *x, const detect_config *y) {
    return same_text(x->reference_name, y->reference_name) &&
           same_list(&x->partner_names, &y->partner_names) && same_list(&x->strong, &y->strong) &&
           same_list(&x->medium, &y->medium) && same_list(&x->weak, &y->weak);
}

int detect_set_matches(const detect_set *set, const detect_config *cfg) {
    return same_terms(&set->cfg, cfg);
}

int detect_own_matches(const detect_own *own, const detect_config *cfg) {
    return same_terms(&own->cfg, cfg);
}

/* ------------------------------------------------------------------ scoring */

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

static int by_offset(const void *pa, const void *pb) {
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return a < b ? -1 : a > b;
}

/* Rewrites the matches' byte offsets as UTF-16 code units of msg, in one walk over it up
 * to the last offset: a code point above U+FFFF is two units, any other one (and each
 * ill-formed subpart, U+FFFD to a decoder) one. */
static int to_utf16(arena *a, const char *msg, size_t len, nova_match *m, size_t n) {
    if (!n) return 1;
    size_t *at = arena_array(a, 2 * n, sizeof(size_t)), count = 0;
    size_t *units = arena_array(a, 2 * n, sizeof(size_t));
    if (!at || !units) return 0;
    for (size_t i = 0; i < n; i++) {
        at[count++] = m[i].start;
        at[count++] = m[i].end;
    }
    qsort(at, count, sizeof *at, by_offset);
    const unsigned char *s = (const unsigned char *)msg;
    size_t pos = 0, u = 0;
    for (size_t k = 0; k < count; k++) {
        while (pos < at[k] && pos < len) {
            if (s[pos] < 0x80) {
                pos++;
                u++;
                continue;
            }
            uint32_t cp;
            pos += utf8_decode(s + pos, len - pos, &cp);
            u += cp > 0xFFFF ? 2 : 1;
        }
        units[k] = u;
    }
    for (size_t i = 0; i < n; i++) {
        size_t *p = bsearch(&m[i].start, at, count, sizeof *at, by_offset);
        size_t *q = bsearch(&m[i].end, at, count, sizeof *at, by_offset);
        m[i].start = units[p - at];
        m[i].end = units[q - at];
    }
    return 1;
}

/* Scans msg with each pass and reports each term's first occurrence once. What is
 * cleared is a byte a term (the scans' scratch, and the seen marks with two passes), not a
 * hit slot: hits and lists are allocated a slot a key but only the found ones are written
 * and read, and the ranking is sized by what is found. */
static nova_status score(arena *a, const pass *p, size_t npass, const entries *all,
                         const char *msg, size_t len, nova_detection *out) {
    ac_hit *hits[2];
    uint32_t *list[2];
    size_t n[2], total = 0;
    for (size_t i = 0; i < npass; i++) {
        hits[i] = arena_alloc_raw(a, (p[i].keys + 1) * sizeof(ac_hit));
        list[i] = arena_alloc_raw(a, (p[i].keys + 1) * sizeof(uint32_t));
        unsigned char *scratch = arena_alloc_raw(a, ac_scratch_size(p[i].ac));
        if (!hits[i] || !list[i] || !scratch) return NOVA_E_NOMEM;
        n[i] = ac_scan(p[i].ac, msg ? msg : "", len, hits[i], list[i], scratch);
        total += n[i];
    }
    /* A term of both passes (a request term written like a built-in one) is found by
     * both at the same occurrence: the second pass's copy is left out. */
    unsigned char *seen = npass > 1 ? arena_alloc(a, all->count + 1) : NULL;
    ranked *r = arena_alloc_raw(a, (total + 1) * sizeof(ranked));
    if (!r || (npass > 1 && !seen)) return NOVA_E_NOMEM;
    size_t found = 0;
    for (size_t i = 0; i < npass; i++) {
        for (size_t k = 0; k < n[i]; k++) {
            uint32_t t = list[i][k], g = p[i].term[t];
            if (seen && seen[g]++) continue;
            r[found].term = g;
            r[found].m.term = arena_strndup(a, all->text[g].s, all->text[g].len);
            r[found].m.tier = all->tier[g];
            r[found].m.start = hits[i][t].start;
            r[found].m.end = hits[i][t].end;
            if (!r[found++].m.term) return NOVA_E_NOMEM;
        }
    }
    qsort(r, found, sizeof(ranked), by_position);
    out->matches = arena_alloc_raw(a, (found + 1) * sizeof(nova_match));
    if (!out->matches) return NOVA_E_NOMEM;
    for (size_t i = 0; i < found; i++) {
        out->matches[i] = r[i].m;
        out->score += tier_weight(r[i].m.tier);
    }
    out->match_count = found;
    return NOVA_OK;
}

nova_status detect_message(arena *a, const detect_set *set, const detect_own *own,
                           const detect_config *cfg, const char *msg, size_t len, int utf16,
                           nova_detection *out, nova_error *err) {
    (void)err; /* nothing but memory can fail here yet */
    out->score = 0.0;
    out->threshold = cfg->threshold;
    out->matches = NULL;
    out->match_count = 0;
    pass p[2];
    size_t npass = 1;
    entries all;
    if (set) {
        p[0] = (pass){set->ac, set->all.count, set->term_of};
        all = set->all;
    } else {
        const builtins *b = builtins_get();
        if (!b || !per_call_passes(a, b, cfg, own, p, &npass, &all)) return NOVA_E_NOMEM; /* arena.h: api.c says so */
    }
    if (score(a, p, npass, &all, msg, len, out) != NOVA_OK) return NOVA_E_NOMEM; /* arena.h: api.c says so */
    if (utf16 && !to_utf16(a, msg, len, out->matches, out->match_count)) return NOVA_E_NOMEM; /* arena.h: api.c says so */
    out->relationship = out->score >= out->threshold;
    return NOVA_OK;
}

nova_status detect_run(arena *a, const nova_request *req, nova_detection *out,
                       nova_error *err) {
    detect_config cfg;
    detect_config_of(req, &cfg);
    const detect_set *set = req->compiled && detect_set_matches(req->compiled, &cfg)
                                ? req->compiled
                                : NULL;
    return detect_message(a, set, set ? NULL : req->own, &cfg, req->message.s, req->message.len,
                          req->offsets_utf16, out, err);
}

const char *detect_tier_name(nova_tier tier) {
    switch (tier) {
    case NOVA_TIER_STRONG: return "strong";
    case NOVA_TIER_MEDIUM: return "medium";
    case NOVA_TIER_WEAK: return "weak";
    }
    return "weak";
}
