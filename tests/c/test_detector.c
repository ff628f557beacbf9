/*
 * test_detector — the compiled detectors of nova.h: nova_detector_new/_detect/_free and
 * nova_assemble_with/nova_detect_with give the bytes the per-call calls give (on every
 * golden request, with the request's own detector, another one and none), UTF-16
 * offsets, errors with their paths, and one detector shared by threads (the built-in
 * lists' automaton is first built by racing threads too).
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */

#include <dirent.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "harness.h"
#include "nova.h"
#include "read_file.h"

/* ------------------------------------------------------------------ helpers */

typedef struct out {
    nova_status st;
    char *text;
    size_t len;
} out;

static out call(nova_status (*fn)(const char *, size_t, char **, size_t *), const char *req) {
    out o = {NOVA_OK, NULL, 0};
    o.st = fn(req, strlen(req), &o.text, &o.len);
    return o;
}

static int same(out a, out b) {
    return a.st == b.st && a.len == b.len && a.text && b.text && !memcmp(a.text, b.text, a.len);
}

/* The detector configuration of a request: its detection config's members plus the
 * reference's name. NULL-free cJSON text (the caller frees it). */
static char *config_of(const cJSON *req) {
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(req, "context");
    const cJSON *det = cJSON_GetObjectItemCaseSensitive(ctx, "detection");
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(ctx, "reference");
    cJSON *cfg = cJSON_IsObject(det) ? cJSON_Duplicate(det, 1) : cJSON_CreateObject();
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(ref, "name");
    if (cJSON_IsString(name)) cJSON_AddStringToObject(cfg, "reference_name", name->valuestring);
    char *text = cJSON_PrintUnformatted(cfg);
    cJSON_Delete(cfg);
    return text;
}

static nova_detector *compile(const char *config, char **error) {
    nova_detector *d = NULL;
    size_t len = 0;
    char *err = NULL;
    nova_status st = nova_detector_new(config, strlen(config), &d, &err, &len);
    if (error) *error = err;
    else nova_free(err);
    if (st != NOVA_OK) return NULL;
    return d;
}

/* ------------------------------------------------------------------ the built-ins race */

static const char *race_request =
    "{\"context\":{\"user_id\":\"11111111-1111-4111-8111-111111111111\"},"
    "\"message\":\"my girlfriend and I had a fight about the wedding\"}";

static void *race(void *arg) {
    out *o = arg;
    *o = call(nova_detect, race_request);
    return NULL;
}

/* First thing in the process: eight threads race to build the built-in automaton. */
static void test_builtins_built_once_by_racing_threads(void) {
    pthread_t th[8];
    out o[8];
    for (int i = 0; i < 8; i++) CHECK(pthread_create(&th[i], NULL, race, &o[i]) == 0);
    for (int i = 0; i < 8; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 8; i++) {
        CHECK(o[i].st == NOVA_OK);
        CHECK(i == 0 || same(o[i], o[0]));
    }
    CHECK(o[0].text && strstr(o[0].text, "\"girlfriend\""));
    for (int i = 0; i < 8; i++) nova_free(o[i].text);
}

/* ------------------------------------------------------------------ golden requests */

static void test_golden_requests_same_bytes(void) {
    DIR *dir = opendir(NOVA_SOURCE_DIR "/tests/golden");
    CHECK(dir != NULL);
    if (!dir) return;
    struct dirent *e;
    int files = 0;
    nova_detector *other = compile("{\"partner_names\":[\"Zed\"],\"custom_keywords\":"
                                   "{\"strong\":[\"Sam\"]},\"reference_name\":\"Sam\"}",
                                   NULL);
    CHECK(other != NULL);
    while ((e = readdir(dir)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 13 || strcmp(e->d_name + n - 13, ".request.json") != 0) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/tests/golden/%s", NOVA_SOURCE_DIR, e->d_name);
        char *text = read_file(path, NULL);
        cJSON *req = text ? cJSON_Parse(text) : NULL;
        char *config = req ? config_of(req) : NULL;
        nova_detector *mine = config ? compile(config, NULL) : NULL;
        CHECK_MSG(mine != NULL, "%s", e->d_name);
        if (!mine) {
            free(text);
            cJSON_free(config);
            cJSON_Delete(req);
            continue;
        }
        files++;
        out a = call(nova_assemble, text), d = call(nova_detect, text);
        nova_detector *dets[3] = {mine, other, NULL};
        for (int k = 0; k < 3; k++) {
            out aw = {0}, dw = {0};
            aw.st = nova_assemble_with(dets[k], text, strlen(text), &aw.text, &aw.len);
            dw.st = nova_detect_with(dets[k], text, strlen(text), &dw.text, &dw.len);
            CHECK_MSG(same(aw, a) && same(dw, d), "%s, detector %d", e->d_name, k);
            nova_free(aw.text);
            nova_free(dw.text);
        }
        /* The message alone, with the configuration's threshold: nova_detect's bytes. */
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(req, "message");
        out m = {0};
        m.st = nova_detector_detect(mine, msg->valuestring, strlen(msg->valuestring), 0, &m.text,
                                    &m.len);
        CHECK_MSG(same(m, d), "%s: %s vs %s", e->d_name, m.text, d.text);
        nova_free(m.text);
        nova_free(a.text);
        nova_free(d.text);
        nova_detector_free(mine);
        cJSON_free(config);
        cJSON_Delete(req);
        free(text);
    }
    closedir(dir);
    nova_detector_free(other);
    CHECK(files >= 12);
}

