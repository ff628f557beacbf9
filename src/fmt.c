/*
 * fmt — snprintf and strtod for the subset the engine (and cJSON, in the wasm builds)
 * uses; see fmt.h. Doubles are converted exactly with a small big-integer type, so there
 * is no long double, no table of powers and no locale anywhere.
 */
#include "fmt.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------------ big integers */

/* 4096 bits, little-endian 32-bit limbs: holds 2^53 * 5^1074 (the exact digits of the
 * smallest double, 2547 bits) and 10^1126 (nova_strtod's largest divisor, 3741 bits). */
#define BIG_LIMBS 128

typedef struct {
    uint32_t w[BIG_LIMBS];
    int n; /* limbs in use; the top one is non-zero */
} big;

static void big_set(big *b, uint64_t v) {
    b->w[0] = (uint32_t)v;
    b->w[1] = (uint32_t)(v >> 32);
    b->n = b->w[1] ? 2 : b->w[0] ? 1 : 0;
}

/* b = b * m + add. The sizes above keep every use inside BIG_LIMBS; the check only
 * keeps a mistake from writing past the array. */
static void big_muladd(big *b, uint32_t m, uint32_t add) {
    uint64_t carry = add;
    for (int i = 0; i < b->n; i++) {
        uint64_t t = (uint64_t)b->w[i] * m + carry;
        b->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry && b->n < BIG_LIMBS) b->w[b->n++] = (uint32_t)carry;
}

/* b = b * base^k, a limb-sized power at a time. */
static void big_mulpow(big *b, uint32_t base, int k) {
    while (k > 0) {
        uint32_t m = 1;
        while (k > 0 && m <= UINT32_MAX / base) {
            m *= base;
            k--;
        }
        big_muladd(b, m, 0);
    }
}

/* b = b / d; returns the remainder. */
static uint32_t big_divmod(big *b, uint32_t d) {
    uint64_t r = 0;
    for (int i = b->n - 1; i >= 0; i--) {
        uint64_t t = r << 32 | b->w[i];
        b->w[i] = (uint32_t)(t / d);
        r = t % d;
    }
    while (b->n && !b->w[b->n - 1]) b->n--;
    return (uint32_t)r;
}

static int big_bits(const big *b) {
    if (!b->n) return 0;
    int bits = (b->n - 1) * 32;
    for (uint32_t top = b->w[b->n - 1]; top; top >>= 1) bits++;
    return bits;
}

static int big_bit(const big *b, int i) { return (int)(b->w[i / 32] >> (i % 32) & 1); }

/* b = 2b + bit */
static void big_shl1(big *b, uint32_t bit) {
    uint32_t carry = bit;
    for (int i = 0; i < b->n; i++) {
        uint32_t t = b->w[i];
        b->w[i] = t << 1 | carry;
        carry = t >> 31;
    }
    if (carry && b->n < BIG_LIMBS) b->w[b->n++] = carry;
}

static int big_less(const big *a, const big *b) {
    if (a->n != b->n) return a->n < b->n;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->w[i] != b->w[i]) return a->w[i] < b->w[i];
    return 0;
}

/* a = a - b, for a >= b */
static void big_sub(big *a, const big *b) {
    uint64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->w[i] - (i < b->n ? b->w[i] : 0) - borrow;
        a->w[i] = (uint32_t)t;
        borrow = t >> 63;
    }
    while (a->n && !a->w[a->n - 1]) a->n--;
}

/* ------------------------------------------------------------------ double -> digits */

/* 767 significant digits at most (the smallest subnormal), in 9-digit groups. */
#define DIGITS_MAX 800

/* The exact decimal digits of finite |v|: dig[0..n) without leading or trailing zeros
 * (n = 0 for zero), v = 0.d1d2...dn * 10^point. Returns n. */
