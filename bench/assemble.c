/*
 * bench_assemble — native per-call latency of nova_assemble on request files, for
 * bench/run.sh (which writes the files from bench/sizes.mjs and keeps the figures in
 * bench/results/native.json). A benchmark: it measures, it asserts nothing.
 *
 *   bench_assemble [--seconds S] NAME=FILE...   one JSON line per file: per-call p50, p99
 *                                               and mean in µs over about S seconds
 *                                               (default 0.5) after a warm-up
 *   bench_assemble --calls N FILE               N calls and nothing else (for callgrind:
 *                                               instructions per call)
 *
 * Each call is timed on its own (CLOCK_MONOTONIC), so p99 shows the slow calls; the
 * process CPU time over all calls is given too (waiting for a core does not count in it,
 * the steadier figure on a shared machine).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nova.h"
#include "read_file.h"

static double now_us(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(const double *sorted, size_t n, double p) {
    size_t i = (size_t)(p / 100.0 * (double)n + 0.999999);
    if (i > 0) i--;
    return sorted[i < n ? i : n - 1];
}

static int one_call(const char *req, size_t len, size_t *out_len, nova_status *st) {
    char *out = NULL;
    *st = nova_assemble(req, len, &out, out_len);
    nova_free(out);
    return out != NULL;
}

static int measure(const char *name, const char *path, double seconds) {
    size_t len;
    char *req = read_file(path, &len);
    if (!req) {
        fprintf(stderr, "bench_assemble: cannot read %s\n", path);
        return 1;
    }
    size_t out_len = 0;
    nova_status st = NOVA_OK;
    /* Warm-up, and the cost of one call to size the run. */
    double t0 = now_us(CLOCK_MONOTONIC);
    int warm = 0;
    do {
        one_call(req, len, &out_len, &st);
        warm++;
    } while (now_us(CLOCK_MONOTONIC) - t0 < seconds * 1e6 / 10 || warm < 3);
    double per = (now_us(CLOCK_MONOTONIC) - t0) / warm;
    size_t n = (size_t)(seconds * 1e6 / per);
    if (n < 20) n = 20;
    if (n > 200000) n = 200000;
    double *samples = malloc(n * sizeof *samples);
    if (!samples) return 1;
    double cpu0 = now_us(CLOCK_PROCESS_CPUTIME_ID), sum = 0;
    for (size_t i = 0; i < n; i++) {
        double a = now_us(CLOCK_MONOTONIC);
        one_call(req, len, &out_len, &st);
        samples[i] = now_us(CLOCK_MONOTONIC) - a;
        sum += samples[i];
    }
    double cpu = (now_us(CLOCK_PROCESS_CPUTIME_ID) - cpu0) / (double)n;
    qsort(samples, n, sizeof *samples, cmp_double);
    printf("{\"name\":\"%s\",\"request_bytes\":%zu,\"result_bytes\":%zu,\"status\":\"%s\","
           "\"n\":%zu,\"p50_us\":%.2f,\"p99_us\":%.2f,\"mean_us\":%.2f,\"cpu_us\":%.2f}\n",
           name, len, out_len, nova_status_name(st), n, percentile(samples, n, 50),
           percentile(samples, n, 99), sum / (double)n, cpu);
    free(samples);
    free(req);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "--calls") == 0) {
        size_t len, out_len;
        nova_status st;
        char *req = read_file(argv[3], &len);
        if (!req) return 1;
        for (long i = atol(argv[2]); i > 0; i--) one_call(req, len, &out_len, &st);
        free(req);
        return 0;
    }
    double seconds = 0.5;
    int a = 1;
    if (argc > 2 && strcmp(argv[1], "--seconds") == 0) {
        seconds = atof(argv[2]);
        a = 3;
    }
    if (a >= argc) {
        fprintf(stderr, "usage: bench_assemble [--seconds S] NAME=FILE... | --calls N FILE\n");
        return 64;
    }
    for (; a < argc; a++) {
        char *eq = strchr(argv[a], '=');
        if (!eq) {
            fprintf(stderr, "bench_assemble: expected NAME=FILE, got %s\n", argv[a]);
            return 64;
        }
        *eq = '\0';
        if (measure(argv[a], eq + 1, seconds)) return 1;
        fflush(stdout);
    }
    return 0;
}
