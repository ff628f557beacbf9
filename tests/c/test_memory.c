/*
 * test_memory — the two memory calls through the C API: what is a bad request (an error
 * with its path) and what is not (a model answer that is all rejections is a result);
 * the scope (which operations are offered, with which ids); the same temporary ids in
 * both calls; what the ops give back (real ids, updated_at verbatim). The many model
 * answers live in the corpus (tests/memory, test_memory_corpus.c).
 */
#include "assemble_util.h"
#include "harness.h"

/* A context: Maya, with an active partnership with Sam's account (linked) or not, and
 * two memories (one inactive) plus one more active one. */
static cJSON *context_new(int linked) {
    cJSON *r = req_new("");
    cJSON_DeleteItemFromObjectCaseSensitive(r, "message");
    cJSON_DeleteItemFromObjectCaseSensitive(r, "options");
    if (linked) {
        req_partner(r);
        cJSON *ref = cJSON_GetObjectItemCaseSensitive(req_context(r), "reference");
        req_set(ref, "source", cJSON_CreateString("partner_account"));
    }
    req_memory(r, 1, "important_date", NULL, "Their anniversary is June 12.", 1,
               "2026-10-01 09:00:00.5+00");
    cJSON *off = req_memory(r, 2, "preference", T_USER, "Maya likes tea.", 0.5,
                            "2026-10-02T09:00:00Z");
    cJSON_AddFalseToObject(off, "is_active");
    req_memory(r, 3, "preference", linked ? T_PARTNER : T_USER, "Sam prefers planned dates.", 0.7,
               "2026-10-03T09:00:00Z");
    return r;
}

typedef nova_status (*call_fn)(const char *, size_t, char **, size_t *);

static cJSON *call(call_fn fn, const cJSON *req, nova_status *st) {
    char *json = cJSON_PrintUnformatted(req);
    char *out = NULL;
    size_t out_len = 0;
    *st = fn(json, strlen(json), &out, &out_len);
    cJSON_free(json);
    cJSON *res = out ? cJSON_ParseWithLength(out, out_len) : NULL;
    nova_free(out);
    return res;
}

static cJSON *prompt_of(cJSON *ctx_req, const char *user_says, nova_status *st) {
    cJSON *t = cJSON_AddArrayToObject(ctx_req, "transcript");
    cJSON *turn = cJSON_CreateObject();
    cJSON_AddStringToObject(turn, "role", "user");
    cJSON_AddStringToObject(turn, "content", user_says);
    cJSON_AddItemToArray(t, turn);
    return call(nova_memory_prompt, ctx_req, st);
}

static cJSON *ops_of(cJSON *ctx_req, const char *llm_output, nova_status *st) {
    req_set(ctx_req, "llm_output", cJSON_CreateString(llm_output));
    return call(nova_memory_ops, ctx_req, st);
}

static const char *message_text(const cJSON *res, int k) {
    const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "messages"), k);
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(m, "content");
    return cJSON_IsString(c) ? c->valuestring : "";
}

static const char *system_text(const cJSON *res) { return message_text(res, 0); }
static const char *data_text(const cJSON *res) { return message_text(res, 1); }

static int allowed(const cJSON *res, const char *what) {
    return cJSON_IsTrue(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(res, "allowed"), what));
}

static void test_bad_requests(void) {
    static const struct {
        const char *json, *code, *path;
        int ops;
    } cases[] = {
        {"{\"context\":{\"user_id\":\"" T_USER "\"}}", "missing_field", "transcript", 0},
        {"{\"context\":{\"user_id\":\"" T_USER "\"},\"transcript\":null}", "wrong_type", "transcript", 0},
        {"{\"context\":{\"user_id\":\"" T_USER "\"},\"transcript\":[{\"role\":\"system\",\"content\":\"x\"}]}",
         "invalid_value", "transcript[0].role", 0},
        {"{\"context\":{\"user_id\":\"" T_USER "\"},\"transcript\":[{\"role\":\"user\"}]}",
         "missing_field", "transcript[0].content", 0},
        {"{\"context\":{\"user_id\":\"" T_USER "\"},\"transcript\":[7]}", "wrong_type", "transcript[0]", 0},
        {"{\"transcript\":[]}", "missing_field", "context", 0},
        {"{\"context\":{\"user_id\":\"" T_USER "\"}}", "missing_field", "llm_output", 1},
        {"{\"context\":{\"user_id\":\"" T_USER "\"},\"llm_output\":{}}", "wrong_type", "llm_output", 1},
        {"{\"context\":{\"user_id\":\"" T_USER "\",\"memories\":[{}]},\"llm_output\":\"\"}",
         "missing_field", "context.memories[0].id", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL;
        size_t len = 0;
        call_fn fn = cases[i].ops ? nova_memory_ops : nova_memory_prompt;
        nova_status st = fn(cases[i].json, strlen(cases[i].json), &out, &len);
        cJSON *res = out ? cJSON_Parse(out) : NULL;
        CHECK_MSG(st != NOVA_OK, "case %zu accepted", i);
        CHECK_STR(result_error_field(res, "code"), cases[i].code);
        CHECK_STR(result_error_field(res, "path"), cases[i].path);
        cJSON_Delete(res);
        nova_free(out);
    }
}

/* llm_output has the message's 1 MiB limit, not the 64 KiB of other strings. */
static void test_llm_output_limit(void) {
    size_t n = NOVA_MAX_LLM_OUTPUT_BYTES;
    char *big = malloc(n + 2);
    memset(big, 'x', n + 1);
    big[n] = '\0';
    cJSON *r = context_new(1);
    nova_status st;
    cJSON *res = ops_of(r, big, &st);
    CHECK_MSG(st == NOVA_OK, "1 MiB of output refused: %s", nova_status_name(st));
    const cJSON *rej = cJSON_GetObjectItemCaseSensitive(res, "rejected");
    CHECK(cJSON_GetArraySize(rej) == 1);
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(rej, 0), "index")));
    cJSON_Delete(res);
    big[n] = 'x';
    big[n + 1] = '\0';
    res = ops_of(r, big, &st);
    CHECK(st == NOVA_E_LIMIT);
    CHECK_STR(result_error_field(res, "path"), "llm_output");
    cJSON_Delete(res);
    cJSON_Delete(r);
    free(big);
}

