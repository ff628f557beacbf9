/*
 * error — the one error record a call fills: a stable code, a sentence for people and
 * the path of the offending request field ("context.memories[3].confidence"; "" for the
 * request as a whole). The first error wins: later nova_fail() calls are ignored, so a
 * deep helper's precise report is never overwritten by a caller's vaguer one.
 */
#ifndef NOVA_ERROR_H
#define NOVA_ERROR_H

#include <stdarg.h>

#include "nova.h"

#define NOVA_ERROR_MESSAGE_MAX 256
#define NOVA_ERROR_PATH_MAX 256

typedef struct nova_error {
    nova_status code; /* NOVA_OK until the first failure */
    char message[NOVA_ERROR_MESSAGE_MAX];
    char path[NOVA_ERROR_PATH_MAX];
} nova_error;

void nova_error_init(nova_error *e);

/* Records the error unless one is already recorded; returns the (first) code, so a
 * caller can write `return nova_fail(err, NOVA_E_TYPE, path, "must be a string");`. */
nova_status nova_fail(nova_error *e, nova_status code, const char *path, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* nova_fail() with the arguments as a va_list, for callers that add to the record. */
nova_status nova_vfail(nova_error *e, nova_status code, const char *path, const char *fmt,
                       va_list ap)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 4, 0)))
#endif
    ;

#endif
