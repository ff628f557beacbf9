/*
 * fuzz_engine — checks the promise of nova.h on arbitrary bytes. For every input,
 * nova_assemble, nova_detect, nova_memory_prompt and nova_memory_ops must give: a non-NULL, NUL-terminated result of the
 * stated length; valid UTF-8; one JSON object; {"error":{code,message,path}} exactly when
 * the status is not ok, with the status's code name; the same bytes on a second call.
 * Beyond that, results must agree with themselves and with the README:
 *   - assemble: 6 layers in order, layer chars add up to used_chars = code points of the
 *     prompt <= max_chars; marker lines only where the assembler puts them; no control,
 *     invisible or bidi characters; no heading or memory/insight layer left empty;
 *   - detection: score = sum of tier weights, relationship = score >= threshold (as
 *     printed), matches in order, on UTF-8 boundaries, reading as their term (ASCII);
 *     nova_detect gives assemble's detection, and the same error when it fails;
 *   - metamorphic: max_chars = used_chars gives the same prompt and used_chars - 1 does
 *     not; the message does not change the prompt before the insight layer when nothing
 *     is dropped; reversed memories/insights/memory_summary members change nothing;
 *   - a "string is longer than" refusal matches a string cJSON finds over its limit;
 *   - a compiled detector (nova_assemble_with, nova_detect_with, nova_detector_detect) and
 *     a detector cache kept over the run (nova_assemble_cached, nova_detect_cached)
 *     change no byte;
 *   - the memory calls: fuzz_memory.inc lists their checks.
 *
 * libFuzzer (clang-14), against a sanitizer build of libnova.a (run from the repo root):
 *   CC=clang cmake -S . -B /tmp/fuzz-build -DCMAKE_BUILD_TYPE=Debug -DNOVA_SANITIZE=ON \
 *     -DNOVA_BUILD_TESTS=OFF -DNOVA_BUILD_TOOLS=OFF -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link
 *   cmake --build /tmp/fuzz-build -j2
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Itests/c \
 *     -Ideps/cjson tests/fuzz/fuzz_engine.c /tmp/fuzz-build/libnova.a \
 *     /tmp/fuzz-build/libnova_cjson.a -o /tmp/fuzz_engine
 *   mkdir -p /tmp/corpus && /tmp/fuzz_engine -dict=tests/fuzz/nova.dict -max_len=65536 \
 *     -timeout=5 -rss_limit_mb=2048 -report_slow_units=1 -max_total_time=900 \
 *     /tmp/corpus tests/golden tests/golden/memory_prompt tests/fuzz/seeds /tmp/memory-ops
 *   (/tmp/memory-ops: node tests/memory/corpus.mjs --write /tmp/memory-ops)
 *   (tests/golden also holds the expected prompts: harmless extra inputs.)
 * tests/fuzz/crashers/ keeps every finding (fixed) as a regression input; to minimize a
 * new one: add -minimize_crash=1 -runs=20000 CRASH_FILE.
 * Replay without libFuzzer (any compiler, -DNOVA_FUZZ_REPLAY): tests/fuzz/run.sh.
 *
 * Structure-aware mutation (fuzz_mutator.inc): half of the mutations parse the input as
 * JSON, change a node (value, type, member, list length) and print it back, so inputs
 * reach the layers, budget and detector; the other half are libFuzzer's byte mutations
 * (-DNOVA_FUZZ_NO_MUTATOR to leave them all to libFuzzer).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "marker_read.h"
#include "memory_message.h"
#include "nova.h"

/* ------------------------------------------------------------------ failure report */

typedef struct verdict {
    char why[512];
} verdict;

static int failf(verdict *v, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->why, sizeof v->why, fmt, ap);
    va_end(ap);
    return 0;
}

/* ------------------------------------------------------------------ UTF-8 */

/* Decodes one strict UTF-8 sequence (no overlongs, surrogates or > U+10FFFF) at s[i];
 * returns its length, 0 when ill-formed. */
static size_t utf8_next(const unsigned char *s, size_t n, size_t i, uint32_t *cp) {
    unsigned char c = s[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t min;
    if (c >= 0xC2 && c <= 0xDF) len = 2, min = 0x80, *cp = c & 0x1Fu;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, min = 0x800, *cp = c & 0x0Fu;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, min = 0x10000, *cp = c & 0x07u;
    else return 0;
    if (i + len > n) return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[i + k] & 0xC0) != 0x80) return 0;
        *cp = (*cp << 6) | (s[i + k] & 0x3Fu);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;
    return len;
}

/* Returns the number of code points, or (size_t)-1 when s is not valid UTF-8. */
static size_t utf8_count_strict(const char *str, size_t n) {
    const unsigned char *s = (const unsigned char *)str;
    size_t count = 0;
    for (size_t i = 0; i < n; count++) {
        uint32_t cp;
        size_t len = utf8_next(s, n, i, &cp);
        if (!len) return (size_t)-1;
        i += len;
    }
    return count;
}

/* Characters the sanitizer promises never reach the prompt (README "Text is data"). */
static int forbidden_in_prompt(uint32_t cp) {
    if (cp < 0x20) return cp != '\n';
    if (cp >= 0x7F && cp <= 0x9F) return 1;                    /* DEL, C1 */
    if (cp == 0x2028 || cp == 0x2029) return 1;                /* line/paragraph separators */
    if (cp >= 0x200B && cp <= 0x200F && cp != 0x200D) return 1; /* zero width, LRM, RLM */
    if (cp >= 0x202A && cp <= 0x202E) return 1;                /* bidi embeddings/overrides */
    if (cp >= 0x2066 && cp <= 0x2069) return 1;                /* bidi isolates */
    if (cp == 0xFEFF) return 1;
    if (cp >= 0xE0000 && cp <= 0xE007F) return 1;              /* tag characters */
    if (cp == 0x034F) return 1;                                /* CGJ */
    if (cp >= 0xFDD0 && cp <= 0xFDEF) return 1;                /* noncharacters */
    if ((cp & 0xFFFE) == 0xFFFE) return 1;
    return 0;
}

