/*
 * strbuf — a growable byte string on the heap. Used for the prompt text and the result.
 * Failure is sticky (sb->failed) so builders append freely and check once at the end.
 * Whoever owns a strbuf calls sb_free() or takes the bytes with sb_take().
 */
#ifndef NOVA_STRBUF_H
#define NOVA_STRBUF_H

#include <stddef.h>

typedef struct strbuf {
    char *data;   /* NUL-terminated when len > 0 and !failed */
    size_t len;
    size_t cap;
    int failed;
} strbuf;

void sb_init(strbuf *sb);
void sb_free(strbuf *sb);
void sb_append(strbuf *sb, const char *s, size_t n);
void sb_puts(strbuf *sb, const char *s);
void sb_putc(strbuf *sb, char c);
void sb_printf(strbuf *sb, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Hands the malloc'ed NUL-terminated bytes to the caller (who frees them with free() /
 * nova_free()) and resets sb. NULL if the buffer failed. */
char *sb_take(strbuf *sb, size_t *len);

#endif