/* ------------------------------------------------------------------ offsets */

static void test_utf16_offsets(void) {
    nova_detector *d = compile("{\"partner_names\":[\"Sam\"],\"custom_keywords\":"
                               "{\"weak\":[\"caf\xC3\xA9\"]}}",
                               NULL);
    CHECK(d != NULL);
    if (!d) return;
    /* 😀 is 4 bytes and 2 UTF-16 units; é 2 bytes and 1 unit; \xFF an ill-formed byte. */
    const char *msg = "\xF0\x9F\x98\x80 Sam \xFF cafe\xCC\x81!";
    out b = {0}, u = {0};
    b.st = nova_detector_detect(d, msg, strlen(msg), 0, &b.text, &b.len);
    u.st = nova_detector_detect(d, msg, strlen(msg), NOVA_DETECT_UTF16, &u.text, &u.len);
    CHECK(b.st == NOVA_OK && u.st == NOVA_OK);
    CHECK(b.text && strstr(b.text, "\"term\":\"Sam\",\"tier\":\"strong\",\"start\":5,\"end\":8"));
    CHECK(u.text && strstr(u.text, "\"term\":\"Sam\",\"tier\":\"strong\",\"start\":3,\"end\":6"));
    CHECK(b.text && strstr(b.text, "\"start\":11,\"end\":17"));
    CHECK(u.text && strstr(u.text, "\"start\":9,\"end\":14"));
    /* The request API's options.offsets gives the same. */
    out r = call(nova_detect, "{\"context\":{\"user_id\":\"11111111-1111-4111-8111-111111111111\","
                              "\"detection\":{\"partner_names\":[\"Sam\"]}},"
                              "\"message\":\"\\ud83d\\ude00 Sam\",\"options\":{\"offsets\":\"utf16\"}}");
    CHECK(r.st == NOVA_OK && r.text && strstr(r.text, "\"start\":3,\"end\":6"));
    out bad = call(nova_detect, "{\"context\":{\"user_id\":\"11111111-1111-4111-8111-111111111111\"},"
                                "\"message\":\"x\",\"options\":{\"offsets\":\"utf32\"}}");
    CHECK(bad.st == NOVA_E_VALUE && bad.text && strstr(bad.text, "\"path\":\"options.offsets\""));
    nova_free(b.text);
    nova_free(u.text);
    nova_free(r.text);
    nova_free(bad.text);
    nova_detector_free(d);
}

/* ------------------------------------------------------------------ errors */

static void expect_config_error(const char *config, nova_status want, const char *path) {
    nova_detector *d = (nova_detector *)1;
    char *err = NULL;
    size_t len = 0;
    nova_status st = nova_detector_new(config, strlen(config), &d, &err, &len);
    CHECK_MSG(st == want, "%s: status %d", config, (int)st);
    CHECK(d == NULL);
    char want_path[300];
    snprintf(want_path, sizeof want_path, "\"path\":\"%s\"", path);
    CHECK_MSG(err && strlen(err) == len && strstr(err, want_path), "%s: %s", config, err);
    nova_free(err);
}

