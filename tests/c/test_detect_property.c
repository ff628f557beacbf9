/*
 * test_detect_property — the detector against a plain reference scan on 10,000 random
 * messages and keyword sets (a fixed-seed PRNG, so every run is the same), each scored
 * three ways: per call (detect_run: the built-in automaton and the request's own), with
 * a compiled set of all the terms (detect_set_build, as nova_detector_new), and with
 * UTF-16 offsets.
 *
 * Then 2,000 keywords at a time (a deep automaton, nodes without a row), and that folding
 * keeps every code point a word character or not, which the automaton relies on.
 *
 * The reference shares only the Unicode facts (casefold_cp, casefold_is_dropped,
 * wordchar_kind_of, wordchar_is_space, utf8_decode) with the detector; the matching is
 * written the naive way: the message and each keyword turned into arrays of units, then
 * for each keyword, each position, compare and check the word boundaries, where a
 * combining mark is a word character when the character it follows is one (looked up
 * by walking back in the message: the detector never looks back).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "casefold.h"
#include "detect.h"
#include "error.h"
#include "harness.h"
#include "request.h"
#include "texts.h"
#include "utf8.h"
#include "wordchar.h"

#define ITERATIONS 10000
#define MAX_KEYS 512
#define MAX_UNITS 1024

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(uint32_t n) { /* xorshift64*, uniform enough for picking pieces */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 33) % n;
}

/* ------------------------------------------------------------------ the reference */

typedef struct unit {
    uint32_t folded;
    size_t start, end;        /* bytes, marks after it included */
    size_t first_cp, last_cp; /* indexes into the code point array */
} unit;

typedef struct cpinfo {
    uint32_t cp;
    size_t start, end;
} cpinfo;

static size_t decode_all(const char *s, size_t len, cpinfo *out) {
    size_t n = 0;
    for (size_t pos = 0; pos < len;) {
        uint32_t cp;
        size_t l = utf8_decode((const unsigned char *)s + pos, len - pos, &cp);
        out[n].cp = cp;
        out[n].start = pos;
        out[n++].end = pos + l;
        pos += l;
    }
    return n;
}

/* Units of a text: marks join the unit before them, a white space run is one ' '. */
static size_t to_units(const cpinfo *cps, size_t n, unit *out) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = cps[i].cp;
        unit *last = count ? &out[count - 1] : NULL;
        if (casefold_is_dropped(cp) || (wordchar_is_space(cp) && last && last->folded == ' ' &&
                                        wordchar_is_space(cps[last->first_cp].cp))) {
            if (last) {
                last->end = cps[i].end;
                last->last_cp = i;
            }
            continue;
        }
        out[count].folded = wordchar_is_space(cp) ? ' ' : casefold_cp(cp);
        out[count].start = cps[i].start;
        out[count].end = cps[i].end;
        out[count].first_cp = out[count].last_cp = i;
        count++;
    }
    return count;
}

/* A keyword's units: those of its text without white space at either end, nor
 * combining marks at the start. */
static size_t keyword_units(const char *s, size_t len, uint32_t *out) {
    static cpinfo cps[MAX_UNITS];
    static unit units[MAX_UNITS];
    size_t n = to_units(cps, decode_all(s, len, cps), units), b = 0, count = 0;
    while (b < n && ((units[b].folded == ' ' && wordchar_is_space(cps[units[b].first_cp].cp)) ||
                     wordchar_is_mark(units[b].folded)))
        b++;
    while (n > b && units[n - 1].folded == ' ' && wordchar_is_space(cps[units[n - 1].first_cp].cp))
        n--;
    for (size_t i = b; i < n; i++) out[count++] = units[i].folded;
    return count;
}

typedef struct key {
    const char *s;
    size_t len;
    nova_tier tier;
    uint32_t units[256];
    size_t unit_count;
    size_t term; /* first key with the same units */
    int custom;  /* from the request, not a built-in list */
} key;

typedef struct expected {
    size_t term, start, end;
} expected;

/* Code point i is a word character: a letter or number, or a mark after one. */
static int is_word_at(const cpinfo *cps, size_t n, size_t i) {
    if (i >= n) return 0;
    while (wordchar_is_mark(cps[i].cp)) {
        if (i == 0) return 0;
        i--;
    }
    return wordchar_is_word(cps[i].cp);
}

