/*
 * casefold — what "the same letter" means to the detector: case-insensitive and
 * accent-insensitive matching, one code point to one code point (so offsets can be
 * mapped back to the message one to one).
 *
 *   - ASCII A-Z -> a-z; fullwidth Ａ-Ｚ/ａ-ｚ/０-９ -> a-z/0-9;
 *   - ’ ‘ ＇ (U+2019, U+2018, U+FF07) -> ' (so "Sam’s" and "Sam's" are alike);
 *   - U+0080..U+058F and U+1E00..U+1FFF (Latin-1, Latin Extended-A/B and Additional,
 *     Greek and Greek Extended, Cyrillic, Armenian): simple case folding (Σ, ς -> σ),
 *     accents removed from letters that decompose into a base and diacritics
 *     (é -> e, Ё -> е, й -> и, ά -> α), and ø ł đ ħ ŧ ı -> o l d h t i;
 *   - the diacritical combining marks (casefold_is_dropped) vanish altogether, so a
 *     decomposed "e" + U+0301 folds like the precomposed "é";
 *   - everything else is left alone (ß, æ, œ stay themselves; no ß -> ss: that is not
 *     one to one).
 * The tables come from scripts/gen_detect_tables.py.
 */
#ifndef NOVA_CASEFOLD_H
#define NOVA_CASEFOLD_H

#include <stddef.h>
#include <stdint.h>

/* The folded form of cp (itself when nothing applies). Idempotent. */
uint32_t casefold_cp(uint32_t cp);

/* 1 for the combining diacritical marks that folding removes (U+0300..U+036F,
 * U+1AB0..U+1AFF, U+1DC0..U+1DFF, U+20D0..U+20FF, U+FE20..U+FE2F). */
int casefold_is_dropped(uint32_t cp);

/* Generated tables (casefold_table.c): the folded code point of 0x0080 + i and
 * 0x1E00 + i. */
extern const uint16_t casefold_table_0080[1296];
extern const uint16_t casefold_table_1E00[512];

#endif
