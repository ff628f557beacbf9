#include "wordchar.h"

int wordchar_is_word(uint32_t cp) {
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    /* Binary search for the last range starting at or before cp. */
    size_t lo = 0, hi = wordchar_range_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (wordchar_ranges[2 * mid] <= cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && cp <= wordchar_ranges[2 * (lo - 1) + 1];
}

int wordchar_is_space(uint32_t cp) {
    if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}