static void test_scope_linked(void) {
    cJSON *r = context_new(1);
    nova_status st;
    cJSON *res = prompt_of(r, "We moved to Lisbon.", &st);
    CHECK(st == NOVA_OK);
    CHECK(allowed(res, "memories") && !allowed(res, "partner_notes"));
    const char *s = system_text(res), *u = data_text(res);
    /* Active memories only, in context order: m1, m2 (the inactive one has no id), in the
     * data message, their subjects as "about" names them; the names once, as data. */
    CHECK(strstr(u, "<nova:names>\nUser: Maya\nPartner: Sam\n</nova:names>\n<nova:memories>\n") == u);
    CHECK(strstr(u, "- m1 (important_date, about the relationship, confidence 1): Their") != NULL);
    CHECK(strstr(u, "- m2 (preference, about the partner, confidence 0.7): Sam prefers") != NULL);
    CHECK(!strstr(u, "- m3") && !strstr(u, "Maya likes tea"));
    CHECK(!strstr(s, "- m1 (") && !strstr(s, "Sam") && !strstr(s, "Maya"));
    CHECK(strstr(s, "\"partner\" (the partner)") != NULL);
    CHECK(!strstr(s, "aaaaaaaa-") && !strstr(u, "aaaaaaaa-"));
    cJSON_Delete(res);
    cJSON_Delete(r);
}

static void test_scope_without_user_words(void) {
    cJSON *r = context_new(1);
    nova_status st;
    cJSON *res = prompt_of(r, " \xE2\x80\x8B ", &st); /* blank once sanitized */
    CHECK(st == NOVA_OK);
    CHECK(!allowed(res, "memories") && !allowed(res, "partner_notes"));
    CHECK(strstr(system_text(res), "There is nothing you may record") != NULL);
    cJSON_Delete(res);
    cJSON_Delete(r);
}

static void test_scope_unlinked_partner_notes(void) {
    /* No partnership, an AI-built reference: notes only; a dissolved partnership too. */
    cJSON *r = context_new(0);
    cJSON *ref = cJSON_CreateObject();
    cJSON_AddStringToObject(ref, "source", "ai_generated");
    cJSON_AddStringToObject(ref, "name", "Sam");
    req_set(req_context(r), "reference", ref);
    nova_status st;
    cJSON *res = prompt_of(r, "Sam loves trains.", &st);
    CHECK(st == NOVA_OK && !allowed(res, "memories") && allowed(res, "partner_notes"));
    cJSON_Delete(res);
    cJSON *ship = cJSON_CreateObject();
    cJSON_AddStringToObject(ship, "id", T_PSHIP);
    cJSON_AddStringToObject(ship, "status", "dissolved");
    req_set(req_context(r), "partnership", ship);
    res = call(nova_memory_prompt, r, &st);
    CHECK(st == NOVA_OK && !allowed(res, "memories") && allowed(res, "partner_notes"));
    cJSON_Delete(res);
    res = ops_of(r, "{\"operations\":[{\"op\":\"add\",\"category\":\"general\",\"about\":\"user\","
                    "\"content\":\"Maya likes trains.\"},{\"op\":\"partner_note\",\"field\":\"traits\","
                    "\"content\":\"loves trains\"}]}", &st);
    CHECK(st == NOVA_OK);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(res, "ops")) == 0);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(res, "partner_notes")) == 1);
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(res, "partner_name")->valuestring, "Sam");
    const cJSON *rej = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "rejected"), 0);
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(rej, "reason")->valuestring, "not_allowed");
    cJSON_Delete(res);
    cJSON_Delete(r);
}

