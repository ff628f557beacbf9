/*
 * test_memory_corpus — the memory-ops corpus (tests/memory/corpus.mjs says the format)
 * through the native nova_memory_ops: each model answer with its context must give
 * exactly the expected result (compared as JSON values), or the expected error code and
 * path. Also: at least 40 cases, and every rejection reason of the engine appears in
 * some case, so none is untested. The JS suite runs the same cases through the wasm
 * builds and the CLI on the same request bytes.
 */
#include "assemble_util.h"
#include "golden_util.h"
#include "harness.h"
#include "memory_ops.h"

#define CASES_DIR NOVA_SOURCE_DIR "/tests/memory/cases"
#define CONTEXT_DIR NOVA_SOURCE_DIR "/tests/golden/memory_prompt"
#define MAX_CASES 256

static const char *current;
static int seen_reason[MEMORY_REASON_COUNT];

static cJSON *read_json(const char *path) {
    char *t = read_file(path, NULL);
    cJSON *j = t ? cJSON_Parse(t) : NULL;
    free(t);
    return j;
}

static void note_reasons(const cJSON *result) {
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(result, "rejected")) {
        const cJSON *reason = cJSON_GetObjectItemCaseSensitive(r, "reason");
        for (int i = 0; i < MEMORY_REASON_COUNT; i++)
            if (cJSON_IsString(reason) && !strcmp(reason->valuestring, memory_reason_names[i]))
                seen_reason[i] = 1;
    }
}

static void run_case(void) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.expect.json", CASES_DIR, current);
    cJSON *spec = read_json(path);
    CHECK_MSG(spec != NULL, "cannot read %s", path);
    if (!spec) return;
    const cJSON *ctx_name = cJSON_GetObjectItemCaseSensitive(spec, "context");
    const cJSON *repeat = cJSON_GetObjectItemCaseSensitive(spec, "repeat");
    snprintf(path, sizeof path, "%s/%s.request.json", CONTEXT_DIR,
             cJSON_IsString(ctx_name) ? ctx_name->valuestring : "?");
    cJSON *fixture = read_json(path);
    snprintf(path, sizeof path, "%s/%s.output.txt", CASES_DIR, current);
    size_t len = 0;
    char *output = read_file(path, &len);
    CHECK_MSG(fixture && output, "%s: missing context or output", current);
    if (!fixture || !output) {
        cJSON_Delete(spec);
        cJSON_Delete(fixture);
        free(output);
        return;
    }
    size_t times = cJSON_IsNumber(repeat) ? (size_t)repeat->valuedouble : 1;
    char *answer = malloc(len * times + 1);
    for (size_t i = 0; i < times; i++) memcpy(answer + i * len, output, len);
    answer[len * times] = '\0';
    free(output);

    cJSON *req = cJSON_CreateObject();
    cJSON_AddItemToObject(req, "context",
                          cJSON_DetachItemFromObjectCaseSensitive(fixture, "context"));
    cJSON_AddStringToObject(req, "llm_output", answer);
    free(answer);
    char *text = cJSON_PrintUnformatted(req);
    char *out = NULL;
    size_t out_len = 0;
    nova_status st = nova_memory_ops(text, strlen(text), &out, &out_len);
    cJSON *got = out ? cJSON_ParseWithLength(out, out_len) : NULL;

    const cJSON *want = cJSON_GetObjectItemCaseSensitive(spec, "result");
    const cJSON *want_error = cJSON_GetObjectItemCaseSensitive(spec, "error");
    if (want_error) {
        CHECK_MSG(st != NOVA_OK, "%s: accepted, want an error", current);
        CHECK_STR(result_error_field(got, "code"),
                  cJSON_GetObjectItemCaseSensitive(want_error, "code")->valuestring);
        CHECK_STR(result_error_field(got, "path"),
                  cJSON_GetObjectItemCaseSensitive(want_error, "path")->valuestring);
    } else {
        CHECK_MSG(st == NOVA_OK, "%s: status %s", current, nova_status_name(st));
        CHECK_MSG(want != NULL, "%s: the expect file has no result", current);
        int same = want && got && cJSON_Compare(want, got, 1);
        if (!same) {
            char *w = want ? cJSON_PrintUnformatted(want) : NULL;
            CHECK_MSG(0, "%s: result differs\n  want: %.2000s\n  got:  %.2000s", current,
                      w ? w : "-", out ? out : "-");
            cJSON_free(w);
        }
        note_reasons(got);
    }
    cJSON_Delete(got);
    nova_free(out);
    cJSON_free(text);
    cJSON_Delete(req);
    cJSON_Delete(fixture);
    cJSON_Delete(spec);
}

static size_t case_count;

static void test_corpus_size(void) {
    CHECK_MSG(case_count >= 40, "only %zu corpus cases in %s", case_count, CASES_DIR);
}

static void test_every_reason_is_exercised(void) {
    for (int i = 0; i < MEMORY_REASON_COUNT; i++)
        CHECK_MSG(seen_reason[i], "no corpus case is rejected with %s", memory_reason_names[i]);
}

int main(void) {
    char *names[MAX_CASES];
    case_count = fixture_names(CASES_DIR, ".expect.json", names, MAX_CASES);
    RUN(test_corpus_size);
    for (size_t i = 0; i < case_count; i++) {
        current = names[i];
        harness_run(names[i], run_case);
    }
    RUN(test_every_reason_is_exercised);
    for (size_t i = 0; i < case_count; i++) free(names[i]);
    return harness_report();
}
