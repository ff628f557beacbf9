/*
 * request — decodes the request of every call (schema/nova-contract.schema.json: $defs
 * request, memory_prompt_request, memory_ops_request) into nova_request. Three steps:
 *   1. the limits on the raw bytes (size, depth, NUL, string lengths: json_prescan.h,
 *      whose full scan runs only when the bytes need it; parse() tells when);
 *   2. cJSON parses the text into the call's arena (json_parse.h), so the tree lives
 *      as long as the call and its strings need no copies. Errors are located with the
 *      per-call return_parse_end, never with cJSON_GetErrorPtr() (a global);
 *   3. every member of the contract is type- and value-checked here, with the path of
 *      the offending field. Unknown members are ignored; absent optional members and JSON
 *      null (where the schema allows it) leave the field empty. Text that reaches the
 *      prompt is sanitized now (sanitize.h), with the kind and cap of its field.
 * UUIDs are stored in lower case so layers can compare them byte for byte.
 */
#include "request.h"

#include <float.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "cJSON.h"
#include "fmt.h"
#include "json_parse.h"
#include "json_syntax.h"
#include "json_prescan.h"
#include "request_summary.h"
#include "nova.h"
#include "rules.h"
#include "sanitize.h"

_Static_assert(CJSON_NESTING_LIMIT == NOVA_MAX_DEPTH,
               "cJSON must refuse nesting deeper than NOVA_MAX_DEPTH (CMakeLists.txt)");

typedef struct dec {
    arena *a;
    nova_error *err;
    nova_text for_user; /* the request's for_user (s NULL when absent) */
} dec;

/* ------------------------------------------------------------------ paths */

/* One step of the path to the value being decoded — a member key, or an array index when
 * key is NULL — linked to the step above it. Steps live on the decoders' stacks (NULL is
 * the request itself), and the text "context.memories[3].confidence" is built only when
 * an error is reported: a request that decodes cleanly never formats a path. */
typedef struct path {
    const struct path *up;
    const char *key;
    size_t index;
} path;

/* A key as error paths show it (json_prescan.h): the contract's own names unchanged, a
 * memory_summary's keys (the user's text) with '?' for what a path cannot show, and the
 * empty key as [""]. key is UTF-8 (the prescan checked it): one character a lead byte. */
static void key_render(const char *key, char out[JSON_PATH_KEY_SHOWN + 8]) {
    size_t w = 0, shown = 0;
    const unsigned char *k = (const unsigned char *)key;
    if (!*k) {
        memcpy(out, "[\"\"]", 5);
        return;
    }
    for (; *k && shown < JSON_PATH_KEY_SHOWN; shown++) {
        out[w++] = json_path_key_char(*k++);
        while ((*k & 0xC0) == 0x80) k++; /* the rest of a multi-byte character */
    }
    if (*k) {
        memcpy(out + w, "...", 3);
        w += 3;
    }
    out[w] = '\0';
}

/* Writes p after its parents at buf[0..): ".key" ("key" first) or "[i]", cut at cap like
 * the error record cuts it. Returns the length written. The recursion is as deep as the
 * contract's nesting (a handful of levels), never as deep as the input's. */
static size_t path_render(const path *p, char *buf, size_t cap) {
    size_t n = p->up ? path_render(p->up, buf, cap) : 0;
    char key[JSON_PATH_KEY_SHOWN + 8];
    if (p->key) key_render(p->key, key);
    int w = p->key ? nova_snprintf(buf + n, cap - n, "%s%s", n && key[0] != '[' ? "." : "", key)
                   : nova_snprintf(buf + n, cap - n, "[%zu]", p->index);
    if (w > 0) n += (size_t)w < cap - n ? (size_t)w : cap - n - 1;
    return n;
}

/* nova_fail() with the path rendered from `at`; returns 0 for `return fail(...)`. */
static int fail(dec *d, const path *at, nova_status code, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int fail(dec *d, const path *at, nova_status code, const char *fmt, ...) {
    if (d->err->code != NOVA_OK) return 0; /* the first error wins anyway */
    char where[NOVA_ERROR_PATH_MAX];
    where[0] = '\0';
    if (at) path_render(at, where, sizeof where);
    va_list ap;
    va_start(ap, fmt);
    nova_vfail(d->err, code, where, fmt, ap);
    va_end(ap);
    return 0;
}

static const char *type_name(const cJSON *v) {
    if (cJSON_IsNull(v)) return "null";
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsArray(v)) return "an array";
    return "an object";
}

static int fail_type(dec *d, const path *at, const cJSON *v, const char *want) {
    return fail(d, at, NOVA_E_TYPE, "must be %s, not %s", want, type_name(v));
}

/* ------------------------------------------------------------------ members */

/* Looks up member at->key of obj (`at` is the member's path). Sets *v to the member, or
 * to NULL when it is absent, or JSON null and `nullable`; a null that is not allowed is
 * passed on for the type check to report. A second member of the same name is refused:
 * parsers disagree on which one wins. */
