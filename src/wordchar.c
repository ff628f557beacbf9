#include "wordchar.h"

wordchar_kind wordchar_kind_of(uint32_t cp) {
    if (cp < 0x80) {
        int word = (cp >= '0' && cp <= '9') || ((cp | 32u) >= 'a' && (cp | 32u) <= 'z');
        return word ? WORDCHAR_WORD : WORDCHAR_OTHER;
    }
    if (cp < 0x800)
        return (wordchar_kind)(wordchar_kinds_0080[(cp - 0x80) >> 2] >> ((cp & 3u) * 2) & 3u);
    /* Binary search for the last segment starting at or before cp. */
    size_t lo = 0, hi = wordchar_segment_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (wordchar_segments[mid] >> 3 <= cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 ? (wordchar_kind)(wordchar_segments[lo - 1] & 7u) : WORDCHAR_OTHER;
}

int wordchar_is_word(uint32_t cp) { return wordchar_kind_of(cp) == WORDCHAR_WORD; }

int wordchar_is_mark(uint32_t cp) {
    wordchar_kind k = wordchar_kind_of(cp);
    return k == WORDCHAR_MARK || k == WORDCHAR_DROPPED;
}

int wordchar_is_space(uint32_t cp) {
    if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}
