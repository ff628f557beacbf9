/* Bad input, each with its documented outcome, through the C API (nova_assemble,
 * nova_detect) and through the CLI binary (NOVA_CLI): a clear error and exit status 2
 * (with --json also the error result JSON on stdout, without it nothing), never a crash;
 * invalid UTF-8 is replaced and a valid UTF-8 prompt still comes out. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cJSON.h"
#include "harness.h"
#include "nova.h"
#include "read_file.h"
#include "utf8.h"

#ifndef NOVA_CLI
#define NOVA_CLI ""
#endif

#define UID "11111111-1111-4111-8111-111111111111"

typedef struct text {
    char *s;
    size_t len;
} text;

static text lit(const char *s) {
    text t = {malloc(strlen(s) + 1), strlen(s)};
    memcpy(t.s, s, t.len + 1);
    return t;
}

/* before + n copies of `fill` + after. */
static text repeat(const char *before, const char *fill, size_t n, const char *after) {
    size_t lb = strlen(before), lf = strlen(fill), la = strlen(after);
    text t = {malloc(lb + lf * n + la + 1), lb + lf * n + la};
    memcpy(t.s, before, lb);
    for (size_t i = 0; i < n; i++) memcpy(t.s + lb + i * lf, fill, lf);
    memcpy(t.s + lb + lf * n, after, la + 1);
    return t;
}

typedef struct bad_case {
    const char *name;
    text request;
    const char *code;      /* expected error code */
    const char *path;      /* expected error path */
    const char *message;   /* a word the message must contain, or NULL */
} bad_case;

/* The error result must be {"error":{code,message,path}} with the expected values. */
static void check_error_json(const bad_case *c, nova_status st, const char *out, size_t len) {
    CHECK_MSG(out != NULL, "%s: no result", c->name);
    if (!out) return;
    CHECK_MSG(strcmp(nova_status_name(st), c->code) == 0, "%s: status %s, want %s", c->name,
              nova_status_name(st), c->code);
    CHECK_MSG(utf8_valid(out, len) && strlen(out) == len, "%s: result is not clean UTF-8", c->name);
    cJSON *root = cJSON_ParseWithLength(out, len);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "code");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(e, "message");
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(e, "path");
    CHECK_MSG(cJSON_IsString(code) && strcmp(code->valuestring, c->code) == 0, "%s: %s", c->name, out);
    CHECK_MSG(cJSON_IsString(path) && strcmp(path->valuestring, c->path) == 0, "%s: %s", c->name, out);
    CHECK_MSG(cJSON_IsString(msg) && msg->valuestring[0] &&
                  (!c->message || strstr(msg->valuestring, c->message)),
              "%s: %s", c->name, out);
    cJSON_Delete(root);
}

static text read_text(const char *path) {
    text t = {NULL, 0};
    t.s = read_file(path, &t.len);
    return t;
}