/* ------------------------------------------------------------------ result shape */

static const char *const LAYER_NAMES[6] = {"core", "main_user", "reference",
                                           "memory", "insight", "relationship"};

static const cJSON *get(const cJSON *o, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static int is_int(const cJSON *v) {
    return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= 9007199254740992.0 &&
           (double)(int64_t)v->valuedouble == v->valuedouble;
}

static int ascii_ieq(const char *a, const char *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
        if (x != y) return 0;
    }
    return 1;
}

/* Every "<" that reads as a marker (marker_read.h: white space, slashes and invisible
 * characters, then "nova" in any case) must be one of the assembler's own marker lines,
 * in layer order; the core text's literal "<nova:...>" is the one exception. */
static int check_markers(verdict *v, const char *p, size_t n, const int included[6]) {
    char expect[12][32];
    size_t want = 0, got = 0;
    for (int l = 0; l < 6; l++) {
        if (!included[l]) continue;
        snprintf(expect[want++], sizeof expect[0], "<nova:%s>", LAYER_NAMES[l]);
        snprintf(expect[want++], sizeof expect[0], "</nova:%s>", LAYER_NAMES[l]);
    }
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '<') continue;
        if (!reads_as_marker(p, n, i)) continue;
        if (n - i >= 10 && memcmp(p + i, "<nova:...>", 10) == 0) continue;
        size_t e = i;
        while (e < n && p[e] != '\n') e++;
        int line_start = i == 0 || p[i - 1] == '\n';
        if (!line_start || got >= want || e - i != strlen(expect[got]) ||
            memcmp(p + i, expect[got], e - i) != 0)
            return failf(v, "prompt: stray marker-like text at byte %zu: \"%.40s\"", i, p + i);
        got++;
    }
    if (got != want) return failf(v, "prompt: %zu marker lines, want %zu", got, want);
    return 1;
}

static int is_ascii_ws(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int is_ascii_alnum(unsigned char c) {
    return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* ASCII text lowercased, trimmed, white-space runs made one space; 0 when s has a byte
 * this simple model does not cover (non-ASCII, other controls). */
static int ascii_norm(const char *s, size_t n, char *out, size_t cap, size_t *len) {
    size_t k = 0;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || (c < 0x20 && !is_ascii_ws(c)) || c == 0x7F) return 0;
        if (is_ascii_ws(c)) {
            space = k > 0;
            continue;
        }
        if (k + 2 >= cap) return 0;
        if (space) out[k++] = ' ';
        space = 0;
        out[k++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    *len = k;
    return 1;
}

/* For ASCII terms found in ASCII text: the reported bytes read as the term (case and
 * white space aside), and a term that begins/ends with a letter or digit stands as a
 * whole word (a possessive s' may follow). */
static int check_match_text(verdict *v, const char *term, const char *msg, size_t msg_len,
                            size_t s, size_t e) {
    char t[512], m[512];
    size_t tl, ml;
    if (!ascii_norm(term, strlen(term), t, sizeof t, &tl) ||
        !ascii_norm(msg + s, e - s, m, sizeof m, &ml) || !tl)
        return 1;
    if (tl != ml || memcmp(t, m, tl))
        return failf(v, "detection: term \"%.60s\" reported at [%zu,%zu) over \"%.60s\"", term,
                     s, e, msg + s);
    const unsigned char *u = (const unsigned char *)msg;
    if (is_ascii_alnum((unsigned char)t[0]) && s > 0 && is_ascii_alnum(u[s - 1]))
        return failf(v, "detection: \"%.60s\" at %zu starts inside a word", term, s);
    if (is_ascii_alnum((unsigned char)t[tl - 1]) && e < msg_len && is_ascii_alnum(u[e])) {
        /* The possessive's apostrophe is ' or one of ’ ‘ ＇ (detect_automaton.h), after
         * combining marks (U+0300..U+036F here) on the s, if any. */
        size_t a = e + 1;
        while (a + 1 < msg_len && (u[a] == 0xCC || (u[a] == 0xCD && u[a + 1] < 0xB0))) a += 2;
        size_t after = a < msg_len && u[a] == '\'' ? a + 1
                       : a + 2 < msg_len && u[a] == 0xE2 && u[a + 1] == 0x80 &&
                               (u[a + 2] == 0x98 || u[a + 2] == 0x99) ? a + 3
                       : a + 2 < msg_len && u[a] == 0xEF && u[a + 1] == 0xBC && u[a + 2] == 0x87
                           ? a + 3
                           : 0;
        int possessive = (u[e] | 32) == 's' && after &&
                         (after >= msg_len || !is_ascii_alnum(u[after]));
        if (!possessive)
            return failf(v, "detection: \"%.60s\" at [%zu,%zu) ends inside a word", term, s, e);
    }
    return 1;
}

static int check_detection(verdict *v, const cJSON *d, const char *msg, size_t msg_len) {
    const cJSON *score = get(d, "score"), *thr = get(d, "threshold");
    const cJSON *rel = get(d, "relationship"), *matches = get(d, "matches");
    if (!cJSON_IsNumber(score) || !cJSON_IsNumber(thr) || !cJSON_IsBool(rel) ||
        !cJSON_IsArray(matches))
        return failf(v, "detection: missing or mistyped member");
    if (cJSON_GetArraySize(d) != 4) return failf(v, "detection: extra members");
    if (score->valuedouble < 0) return failf(v, "detection: negative score");
    if (cJSON_IsTrue(rel) != (score->valuedouble >= thr->valuedouble))
        return failf(v, "detection: relationship %d but score %g threshold %g", cJSON_IsTrue(rel),
                     score->valuedouble, thr->valuedouble);
    double sum = 0, last_start = -1;
    const cJSON *m;
    cJSON_ArrayForEach(m, matches) {
        const cJSON *term = get(m, "term"), *tier = get(m, "tier");
        const cJSON *start = get(m, "start"), *end = get(m, "end");
        if (!cJSON_IsString(term) || !cJSON_IsString(tier) || !is_int(start) || !is_int(end))
            return failf(v, "detection: bad match member");
        if (!strcmp(tier->valuestring, "strong")) sum += 2;
        else if (!strcmp(tier->valuestring, "medium")) sum += 1;
        else if (!strcmp(tier->valuestring, "weak")) sum += 0.5;
        else return failf(v, "detection: tier \"%s\"", tier->valuestring);
        if (!term->valuestring[0]) return failf(v, "detection: empty term");
        if (start->valuedouble >= end->valuedouble)
            return failf(v, "detection: start %g >= end %g", start->valuedouble, end->valuedouble);
        if (start->valuedouble < last_start) return failf(v, "detection: matches out of order");
        last_start = start->valuedouble;
        if (msg) {
            size_t s = (size_t)start->valuedouble, e = (size_t)end->valuedouble;
            const unsigned char *u = (const unsigned char *)msg;
            if (e > msg_len) return failf(v, "detection: end %zu > message length %zu", e, msg_len);
            if ((u[s] & 0xC0) == 0x80 || (e < msg_len && (u[e] & 0xC0) == 0x80))
                return failf(v, "detection: match [%zu,%zu) splits a UTF-8 sequence", s, e);
            if (!check_match_text(v, term->valuestring, msg, msg_len, s, e)) return 0;
        }
    }
    if (sum != score->valuedouble)
        return failf(v, "detection: score %g but matches add up to %g", score->valuedouble, sum);
    return 1;
}

/* A heading line: up to three words from a capital, then the one colon at the end
 * ("Important dates:", "Interests:"). Values never start a line. */
static int is_heading(const char *line, size_t len) {
    if (len < 2 || line[len - 1] != ':' || line[0] < 'A' || line[0] > 'Z') return 0;
    int spaces = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        char c = line[i];
        if (c == ' ' && ++spaces > 2) return 0; /* a sentence ("The user you are ...:") */
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ' ' || c == '-' ||
              c == '\'' || c == ',' || c == '(' || c == ')'))
            return 0;
    }
    return 1;
}

