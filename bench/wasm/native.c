/*
 * native — per-call latency of nova_assemble in the native build, the figure the wasm
 * numbers in bench/wasm/RESULTS.md stand next to. Reads each request file given, calls
 * nova_assemble on it in batches and prints the median microseconds per call.
 * Build: bench/wasm/run.sh (cc -O2 against build/libnova.a).
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "nova.h"
#include "read_file.h"

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    for (int a = 1; a < argc; a++) {
        size_t len;
        char *req = read_file(argv[a], &len);
        if (!req) { fprintf(stderr, "cannot read %s\n", argv[a]); return 1; }
        char *out;
        size_t out_len;
        int batch = len > 100000 ? 20 : 200;
        for (int i = 0; i < 50; i++) { nova_assemble(req, len, &out, &out_len); nova_free(out); }
        double samples[15];
        for (int b = 0; b < 15; b++) {
            double s = now_us();
            for (int i = 0; i < batch; i++) { nova_assemble(req, len, &out, &out_len); nova_free(out); }
            samples[b] = (now_us() - s) / batch;
        }
        qsort(samples, 15, sizeof samples[0], cmp_double);
        printf("%s %.1f\n", argv[a], samples[7]);
        free(req);
    }
    return 0;
}