static int member(dec *d, const path *at, const cJSON *obj, int required, int nullable,
                  const cJSON **v) {
    const cJSON *found = NULL;
    *v = NULL;
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (!c->string || c->string[0] != at->key[0] || strcmp(c->string, at->key) != 0)
            continue;
        if (found) return fail(d, at, NOVA_E_VALUE, "appears more than once");
        found = c;
    }
    *v = found && !(nullable && cJSON_IsNull(found)) ? found : NULL;
    if (!found && required) return fail(d, at, NOVA_E_MISSING, "is required");
    return 1;
}

/* ------------------------------------------------------------------ scalar values */

typedef enum text_mode {
    TEXT_LINE,   /* sanitized, one line */
    TEXT_BLOCK,  /* sanitized, paragraphs */
    TEXT_MATCH   /* matched, not shown: only ill-formed UTF-8 replaced */
} text_mode;

static int as_text(dec *d, const path *at, const cJSON *v, text_mode mode, size_t cap,
                   nova_text *out) {
    if (!cJSON_IsString(v) || !v->valuestring) return fail_type(d, at, v, "a string");
    const char *s = v->valuestring;
    size_t n = strlen(s); /* json_prescan refused NULs, so this is the whole string */
    if (mode == TEXT_MATCH) {
        /* Refused here rather than in the detector so the path's index is the one in the
         * caller's JSON, before empty items are dropped. */
        *out = sanitize_utf8(d->a, s, n);
        if (out->s && out->len > cap)
            return fail(d, at, NOVA_E_LIMIT, "has %zu bytes; a keyword may have at most %zu",
                        out->len, cap);
    } else
        *out = sanitize_text(d->a, s, n, mode == TEXT_LINE ? SANITIZE_LINE : SANITIZE_BLOCK, cap);
    return out->s != NULL;
}

/* Each hex digit as a UUID stores it (lower case); 0 for every other byte. */
static const char UUID_HEX[256] = {
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4', ['5'] = '5', ['6'] = '6',
    ['7'] = '7', ['8'] = '8', ['9'] = '9', ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd',
    ['e'] = 'e', ['f'] = 'f', ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e',
    ['F'] = 'f'};

/* The hex digits s[0..n) lowered in place; nonzero when one is not a hex digit. */
static unsigned lower_hex(char *s, size_t n) {
    unsigned bad = 0;
    for (size_t i = 0; i < n; i++) {
        char c = UUID_HEX[(unsigned char)s[i]];
        bad |= c == 0;
        s[i] = c;
    }
    return bad;
}