/* README "Budget and ranking": a heading goes with its last item, and the memory and
 * insight layers with their last item (the chat summary keeps the memory layer). */
static int check_layer_bodies(verdict *v, const char *p, size_t n) {
    const char *core_end = strstr(p, "</nova:core>");
    size_t i = core_end ? (size_t)(core_end - p) : 0;
    while (i < n) {
        size_t e = i;
        while (e < n && p[e] != '\n') e++;
        if (is_heading(p + i, e - i) && (e + 3 > n || memcmp(p + e + 1, "- ", 2) != 0))
            return failf(v, "prompt: heading \"%.*s\" at byte %zu has no item under it",
                         (int)(e - i), p + i, i);
        i = e + 1;
    }
    const char *names[2] = {"memory", "insight"};
    for (int k = 0; k < 2; k++) {
        char open[32], close[32];
        snprintf(open, sizeof open, "<nova:%s>\n", names[k]);
        snprintf(close, sizeof close, "</nova:%s>", names[k]);
        const char *a = strstr(p, open), *b = a ? strstr(a, close) : NULL;
        if (!a || !b) continue;
        int items = 0;
        for (const char *q = a; q && q < b; q = strchr(q, '\n')) {
            q++;
            if (!strncmp(q, "- ", 2) || !strncmp(q, "Summary of this conversation", 28)) items = 1;
        }
        if (!items) return failf(v, "prompt: %s layer included with nothing in it", names[k]);
    }
    return 1;
}

