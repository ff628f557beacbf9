/*
 * cjson_libc — cJSON's printf, scanf and strtod calls, answered by src/fmt.c in the wasm
 * builds. wasm/build.sh links with -Wl,--wrap=<name> for each, so cJSON (unmodified, from
 * deps/) calls these instead of libc's, and libc's printf/scanf/strtod, its long double
 * soft-float and stdio are left out of the modules (~25 KB).
 *
 * What cJSON asks of them (deps/cjson/cJSON.c): sprintf with "%d", "%1.15g", "%1.17g",
 * "u%04x", "null", "%i.%i.%i"; sscanf(buf, "%lg", &d) on the text it just printed; strtod
 * on a number token of its own parser (digits, sign, '.', 'e': the grammar nova_strtod
 * reads). fmt.c prints and parses those exactly as libc does (tests/c/test_fmt.c checks
 * that against glibc). Never compiled for the native build, which keeps libc's.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "fmt.h"

int __wrap_sscanf(const char *s, const char *fmt, ...);
double __wrap_strtod(const char *s, char **end);

/* sprintf, and the two names Emscripten's compiler turns sprintf calls without (or with)
 * floating point formats into: same arguments, one body. */
#define SPRINTF(name)                                                  \
    int name(char *buf, const char *fmt, ...);                         \
    int name(char *buf, const char *fmt, ...) {                        \
        va_list ap;                                                    \
        va_start(ap, fmt);                                             \
        int n = nova_vsnprintf(buf, SIZE_MAX, fmt, ap);                \
        va_end(ap);                                                    \
        return n;                                                      \
    }
SPRINTF(__wrap_sprintf)
SPRINTF(__wrap_siprintf)
SPRINTF(__wrap___small_sprintf)

/* Only "%lg" (cJSON's round-trip check); anything else reports no conversion, which
 * makes cJSON fall back to "%1.17g". */
int __wrap_sscanf(const char *s, const char *fmt, ...) {
    if (strcmp(fmt, "%lg") != 0) return 0;
    char *end;
    double v = nova_strtod(s, &end);
    if (end == s) return 0;
    va_list ap;
    va_start(ap, fmt);
    *va_arg(ap, double *) = v;
    va_end(ap);
    return 1;
}

double __wrap_strtod(const char *s, char **end) { return nova_strtod(s, end); }