static void test_config_errors(void) {
    char long_kw[400];
    memset(long_kw, 'a', 201);
    long_kw[201] = 0;
    char config[600];
    snprintf(config, sizeof config, "{\"custom_keywords\":{\"strong\":[\"ok\",\"%s\"]}}", long_kw);
    expect_config_error(config, NOVA_E_LIMIT, "custom_keywords.strong[1]");
    expect_config_error("{\"partner_names\":\"Sam\"}", NOVA_E_TYPE, "partner_names");
    expect_config_error("{\"relationship_threshold\":-1}", NOVA_E_VALUE, "relationship_threshold");
    expect_config_error("{\"reference_name\":7}", NOVA_E_TYPE, "reference_name");
    expect_config_error("[1]", NOVA_E_TYPE, "");
    expect_config_error("{\"partner_names\":[\"Sam\"", NOVA_E_JSON, "");
    expect_config_error("", NOVA_E_JSON, "");

    nova_detector *d = NULL;
    CHECK(nova_detector_new("{}", 2, NULL, NULL, NULL) == NOVA_E_ARGUMENT);
    CHECK(nova_detector_new(NULL, 3, &d, NULL, NULL) == NOVA_E_ARGUMENT && d == NULL);
    CHECK(nova_detector_new("{}", 2, &d, NULL, NULL) == NOVA_OK && d != NULL);
    nova_detector_free(NULL);

    out o = {0};
    o.st = nova_detector_detect(NULL, "x", 1, 0, &o.text, &o.len);
    CHECK(o.st == NOVA_E_ARGUMENT && o.text && strstr(o.text, "\"bad_argument\""));
    nova_free(o.text);
    o.st = nova_detector_detect(d, "x", 1, 8u, &o.text, &o.len);
    CHECK(o.st == NOVA_E_ARGUMENT);
    nova_free(o.text);
    CHECK(nova_detector_detect(d, "x", 1, 0, NULL, &o.len) == NOVA_E_ARGUMENT);
    size_t big = NOVA_MAX_MESSAGE_BYTES + 1;
    char *msg = malloc(big);
    memset(msg, 'a', big);
    o.st = nova_detector_detect(d, msg, big, 0, &o.text, &o.len);
    CHECK(o.st == NOVA_E_LIMIT && o.text && strstr(o.text, "\"path\":\"message\""));
    nova_free(o.text);
    o.st = nova_detector_detect(d, msg, big - 1, 0, &o.text, &o.len); /* at the limit: fine */
    CHECK(o.st == NOVA_OK);
    nova_free(o.text);
    free(msg);
    /* The empty configuration: the built-in lists and the default threshold. */
    o.st = nova_detector_detect(d, "my wife", 7, 0, &o.text, &o.len);
    CHECK(o.st == NOVA_OK && o.text && strstr(o.text, "\"threshold\":2,"));
    CHECK(o.text && strstr(o.text, "\"term\":\"wife\""));
    nova_free(o.text);
    nova_detector_free(d);
}

/* A custom term written like a built-in one counts once, in the tier of the first. */
static void test_custom_and_builtin_terms_merge(void) {
    nova_detector *d = compile("{\"custom_keywords\":{\"weak\":[\"WIFE\"],\"strong\":[\"Fianc\xC3\xA9\"]}}",
                               NULL);
    CHECK(d != NULL);
    if (!d) return;
    out o = {0};
    o.st = nova_detector_detect(d, "my wife and my fiance", 21, 0, &o.text, &o.len);
    /* "wife" is built-in strong (before custom weak): reported as the list writes it. */
    CHECK(o.text && strstr(o.text, "{\"term\":\"wife\",\"tier\":\"strong\""));
    CHECK(o.text && strstr(o.text, "{\"term\":\"Fianc\xC3\xA9\",\"tier\":\"strong\""));
    CHECK(o.text && !strstr(o.text, "WIFE") && !strstr(o.text, "\"fiance\""));
    nova_free(o.text);
    nova_detector_free(d);
}

/* ------------------------------------------------------------------ threads */

typedef struct job {
    const nova_detector *d;
    int id;
    int ok;
} job;

static const char *thread_messages[] = {
    "Sam forgot to call again", "nothing here", "my husband and the wedding", "SAM\xE2\x80\x99s mum",
    "\xE2\x9D\xA4\xEF\xB8\x8FSam", "we broke up", "Samuel is a colleague", "date night with Sam",
};
#define THREAD_MESSAGES (sizeof thread_messages / sizeof thread_messages[0])
static out expected[THREAD_MESSAGES];

static void *detect_many(void *arg) {
    job *j = arg;
    j->ok = 1;
    for (int round = 0; round < 200; round++) {
        size_t i = (size_t)(round + j->id) % THREAD_MESSAGES;
        out o = {0};
        o.st = nova_detector_detect(j->d, thread_messages[i], strlen(thread_messages[i]), 0,
                                    &o.text, &o.len);
        if (!same(o, expected[i])) j->ok = 0;
        nova_free(o.text);
    }
    return NULL;
}