/* The same for the last unit of a keyword. */
static int last_unit_is_word(const uint32_t *units, size_t n) {
    while (n > 0 && wordchar_is_mark(units[n - 1])) n--;
    return n > 0 && wordchar_is_word(units[n - 1]);
}

/* The first whole-word occurrence of k in the message, the naive way. */
static int find_first(const key *k, const cpinfo *cps, size_t ncp, const unit *u, size_t nu,
                      size_t *start, size_t *end) {
    size_t len = k->unit_count;
    int word_first = wordchar_is_word(k->units[0]);
    int word_last = last_unit_is_word(k->units, len);
    for (size_t i = 0; i + len <= nu; i++) {
        size_t j = 0;
        while (j < len && u[i + j].folded == k->units[j]) j++;
        if (j < len) continue;
        if (word_first && u[i].first_cp > 0 && is_word_at(cps, ncp, u[i].first_cp - 1)) continue;
        const unit *last = &u[i + len - 1];
        size_t next = last->last_cp + 1;
        if (word_last && is_word_at(cps, ncp, next)) {
            /* Only the possessive "s'" followed by no word character may follow. */
            size_t a = i + len, b = i + len + 1;
            if (!(b < nu && u[a].folded == 's' && u[b].folded == '\'' &&
                  !is_word_at(cps, ncp, u[b].last_cp + 1)))
                continue;
        }
        *start = u[i].start;
        *end = last->end;
        return 1;
    }
    return 0;
}

/* UTF-16 code units in s[0..n), counted the plain way: decode each code point. */
static size_t utf16_units(const char *s, size_t n) {
    size_t u = 0;
    for (size_t pos = 0; pos < n;) {
        uint32_t cp;
        pos += utf8_decode((const unsigned char *)s + pos, n - pos, &cp);
        u += cp >= 0x10000 ? 2 : 1;
    }
    return u;
}

static int cmp_expected(const void *pa, const void *pb) {
    const expected *a = pa, *b = pb;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->end != b->end) return a->end < b->end ? -1 : 1;
    return a->term < b->term ? -1 : a->term > b->term;
}

/* ------------------------------------------------------------------ random cases */

