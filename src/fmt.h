/*
 * fmt — the engine's own locale-free snprintf and strtod.
 *
 * Why: libc's printf and strtod are a third of the WebAssembly modules (vfprintf, the
 * scanf family, floatscan and the 128-bit long double they drag in), and their output
 * may follow the locale. These do exactly what C's functions do for the subset used:
 *
 *   conversions  %s %c %d %i %u %x %f %g %%   flags: 0   width: digits
 *   precision    .N or .* (%s: at most N bytes; %f %g: as in C)
 *   lengths      l ll z
 *
 * Floating point is exact (big-integer decimal expansion, ties to even) so the text is
 * the one glibc and musl print, on every target. nova_strtod parses a JSON-style
 * number ([+-] digits [. digits] [e [+-] digits], no spaces, hex, inf or nan) correctly
 * rounded, as strtod does.
 */
#ifndef NOVA_FMT_H
#define NOVA_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* C99 vsnprintf semantics: writes at most cap bytes including the NUL (nothing when cap
 * is 0), returns the length the whole text has, or -1 for a conversion outside the subset. */
int nova_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);

int nova_snprintf(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* strtod for a JSON-style number at s; *end (when end is not NULL) is set past the
 * number, or to s when there is none (then 0 is returned). Out of range: +-HUGE_VAL or
 * a correctly rounded subnormal/zero, like strtod (errno is not touched). */
double nova_strtod(const char *s, char **end);

/* The engine's numbers in its results and prompt text: integers as integers, others with
 * up to 6 decimals (trailing zeros trimmed), no locale. buf needs NOVA_NUMBER_BUF bytes.
 * Returns buf. */
#define NOVA_NUMBER_BUF 400
const char *nova_format_number(double v, char *buf);

/* A data number (a memory_summary value) as the shortest text that reads back as the
 * same double: the fewest significant digits (at most 17) nova_strtod turns into v, the
 * nearest such when two fit, written as ECMAScript's Number::toString writes them (so
 * String(x) in the JS glue agrees): plain from 1e-6 up to below 1e21 ("0.1", "123",
 * "0.000001"), else an exponent ("1e+21", "1.5e-7", "5e-324"); -0 is "0". v must be
 * finite (the decoder refuses the others). buf needs NOVA_SHORTEST_BUF bytes. Returns buf. */
#define NOVA_SHORTEST_BUF 32
const char *nova_format_shortest(double v, char *buf);

/* The value nova_format_number shows for v, as a double: a number the engine compares
 * (the detector's threshold) is rounded with this first, so what the result says and
 * what was decided always agree. */
double nova_number_shown(double v);

#endif
