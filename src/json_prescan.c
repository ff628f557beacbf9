#include "json_prescan.h"

#include <stdint.h>
#include <string.h>

#include "fmt.h"
#include "nova.h"
#include "swar.h"

/* How many bytes of a key an error path shows. */
#define KEY_SHOWN JSON_PATH_KEY_SHOWN

typedef struct frame {
    int object;
    int want_key;            /* object: the next string is a key */
    size_t key, key_len;     /* object: the current key, raw bytes in the input */
    size_t index;            /* array: the current element */
} frame;

typedef struct scan {
    const unsigned char *p;  /* the input past the BOM */
    size_t n;
    size_t base;             /* offset of p in the caller's input */
    frame stack[NOVA_MAX_DEPTH];
    size_t depth;
    unsigned char *copy;     /* arena copy once a lone surrogate must be rewritten */
    arena *a;
    nova_error *err;
} scan;

static int is_ws(unsigned char b) { return b == ' ' || b == '\t' || b == '\n' || b == '\r'; }

static int hex4(const unsigned char *h, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = h[i];
        unsigned d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return 0;
        v = v * 16 + d;
    }
    *out = v;
    return 1;
}

/* The key's characters one by one, its escapes decoded: the ASCII byte (raw controls too:
 * scan_path masks them), or -1 for a non-ASCII byte or an escaped control or non-ASCII
 * character. *i walks the raw key bytes. The scanner has checked the escapes already. */
static int key_char(const scan *s, const frame *f, size_t *i) {
    const unsigned char *k = s->p + f->key;
    unsigned char c = k[(*i)++];
    if (c != '\\') return c < 0x80 ? c : -1;
    unsigned char e = k[(*i)++];
    if (e != 'u') {
        static const char simple[] = "\"\\/";
        return strchr(simple, e) ? e : -1; /* \b \f \n \r \t: controls */
    }
    unsigned v = 0;
    if (*i + 4 > f->key_len || !hex4(k + *i, &v)) return -1;
    *i += 4;
    return v < 0x80 ? (int)v : -1;
}

/* Is the key of frame f, decoded, the ASCII name? */
static int key_is(const scan *s, const frame *f, const char *name) {
    size_t i = 0, m = 0;
    while (i < f->key_len) {
        int c = key_char(s, f, &i);
        if (c < 0 || name[m] == '\0' || c != name[m++]) return 0;
    }
    return name[m] == '\0';
}

char json_path_key_char(int c) {
    return c >= 0x20 && c < 0x7F && c != '.' && c != '[' && c != ']' ? (char)c : '?';
}

/* The path of the value being scanned, from the stack. A key is shown decoded, with '?'
 * for every character that is not printable ASCII or that a path uses ('.', '[', ']'),
 * so no key can pose as a path; an empty key shows as [""]; a key longer than KEY_SHOWN
 * ends in "...". A path too long for cap is cut after its last whole step and ends in
 * "..." (room for it is kept), never in half a step or a bare '.'. */
static void scan_path(const scan *s, char *path, size_t cap) {
    size_t n = 0, room = cap - 4; /* "..." and the NUL */
    int cut = 0;
    for (size_t k = 0; k < s->depth && !cut; k++) {
        const frame *f = &s->stack[k];
        char step[KEY_SHOWN + 8];
        size_t w = 0;
        if (!f->object) {
            int len = nova_snprintf(step, sizeof step, "[%zu]", f->index);
            w = len > 0 ? (size_t)len : 0;
        } else if (f->key_len == 0) {
            if (f->want_key) break; /* inside an object, before its next key */
            memcpy(step, "[\"\"]", 4);
            w = 4;
        } else {
            if (n > 0) step[w++] = '.';
            size_t i = 0, shown = 0;
            while (i < f->key_len && shown < KEY_SHOWN) {
                int c = key_char(s, f, &i);
                step[w++] = json_path_key_char(c);
                shown++;
            }
            if (i < f->key_len) {
                memcpy(step + w, "...", 3);
                w += 3;
            }
        }
        if (n + w > room) {
            cut = 1;
            break;
        }
        memcpy(path + n, step, w);
        n += w;
    }
    if (cut) {
        memcpy(path + n, "...", 3);
        n += 3;
    }
    path[n] = '\0';
}

