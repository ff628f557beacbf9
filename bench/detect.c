/*
 * bench_detect — the relationship detector's speed (not a test: nothing asserted).
 *
 *   - compiled detector: for custom keyword sets of 10, 1,000 and 10,000 generated words
 *     (one in ten a two-word phrase; plus the built-in lists), the build time of the
 *     compiled set (detect_set_build, what nova_detector_new does after decoding) and the
 *     scan throughput (detect_message with it: what nova_detector_detect does before
 *     writing the result) on messages of 1 KB, 64 KB and 1 MB, in MB/s (10^6 bytes), from
 *     the thread's CPU time (the machine is shared: time spent waiting for a core is not
 *     the scan's) and from wall-clock time (median and best of 7 rounds);
 *   - per call, 1 KB message, through the public API: nova_detect (the request's own terms
 *     built on each call), nova_detect_with a compiled detector and nova_detector_detect,
 *     for 0, 10, 1,000 and 8,000 custom keywords (the most four lists of 2,000 hold).
 *
 * Text: pseudo-English words of 4+ letters from syllables (the keywords come from the
 * same syllables, so the automaton goes deep and keywords end inside words often),
 * drawn from a 5,000-word vocabulary by Zipf's law like natural language, with
 * capitals, punctuation, line breaks, about 1% of accented words and 1% keyword
 * occurrences. Deterministic (fixed seed).
 *
 *     build/bench_detect [--json FILE]   # after make (Release); FILE: the rows as JSON
 *     build/bench_detect --scan K BYTES  # one build of K keywords and one scan of BYTES
 *                                        # (for callgrind --toggle-collect=detect_message:
 *                                        # instructions per byte, whatever the load)
 *     bench/run.sh                       # every benchmark (bench/detect/run.sh)
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "arena.h"
#include "detect.h"
#include "error.h"
#include "nova.h"
#include "request.h"

static uint64_t rng = 0x853C49E6748FEA9Bull;

static uint32_t rnd(uint32_t n) {
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 0x2545F4914F6CDD1Dull) >> 33) % n;
}

static double clock_s(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now_s(void) { return clock_s(CLOCK_MONOTONIC); }
static double cpu_s(void) { return clock_s(CLOCK_THREAD_CPUTIME_ID); }

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

/* ------------------------------------------------------------------ the report */

/* A JSON report beside the table, for bench/results (see main). */
static FILE *json_out;
static int json_first = 1;

static void json_row(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void json_row(const char *fmt, ...) {
    if (!json_out) return;
    va_list ap;
    va_start(ap, fmt);
    fputs(json_first ? "\n    " : ",\n    ", json_out);
    json_first = 0;
    vfprintf(json_out, fmt, ap);
    va_end(ap);
}

/* The configuration of kw's words as custom keywords, spread over the request lists
 * (at most NOVA_MAX_LIST_ITEMS each, as the decoder allows), for the internal API. */
static void spread(const word_list *kw, detect_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->threshold = 2.0;
    nova_text_list *lists[4] = {&cfg->partner_names, &cfg->strong, &cfg->medium, &cfg->weak};
    for (int i = 0; i < 4; i++) lists[i]->items = malloc((kw->count / 4 + 1) * sizeof(nova_text));
    for (size_t i = 0; i < kw->count; i++) {
        nova_text_list *l = lists[i % 4];
        l->items[l->count++] = kw->texts[i];
    }
}

static void unspread(detect_config *cfg) {
    free(cfg->partner_names.items);
    free(cfg->strong.items);
    free(cfg->medium.items);
    free(cfg->weak.items);
}

/* cJSON array of the words i, i + 4, i + 8, ... of kw. */
static cJSON *word_array(const word_list *kw, size_t from) {
    cJSON *a = cJSON_CreateArray();
    for (size_t i = from; i < kw->count; i += 4)
        cJSON_AddItemToArray(a, cJSON_CreateString(kw->words[i]));
    return a;
}

/* The detection config of kw as JSON, the same spread as spread(). */
static cJSON *detection_json(const word_list *kw) {
    cJSON *d = cJSON_CreateObject(), *c = cJSON_CreateObject();
    cJSON_AddItemToObject(d, "partner_names", word_array(kw, 0));
    cJSON_AddItemToObject(c, "strong", word_array(kw, 1));
    cJSON_AddItemToObject(c, "medium", word_array(kw, 2));
    cJSON_AddItemToObject(c, "weak", word_array(kw, 3));
    cJSON_AddItemToObject(d, "custom_keywords", c);
    return d;
}

/* Median of n timings (sorted in place). */
static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *t, size_t n) {
    qsort(t, n, sizeof *t, cmp_double);
    return t[n / 2];
}

#define ROUNDS 7

/* ------------------------------------------------------------------ scans */

