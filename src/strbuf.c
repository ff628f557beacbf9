#include "strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

void sb_init(strbuf *sb) {
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->failed = 0;
}

void sb_free(strbuf *sb) {
    free(sb->data);
    sb_init(sb);
}

static int sb_reserve(strbuf *sb, size_t extra) {
    if (sb->failed) return 0;
    if (extra > (size_t)-1 / 2 - sb->len) {
        sb->failed = 1;
        return 0;
    }
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap) return 1;
    size_t cap = sb->cap ? sb->cap : 256;
    while (cap < need) cap *= 2;
    char *p = realloc(sb->data, cap);
    if (!p) {
        sb->failed = 1;
        return 0;
    }
    sb->data = p;
    sb->cap = cap;
    return 1;
}

void sb_append(strbuf *sb, const char *s, size_t n) {
    if (!sb_reserve(sb, n)) return;
    if (n) memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void sb_puts(strbuf *sb, const char *s) { sb_append(sb, s, strlen(s)); }

void sb_putc(strbuf *sb, char c) { sb_append(sb, &c, 1); }

void sb_printf(strbuf *sb, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = nova_vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        sb->failed = 1;
        return;
    }
    if (!sb_reserve(sb, (size_t)n)) return;
    va_start(ap, fmt);
    nova_vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

char *sb_take(strbuf *sb, size_t *len) {
    if (sb->failed) {
        sb_free(sb);
        return NULL;
    }
    if (!sb_reserve(sb, 0)) return NULL;
    char *p = sb->data;
    if (len) *len = sb->len;
    sb_init(sb);
    return p;
}
