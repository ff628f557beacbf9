#include "casefold.h"

#include "wordchar.h"

/* The run holding cp (binary search for the last run starting at or before cp). */
static uint32_t fold_by_runs(uint32_t cp) {
    size_t lo = 0, hi = casefold_run_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (casefold_runs[mid].first <= cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) return cp;
    const casefold_run *r = &casefold_runs[lo - 1];
    uint32_t k = cp - r->first;
    if (k % r->stride || k / r->stride >= r->count) return cp;
    return (uint32_t)((int32_t)cp + r->delta);
}

uint32_t casefold_cp(uint32_t cp) {
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32u : cp;
    if (cp < 0x590) return casefold_table_0080[cp - 0x80];
    if (cp >= 0x1E00 && cp < 0x2000) return casefold_table_1E00[cp - 0x1E00];
    if (cp > 0x10FFFF) return cp;
    uint32_t block = cp >> 8; /* most scripts have no case at all: one bit says so */
    if (!(casefold_run_blocks[block >> 5] >> (block & 31) & 1u)) return cp;
    return fold_by_runs(cp);
}

/* One source for the dropped marks: the kinds table (wordchar.h). */
int casefold_is_dropped(uint32_t cp) { return cp >= 0x300 && wordchar_kind_of(cp) == WORDCHAR_DROPPED; }
