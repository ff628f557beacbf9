/* json_syntax — see json_syntax.h. A loop over an explicit stack of open containers (no
 * recursion): value -> after a value -> a key or a value, until the top-level value ends. */
#include "json_syntax.h"

#define JSON_SYNTAX_MAX_DEPTH 256

typedef struct scan {
    const unsigned char *s;
    size_t n, i;
} scan;

static void skip_space(scan *c) {
    while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\n' ||
                           c->s[c->i] == '\r'))
        c->i++;
}

static int is_digit(unsigned char b) { return b >= '0' && b <= '9'; }

static int is_hex(unsigned char b) {
    return is_digit(b) || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
}

/* Each returns 1 with c->i past the token, or 0 with c->i at the first bad byte (or n). */

static int literal(scan *c, const char *word) {
    for (; *word; word++, c->i++)
        if (c->i >= c->n || c->s[c->i] != (unsigned char)*word) return 0;
    return 1;
}

static int string(scan *c) {
    c->i++; /* the opening quote */
    while (c->i < c->n) {
        unsigned char b = c->s[c->i];
        if (b == '"') {
            c->i++;
            return 1;
        }
        if (b != '\\') {
            c->i++;
            continue;
        }
        if (++c->i >= c->n) return 0;
        b = c->s[c->i];
        if (b == 'u') {
            for (int k = 0; k < 4; k++)
                if (++c->i >= c->n || !is_hex(c->s[c->i])) return 0;
        } else if (b != '"' && b != '\\' && b != '/' && b != 'b' && b != 'f' && b != 'n' &&
                   b != 'r' && b != 't') {
            return 0;
        }
        c->i++;
    }
    return 0;
}

static int digits(scan *c) {
    if (c->i >= c->n || !is_digit(c->s[c->i])) return 0;
    while (c->i < c->n && is_digit(c->s[c->i])) c->i++;
    return 1;
}

static int number(scan *c) {
    if (c->s[c->i] == '-') c->i++;
    if (c->i < c->n && c->s[c->i] == '0') c->i++;
    else if (!digits(c)) return 0;
    if (c->i < c->n && c->s[c->i] == '.') {
        c->i++;
        if (!digits(c)) return 0;
    }
    if (c->i < c->n && (c->s[c->i] == 'e' || c->s[c->i] == 'E')) {
        c->i++;
        if (c->i < c->n && (c->s[c->i] == '+' || c->s[c->i] == '-')) c->i++;
        if (!digits(c)) return 0;
    }
    return 1;
}

size_t json_syntax_error_at(const char *text, size_t len) {
    scan c = {(const unsigned char *)text, len, 0};
    unsigned char open[JSON_SYNTAX_MAX_DEPTH]; /* '{' or '[' of each open container */
    size_t depth = 0;
    int ok;

value:
    skip_space(&c);
    if (c.i >= c.n) return c.n;
    switch (c.s[c.i]) {
    case '{':
    case '[':
        if (depth == JSON_SYNTAX_MAX_DEPTH) return JSON_SYNTAX_OK;
        open[depth++] = c.s[c.i++];
        skip_space(&c);
        if (c.i < c.n && c.s[c.i] == (open[depth - 1] == '{' ? '}' : ']')) {
            c.i++;
            depth--;
            goto after_value;
        }
        if (open[depth - 1] == '{') goto key;
        goto value;
    case '"': ok = string(&c); break;
    case 't': ok = literal(&c, "true"); break;
    case 'f': ok = literal(&c, "false"); break;
    case 'n': ok = literal(&c, "null"); break;
    default:
        if (c.s[c.i] != '-' && !is_digit(c.s[c.i])) return c.i;
        ok = number(&c);
    }
    if (!ok) return c.i;

after_value:
    skip_space(&c);
    if (depth == 0) return c.i < c.n ? c.i : JSON_SYNTAX_OK;
    if (c.i >= c.n) return c.n;
    if (c.s[c.i] == ',') {
        c.i++;
        if (open[depth - 1] == '{') goto key;
        goto value;
    }
    if (c.s[c.i] != (open[depth - 1] == '{' ? '}' : ']')) return c.i;
    c.i++;
    depth--;
    goto after_value;

key:
    skip_space(&c);
    if (c.i >= c.n) return c.n;
    if (c.s[c.i] != '"') return c.i;
    if (!string(&c)) return c.i;
    skip_space(&c);
    if (c.i >= c.n) return c.n;
    if (c.s[c.i] != ':') return c.i;
    c.i++;
    goto value;
}