static int check_assembly(verdict *v, const cJSON *r, const char *msg, size_t msg_len) {
    const cJSON *prompt = get(r, "prompt"), *layers = get(r, "layers");
    const cJSON *det = get(r, "detection"), *budget = get(r, "budget");
    if (!cJSON_IsString(prompt) || !cJSON_IsArray(layers) || !cJSON_IsObject(det) ||
        !cJSON_IsObject(budget) || cJSON_GetArraySize(r) != 4)
        return failf(v, "assemble: result members wrong");
    if (cJSON_GetArraySize(layers) != 6) return failf(v, "assemble: not 6 layers");
    int included[6];
    double chars_sum = 0;
    for (int l = 0; l < 6; l++) {
        const cJSON *L = cJSON_GetArrayItem(layers, l);
        const cJSON *name = get(L, "name"), *inc = get(L, "included");
        const cJSON *chars = get(L, "chars"), *reason = get(L, "reason");
        if (!cJSON_IsString(name) || strcmp(name->valuestring, LAYER_NAMES[l]) ||
            !cJSON_IsBool(inc) || !is_int(chars) || !cJSON_IsString(reason))
            return failf(v, "assemble: layer %d malformed", l);
        included[l] = cJSON_IsTrue(inc);
        if (!included[l] && chars->valuedouble != 0)
            return failf(v, "assemble: omitted layer %s has chars", LAYER_NAMES[l]);
        if (included[l] && chars->valuedouble == 0)
            return failf(v, "assemble: included layer %s has 0 chars", LAYER_NAMES[l]);
        chars_sum += chars->valuedouble;
    }
    if (!included[0] || !included[1]) return failf(v, "assemble: core/main_user omitted");
    const cJSON *maxc = get(budget, "max_chars"), *used = get(budget, "used_chars");
    const cJSON *dropped = get(budget, "dropped");
    if (!is_int(maxc) || !is_int(used) || !cJSON_IsObject(dropped) ||
        !is_int(get(dropped, "memories")) || !is_int(get(dropped, "insights")) ||
        !is_int(get(dropped, "reference_items")))
        return failf(v, "assemble: budget malformed");
    const char *p = prompt->valuestring;
    size_t plen = strlen(p);
    size_t cps = utf8_count_strict(p, plen);
    if (cps == (size_t)-1) return failf(v, "prompt: invalid UTF-8");
    if ((double)cps != used->valuedouble)
        return failf(v, "budget: used_chars %g but prompt has %zu code points",
                     used->valuedouble, cps);
    if (chars_sum != used->valuedouble)
        return failf(v, "budget: layer chars add up to %g, used_chars %g", chars_sum,
                     used->valuedouble);
    if (used->valuedouble > maxc->valuedouble)
        return failf(v, "budget: used_chars %g > max_chars %g", used->valuedouble,
                     maxc->valuedouble);
    for (size_t i = 0; i < plen;) {
        uint32_t cp;
        size_t len = utf8_next((const unsigned char *)p, plen, i, &cp);
        if (forbidden_in_prompt(cp))
            return failf(v, "prompt: forbidden U+%04X at byte %zu", (unsigned)cp, i);
        i += len;
    }
    if (strstr(p, "\n\n\n")) return failf(v, "prompt: two blank lines in a row");
    if (!check_markers(v, p, plen, included)) return 0;
    if (!check_layer_bodies(v, p, plen)) return 0;
    return check_detection(v, det, msg, msg_len);
}

/* Paths are "" or key(.key|[n])*. Keys come from the caller's JSON (the engine writes
 * non-ASCII bytes as '?'), so only printable ASCII is required of them, and non-empty:
 * "context." (an empty key) could not be told apart from a cut path. */
static int path_ok(const char *s) {
    for (const char *c = s; *c; c++)
        if (*c < 0x20 || *c > 0x7E) return 0;
    size_t n = strlen(s);
    if (n >= 3 && !strcmp(s + n - 3, "...")) n -= 3; /* the engine's mark of a cut path */
    /* after a key cut short ("key......"): the key's own mark stays */
    int key_cut_last = n >= 4 && !memcmp(s + n - 3, "...", 3) && s[n - 4] != '.' && s[n - 4] != ']';
    for (size_t i = 0; i + 1 < n; i++) {
        /* A key cut after its first characters ends in "...", and the path goes on. */
        if (i > 0 && s[i - 1] != '.' && s[i - 1] != ']' && i + 3 <= n && !memcmp(s + i, "...", 3) &&
            (i + 3 == n || s[i + 3] == '.' || s[i + 3] == '[')) {
            i += 2;
            continue;
        }
        if (s[i] == '.' && (s[i + 1] == '.' || s[i + 1] == '[')) return 0;
    }
    if (n && s[n - 1] == '.' && !key_cut_last) return 0;
    return 1;
}

static int check_error(verdict *v, const cJSON *r, nova_status st) {
    const cJSON *e = get(r, "error");
    if (!cJSON_IsObject(e) || cJSON_GetArraySize(r) != 1)
        return failf(v, "status %d but no error object", (int)st);
    const cJSON *code = get(e, "code"), *msg = get(e, "message"), *path = get(e, "path");
    if (!cJSON_IsString(code) || !cJSON_IsString(msg) || !cJSON_IsString(path) ||
        cJSON_GetArraySize(e) != 3)
        return failf(v, "error object members wrong");
    if (strcmp(code->valuestring, nova_status_name(st)))
        return failf(v, "error code \"%s\" but status %s", code->valuestring, nova_status_name(st));
    if (!msg->valuestring[0]) return failf(v, "empty error message");
    if (!path_ok(path->valuestring)) return failf(v, "bad error path \"%.80s\"", path->valuestring);
    return 1;
}

/* One call: non-NULL NUL-terminated buffer, valid UTF-8, one JSON value, error iff
 * status. *tree gets the parsed result (caller deletes). */
static int check_call(verdict *v, const char *what, nova_status st, const char *out,
                      size_t out_len, cJSON **tree) {
    *tree = NULL;
    if (st == NOVA_E_NOMEM || st == NOVA_E_ARGUMENT || (int)st < 0 || (int)st > 8)
        return failf(v, "%s: status %d on a fuzz input", what, (int)st);
    if (!out) return failf(v, "%s: NULL result with status %d", what, (int)st);
    if (out[out_len] != '\0' || strlen(out) != out_len)
        return failf(v, "%s: result_len %zu but strlen %zu", what, out_len, strlen(out));
    if (utf8_count_strict(out, out_len) == (size_t)-1)
        return failf(v, "%s: result is not valid UTF-8", what);
    const char *end = NULL;
    *tree = cJSON_ParseWithLengthOpts(out, out_len + 1, &end, 1);
    if (!*tree || !cJSON_IsObject(*tree))
        return failf(v, "%s: result is not a JSON object: %.80s", what, out);
    if (st != NOVA_OK) return check_error(v, *tree, st);
    if (get(*tree, "error")) return failf(v, "%s: status ok with an error object", what);
    return 1;
}

