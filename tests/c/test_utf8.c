/* utf8: decoding without trusting the input (maximal subparts), encoding, counting. */
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "texts.h"
#include "utf8.h"

#define FFFD UTF8_REPLACEMENT

/* Decodes all of s[0..n) into cps (at most cap); returns how many. */
static size_t decode_all(const char *s, size_t n, uint32_t *cps, size_t cap) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, k = 0;
    while (i < n && k < cap) {
        size_t used = utf8_decode(p + i, n - i, &cps[k++]);
        if (used == 0 || used > n - i) return 0; /* must always make progress, in bounds */
        i += used;
    }
    return k;
}

static int same(const uint32_t *got, size_t got_n, const uint32_t *want, size_t want_n) {
    if (got_n != want_n) return 0;
    for (size_t i = 0; i < got_n; i++)
        if (got[i] != want[i]) return 0;
    return 1;
}

#define EXPECT_CPS(bytes, ...)                                                             \
    do {                                                                                   \
        static const char in_[] = bytes;                                                   \
        const uint32_t want_[] = {__VA_ARGS__};                                            \
        uint32_t got_[64];                                                                 \
        size_t n_ = decode_all(in_, sizeof in_ - 1, got_, 64);                             \
        CHECK_MSG(same(got_, n_, want_, sizeof want_ / sizeof want_[0]), "input %s", #bytes); \
    } while (0)

static void test_well_formed(void) {
    EXPECT_CPS("A", 0x41);
    EXPECT_CPS("\xC3\xA9", 0xE9);
    EXPECT_CPS("\xE2\x82\xAC", 0x20AC);
    EXPECT_CPS("\xF0\x9F\x98\x80", 0x1F600);
    EXPECT_CPS("\xED\x9F\xBF", 0xD7FF);          /* last before the surrogates */
    EXPECT_CPS("\xEE\x80\x80", 0xE000);          /* first after them */
    EXPECT_CPS("\xF4\x8F\xBF\xBF", 0x10FFFF);
    EXPECT_CPS("\xEF\xBF\xBD", 0xFFFD);          /* a genuine U+FFFD */
}

/* Unicode 15, section 3.9, table 3-8: one U+FFFD per maximal subpart. */
static void test_maximal_subparts(void) {
    EXPECT_CPS("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", 0x61, FFFD, FFFD, FFFD,
               0x62, FFFD, 0x63, FFFD, FFFD, 0x64);
    /* a bad byte never swallows the valid text after it */
    EXPECT_CPS("\xE2\x82" "A", FFFD, 0x41);
    EXPECT_CPS("\xF0\x9F\x98" "\xC3\xA9", FFFD, 0xE9);
    EXPECT_CPS("\xFF\xFE", FFFD, FFFD);
}

static void test_overlongs(void) {
    EXPECT_CPS("\xC0\x80", FFFD, FFFD);
    EXPECT_CPS("\xC1\xBF", FFFD, FFFD);
    EXPECT_CPS("\xE0\x80\x80", FFFD, FFFD, FFFD);
    EXPECT_CPS("\xE0\x9F\xBF", FFFD, FFFD, FFFD);
    EXPECT_CPS("\xF0\x80\x80\x80", FFFD, FFFD, FFFD, FFFD);
    EXPECT_CPS("\xF0\x8F\xBF\xBF", FFFD, FFFD, FFFD, FFFD);
    EXPECT_CPS("\xE0\xA0\x80", 0x800); /* the smallest non-overlong 3-byte form */
}

static void test_surrogates_and_range(void) {
    EXPECT_CPS("\xED\xA0\x80", FFFD, FFFD, FFFD);  /* U+D800 */
    EXPECT_CPS("\xED\xBF\xBF", FFFD, FFFD, FFFD);  /* U+DFFF */
    EXPECT_CPS("\xED\xA0\xBD\xED\xB8\x80", FFFD, FFFD, FFFD, FFFD, FFFD, FFFD); /* CESU-8 pair */
    EXPECT_CPS("\xF4\x90\x80\x80", FFFD, FFFD, FFFD, FFFD); /* U+110000 */
    EXPECT_CPS("\xF5\x80\x80\x80", FFFD, FFFD, FFFD, FFFD);
    EXPECT_CPS("\xF8\x88\x80\x80\x80", FFFD, FFFD, FFFD, FFFD, FFFD);
}

static void test_truncation(void) {
    const unsigned char two[] = {0xE2, 0x82};
    uint32_t cp = 0;
    CHECK(utf8_decode(two, 2, &cp) == 2 && cp == FFFD);
    CHECK(utf8_decode(two, 1, &cp) == 1 && cp == FFFD);
    const unsigned char four[] = {0xF0, 0x9F, 0x98, 0x80};
    /* the decoder must not read past n even though the bytes after would complete it */
    CHECK(utf8_decode(four, 3, &cp) == 3 && cp == FFFD);
    CHECK(utf8_decode(four, 4, &cp) == 4 && cp == 0x1F600);
}

static void test_encode_decode_round_trip(void) {
    size_t bad = 0;
    for (uint32_t c = 0; c <= 0x10FFFF; c++) {
        if (c >= 0xD800 && c <= 0xDFFF) continue;
        char buf[4];
        size_t n = utf8_encode(c, buf);
        size_t want = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        uint32_t back = 0;
        size_t used = utf8_decode((const unsigned char *)buf, n, &back);
        if (n != want || used != n || back != c || !utf8_valid(buf, n)) bad++;
    }
    CHECK_MSG(bad == 0, "%zu code points failed the round trip", bad);
}

static void test_count_and_valid(void) {
    CHECK(utf8_count("", 0) == 0);
    CHECK(utf8_count("a\xC3\xA9\xF0\x9F\x98\x80", 7) == 3);
    CHECK(utf8_count("a\xFF" "b", 3) == 3);
    CHECK(utf8_count("\xE2\x82", 2) == 1);
    CHECK(utf8_valid("", 0));
    CHECK(utf8_valid("\xEF\xBF\xBD", 3));
    CHECK(!utf8_valid("\xFF", 1));
    CHECK(!utf8_valid("ab\xE2\x82", 4));
    CHECK(!utf8_valid("\xED\xA0\x80", 3));
    CHECK(!utf8_valid("\xC0\xAF", 2));
}

/* utf8_chars (lead bytes, 8 at a time) agrees with utf8_count on valid text of every
 * length and mix; the doc counts its pieces with it, so the creator's texts must be
 * valid UTF-8 (they are prompt pieces as they are). */
static void test_chars_of_valid_text(void) {
    static const char *const parts[] = {"a", "\xC3\xA9", "\xE2\x80\x94", "\xF0\x9F\x98\x80", " ", "\n"};
    uint32_t seed = 5;
    for (int round = 0; round < 5000; round++) {
        char s[256];
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        for (size_t k = (seed >> 16) % 60; k > 0; k--) {
            seed = seed * 1103515245u + 12345u;
            const char *p = parts[(seed >> 16) % 6];
            memcpy(s + n, p, strlen(p));
            n += strlen(p);
        }
        CHECK_MSG(utf8_chars(s, n) == utf8_count(s, n), "round %d", round);
    }
    const struct { const char *name, *text; unsigned len; } texts[] = {
        {"core", nova_text_core, nova_text_core_len},
        {"memory", nova_text_memory, nova_text_memory_len},
        {"insight", nova_text_insight, nova_text_insight_len},
        {"relationship", nova_text_relationship, nova_text_relationship_len},
        {"memory_update", nova_text_memory_update, nova_text_memory_update_len},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        CHECK_MSG(utf8_valid(texts[i].text, texts[i].len), "prompts/%s.txt is not valid UTF-8", texts[i].name);
}

int main(void) {
    RUN(test_well_formed);
    RUN(test_maximal_subparts);
    RUN(test_overlongs);
    RUN(test_surrogates_and_range);
    RUN(test_truncation);
    RUN(test_encode_decode_round_trip);
    RUN(test_count_and_valid);
    RUN(test_chars_of_valid_text);
    return harness_report();
}
