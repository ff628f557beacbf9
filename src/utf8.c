#include "utf8.h"

#include "swar.h"


/* The length of the ASCII run at p[0..n), eight bytes a step (most text is ASCII). */
static size_t ascii_run(const unsigned char *p, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        if (swar_load(p + i) & SWAR_HIGHS) break;
    }
    while (i < n && p[i] < 0x80) i++;
    return i;
}

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
    unsigned char b0 = s[0];
    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    /* Lead byte: number of continuation bytes and the valid range of the first one
     * (the narrowed ranges exclude overlongs, surrogates and > U+10FFFF). */
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    uint32_t c;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
        c = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        c = b0 & 0x0Fu;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        c = b0 & 0x07u;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        *cp = UTF8_REPLACEMENT;
        return 1;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= n || s[i] < lo || s[i] > hi) {
            /* The maximal subpart ends before the offending byte. */
            *cp = UTF8_REPLACEMENT;
            return i;
        }
        c = (c << 6) | (s[i] & 0x3Fu);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = c;
    return i;
}

size_t utf8_encode(uint32_t cp, char out[4]) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t utf8_count(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t count = 0, i = 0;
    while (i < n) {
        size_t run = ascii_run(p + i, n - i);
        i += run;
        count += run;
        if (i == n) break;
        uint32_t cp;
        i += utf8_decode(p + i, n - i, &cp);
        count++;
    }
    return count;
}

size_t utf8_chars(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, continuation = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x = swar_load(p + i);
        /* 10xxxxxx: the high bit set and the next one clear; one bit a byte, summed
         * into the top byte by the multiplication (no popcount instruction needed) */
        uint64_t c = (x & ~(x << 1) & SWAR_HIGHS) >> 7;
        continuation += (size_t)((c * SWAR_ONES) >> 56);
    }
    for (; i < n; i++) continuation += (p[i] & 0xC0) == 0x80;
    return n - continuation;
}

int utf8_valid(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        i += ascii_run(p + i, n - i);
        if (i == n) break;
        uint32_t cp;
        size_t k = utf8_decode(p + i, n - i, &cp);
        /* A genuine U+FFFD in the input is 3 bytes; a substitution is shorter or at a
         * position where the bytes are not EF BF BD. */
        if (cp == UTF8_REPLACEMENT && !(k == 3 && p[i] == 0xEF && p[i + 1] == 0xBF && p[i + 2] == 0xBD))
            return 0;
        i += k;
    }
    return 1;
}