typedef nova_status (*api_fn)(const char *, size_t, char **, size_t *);

/* Calls fn twice and insists on the same status and bytes. */
/* With -DNOVA_FUZZ_FAST (make fuzz's long runs, tests/fuzz/fuzz.sh), the checks that
 * call the engine again (same bytes twice, the metamorphic ones, a compiled detector) run
 * for one input in FUZZ_FAST_EVERY, chosen by a hash of the input, so the same input is
 * always checked the same way; the replay suite runs every check on every input. */
#ifdef NOVA_FUZZ_FAST
#define FUZZ_FAST_EVERY 16u
#else
#define FUZZ_FAST_EVERY 1u
#endif
static int fuzz_full_checks;

static void choose_checks(const uint8_t *data, size_t size) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 16777619u;
    fuzz_full_checks = h % FUZZ_FAST_EVERY == 0;
}

static int call_twice(verdict *v, const char *what, api_fn fn, const char *in, size_t n,
                      nova_status *st, char **out, size_t *out_len) {
    char *again = NULL;
    size_t again_len = 0;
    *out = NULL;
    *st = fn(in, n, out, out_len);
    if (!fuzz_full_checks) return 1;
    nova_status st2 = fn(in, n, &again, &again_len);
    int same = st2 == *st && again_len == *out_len && (!*out) == (!again) &&
               (!again || memcmp(again, *out, again_len) == 0);
    nova_free(again);
    if (!same) return failf(v, "%s: second call gave different bytes", what);
    return 1;
}

/* The message as a caller would read it, for the match offsets (NULL when the input is
 * not something cJSON reads the same way the engine does). */
static char *message_of(const char *in, size_t n, size_t *len) {
    if (n >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) in += 3, n -= 3;
    cJSON *root = cJSON_ParseWithLength(in, n);
    const cJSON *m = get(root, "message");
    char *copy = NULL;
    if (cJSON_IsString(m) && utf8_count_strict(m->valuestring, strlen(m->valuestring)) !=
                                 (size_t)-1) {
        *len = strlen(m->valuestring);
        copy = malloc(*len + 1);
        if (copy) memcpy(copy, m->valuestring, *len + 1);
    }
    cJSON_Delete(root);
    return copy;
}

/* The longest string or key in the tree, top-level "message" apart (its limit is 1 MiB). */
static size_t longest_string(const cJSON *node, int top) {
    size_t best = 0;
    for (const cJSON *c = node->child; c; c = c->next) {
        size_t k = c->string ? strlen(c->string) : 0, n = 0;
        int is_msg = top && c->string && !strcmp(c->string, "message");
        if (cJSON_IsString(c) && !is_msg) n = strlen(c->valuestring);
        else n = longest_string(c, 0);
        if (k > best) best = k;
        if (n > best) best = n;
    }
    return best;
}

/* A "string is longer than" refusal must match a string the caller really sent: checked
 * on cJSON's decoding of the input (skipped when cJSON reads it differently: lone
 * surrogates, a BOM, NUL escapes). */
static int check_string_limit(verdict *v, const char *in, size_t n, const cJSON *result) {
    const cJSON *msg = get(get(result, "error"), "message");
    if (!cJSON_IsString(msg) || !strstr(msg->valuestring, "string is longer than")) return 1;
    cJSON *root = cJSON_ParseWithLength(in, n);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return 1;
    }
    const cJSON *m = get(root, "message");
    size_t longest = longest_string(root, 1);
    size_t msg_len = cJSON_IsString(m) ? strlen(m->valuestring) : 0;
    cJSON_Delete(root);
    if (longest <= NOVA_MAX_STRING_BYTES && msg_len <= NOVA_MAX_MESSAGE_BYTES)
        return failf(v, "refused \"%s\" but no string is over its limit (longest %zu, "
                        "message %zu bytes)", msg->valuestring, longest, msg_len);
    return 1;
}

/* ------------------------------------------------------------------ metamorphic checks */

/* Assembles the input with one member changed: options.max_chars (when max_chars > 0)
 * or the message (when msg). Returns the parsed result, NULL when the input cannot be
 * rewritten (cJSON reads it differently) or on a non-ok status (*st tells). */
static cJSON *assemble_edited(const char *in, size_t n, double max_chars, const char *msg,
                              nova_status *st) {
    *st = NOVA_E_ARGUMENT;
    if (n >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) in += 3, n -= 3;
    cJSON *root = cJSON_ParseWithLength(in, n);
    if (!cJSON_IsObject(root)) return cJSON_Delete(root), NULL;
    int ok = 1;
    if (max_chars > 0) {
        cJSON *opt = cJSON_GetObjectItemCaseSensitive(root, "options");
        if (!opt) opt = cJSON_AddObjectToObject(root, "options");
        ok = cJSON_IsObject(opt);
        if (ok) {
            cJSON_DeleteItemFromObjectCaseSensitive(opt, "max_chars");
            ok = cJSON_AddNumberToObject(opt, "max_chars", max_chars) != NULL;
        }
    } else {
        ok = cJSON_ReplaceItemInObjectCaseSensitive(root, "message", cJSON_CreateString(msg));
    }
    char *text = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!text) return NULL;
    char *out = NULL;
    size_t out_len = 0;
    *st = nova_assemble(text, strlen(text), &out, &out_len);
    cJSON_free(text);
    cJSON *tree = *st == NOVA_OK && out ? cJSON_Parse(out) : NULL;
    nova_free(out);
    return tree;
}