static const char *const message_pieces[] = {
    "sam", "Sam", "SAM", "s", "'", "\xE2\x80\x99", " ", "  ", "\n", "\t\r\n", "e",
    "\xC3\xA9", "E\xCC\x81", "\xCC\x81", "x", "ab", "a b", "zo\xC3\xAB", "ZO\xC3\x8B", "zoe",
    "\xCF\x83", "\xCE\xA3", "\xCF\x82", "\xD0\xB9", "\xD0\x99", "\xD0\xB8", "1", "-", ".",
    "\xF0\x9F\x98\x80", "\xFF", "\xE2\x82", "\xC3\x9F", "\xE1\xBA\x9E", "love", "my love",
    "wife", "partner", "\xC2\xA0", "\xD7\xA9\xD7\x9C", "\xE6\x97\xA5\xE6\x9C\xAC",
    "\xEF\xBD\x93\xEF\xBD\x81\xEF\xBD\x8D", "\xE2\x80\x99s", "s'", "date", "night",
    "date night", "_", "\xEF\xBF\xBD", "\xE1\xB7\x80", "\xD6\xB0", "jealous", "'s ", "s\xCC\x81'",
    " \xCC\x81 ", "a \t b", "my\r\nlove", "my", "\xA9", "\xC3\xA9\xA9", "\xE2\x80\x99\x80",
    /* emoji sequences: variation selectors, keycaps, skin tones, ZWJ, flags, tags */
    "\xE2\x9D\xA4\xEF\xB8\x8F", "\xE2\x98\xBA\xEF\xB8\x8F", "#\xEF\xB8\x8F\xE2\x83\xA3",
    "1\xEF\xB8\x8F\xE2\x83\xA3", "\xEF\xB8\x8F", "\xEF\xB8\x8E", "\xE2\x83\xA3",
    "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9",
    "\xE2\x80\x8D", "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7", "\xF3\xA0\x84\x80",
    "\xF0\x9F\x8F\xB4\xF3\xA0\x81\xA7\xF3\xA0\x81\xA2\xF3\xA0\x81\xBF", "!\xCC\x81",
    /* letterlike symbols and other cased scripts: Kelvin, Ohm, Angstrom, circled,
     * Roman numerals, Georgian, Cherokee, Deseret, Armenian */
    "\xE2\x84\xAA", "k", "\xE2\x84\xA6", "\xCF\x89", "\xE2\x84\xAB", "\xC3\xA5", "a",
    "\xE2\x84\x8C", "\xE2\x84\x83", "\xE2\x85\xA0", "\xE2\x85\xB0", "\xE2\x92\xB6",
    "\xE2\x93\x90", "\xE1\x82\xA0", "\xE2\xB4\x80", "\xE1\x8E\xA0", "\xEA\xAD\xB0",
    "\xF0\x90\x90\x80", "\xF0\x90\x90\xA8", "\xD4\xB1", "\xD5\xA1",
    /* marks that stay units: Devanagari vowel sign and virama, Hebrew point */
    "\xE0\xA4\x95", "\xE0\xA4\xBF", "\xE0\xA5\x8D", "\xD6\xB0",
};
static const char *const keyword_pieces[] = {
    "sam", "Sam", "s", "'", "e", "\xC3\xA9", "zoe", "ZO\xC3\x8B", "\xCF\x83", "\xCF\x82",
    "\xD0\xB9", "a", "ab", "b", "love", "wife", "x", "1", "\xE6\x97\xA5", "-",
    "\xF0\x9F\x98\x80", "\xEF\xBF\xBD", " ", "date", "night", "\xE2\x80\x99", "\xFF",
    "\xCC\x81", "jealous", "my love", "a b", "date night", "sam\n x", "e \xCC\x81 b",
    "\xE2\x9D\xA4\xEF\xB8\x8F", "\xE2\x9D\xA4", "#\xE2\x83\xA3", "\xEF\xB8\x8F", "\xE2\x84\xAA",
    "K", "\xE2\x84\xA6", "\xCE\xA9", "\xE2\x84\xAB", "\xC3\x85", "\xE2\x85\xA0", "\xE2\x92\xB6",
    "\xE1\x82\xA0", "\xE1\x8E\xA0", "\xF0\x90\x90\x80", "\xE0\xA4\x95", "\xE0\xA4\xBF",
    "\xE0\xA4\x95\xE0\xA4\xBF", "\xD6\xB0", "\xF0\x9F\x91\x8D",
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static size_t random_text(char *out, size_t cap, const char *const *pool, size_t pool_n,
                          size_t max_pieces) {
    size_t n = 0, pieces = rnd((uint32_t)max_pieces + 1);
    for (size_t i = 0; i < pieces; i++) {
        const char *p = pool[rnd((uint32_t)pool_n)];
        size_t l = strlen(p);
        if (n + l >= cap) break;
        memcpy(out + n, p, l);
        n += l;
    }
    out[n] = 0;
    return n;
}

/* Built-in lists, parsed the simple way: one term a line, '#' lines and blanks out. */
static void add_builtin(key *keys, size_t *n, const char *text, size_t len, nova_tier tier) {
    size_t pos = 0;
    while (pos < len) {
        size_t b = pos;
        while (pos < len && text[pos] != '\n') pos++;
        size_t e = pos++;
        while (b < e && (text[b] == ' ' || text[b] == '\t' || text[b] == '\r')) b++;
        while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r')) e--;
        if (b == e || text[b] == '#' || *n >= MAX_KEYS) continue;
        keys[*n].s = text + b;
        keys[*n].len = e - b;
        keys[*n].tier = tier;
        (*n)++;
    }
}

typedef struct random_case {
    char lists[4][3][64]; /* partners, strong, medium, weak */
    size_t counts[4];
    char reference[64];
    int has_reference;
    char message[1024];
    size_t message_len;
} random_case;

static void make_case(random_case *c) {
    memset(c, 0, sizeof *c);
    for (int l = 0; l < 4; l++) {
        c->counts[l] = 1 + rnd(3);
        for (size_t i = 0; i < c->counts[l]; i++)
            random_text(c->lists[l][i], sizeof c->lists[l][i], keyword_pieces,
                        COUNT(keyword_pieces), 3);
    }
    c->has_reference = rnd(3) == 0;
    if (c->has_reference)
        random_text(c->reference, sizeof c->reference, keyword_pieces, COUNT(keyword_pieces), 2);
    c->message_len = random_text(c->message, sizeof c->message, message_pieces,
                                 COUNT(message_pieces), 40);
}

static size_t total_matches, custom_matches;

static int check_case(const random_case *c) {
    static key keys[MAX_KEYS];
    static cpinfo cps[2048];
    static unit units[2048];
    static expected want[MAX_KEYS];
    size_t n = 0;
    const char *builtins[3] = {nova_text_keywords_strong, nova_text_keywords_medium,
                               nova_text_keywords_weak};
    const unsigned lens[3] = {nova_text_keywords_strong_len, nova_text_keywords_medium_len,
                              nova_text_keywords_weak_len};
    /* The documented order of strength: names, reference, then custom before built-in. */
    for (size_t i = 0; i < c->counts[0]; i++)
        keys[n++] = (key){.s = c->lists[0][i], .len = strlen(c->lists[0][i]),
                          .tier = NOVA_TIER_STRONG, .custom = 1};
    if (c->has_reference)
        keys[n++] = (key){.s = c->reference, .len = strlen(c->reference),
                          .tier = NOVA_TIER_STRONG, .custom = 1};
    for (int t = 0; t < 3; t++) {
        for (size_t i = 0; i < c->counts[t + 1]; i++)
            keys[n++] = (key){.s = c->lists[t + 1][i], .len = strlen(c->lists[t + 1][i]),
                              .tier = (nova_tier)t, .custom = 1};
        add_builtin(keys, &n, builtins[t], lens[t], (nova_tier)t);
    }

    size_t ncp = decode_all(c->message, c->message_len, cps);
    size_t nu = to_units(cps, ncp, units);
    size_t nwant = 0;
    double want_score = 0;
    for (size_t i = 0; i < n; i++) {
        keys[i].unit_count = keyword_units(keys[i].s, keys[i].len, keys[i].units);
        keys[i].term = i;
        for (size_t j = 0; j < i; j++)
            if (keys[j].unit_count == keys[i].unit_count && keys[j].term == j &&
                memcmp(keys[j].units, keys[i].units, keys[i].unit_count * sizeof(uint32_t)) == 0) {
                keys[i].term = j;
                break;
            }
        if (keys[i].term != i || keys[i].unit_count == 0) continue;
        size_t s, e;
        if (find_first(&keys[i], cps, ncp, units, nu, &s, &e)) {
            want[nwant++] = (expected){i, s, e};
            want_score += keys[i].tier == NOVA_TIER_STRONG ? 2.0
                          : keys[i].tier == NOVA_TIER_MEDIUM ? 1.0 : 0.5;
        }
    }
    qsort(want, nwant, sizeof want[0], cmp_expected);

    arena a;
    arena_init(&a);
    nova_request req;
    memset(&req, 0, sizeof req);
    req.message.s = c->message;
    req.message.len = c->message_len;
    req.has_detection = 1;
    req.detection.relationship_threshold = 2.0;
    nova_text_list *lists[4] = {&req.detection.partner_names, &req.detection.strong,
                                &req.detection.medium, &req.detection.weak};
    for (int l = 0; l < 4; l++) {
        lists[l]->count = c->counts[l];
        lists[l]->items = arena_array(&a, 4, sizeof(nova_text));
        for (size_t i = 0; i < c->counts[l]; i++) {
            lists[l]->items[i].s = c->lists[l][i];
            lists[l]->items[i].len = strlen(c->lists[l][i]);
        }
    }
    if (c->has_reference) {
        req.has_reference = 1;
        req.reference.profile.name.s = c->reference;
        req.reference.profile.name.len = strlen(c->reference);
    }
    /* The four ways to the same answer: per call (built-in automaton + the request's),
     * a compiled set of all terms, the request's terms kept (as a detector cache keeps
     * them), and one of these with UTF-16 offsets. */
    nova_detection d, dc, dk, du;
    nova_error err;
    nova_error_init(&err);
    detect_config cfg;
    detect_config_of(&req, &cfg);
    detect_set *set = detect_set_build(&a, &a, &cfg);
    detect_own *own = detect_own_build(&a, &a, &cfg);
    int pick = rnd(3);
    int ok = detect_run(&a, &req, &d, &err) == NOVA_OK && set && own &&
             detect_message(&a, set, NULL, &cfg, c->message, c->message_len, 0, &dc, &err) == NOVA_OK &&
             detect_message(&a, NULL, own, &cfg, c->message, c->message_len, 0, &dk, &err) == NOVA_OK &&
             detect_message(&a, pick == 0 ? set : NULL, pick == 1 ? own : NULL, &cfg, c->message,
                            c->message_len, 1, &du, &err) == NOVA_OK &&
             detect_set_matches(set, &cfg) && detect_own_matches(own, &cfg);
    for (int way = 0; ok && way < 4; way++) {
        const nova_detection *x = way == 0 ? &d : way == 1 ? &dc : way == 2 ? &dk : &du;
        ok = x->match_count == nwant && x->score == want_score &&
             x->relationship == (want_score >= 2.0);
        for (size_t i = 0; ok && i < nwant; i++) {
            const key *k = &keys[want[i].term];
            size_t ws = way == 3 ? utf16_units(c->message, want[i].start) : want[i].start;
            size_t we = way == 3 ? utf16_units(c->message, want[i].end) : want[i].end;
            ok = x->matches[i].start == ws && x->matches[i].end == we &&
                 x->matches[i].tier == k->tier && strlen(x->matches[i].term) == k->len &&
                 memcmp(x->matches[i].term, k->s, k->len) == 0;
        }
    }
    for (size_t i = 0; ok && i < nwant; i++) custom_matches += (size_t)keys[want[i].term].custom;
    if (!ok) {
        fprintf(stderr, "message (%zu bytes):", c->message_len);
        for (size_t i = 0; i < c->message_len; i++)
            fprintf(stderr, " %02X", (unsigned char)c->message[i]);
        fprintf(stderr, "\n  got %zu matches, score %g:", d.match_count, d.score);
        for (size_t i = 0; i < d.match_count; i++)
            fprintf(stderr, " \"%s\"/%s[%zu,%zu)", d.matches[i].term,
                    detect_tier_name(d.matches[i].tier), d.matches[i].start, d.matches[i].end);
        fprintf(stderr, "\n  want %zu matches, score %g:", nwant, want_score);
        for (size_t i = 0; i < nwant; i++)
            fprintf(stderr, " \"%.*s\"/%s[%zu,%zu)", (int)keys[want[i].term].len,
                    keys[want[i].term].s, detect_tier_name(keys[want[i].term].tier),
                    want[i].start, want[i].end);
        fputc('\n', stderr);
    }
    total_matches += nwant;
    arena_free(&a);
    return ok;
}

static void test_random_against_reference(void) {
    static random_case c;
    int failures = 0;
    for (int i = 0; i < ITERATIONS && failures < 5; i++) {
        make_case(&c);
        if (!check_case(&c)) failures++;
    }
    CHECK(failures == 0);
    /* The cases must exercise matching, not agree on "nothing found". */
    printf("property: %d cases, %zu matches compared (%zu of custom keywords)\n", ITERATIONS,
           total_matches, custom_matches);
    CHECK(total_matches > ITERATIONS / 2);
    CHECK(custom_matches > ITERATIONS / 3);
}

/* ------------------------------------------------------------------ many keywords */

/* Thousands of keywords from a few pieces make a deep, wide automaton: nodes without a
 * row, nodes with many children, long failure chains, words that are prefixes of
 * others, keywords that start or end with punctuation. Only the partner list is used
 * (the built-in lists still count). */
#define MANY_KEYS 2000
#define MANY_ROUNDS 12

static const char *const many_pieces[] = {
    "a", "b", "ab", "ba", "s", "sa", "bab", "'", "-", "\xC3\xA9", "E\xCC\x81", " ", "love",
    "\xCF\x83", "\xCE\xA3", "1", "\xE2\x80\x99", "x", "\xEF\xB8\x8F", "\xE0\xA4\xBF",
    "\xE2\x84\xAA", "\xE2\x9D\xA4",
};

static void test_many_keywords_against_reference(void) {
    static char texts[MANY_KEYS][24];
    static key keys[MANY_KEYS];
    static nova_text items[MANY_KEYS];
    static cpinfo cps[4096];
    static unit units[4096];
    static char message[4096];
    size_t compared = 0;
    int failures = 0;
    for (int round = 0; round < MANY_ROUNDS && failures == 0; round++) {
        for (size_t i = 0; i < MANY_KEYS; i++) {
            size_t len = random_text(texts[i], sizeof texts[i], many_pieces, COUNT(many_pieces), 5);
            keys[i] = (key){.s = texts[i], .len = len, .tier = NOVA_TIER_STRONG, .custom = 1};
            items[i] = (nova_text){texts[i], len};
        }
        size_t mlen = random_text(message, 2048, many_pieces, COUNT(many_pieces), 600);
        size_t ncp = decode_all(message, mlen, cps), nu = to_units(cps, ncp, units);

        arena a;
        arena_init(&a);
        nova_request req;
        memset(&req, 0, sizeof req);
        req.message.s = message;
        req.message.len = mlen;
        req.has_detection = 1;
        req.detection.relationship_threshold = 2.0;
        req.detection.partner_names.items = items;
        req.detection.partner_names.count = MANY_KEYS;
        nova_detection d;
        nova_error err;
        nova_error_init(&err);
        if (detect_run(&a, &req, &d, &err) != NOVA_OK) failures++;
        /* Each custom term found must be found here, where the reference finds it; the
         * built-in terms the detector reports come after the custom ones, by term. */
        size_t want = 0;
        for (size_t i = 0; failures == 0 && i < MANY_KEYS; i++) {
            keys[i].unit_count = keyword_units(keys[i].s, keys[i].len, keys[i].units);
            int dup = keys[i].unit_count == 0;
            for (size_t j = 0; !dup && j < i; j++)
                dup = keys[j].unit_count == keys[i].unit_count &&
                      memcmp(keys[j].units, keys[i].units, keys[i].unit_count * 4) == 0;
            size_t st, en;
            if (dup || !find_first(&keys[i], cps, ncp, units, nu, &st, &en)) continue;
            want++;
            size_t k = 0;
            while (k < d.match_count && d.matches[k].term != NULL &&
                   !(strlen(d.matches[k].term) == keys[i].len &&
                     memcmp(d.matches[k].term, keys[i].s, keys[i].len) == 0))
                k++;
            if (k == d.match_count || d.matches[k].start != st || d.matches[k].end != en) {
                fprintf(stderr, "round %d: keyword \"%s\" want [%zu,%zu)\n", round, keys[i].s,
                        st, en);
                failures++;
            }
        }
        size_t custom = 0; /* matches of custom terms: exactly the ones wanted */
        for (size_t k = 0; failures == 0 && k < d.match_count; k++)
            for (size_t i = 0; i < MANY_KEYS; i++)
                if (strlen(d.matches[k].term) == keys[i].len &&
                    memcmp(d.matches[k].term, keys[i].s, keys[i].len) == 0) {
                    custom++;
                    break;
                }
        if (failures == 0 && custom != want) {
            fprintf(stderr, "round %d: %zu custom matches, want %zu\n", round, custom, want);
            failures++;
        }
        compared += want;
        arena_free(&a);
    }
    CHECK(failures == 0);
    printf("many keywords: %d rounds of %d keywords, %zu matches compared\n", MANY_ROUNDS,
           MANY_KEYS, compared);
    CHECK(compared > MANY_ROUNDS * 20);
}

/* The automaton skips the suffixes that start inside a word (detect_automaton.c), which
 * is only right if folding never changes the kind of a code point (word character, mark,
 * other), or turns white space into something else, and never yields a mark that would
 * vanish. And folding is idempotent. */
static void test_folding_keeps_word_characters(void) {
    size_t bad = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if ((cp >= 0xD800 && cp <= 0xDFFF) || casefold_is_dropped(cp)) continue;
        uint32_t f = casefold_cp(cp);
        if (wordchar_kind_of(f) != wordchar_kind_of(cp) ||
            wordchar_is_space(f) != wordchar_is_space(cp) || casefold_is_dropped(f) ||
            casefold_cp(f) != f) {
            if (bad++ < 5) fprintf(stderr, "U+%04X folds to U+%04X\n", cp, f);
        }
    }
    CHECK(bad == 0);
}

int main(void) {
    RUN(test_folding_keeps_word_characters);
    RUN(test_random_against_reference);
    RUN(test_many_keywords_against_reference);
    return harness_report();
}