static int exact_digits(double v, char *dig, int *point) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int e = (int)(bits >> 52 & 0x7ff);
    uint64_t m = bits & ((1ULL << 52) - 1);
    if (e)
        m |= 1ULL << 52;
    else
        e = 1;
    e -= 1075; /* |v| = m * 2^e */
    *point = 0;
    if (!m) return 0;
    big b;
    big_set(&b, m);
    int frac = 0; /* digits after the decimal point: m * 2^-k = m * 5^k / 10^k */
    if (e >= 0) {
        big_mulpow(&b, 2, e);
    } else {
        big_mulpow(&b, 5, -e);
        frac = -e;
    }
    char rev[DIGITS_MAX]; /* least significant first */
    int n = 0;
    while (b.n) {
        uint32_t r = big_divmod(&b, 1000000000u);
        for (int i = 0; i < 9; i++, r /= 10) rev[n++] = (char)('0' + r % 10);
    }
    while (rev[n - 1] == '0') n--;
    *point = n - frac;
    int low = 0;
    while (rev[low] == '0') low++;
    int k = 0;
    for (int i = n - 1; i >= low; i--) dig[k++] = rev[i];
    return k;
}

/* Do dig[0..n) round up when cut to their first keep (0 <= keep < n) digits? Above half
 * a unit of the last kept place, or half and (more digits after or the kept last odd). */
static int rounds_up(const char *dig, int n, int keep) {
    return dig[keep] > '5' ||
           (dig[keep] == '5' && (keep + 1 < n || (keep > 0 && (dig[keep - 1] & 1))));
}

/* dig[0..n) plus one unit in its last place; the 9s carried over dropped (a carry out of
 * the first digit moves *point). Returns the count. */
static int bump_last(char *dig, int n, int *point) {
    while (n > 0 && dig[n - 1] == '9') n--;
    if (n == 0) {
        dig[n++] = '1';
        (*point)++;
    } else {
        dig[n - 1]++;
    }
    return n;
}

/* Rounds dig[0..n) to its first `keep` digits (keep <= 0: to the digit position `keep`
 * places before the first), ties to even, as printf does. Returns the new count;
 * a carry out of the first digit moves *point. */
static int round_digits(char *dig, int n, int keep, int *point) {
    if (keep >= n) return n;
    if (keep < 0) return 0; /* below half a unit of the last kept place */
    int up = rounds_up(dig, n, keep);
    n = keep;
    if (up) n = bump_last(dig, n, point);
    while (n > 0 && dig[n - 1] == '0') n--;
    return n;
}

/* ------------------------------------------------------------------ output */

typedef struct {
    char *buf;
    size_t cap, len;
} out;

static void put(out *o, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++, o->len++)
        if (o->len + 1 < o->cap) o->buf[o->len] = s[i];
}

static void put_n(out *o, char c, int n) {
    for (; n > 0; n--) put(o, &c, 1);
}

/* sign, then body, right-aligned in width by spaces (or zeros after the sign). */
static void field(out *o, const char *sign, const char *body, size_t len, int width,
                  int zero) {
    size_t sl = strlen(sign);
    int pad = width > (int)(sl + len) ? width - (int)(sl + len) : 0;
    if (!zero) put_n(o, ' ', pad);
    put(o, sign, sl);
    if (zero) put_n(o, '0', pad);
    put(o, body, len);
}

