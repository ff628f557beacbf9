/*
 * test_detector_cache — nova_assemble_cached / nova_detect_cached give the bytes of
 * nova_assemble / nova_detect, hit or miss: every golden request through one cache in
 * orders that miss (more configurations than the cache keeps, cycled), hit (each request
 * twice, then a working set that fits) and mix; configurations that differ only in
 * their last term or in their threshold; bad requests (their errors, the cache left
 * usable); a NULL cache; and, through the cache's lookup itself, that a configuration
 * met again is a hit (the same compiled terms) until NOVA_DETECTOR_CACHE_SIZE others have
 * come after it, the least recently used going first. The sanitizer and valgrind suites
 * run this program too, so a
 * slot's arena left behind on eviction or at nova_detector_cache_free() is a leak there.
 */
#include "golden_util.h"
#include "detector_cache.h"
#include "nova.h"

typedef nova_status (*call_fn)(const char *, size_t, char **, size_t *);
typedef nova_status (*cached_fn)(nova_detector_cache *, const char *, size_t, char **,
                                 size_t *);

/* The cached call's result is the uncached call's, status and bytes. */
static int same_as_uncached(nova_detector_cache *cache, cached_fn cached, call_fn plain,
                            const char *req) {
    char *a = NULL, *b = NULL;
    size_t al = 0, bl = 0;
    nova_status sa = cached(cache, req, strlen(req), &a, &al);
    nova_status sb = plain(req, strlen(req), &b, &bl);
    int ok = sa == sb && a && b && al == bl && memcmp(a, b, al) == 0;
    if (!ok) fprintf(stderr, "  cached %s\n  plain  %s\n", a ? a : "(null)", b ? b : "(null)");
    nova_free(a);
    nova_free(b);
    return ok;
}

static int both_same(nova_detector_cache *cache, const char *req) {
    return same_as_uncached(cache, nova_assemble_cached, nova_assemble, req) &&
           same_as_uncached(cache, nova_detect_cached, nova_detect, req);
}

#define MAX_GOLDEN 64
static char *golden[MAX_GOLDEN];
static size_t golden_count;

static void load_golden(void) {
    char *names[MAX_GOLDEN];
    size_t n = fixture_names(NOVA_SOURCE_DIR "/tests/golden", ".request.json", names, MAX_GOLDEN);
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/tests/golden/%s.request.json", NOVA_SOURCE_DIR, names[i]);
        char *text = read_file(path, NULL);
        if (text) golden[golden_count++] = text;
        free(names[i]);
    }
}

static void test_golden_requests_every_order(void) {
    CHECK(golden_count > NOVA_DETECTOR_CACHE_SIZE); /* so cycling them misses */
    nova_detector_cache *cache = nova_detector_cache_new();
    CHECK(cache != NULL);
    if (!cache) return;
    for (int round = 0; round < 3; round++) /* cycled: each one evicted before it comes back */
        for (size_t i = 0; i < golden_count; i++)
            CHECK_MSG(both_same(cache, golden[i]), "cycle %d, golden %zu", round, i);
    for (size_t i = 0; i < golden_count; i++) /* twice in a row: a miss, then a hit */
        for (int k = 0; k < 2; k++) CHECK_MSG(both_same(cache, golden[i]), "golden %zu, %d", i, k);
    size_t misses = 0;
    for (int round = 0; round < 4; round++) { /* a working set that fits: hits after round 0 */
        for (size_t i = 0; i < NOVA_DETECTOR_CACHE_SIZE / 2; i++)
            CHECK_MSG(both_same(cache, golden[i]), "working set %d, golden %zu", round, i);
        if (round == 0) misses = detector_cache_misses(cache);
    }
    CHECK_MSG(detector_cache_misses(cache) == misses, "%zu misses after the first round, %zu now",
              misses, detector_cache_misses(cache));
    nova_detector_cache_free(cache);
}

/* A request whose detection config has custom keywords "kw0".."kw(n-1)" with the last one
 * replaced by `last`, and the given threshold; the message names some of them. */
static char *keyword_request(int n, const char *last, double threshold, const char *message) {
    size_t cap = 512 + (size_t)n * 16 + strlen(last) + strlen(message);
    char *s = malloc(cap);
    if (!s) return NULL;
    size_t w = (size_t)snprintf(s, cap,
                                "{\"context\":{\"user_id\":\"11111111-1111-4111-8111-111111111111\","
                                "\"detection\":{\"partner_names\":[\"Sam\"],"
                                "\"relationship_threshold\":%g,\"custom_keywords\":{\"medium\":[",
                                threshold);
    for (int i = 0; i < n; i++) {
        if (i == n - 1) w += (size_t)snprintf(s + w, cap - w, "%s\"%s\"", i ? "," : "", last);
        else w += (size_t)snprintf(s + w, cap - w, "%s\"kw%d\"", i ? "," : "", i);
    }
    snprintf(s + w, cap - w, "]}}},\"message\":\"%s\"}", message);
    return s;
}

