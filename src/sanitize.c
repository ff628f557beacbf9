/*
 * sanitize — the rules are listed in sanitize.h. Two passes:
 *   1. decode, classify each code point (line break, space, removed, emoji glue, visible)
 *      and lay out white space for the kind, counting code points and '<';
 *   2. only when needed: neutralize markers and apply the cap.
 * Markers are checked after pass 1 on purpose: removing an invisible character or
 * collapsing white space can bring '<' and "nova" together, so the check must see the
 * text as it will be printed.
 */
#include "sanitize.h"

#include <string.h>

#include "swar.h"
#include "utf8.h"

typedef enum cp_class {
    CP_VISIBLE,
    CP_SPACE,
    CP_BREAK,
    CP_REMOVE,
    CP_ZWJ,
    CP_SELECTOR
} cp_class;

static cp_class classify(uint32_t c) {
    if (c < 0x20) {
        if (c == '\t') return CP_SPACE;
        if (c == '\n' || c == '\r' || c == 0x0B || c == 0x0C) return CP_BREAK;
        return CP_REMOVE;
    }
    if (c < 0x7F) return c == ' ' ? CP_SPACE : CP_VISIBLE;
    if (c <= 0x9F) return c == 0x85 ? CP_BREAK : CP_REMOVE; /* DEL and C1 */
    if (c == 0xA0) return CP_SPACE;
    if (c < 0x2000) {
        if (c == 0xAD || c == 0x34F || c == 0x61C || c == 0x115F || c == 0x1160 ||
            c == 0x17B4 || c == 0x17B5 || (c >= 0x180B && c <= 0x180F))
            return CP_REMOVE;
        return c == 0x1680 ? CP_SPACE : CP_VISIBLE;
    }
    if (c < 0x2070) {
        if (c <= 0x200A || c == 0x202F || c == 0x205F) return CP_SPACE;
        if (c == 0x200D) return CP_ZWJ;
        if (c <= 0x200F) return CP_REMOVE;             /* ZWSP, ZWNJ, LRM, RLM */
        if (c == 0x2028 || c == 0x2029) return CP_BREAK;
        if (c >= 0x202A && c <= 0x202E) return CP_REMOVE; /* bidi embeddings, overrides */
        if (c >= 0x2060) return CP_REMOVE;             /* word joiner .. bidi isolates, deprecated format */
        return CP_VISIBLE;
    }
    if (c == 0x3000) return CP_SPACE;
    if (c == 0x3164 || c == 0xFEFF || c == 0xFFA0 || (c >= 0xFFF9 && c <= 0xFFFB))
        return CP_REMOVE;
    if (c >= 0xFE00 && c <= 0xFE0F) return CP_SELECTOR;
    if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFEu) == 0xFFFEu) return CP_REMOVE; /* nonchars */
    if ((c >= 0x1BCA0 && c <= 0x1BCA3) || (c >= 0x1D173 && c <= 0x1D17A)) return CP_REMOVE;
    if (c >= 0xE0000 && c <= 0xE007F) return CP_REMOVE; /* tags */
    if (c >= 0xE0100 && c <= 0xE01EF) return CP_SELECTOR;
    return CP_VISIBLE;
}

/* Pass 1 output and the layout state. */
typedef struct layout {
    char *out;
    size_t len;
    size_t chars;     /* code points written */
    size_t lt;        /* '<' written */
    sanitize_kind kind;
    size_t spaces;    /* pending spaces (LINE: 0 or more, all collapse to one) */
    size_t breaks;    /* pending line breaks (BLOCK only) */
    int zwj;          /* a ZWJ waits for the next visible character */
    cp_class prev;    /* CP_VISIBLE, CP_SELECTOR, CP_ZWJ, or CP_SPACE for "none" */
} layout;

static void put_byte(layout *l, char b) {
    l->out[l->len++] = b;
    l->chars++;
}

static void put_cp(layout *l, uint32_t c) {
    if (c < 0x80)
        l->out[l->len++] = (char)c;
    else
        l->len += utf8_encode(c, l->out + l->len);
    l->chars++;
}

/* Writes the white space waiting before a visible character; none at the very start. */
static void flush_space(layout *l) {
    if (l->len > 0) {
        if (l->kind == SANITIZE_LINE) {
            if (l->spaces) put_byte(l, ' ');
        } else {
            for (size_t i = 0; i < l->breaks && i < 2; i++) put_byte(l, '\n');
            for (size_t i = 0; i < l->spaces; i++) put_byte(l, ' ');
        }
    }
    l->spaces = l->breaks = 0;
}