/* Compiled set of kw (+ the built-in lists): build time, then scan throughput of each
 * message size (the compiled detector's path without the result JSON). */
static void bench_scans(size_t count, const zipf *vocabulary) {
    static const size_t sizes[] = {1024, 64 * 1024, 1024 * 1024};
    word_list kw = make_keywords(count);
    detect_config cfg;
    spread(&kw, &cfg);
    double build[ROUNDS];
    detect_set *set = NULL;
    arena keep;
    for (int r = 0; r < ROUNDS; r++) {
        arena tmp;
        arena_init(&keep);
        arena_init(&tmp);
        double t0 = cpu_s();
        set = detect_set_build(&keep, &tmp, &cfg);
        build[r] = cpu_s() - t0;
        arena_free(&tmp);
        if (!set) exit((fprintf(stderr, "out of memory\n"), 1));
        if (r + 1 < ROUNDS) arena_free(&keep);
    }
    double build_ms = median(build, ROUNDS) * 1e3;
    for (size_t si = 0; si < COUNT(sizes); si++) {
        char *msg = make_message(sizes[si], &kw, vocabulary);
        size_t reps = (32u * 1024 * 1024) / sizes[si], found = 0;
        if (reps < 8) reps = 8;
        double t[ROUNDS], cpu[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            double t0 = now_s(), c0 = cpu_s();
            for (size_t r = 0; r < reps; r++) {
                arena a;
                nova_error err;
                nova_detection d;
                arena_init(&a);
                nova_error_init(&err);
                if (detect_message(&a, set, NULL, &cfg, msg, sizes[si], 0, &d, &err) != NOVA_OK)
                    exit((fprintf(stderr, "detect: %s\n", err.message), 1));
                found = d.match_count;
                arena_free(&a);
            }
            t[round] = (now_s() - t0) / (double)reps;
            cpu[round] = (cpu_s() - c0) / (double)reps;
        }
        /* median() sorts, so after it [0] is the best round. */
        double mb = (double)sizes[si] / 1e6, cpu_mbs = mb / median(cpu, ROUNDS),
               cpu_best = mb / cpu[0], mbs = mb / median(t, ROUNDS), best_mbs = mb / t[0];
        printf("%-9zu %-9zu %10.3f %9.0f %9.0f %9.0f %9.0f %8zu\n", sizes[si], count, build_ms,
               cpu_mbs, cpu_best, mbs, best_mbs, found);
        json_row("{\"kind\": \"scan\", \"message_bytes\": %zu, \"keywords\": %zu, "
                 "\"build_ms\": %.3f, \"scan_mb_per_s_cpu_median\": %.0f, \"scan_mb_per_s_cpu_best\": %.0f, "
                 "\"scan_mb_per_s_median\": %.0f, \"scan_mb_per_s_best\": %.0f, \"matches\": %zu}",
                 sizes[si], count, build_ms, cpu_mbs, cpu_best, mbs, best_mbs, found);
        free(msg);
    }
    arena_free(&keep);
    unspread(&cfg);
    free(kw.words);
    free(kw.texts);
}

/* One build of count keywords and one scan of a message of bytes (--scan). */
static int scan_once(size_t count, size_t bytes, const zipf *vocabulary) {
    word_list kw = make_keywords(count);
    detect_config cfg;
    spread(&kw, &cfg);
    char *msg = make_message(bytes, &kw, vocabulary);
    arena keep, tmp, a;
    arena_init(&keep);
    arena_init(&tmp);
    arena_init(&a);
    detect_set *set = detect_set_build(&keep, &tmp, &cfg);
    nova_error err;
    nova_detection d;
    nova_error_init(&err);
    int ok = set && detect_message(&a, set, NULL, &cfg, msg, bytes, 0, &d, &err) == NOVA_OK;
    if (ok) printf("%zu keywords, %zu bytes: %zu matches\n", count, bytes, d.match_count);
    arena_free(&a);
    arena_free(&tmp);
    arena_free(&keep);
    free(msg);
    unspread(&cfg);
    free(kw.words);
    free(kw.texts);
    return ok ? 0 : 1;
}

/* ------------------------------------------------------------------ calls */

typedef nova_status (*request_fn)(const char *, size_t, char **, size_t *);

/* Per call on a 1 KB message, through the public API: nova_detect (the request's terms
 * built each call), nova_detect_with a compiled detector, nova_detect_cached (a cache's
 * hits), nova_detector_detect. */
