/*
 * test_json_syntax — the byte offset a refused request's "not well-formed JSON (byte N)"
 * names (src/json_syntax.h): the first byte that cannot continue a JSON text, or the
 * text's length when it ends too early, on every path (a key expected, a value expected,
 * a separator expected, a bad escape or literal, a number cut short), and what the entry
 * points report (the BOM counted, as for every offset).
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "json_syntax.h"
#include "nova.h"

typedef struct {
    const char *text;
    size_t at; /* JSON_SYNTAX_OK: valid */
} syntax_case;

#define OK JSON_SYNTAX_OK

static const syntax_case CASES[] = {
    {"{\"a\":1,,}", 7},          /* a key expected: the second comma */
    {"{\"a\":1,}", 7},           /* the closing brace where a key must be */
    {"[1,2", 4},                 /* ends early: the length */
    {"{\"context\": x}", 12},    /* a value expected */
    {"{\"a\" 1}", 5},            /* ':' expected */
    {"{\"a\":1 \"b\":2}", 7},    /* ',' or '}' expected */
    {"[1,]", 3},
    {"[1 2]", 3},
    {"{\"a\":tru}", 8},          /* the byte that breaks the literal */
    {"{\"a\":nul", 8},
    {"\"abc", 4},                /* an unterminated string ends early */
    {"\"a\\x\"", 3},             /* a bad escape: the byte after the backslash */
    {"\"\\u12G4\"", 5},
    {"[-]", 2},
    {"[1.]", 3},
    {"[1e+]", 4},
    {"[01]", 2},
    {"{} x", 3},                 /* data after the value */
    {"", 0},
    {"   ", 3},
    {"{\"a\":[{\"b\":[}]}]}", 12},
    {"{\"a\":1}", OK},
    {" [1, -0.5e+3, \"x\\n\\u00e9\", true, false, null, {}, []] ", OK},
    {"\"tab\there\"", OK},       /* raw control bytes in strings: cJSON takes them */
};

static void test_cases(void) {
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const syntax_case *c = &CASES[i];
        size_t at = json_syntax_error_at(c->text, strlen(c->text));
        CHECK_MSG(at == c->at, "%s: %zu, expected %zu", c->text, at, c->at);
    }
}

/* The offset is the FIRST bad byte: the text up to it is a JSON prefix (cut there, it
 * only ends early, or is complete), for every case and every cut of the valid ones. */
static void test_first_bad_byte(void) {
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const syntax_case *c = &CASES[i];
        size_t len = strlen(c->text);
        size_t at = c->at == OK ? len : c->at;
        for (size_t cut = 0; cut <= at; cut++) {
            size_t got = json_syntax_error_at(c->text, cut);
            CHECK_MSG(got == cut || got == OK, "%s cut at %zu: %zu", c->text, cut, got);
        }
    }
}

static void test_deep_nesting_is_not_an_error_here(void) {
    char deep[600];
    memset(deep, '[', 300);
    memset(deep + 300, ']', 300);
    CHECK(json_syntax_error_at(deep, 600) == OK);
}

/* What the entry points say: the same offsets, counting a leading BOM. */
static void test_entry_points(void) {
    static const struct {
        const char *text;
        const char *byte;
    } cases[] = {
        {"{\"a\":1,,}", "(byte 7)"},
        {"[1,2", "(byte 4)"},
        {"{\"context\": x}", "(byte 12)"},
        {"{\"context\": nope}", "(byte 13)"}, /* "n" may begin null: "o" is the bad byte */
        {"\xEF\xBB\xBF{\"a\": x}", "(byte 9)"},
        {"{\"context\":{\"user_id\":\"11111111-1111-4111-8111-111111111111\",\"memories\":[}]}", "(byte 73)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL;
        size_t n = 0;
        nova_status st = nova_assemble(cases[i].text, strlen(cases[i].text), &out, &n);
        CHECK_MSG(st == NOVA_E_JSON && out && strstr(out, "not well-formed JSON") && strstr(out, cases[i].byte),
                  "%s: %s", cases[i].text, out ? out : "(null)");
        nova_free(out);
    }
}

int main(void) {
    RUN(test_cases);
    RUN(test_first_bad_byte);
    RUN(test_deep_nesting_is_not_an_error_here);
    RUN(test_entry_points);
    return harness_report();
}
