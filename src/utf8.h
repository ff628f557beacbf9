/*
 * utf8 — decoding and encoding UTF-8 without trusting the input. Every byte sequence
 * decodes to something: an ill-formed sequence gives U+FFFD for its maximal invalid
 * subpart (the Unicode "substitution of maximal subparts" practice), so one bad byte
 * never swallows the valid text after it. Overlongs, surrogates and code points above
 * U+10FFFF are ill-formed.
 */
#ifndef NOVA_UTF8_H
#define NOVA_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* Decodes the code point starting at s[0] (n > 0 bytes available) into *cp and returns
 * how many bytes it used (1..4). Ill-formed input: *cp = U+FFFD, returns >= 1. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Writes cp (<= U+10FFFF, not a surrogate) as UTF-8 into out; returns the byte count. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* The number of code points in s[0..n), counting each ill-formed subpart as one. */
size_t utf8_count(const char *s, size_t n);

/* The number of code points in well-formed UTF-8 s[0..n): its bytes that are not
 * continuation bytes (10xxxxxx), counted 8 at a time. For text known to be valid (the
 * doc's pieces); utf8_count() for any bytes. */
size_t utf8_chars(const char *s, size_t n);

/* 1 if s[0..n) is well-formed UTF-8. */
int utf8_valid(const char *s, size_t n);

#endif
