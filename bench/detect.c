/*
 * bench_detect — throughput of the relationship detector (not a test: nothing asserted).
 *
 * For messages of 1 KB, 64 KB and 1 MB and custom keyword sets of 10, 1,000 and 10,000
 * generated words (one in ten a two-word phrase) it reports, separately:
 *   - build: ac_build() of the keywords plus the built-in lists, in ms;
 *   - scan:  ac_scan() of the message, in MB/s (1 MB = 10^6 bytes);
 * and then detect_run() end to end (gather + build + scan + sort) on a 1 KB message with
 * the keywords spread over the four request lists, the per-message cost in the product.
 *
 * Text: pseudo-English words of 4+ letters from syllables (the keywords come from the
 * same syllables, so the automaton goes deep and keywords end inside words often),
 * drawn from a 5,000-word vocabulary by Zipf's law like natural language, with
 * capitals, punctuation, line breaks, about 1% of accented words and 1% keyword
 * occurrences. Deterministic (fixed seed).
 *
 *     bench/run.sh            # Release build, then runs every benchmark
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "detect.h"
#include "detect_automaton.h"
#include "error.h"
#include "request.h"

extern const char nova_text_keywords_strong[];
extern const unsigned nova_text_keywords_strong_len;

static uint64_t rng = 0x853C49E6748FEA9Bull;

static uint32_t rnd(uint32_t n) {
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 0x2545F4914F6CDD1Dull) >> 33) % n;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *const onsets[] = {"b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n",
                                     "p", "r", "s", "t", "v", "w", "y", "z", "br", "ch", "cl",
                                     "cr", "dr", "fl", "gr", "pl", "pr", "sh", "sl", "sp", "st",
                                     "th", "tr", ""};
static const char *const vowels[] = {"a", "e", "i", "o", "u", "ai", "ea", "ee", "oo", "ou", "ie"};
static const char *const codas[] = {"", "", "", "n", "r", "s", "t", "l", "nd", "ng", "st", "ck", "m"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One pseudo-English word of 1-3 syllables into out; returns its length. */
static size_t make_syllables(char *out) {
    size_t n = 0, syllables = 1 + rnd(3);
    for (size_t i = 0; i < syllables; i++) {
        const char *parts[3] = {onsets[rnd(COUNT(onsets))], vowels[rnd(COUNT(vowels))],
                                codas[rnd(COUNT(codas))]};
        for (int k = 0; k < 3; k++) {
            size_t l = strlen(parts[k]);
            memcpy(out + n, parts[k], l);
            n += l;
        }
    }
    out[n] = 0;
    return n;
}

/* Keywords and message words alike have at least 4 letters, as names and words do
 * (a keyword set full of "a", "ba", "to" would match inside every other word). */
static size_t make_word(char *out) {
    size_t n;
    while ((n = make_syllables(out)) < 4) {
    }
    return n;
}

typedef struct word_list {
    char (*words)[64];
    nova_text *texts;
    size_t count;
} word_list;

/* count distinct-enough words (duplicates are possible and harmless: counted once). */
static word_list make_keywords(size_t count) {
    word_list w = {malloc(count * sizeof *w.words), malloc(count * sizeof(nova_text)), count};
    for (size_t i = 0; i < count; i++) {
        size_t n = make_word(w.words[i]);
        if (rnd(10) == 0) { /* a phrase */
            w.words[i][n++] = ' ';
            n += make_word(w.words[i] + n);
        }
        w.texts[i].s = w.words[i];
        w.texts[i].len = n;
    }
    return w;
}

/* The message vocabulary: VOCABULARY words drawn with Zipf's law (the word of rank r
 * with weight 1/r), as natural language is: a few hundred words make most of a text. */
#define VOCABULARY 5000

typedef struct zipf {
    word_list words;
    double cumulative[VOCABULARY];
} zipf;