/* The ids the prompt shows are the ids the ops call resolves; updated_at comes back as
 * it was sent, in the Postgres spelling. */
static void test_same_ids_in_both_calls(void) {
    cJSON *r = context_new(1);
    nova_status st;
    cJSON *res = ops_of(r, "{\"operations\":[{\"op\":\"deactivate\",\"id\":\"m1\"},"
                           "{\"op\":\"update\",\"id\":\"m2\",\"confidence\":0.9}]}", &st);
    CHECK(st == NOVA_OK);
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(res, "ops");
    CHECK(cJSON_GetArraySize(ops) == 2);
    const cJSON *a = cJSON_GetArrayItem(ops, 0), *b = cJSON_GetArrayItem(ops, 1);
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(a, "id")->valuestring, "aaaaaaaa-0000-4000-8000-000000000001");
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(a, "updated_at")->valuestring, "2026-10-01 09:00:00.5+00");
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(b, "id")->valuestring, "aaaaaaaa-0000-4000-8000-000000000003");
    CHECK(cJSON_GetObjectItemCaseSensitive(b, "confidence")->valuedouble == 0.9);
    CHECK(!cJSON_GetObjectItemCaseSensitive(b, "content"));
    cJSON_Delete(res);
    cJSON_Delete(r);
}

/* One row listed twice has two temporary ids, but it is one memory: one operation. */
static void test_row_listed_twice(void) {
    cJSON *r = context_new(1);
    req_memory(r, 1, "important_date", NULL, "Their anniversary is June 12 (again).", 1,
               "2026-10-01 09:00:00.5+00");
    nova_status st;
    cJSON *res = ops_of(r, "{\"operations\":[{\"op\":\"deactivate\",\"id\":\"m1\"},"
                           "{\"op\":\"update\",\"id\":\"m3\",\"confidence\":0.2}]}", &st);
    CHECK(st == NOVA_OK);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(res, "ops")) == 1);
    const cJSON *rej = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "rejected"), 0);
    CHECK(rej && cJSON_GetObjectItemCaseSensitive(rej, "index")->valuedouble == 1);
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(rej, "reason")->valuestring, "duplicate_id");
    cJSON_Delete(res);
    cJSON_Delete(r);
}

/* Which answers are "nothing", which are a rejection of the whole answer. */
static void test_whole_answer(void) {
    static const struct {
        const char *out;
        const char *reason; /* NULL: nothing rejected */
    } cases[] = {
        {"", NULL},
        {"  NONE \n", NULL},
        {"none.", NULL},
        {"<think>hmm {\"operations\":[]}</think>\n", NULL},
        {"{\"operations\": []}", NULL},
        {"I found nothing worth keeping.", "no_operations"},
        {"{\"ops\": []}", "no_operations"},
        {"{\"operations\": {}}", "no_operations"},
        {"{\"operations\": [{\"op\": \"add\"", "truncated_output"},
        {"<think>let me see", "truncated_output"},
    };
    cJSON *r = context_new(1);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nova_status st;
        cJSON *res = ops_of(r, cases[i].out, &st);
        CHECK_MSG(st == NOVA_OK, "case %zu: %s", i, nova_status_name(st));
        const cJSON *rej = cJSON_GetObjectItemCaseSensitive(res, "rejected");
        if (!cases[i].reason) {
            CHECK_MSG(cJSON_GetArraySize(rej) == 0, "case %zu rejected something", i);
        } else {
            const cJSON *x = cJSON_GetArrayItem(rej, 0);
            CHECK_MSG(cJSON_GetArraySize(rej) == 1 &&
                          cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(x, "index")),
                      "case %zu: not one whole-answer rejection", i);
            const cJSON *reason = cJSON_GetObjectItemCaseSensitive(x, "reason");
            CHECK_MSG(cJSON_IsString(reason) && !strcmp(reason->valuestring, cases[i].reason),
                      "case %zu: reason %s, want %s", i,
                      cJSON_IsString(reason) ? reason->valuestring : "-", cases[i].reason);
        }
        CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(res, "ops")) == 0);
        cJSON_Delete(res);
    }
    cJSON_Delete(r);
}

int main(void) {
    RUN(test_bad_requests);
    RUN(test_llm_output_limit);
    RUN(test_scope_linked);
    RUN(test_scope_without_user_words);
    RUN(test_scope_unlinked_partner_notes);
    RUN(test_same_ids_in_both_calls);
    RUN(test_whole_answer);
    RUN(test_row_listed_twice);
    return harness_report();
}