static const char *prompt_of(const cJSON *r) {
    const cJSON *p = get(r, "prompt");
    return cJSON_IsString(p) ? p->valuestring : "";
}

/* The budget drops lowest-ranked items until the prompt fits, so max_chars equal to the
 * used size gives the same prompt, and one less cannot. */
static int check_budget_edges(verdict *v, const char *in, size_t n, const cJSON *r) {
    const cJSON *used = get(get(r, "budget"), "used_chars");
    nova_status st;
    cJSON *same = assemble_edited(in, n, used->valuedouble, NULL, &st);
    if (!same && st == NOVA_E_ARGUMENT) return 1; /* not rewritable */
    int ok = same && !strcmp(prompt_of(same), prompt_of(r));
    cJSON_Delete(same);
    if (!ok)
        return failf(v, "budget: max_chars = used_chars (%g) gives %s", used->valuedouble,
                     st == NOVA_OK ? "another prompt" : nova_status_name(st));
    if (used->valuedouble <= 1) return 1;
    cJSON *less = assemble_edited(in, n, used->valuedouble - 1, NULL, &st);
    ok = !less || strcmp(prompt_of(less), prompt_of(r));
    cJSON_Delete(less);
    if (!ok) return failf(v, "budget: max_chars = used_chars - 1 gives the same prompt");
    return 1;
}

static int nothing_dropped(const cJSON *r) {
    const cJSON *d = get(get(r, "budget"), "dropped");
    return get(d, "memories")->valuedouble == 0 && get(d, "insights")->valuedouble == 0 &&
           get(d, "reference_items")->valuedouble == 0;
}

/* The bytes before the message-dependent layers (insight, relationship). */
static size_t stable_prefix(const char *p) {
    const char *a = strstr(p, "<nova:insight>"), *b = strstr(p, "<nova:relationship>");
    const char *end = a && (!b || a < b) ? a : b;
    size_t n = end ? (size_t)(end - p) : strlen(p);
    while (n && p[n - 1] == '\n') n--; /* the blank line before the next layer */
    return n;
}

/* README: while everything fits, the prompt is byte-identical up to the end of the memory
 * layer whatever the message. */
static int check_message_independence(verdict *v, const char *in, size_t n, const cJSON *r) {
    if (!nothing_dropped(r)) return 1;
    nova_status st;
    cJSON *other = assemble_edited(in, n, 0, "", &st);
    if (!other) return 1; /* not rewritable, or over budget without the message's layers */
    int ok = 1;
    if (nothing_dropped(other)) {
        const char *a = prompt_of(r), *b = prompt_of(other);
        size_t la = stable_prefix(a), lb = stable_prefix(b);
        ok = la == lb && !memcmp(a, b, la);
    }
    cJSON_Delete(other);
    if (!ok) return failf(v, "prompt before the insight layer depends on the message");
    return 1;
}

/* Reverses the children of an array or object: detached from the tail, appended to a
 * scratch container whose list then moves back (keys stay on the items). */
static void reverse_children(cJSON *node) {
    cJSON *tmp = cJSON_CreateArray();
    if (!tmp) return;
    for (int n = cJSON_GetArraySize(node); n > 0; n--)
        cJSON_AddItemToArray(tmp, cJSON_DetachItemFromArray(node, n - 1));
    node->child = tmp->child;
    tmp->child = NULL;
    cJSON_Delete(tmp);
}

/* Reverses the members of obj and of every object below it (arrays keep their order);
 * returns 0 when some object has a key twice (then order legitimately matters). */
static int reverse_objects(cJSON *obj) {
    if (!obj) return 1;
    if (cJSON_IsObject(obj)) {
        for (const cJSON *a = obj->child; a; a = a->next)
            for (const cJSON *b = a->next; b; b = b->next)
                if (a->string && b->string && !strcmp(a->string, b->string)) return 0;
        reverse_children(obj);
    }
    for (cJSON *c = obj->child; c; c = c->next)
        if (!reverse_objects(c)) return 0;
    return 1;
}

/* Reverses a list of rows with distinct "id"s; 0 when two share an id. */
static int reverse_rows(cJSON *list) {
    if (!cJSON_IsArray(list)) return 1;
    for (const cJSON *a = list->child; a; a = a->next) {
        const cJSON *ia = get(a, "id");
        for (const cJSON *b = a->next; b; b = b->next) {
            const cJSON *ib = get(b, "id");
            if (!cJSON_IsString(ia) || !cJSON_IsString(ib) || !strcmp(ia->valuestring, ib->valuestring))
                return 0;
        }
    }
    reverse_children(list);
    return 1;
}

/* README: memories and insights are shown in a message- and input-order-independent
 * order (category, most recent, id) and memory_summary keys in byte order, so reversing
 * the rows and the summary objects' members must not change a byte of the prompt. */
static int check_order_independence(verdict *v, const char *in, size_t n, const cJSON *r) {
    if (n >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) in += 3, n -= 3;
    cJSON *root = cJSON_ParseWithLength(in, n);
    cJSON *ctx = cJSON_GetObjectItemCaseSensitive(root, "context");
    int ok = cJSON_IsObject(ctx) &&
             reverse_rows(cJSON_GetObjectItemCaseSensitive(ctx, "memories")) &&
             reverse_rows(cJSON_GetObjectItemCaseSensitive(ctx, "insights"));
    const char *owners[2] = {"user", "reference"};
    for (int i = 0; ok && i < 2; i++) {
        cJSON *o = cJSON_GetObjectItemCaseSensitive(ctx, owners[i]);
        ok = reverse_objects(cJSON_GetObjectItemCaseSensitive(o, "memory_summary"));
    }
    char *text = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!text) return 1;
    char *out = NULL;
    size_t out_len = 0;
    nova_status st = nova_assemble(text, strlen(text), &out, &out_len);
    cJSON_free(text);
    cJSON *other = st == NOVA_OK && out ? cJSON_Parse(out) : NULL;
    nova_free(out);
    ok = other && !strcmp(prompt_of(other), prompt_of(r));
    cJSON_Delete(other);
    if (!ok)
        return failf(v, "reversed memories/insights/memory_summary members give %s",
                     st == NOVA_OK ? "another prompt" : nova_status_name(st));
    return 1;
}