static void test_one_detector_many_threads(void) {
    nova_detector *d = compile("{\"partner_names\":[\"Sam\"],\"custom_keywords\":{\"medium\":"
                               "[\"date night\",\"mum\"]},\"relationship_threshold\":1.5}",
                               NULL);
    CHECK(d != NULL);
    if (!d) return;
    for (size_t i = 0; i < THREAD_MESSAGES; i++) {
        expected[i].st = nova_detector_detect(d, thread_messages[i], strlen(thread_messages[i]), 0,
                                              &expected[i].text, &expected[i].len);
        CHECK(expected[i].st == NOVA_OK);
    }
    pthread_t th[4];
    job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (job){d, i, 0};
        CHECK(pthread_create(&th[i], NULL, detect_many, &jobs[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(jobs[i].ok);
    }
    CHECK(expected[4].text && strstr(expected[4].text, "\"term\":\"Sam\""));
    CHECK(expected[0].text && strstr(expected[0].text, "\"threshold\":1.5,"));
    for (size_t i = 0; i < THREAD_MESSAGES; i++) nova_free(expected[i].text);
    nova_detector_free(d);
}

/* ------------------------------------------------------------------ the CLI */

#ifndef NOVA_CLI
#define NOVA_CLI ""
#endif

/* Runs the CLI with input; returns its stdout (malloc'ed) and exit status. */
static char *run_cli(const char *args, const char *input, int *status) {
    char in_path[] = "/tmp/nova-detect-in-XXXXXX", out_path[] = "/tmp/nova-detect-out-XXXXXX";
    int fi = mkstemp(in_path), fo = mkstemp(out_path);
    if (fi < 0 || fo < 0) return NULL;
    FILE *f = fdopen(fi, "wb");
    fputs(input, f);
    fclose(f);
    close(fo);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s < '%s' > '%s' 2>/dev/null", NOVA_CLI, args, in_path,
             out_path);
    int rc = system(cmd);
    *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    char *text = read_file(out_path, NULL);
    unlink(in_path);
    unlink(out_path);
    return text;
}

static void test_cli_detect_many(void) {
    if (!NOVA_CLI[0] || access(NOVA_CLI, X_OK) != 0) {
        fprintf(stderr, "note: NOVA_CLI not built; CLI checks skipped\n");
        return;
    }
    const char *config = "{\"partner_names\":[\"Sam\"],\"custom_keywords\":{\"weak\":[\"coffee\"]}}";
    char cfg_path[] = "/tmp/nova-detect-cfg-XXXXXX";
    int fd = mkstemp(cfg_path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    FILE *f = fdopen(fd, "wb");
    fputs(config, f);
    fclose(f);
    nova_detector *d = compile(config, NULL);
    const char *lines[] = {"Sam forgot again", "", "coffee with my wife\r", "\xF0\x9F\x98\x80Sam"};
    char input[256] = "", want[4096] = "", args[512];
    for (int i = 0; i < 4; i++) {
        strcat(input, lines[i]);
        strcat(input, "\n");
        size_t n = strlen(lines[i]);
        if (n && lines[i][n - 1] == '\r') n--;
        out o = {0};
        o.st = nova_detector_detect(d, lines[i], n, NOVA_DETECT_UTF16, &o.text, &o.len);
        strcat(want, o.text ? o.text : "");
        strcat(want, "\n");
        nova_free(o.text);
    }
    int status = -1;
    snprintf(args, sizeof args, "detect-many '%s' --json --utf16", cfg_path);
    char *got = run_cli(args, input, &status);
    CHECK(status == 0);
    CHECK_MSG(got && !strcmp(got, want), "got:\n%s\nwant:\n%s", got, want);
    free(got);
    /* Human lines, one per message. */
    snprintf(args, sizeof args, "detect-many '%s'", cfg_path);
    got = run_cli(args, "Sam\nnone\n", &status);
    CHECK(status == 0);
    CHECK_MSG(got && !strcmp(got, "1: score 2, threshold 2, relationship yes: strong Sam [0,3)\n"
                                  "2: score 0, threshold 2, relationship no\n"),
              "%s", got);
    free(got);
    /* JSON Lines in: a message with a line break; a bad line is an error line, exit 2. */
    snprintf(args, sizeof args, "detect-many '%s' --jsonl --json", cfg_path);
    got = run_cli(args, "\"a\\nSam\"\n42\n", &status);
    CHECK(status == 2);
    CHECK(got && strstr(got, "\"start\":2,\"end\":5") && strstr(got, "\n{\"error\":"));
    free(got);
    /* A bad configuration: exit 2, the error result with its path. */
    f = fopen(cfg_path, "wb");
    fputs("{\"partner_names\":[1]}", f);
    fclose(f);
    snprintf(args, sizeof args, "detect-many '%s' --json", cfg_path);
    got = run_cli(args, "Sam\n", &status);
    CHECK(status == 2 && got && strstr(got, "\"path\":\"partner_names[0]\""));
    free(got);
    got = run_cli("detect-many", "", &status);
    CHECK(status == 64);
    free(got);
    unlink(cfg_path);
    nova_detector_free(d);
}

int main(void) {
    RUN(test_builtins_built_once_by_racing_threads);
    RUN(test_golden_requests_same_bytes);
    RUN(test_utf16_offsets);
    RUN(test_config_errors);
    RUN(test_custom_and_builtin_terms_merge);
    RUN(test_one_detector_many_threads);
    RUN(test_cli_detect_many);
    return harness_report();
}