static int as_uuid(dec *d, const path *at, const cJSON *v, nova_text *out) {
    if (!cJSON_IsString(v) || !v->valuestring) return fail_type(d, at, v, "a string");
    /* 8-4-4-4-12, lowered in place: the tree is the call's own (arena) and this string is
     * read once (a refused one is left half-lowered: the call fails). The length first,
     * so the groups are checked without a branch a byte. */
    char *s = v->valuestring;
    if (strlen(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' ||
        (lower_hex(s, 8) | lower_hex(s + 9, 4) | lower_hex(s + 14, 4) | lower_hex(s + 19, 4) |
         lower_hex(s + 24, 12)))
        return fail(d, at, NOVA_E_VALUE,
                    "must be a UUID like 123e4567-e89b-12d3-a456-426614174000");
    out->s = s;
    out->len = 36;
    return 1;
}

/* The position of v's string in names[0..count), for enum members. */
static int as_enum(dec *d, const path *at, const cJSON *v, const char *const *names, int count,
                   int *out) {
    if (!cJSON_IsString(v) || !v->valuestring) return fail_type(d, at, v, "a string");
    for (int i = 0; i < count; i++) {
        if (strcmp(v->valuestring, names[i]) == 0) {
            *out = i;
            return 1;
        }
    }
    char list[200];
    size_t n = 0;
    list[0] = '\0';
    for (int i = 0; i < count; i++) {
        int w = nova_snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", names[i]);
        if (w < 0 || (size_t)w >= sizeof list - n) break;
        n += (size_t)w;
    }
    return fail(d, at, NOVA_E_VALUE, "must be one of: %s", list);
}

static int as_number(dec *d, const path *at, const cJSON *v, double lo, double hi, double *out) {
    if (!cJSON_IsNumber(v)) return fail_type(d, at, v, "a number");
    double x = v->valuedouble;
    if (!(x >= lo && x <= hi)) { /* also refuses infinities (1e999) */
        if (hi == DBL_MAX) return fail(d, at, NOVA_E_VALUE, "must be a finite number >= %g", lo);
        return fail(d, at, NOVA_E_VALUE, "must be between %g and %g", lo, hi);
    }
    *out = x;
    return 1;
}

/* An integer in [lo, hi] (hi <= 2^53, where doubles are still exact). JSON Schema counts
 * 5.0 as an integer; 5.5 is not one. */
static int as_integer(dec *d, const path *at, const cJSON *v, int64_t lo, int64_t hi,
                      int64_t *out) {
    if (!cJSON_IsNumber(v)) return fail_type(d, at, v, "an integer");
    double x = v->valuedouble;
    if (x >= -9007199254740992.0 && x <= 9007199254740992.0 && x != (double)(int64_t)x)
        return fail(d, at, NOVA_E_TYPE, "must be an integer, not %g", x);
    if (!(x >= (double)lo && x <= (double)hi))
        return fail(d, at, NOVA_E_VALUE, "must be an integer from %lld to %lld", (long long)lo,
                    (long long)hi);
    *out = (int64_t)x;
    return 1;
}

static int as_bool(dec *d, const path *at, const cJSON *v, int *out) {
    if (!cJSON_IsBool(v)) return fail_type(d, at, v, "a boolean");
    *out = cJSON_IsTrue(v) ? 1 : 0;
    return 1;
}

/* ------------------------------------------------------------------ timestamps */

static int read_digits(const char *s, size_t count, int *out) {
    int v = 0;
    for (size_t i = 0; i < count; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int is_leap(int y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

static int days_in_month(int y, int m) {
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar: count whole
 * 400-year eras (146097 days each) from 0000-03-01, then the day within the era, with
 * years starting in March so the leap day falls at the end of a year. */
static int64_t days_from_civil(int64_t y, int m, int d) {
    if (m <= 2) y -= 1;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                  /* 0..399 */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* 0..365 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* 0..146096 */
    return era * 146097 + doe - 719468;
}

/* The schema's timestamp: YYYY-MM-DD[T ]HH:MM:SS[.f{1,9}](Z|z|±HH[[:]MM]) — what
 * Postgres (2026-11-25 21:41:34.123456+00) and JavaScript (…T21:41:34.123Z) write.
 * Fractions of a second are dropped; a leap second (:60) counts as the next second. */
static int parse_timestamp(const char *s, size_t n, int64_t *out) {
    int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
    if (n < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
        s[13] != ':' || s[16] != ':')
        return 0;
    if (!read_digits(s, 4, &y) || !read_digits(s + 5, 2, &mo) || !read_digits(s + 8, 2, &d) ||
        !read_digits(s + 11, 2, &h) || !read_digits(s + 14, 2, &mi) ||
        !read_digits(s + 17, 2, &se))
        return 0;
    size_t i = 19;
    if (s[i] == '.') {
        size_t start = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
        if (i == start || i - start > 9) return 0;
    }
    if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        sign = s[i] == '-' ? -1 : 1;
        if (n - i < 3 || !read_digits(s + i + 1, 2, &oh)) return 0;
        i += 3;
        if (i < n && s[i] == ':') i++;
        if (i < n) {
            if (n - i < 2 || !read_digits(s + i, 2, &om)) return 0;
            i += 2;
        } else if (s[i - 1] == ':') {
            return 0; /* "+00:" */
        }
    } else {
        return 0;
    }
    if (i != n) return 0;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        se > 60 || oh > 23 || om > 59)
        return 0;
    int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    *out = t - sign * (int64_t)(oh * 3600 + om * 60);
    return 1;
}

static int as_timestamp(dec *d, const path *at, const cJSON *v, int64_t *out) {
    if (!cJSON_IsString(v) || !v->valuestring) return fail_type(d, at, v, "a string");
    if (!parse_timestamp(v->valuestring, strlen(v->valuestring), out))
        return fail(d, at, NOVA_E_VALUE,
                    "must be an ISO-8601 date-time with a time zone, like 2026-11-25T21:41:34Z");
    return 1;
}

/* ------------------------------------------------------------------ lists */

/* An array (or null when nullable) with at most NOVA_MAX_LIST_ITEMS items. */
static int as_array(dec *d, const path *at, const cJSON *v, size_t *count) {
    if (!cJSON_IsArray(v)) return fail_type(d, at, v, "an array");
    size_t n = 0;
    for (const cJSON *c = v->child; c; c = c->next) n++;
    if (n > NOVA_MAX_LIST_ITEMS)
        return fail(d, at, NOVA_E_LIMIT, "has %zu items; the limit is %u", n,
                    NOVA_MAX_LIST_ITEMS);
    *count = n;
    return 1;
}

/* A list of strings; items that are empty once sanitized are dropped. */
static int as_text_list(dec *d, const path *at, const cJSON *v, text_mode mode, size_t cap,
                        nova_text_list *out) {
    size_t n = 0;
    if (!as_array(d, at, v, &n)) return 0;
    out->items = arena_array(d->a, n ? n : 1, sizeof *out->items);
    if (!out->items) return 0;
    out->count = 0;
    size_t i = 0;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        const path item = {at, NULL, i};
        nova_text t = {NULL, 0};
        if (!as_text(d, &item, c, mode, cap, &t)) return 0;
        if (t.len) out->items[out->count++] = t;
    }
    return 1;
}

/* ------------------------------------------------------------------ fields */

/* Each reads member `key` of obj (whose path is `at`) into *out; an absent (or, where
 * allowed, null) member leaves *out as it is. */

static int f_text(dec *d, const path *at, const cJSON *obj, const char *key, int required,
                  text_mode mode, size_t cap, nova_text *out) {
    const path p = {at, key, 0};
    const cJSON *v;
    return member(d, &p, obj, required, !required, &v) &&
           (!v || as_text(d, &p, v, mode, cap, out));
}

static int f_text_list(dec *d, const path *at, const cJSON *obj, const char *key,
                       text_mode mode, size_t cap, nova_text_list *out) {
    const path p = {at, key, 0};
    const cJSON *v;
    return member(d, &p, obj, 0, 1, &v) && (!v || as_text_list(d, &p, v, mode, cap, out));
}

/* uuid; nullable members (about_user, user_id, partner_user_id) may be null. */
static int f_uuid(dec *d, const path *at, const cJSON *obj, const char *key, int required,
                  nova_text *out) {
    const path p = {at, key, 0};
    const cJSON *v;
    return member(d, &p, obj, required, !required, &v) && (!v || as_uuid(d, &p, v, out));
}

static int f_enum(dec *d, const path *at, const cJSON *obj, const char *key, int required,
                  const char *const *names, int count, int *out) {
    const path p = {at, key, 0};
    const cJSON *v;
    return member(d, &p, obj, required, 0, &v) && (!v || as_enum(d, &p, v, names, count, out));
}

/* text (when not NULL) gets the timestamp as sent. */
static int f_timestamp(dec *d, const path *at, const cJSON *obj, const char *key, int required,
                       int64_t *out, nova_text *text) {
    const path p = {at, key, 0};
    const cJSON *v;
    if (!member(d, &p, obj, required, 0, &v) || (v && !as_timestamp(d, &p, v, out))) return 0;
    if (v && text) {
        text->s = v->valuestring; /* in the arena with the tree */
        text->len = strlen(v->valuestring);
    }
    return 1;
}

/* memory_summary: any JSON object, or null. The user's is flattened into the lines the
 * main_user layer shows (out non-NULL); a reference's is only checked (out NULL): it
 * summarizes the partner's own chats and is never shown. */
/* Every number in v, at any depth, is finite: JSON has no infinity, but a literal beyond
 * the double range (1e400) parses as one, and no text shown for it would be true. The
 * first in document order is named. Recursion as deep as the input's nesting, which the
 * parser has already bounded (and the database keeps memory_summary within 16 levels). */
static int finite_numbers(dec *d, const path *at, const cJSON *v) {
    if (cJSON_IsNumber(v) && (v->valuedouble - v->valuedouble != 0))
        return fail(d, at, NOVA_E_VALUE, "is a number beyond the range of a double (%s): a "
                    "number's magnitude must be at most 1.7976931348623157e+308",
                    v->valuedouble > 0 ? "above it" : "below minus it");
    size_t i = 0;
    for (const cJSON *c = cJSON_IsArray(v) || cJSON_IsObject(v) ? v->child : NULL; c; c = c->next, i++) {
        const path p = cJSON_IsObject(v) ? (path){at, c->string ? c->string : "", 0} : (path){at, NULL, i};
        if (!finite_numbers(d, &p, c)) return 0;
    }
    return 1;
}

static int f_summary(dec *d, const path *at, const cJSON *obj, nova_summary *out) {
    const path p = {at, "memory_summary", 0};
    const cJSON *v;
    if (!member(d, &p, obj, 0, 1, &v)) return 0;
    if (v && !cJSON_IsObject(v)) return fail_type(d, &p, v, "an object or null");
    if (v && !finite_numbers(d, &p, v)) return 0;
    return !out || summary_flatten(d->a, v, out);
}

/* ------------------------------------------------------------------ objects */

static const char *const SETUP_MODES[] = {"pending", "self_written", "quiz_generated"};
static const char *const PARTNERSHIP_STATUSES[] = {"pending", "active", "dissolved"};
static const char *const SOURCES[] = {"ai_generated", "partner_account"};
/* In the order of nova_memory_category / nova_insight_category / nova_insights_mode; the
 * categories are the contract's (rules.h). */
const char *const nova_memory_category_names[NOVA_MEM_CATEGORY_COUNT] = {
    NOVA_RULE_MEMORY_CATEGORIES};
static const char *const INSIGHT_CATEGORIES[] = {NOVA_RULE_INSIGHT_CATEGORIES};
static const char *const INSIGHT_MODES[] = {"auto", "always", "never"};
static const char *const TURN_ROLES[] = {"user", "assistant"};
static const char *const OFFSET_UNITS[] = {"utf8", "utf16"};
_Static_assert(NOVA_RULE_MEMORY_CATEGORY_COUNT == NOVA_MEM_CATEGORY_COUNT,
               "request.h's memory categories are the contract's");
_Static_assert(NOVA_RULE_INSIGHT_CATEGORY_COUNT == NOVA_INS_CATEGORY_COUNT,
               "request.h's insight categories are the contract's");

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* An object member (whose path is `at`) that may be null/absent: *v NULL then. */
static int f_object(dec *d, const path *at, const cJSON *obj, int required, int nullable,
                    const cJSON **v) {
    if (!member(d, at, obj, required, nullable, v)) return 0;
    if (*v && !cJSON_IsObject(*v))
        return fail_type(d, at, *v, nullable ? "an object or null" : "an object");
    return 1;
}

/* The profile columns shared by user_profiles and a partner_account reference;
 * show_summary: flatten memory_summary (the user's) or only check it (a reference's). */
static int profile_fields(dec *d, const path *at, const cJSON *o, nova_profile *p,
                          int show_summary) {
    return f_text(d, at, o, "name", 1, TEXT_LINE, SANITIZE_CAP_NAME, &p->name) &&
           f_text(d, at, o, "tone", 0, TEXT_LINE, SANITIZE_CAP_SHORT, &p->tone) &&
           f_text_list(d, at, o, "interests", TEXT_LINE, SANITIZE_CAP_SHORT, &p->interests) &&
           f_text(d, at, o, "emotional_patterns", 0, TEXT_BLOCK, SANITIZE_CAP_LONG,
                  &p->emotional_patterns) &&
           f_text(d, at, o, "communication_style", 0, TEXT_LINE, SANITIZE_CAP_SHORT,
                  &p->communication_style) &&
           f_summary(d, at, o, show_summary ? &p->memory_summary : NULL);
}

static int decode_user(dec *d, const path *at, const cJSON *o, nova_profile *p) {
    if (!profile_fields(d, at, o, p, 1)) return 0;
    int mode = -1;
    if (!f_enum(d, at, o, "setup_mode", 0, SETUP_MODES, COUNT(SETUP_MODES), &mode)) return 0;
    if (mode >= 0) {
        p->setup_mode.s = SETUP_MODES[mode];
        p->setup_mode.len = strlen(SETUP_MODES[mode]);
    }
    const path pv = {at, "version", 0};
    const cJSON *v;
    return member(d, &pv, o, 0, 1, &v) &&
           (!v || as_integer(d, &pv, v, 0, INT64_C(9007199254740992), &p->version));
}

static int decode_partnership(dec *d, const path *at, const cJSON *o, nova_partnership *p) {
    int status = 0;
    if (!f_uuid(d, at, o, "id", 1, &p->id) ||
        !f_enum(d, at, o, "status", 1, PARTNERSHIP_STATUSES, COUNT(PARTNERSHIP_STATUSES),
                &status) ||
        !f_uuid(d, at, o, "partner_user_id", 0, &p->partner_user_id))
        return 0;
    p->status = (nova_partnership_status)status;
    return 1;
}

/* Both sources accept every reference member: partner_profiles rows and a partner's
 * user_profiles row differ only in which ones the database fills. */
static int decode_reference(dec *d, const path *at, const cJSON *o, nova_reference *r) {
    int source = 0;
    if (!f_enum(d, at, o, "source", 1, SOURCES, COUNT(SOURCES), &source)) return 0;
    r->source = (nova_reference_source)source;
    return f_uuid(d, at, o, "user_id", 0, &r->user_id) && profile_fields(d, at, o, &r->profile, 0) &&
           f_text_list(d, at, o, "traits", TEXT_LINE, SANITIZE_CAP_SHORT, &r->traits) &&
           f_text_list(d, at, o, "relational_tendencies", TEXT_LINE, SANITIZE_CAP_SHORT,
                       &r->relational_tendencies) &&
           f_text_list(d, at, o, "important_truths", TEXT_LINE, SANITIZE_CAP_SHORT,
                       &r->important_truths) &&
           f_text(d, at, o, "ai_notes", 0, TEXT_BLOCK, SANITIZE_CAP_LONG, &r->ai_notes);
}

static int decode_detection(dec *d, const path *at, const cJSON *o, nova_detection_config *c) {
    const size_t cap = NOVA_MAX_KEYWORD_BYTES;
    if (!f_text_list(d, at, o, "partner_names", TEXT_MATCH, cap, &c->partner_names)) return 0;
    const path pk = {at, "custom_keywords", 0};
    const cJSON *kw;
    int ok = f_object(d, &pk, o, 0, 1, &kw) &&
             (!kw || (f_text_list(d, &pk, kw, "strong", TEXT_MATCH, cap, &c->strong) &&
                      f_text_list(d, &pk, kw, "medium", TEXT_MATCH, cap, &c->medium) &&
                      f_text_list(d, &pk, kw, "weak", TEXT_MATCH, cap, &c->weak)));
    if (!ok) return 0;
    const path pt = {at, "relationship_threshold", 0};
    const cJSON *v;
    if (!member(d, &pt, o, 0, 1, &v) ||
        (v && !as_number(d, &pt, v, 0, DBL_MAX, &c->relationship_threshold)))
        return 0;
    /* Compared as the result shows it (6 decimals), so the two never disagree. */
    c->relationship_threshold = nova_number_shown(c->relationship_threshold);
    return 1;
}

static int f_is_active(dec *d, const path *at, const cJSON *o, int *out) {
    const path p = {at, "is_active", 0};
    const cJSON *v;
    return member(d, &p, o, 0, 0, &v) && (!v || as_bool(d, &p, v, out));
}

static int decode_memory(dec *d, const path *at, const cJSON *o, nova_memory *m) {
    int category = 0;
    m->is_active = 1;
    if (!f_uuid(d, at, o, "id", 1, &m->id) ||
        !f_enum(d, at, o, "category", 1, nova_memory_category_names, NOVA_MEM_CATEGORY_COUNT,
                &category) ||
        !f_uuid(d, at, o, "about_user", 0, &m->about_user) ||
        !f_text(d, at, o, "content", 1, TEXT_BLOCK, SANITIZE_CAP_LONG, &m->content))
        return 0;
    m->category = (nova_memory_category)category;
    const path pc = {at, "confidence", 0};
    const cJSON *v;
    return member(d, &pc, o, 1, 0, &v) && as_number(d, &pc, v, 0, 1, &m->confidence) &&
           f_timestamp(d, at, o, "updated_at", 1, &m->updated_at, &m->updated_at_text) &&
           f_is_active(d, at, o, &m->is_active);
}

static int decode_insight(dec *d, const path *at, const cJSON *o, nova_insight *n) {
    int category = 0;
    n->is_active = 1;
    if (!f_uuid(d, at, o, "id", 1, &n->id) ||
        !f_enum(d, at, o, "category", 1, INSIGHT_CATEGORIES, COUNT(INSIGHT_CATEGORIES),
                &category) ||
        !f_uuid(d, at, o, "about_user", 0, &n->about_user) ||
        !f_text(d, at, o, "title", 1, TEXT_LINE, SANITIZE_CAP_SHORT, &n->title) ||
        !f_text(d, at, o, "content", 1, TEXT_BLOCK, SANITIZE_CAP_LONG, &n->content))
        return 0;
    n->category = (nova_insight_category)category;
    return f_timestamp(d, at, o, "updated_at", 1, &n->updated_at, NULL) &&
           f_is_active(d, at, o, &n->is_active);
}

static int decode_turn(dec *d, const path *at, const cJSON *o, nova_turn *t) {
    int role = 0;
    if (!f_enum(d, at, o, "role", 1, TURN_ROLES, COUNT(TURN_ROLES), &role)) return 0;
    t->role = (nova_turn_role)role;
    return f_text(d, at, o, "content", 1, TEXT_BLOCK, 0, &t->content);
}

/* context.memories / context.insights, transcript: arrays of objects, each decoded by
 * `item`. */
typedef int (*item_fn)(dec *d, const path *at, const cJSON *o, void *out, size_t index);

static int memory_item(dec *d, const path *at, const cJSON *o, void *out, size_t index) {
    nova_memory *m = (nova_memory *)out + index;
    m->index = index;
    return decode_memory(d, at, o, m);
}

static int insight_item(dec *d, const path *at, const cJSON *o, void *out, size_t index) {
    nova_insight *n = (nova_insight *)out + index;
    n->index = index;
    return decode_insight(d, at, o, n);
}

static int turn_item(dec *d, const path *at, const cJSON *o, void *out, size_t index) {
    return decode_turn(d, at, o, (nova_turn *)out + index);
}

/* A required list may not be null. */
static int f_items(dec *d, const path *at, const cJSON *ctx, const char *key, int required,
                   size_t size, item_fn item, void **out, size_t *count) {
    const path p = {at, key, 0};
    const cJSON *v;
    size_t n = 0;
    int ok = member(d, &p, ctx, required, !required, &v) && (!v || as_array(d, &p, v, &n));
    if (ok && v) {
        *out = arena_array(d->a, n ? n : 1, size);
        ok = *out != NULL;
        size_t i = 0;
        for (const cJSON *c = v->child; ok && c; c = c->next, i++) {
            const path pi = {&p, NULL, i};
            ok = cJSON_IsObject(c) ? item(d, &pi, c, *out, i) : fail_type(d, &pi, c, "an object");
        }
        if (ok) *count = n;
    }
    return ok;
}

/* With for_user, the context is nova_prompt_context(for_user)'s answer ($defs/prompt_context):
 * its user_id is for_user and every database member is present (null where the schema
 * allows it), so a context of another user, or one the database no longer sends whole
 * (a renamed column), is refused instead of becoming a prompt. */
static int decode_context(dec *d, const path *at, const cJSON *ctx, nova_request *r) {
    const cJSON *v = NULL;
    int ok;
    const int db = d->for_user.s != NULL; /* the database members are required */

    if (!f_uuid(d, at, ctx, "user_id", 1, &r->user_id)) return 0;
    if (db && memcmp(r->user_id.s, d->for_user.s, 36) != 0) {
        const path pi = {at, "user_id", 0};
        return fail(d, &pi, NOVA_E_VALUE, "is %s, not for_user %s: the context of another user",
                    r->user_id.s, d->for_user.s);
    }

    const path pu = {at, "user", 0};
    ok = f_object(d, &pu, ctx, db, 1, &v) && (!v || decode_user(d, &pu, v, &r->user));
    r->has_user = v != NULL;
    if (!ok) return 0;

    if (!f_text(d, at, ctx, "fallback_name", 0, TEXT_LINE, SANITIZE_CAP_NAME, &r->fallback_name))
        return 0;
    if (sanitize_is_blank(r->fallback_name)) {
        r->fallback_name.s = NOVA_NO_NAME;
        r->fallback_name.len = sizeof NOVA_NO_NAME - 1;
    }

    const path pp = {at, "partnership", 0};
    ok = f_object(d, &pp, ctx, db, 1, &v) && (!v || decode_partnership(d, &pp, v, &r->partnership));
    r->has_partnership = v != NULL;
    if (!ok) return 0;

    const path pr = {at, "reference", 0};
    ok = f_object(d, &pr, ctx, db, 1, &v) && (!v || decode_reference(d, &pr, v, &r->reference));
    r->has_reference = v != NULL;
    if (!ok) return 0;

    const path pd = {at, "detection", 0};
    ok = f_object(d, &pd, ctx, db, 1, &v) && (!v || decode_detection(d, &pd, v, &r->detection));
    r->has_detection = v != NULL;
    if (!ok) return 0;

    void *items = NULL;
    if (!f_items(d, at, ctx, "memories", db, sizeof(nova_memory), memory_item, &items,
                 &r->memory_count))
        return 0;
    r->memories = items;
    items = NULL;
    if (!f_items(d, at, ctx, "insights", db, sizeof(nova_insight), insight_item, &items,
                 &r->insight_count))
        return 0;
    r->insights = items;

    return f_text(d, at, ctx, "chat_memory_summary", 0, TEXT_BLOCK, SANITIZE_CAP_SUMMARY,
                  &r->chat_memory_summary);
}

static int decode_options(dec *d, const path *at, const cJSON *o, nova_request *r) {
    const path pm = {at, "max_chars", 0};
    const cJSON *v;
    int64_t max_chars = NOVA_DEFAULT_MAX_CHARS;
    if (!member(d, &pm, o, 0, 0, &v) || (v && !as_integer(d, &pm, v, 1, 1000000, &max_chars)))
        return 0;
    r->max_chars = (size_t)max_chars;

    int mode = NOVA_INSIGHTS_AUTO;
    if (!f_enum(d, at, o, "insights", 0, INSIGHT_MODES, COUNT(INSIGHT_MODES), &mode)) return 0;
    r->insights_mode = (nova_insights_mode)mode;

    int units = 0;
    if (!f_enum(d, at, o, "offsets", 0, OFFSET_UNITS, COUNT(OFFSET_UNITS), &units)) return 0;
    r->offsets_utf16 = units == 1;

    int ok = f_timestamp(d, at, o, "now", 0, &r->now, &r->now_text);
    r->has_now = ok && r->now_text.s != NULL;
    return ok;
}

/* A required string member kept as the original bytes (the tree is in the arena): the
 * message (the detector reports offsets into it) and the model's output (memory ops read
 * it, nothing shows it). */
static int f_raw_text(dec *d, const cJSON *root, const char *key, nova_text *out) {
    const path p = {NULL, key, 0};
    const cJSON *v;
    if (!member(d, &p, root, 1, 0, &v) ||
        !((cJSON_IsString(v) && v->valuestring) || fail_type(d, &p, v, "a string")))
        return 0;
    out->s = v->valuestring;
    out->len = strlen(v->valuestring);
    return 1;
}

static int decode_root(dec *d, nova_request_kind kind, const cJSON *root, nova_request *r) {
    if (!cJSON_IsObject(root))
        return fail(d, NULL, NOVA_E_TYPE, "the request must be an object, not %s",
                    type_name(root));
    const cJSON *v;
    const path pf = {NULL, "for_user", 0}; /* a UUID when present (null is no user) */
    if (!member(d, &pf, root, 0, 0, &v) || (v && !as_uuid(d, &pf, v, &d->for_user))) return 0;
    const path pc = {NULL, "context", 0};
    if (!f_object(d, &pc, root, 1, 0, &v) || !decode_context(d, &pc, v, r)) return 0;

    void *turns = NULL;
    switch (kind) {
    case NOVA_REQUEST_ASSEMBLE:
        if (!f_raw_text(d, root, "message", &r->message)) return 0;
        break;
    case NOVA_REQUEST_MEMORY_PROMPT:
        if (!f_items(d, NULL, root, "transcript", 1, sizeof(nova_turn), turn_item, &turns,
                     &r->turn_count))
            return 0;
        r->transcript = turns;
        break;
    case NOVA_REQUEST_MEMORY_OPS:
        if (!f_raw_text(d, root, "llm_output", &r->llm_output)) return 0;
        break;
    }

    const path po = {NULL, "options", 0};
    return f_object(d, &po, root, 0, 0, &v) && (!v || decode_options(d, &po, v, r));
}

/* ------------------------------------------------------------------ entry points */

static int is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Raw bytes to a cJSON tree in the arena. The full prescan (json_prescan.h) runs when the
 * bytes need it, or to explain a refusal: when cJSON refuses the text, or some string
 * may be over a limit, the prescan's error (the first problem in the text) is reported
 * if there is one, else cJSON's. That is the order a prescan before every parse gave. */
static nova_status parse(arena *a, const char *json, size_t len, cJSON **root, nova_error *err) {
    json_text t;
    int scanned = !json_prescan_trivial(json, len, &t);
    nova_status st = scanned ? json_prescan(a, json, len, &t, err) : NOVA_OK;
    size_t end = 0, longest = 0;
    if (st == NOVA_OK) st = json_parse(a, t.text, t.len, root, &end, &longest, err);
    if (st != NOVA_OK) return st;
    size_t rest = end;
    while (rest < t.len && is_json_space(t.text[rest])) rest++;
    if (!scanned && (!*root || rest < t.len || longest > NOVA_MAX_STRING_BYTES)) {
        st = json_prescan(a, json, len, &t, err);
        if (st != NOVA_OK) return st;
    }
    if (!*root) { /* located again: cJSON's position means different things (json_syntax.h) */
        size_t at = json_syntax_error_at(t.text, t.len);
        return nova_fail(err, NOVA_E_JSON, "", "not well-formed JSON (byte %zu)",
                         t.offset + (at == JSON_SYNTAX_OK ? end : at));
    }
    if (rest < t.len)
        return nova_fail(err, NOVA_E_JSON, "", "unexpected data after the JSON value (byte %zu)",
                         t.offset + rest);
    return NOVA_OK;
}

/* A detector configuration ($defs/detector_config): the detection config's members at
 * the top level, plus reference_name (a name, sanitized and capped like one). Fills
 * req->detection and, when reference_name is a string, req->reference.profile.name. */
static int decode_detector_root(dec *d, nova_request_kind kind, const cJSON *root,
                                nova_request *r) {
    (void)kind;
    if (!cJSON_IsObject(root))
        return fail(d, NULL, NOVA_E_TYPE, "the detector configuration must be an object, not %s",
                    type_name(root));
    r->has_detection = 1;
    if (!decode_detection(d, NULL, root, &r->detection) ||
        !f_text(d, NULL, root, "reference_name", 0, TEXT_LINE, SANITIZE_CAP_NAME,
                &r->reference.profile.name))
        return 0;
    r->has_reference = r->reference.profile.name.s != NULL;
    return 1;
}

typedef int (*root_fn)(dec *d, nova_request_kind kind, const cJSON *root, nova_request *r);

/* What both decoders share: the defaults, the prescan, the parse; read reads the members. */
static nova_status decode_with(arena *a, nova_request_kind kind, const char *json, size_t len,
                               nova_request *req, nova_error *err, root_fn read) {
    memset(req, 0, sizeof *req);
    req->fallback_name.s = NOVA_NO_NAME;
    req->fallback_name.len = sizeof NOVA_NO_NAME - 1;
    req->detection.relationship_threshold = NOVA_DEFAULT_THRESHOLD;
    req->max_chars = NOVA_DEFAULT_MAX_CHARS;
    req->insights_mode = NOVA_INSIGHTS_AUTO;

    cJSON *root = NULL;
    nova_status st = parse(a, json, len, &root, err);
    if (st != NOVA_OK) return st;
    dec d = {a, err, {NULL, 0}};
    if (read(&d, kind, root, req)) return NOVA_OK;
    return err->code != NOVA_OK ? err->code : NOVA_E_NOMEM;
}

nova_status request_decode(arena *a, nova_request_kind kind, const char *json, size_t len,
                           nova_request *req, nova_error *err) {
    return decode_with(a, kind, json, len, req, err, decode_root);
}

nova_status request_decode_detector(arena *a, const char *json, size_t len, nova_request *req,
                                    nova_error *err) {
    return decode_with(a, NOVA_REQUEST_ASSEMBLE, json, len, req, err, decode_detector_root);
}