static nova_status scan_fail(scan *s, nova_status code, const char *what, size_t at) {
    char path[NOVA_ERROR_PATH_MAX];
    scan_path(s, path, sizeof path);
    return nova_fail(s->err, code, path, "%s (byte %zu)", what, s->base + at);
}

/* The limit of the string being scanned: the top-level "message" and "llm_output" have
 * their own. */
static size_t string_limit(const scan *s) {
    const frame *f = &s->stack[0];
    if (s->depth != 1 || !f->object || f->want_key) return NOVA_MAX_STRING_BYTES;
    if (key_is(s, f, "message")) return NOVA_MAX_MESSAGE_BYTES;
    if (key_is(s, f, "llm_output")) return NOVA_MAX_LLM_OUTPUT_BYTES;
    return NOVA_MAX_STRING_BYTES;
}

/* Rewrites the \uXXXX escape at j as \ufffd (in a copy: the caller's input is const). */
static int patch_surrogate(scan *s, size_t j) {
    if (!s->copy) {
        s->copy = arena_alloc_raw(s->a, s->n);
        if (!s->copy) return 0;
        memcpy(s->copy, s->p, s->n);
    }
    memcpy(s->copy + j + 2, "fffd", 4);
    return 1;
}

/* The bytes that end a run of plain string bytes; a table costs one load per byte where
 * three comparisons would cost six instructions. */
static const unsigned char ENDS_RUN[256] = {[0] = 1, ['"'] = 1, ['\\'] = 1};

/* Refuses the NUL (raw or \u0000) at byte j of the string whose opening quote is at i;
 * when the string is a key, the path shows the key up to j. Returns 0. */
static int nul_in_string(scan *s, frame *top, int key, size_t i, size_t j) {
    if (key) top->key_len = j - (i + 1);
    scan_fail(s, NOVA_E_VALUE, "string contains a NUL character", j);
    return 0;
}

/* Refuses a \u at byte j not followed by four hex digits (cJSON would read it as U+0000
 * and cut the string there: "Zo\u00,eb" would be "Zo"). Returns 0. */
static int bad_unicode_escape(scan *s, frame *top, int key, size_t i, size_t j) {
    if (key) top->key_len = j - (i + 1);
    scan_fail(s, NOVA_E_JSON, "\\u escape without four hex digits", j);
    return 0;
}

/* Scans the string whose opening quote is at i; *end gets the index of its closing quote
 * (n when unterminated: cJSON reports that). Returns 0 after an error. */
static int scan_string(scan *s, size_t i, size_t *end) {
    const unsigned char *p = s->p;
    size_t n = s->n, j = i + 1, bytes = 0;
    frame *top = s->depth ? &s->stack[s->depth - 1] : NULL;
    int key = top && top->object && top->want_key;
    if (key) {
        top->key = i + 1;
        top->key_len = 0;
    }
    while (j < n && p[j] != '"') {
        /* The plain bytes up to the next quote, escape or NUL: almost all of a request. */
        size_t run = j;
        while (j < n && !ENDS_RUN[p[j]]) j++;
        bytes += j - run;
        if (j == n || p[j] == '"') break;
        if (p[j] == 0) return nul_in_string(s, top, key, i, j);
        unsigned u, v;
        if (j + 1 < n && p[j + 1] == 'u' && (j + 6 > n || !hex4(p + j + 2, &u)))
            return bad_unicode_escape(s, top, key, i, j);
        if (j + 1 >= n || p[j + 1] != 'u') {
            bytes++; /* a one-byte escape, or a bad one cJSON will report */
            j += 2;
            continue;
        }
        if (u == 0) return nul_in_string(s, top, key, i, j);
        if (u >= 0xD800 && u <= 0xDBFF && j + 12 <= n && p[j + 6] == '\\' && p[j + 7] == 'u' &&
            hex4(p + j + 8, &v) && v >= 0xDC00 && v <= 0xDFFF) {
            bytes += 4; /* a surrogate pair: one supplementary code point */
            j += 12;
            continue;
        }
        if (u >= 0xD800 && u <= 0xDFFF) {
            if (!patch_surrogate(s, j)) return 0;
            u = 0xFFFD;
        }
        bytes += u < 0x80 ? 1 : u < 0x800 ? 2 : 3;
        j += 6;
    }
    if (j > n) j = n;
    if (key) {
        top->key_len = j - (i + 1);
        top->want_key = 0;
    }
    size_t limit = string_limit(s);
    if (j < n && bytes > limit) {
        char what[96];
        nova_snprintf(what, sizeof what, "string is longer than %zu bytes", limit);
        scan_fail(s, NOVA_E_LIMIT, what, i);
        return 0;
    }
    *end = j;
    return 1;
}

