/*
 * read_file — the one file reader of the test and benchmark programs (tests/c, the fuzz
 * replay driver, bench/assemble.c). Not part of the engine: it has no I/O.
 */
#ifndef NOVA_TEST_READ_FILE_H
#define NOVA_TEST_READ_FILE_H

#include <stdio.h>
#include <stdlib.h>

/* The whole file, NUL-terminated (malloc'ed; the caller frees it), its length without
 * the NUL in *len when len is not NULL; NULL when it cannot be opened or memory runs out. */
static inline char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf) return NULL;
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

#endif
