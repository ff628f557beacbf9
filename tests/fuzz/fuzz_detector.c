/*
 * fuzz_detector — the compiled detector's entry points on arbitrary bytes: the input's
 * first line is a detector configuration (schema $defs/detector_config), the rest the
 * message. Checks, for every input:
 *   - nova_detector_new: a detector, or an error result {"error":{code,message,path}} with
 *     the status's code (never a crash, never both or neither);
 *   - nova_detector_detect: a detection object (score the sum of its matches' tier
 *     weights, relationship = score >= threshold, matches in order, on UTF-8 boundaries,
 *     inside the message), the same bytes twice; with NOVA_DETECT_UTF16 the same matches
 *     at the UTF-16 offsets of the same bytes;
 *   - when the message is one nova_detect can be given (valid UTF-8, no NUL): nova_detect
 *     on a request with this configuration's terms gives the same bytes, and so does
 *     nova_detect_with the detector.
 * Replay (-DNOVA_FUZZ_REPLAY): tests/fuzz/run.sh runs the detector- findings of
 * tests/fuzz/crashers and the files in tests/fuzz/seeds/detector through it; libFuzzer:
 * make fuzz (tests/fuzz/fuzz.sh).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "nova.h"

typedef struct verdict {
    char why[512];
} verdict;

static int fail(verdict *v, const char *what, const char *detail) {
    snprintf(v->why, sizeof v->why, "%s: %.400s", what, detail ? detail : "");
    return 0;
}

/* Strict UTF-8 (no overlongs, surrogates, > U+10FFFF): 1 when s[0..n) is. */
static int utf8_ok(const unsigned char *s, size_t n) {
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (!len || i + len > n) return 0;
        uint32_t cp = len == 1 ? c : c & (0x7Fu >> len);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return 0;
            cp = cp << 6 | (s[i + k] & 0x3Fu);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += len;
    }
    return 1;
}

/* UTF-16 units of the message's first n bytes as the engine counts them (ill-formed
 * bytes: one U+FFFD each maximal subpart; here bytes are valid or the count is skipped). */
static size_t utf16_at(const unsigned char *s, size_t n) {
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        if ((s[i] & 0xC0) == 0x80) continue;
        u += s[i] >= 0xF0 ? 2 : 1;
    }
    return u;
}

/* valid: msg is well-formed UTF-8, so matches must lie on its code point boundaries (in
 * ill-formed text a stray continuation byte is a code point of its own). */
static int check_detection(verdict *v, const char *text, size_t len, const char *msg,
                           size_t msg_len, int valid, const cJSON **out) {
    cJSON *d = cJSON_ParseWithLength(text, len);
    *out = d;
    const cJSON *score = cJSON_GetObjectItemCaseSensitive(d, "score");
    const cJSON *thr = cJSON_GetObjectItemCaseSensitive(d, "threshold");
    const cJSON *rel = cJSON_GetObjectItemCaseSensitive(d, "relationship");
    const cJSON *matches = cJSON_GetObjectItemCaseSensitive(d, "matches");
    if (!cJSON_IsNumber(score) || !cJSON_IsNumber(thr) || !cJSON_IsBool(rel) || !cJSON_IsArray(matches))
        return fail(v, "detection shape", text);
    if (cJSON_IsTrue(rel) != (score->valuedouble >= thr->valuedouble))
        return fail(v, "relationship is not score >= threshold", text);
    double sum = 0, last = -1;
    const cJSON *m;
    cJSON_ArrayForEach(m, matches) {
        const cJSON *tier = cJSON_GetObjectItemCaseSensitive(m, "tier");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(m, "start");
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(m, "end");
        if (!cJSON_IsString(tier) || !cJSON_IsNumber(s) || !cJSON_IsNumber(e))
            return fail(v, "match shape", text);
        sum += !strcmp(tier->valuestring, "strong") ? 2 : !strcmp(tier->valuestring, "medium") ? 1 : 0.5;
        size_t a = (size_t)s->valuedouble, b = (size_t)e->valuedouble;
        if (s->valuedouble < last || a >= b || b > msg_len) return fail(v, "match offsets", text);
        const unsigned char *u = (const unsigned char *)msg;
        if (valid && ((u[a] & 0xC0) == 0x80 || (b < msg_len && (u[b] & 0xC0) == 0x80)))
            return fail(v, "match splits a UTF-8 sequence", text);
        last = s->valuedouble;
    }
    if (sum != score->valuedouble) return fail(v, "score is not the sum of the matches", text);
    return 1;
}

/* -DNOVA_FUZZ_FAST (make fuzz's long runs): the second call, the UTF-16 call and the
 * comparison with nova_detect run for one input in 16 (a hash of the input chooses). */
static int full_checks(const uint8_t *data, size_t size) {
#ifdef NOVA_FUZZ_FAST
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 16777619u;
    return h % 16u == 0;
#else
    (void)data;
    (void)size;
    return 1;
#endif
}

int nova_fuzz_detector(const uint8_t *data, size_t size, verdict *v);