/* Skips a UTF-8 byte order mark. */
static size_t bom(const char *json, size_t len) {
    return len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* Is byte i one that sends the request to the full scan? */
static int needs_scan(const unsigned char *p, size_t n, size_t i) {
    unsigned char c = p[i];
    if (c < 0x20) return c != '\t' && c != '\n' && c != '\r';
    return c == '\\' && i + 1 < n && p[i + 1] == 'u';
}

int json_prescan_trivial(const char *json, size_t len, json_text *out) {
    if (len > NOVA_MAX_REQUEST_BYTES) return 0;
    size_t skip = bom(json, len);
    const unsigned char *p = (const unsigned char *)json + skip;
    size_t n = len - skip, i = 0;
    /* Sixteen bytes a step: the words with a byte < 0x20 or a backslash (rare in compact
     * JSON; a pretty-printed request's line breaks and a text's \n escapes among them)
     * are looked at byte by byte. */
    for (; i + 16 <= n; i += 16) {
        uint64_t x = swar_load(p + i), y = swar_load(p + i + 8);
        if (!(swar_below(x, 0x20) | swar_equal(x, '\\') | swar_below(y, 0x20) | swar_equal(y, '\\')))
            continue;
        for (size_t k = i; k < i + 16; k++)
            if (needs_scan(p, n, k)) return 0;
    }
    for (; i < n; i++)
        if (needs_scan(p, n, i)) return 0;
    out->text = (const char *)p;
    out->len = n;
    out->offset = skip;
    return 1;
}

nova_status json_prescan(arena *a, const char *json, size_t len, json_text *out,
                         nova_error *err) {
    if (len > NOVA_MAX_REQUEST_BYTES)
        return nova_fail(err, NOVA_E_LIMIT, "", "request is larger than %u bytes",
                         NOVA_MAX_REQUEST_BYTES);
    scan s;
    memset(&s, 0, sizeof s);
    s.p = (const unsigned char *)json;
    s.n = len;
    s.a = a;
    s.err = err;
    s.base = bom(json, len);
    s.p += s.base;
    s.n -= s.base;

    int seen = 0;
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = s.p[i];
        if (is_ws(c)) continue;
        seen = 1;
        frame *top = s.depth ? &s.stack[s.depth - 1] : NULL;
        switch (c) {
        case '"':
            if (!scan_string(&s, i, &i)) return err->code != NOVA_OK ? err->code : NOVA_E_NOMEM;
            break;
        case '{':
        case '[':
            if (s.depth == NOVA_MAX_DEPTH) {
                char what[64];
                nova_snprintf(what, sizeof what, "nesting deeper than %u levels", NOVA_MAX_DEPTH);
                return scan_fail(&s, NOVA_E_LIMIT, what, i);
            }
            top = &s.stack[s.depth++];
            memset(top, 0, sizeof *top);
            top->object = c == '{';
            top->want_key = top->object;
            break;
        case '}':
        case ']':
            if (s.depth) s.depth--;
            break;
        case ',':
            if (top && top->object) {
                top->want_key = 1;
                top->key_len = 0;
            } else if (top) {
                top->index++;
            }
            break;
        default:
            if (c < 0x20)
                return scan_fail(&s, NOVA_E_JSON, "control character outside a string", i);
            break;
        }
    }
    if (!seen) return nova_fail(err, NOVA_E_JSON, "", "empty request");

    out->text = s.copy ? (const char *)s.copy : (const char *)s.p;
    out->len = s.n;
    out->offset = s.base;
    return NOVA_OK;
}
