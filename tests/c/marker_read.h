/*
 * marker_read — how a reader (a model) sees a '<' in a prompt, for the tests that check
 * no value wrote a marker (header-only): white space, '/' and every invisible character
 * (any default-ignorable: ZWJ, variation selectors, CGJ, zero-width, tags, ...) skipped,
 * then "nova" in any case, invisibles skipped between its letters too. Stricter than the
 * sanitizer's own check on purpose: it decodes and knows the characters pass 1 removes.
 */
#ifndef NOVA_TEST_MARKER_READ_H
#define NOVA_TEST_MARKER_READ_H

#include <stddef.h>
#include <stdint.h>


static int marker_invisible(uint32_t cp) {
    return cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0000 && cp <= 0xE0FFF) ||
           cp == 0x034F || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x206F) ||
           cp == 0xFEFF || cp == 0xAD || (cp >= 0xFFF0 && cp <= 0xFFF8) || cp == 0x180E ||
           cp == 0x061C || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0;
}

/* The code point at p (n > 0 bytes left) into *cp; its byte length. Lenient: a byte that
 * starts no well-formed sequence is taken alone (the prompts under test are valid). */
static size_t marker_decode(const unsigned char *p, size_t n, uint32_t *cp) {
    size_t w = p[0] < 0x80 ? 1 : p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 1;
    if (w > n) w = 1;
    uint32_t c = w == 1 ? p[0] : (uint32_t)(p[0] & (0x7F >> w));
    for (size_t k = 1; k < w; k++) c = (c << 6) | (p[k] & 0x3F);
    *cp = c;
    return w;
}

/* Does the '<' at t[i] read as the start of a marker? */
static int reads_as_marker(const char *t, size_t n, size_t i) {
    size_t j = i + 1, k = 0;
    while (j < n && k < 4) {
        uint32_t cp;
        size_t w = marker_decode((const unsigned char *)t + j, n - j, &cp);
        if (marker_invisible(cp) || (!k && (cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r' || cp == '/'))) {
            j += w;
            continue;
        }
        if ((cp | 0x20) != (uint32_t)"nova"[k]) return 0;
        k++;
        j += w;
    }
    return k == 4;
}

#endif