static void test_configurations_that_differ_in_their_last_term(void) {
    nova_detector_cache *cache = nova_detector_cache_new();
    CHECK(cache != NULL);
    if (!cache) return;
    const char *lasts[] = {"alpha", "beta", "alphb", "alpha beta"};
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof lasts / sizeof lasts[0]; i++) {
            /* The message names every last term: only the request's own scores. */
            char *req = keyword_request(40, lasts[i], 1.0, "Sam said alpha beta alphb kw3");
            CHECK(req && both_same(cache, req));
            /* The same terms with another threshold: the same entry, this threshold. */
            char *other = keyword_request(40, lasts[i], 7.5, "Sam said alpha beta alphb kw3");
            CHECK(other && both_same(cache, other));
            char *got = NULL;
            size_t len = 0;
            nova_detect_cached(cache, other, strlen(other), &got, &len);
            CHECK_MSG(got && strstr(got, "\"threshold\":7.5,"), "%s", got ? got : "(null)");
            nova_free(got);
            free(req);
            free(other);
        }
    }
    nova_detector_cache_free(cache);
}

static void test_bad_requests_and_a_null_cache(void) {
    nova_detector_cache *cache = nova_detector_cache_new();
    CHECK(cache != NULL);
    if (!cache) return;
    const char *bad[] = {
        "{",
        ("{\"context\":{\"user_id\":\"11111111-1111-4111-8111-111111111111\",\"detection\":"
         "{\"custom_keywords\":{\"strong\":[\"ok\",7]}}},\"message\":\"ok\"}"),
        "{\"context\":{\"user_id\":\"x\"},\"message\":\"hi\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_MSG(both_same(cache, bad[i]), "bad %zu", i);
        CHECK_MSG(both_same(cache, golden[i]), "golden %zu after bad %zu", i, i);
    }
    for (size_t i = 0; i < golden_count; i++) CHECK_MSG(both_same(NULL, golden[i]), "NULL, golden %zu", i);
    char *out = NULL;
    size_t len = 0;
    CHECK(nova_assemble_cached(cache, NULL, 3, &out, &len) == NOVA_E_ARGUMENT);
    CHECK(out && strstr(out, "\"code\":\"bad_argument\""));
    nova_free(out);
    nova_detector_cache_free(cache);
    nova_detector_cache_free(NULL);
}

/* A configuration of one partner name, "name<i>". */
static detect_config config_named(int i, char *buf, size_t cap, nova_text *item) {
    detect_config cfg;
    memset(&cfg, 0, sizeof cfg);
    item->len = (size_t)snprintf(buf, cap, "name%d", i);
    item->s = buf;
    cfg.partner_names.items = item;
    cfg.partner_names.count = 1;
    return cfg;
}

/* The lookup compiled (missed) exactly `want` times since the last call. */
static size_t last_misses;
static int missed(const nova_detector_cache *cache, size_t want) {
    size_t now = detector_cache_misses(cache), n = now - last_misses;
    last_misses = now;
    return n == want;
}

static void test_hits_and_least_recently_used_eviction(void) {
    nova_detector_cache *cache = nova_detector_cache_new();
    CHECK(cache != NULL);
    if (!cache) return;
    last_misses = 0;
    enum { N = NOVA_DETECTOR_CACHE_SIZE };
    char buf[N + 1][32];
    nova_text items[N + 1];
    detect_config cfg[N + 1];
    for (int i = 0; i <= N; i++) cfg[i] = config_named(i, buf[i], 32, &items[i]);
    for (int i = 0; i < N; i++) {
        const detect_own *own = detector_cache_get(cache, &cfg[i]);
        CHECK_MSG(own && detect_own_matches(own, &cfg[i]) && missed(cache, 1), "config %d: compiled", i);
    }
    for (int i = 0; i < N; i++) {
        const detect_own *own = detector_cache_get(cache, &cfg[i]);
        CHECK_MSG(own && detect_own_matches(own, &cfg[i]) && missed(cache, 0), "config %d: a hit", i);
    }
    /* 0 used again, then one more: 1 (now the least recently used) goes, 0 stays. */
    CHECK(detector_cache_get(cache, &cfg[0]) && missed(cache, 0));
    CHECK(detector_cache_get(cache, &cfg[N]) && missed(cache, 1));
    for (int i = 0; i < N; i++) {
        if (i == 1) continue;
        CHECK_MSG(detector_cache_get(cache, &cfg[i]) && missed(cache, 0), "config %d stays", i);
    }
    /* 1 is compiled again, in the place of the least recently used: the extra one. */
    const detect_own *again = detector_cache_get(cache, &cfg[1]);
    CHECK(again && detect_own_matches(again, &cfg[1]) && missed(cache, 1));
    CHECK(detector_cache_get(cache, &cfg[0]) && missed(cache, 0));
    CHECK(detector_cache_get(cache, &cfg[N]) && missed(cache, 1));
    nova_detector_cache_free(cache);
}

int main(void) {
    load_golden();
    RUN(test_golden_requests_every_order);
    RUN(test_configurations_that_differ_in_their_last_term);
    RUN(test_bad_requests_and_a_null_cache);
    RUN(test_hits_and_least_recently_used_eviction);
    for (size_t i = 0; i < golden_count; i++) free(golden[i]);
    return harness_report();
}
