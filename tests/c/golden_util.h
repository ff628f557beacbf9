/*
 * golden_util — what the golden and corpus tests share (header-only, after harness.h):
 * the fixtures of a folder, and the compare-or-rewrite of an expected file.
 */
#ifndef NOVA_TEST_GOLDEN_UTIL_H
#define NOVA_TEST_GOLDEN_UTIL_H

#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "read_file.h"

static int golden_cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of the files of dir ending in suffix, the suffix cut off, in name order, at
 * most max (malloc'ed; the caller frees them). Returns the count. */
static inline size_t fixture_names(const char *dir, const char *suffix, char **names, size_t max) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    size_t count = 0, k = strlen(suffix);
    const struct dirent *e;
    while ((e = readdir(d)) != NULL && count < max) {
        size_t n = strlen(e->d_name);
        if (n <= k || strcmp(e->d_name + n - k, suffix) != 0) continue;
        names[count] = malloc(n - k + 1);
        if (!names[count]) break;
        memcpy(names[count], e->d_name, n - k);
        names[count++][n - k] = '\0';
    }
    closedir(d);
    qsort(names, count, sizeof names[0], golden_cmp_str);
    return count;
}

/* Compares got with the file; on a mismatch says where, so the diff is quick to read. */
static inline void compare_file(const char *path, const char *got) {
    size_t len = 0;
    char *want = read_file(path, &len);
    if (!want) {
        CHECK_MSG(0, "%s is missing: run tests/golden/regenerate.sh", path);
        return;
    }
    if (strcmp(want, got) != 0) {
        size_t line = 1, i = 0;
        while (want[i] && want[i] == got[i]) {
            if (want[i] == '\n') line++;
            i++;
        }
        size_t ls = i;
        while (ls > 0 && want[ls - 1] != '\n') ls--;
        const char *we = strchr(want + ls, '\n'), *ge = strchr(got + ls, '\n');
        int wl = we ? (int)(we - want - (long)ls) : (int)strlen(want + ls);
        int gl = ge ? (int)(ge - got - (long)ls) : (int)strlen(got + ls);
        CHECK_MSG(0,
                  "%s differs at line %zu:\n  want: %.*s\n  got:  %.*s\n"
                  "  (if the change is intended: bash tests/golden/regenerate.sh, then review "
                  "git diff tests/golden)",
                  path, line, wl, want + ls, gl, got + ls);
    }
    free(want);
}

static inline void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    CHECK_MSG(f != NULL, "cannot write %s", path);
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

/* NOVA_GOLDEN_UPDATE: rewrite the expected file; otherwise compare with it. */
static inline void golden_file(const char *path, const char *got, int updating) {
    if (updating) write_file(path, got);
    else compare_file(path, got);
}

#endif