int nova_fuzz_detector(const uint8_t *data, size_t size, verdict *v) {
    const char *in = (const char *)data;
    const char *nl = memchr(in, '\n', size);
    size_t config_len = nl ? (size_t)(nl - in) : size;
    const char *msg = nl ? nl + 1 : "";
    size_t msg_len = nl ? size - config_len - 1 : 0;
    nova_detector *det = NULL;
    char *err = NULL;
    size_t err_len = 0;
    nova_status st = nova_detector_new(in, config_len, &det, &err, &err_len);
    if (st == NOVA_OK) {
        if (!det || err) return fail(v, "nova_detector_new ok without a detector (or with an error)", err);
    } else {
        int ok = !det && err && strlen(err) == err_len && strstr(err, "{\"error\":{\"code\":\"") == err &&
                 strstr(err, nova_status_name(st));
        if (!ok) return nova_free(err), fail(v, "nova_detector_new's error result", err);
        nova_free(err);
        return 1;
    }
    int ok = 1;
    char *out = NULL, *again = NULL, *out16 = NULL;
    size_t out_len = 0, again_len = 0, out16_len = 0;
    int full = full_checks(data, size);
    nova_status s1 = nova_detector_detect(det, msg, msg_len, 0, &out, &out_len);
    nova_status s2 = s1, s3 = s1;
    if (full) {
        s2 = nova_detector_detect(det, msg, msg_len, 0, &again, &again_len);
        s3 = nova_detector_detect(det, msg, msg_len, NOVA_DETECT_UTF16, &out16, &out16_len);
    }
    const cJSON *d = NULL, *d16 = NULL;
    if (s1 != NOVA_OK || s2 != s1 || s3 != s1 || !out ||
        (full && (out_len != again_len || memcmp(out, again, out_len))))
        ok = fail(v, "nova_detector_detect not ok, or not the same twice", out);
    int valid = utf8_ok((const unsigned char *)msg, msg_len);
    if (ok) ok = check_detection(v, out, out_len, msg, msg_len, valid, &d);
    valid = full && valid && !memchr(msg, 0, msg_len); /* what a request's message can hold */
    if (ok && valid) {
        /* The same matches at UTF-16 offsets. */
        d16 = cJSON_ParseWithLength(out16, out16_len);
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(d, "matches");
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(d16, "matches");
        if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b)) ok = fail(v, "UTF-16 result differs", out16);
        for (int i = 0; ok && i < cJSON_GetArraySize(a); i++) {
            const cJSON *x = cJSON_GetArrayItem(a, i), *y = cJSON_GetArrayItem(b, i);
            size_t xs = (size_t)cJSON_GetObjectItemCaseSensitive(x, "start")->valuedouble;
            size_t xe = (size_t)cJSON_GetObjectItemCaseSensitive(x, "end")->valuedouble;
            double ys = cJSON_GetObjectItemCaseSensitive(y, "start")->valuedouble;
            double ye = cJSON_GetObjectItemCaseSensitive(y, "end")->valuedouble;
            if ((double)utf16_at((const unsigned char *)msg, xs) != ys ||
                (double)utf16_at((const unsigned char *)msg, xe) != ye)
                ok = fail(v, "UTF-16 offsets are not those of the bytes", out16);
        }
        /* nova_detect on the configuration's terms, with and without the detector; not
         * for a configuration cJSON cannot read as the engine does (a lone surrogate, which
         * the engine reads as U+FFFD: cJSON refuses it). */
        cJSON *cfg = cJSON_ParseWithLength(in, config_len);
        /* cJSON prints a number with 15 digits when that is within an epsilon of it: the
         * threshold goes in with 17, which read back exactly. */
        cJSON *th = cJSON_GetObjectItemCaseSensitive(cfg, "relationship_threshold");
        if (cJSON_IsNumber(th) && th->valuedouble == th->valuedouble &&
            th->valuedouble - th->valuedouble == 0) {
            char exact[40];
            snprintf(exact, sizeof exact, "%.17g", th->valuedouble);
            cJSON_ReplaceItemInObjectCaseSensitive(cfg, "relationship_threshold",
                                                   cJSON_CreateRaw(exact));
        }
        cJSON *req = cJSON_CreateObject(), *ctx = cJSON_AddObjectToObject(req, "context");
        cJSON_AddStringToObject(ctx, "user_id", "11111111-1111-4111-8111-111111111111");
        cJSON *name = cJSON_DetachItemFromObjectCaseSensitive(cfg, "reference_name");
        if (cJSON_IsString(name)) {
            cJSON *ref = cJSON_AddObjectToObject(ctx, "reference");
            cJSON_AddStringToObject(ref, "source", "ai_generated");
            cJSON_AddItemToObject(ref, "name", name);
        } else {
            cJSON_Delete(name);
        }
        cJSON_AddItemToObject(ctx, "detection", cfg);
        char *copy = malloc(msg_len + 1);
        memcpy(copy, msg, msg_len);
        copy[msg_len] = 0;
        cJSON_AddStringToObject(req, "message", copy);
        free(copy);
        char *text = cJSON_PrintUnformatted(req);
        char *x = NULL, *y = NULL;
        size_t xl = 0, yl = 0;
        nova_status sx = text && cfg ? nova_detect(text, strlen(text), &x, &xl) : NOVA_E_NOMEM;
        nova_status sy = text && cfg ? nova_detect_with(det, text, strlen(text), &y, &yl) : NOVA_E_NOMEM;
        /* A configuration cJSON reads otherwise than the engine (duplicate members) or a
         * reference name refused in the request (its place differs) may fail here. */
        if (ok && sx == NOVA_OK && (xl != out_len || memcmp(x, out, out_len)))
            ok = fail(v, "nova_detect on the same terms gives other bytes", x);
        if (ok && (sy != sx || yl != xl || (x && memcmp(x, y, xl))))
            ok = fail(v, "nova_detect_with the detector differs from nova_detect", y);
        nova_free(x);
        nova_free(y);
        cJSON_free(text);
        cJSON_Delete(req);
    }
    cJSON_Delete((cJSON *)d);
    cJSON_Delete((cJSON *)d16);
    nova_free(out);
    nova_free(again);
    nova_free(out16);
    nova_detector_free(det);
    return ok;
}

#define FUZZ_CHECK nova_fuzz_detector
#include "fuzz_driver.inc"
