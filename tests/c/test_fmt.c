/*
 * fmt: nova_snprintf and nova_strtod against the C library (glibc here), which rounds
 * exactly; the wasm builds use fmt.c in place of libc's printf/strtod, so any difference
 * would show up as a different prompt or error text there.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "harness.h"

/* xorshift64*: deterministic, so a failure is reproducible. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rng(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

static double bits_double(uint64_t b) {
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

static uint64_t double_bits(double v) {
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return b;
}

static void check_double_formats(double v) {
    static const char *const fmts[] = {"%g", "%1.15g", "%1.17g", "%.0f", "%f", "%.3f",
                                       "%.20g", "%12.4g", "%012.3f", "%.1g"};
    for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
        char want[1200], got[1200];
        int wn = snprintf(want, sizeof want, fmts[f], v);
        int gn = nova_snprintf(got, sizeof got, fmts[f], v);
        CHECK_MSG(wn == gn && strcmp(want, got) == 0, "%s of %a: got \"%s\", want \"%s\"",
                  fmts[f], v, got, want);
    }
}

static double any_double(void) {
    uint64_t b;
    do b = rng(); while ((b >> 52 & 0x7ff) == 0x7ff);
    return bits_double(b);
}

static double everyday_double(void) {
    /* a short decimal like 0.85, 12.5, -3.25e-7 */
    char s[64];
    snprintf(s, sizeof s, "%s%llu.%llue%d", rng() & 1 ? "-" : "", (unsigned long long)(rng() % 1000),
             (unsigned long long)(rng() % 100000), (int)(rng() % 40) - 20);
    return strtod(s, NULL);
}

static void test_double_formats(void) {
    static const double fixed[] = {0.0, -0.0, 1.0, 0.5, 2.5, 1e12, 1e12 + 0.5, 1e21, 1e22,
                                   123456789012.5, 100000000000000.5, 0.1, 1e-5, 1e-4,
                                   9.999995, 0.000123456, DBL_MAX, DBL_MIN, 4.9e-324,
                                   1e300, 1.5, 2.5e-310, 999999.5, 9.5, 0.95, 1e15, 1e16,
                                   1e17, 123456.0, 1234567.0};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        check_double_formats(fixed[i]);
        check_double_formats(-fixed[i]);
    }
    for (int i = 0; i < 3000; i++) {
        check_double_formats(any_double());
        check_double_formats(everyday_double());
    }
}

static void test_nonfinite(void) {
    char got[32];
    nova_snprintf(got, sizeof got, "%g|%g|%f", INFINITY, -INFINITY, NAN);
    CHECK_STR(got, "inf|-inf|nan");
}

static void test_integers_and_strings(void) {
    char want[256], got[256];
    snprintf(want, sizeof want, "%s|%.*s|%zu|%u|%d|%d|%llu|%lld|%c|%06llu|%04x|u%04x|%i|%%|%5s|%3d",
             "abc", 2, "xyz", (size_t)12345, 4000000000u, -42, 0, 18446744073709551615ULL,
             -9223372036854775807LL - 1, 'Q', 42ULL, 0x1f, 0xabcd, -7, "hi", -5);
    nova_snprintf(got, sizeof got, "%s|%.*s|%zu|%u|%d|%d|%llu|%lld|%c|%06llu|%04x|u%04x|%i|%%|%5s|%3d",
                  "abc", 2, "xyz", (size_t)12345, 4000000000u, -42, 0, 18446744073709551615ULL,
                  -9223372036854775807LL - 1, 'Q', 42ULL, 0x1f, 0xabcd, -7, "hi", -5);
    CHECK_STR(got, want);
    /* %.*s stops at the precision even without a NUL. */
    char raw[3] = {'a', 'b', 'c'};
    nova_snprintf(got, sizeof got, "[%.*s]", 2, raw);
    CHECK_STR(got, "[ab]");
}

