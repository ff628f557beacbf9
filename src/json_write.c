/*
 * json_write — the direct JSON writer (json_write.h).
 */
#include "json_write.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "swar.h"

void json_out_init(json_out *o, size_t hint) {
    o->len = 0;
    o->cap = hint < 64 ? 64 : hint;
    o->buf = malloc(o->cap);
    o->failed = o->buf == NULL;
}

/* Room for n more bytes (and the final NUL). */
static int reserve(json_out *o, size_t n) {
    if (o->failed) return 0;
    if (o->cap - o->len > n) return 1;
    size_t cap = o->cap;
    if (n < SIZE_MAX / 4 - o->len) /* else fail: no buffer of that size */
        while (cap - o->len <= n) cap *= 2;
    char *p = cap - o->len > n ? realloc(o->buf, cap) : NULL;
    if (!p) {
        free(o->buf);
        o->buf = NULL;
        o->failed = 1;
        return 0;
    }
    o->buf = p;
    o->cap = cap;
    return 1;
}

void json_raw(json_out *o, const char *s, size_t n) {
    if (!reserve(o, n)) return;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

/* What each byte becomes after a backslash: 0 for a byte written as it is, 'u' for
 * \u00xx. cJSON's choice, so results read as they did when cJSON printed them. */
static const char ESCAPE[256] = {
    ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't',
    [0x00] = 'u', [0x01] = 'u', [0x02] = 'u', [0x03] = 'u', [0x04] = 'u', [0x05] = 'u',
    [0x06] = 'u', [0x07] = 'u', [0x0B] = 'u', [0x0E] = 'u', [0x0F] = 'u', [0x10] = 'u',
    [0x11] = 'u', [0x12] = 'u', [0x13] = 'u', [0x14] = 'u', [0x15] = 'u', [0x16] = 'u',
    [0x17] = 'u', [0x18] = 'u', [0x19] = 'u', [0x1A] = 'u', [0x1B] = 'u', [0x1C] = 'u',
    [0x1D] = 'u', [0x1E] = 'u', [0x1F] = 'u', ['"'] = '"', ['\\'] = '\\',
};

/* The length of the run of bytes at p[0..n) that are written as they are, eight bytes a
 * step (swar.h): the first byte below 0x20, quote or backslash ends it. */
static size_t plain_run(const unsigned char *p, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x = swar_load(p + i);
        uint64_t m = swar_below(x, 0x20) | swar_equal(x, '"') | swar_equal(x, '\\');
        if (m) return i + swar_first(m);
    }
    while (i < n && !ESCAPE[p[i]]) i++;
    return i;
}

void json_string(json_out *o, nova_text s) {
    const unsigned char *p = (const unsigned char *)(s.s ? s.s : "");
    size_t n = s.s ? s.len : 0, i = 0;
    /* Room for the quotes and the text as it is; more only as escapes need it. */
    if (!reserve(o, n + 2)) return;
    char *w = o->buf + o->len;
    *w++ = '"';
    for (;;) {
        size_t run = plain_run(p + i, n - i);
        memcpy(w, p + i, run);
        w += run;
        i += run;
        if (i == n) break;
        /* An escape takes up to 6 bytes where the byte took 1; what is left of the text
         * (and the closing quote) must still fit. */
        o->len = (size_t)(w - o->buf);
        if (!reserve(o, 6 + (n - i) + 1)) return;
        w = o->buf + o->len;
        unsigned char c = p[i++];
        char e = ESCAPE[c];
        *w++ = '\\';
        if (e == 'u') {
            static const char hex[] = "0123456789abcdef";
            memcpy(w, "u00", 3);
            w[3] = hex[c >> 4];
            w[4] = hex[c & 15];
            w += 5;
        } else {
            *w++ = e;
        }
    }
    *w++ = '"';
    o->len = (size_t)(w - o->buf);
}

void json_cstring(json_out *o, const char *s) {
    json_string(o, (nova_text){s, s ? strlen(s) : 0});
}

void json_uint(json_out *o, size_t v) {
    char digits[24];
    size_t k = sizeof digits;
    do {
        digits[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    json_raw(o, digits + k, sizeof digits - k);
}

void json_bool(json_out *o, int v) {
    if (v)
        JSON_LIT(o, "true");
    else
        JSON_LIT(o, "false");
}

void json_number(json_out *o, double v) {
    char buf[NOVA_NUMBER_BUF];
    nova_format_number(v, buf);
    json_raw(o, buf, strlen(buf));
}

char *json_out_finish(json_out *o, size_t *len) {
    if (!reserve(o, 0)) return NULL;
    o->buf[o->len] = '\0';
    *len = o->len;
    return o->buf;
}
