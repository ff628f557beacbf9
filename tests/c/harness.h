/*
 * harness.h — the C tests' whole framework: cases are functions, checks count, the
 * last line a test program prints is "cases: N passed, N failed" (tests/c/run.sh totals
 * those lines over all programs). A case passes when none of its checks failed.
 *
 *     static void test_thing(void) { CHECK(1 + 1 == 2); CHECK_STR(got, "want"); }
 *     int main(void) { RUN(test_thing); return harness_report(); }
 */
#ifndef NOVA_TEST_HARNESS_H
#define NOVA_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

static int harness_case_failed;
static int harness_passed, harness_failed;
static const char *harness_case_name = "";

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            harness_case_failed = 1;                                                       \
            fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__,           \
                    harness_case_name, #cond);                                             \
        }                                                                                  \
    } while (0)

#define CHECK_MSG(cond, ...)                                                               \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            harness_case_failed = 1;                                                       \
            fprintf(stderr, "%s:%d: %s: check failed: %s: ", __FILE__, __LINE__,           \
                    harness_case_name, #cond);                                             \
            fprintf(stderr, __VA_ARGS__);                                                  \
            fputc('\n', stderr);                                                           \
        }                                                                                  \
    } while (0)

#define CHECK_STR(got, want)                                                               \
    do {                                                                                   \
        const char *g_ = (got), *w_ = (want);                                              \
        if (!g_ || !w_ || strcmp(g_, w_) != 0) {                                           \
            harness_case_failed = 1;                                                       \
            fprintf(stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__, __LINE__,     \
                    harness_case_name, g_ ? g_ : "(null)", w_ ? w_ : "(null)");            \
        }                                                                                  \
    } while (0)

#define RUN(fn) harness_run(#fn, fn)

static void harness_run(const char *name, void (*fn)(void)) {
    harness_case_name = name;
    harness_case_failed = 0;
    fn();
    if (harness_case_failed) {
        harness_failed++;
        fprintf(stderr, "FAIL %s\n", name);
    } else {
        harness_passed++;
    }
}

static int harness_report(void) {
    printf("cases: %d passed, %d failed\n", harness_passed, harness_failed);
    return harness_failed ? 1 : 0;
}

#endif