/* Writes v in base 10 or 16 backwards ending at end; returns the start. */
static char *utoa(unsigned long long v, unsigned base, char *end) {
    do {
        *--end = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    return end;
}

/* Appends the digits dig[from..to) to t, '0' where there is no digit. */
static size_t put_digits(char *t, size_t k, const char *dig, int n, int from, int to) {
    for (int i = from; i < to; i++) t[k++] = i >= 0 && i < n ? dig[i] : '0';
    return k;
}

/* %f (g = 0) or %g (g = 1) of finite |v| into t (DIGITS_MAX + precision + 8 bytes). */
static size_t format_double(double v, int prec, int g, char *t) {
    char dig[DIGITS_MAX];
    int point;
    int n = exact_digits(v, dig, &point);
    size_t k = 0;
    if (g) {
        if (prec == 0) prec = 1;
        n = round_digits(dig, n, prec, &point);
        int x = n ? point - 1 : 0; /* decimal exponent */
        if (x < -4 || x >= prec) { /* d.ddde+XX */
            t[k++] = dig[0];
            if (n > 1) {
                t[k++] = '.';
                k = put_digits(t, k, dig, n, 1, n);
            }
            t[k++] = 'e';
            t[k++] = x < 0 ? '-' : '+';
            char num[8], *s = utoa((unsigned)(x < 0 ? -x : x), 10, num + sizeof num);
            if (num + sizeof num - s < 2) t[k++] = '0';
            while (s < num + sizeof num) t[k++] = *s++;
            return k;
        }
        /* Fixed, trailing zeros dropped: exactly the digits left after rounding. */
        prec = n > point ? n - point : 0;
    } else {
        n = round_digits(dig, n, point + prec, &point);
    }
    if (point > 0 && n)
        k = put_digits(t, k, dig, n, 0, point);
    else
        t[k++] = '0';
    if (prec > 0) {
        t[k++] = '.';
        k = put_digits(t, k, dig, n, point, point + prec);
    }
    return k;
}

/* ------------------------------------------------------------------ nova_vsnprintf */

int nova_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap) {
    out o = {buf, cap, 0};
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&o, p, 1);
            continue;
        }
        p++;
        int zero = 0, width = 0, prec = -1, size = 0; /* size: 1 l, 2 ll, 3 z */
        for (; *p == '0'; p++) zero = 1;
        for (; *p >= '0' && *p <= '9' && width < 100000; p++) width = width * 10 + (*p - '0');
        if (*p == '.') {
            prec = 0;
            if (*++p == '*') {
                prec = va_arg(ap, int);
                if (prec < 0) prec = -1;
                p++;
            }
            for (; *p >= '0' && *p <= '9' && prec < 100000; p++) prec = prec * 10 + (*p - '0');
        }
        if (*p == 'z') {
            size = 3;
            p++;
        }
        for (; *p == 'l' && size < 2; p++) size++;
        char num[24], *end = num + sizeof num;
        unsigned long long u;
        const char *sign = "";
        switch (*p) {
        case '%':
            put(&o, "%", 1);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            field(&o, "", &c, 1, width, 0);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            const char *z = prec >= 0 ? memchr(s, '\0', (size_t)prec) : NULL;
            size_t len = prec < 0 ? strlen(s) : z ? (size_t)(z - s) : (size_t)prec;
            field(&o, "", s, len, width, 0);
            break;
        }
        case 'd':
        case 'i': {
            long long v = size == 2 ? va_arg(ap, long long)
                        : size == 1 ? va_arg(ap, long)
                        : size == 3 ? (long long)va_arg(ap, size_t)
                                    : va_arg(ap, int);
            u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
            if (v < 0) sign = "-";
            goto integer;
        }
        case 'u':
        case 'x':
            u = size == 2 ? va_arg(ap, unsigned long long)
              : size == 1 ? va_arg(ap, unsigned long)
              : size == 3 ? va_arg(ap, size_t)
                          : va_arg(ap, unsigned);
        integer: {
            if (prec >= 0) return -1;
            char *s = utoa(u, *p == 'x' ? 16 : 10, end);
            field(&o, sign, s, (size_t)(end - s), width, zero);
            break;
        }
        case 'f':
        case 'g': {
            double v = va_arg(ap, double);
            uint64_t bits;
            memcpy(&bits, &v, sizeof bits);
            if (bits >> 63) sign = "-";
            if (prec < 0) prec = 6;
            if (prec > 400) return -1;
            if (v != v || v - v != 0) {
                field(&o, sign, v != v ? "nan" : "inf", 3, width, 0);
                break;
            }
            char t[DIGITS_MAX + 420];
            field(&o, sign, t, format_double(v, prec, *p == 'g', t), width, zero);
            break;
        }
        default:
            return -1;
        }
    }
    if (cap) buf[o.len < cap ? o.len : cap - 1] = '\0';
    return o.len > INT_MAX ? -1 : (int)o.len;
}