static void lay_out(layout *l, uint32_t c) {
    switch (classify(c)) {
    case CP_VISIBLE:
        flush_space(l);
        if (l->zwj) put_cp(l, 0x200D);
        l->zwj = 0;
        if (c == '<') l->lt++;
        put_cp(l, c);
        l->prev = CP_VISIBLE;
        return;
    case CP_SPACE:
        l->spaces++;
        l->zwj = 0;
        l->prev = CP_SPACE;
        return;
    case CP_BREAK:
        if (l->kind == SANITIZE_LINE) {
            l->spaces++;
        } else {
            l->breaks++;
            l->spaces = 0; /* trailing spaces of the line end here */
        }
        l->zwj = 0;
        l->prev = CP_SPACE;
        return;
    case CP_ZWJ:
        if (l->prev == CP_VISIBLE || l->prev == CP_SELECTOR) {
            l->zwj = 1;
            l->prev = CP_ZWJ;
        }
        return;
    case CP_SELECTOR:
        if (l->prev == CP_VISIBLE) {
            put_cp(l, c);
            l->prev = CP_SELECTOR;
        }
        return;
    case CP_REMOVE:
        return;
    }
}

static int is_space_byte(char b) { return b == ' ' || b == '\n'; }

/* The byte length of the default-ignorable character pass 1 kept at t[j], else 0: the
 * emoji glue (ZWJ, variation selectors) and the unassigned default-ignorables (U+FFF0-FFF8,
 * U+E0080-E0FFF; kept as the database's visible-text rule counts them). All render as
 * nothing, so a marker with one inside ("</\u200Dnova", "<nov\uFE0Fa") reads as the
 * marker itself. */
static size_t glue_at(const char *t, size_t n, size_t j) {
    const unsigned char *p = (const unsigned char *)t + j;
    if (n - j >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x8D) return 3; /* U+200D */
    if (n - j >= 3 && p[0] == 0xEF && p[1] == 0xB8 && p[2] >= 0x80 && p[2] <= 0x8F)
        return 3; /* U+FE00-FE0F */
    if (n - j >= 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xB0 && p[2] <= 0xB8)
        return 3; /* U+FFF0-FFF8 */
    if (n - j >= 4 && p[0] == 0xF3 && p[1] == 0xA0) return 4; /* U+E0000-E0FFF (tags removed) */
    return 0;
}

/* Does the '<' at t[i] start something that reads as a marker ("<nova", "< / NOVA",
 * "<//nova", "</\u200Dnova")? Slashes, white space and emoji glue in any mix before
 * "nova", glue between its letters: stricter than the assembler's own syntax, so
 * near-misses a model might still read as a tag are neutralized too. */
static int starts_marker(const char *t, size_t n, size_t i) {
    size_t j = i + 1, g;
    for (;;) {
        if (j < n && (is_space_byte(t[j]) || t[j] == '/')) j++;
        else if (j < n && (g = glue_at(t, n, j)) != 0) j += g;
        else break;
    }
    static const char nova[4] = {'n', 'o', 'v', 'a'};
    for (size_t k = 0; k < 4; k++) {
        while (k && j < n && (g = glue_at(t, n, j)) != 0) j += g;
        if (j >= n) return 0;
        char b = t[j++];
        if (b >= 'A' && b <= 'Z') b = (char)(b - 'A' + 'a');
        if (b != nova[k]) return 0;
    }
    return 1;
}

/* Byte length of the well-formed code point whose lead byte is b. */
static size_t cp_len(unsigned char b) {
    if (b < 0x80) return 1;
    if (b < 0xE0) return 2;
    if (b < 0xF0) return 3;
    return 4;
}

/* Pass 2: markers and cap over pass 1's valid, laid-out text. */
static nova_text finish(arena *a, const layout *l, size_t max_chars) {
    nova_text r = {NULL, 0};
    int cut = max_chars && l->chars > max_chars;
    size_t keep = cut ? max_chars - 1 : l->chars; /* code points before the ellipsis */
    char *out = arena_alloc_raw(a, l->len + 2 * l->lt + 4);
    if (!out) return r;
    size_t n = 0, i = 0;
    for (size_t k = 0; k < keep; k++) {
        size_t w = cp_len((unsigned char)l->out[i]);
        if (l->out[i] == '<' && starts_marker(l->out, l->len, i)) {
            n += utf8_encode(0x2039, out + n);
        } else {
            memcpy(out + n, l->out + i, w);
            n += w;
        }
        i += w;
    }
    if (cut) {
        while (n > 0 && is_space_byte(out[n - 1])) n--;
        n += utf8_encode(0x2026, out + n);
    }
    out[n] = '\0';
    r.s = out;
    r.len = n;
    return r;
}

/* Does s[0..n) come out of the rules exactly as it went in? The common case (a name, a
 * sentence, a paragraph of plain text): visible characters, single spaces (LINE) or
 * spaces and line breaks where the layout keeps them (BLOCK), nothing at either end, no
 * '<' (the marker check is left to the full path), within the cap. Anything else, even
 * where the full path would change nothing, answers 0. */