/* Runs the CLI with args on input; returns its exit status (-1 if it did not exit). */
static int run_cli(const char *args, const text *input, text *out, text *err) {
    char in_path[] = "/tmp/nova-bad-input-XXXXXX";
    int fd = mkstemp(in_path);
    if (fd < 0) return -1;
    if (input->len && write(fd, input->s, input->len) != (ssize_t)input->len) {
        close(fd);
        unlink(in_path);
        return -1;
    }
    close(fd);
    char out_path[64], err_path[64], cmd[512];
    snprintf(out_path, sizeof out_path, "%s.out", in_path);
    snprintf(err_path, sizeof err_path, "%s.err", in_path);
    snprintf(cmd, sizeof cmd, "'%s' %s < '%s' > '%s' 2> '%s'", NOVA_CLI, args, in_path, out_path,
             err_path);
    int rc = system(cmd);
    *out = read_text(out_path);
    *err = read_text(err_path);
    unlink(in_path);
    unlink(out_path);
    unlink(err_path);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static int have_cli(void) { return NOVA_CLI[0] != '\0' && access(NOVA_CLI, X_OK) == 0; }

static void check_cli_error(const bad_case *c) {
    if (!have_cli()) return;
    text out, err;
    int rc = run_cli("assemble", &c->request, &out, &err);
    char want[300];
    snprintf(want, sizeof want, "nova-prompt: %s: ", c->code);
    CHECK_MSG(rc == 2, "%s: CLI exit %d", c->name, rc);
    CHECK_MSG(err.s && strncmp(err.s, want, strlen(want)) == 0, "%s: stderr %s", c->name,
              err.s ? err.s : "(none)");
    if (c->path[0]) {
        snprintf(want, sizeof want, " (at %s)\n", c->path);
        CHECK_MSG(err.s && err.len >= strlen(want) && strcmp(err.s + err.len - strlen(want), want) == 0,
                  "%s: stderr %s", c->name, err.s ? err.s : "(none)");
    } else {
        CHECK_MSG(err.s && !strstr(err.s, "(at "), "%s: stderr %s", c->name, err.s ? err.s : "");
    }
    CHECK_MSG(out.len == 0, "%s: stdout not empty", c->name);
    free(out.s);

    /* --json: the same stderr line, and the error result JSON on stdout, one line, whose
     * code, message and path are the ones the stderr line shows. */
    text jout, jerr;
    rc = run_cli("assemble --json", &c->request, &jout, &jerr);
    CHECK_MSG(rc == 2, "%s: CLI --json exit %d", c->name, rc);
    CHECK_MSG(err.s && jerr.s && strcmp(err.s, jerr.s) == 0, "%s: --json stderr %s", c->name,
              jerr.s ? jerr.s : "(none)");
    int line = jout.len > 0 && jout.s[jout.len - 1] == '\n';
    CHECK_MSG(line, "%s: --json stdout is not one line: %s", c->name, jout.s ? jout.s : "(none)");
    cJSON *root = line ? cJSON_ParseWithLength(jout.s, jout.len - 1) : NULL;
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "code");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(e, "message");
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(e, "path");
    if (cJSON_IsString(code) && cJSON_IsString(msg) && cJSON_IsString(path)) {
        CHECK_MSG(strcmp(code->valuestring, c->code) == 0 && strcmp(path->valuestring, c->path) == 0,
                  "%s: --json stdout %s", c->name, jout.s);
        size_t cap = strlen(code->valuestring) + strlen(msg->valuestring) +
                     strlen(path->valuestring) + 32;
        char *from_json = malloc(cap);
        snprintf(from_json, cap, "nova-prompt: %s: %s%s%s%s\n", code->valuestring, msg->valuestring,
                path->valuestring[0] ? " (at " : "", path->valuestring,
                path->valuestring[0] ? ")" : "");
        CHECK_MSG(jerr.s && strcmp(jerr.s, from_json) == 0, "%s: stderr %s but stdout %s", c->name,
                  jerr.s ? jerr.s : "(none)", jout.s);
        free(from_json);
    } else {
        CHECK_MSG(0, "%s: --json stdout is not an error result: %s", c->name,
                  jout.s ? jout.s : "(none)");
    }
    cJSON_Delete(root);
    free(jout.s);
    free(jerr.s);
    free(err.s);
}

static void run_bad(bad_case *c) {
    char *out = NULL;
    size_t len = 0;
    nova_status st = nova_assemble(c->request.s, c->request.len, &out, &len);
    check_error_json(c, st, out, len);
    nova_free(out);
    out = NULL;
    st = nova_detect(c->request.s, c->request.len, &out, &len);
    check_error_json(c, st, out, len);
    nova_free(out);
    check_cli_error(c);
    free(c->request.s);
}