static void bench_calls(size_t count, const zipf *vocabulary) {
    word_list kw = make_keywords(count);
    char *msg = make_message(1024, &kw, vocabulary);
    cJSON *det = detection_json(&kw);
    char *config = cJSON_PrintUnformatted(det);
    cJSON *req = cJSON_CreateObject(), *ctx = cJSON_CreateObject();
    cJSON_AddStringToObject(ctx, "user_id", "11111111-1111-4111-8111-111111111111");
    cJSON_AddItemToObject(ctx, "detection", det);
    cJSON_AddItemToObject(req, "context", ctx);
    cJSON_AddStringToObject(req, "message", msg);
    char *text = cJSON_PrintUnformatted(req);
    nova_detector *d = NULL;
    double t0 = cpu_s();
    if (nova_detector_new(config, strlen(config), &d, NULL, NULL) != NOVA_OK)
        exit((fprintf(stderr, "nova_detector_new failed\n"), 1));
    double compile_ms = (cpu_s() - t0) * 1e3;
    size_t reps = count >= 1000 ? 100 : 5000;
    nova_detector_cache *cache = nova_detector_cache_new();
    if (!cache) exit((fprintf(stderr, "nova_detector_cache_new failed\n"), 1));
    double per[4];
    for (int way = 0; way < 4; way++) {
        double t[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            t0 = cpu_s();
            for (size_t r = 0; r < reps; r++) {
                char *out = NULL;
                size_t out_len = 0;
                nova_status st =
                    way == 0   ? nova_detect(text, strlen(text), &out, &out_len)
                    : way == 1 ? nova_detect_with(d, text, strlen(text), &out, &out_len)
                    : way == 2 ? nova_detect_cached(cache, text, strlen(text), &out, &out_len)
                               : nova_detector_detect(d, msg, 1024, 0, &out, &out_len);
                if (st != NOVA_OK) exit((fprintf(stderr, "call failed: %s\n", out), 1));
                nova_free(out);
            }
            t[round] = (cpu_s() - t0) / (double)reps;
        }
        per[way] = median(t, ROUNDS) * 1e6;
    }
    printf("  %5zu: nova_detect %9.1f us, nova_detect_with %8.1f us, nova_detect_cached %8.1f us,"
           " nova_detector_detect %7.1f us (compiling once: %.2f ms)\n",
           count, per[0], per[1], per[2], per[3], compile_ms);
    json_row("{\"kind\": \"call\", \"message_bytes\": 1024, \"keywords\": %zu, \"nova_detect_us\": %.1f, "
             "\"nova_detect_with_us\": %.1f, \"nova_detect_cached_us\": %.1f, "
             "\"nova_detector_detect_us\": %.1f, \"compile_ms\": %.2f, "
             "\"ratio_detect_over_detector\": %.1f}",
             count, per[0], per[1], per[2], per[3], compile_ms, per[0] / per[3]);
    nova_detector_cache_free(cache);
    nova_detector_free(d);
    cJSON_free(text);
    cJSON_free(config);
    cJSON_Delete(req);
    free(msg);
    free(kw.words);
    free(kw.texts);
}

int main(int argc, char **argv) {
    static const size_t counts[] = {0, 10, 1000, 10000};
    static const size_t calls[] = {0, 10, 1000, 8000};
    static zipf vocabulary;
    const char *json_path = NULL;
    size_t scan_count = 0, scan_bytes = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json") && i + 1 < argc) {
            json_path = argv[++i];
        } else if (!strcmp(argv[i], "--scan") && i + 2 < argc) {
            scan_count = strtoul(argv[i + 1], NULL, 10);
            scan_bytes = strtoul(argv[i + 2], NULL, 10);
            i += 2;
        } else {
            return fprintf(stderr, "usage: bench_detect [--json FILE] | --scan KEYWORDS BYTES\n"), 2;
        }
    }
    if (scan_bytes) {
        make_vocabulary(&vocabulary);
        return scan_once(scan_count, scan_bytes, &vocabulary);
    }
    if (json_path && !(json_out = fopen(json_path, "w")))
        return fprintf(stderr, "cannot write %s\n", json_path), 1;
    if (json_out) fputs("{\n  \"benchmark\": \"detect-native\",\n  \"rows\": [", json_out);
    make_vocabulary(&vocabulary);

    printf("compiled detector (custom keywords + the built-in lists), %d rounds: median / best\n",
           ROUNDS);
    printf("%-9s %-9s %10s %9s %9s %9s %9s %8s\n", "message", "keywords", "build ms", "cpu MB/s",
           "cpu best", "wall MB/s", "wall best", "matches");
    for (size_t i = 0; i < COUNT(counts); i++) bench_scans(counts[i], &vocabulary);

    printf("\nper call, 1 KB message (keywords spread over the request's four lists):\n");
    for (size_t i = 0; i < COUNT(calls); i++) bench_calls(calls[i], &vocabulary);
    if (json_out) {
        fputs("\n  ]\n}\n", json_out);
        fclose(json_out);
    }
    return 0;
}