static int unchanged(const unsigned char *p, size_t n, sanitize_kind kind, size_t max_chars) {
    if (!n) return 1;
    if (p[0] == ' ' || p[0] == '\n' || p[n - 1] == ' ' || p[n - 1] == '\n') return 0;
    size_t chars = 0, i = 0, slow = 0; /* bytes before `slow` go one by one */
    while (i < n) {
        /* Eight plain ASCII characters at a time (swar.h): no control, DEL, '<' or
         * non-ASCII byte, and (LINE) no two spaces in a row. Any other word, and the
         * word's neighbourhood, goes through the byte path below. */
        if (i >= slow && i + 8 <= n) {
            uint64_t x = swar_load(p + i);
            uint64_t odd = swar_below(x, 0x20) | (x & SWAR_HIGHS) | swar_equal(x, '<') |
                           swar_equal(x, 0x7F);
            uint64_t sp = swar_equal(x, ' ');
            if (!odd && (kind == SANITIZE_BLOCK ||
                         (!(sp & (sp << 8)) && !(p[i] == ' ' && i > 0 && p[i - 1] == ' ')))) {
                i += 8;
                chars += 8;
                continue;
            }
            slow = i + 8;
        }
        unsigned char c = p[i];
        if (c > ' ' && c < 0x7F) {
            if (c == '<') return 0;
            i++;
        } else if (c == ' ') {
            if (kind == SANITIZE_LINE && p[i - 1] == ' ') return 0; /* p[0] is not a space */
            i++;
        } else if (c == '\n') {
            if (kind == SANITIZE_LINE || p[i - 1] == ' ') return 0; /* a trailing space */
            if (p[i - 1] == '\n' && p[i - 2] == '\n') return 0;    /* a second blank line */
            i++;
        } else if (c >= 0x80) {
            uint32_t cp;
            size_t k = utf8_decode(p + i, n - i, &cp);
            if (cp == UTF8_REPLACEMENT && !(k == 3 && p[i] == 0xEF && p[i + 1] == 0xBF))
                return 0; /* ill-formed: it becomes U+FFFD */
            if (classify(cp) != CP_VISIBLE) return 0;
            i += k;
        } else {
            return 0; /* a control character, tab, DEL */
        }
        chars++;
    }
    return !max_chars || chars <= max_chars;
}

nova_text sanitize_text(arena *a, const char *s, size_t len, sanitize_kind kind,
                        size_t max_chars) {
    nova_text r = {NULL, 0};
    if (s && s[len] == '\0' && unchanged((const unsigned char *)s, len, kind, max_chars)) {
        r.s = s;
        r.len = len;
        return r;
    }
    const unsigned char *p = (const unsigned char *)s;
    /* Only a byte >= 0x80 can grow: a lone bad byte becomes U+FFFD (3 bytes); valid text
     * never grows. So ASCII text needs len + 1 bytes. */
    size_t high = 0;
    for (size_t i = 0; i < len; i++) high += p[i] >> 7;
    if (len > ((size_t)-1 - 8) / 3) {
        a->failed = 1;
        return r;
    }
    layout l = {0};
    l.kind = kind;
    l.prev = CP_SPACE;
    l.out = arena_alloc_raw(a, len + 2 * high + 1);
    if (!l.out) return r;

    size_t i = 0;
    while (i < len) {
        uint32_t c;
        if (p[i] > ' ' && p[i] < 0x7F) {
            /* Visible ASCII. After the first byte of a run no white space or ZWJ is
             * pending, so the rest of the run is copied as it is: most text is such runs. */
            lay_out(&l, p[i++]);
            for (; i < len && p[i] > ' ' && p[i] < 0x7F; i++) {
                if (p[i] == '<') l.lt++;
                l.out[l.len++] = (char)p[i];
                l.chars++;
            }
            continue;
        }
        if (p[i] < 0x80) {
            c = p[i++];
            if (c == '\r' && i < len && p[i] == '\n') i++; /* CR LF is one break */
        } else {
            i += utf8_decode(p + i, len - i, &c);
        }
        lay_out(&l, c);
    }
    l.out[l.len] = '\0';

    if (l.lt == 0 && !(max_chars && l.chars > max_chars)) {
        r.s = l.out;
        r.len = l.len;
        return r;
    }
    return finish(a, &l, max_chars);
}

nova_text sanitize_utf8(arena *a, const char *s, size_t len) {
    nova_text r = {NULL, 0};
    if (utf8_valid(s ? s : "", len)) {
        r.s = s && s[len] == '\0' ? s : arena_strndup(a, s ? s : "", len);
        r.len = r.s ? len : 0;
        return r;
    }
    if (len > ((size_t)-1 - 8) / 3) {
        a->failed = 1;
        return r;
    }
    char *out = arena_alloc_raw(a, 3 * len + 1);
    if (!out) return r;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, n = 0;
    while (i < len) {
        uint32_t c;
        i += utf8_decode(p + i, len - i, &c);
        n += utf8_encode(c, out + n);
    }
    out[n] = '\0';
    r.s = out;
    r.len = n;
    return r;
}

int sanitize_is_blank(nova_text t) { return t.s == NULL || t.len == 0; }