static void test_malformed_json(void) {
    bad_case cases[] = {
        {"unclosed", lit("{\"context\":{\"user_id\":\"" UID "\"},\"message\":\"hi\""), "invalid_json", "", "byte"},
        {"bare word", lit("hello"), "invalid_json", "", "byte"},
        {"trailing comma", lit("{\"message\":\"x\",}"), "invalid_json", "", NULL},
        {"two values", lit("{} {}"), "invalid_json", "", "after"},
        {"unterminated string", lit("{\"message\":\"abc"), "invalid_json", "", NULL},
        {"bad escape", lit("{\"message\":\"\\x41\"}"), "invalid_json", "", NULL},
        /* cJSON reads a \u without four hex digits as U+0000 and cuts the string there */
        {"\\u without hex digits", lit("{\"message\":\"Zo\\u00,eb\"}"), "invalid_json", "message", "hex"},
        {"\\u cut short", lit("{\"message\":\"Zo\\u12\"}"), "invalid_json", "message", "hex"},
        {"\\u without hex digits in a key",
         lit("{\"context\":{\"user_id\":\"" UID "\",\"us\\u00zzer\":1},\"message\":\"\"}"),
         "invalid_json", "context.us", "hex"},
        {"not UTF-8 outside strings", lit("{\"message\"\xFF:\"x\"}"), "invalid_json", "", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_bad(&cases[i]);
}

static void test_wrong_types(void) {
    bad_case cases[] = {
        {"array request", lit("[1,2]"), "wrong_type", "", NULL},
        {"user_id number", lit("{\"context\":{\"user_id\":7},\"message\":\"\"}"), "wrong_type",
         "context.user_id", NULL},
        {"message object", lit("{\"context\":{\"user_id\":\"" UID "\"},\"message\":{}}"), "wrong_type",
         "message", NULL},
        {"memory confidence string",
         lit("{\"context\":{\"user_id\":\"" UID "\",\"memories\":[{\"id\":\"" UID "\",\"category\":"
             "\"general\",\"content\":\"x\",\"confidence\":\"high\",\"updated_at\":"
             "\"2026-01-01T00:00:00Z\"}]},\"message\":\"\"}"),
         "wrong_type", "context.memories[0].confidence", NULL},
        {"missing message", lit("{\"context\":{\"user_id\":\"" UID "\"}}"), "missing_field", "message", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_bad(&cases[i]);
}

/* for_user: the context must be nova_prompt_context(for_user)'s answer. */
#define OTHER "22222222-2222-4222-8222-222222222222"
#define DB_MEMBERS "\"user\":null,\"partnership\":null,\"reference\":null,\"detection\":null"
static void test_for_user(void) {
    bad_case cases[] = {
        {"another user's context",
         lit("{\"for_user\":\"" OTHER "\",\"context\":{\"user_id\":\"" UID "\"," DB_MEMBERS
             ",\"memories\":[],\"insights\":[]},\"message\":\"hi\"}"),
         "invalid_value", "context.user_id", "another user"},
        {"a database member missing",
         lit("{\"for_user\":\"" UID "\",\"context\":{\"user_id\":\"" UID "\"," DB_MEMBERS
             ",\"memories\":[]},\"message\":\"hi\"}"),
         "missing_field", "context.insights", NULL},
        {"memories null",
         lit("{\"for_user\":\"" UID "\",\"context\":{\"user_id\":\"" UID "\"," DB_MEMBERS
             ",\"memories\":null,\"insights\":[]},\"message\":\"hi\"}"),
         "wrong_type", "context.memories", NULL},
        {"user absent",
         lit("{\"for_user\":\"" UID "\",\"context\":{\"user_id\":\"" UID "\",\"partnership\":null,"
             "\"reference\":null,\"detection\":null,\"memories\":[],\"insights\":[]},\"message\":\"hi\"}"),
         "missing_field", "context.user", NULL},
        {"for_user not a UUID",
         lit("{\"for_user\":\"someone\",\"context\":{\"user_id\":\"" UID "\"},\"message\":\"hi\"}"),
         "invalid_value", "for_user", "UUID"},
        {"for_user null",
         lit("{\"for_user\":null,\"context\":{\"user_id\":\"" UID "\"},\"message\":\"hi\"}"),
         "wrong_type", "for_user", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_bad(&cases[i]);

    /* The whole answer for this user (upper-case UUIDs name the same user): the same prompt
     * as without for_user. */
    const char *ctx = "{\"user_id\":\"aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa\"," DB_MEMBERS
                      ",\"memories\":[],\"insights\":[]}";
    char with[512], without[512];
    snprintf(with, sizeof with,
             "{\"for_user\":\"AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA\",\"context\":%s,\"message\":\"hi\"}",
             ctx);
    snprintf(without, sizeof without, "{\"context\":%s,\"message\":\"hi\"}", ctx);
    char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    CHECK(nova_assemble(with, strlen(with), &a, &alen) == NOVA_OK);
    CHECK(nova_assemble(without, strlen(without), &b, &blen) == NOVA_OK);
    CHECK(a && b && alen == blen && memcmp(a, b, alen) == 0);
    nova_free(a);
    nova_free(b);
}

static void test_deep_nesting(void) {
    text arrays = repeat("", "[", 10000, "");
    text closed = repeat("", "[", 10000, "");
    text objects = repeat("", "{\"a\":", 10000, "1");
    text inside = repeat("{\"context\":{\"user_id\":\"" UID "\",\"user\":{\"name\":\"A\",\"memory_summary\":",
                         "{\"k\":", 10000, "");
    /* well-formed too: 10,000 opened and closed */
    char *s = malloc(20001);
    memset(s, '[', 10000);
    memset(s + 10000, ']', 10000);
    s[20000] = '\0';
    free(closed.s);
    closed.s = s;
    closed.len = 20000;
    bad_case cases[] = {
        {"10000 arrays", arrays, "limit_exceeded", "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]", "nesting"},
        {"10000 arrays closed", closed, "limit_exceeded", "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]", "nesting"},
        {"10000 objects", objects, "limit_exceeded", "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a", "nesting"},
        {"10000 in memory_summary", inside, "limit_exceeded",
         "context.user.memory_summary.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k", "nesting"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_bad(&cases[i]);
}

/* An error path longer than the error record holds is cut after its last whole step and
 * ends in "..." (found by make fuzz: it ended in a bare '.'). Six objects under keys of 60
 * characters, each shown as its first 48 and "...": the first four steps fit. */
static void test_long_path_cut(void) {
    char key[61], step[70], want[300];
    memset(key, 'k', 60);
    key[60] = '\0';
    memcpy(step, "{\"", 2);
    memcpy(step + 2, key, 60);
    memcpy(step + 62, "\":", 3); /* with the NUL */
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        if (i) want[n++] = '.';
        memcpy(want + n, key, 48);
        memcpy(want + n + 48, "...", 3);
        n += 51;
    }
    memcpy(want + n, "...", 4); /* with the NUL */
    bad_case c = {"long path", repeat("", step, 6, "\x01}}}}}}"), "invalid_json", want, "control"};
    run_bad(&c);
}

static void test_huge_strings(void) {
    bad_case cases[] = {
        {"16 MiB message", repeat("{\"context\":{\"user_id\":\"" UID "\"},\"message\":\"", "x", 16u << 20, "\"}"),
         "limit_exceeded", "", "8388608"},
        {"2 MiB message", repeat("{\"context\":{\"user_id\":\"" UID "\"},\"message\":\"", "x", 2u << 20, "\"}"),
         "limit_exceeded", "message", NULL},
        {"100 KiB name", repeat("{\"context\":{\"user_id\":\"" UID "\",\"user\":{\"name\":\"", "\xC3\xA9", 50u << 10, "\"}},\"message\":\"\"}"),
         "limit_exceeded", "context.user.name", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_bad(&cases[i]);
}

static void test_nul_bytes(void) {
    static const char raw[] = "{\"context\":{\"user_id\":\"" UID "\",\"fallback_name\":\"a\0b\"},\"message\":\"\"}";
    text raw_text = {malloc(sizeof raw), sizeof raw - 1};
    memcpy(raw_text.s, raw, sizeof raw);
    static const char raw_msg[] = "{\"context\":{\"user_id\":\"" UID "\"},\"message\":\"hi\0there\"}";
    text raw_msg_text = {malloc(sizeof raw_msg), sizeof raw_msg - 1};
    memcpy(raw_msg_text.s, raw_msg, sizeof raw_msg);
    static const char raw_key[] = "{\"context\":{\"user_id\":\"" UID "\",\"ab\0c\":1},\"message\":\"\"}";
    text raw_key_text = {malloc(sizeof raw_key), sizeof raw_key - 1};
    memcpy(raw_key_text.s, raw_key, sizeof raw_key);
    bad_case cases[] = {
        {"raw NUL", raw_text, "invalid_value", "context.fallback_name", "NUL"},
        {"raw NUL in key", raw_key_text, "invalid_value", "context.ab", "NUL"}, /* key up to it */
        {"raw NUL in message", raw_msg_text, "invalid_value", "message", "NUL"},
        {"escaped NUL", lit("{\"context\":{\"user_id\":\"" UID "\",\"reference\":{\"source\":\"ai_generated\","
                            "\"name\":\"S\",\"traits\":[\"ok\",\"x\\u0000y\"]}},\"message\":\"\"}"),
         "invalid_value", "context.reference.traits[1]", "NUL"},
        {"escaped NUL in key", lit("{\"context\":{\"user_id\":\"" UID "\",\"k\\u0000\":1},\"message\":\"\"}"),
         "invalid_value", "context.k", "NUL"}, /* the key up to the NUL */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_bad(&cases[i]);
}

static void test_empty_request(void) {
    bad_case cases[] = {
        {"empty", lit(""), "invalid_json", "", "empty"},
        {"white space", lit(" \n\t \r\n"), "invalid_json", "", "empty"},
        {"byte order mark only", lit("\xEF\xBB\xBF"), "invalid_json", "", "empty"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_bad(&cases[i]);
}

/* Ill-formed UTF-8 in every kind of string: replaced, and the prompt is valid UTF-8. */
static const char INVALID_UTF8[] =
    "{\"context\":{\"user_id\":\"" UID "\","
    "\"user\":{\"name\":\"Ann\xFF\",\"tone\":\"w\xC3\",\"interests\":[\"t\xE2\x82\"],"
    "\"emotional_patterns\":\"\xED\xA0\x80 calm\",\"communication_style\":\"\xC0\xAF\","
    "\"memory_summary\":{\"k\xFE\":\"v\xF5\"}},"
    "\"reference\":{\"source\":\"ai_generated\",\"name\":\"Sam\xF0\x9F\",\"traits\":[\"\x80\"],"
    "\"ai_notes\":\"n\xF4\x90\x80\x80\"},"
    "\"detection\":{\"partner_names\":[\"S\xFFm\"],\"custom_keywords\":{\"strong\":[\"\xC3\"]}},"
    "\"memories\":[{\"id\":\"" UID "\",\"category\":\"general\",\"content\":\"m\xE0\x80\x80\","
    "\"confidence\":0.9,\"updated_at\":\"2026-01-01T00:00:00Z\"}],"
    "\"insights\":[{\"id\":\"" UID "\",\"category\":\"strength\",\"title\":\"t\xFF\","
    "\"content\":\"c\xFF\",\"updated_at\":\"2026-01-01T00:00:00Z\"}],"
    "\"chat_memory_summary\":\"s\xFF\"},"
    "\"message\":\"my partner Sam\xFF and I \xC3\","
    "\"options\":{\"insights\":\"always\"}}";

static void check_prompt(const char *out, size_t len, const char *who) {
    CHECK_MSG(out && utf8_valid(out, len), "%s: result is not valid UTF-8", who);
    cJSON *root = out ? cJSON_ParseWithLength(out, len) : NULL;
    const cJSON *prompt = cJSON_GetObjectItemCaseSensitive(root, "prompt");
    CHECK_MSG(cJSON_IsString(prompt), "%s: no prompt in %.200s", who, out ? out : "(null)");
    if (cJSON_IsString(prompt)) {
        const char *p = prompt->valuestring;
        CHECK_MSG(utf8_valid(p, strlen(p)), "%s: prompt is not valid UTF-8", who);
        CHECK_MSG(strstr(p, "\xEF\xBF\xBD") != NULL, "%s: prompt has no U+FFFD", who);
        CHECK_MSG(strstr(p, "Ann\xEF\xBF\xBD") != NULL, "%s: the name lost its replacement", who);
    }
    cJSON_Delete(root);
}

static void test_invalid_utf8_is_replaced(void) {
    char *out = NULL;
    size_t len = 0;
    nova_status st = nova_assemble(INVALID_UTF8, sizeof INVALID_UTF8 - 1, &out, &len);
    CHECK_MSG(st == NOVA_OK, "status %s: %s", nova_status_name(st), out ? out : "");
    if (st == NOVA_OK) check_prompt(out, len, "nova_assemble");
    nova_free(out);

    out = NULL;
    st = nova_detect(INVALID_UTF8, sizeof INVALID_UTF8 - 1, &out, &len);
    CHECK_MSG(st == NOVA_OK && utf8_valid(out, len), "detect: %s", out ? out : "");
    nova_free(out);

    if (!have_cli()) return;
    text in = {(char *)INVALID_UTF8, sizeof INVALID_UTF8 - 1}, o, e;
    int rc = run_cli("assemble --json", &in, &o, &e);
    CHECK_MSG(rc == 0, "CLI exit %d: %s", rc, e.s ? e.s : "");
    CHECK(o.len > 0 && o.s[o.len - 1] == '\n');
    if (rc == 0 && o.len) check_prompt(o.s, o.len - 1, "CLI --json");
    free(o.s);
    free(e.s);
    rc = run_cli("assemble", &in, &o, &e);
    CHECK_MSG(rc == 0 && utf8_valid(o.s, o.len) && strstr(o.s, "Ann\xEF\xBF\xBD"), "CLI exit %d", rc);
    free(o.s);
    free(e.s);
}

static void test_bad_arguments(void) {
    char *out = (char *)1;
    size_t len = 99;
    CHECK(nova_assemble("{}", 2, NULL, &len) == NOVA_E_ARGUMENT);
    CHECK(nova_assemble("{}", 2, &out, NULL) == NOVA_E_ARGUMENT);
    nova_status st = nova_assemble(NULL, 5, &out, &len);
    CHECK(st == NOVA_E_ARGUMENT);
    nova_free(out);
    out = NULL;
    st = nova_detect(NULL, 0, &out, &len); /* NULL with length 0 is an empty request */
    CHECK(st == NOVA_E_JSON);
    nova_free(out);
}

static void test_cli_usage(void) {
    if (!have_cli()) {
        fprintf(stderr, "note: NOVA_CLI not built; CLI checks skipped\n");
        return;
    }
    text empty = {(char *)"", 0}, o, e;
    CHECK(run_cli("", &empty, &o, &e) == 64 && strstr(e.s, "usage:"));
    free(o.s);
    free(e.s);
    CHECK(run_cli("frobnicate", &empty, &o, &e) == 64 && strstr(e.s, "usage:"));
    free(o.s);
    free(e.s);
    CHECK(run_cli("assemble --yaml", &empty, &o, &e) == 64 && strstr(e.s, "--yaml"));
    free(o.s);
    free(e.s);
    CHECK(run_cli("assemble detect", &empty, &o, &e) == 64);
    free(o.s);
    free(e.s);
    CHECK(run_cli("--help", &empty, &o, &e) == 0 && strstr(o.s, "usage:"));
    free(o.s);
    free(e.s);
    CHECK(run_cli("--version", &empty, &o, &e) == 0 && strstr(o.s, NOVA_VERSION_STRING));
    free(o.s);
    free(e.s);
}

static void test_cli_detect(void) {
    if (!have_cli()) return;
    text in = lit("{\"context\":{\"user_id\":\"" UID "\",\"detection\":{\"partner_names\":[\"Sam\"]}},"
                  "\"message\":\"I miss Sam\"}");
    text o, e;
    int rc = run_cli("detect", &in, &o, &e);
    CHECK_MSG(rc == 0, "exit %d: %s", rc, e.s ? e.s : "");
    CHECK_MSG(o.s && strstr(o.s, "relationship yes") && strstr(o.s, "strong Sam [7,10)"), "got: %s",
              o.s ? o.s : "");
    free(o.s);
    free(e.s);
    rc = run_cli("detect --json", &in, &o, &e);
    cJSON *root = rc == 0 ? cJSON_ParseWithLength(o.s, o.len) : NULL;
    CHECK(rc == 0 && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "relationship")));
    cJSON_Delete(root);
    free(o.s);
    free(e.s);
    free(in.s);
}

/* Without --json the CLI prints the prompt exactly, with one final line break. */
static void test_cli_prints_prompt_exactly(void) {
    if (!have_cli()) return;
    text in = read_text(NOVA_SOURCE_DIR "/tests/golden/partnership_full.request.json");
    if (!in.s) in = lit("{\"context\":{\"user_id\":\"" UID "\"},\"message\":\"hi\"}");
    text plain, json, e1, e2;
    int rc1 = run_cli("assemble", &in, &plain, &e1);
    int rc2 = run_cli("assemble --json", &in, &json, &e2);
    CHECK_MSG(rc1 == 0 && rc2 == 0, "exit %d/%d: %s%s", rc1, rc2, e1.s ? e1.s : "", e2.s ? e2.s : "");
    cJSON *root = rc2 == 0 ? cJSON_ParseWithLength(json.s, json.len) : NULL;
    const cJSON *prompt = cJSON_GetObjectItemCaseSensitive(root, "prompt");
    if (cJSON_IsString(prompt)) {
        const char *p = prompt->valuestring;
        size_t n = strlen(p);
        int newline = n == 0 || p[n - 1] != '\n';
        CHECK(plain.len == n + (size_t)newline && memcmp(plain.s, p, n) == 0 &&
              plain.s[plain.len - 1] == '\n');
        CHECK(plain.len < 2 || !(plain.s[plain.len - 1] == '\n' && plain.s[plain.len - 2] == '\n' &&
                                 (n < 2 || p[n - 2] != '\n')));
    } else {
        CHECK_MSG(0, "no prompt in --json output");
    }
    CHECK(json.len > 0 && json.s[json.len - 1] == '\n');
    cJSON_Delete(root);
    free(in.s);
    free(plain.s);
    free(json.s);
    free(e1.s);
    free(e2.s);
}

int main(void) {
    RUN(test_malformed_json);
    RUN(test_wrong_types);
    RUN(test_for_user);
    RUN(test_deep_nesting);
    RUN(test_long_path_cut);
    RUN(test_huge_strings);
    RUN(test_nul_bytes);
    RUN(test_empty_request);
    RUN(test_invalid_utf8_is_replaced);
    RUN(test_bad_arguments);
    RUN(test_cli_usage);
    RUN(test_cli_detect);
    RUN(test_cli_prints_prompt_exactly);
    return harness_report();
}