static void test_truncation(void) {
    char buf[8];
    memset(buf, 'x', sizeof buf);
    int n = nova_snprintf(buf, 5, "%s-%d", "hello", 12);
    CHECK(n == 8);
    CHECK_STR(buf, "hell");
    CHECK(buf[5] == 'x');
    CHECK(nova_snprintf(NULL, 0, "%zu items", (size_t)1234) == 10);
    buf[0] = 'y';
    CHECK(nova_snprintf(buf, 1, "abc") == 3 && buf[0] == '\0');
    const char *unsupported = "%q%d"; /* outside the subset: an error, not garbage */
    CHECK(nova_snprintf(buf, sizeof buf, unsupported, 1) == -1);
}

static void check_strtod(const char *s) {
    char *we, *ge;
    double want = strtod(s, &we), got = nova_strtod(s, &ge);
    CHECK_MSG(double_bits(want) == double_bits(got) && we == ge,
              "\"%s\": got %a (end +%d), want %a (end +%d)", s, got, (int)(ge - s), want,
              (int)(we - s));
}

static void test_strtod_cases(void) {
    static const char *const cases[] = {
        "0", "-0", "+0", "0.0", "1", "-1", "0.85", "1e10", "1E-10", "1.5e+3", "12.", ".5",
        "-.5e1", "", "-", "+", ".", "e5", "1e", "1e+", "1e-x", "1.2.3", "--1", "1-", "00012",
        "0.000", "9007199254740993", "9007199254740992.5", "9007199254740993.0000000001",
        "2.2250738585072011e-308", "2.2250738585072012e-308", "4.9406564584124654e-324",
        "2.4703282292062327e-324", "2.4703282292062328e-324", "2.47032822920623272e-324",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
        "1e309", "-1e400", "1e-400", "-1e-400", "1e99999999999", "1e-99999999999",
        "123456789012345678901234567890123456789012345678901234567890123",
        "0.000000000000000000000000000000000000000000000000000000000000001",
        "3.14159265358979323846264338327950288419716939937510582097494459",
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126",
        "7.2057594037927933e16", "5e-324", "1e23", "8.5e-323",
        /* the edges of the short-number path (at most 15 digits, |exponent| <= 22) */
        "1e22", "1e-22", "123456789012345e22", "123456789012345e-22", "1234567890123456e-22",
        "123456789012345e23", "0.1", "0.3", "0.37", "999999999999999", "9999999999999999",
        "4.35", "0.000001", "-2.5e-7"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_strtod(cases[i]);
}

/* Numbers as JSON carries them: up to 17 digits, exponents around the short path's
 * limits, so both paths and the switch between them are compared with glibc. */
static void test_strtod_short(void) {
    uint32_t seed = 99;
    char s[64];
    for (int i = 0; i < 50000; i++) {
        seed = seed * 1103515245u + 12345u;
        int digits = 1 + (int)(seed >> 16) % 17;
        size_t k = 0;
        if (seed & 1) s[k++] = '-';
        for (int d = 0; d < digits; d++) {
            seed = seed * 1103515245u + 12345u;
            s[k++] = (char)('0' + (seed >> 16) % 10);
            if (d == 0 && (seed & 2)) s[k++] = '.';
        }
        seed = seed * 1103515245u + 12345u;
        snprintf(s + k, sizeof s - k, "e%d", (int)((seed >> 16) % 61) - 30);
        check_strtod(s);
    }
}

/* Exact halfway points between neighbouring doubles (and a hair either side), printed
 * exactly by the C library from a long double; plus every double's shortest texts. */
static void test_strtod_random(void) {
    char s[1200];
    for (int i = 0; i < 4000; i++) {
        double v = any_double();
        if (v < 0) v = -v;
        double next = bits_double(double_bits(v) + 1);
        if (next - next != 0) continue;
        long double mid = ((long double)v + (long double)next) / 2;
        snprintf(s, sizeof s, "%.800Lg", mid);
        check_strtod(s);
        size_t len = strlen(s);
        char *e = strchr(s, 'e');
        size_t mant = e ? (size_t)(e - s) : len;
        if (mant > 3 && s[mant - 1] != '0' && s[mant - 1] != '.') {
            s[mant - 1]--;
            check_strtod(s);
            s[mant - 1] = (char)(s[mant - 1] + 2 > '9' ? '9' : s[mant - 1] + 2);
            check_strtod(s);
        }
        snprintf(s, sizeof s, "%.17g", v);
        check_strtod(s);
        snprintf(s, sizeof s, "%.15g", v);
        check_strtod(s);
        snprintf(s, sizeof s, "%.25e", everyday_double());
        check_strtod(s);
        snprintf(s, sizeof s, "%.6g", everyday_double());
        check_strtod(s);
    }
}

static void test_format_number(void) {
    char buf[NOVA_NUMBER_BUF];
    CHECK_STR(nova_format_number(2.5, buf), "2.5");
    CHECK_STR(nova_format_number(2, buf), "2");
    CHECK_STR(nova_format_number(0.1 + 0.2, buf), "0.3");
    CHECK_STR(nova_format_number(-0.0, buf), "0");
    CHECK_STR(nova_format_number(-1.25, buf), "-1.25");
    CHECK_STR(nova_format_number(1.0 / 3.0, buf), "0.333333");
    CHECK_STR(nova_format_number(1e15, buf), "1000000000000000");
    CHECK_STR(nova_format_number(123456789.5, buf), "123456789.5");
}

/* What is decided on (nova_number_shown) is the number the text says (nova_format_number):
 * the text parses back to exactly that double, and formats the same. */
/* The shortest digits by the C library: for p = 1, 2, ... the nearest p-digit decimal
 * (%.*e, correctly rounded) or, when that does not read back (strtod) as v, its
 * neighbour one unit away on either side; the nearest that reads back wins. Into
 * dig/point as nova_format_shortest sees them: |v| = 0.dig * 10^point. */
static int libc_shortest(double v, char *dig, int *point) {
    double a = v < 0 ? -v : v;
    for (int p = 1; p <= 17; p++) {
        char t[64];
        snprintf(t, sizeof t, "%.*e", p - 1, a);
        char *e = strchr(t, 'e');
        unsigned long long m = 0;
        for (char *c = t; c < e; c++)
            if (*c != '.') m = m * 10 + (unsigned long long)(*c - '0');
        int x = atoi(e + 1) - (p - 1); /* a ~ m * 10^x */
        unsigned long long cands[3] = {m, m - 1, m + 1};
        for (int k = 0; k < 3; k++) {
            if (!cands[k]) continue;
            char u[64];
            snprintf(u, sizeof u, "%llue%d", cands[k], x);
            if (strtod(u, NULL) != a) continue;
            int n = snprintf(dig, 24, "%llu", cands[k]);
            *point = n + x;
            while (n > 1 && dig[n - 1] == '0') n--;
            return n;
        }
    }
    return 0;
}

/* ECMAScript Number::toString of 0.dig * 10^point (k digits), the rule as the spec words
 * it, written independently of fmt.c. */
static void es_text(int neg, const char *dig, int k, int n, char *out) {
    char *o = out;
    if (neg) *o++ = '-';
    if (k <= n && n <= 21) {
        o += sprintf(o, "%.*s", k, dig);
        for (int i = k; i < n; i++) *o++ = '0';
    } else if (0 < n && n <= 21) {
        o += sprintf(o, "%.*s.%.*s", n, dig, k - n, dig + n);
    } else if (-6 < n && n <= 0) {
        o += sprintf(o, "0.");
        for (int i = n; i < 0; i++) *o++ = '0';
        o += sprintf(o, "%.*s", k, dig);
    } else {
        o += sprintf(o, "%c", dig[0]);
        if (k > 1) o += sprintf(o, ".%.*s", k - 1, dig + 1);
        o += sprintf(o, "e%c%d", n - 1 < 0 ? '-' : '+', n - 1 < 0 ? 1 - n : n - 1);
    }
    *o = '\0';
}

static void check_shortest(double v) {
    char got[NOVA_SHORTEST_BUF], want[64], dig[24];
    int point = 0, k = v == 0 ? 0 : libc_shortest(v, dig, &point);
    if (v == 0) strcpy(want, "0");
    else es_text(v < 0, dig, k, point, want);
    nova_format_shortest(v, got);
    CHECK_MSG(strcmp(got, want) == 0, "%a: got \"%s\", want \"%s\"", v, got, want);
    CHECK_MSG(v == 0 || nova_strtod(got, NULL) == v, "%a: \"%s\" does not read back", v, got);
}

/* memory_summary numbers (review finding 9): shortest text that reads back, as JS prints
 * it. The review's values, the edges, then random doubles of every magnitude and short
 * everyday decimals against the C library's shortest digits. */
static void test_format_shortest(void) {
    static const struct {
        double v;
        const char *want;
    } cases[] = {
        {1e308, "1e+308"}, {4.9e-324, "5e-324"}, {-1e308, "-1e+308"}, {0.1, "0.1"},
        {0.30000000000000004, "0.30000000000000004"}, {1e21, "1e+21"}, {1e20, "100000000000000000000"},
        {123456789012345680000.0, "123456789012345680000"}, {1e-7, "1e-7"}, {1e-6, "0.000001"},
        {1.5e-7, "1.5e-7"}, {-0.0, "0"}, {0, "0"}, {100, "100"}, {-123.456, "-123.456"},
        {1.7976931348623157e308, "1.7976931348623157e+308"}, {2.2250738585072014e-308, "2.2250738585072014e-308"},
        {9007199254740993.0, "9007199254740992"}, {0.95, "0.95"}, {5e-324, "5e-324"},
        {2.5, "2.5"}, {1e23, "1e+23"}, {5e-310, "5e-310"}, {0x1p-1074 * 3, "1.5e-323"},
    };
    char buf[NOVA_SHORTEST_BUF];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_MSG(strcmp(nova_format_shortest(cases[i].v, buf), cases[i].want) == 0, "%a: got %s, want %s",
                  cases[i].v, buf, cases[i].want);
    for (int e = -1074; e <= 1023; e++) { /* powers of two: the lopsided intervals */
        uint64_t b = e >= -1022 ? (uint64_t)(e + 1023) << 52 : 1ULL << (e + 1074);
        check_shortest(bits_double(b));
        check_shortest(bits_double(b - 1)); /* the double just below */
        check_shortest(bits_double(b + 1));
    }
    for (int i = 0; i < 20000; i++) {
        check_shortest(any_double());
        check_shortest(everyday_double());
    }
}

static void test_number_shown_is_number_printed(void) {
    static const double fixed[] = {2.0000001, 2.0000005, 1e-7, -1e-7, 0.1 + 0.2, 1.0 / 3.0,
                                   999999999999.9999, 1e12, -2.5, 123456.0000004};
    char a[NOVA_NUMBER_BUF], b[NOVA_NUMBER_BUF];
    for (int i = 0; i < 20000; i++) {
        double v = i < (int)(sizeof fixed / sizeof fixed[0]) ? fixed[i]
                   : i % 2 ? everyday_double() : any_double();
        double d = nova_number_shown(v);
        nova_format_number(v, a);
        nova_format_number(d, b);
        CHECK_MSG(strcmp(a, b) == 0, "%.17g shows %s but decides %.17g (%s)", v, a, d, b);
        CHECK_MSG(nova_strtod(a, NULL) == d || (v - v != 0 && d == 0), "%.17g: text %s, value %.17g",
                  v, a, d);
    }
}

int main(void) {
    RUN(test_integers_and_strings);
    RUN(test_truncation);
    RUN(test_nonfinite);
    RUN(test_double_formats);
    RUN(test_strtod_cases);
    RUN(test_strtod_random);
    RUN(test_strtod_short);
    RUN(test_format_number);
    RUN(test_number_shown_is_number_printed);
    RUN(test_format_shortest);
    return harness_report();
}
