/* llm_json — llm_json.h says what the answer is and how it is found. */
#include "llm_json.h"

#include <string.h>

#include "fmt.h"
#include "utf8.h"

/* ------------------------------------------------------------------ the scanner */

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static size_t skip_ws(const char *s, size_t n, size_t i) {
    while (i < n && is_ws(s[i])) i++;
    return i;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int hex4(const char *s, unsigned *out) {
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        int d = hex_digit(s[k]);
        if (d < 0) return 0;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 1;
}

typedef enum scan_status { SCAN_OK, SCAN_BAD, SCAN_EOF } scan_status;

/* The string whose opening quote is at i: *end is past its closing quote. */
static scan_status scan_string(const char *s, size_t n, size_t i, size_t *end) {
    for (size_t j = i + 1; j < n; j++) {
        if (s[j] == '"') {
            *end = j + 1;
            return SCAN_OK;
        }
        if (s[j] != '\\') continue;
        if (++j >= n) return SCAN_EOF;
        unsigned u;
        switch (s[j]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
            break;
        case 'u':
            if (n - j < 5) return SCAN_EOF;
            if (!hex4(s + j + 1, &u)) return SCAN_BAD;
            j += 4;
            break;
        default:
            return SCAN_BAD;
        }
    }
    return SCAN_EOF;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? at i. A number that reaches the end of
 * the text may go on: EOF. */
static scan_status scan_number(const char *s, size_t n, size_t i, size_t *end) {
    size_t j = i;
    if (j < n && s[j] == '-') j++;
    if (j >= n) return SCAN_EOF;
    if (s[j] == '0') j++;
    else if (is_digit(s[j])) while (j < n && is_digit(s[j])) j++;
    else return SCAN_BAD;
    if (j < n && s[j] == '.') {
        size_t k = ++j;
        while (j < n && is_digit(s[j])) j++;
        if (j == n) return SCAN_EOF;
        if (j == k) return SCAN_BAD;
    }
    if (j < n && (s[j] == 'e' || s[j] == 'E')) {
        j++;
        if (j < n && (s[j] == '+' || s[j] == '-')) j++;
        size_t k = j;
        while (j < n && is_digit(s[j])) j++;
        if (j == n) return SCAN_EOF;
        if (j == k) return SCAN_BAD;
    }
    if (j == n) return SCAN_EOF;
    *end = j;
    return SCAN_OK;
}

static scan_status scan_literal(const char *s, size_t n, size_t i, size_t *end) {
    static const char *const words[] = {"true", "false", "null"};
    for (int w = 0; w < 3; w++) {
        size_t k = strlen(words[w]);
        if (s[i] != words[w][0]) continue;
        size_t have = n - i < k ? n - i : k;
        if (memcmp(s + i, words[w], have) != 0) return SCAN_BAD;
        if (have < k) return SCAN_EOF;
        *end = i + k;
        return SCAN_OK;
    }
    return SCAN_BAD;
}

/* Does the key string s[i..end) (quotes included) decode to the ASCII name? */
static int key_is(const char *s, size_t i, size_t end, const char *name) {
    llm_value v = {LLM_STRING, s + i, end - i};
    char buf[64];
    size_t k = 0;
    const char *p = v.s + 1, *e = v.s + v.len - 1;
    while (p < e) {
        unsigned c = (unsigned char)*p++;
        if (c == '\\') {
            char x = *p++;
            unsigned u;
            if (x == 'u' && hex4(p, &u)) {
                p += 4;
                c = u;
            } else {
                c = x == 'n' ? '\n' : x == 't' ? '\t' : x == 'r' ? '\r' : x == 'b' ? '\b'
                  : x == 'f' ? '\f' : (unsigned char)x;
            }
        }
        if (c >= 0x80 || k + 1 >= sizeof buf) return 0;
        buf[k++] = (char)c;
    }
    buf[k] = '\0';
    return strcmp(buf, name) == 0;
}

typedef struct frame {
    unsigned char object;  /* '{' (else '[') */
    unsigned char ops;     /* the value being read is the member "operations" */
    unsigned char has_ops; /* an "operations" member held an array */
} frame;

typedef enum expect { E_VALUE, E_VALUE_OR_END, E_KEY, E_KEY_OR_END, E_COLON, E_NEXT } expect;

/* Scans the JSON value at i (which must not be white space) up to `n`, at most
 * LLM_MAX_DEPTH deep. *end is past it; *has_ops tells whether it is an object with an
 * "operations" array. *work counts the bytes looked at. */
static scan_status scan_value(const char *s, size_t n, size_t i, size_t *end, int *has_ops,
                              size_t *work) {
    frame stack[LLM_MAX_DEPTH];
    size_t depth = 0, start = i;
    expect want = E_VALUE;
    int top_has_ops = 0;
    for (;;) {
        i = skip_ws(s, n, i);
        if (i >= n) {
            *work += i - start;
            return SCAN_EOF;
        }
        char c = s[i];
        frame *top = depth ? &stack[depth - 1] : NULL;
        size_t next = i + 1;
        scan_status st = SCAN_OK;
        int value_done = 0, close = 0;
        switch (want) {
        case E_VALUE_OR_END:
            if (c == ']') {
                close = 1;
                break;
            }
            /* fall through */
        case E_VALUE:
            if (c == '{' || c == '[') {
                if (depth == LLM_MAX_DEPTH) return SCAN_BAD;
                if (top && top->ops && c == '[') top->has_ops = 1;
                stack[depth++] = (frame){c == '{', 0, 0};
                want = c == '{' ? E_KEY_OR_END : E_VALUE_OR_END;
            } else if (c == '"') {
                st = scan_string(s, n, i, &next);
                value_done = 1;
            } else if (c == '-' || is_digit(c)) {
                st = scan_number(s, n, i, &next);
                value_done = 1;
            } else if (c == 't' || c == 'f' || c == 'n') {
                st = scan_literal(s, n, i, &next);
                value_done = 1;
            } else {
                st = SCAN_BAD;
            }
            break;
        case E_KEY_OR_END:
            if (c == '}') {
                close = 1;
                break;
            }
            /* fall through */
        case E_KEY:
            if (c != '"') {
                st = SCAN_BAD;
                break;
            }
            st = scan_string(s, n, i, &next);
            if (st == SCAN_OK) top->ops = depth == 1 && key_is(s, i, next, "operations");
            want = E_COLON;
            break;
        case E_COLON:
            if (c != ':') st = SCAN_BAD;
            want = E_VALUE;
            break;
        case E_NEXT:
            if (c == ',') want = top->object ? E_KEY : E_VALUE;
            else if (c == (top->object ? '}' : ']')) close = 1;
            else st = SCAN_BAD;
            break;
        }
        if (st != SCAN_OK) {
            *work += i - start;
            return st;
        }
        if (close) {
            if (depth == 1) top_has_ops = top->has_ops;
            depth--;
            value_done = 1;
        }
        i = next;
        if (!value_done) continue;
        if (depth == 0) {
            *end = i;
            *has_ops = top_has_ops;
            *work += i - start;
            return SCAN_OK;
        }
        stack[depth - 1].ops = 0;
        want = E_NEXT;
    }
}

/* ------------------------------------------------------------------ think blocks */

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

/* The next "<think>" / "<thinking>" (closing: with the '/') at or after i: its position,
 * or n; *after is past it. */
static size_t find_tag(const char *s, size_t n, size_t i, int closing, size_t *after) {
    for (; i < n; i++) {
        if (s[i] != '<') continue;
        size_t j = i + 1;
        if (closing) {
            if (j >= n || s[j] != '/') continue;
            j++;
        }
        static const char think[] = "think";
        size_t k = 0;
        while (k < 5 && j + k < n && lower(s[j + k]) == think[k]) k++;
        if (k < 5) continue;
        j += 5;
        if (n - j >= 3 && lower(s[j]) == 'i' && lower(s[j + 1]) == 'n' && lower(s[j + 2]) == 'g')
            j += 3;
        if (j < n && s[j] == '>') {
            *after = j + 1;
            return i;
        }
    }
    *after = n;
    return n;
}

/* ------------------------------------------------------------------ the answer */

static int find_member(const llm_value *object, const char *key, int only_arrays,
                       llm_value *out);

/* Is s[0..n) white space, or "NONE" (any case, maybe with a full stop)? */
static int says_nothing(const char *s, size_t n) {
    size_t i = skip_ws(s, n, 0);
    while (n > i && is_ws(s[n - 1])) n--;
    if (n > i && s[n - 1] == '.') n--;
    if (n == i) return 1;
    static const char none[] = "none";
    if (n - i != 4) return 0;
    for (size_t k = 0; k < 4; k++)
        if (lower(s[i + k]) != none[k]) return 0;
    return 1;
}

/* Looks in the answer region s[from..to) for the first complete object with an
 * operations array. *eof: a try ran into the region's end outside an earlier object. */
static int find_in(const char *s, size_t from, size_t to, llm_value *out, int *eof,
                   size_t *work, size_t budget) {
    size_t covered = from; /* the end of the last complete object */
    for (size_t i = from; i < to && *work <= budget; i++) {
        if (s[i] != '{') continue;
        size_t end = 0;
        int has_ops = 0;
        scan_status st = scan_value(s, to, i, &end, &has_ops, work);
        if (st == SCAN_OK && has_ops) {
            llm_value obj = {LLM_OBJECT, s + i, end - i};
            return find_member(&obj, "operations", 1, out);
        }
        if (st == SCAN_OK && end > covered) covered = end;
        if (st == SCAN_EOF && i >= covered) *eof = 1;
    }
    return 0;
}

llm_answer llm_find_operations(const char *text, size_t len, llm_value *operations) {
    /* Bytes looked at over all the tries: each is linear, and nesting makes a byte part
     * of at most LLM_MAX_DEPTH tries, so this bound is reached only by crafted input. */
    size_t work = 0, budget = (size_t)(LLM_MAX_DEPTH + 2) * len + 4096;
    int eof = 0, nothing = 1;
    size_t after = 0, start = 0;
    /* A close tag before any open tag: what precedes it was reasoning. */
    size_t open_at = find_tag(text, len, 0, 0, &after);
    size_t close_at = find_tag(text, len, 0, 1, &after);
    if (close_at < open_at) start = after;
    while (start <= len) {
        size_t body = len;
        size_t open = find_tag(text, len, start, 0, &body);
        if (!says_nothing(text + start, open - start)) nothing = 0;
        if (find_in(text, start, open, operations, &eof, &work, budget)) return LLM_ANSWER_FOUND;
        if (open == len) break;
        size_t close = find_tag(text, len, body, 1, &after);
        if (close == len) return LLM_ANSWER_TRUNCATED; /* it stopped while thinking */
        start = after;
    }
    if (nothing) return LLM_ANSWER_NOTHING;
    return eof ? LLM_ANSWER_TRUNCATED : LLM_ANSWER_NONE;
}

/* ------------------------------------------------------------------ reading values */

static llm_type type_of(char c) {
    switch (c) {
    case '{': return LLM_OBJECT;
    case '[': return LLM_ARRAY;
    case '"': return LLM_STRING;
    case 't': case 'f': return LLM_BOOL;
    case 'n': return LLM_NULL;
    default: return LLM_NUMBER;
    }
}

/* The value at i of a text already known to be valid; *end is past it. */
static int read_value(const char *s, size_t n, size_t i, llm_value *v, size_t *end) {
    int has_ops;
    size_t work = 0;
    i = skip_ws(s, n, i);
    if (i >= n) return 0;
    /* A number at the very end of a span is complete here (its container closes after). */
    if (scan_value(s, n, i, end, &has_ops, &work) != SCAN_OK) {
        if (type_of(s[i]) != LLM_NUMBER) return 0;
        *end = i;
        while (*end < n && !is_ws(s[*end]) && s[*end] != ',' && s[*end] != ']' && s[*end] != '}')
            (*end)++;
    }
    *v = (llm_value){type_of(s[i]), s + i, *end - i};
    return 1;
}

int llm_next_item(const llm_value *array, size_t *at, llm_value *item) {
    const char *s = array->s;
    size_t n = array->len - 1; /* before the closing ']' */
    size_t i = skip_ws(s, n, *at ? *at : 1);
    if (i < n && s[i] == ',') i++;
    if (skip_ws(s, n, i) >= n) return 0;
    size_t end;
    if (!read_value(s, n, i, item, &end)) return 0;
    *at = end;
    return 1;
}

/* The first member named key; only_arrays: the first whose value is an array. */
static int find_member(const llm_value *object, const char *key, int only_arrays,
                       llm_value *out) {
    const char *s = object->s;
    size_t n = object->len - 1, i = 1;
    for (;;) {
        i = skip_ws(s, n, i);
        if (i < n && s[i] == ',') i = skip_ws(s, n, i + 1);
        if (i >= n || s[i] != '"') return 0;
        size_t key_end;
        if (scan_string(s, n, i, &key_end) != SCAN_OK) return 0;
        int match = key_is(s, i, key_end, key);
        i = skip_ws(s, n, key_end) + 1; /* past the ':' */
        llm_value v;
        size_t end;
        if (!read_value(s, n, i, &v, &end)) return 0;
        if (match && (!only_arrays || v.type == LLM_ARRAY)) {
            *out = v;
            return 1;
        }
        i = end;
    }
}

int llm_member(const llm_value *object, const char *key, llm_value *out) {
    return find_member(object, key, 0, out);
}

nova_text llm_string(arena *a, const llm_value *v) {
    nova_text r = {NULL, 0};
    /* Escapes never grow: \uXXXX (6 bytes) is at most 3 bytes of UTF-8, a pair (12) 4. */
    char *out = arena_alloc(a, v->len + 1);
    if (!out) return r;
    const char *p = v->s + 1, *e = v->s + v->len - 1;
    size_t k = 0;
    while (p < e) {
        if (*p != '\\') {
            out[k++] = *p++;
            continue;
        }
        char x = p[1];
        p += 2;
        if (x != 'u') {
            out[k++] = x == 'n' ? '\n' : x == 't' ? '\t' : x == 'r' ? '\r' : x == 'b' ? '\b'
                     : x == 'f' ? '\f' : x;
            continue;
        }
        unsigned u = 0, w = 0;
        hex4(p, &u);
        p += 4;
        uint32_t cp = u;
        if (u >= 0xD800 && u <= 0xDBFF && e - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
            hex4(p + 2, &w) && w >= 0xDC00 && w <= 0xDFFF) {
            cp = 0x10000 + ((u - 0xD800) << 10) + (w - 0xDC00);
            p += 6;
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            cp = UTF8_REPLACEMENT; /* a lone surrogate: a character lost, not the answer */
        }
        if (cp) k += utf8_encode(cp, out + k);
    }
    out[k] = '\0';
    r.s = out;
    r.len = k;
    return r;
}

/* The model's text is NUL-terminated and a number ends before its container's bracket,
 * so strtod stops at the number's end. */
double llm_number(const llm_value *v) { return nova_strtod(v->s, NULL); }