static void make_vocabulary(zipf *z) {
    z->words.words = malloc(VOCABULARY * sizeof *z->words.words);
    z->words.texts = malloc(VOCABULARY * sizeof(nova_text));
    double sum = 0;
    for (size_t i = 0; i < VOCABULARY; i++) {
        z->words.texts[i].s = z->words.words[i];
        z->words.texts[i].len = make_word(z->words.words[i]);
        sum += 1.0 / (double)(i + 1);
        z->cumulative[i] = sum;
    }
    z->words.count = VOCABULARY;
}

static const nova_text *zipf_word(const zipf *z) {
    double x = (double)rnd(1u << 30) / (double)(1u << 30) * z->cumulative[VOCABULARY - 1];
    size_t lo = 0, hi = VOCABULARY - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (z->cumulative[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return &z->words.texts[lo];
}

/* A message of len bytes (exactly, padded with spaces) that mentions some keywords. */
static char *make_message(size_t len, const word_list *kw, const zipf *z) {
    char *m = malloc(len + 64);
    size_t n = 0;
    int sentence_start = 1;
    while (n < len) {
        char word[160];
        size_t l;
        uint32_t r = rnd(100);
        if (r == 0 && kw->count) {
            const nova_text *t = &kw->texts[rnd((uint32_t)kw->count)];
            memcpy(word, t->s, t->len);
            l = t->len;
        } else if (r == 1) {
            const nova_text *t = zipf_word(z);
            memcpy(word, t->s, t->len);
            l = t->len;
            memcpy(word + l, "\xC3\xA9", 2); /* é */
            l += 2;
        } else {
            const nova_text *t = zipf_word(z);
            memcpy(word, t->s, t->len);
            l = t->len;
        }
        if (sentence_start) word[0] = (char)(word[0] - 32 * (word[0] >= 'a' && word[0] <= 'z'));
        sentence_start = 0;
        if (n + l + 2 > len) break;
        memcpy(m + n, word, l);
        n += l;
        r = rnd(40);
        if (r == 0) {
            memcpy(m + n, ".\n", 2), n += 2, sentence_start = 1;
        } else if (r < 3) {
            memcpy(m + n, ". ", 2), n += 2, sentence_start = 1;
        } else if (r < 6) {
            memcpy(m + n, ", ", 2), n += 2;
        } else {
            m[n++] = ' ';
        }
    }
    while (n < len) m[n++] = ' ';
    m[n] = 0;
    return m;
}

/* The custom keywords followed by the built-in strong list's lines, as ac_build sees
 * them in detect_run (roughly: the medium and weak lists are left out). */
static size_t with_builtins(const word_list *kw, nova_text *out) {
    size_t n = 0;
    for (size_t i = 0; i < kw->count; i++) out[n++] = kw->texts[i];
    const char *s = nova_text_keywords_strong;
    size_t len = nova_text_keywords_strong_len, pos = 0;
    while (pos < len) {
        size_t b = pos;
        while (pos < len && s[pos] != '\n') pos++;
        if (pos > b && s[b] != '#') {
            out[n].s = s + b;
            out[n++].len = pos - b;
        }
        pos++;
    }
    return n;
}

int main(int argc, char **argv) {
    static const size_t sizes[] = {1024, 64 * 1024, 1024 * 1024};
    static size_t counts[] = {10, 1000, 10000};
    static zipf vocabulary;
    make_vocabulary(&vocabulary);
    size_t ncounts = COUNT(counts);
    if (argc > 1) { /* bench_detect N: only N keywords, no end-to-end part */
        counts[0] = (size_t)strtoul(argv[1], NULL, 10);
        ncounts = 1;
    }
    printf("%-9s %-9s %8s %10s %11s %10s\n", "message", "keywords", "nodes", "build ms",
           "scan MB/s", "matches");
    for (size_t ki = 0; ki < ncounts; ki++) {
        word_list kw = make_keywords(counts[ki]);
        nova_text *keys = malloc((kw.count + 200) * sizeof(nova_text));
        size_t nkeys = with_builtins(&kw, keys);
        uint32_t *term_of = malloc(nkeys * sizeof(uint32_t));
        ac_hit *hits = calloc(nkeys, sizeof(ac_hit));
        uint32_t *list = malloc(nkeys * sizeof(uint32_t));

        /* Build: best of a few runs (each in a fresh arena). */
        double build = 1e9;
        size_t nodes = 0;
        for (int rep = 0; rep < 5; rep++) {
            arena a;
            arena_init(&a);
            double t0 = now_s();
            detect_automaton *ac = ac_build(&a, &a, keys, nkeys, term_of);
            double t1 = now_s();
            if (!ac) return fprintf(stderr, "out of memory\n"), 1;
            nodes = ac_node_count(ac);
            if (t1 - t0 < build) build = t1 - t0;
            arena_free(&a);
        }

        arena a;
        arena_init(&a);
        detect_automaton *ac = ac_build(&a, &a, keys, nkeys, term_of);
        unsigned char *scratch = malloc(ac_scratch_size(ac));
        for (size_t si = 0; si < COUNT(sizes); si++) {
            char *msg = make_message(sizes[si], &kw, &vocabulary);
            size_t reps = (64u * 1024 * 1024) / sizes[si], found = 0;
            if (reps < 5) reps = 5;
            double best = 1e9;
            for (int round = 0; round < 3; round++) {
                double t0 = now_s();
                for (size_t r = 0; r < reps; r++) {
                    found = ac_scan(ac, msg, sizes[si], hits, list, scratch);
                    for (size_t i = 0; i < found; i++) hits[list[i]].found = 0;
                }
                double t = (now_s() - t0) / (double)reps;
                if (t < best) best = t;
            }
            printf("%-9zu %-9zu %8zu %10.3f %11.0f %10zu\n", sizes[si], counts[ki], nodes,
                   build * 1e3, (double)sizes[si] / best / 1e6, found);
            free(msg);
        }
        arena_free(&a);
        free(scratch);
        free(keys);
        free(term_of);
        free(hits);
        free(list);
        free(kw.words);
        free(kw.texts);
    }

    if (argc > 1) return 0;

    /* End to end: detect_run on a 1 KB message, keywords spread over the request lists
     * (at most 2,000 per list, as the decoder allows). */
    printf("\ndetect_run, 1 KB message (gather + build + scan + sort):\n");
    static const size_t e2e[] = {0, 10, 1000, 8000};
    for (size_t ki = 0; ki < COUNT(e2e); ki++) {
        word_list kw = make_keywords(e2e[ki]);
        char *msg = make_message(1024, &kw, &vocabulary);
        nova_request req;
        memset(&req, 0, sizeof req);
        req.message.s = msg;
        req.message.len = 1024;
        req.has_detection = 1;
        req.detection.relationship_threshold = 2.0;
        nova_text_list *lists[4] = {&req.detection.partner_names, &req.detection.strong,
                                    &req.detection.medium, &req.detection.weak};
        for (size_t i = 0; i < kw.count; i++) {
            nova_text_list *l = lists[i % 4];
            if (!l->items) l->items = malloc((kw.count / 4 + 1) * sizeof(nova_text));
            l->items[l->count++] = kw.texts[i];
        }
        size_t reps = e2e[ki] >= 1000 ? 200 : 5000;
        double t0 = now_s();
        nova_detection d = {0};
        for (size_t r = 0; r < reps; r++) {
            arena a;
            nova_error err;
            arena_init(&a);
            nova_error_init(&err);
            if (detect_run(&a, &req, &d, &err) != NOVA_OK)
                return fprintf(stderr, "detect_run: %s\n", err.message), 1;
            arena_free(&a);
        }
        double per = (now_s() - t0) / (double)reps;
        printf("  %5zu custom keywords: %8.1f us per call\n", e2e[ki], per * 1e6);
        for (int i = 0; i < 4; i++) free(lists[i]->items);
        free(msg);
        free(kw.words);
        free(kw.texts);
    }
    return 0;
}