int nova_snprintf(char *buf, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = nova_vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

/* ------------------------------------------------------------------ nova_strtod */

/* The double nearest to (q + a little when sticky) * 2^b, ties to even; q has at least
 * 55 significant bits, so the rounding bits are all in q (shift >= 2 below). */
static double make_double(uint64_t q, int sticky, int b, int neg) {
    int k = 0;
    for (uint64_t t = q; t; t >>= 1) k++;
    int shift = k - 53;
    if (b + shift < -1074) shift = -1074 - b; /* subnormal: the last bit is 2^-1074 */
    uint64_t m = 0;
    if (shift <= 64) {
        uint64_t rest = shift == 64 ? q : q & ((1ULL << shift) - 1);
        uint64_t half = 1ULL << (shift - 1);
        m = shift == 64 ? 0 : q >> shift;
        if (rest > half || (rest == half && (sticky || (m & 1)))) m++;
    } /* else: below half the smallest subnormal, so zero */
    b += shift;
    if (m >> 53) {
        m >>= 1;
        b++;
    }
    uint64_t bits = m; /* subnormal or zero: b is -1074 */
    if (m >> 52) {
        int e = b + 52 + 1023;
        bits = e >= 2047 ? 0x7ffULL << 52 : (uint64_t)e << 52 | (m & ((1ULL << 52) - 1));
    }
    bits |= (uint64_t)neg << 63;
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

double nova_strtod(const char *s, char **end) {
    const char *p = s;
    int neg = *p == '-';
    if (*p == '+' || *p == '-') p++;
    /* The first DIGITS_MAX significant digits; a non-zero digit after them only matters
     * as "a little more" (768 digits decide any rounding), kept as a final 1. */
    char dig[DIGITS_MAX + 1];
    int n = 0, any = 0, point = 0, more = 0;
    long e10 = 0; /* value = digits * 10^e10 */
    for (;; p++) {
        if (*p == '.' && !point) {
            point = 1;
            continue;
        }
        if (*p < '0' || *p > '9') break;
        any = 1;
        if (n < DIGITS_MAX && (n || *p != '0')) {
            dig[n++] = *p;
            e10 -= point;
        } else if (n) { /* a digit after the kept ones */
            more |= *p != '0';
            e10 += !point;
        } else {
            e10 -= point; /* a leading zero */
        }
    }
    if (!any) {
        if (end) *end = (char *)s;
        return 0;
    }
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        int eneg = *q == '-';
        if (*q == '+' || *q == '-') q++;
        if (*q >= '0' && *q <= '9') {
            long x = 0;
            for (; *q >= '0' && *q <= '9'; q++)
                if (x < 100000) x = x * 10 + (*q - '0');
            e10 += eneg ? -x : x;
            p = q;
        }
    }
    if (end) *end = (char *)p;
    if (more) {
        dig[n++] = '1';
        e10--;
    }
    /* value = 0.d1d2... * 10^(n + e10) */
    if (n == 0 || n + e10 < -324) return neg ? -0.0 : 0.0;
    /* Most JSON numbers (0.37, 24000, 1.5): at most 15 digits, so the digits are an exact
     * double, and 10^|e10| <= 10^22 is exact too; one IEEE multiplication or division of
     * two exact values is correctly rounded, so this is the exact answer, without the
     * big-integer division below (Clinger's fast path). */
    if (n <= 15 && e10 >= -22 && e10 <= 22) {
        static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        uint64_t m = 0;
        for (int i = 0; i < n; i++) m = m * 10 + (uint64_t)(dig[i] - '0');
        double v = e10 < 0 ? (double)m / pow10[-e10] : (double)m * pow10[e10];
        return neg ? -v : v;
    }
    if (n + e10 > 310) return make_double(1ULL << 55, 0, 2000, neg);

    /* num / den = digits * 10^e10 exactly; q = the leading quotient bits of
     * num * 2^sh / den by long division, at least 55 of them, at most 64 kept. */
    big num, den, rem;
    big_set(&num, 0);
    for (int i = 0; i < n; i++) big_muladd(&num, 10, (uint32_t)(dig[i] - '0'));
    big_set(&den, 1);
    big_mulpow(e10 < 0 ? &den : &num, 10, (int)(e10 < 0 ? -e10 : e10));
    int nb = big_bits(&num), sh = 55 + big_bits(&den) - nb;
    if (sh < 0) sh = 0;
    big_set(&rem, 0);
    uint64_t q = 0;
    int kept = 0, extra = 0, sticky = 0;
    for (int i = nb - 1; i >= -sh; i--) {
        big_shl1(&rem, i >= 0 ? (uint32_t)big_bit(&num, i) : 0);
        int bit = !big_less(&rem, &den);
        if (bit) big_sub(&rem, &den);
        if (kept < 64 && (kept || bit)) {
            q = q << 1 | (uint64_t)bit;
            kept++;
        } else if (kept) {
            extra++;
            sticky |= bit;
        }
    }
    sticky |= rem.n != 0;
    return make_double(q, sticky, extra - sh, neg);
}

/* ------------------------------------------------------------------ shortest */

/* Does 0.dig[0..n) * 10^point read back as v? */
static int reads_back(const char *dig, int n, int point, double v) {
    char t[48];
    int k = 0;
    for (int i = 0; i < n; i++) t[k++] = dig[i];
    nova_snprintf(t + k, sizeof t - (size_t)k, "e%d", point - n);
    return nova_strtod(t, NULL) == v;
}

/* The keep-digit decimal of v that reads back, nearest first (the truncation or one unit
 * above it: the interval that reads back as v holds v, so if any keep-digit decimal is in
 * it one of these two is; it is lopsided at a power of two, so the farther one may be
 * the only one). Into res/point; returns its digit count, 0 when neither reads back. */
static int candidate(const char *dig, int n, int p0, int keep, double v, char *res, int *point) {
    if (keep >= n) { /* exact */
        memcpy(res, dig, (size_t)n);
        *point = p0;
        return n;
    }
    char cand[2][20];
    int m[2], p[2] = {p0, p0};
    memcpy(cand[0], dig, (size_t)keep); /* truncated */
    m[0] = keep;
    while (dig[m[0] - 1] == '0') m[0]--;
    memcpy(cand[1], dig, (size_t)keep); /* one unit up */
    m[1] = bump_last(cand[1], keep, &p[1]);
    int up = rounds_up(dig, n, keep); /* round_digits' rule */
    for (int t = 0; t < 2; t++) {
        int c = t == 0 ? up : !up;
        if (reads_back(cand[c], m[c], p[c], v)) {
            memcpy(res, cand[c], (size_t)m[c]);
            *point = p[c];
            return m[c];
        }
    }
    return 0;
}

/* The fewest digits that read back as v (finite, > 0): digits[0..return) (at least 20
 * bytes), v ~ 0.digits * 10^point. "Some keep-digit decimal reads back" holds from one
 * count on (a keep-digit decimal is a keep+1-digit one), so the count is found by
 * bisection over 1..17 (17 always reads back): a handful of nova_strtod calls. */
static int shortest_digits(double v, char *digits, int *point) {
    char dig[DIGITS_MAX];
    int p0, n = exact_digits(v, dig, &p0);
    int lo = 1, hi = n < 17 ? n : 17; /* hi reads back: exact, or 17 digits */
    while (lo < hi) {
        int mid = (lo + hi) / 2, pm;
        char tmp[20];
        if (candidate(dig, n, p0, mid, v, tmp, &pm)) hi = mid;
        else lo = mid + 1;
    }
    int k = candidate(dig, n, p0, lo, v, digits, point);
    if (k) return k;
    /* Not reached (17 digits always read back); the nearest 17 digits regardless. */
    memcpy(digits, dig, (size_t)(n < 18 ? n : 18));
    *point = p0;
    return round_digits(digits, n, 17, point);
}

const char *nova_format_shortest(double v, char *buf) {
    if (v != v || v - v != 0 || v == 0) { /* -0 too; non-finite never reaches here */
        strcpy(buf, "0");
        return buf;
    }
    char dig[20];
    int point, k = shortest_digits(v < 0 ? -v : v, dig, &point);
    size_t at = 0;
    if (v < 0) buf[at++] = '-';
    /* ECMAScript Number::toString, with n = point and k digits. */
    if (k <= point && point <= 21) {
        memcpy(buf + at, dig, (size_t)k);
        at += (size_t)k;
        for (int i = k; i < point; i++) buf[at++] = '0';
    } else if (0 < point && point <= 21) {
        memcpy(buf + at, dig, (size_t)point);
        at += (size_t)point;
        buf[at++] = '.';
        memcpy(buf + at, dig + point, (size_t)(k - point));
        at += (size_t)(k - point);
    } else if (-6 < point && point <= 0) {
        buf[at++] = '0';
        buf[at++] = '.';
        for (int i = point; i < 0; i++) buf[at++] = '0';
        memcpy(buf + at, dig, (size_t)k);
        at += (size_t)k;
    } else {
        buf[at++] = dig[0];
        if (k > 1) {
            buf[at++] = '.';
            memcpy(buf + at, dig + 1, (size_t)(k - 1));
            at += (size_t)(k - 1);
        }
        int e = point - 1;
        nova_snprintf(buf + at, NOVA_SHORTEST_BUF - at, "e%c%d", e < 0 ? '-' : '+', e < 0 ? -e : e);
        return buf;
    }
    buf[at] = '\0';
    return buf;
}

/* ------------------------------------------------------------------ engine numbers */

/* Values this large have no fractional digits worth showing; they are printed whole. */
#define WHOLE_FROM 1e12

typedef enum shown_kind { SHOWN_ZERO, SHOWN_WHOLE, SHOWN_MICROS } shown_kind;

/* How v is shown: 0 (NaN, infinities: JSON has neither), whole, or *micros millionths
 * rounded half away from zero. The one rounding rule of nova_number_shown and
 * nova_format_number, so the value decided on and the text shown never differ. */
static shown_kind shown(double v, long long *micros) {
    if (v != v || v - v != 0) return SHOWN_ZERO;
    if (v >= WHOLE_FROM || v <= -WHOLE_FROM) return SHOWN_WHOLE;
    double scaled = v * 1e6;
    *micros = (long long)(scaled + (scaled < 0 ? -0.5 : 0.5));
    return SHOWN_MICROS;
}

/* v rounded to an integer as "%.0f" prints it (halves to even), without libm. From 2^52
 * on every double is an integer already; below, the fraction v - t is exact. */
static double whole(double v) {
    if (v >= 4503599627370496.0 || v <= -4503599627370496.0) return v;
    long long t = (long long)v;
    double frac = v - (double)t, half = frac < 0 ? -frac : frac;
    if (half > 0.5 || (half == 0.5 && (t & 1))) t += frac < 0 ? -1 : 1;
    return (double)t;
}

double nova_number_shown(double v) {
    long long n = 0;
    switch (shown(v, &n)) {
    case SHOWN_ZERO: return 0;
    case SHOWN_WHOLE: return whole(v);
    default: return (double)n / 1e6;
    }
}

const char *nova_format_number(double v, char *buf) {
    long long n = 0;
    switch (shown(v, &n)) {
    case SHOWN_ZERO:
        strcpy(buf, "0");
        return buf;
    case SHOWN_WHOLE:
        /* No decimal point is written, so no locale can change the text. */
        nova_snprintf(buf, NOVA_NUMBER_BUF, "%.0f", v);
        return buf;
    default:
        break;
    }
    unsigned long long m = n < 0 ? (unsigned long long)-n : (unsigned long long)n;
    unsigned long long ip = m / 1000000u, fp = m % 1000000u;
    int len = nova_snprintf(buf, NOVA_NUMBER_BUF, "%s%llu", n < 0 ? "-" : "", ip);
    if (fp) {
        char frac[8];
        nova_snprintf(frac, sizeof frac, "%06llu", fp);
        size_t k = 6;
        while (frac[k - 1] == '0') k--;
        frac[k] = '\0';
        nova_snprintf(buf + len, NOVA_NUMBER_BUF - (size_t)len, ".%s", frac);
    }
    return buf;
}
