/*
 * swar — eight bytes at a time in a 64-bit word, for the scans every request goes
 * through (the prescan's quick check, UTF-8 counting, string escaping). Loads are
 * little-endian (x86-64 and wasm): byte 0 of the text is the word's lowest byte.
 *
 * The flag masks set the high bit of each byte that matches; bits above the first real
 * match may be false (a borrow carries upward), the lowest set one never is: so "any
 * flag" and "the first flag" are exact, which is all these scans ask.
 */
#ifndef NOVA_SWAR_H
#define NOVA_SWAR_H

#include <stdint.h>
#include <string.h>

#define SWAR_ONES UINT64_C(0x0101010101010101)
#define SWAR_HIGHS UINT64_C(0x8080808080808080)

static inline uint64_t swar_load(const unsigned char *p) {
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/* The bytes below n (n <= 0x80). */
static inline uint64_t swar_below(uint64_t x, unsigned n) {
    return (x - n * SWAR_ONES) & ~x & SWAR_HIGHS;
}

/* The bytes equal to b. */
static inline uint64_t swar_equal(uint64_t x, unsigned char b) {
    uint64_t y = x ^ (b * SWAR_ONES);
    return (y - SWAR_ONES) & ~y & SWAR_HIGHS;
}

/* The index of the first flagged byte of a non-zero mask. */
static inline unsigned swar_first(uint64_t mask) { return (unsigned)__builtin_ctzll(mask) >> 3; }

#endif
