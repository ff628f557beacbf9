/* memory_norm — memory_norm.h says what is kept of a text and why. */
#include "memory_norm.h"

#include "casefold.h"
#include "utf8.h"
#include "wordchar.h"

/* Punctuation outside ASCII: the Latin-1 marks, General and Supplemental Punctuation,
 * CJK, vertical, small and fullwidth forms. Inclusive ranges, sorted. */
static const uint32_t PUNCT[][2] = {
    {0x00A1, 0x00A1}, {0x00A7, 0x00A8}, {0x00AB, 0x00AB}, {0x00B4, 0x00B4}, {0x00B6, 0x00B8},
    {0x00BB, 0x00BB}, {0x00BF, 0x00BF}, {0x2010, 0x2027}, {0x2030, 0x205E}, {0x2E00, 0x2E7F},
    {0x3001, 0x3003}, {0x3008, 0x3011}, {0x3014, 0x301F}, {0x30FB, 0x30FB}, {0xFE10, 0xFE19},
    {0xFE30, 0xFE6B}, {0xFF01, 0xFF0F}, {0xFF1A, 0xFF20}, {0xFF3B, 0xFF40}, {0xFF5B, 0xFF65},
};

static int is_ascii_alnum(uint32_t c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int left_out(uint32_t c) {
    if (c < 0x80) return !is_ascii_alnum(c); /* ASCII folded from another code point */
    if (wordchar_is_space(c) || casefold_is_dropped(c)) return 1;
    for (size_t i = 0; i < sizeof PUNCT / sizeof PUNCT[0] && PUNCT[i][0] <= c; i++)
        if (c <= PUNCT[i][1]) return 1;
    return 0;
}

nova_text memory_norm(arena *a, nova_text t) {
    nova_text r = {NULL, 0};
    /* Folding maps one code point to one; whatever its length, it never needs more than
     * 3 bytes per input byte (a U+FFFD for a lone bad byte is the worst case). */
    char *out = arena_alloc(a, 3 * t.len + 1);
    if (!out) return r;
    const unsigned char *p = (const unsigned char *)t.s;
    size_t i = 0, n = 0;
    while (i < t.len) {
        if (p[i] < 0x80) { /* most text: kept when a letter or digit, lowercased */
            unsigned char b = p[i++];
            if (b >= 'A' && b <= 'Z') out[n++] = (char)(b + 32);
            else if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')) out[n++] = (char)b;
            continue;
        }
        uint32_t c;
        i += utf8_decode(p + i, t.len - i, &c);
        c = casefold_cp(c);
        if (left_out(c)) continue;
        n += utf8_encode(c, out + n);
    }
    out[n] = '\0';
    r.s = out;
    r.len = n;
    return r;
}
