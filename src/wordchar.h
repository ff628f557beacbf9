/*
 * wordchar — what a "word" is to the detector and the relevance stemmer, so "Sam" does
 * not match in "Samuel" in any script. Every code point has a kind:
 *
 *   - WORDCHAR_WORD: the letters (general category L) and numbers (N) of all of Unicode;
 *     ASCII A-Z, a-z, 0-9;
 *   - WORDCHAR_MARK, WORDCHAR_DROPPED: the combining marks (M). A mark is part of the
 *     character it follows, so it has that character's kind: after a letter it is part of
 *     the word (the vowel sign in "कि"), after an emoji or punctuation it is not ("❤️",
 *     "#️⃣", "!" + U+0301). The dropped marks are the ones folding removes (casefold.h):
 *     diacritics, variation selectors, the keycap U+20E3;
 *   - WORDCHAR_UNSPACED: the letters of the scripts written without spaces between words
 *     (Han, Hiragana, Katakana, Thai, Lao, Myanmar, Khmer). They have no word boundaries a
 *     letter table could find, so each is a word of its own and, like OTHER, separates
 *     words: "彼氏" matches inside "昨日彼氏と喧嘩した", and "Sam" inside "ＳＡＭが来た".
 *     Scripts with spaces but attached particles (Hebrew prefixes, Korean particles:
 *     "지민이") are whole words as written: list the attached forms as keywords if they
 *     matter;
 *   - WORDCHAR_OTHER: everything else (spaces, punctuation, apostrophes, '_', symbols,
 *     emoji, U+FFFD) separates words.
 *
 * The tables (wordchar_table.c) come from scripts/gen_detect_tables.py.
 */
#ifndef NOVA_WORDCHAR_H
#define NOVA_WORDCHAR_H

#include <stddef.h>
#include <stdint.h>

typedef enum wordchar_kind {
    WORDCHAR_OTHER = 0,
    WORDCHAR_WORD = 1,
    WORDCHAR_MARK = 2,
    WORDCHAR_DROPPED = 3,
    WORDCHAR_UNSPACED = 4
} wordchar_kind;

/* The kind of cp on its own (a mark's kind in a text is that of the character before it). */
wordchar_kind wordchar_kind_of(uint32_t cp);

/* 1 if cp is a letter or number (not of an unspaced script): kind WORDCHAR_WORD. */
int wordchar_is_word(uint32_t cp);

/* 1 if cp is a combining mark, dropped or not. */
int wordchar_is_mark(uint32_t cp);

/* 1 if cp is Unicode White_Space (tab, line breaks, space, NBSP, U+2000..U+200A, ...):
 * a run of these inside a phrase matches any other such run. */
int wordchar_is_space(uint32_t cp);

/* Generated tables: the kinds of U+0080..U+07FF, four to a byte; then all non-ASCII code
 * points as wordchar_segment_count sorted segments, first << 3 | kind. */
extern const uint8_t wordchar_kinds_0080[480];
extern const uint32_t wordchar_segments[];
extern const size_t wordchar_segment_count;

#endif