#include "fuzz_memory.inc"

/* The input as cJSON reads it (past a BOM), NUL-terminated copy in *raw; NULL when cJSON
 * cannot read it as the engine does (then the checks that compare with it are skipped). */
static cJSON *input_tree(const char *in, size_t n, char **raw) {
    if (n >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) in += 3, n -= 3;
    *raw = malloc(n + 1);
    if (!*raw) return NULL;
    memcpy(*raw, in, n);
    (*raw)[n] = '\0';
    return cJSON_ParseWithLength(in, n);
}

/* ------------------------------------------------------------------ compiled detector */

/* The detector configuration of the input's context (its detection config's members and
 * the reference's name), as JSON text; NULL when the input is no object with a context. */
static char *detector_config_of(const char *in, size_t n) {
    if (n >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) in += 3, n -= 3;
    cJSON *root = cJSON_ParseWithLength(in, n);
    const cJSON *ctx = get(root, "context");
    char *text = NULL;
    if (cJSON_IsObject(ctx)) {
        const cJSON *det = get(ctx, "detection"), *name = get(get(ctx, "reference"), "name");
        cJSON *cfg = cJSON_IsObject(det) ? cJSON_Duplicate(det, 1) : cJSON_CreateObject();
        if (cfg && name) cJSON_AddItemToObject(cfg, "reference_name", cJSON_Duplicate(name, 1));
        text = cfg ? cJSON_PrintUnformatted(cfg) : NULL;
        cJSON_Delete(cfg);
    }
    cJSON_Delete(root);
    return text;
}

/* nova.h: a compiled detector changes no byte. Compiled from the input's own terms,
 * nova_assemble_with/nova_detect_with give nova_assemble/nova_detect's bytes, and so does
 * nova_detector_detect on the message; compiled from other terms, it is ignored. A
 * configuration taken from a request the engine accepted compiles. */
static int check_compiled(verdict *v, const char *in, size_t n, nova_status sa, const char *a,
                          size_t alen, nova_status sd, const char *d, size_t dlen,
                          const char *msg, size_t msg_len) {
    char *config = detector_config_of(in, n);
    if (!config) return 1;
    nova_detector *det = NULL, *other = NULL;
    char *err = NULL;
    size_t err_len = 0;
    nova_status sc = nova_detector_new(config, strlen(config), &det, &err, &err_len);
    int ok = sc == NOVA_OK || (err && strlen(err) == err_len && strstr(err, "{\"error\":{"));
    if (!ok) failf(v, "nova_detector_new: status %d without an error result", (int)sc);
    if (ok && sc != NOVA_OK && sd == NOVA_OK && (int)sc != NOVA_E_NOMEM)
        ok = failf(v, "detector of an accepted request refused: %.160s (config %.80s)", err, config);
    nova_free(err);
    const char *other_cfg = "{\"partner_names\":[\"Sam\",\"zz\"],\"custom_keywords\":{\"weak\":[\"x\"]}}";
    if (ok && nova_detector_new(other_cfg, strlen(other_cfg), &other, NULL, NULL) != NOVA_OK)
        ok = failf(v, "nova_detector_new refused a fixed good configuration");
    nova_detector *dets[2] = {det, other};
    for (int k = 0; ok && k < 2; k++) {
        if (!dets[k]) continue;
        char *x = NULL, *y = NULL;
        size_t xl = 0, yl = 0;
        nova_status s1 = nova_assemble_with(dets[k], in, n, &x, &xl);
        nova_status s2 = nova_detect_with(dets[k], in, n, &y, &yl);
        if (s1 != sa || xl != alen || !x || memcmp(x, a, alen) || s2 != sd || yl != dlen || !y ||
            memcmp(y, d, dlen))
            ok = failf(v, "with a compiled detector (%s): other bytes than without", k ? "other" : "own");
        nova_free(x);
        nova_free(y);
    }
    if (ok && det && sd == NOVA_OK && msg) {
        char *x = NULL;
        size_t xl = 0;
        nova_status s1 = nova_detector_detect(det, msg, msg_len, 0, &x, &xl);
        if (s1 != NOVA_OK || xl != dlen || memcmp(x, d, dlen))
            ok = failf(v, "nova_detector_detect gives %.120s, nova_detect %.120s", x, d);
        nova_free(x);
    }
    nova_detector_free(det);
    nova_detector_free(other);
    cJSON_free(config);
    return ok;
}

/* nova.h: a detector cache changes no byte, hit or miss. One cache for the whole run
 * (never freed: the process's), so an input meets the terms of the inputs before it
 * (libFuzzer's mutations keep many of them: hits) and evicts the oldest. */
