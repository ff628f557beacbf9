/*
 * test_json_write — the direct result writer (src/json_write.h) against cJSON's printer,
 * which wrote the results before: the same bytes for every string, integer and literal,
 * and the escaping found at every position of the 8-byte steps.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "harness.h"
#include "json_write.h"

/* What cJSON prints for the string s[0..n) (no NUL inside). */
static char *cjson_string(const char *s) {
    cJSON *v = cJSON_CreateString(s);
    char *text = cJSON_PrintUnformatted(v);
    cJSON_Delete(v);
    return text;
}

static char *ours_string(const char *s, size_t n, size_t *len) {
    json_out o;
    json_out_init(&o, 0);
    json_string(&o, (nova_text){s, n});
    return json_out_finish(&o, len);
}

static void check_same(const char *s) {
    size_t len = 0;
    char *want = cjson_string(s), *got = ours_string(s, strlen(s), &len);
    CHECK_MSG(want && got && strcmp(want, got) == 0 && len == strlen(got), "%s vs %s", got, want);
    cJSON_free(want);
    free(got);
}

/* Every byte 1..255 alone, and each special one at each offset of strings of 1..40
 * bytes (covers the word steps, their tails and a byte >= 0x80 next to it). */
static void test_escaping_like_cjson(void) {
    char s[64];
    for (int c = 1; c < 256; c++) {
        s[0] = (char)c;
        s[1] = '\0';
        check_same(s);
    }
    const unsigned char special[] = {'"', '\\', '\n', '\r', '\t', '\b', '\f', 0x01, 0x1F, 0x20,
                                     0x7F, 0x80, 0xE2, 0x21, 0x5B, 0x5D};
    for (size_t k = 0; k < sizeof special; k++)
        for (size_t n = 1; n <= 40; n++)
            for (size_t at = 0; at < n; at++) {
                for (size_t i = 0; i < n; i++) s[i] = (char)('a' + i % 26);
                s[at] = (char)special[k];
                if (at + 1 < n) s[at + 1] = (char)0xC3; /* a non-ASCII neighbour */
                s[n] = '\0';
                check_same(s);
            }
}

static void test_long_text_grows(void) {
    size_t n = 300000;
    char *s = malloc(n + 1);
    for (size_t i = 0; i < n; i++) s[i] = i % 61 == 60 ? '\n' : i % 97 == 3 ? '"' : 'x';
    s[n] = '\0';
    check_same(s);
    free(s);
}

static void test_numbers_and_literals(void) {
    json_out o;
    json_out_init(&o, 1);
    JSON_LIT(&o, "[");
    json_uint(&o, 0);
    JSON_LIT(&o, ",");
    json_uint(&o, 1234567890123ull);
    JSON_LIT(&o, ",");
    json_number(&o, 2.5);
    JSON_LIT(&o, ",");
    json_number(&o, 0.1 + 0.2);
    JSON_LIT(&o, ",");
    json_bool(&o, 1);
    JSON_LIT(&o, ",");
    json_bool(&o, 0);
    JSON_LIT(&o, ",");
    json_cstring(&o, NULL);
    JSON_LIT(&o, "]");
    size_t len = 0;
    char *text = json_out_finish(&o, &len);
    CHECK_STR(text, "[0,1234567890123,2.5,0.3,true,false,\"\"]");
    CHECK(text && len == strlen(text));
    free(text);
}

int main(void) {
    RUN(test_escaping_like_cjson);
    RUN(test_long_text_grows);
    RUN(test_numbers_and_literals);
    return harness_report();
}
