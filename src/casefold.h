/*
 * casefold — what "the same letter" means to the detector and to the relevance stemmer:
 * case-insensitive and accent-insensitive matching, one code point to one code point
 * (so offsets can be mapped back to the message one to one). Over all of Unicode:
 *
 *   - simple case folding (Unicode's CaseFolding.txt, statuses C and S): A -> a,
 *     Σ, ς -> σ, Ж -> ж, Ա -> ա, Ⴀ -> ⴀ, K (Kelvin sign) -> k, Ω (Ohm sign) -> ω, Ⓐ -> ⓐ,
 *     Ⅻ -> ⅻ, 𐐀 -> 𐐨, ...;
 *   - accents removed from letters whose canonical decomposition is a base letter plus
 *     dropped marks (é -> e, Ё -> е, й -> и, ά -> α, Å (Ångström sign) -> a), and
 *     ø ł đ ħ ŧ ı ŀ ƀ ƶ ɨ ʉ -> o l d h t i l b z i u;
 *   - fullwidth Ａ-Ｚ, ａ-ｚ, ０-９ -> a-z, 0-9; ’ ‘ ＇ -> ' (so "Sam’s" reads as "Sam's");
 *   - the dropped marks (casefold_is_dropped) vanish altogether, so a decomposed "e" +
 *     U+0301 folds like the precomposed "é", and "❤️" (with its variation selector) like
 *     "❤";
 *   - everything else is left alone: ß, æ, œ stay themselves (no ß -> ss: that is not one
 *     to one), and so do symbols (≠ is not =).
 * Folding keeps the kind of a code point (wordchar.h): a letter folds to a letter.
 * The tables come from scripts/gen_detect_tables.py (Python's unicodedata).
 */
#ifndef NOVA_CASEFOLD_H
#define NOVA_CASEFOLD_H

#include <stddef.h>
#include <stdint.h>

/* The folded form of cp (itself when nothing applies). Idempotent. */
uint32_t casefold_cp(uint32_t cp);

/* 1 for the combining marks that folding removes: the diacritical marks (U+0300..U+036F,
 * U+1AB0..U+1AFF, U+1DC0..U+1DFF, U+20D0..U+20FF with the keycap U+20E3, U+FE20..U+FE2F)
 * and the presentation selectors (variation selectors U+FE00..U+FE0F and
 * U+E0100..U+E01EF, Mongolian U+180B..U+180D, U+180F). */
int casefold_is_dropped(uint32_t cp);

/* Generated tables (casefold_table.c): the folded code point of 0x0080 + i and
 * 0x1E00 + i; elsewhere, runs of code points first, first + stride, ... (count) that
 * fold to themselves + delta, and one bit per 256 code points telling where runs are. */
extern const uint16_t casefold_table_0080[1296];
extern const uint16_t casefold_table_1E00[512];

typedef struct casefold_run {
    uint32_t first;
    uint16_t count;
    uint8_t stride;
    int32_t delta;
} casefold_run;

extern const casefold_run casefold_runs[];
extern const size_t casefold_run_count;
extern const uint32_t casefold_run_blocks[];

#endif