static int check_cached(verdict *v, const char *in, size_t n, nova_status sa, const char *a,
                        size_t alen, nova_status sd, const char *d, size_t dlen) {
    static nova_detector_cache *cache;
    if (!cache && !(cache = nova_detector_cache_new())) return 1;
    char *x = NULL, *y = NULL;
    size_t xl = 0, yl = 0;
    nova_status s1 = nova_assemble_cached(cache, in, n, &x, &xl);
    nova_status s2 = nova_detect_cached(cache, in, n, &y, &yl);
    int ok = 1;
    if ((int)s1 != NOVA_E_NOMEM && (int)s2 != NOVA_E_NOMEM &&
        (s1 != sa || xl != alen || !x || memcmp(x, a, alen) || s2 != sd || yl != dlen || !y ||
         memcmp(y, d, dlen)))
        ok = failf(v, "through a detector cache: other bytes than without (%.120s)", x ? x : "");
    nova_free(x);
    nova_free(y);
    return ok;
}

int nova_fuzz_check(const uint8_t *data, size_t size, verdict *v);

int nova_fuzz_check(const uint8_t *data, size_t size, verdict *v) {
    const char *in = (const char *)data;
    choose_checks(data, size);
    nova_status sa = NOVA_OK, sd = NOVA_OK;
    char *a = NULL, *d = NULL;
    size_t alen = 0, dlen = 0, msg_len = 0;
    cJSON *ta = NULL, *td = NULL;
    char *msg = NULL;
    /* make fuzz's focused targets (tests/fuzz/fuzz.sh) leave one half out; the replay
     * suite runs both. */
#ifdef NOVA_FUZZ_ONLY_MEMORY
    const int assemble_half = 0;
#else
    const int assemble_half = 1;
#endif
#ifdef NOVA_FUZZ_ONLY_ASSEMBLE
    const int memory_half = 0;
#else
    const int memory_half = 1;
#endif
    int ok = !assemble_half ||
             (call_twice(v, "assemble", nova_assemble, in, size, &sa, &a, &alen) &&
              call_twice(v, "detect", nova_detect, in, size, &sd, &d, &dlen) &&
              check_call(v, "assemble", sa, a, alen, &ta) &&
              check_call(v, "detect", sd, d, dlen, &td));
    if (!assemble_half) sa = sd = NOVA_E_ARGUMENT; /* "not called": no check below uses them */
    if (ok && assemble_half && (sa == NOVA_OK || sd == NOVA_OK)) msg = message_of(in, size, &msg_len);
    if (ok && sa == NOVA_OK) ok = check_assembly(v, ta, msg, msg_len);
    if (ok && sd == NOVA_OK) ok = check_detection(v, td, msg, msg_len);
    const int full = fuzz_full_checks;
    if (ok && full && sa == NOVA_OK) ok = check_budget_edges(v, in, size, ta);
    if (ok && full && sa == NOVA_OK) ok = check_message_independence(v, in, size, ta);
    if (ok && full && sa == NOVA_OK) ok = check_order_independence(v, in, size, ta);
    if (ok && sa == NOVA_E_LIMIT) ok = check_string_limit(v, in, size, ta);
    if (ok && full && assemble_half)
        ok = check_compiled(v, in, size, sa, a, alen, sd, d, dlen, msg, msg_len);
    if (ok && full && assemble_half) ok = check_cached(v, in, size, sa, a, alen, sd, d, dlen);
    if (ok && sa == NOVA_OK && sd != NOVA_OK)
        ok = failf(v, "assemble ok but detect failed: %.120s", d);
    if (ok && sa == NOVA_OK && !cJSON_Compare(get(ta, "detection"), td, 1))
        ok = failf(v, "detect result differs from assemble's detection");
    /* Same decoder: a request detect refuses is refused by assemble with the same error. */
    if (ok && assemble_half && sd != NOVA_OK && (sa != sd || alen != dlen || memcmp(a, d, alen)))
        ok = failf(v, "detect error %.120s but assemble %.120s", d, a);

    /* The memory calls. */
    nova_status sp = NOVA_OK, so = NOVA_OK;
    char *p = NULL, *o = NULL, *raw = NULL;
    size_t plen = 0, olen = 0;
    cJSON *tp = NULL, *to = NULL, *req = NULL;
    ok = ok && (!memory_half ||
                (call_twice(v, "memory_prompt", nova_memory_prompt, in, size, &sp, &p, &plen) &&
                 call_twice(v, "memory_ops", nova_memory_ops, in, size, &so, &o, &olen) &&
                 check_call(v, "memory_prompt", sp, p, plen, &tp) &&
                 check_call(v, "memory_ops", so, o, olen, &to)));
    if (!memory_half) sp = so = NOVA_E_ARGUMENT;
    if (ok) req = input_tree(in, size, &raw);
    if (ok && req && sp == NOVA_OK) ok = check_memory_prompt(v, tp, req, raw);
    if (ok && req && so == NOVA_OK) ok = check_memory_ops(v, to, req);
    if (ok && req && so == NOVA_OK) ok = check_memory_wrapping(v, to, req, o, olen);
    const char *outs[4] = {a, d, p, o};
    const size_t lens[4] = {alen, dlen, plen, olen};
    const cJSON *trees[4] = {ta, td, tp, to};
    const nova_status sts[4] = {sa, sd, sp, so};
    for (int i = 0; ok && assemble_half && memory_half && i < 4; i++)
        if (sts[i] != NOVA_OK) ok = check_same_context_error(v, trees[i], outs, lens);
    free(raw);
    cJSON_Delete(req);
    cJSON_Delete(tp);
    cJSON_Delete(to);
    nova_free(p);
    nova_free(o);
    free(msg);
    cJSON_Delete(ta);
    cJSON_Delete(td);
    nova_free(a);
    nova_free(d);
    return ok;
}

#define FUZZ_CHECK nova_fuzz_check
#include "fuzz_driver.inc"

#if !defined(NOVA_FUZZ_REPLAY) && !defined(NOVA_FUZZ_NO_MUTATOR)
#include "fuzz_mutator.inc"
#endif
