#include "casefold.h"

uint32_t casefold_cp(uint32_t cp) {
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32u : cp;
    if (cp < 0x590) return casefold_table_0080[cp - 0x80];
    if (cp >= 0x1E00 && cp < 0x2000) return casefold_table_1E00[cp - 0x1E00];
    if (cp == 0x2018 || cp == 0x2019 || cp == 0xFF07) return '\'';
    if (cp >= 0xFF10 && cp <= 0xFF19) return cp - 0xFF10 + '0';
    if (cp >= 0xFF21 && cp <= 0xFF3A) return cp - 0xFF21 + 'a';
    if (cp >= 0xFF41 && cp <= 0xFF5A) return cp - 0xFF41 + 'a';
    return cp;
}

int casefold_is_dropped(uint32_t cp) {
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE20 && cp <= 0xFE2F);
}
