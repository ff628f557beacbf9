/*
 * test_budget — options.max_chars: whole items dropped (memories, then insights, then
 * reference list items, last first), headings and emptied layers going with their last
 * item, core and main_user never cut, the over_budget error, and the counts reported.
 */
#include "assemble_util.h"
#include "harness.h"
#include "utf8.h"

static void set_max(cJSON *req, double max) {
    req_set(req_options(req), "max_chars", cJSON_CreateNumber(max));
}

/* req's prompt within max characters (max_chars set to max). */
static char *run_within(cJSON *req, double max, cJSON **res, nova_status *st) {
    set_max(req, max);
    return run_prompt(req, res, st);
}

static double used_of(const cJSON *res) { return result_budget(res, "used_chars"); }

/* The characters req's prompt uses (one run, its result freed). */
static double used_by(const cJSON *req) {
    cJSON *res = NULL;
    free(run_prompt(req, &res, NULL));
    double used = used_of(res);
    cJSON_Delete(res);
    return used;
}

/* Ten memories, one per topic, all in "preference". */
static cJSON *memory_request(const char *message) {
    cJSON *req = req_new(message);
    req_partner(req);
    static const char *const topics[] = {
        "Sam loves strong black coffee.",     "Maya enjoys long hikes on the coast.",
        "They play board games on Sundays.",  "Sam is learning pottery.",
        "Maya collects vinyl records.",       "They save for a trip to Lisbon.",
        "Sam bakes bread on weekends.",       "Maya runs before work.",
        "They watch old films on Fridays.",   "Sam grows tomatoes on the balcony.",
    };
    for (int i = 0; i < 10; i++)
        req_memory(req, i + 1, "preference", i % 2 ? T_USER : T_PARTNER, topics[i], 0.9,
                   "2026-10-01T10:00:00Z");
    return req;
}

static void test_exact_fit_drops_nothing_one_less_drops_one(void) {
    cJSON *req = memory_request("hello");
    double used = used_by(req);
    CHECK(used > 0);
    cJSON *res = NULL;

    free(run_within(req, used, &res, NULL));
    CHECK(result_dropped(res, "memories") == 0);
    CHECK(used_of(res) == used);
    cJSON_Delete(res);

    char *prompt = run_within(req, used - 1, &res, NULL);
    CHECK(result_dropped(res, "memories") == 1);
    CHECK(used_of(res) <= used - 1);
    CHECK(utf8_count(prompt, strlen(prompt)) == (size_t)used_of(res));
    free(prompt);
    cJSON_Delete(res);
    cJSON_Delete(req);
}

static void test_memories_go_before_insights(void) {
    cJSON *req = memory_request("hello");
    req_set(req_options(req), "insights", cJSON_CreateString("always"));
    req_insight(req, 1, "strength", NULL, "Shared humor", "They defuse tension with jokes.",
                "2026-10-01T10:00:00Z");
    req_insight(req, 2, "communication", T_USER, "Heard first", "Maya needs to feel heard.",
                "2026-10-01T10:00:00Z");
    cJSON *res = NULL;
    double used = used_by(req);
    /* Step the budget down: insights may only start to go once every memory is gone. */
    int saw_insight_drop = 0;
    for (double max = used; max > used - 1500 && max > 0; max -= 37) {
        nova_status st;
        free(run_within(req, max, &res, &st));
        if (st != NOVA_OK) {
            cJSON_Delete(res);
            break;
        }
        double dm = result_dropped(res, "memories"), di = result_dropped(res, "insights");
        CHECK_MSG(di == 0 || dm == 10, "max %.0f: %.0f insights dropped with %.0f memories", max,
                  di, dm);
        CHECK(used_of(res) <= max);
        if (di > 0) saw_insight_drop = 1;
        cJSON_Delete(res);
    }
    CHECK(saw_insight_drop);
    cJSON_Delete(req);
}

static void test_heading_and_layer_vanish_with_last_item(void) {
    cJSON *req = req_new("hello");
    req_partner(req);
    req_memory(req, 1, "gift_idea", T_PARTNER, "Sam wants a coffee grinder.", 0.9,
               "2026-10-01T10:00:00Z");
    cJSON *res = NULL;
    char *prompt = run_prompt(req, &res, NULL);
    CHECK(strstr(prompt, "Gift ideas:\n") != NULL);
    CHECK(layer_included(res, "memory"));
    double used = used_of(res);
    free(prompt);
    cJSON_Delete(res);

    nova_status st;
    prompt = run_within(req, used - 1, &res, &st);
    CHECK(st == NOVA_OK);
    CHECK(strstr(prompt, "Gift ideas:") == NULL);
    CHECK(strstr(prompt, "<nova:memory>") == NULL);
    CHECK(!layer_included(res, "memory"));
    CHECK(result_dropped(res, "memories") == 1);
    const cJSON *reason = cJSON_GetObjectItemCaseSensitive(result_layer(res, "memory"), "reason");
    CHECK(cJSON_IsString(reason) && strstr(reason->valuestring, "dropped"));
    free(prompt);
    cJSON_Delete(res);
    cJSON_Delete(req);
}

static void test_chat_summary_keeps_memory_layer(void) {
    cJSON *req = req_new("hello");
    req_memory(req, 1, "general", NULL, "They like rainy days.", 0.9, "2026-10-01T10:00:00Z");
    req_set(req_context(req), "chat_memory_summary",
            cJSON_CreateString("Maya asked about weekend plans."));
    cJSON *res = NULL;
    double used = used_by(req);
    char *prompt = run_within(req, used - 1, &res, NULL);
    CHECK(layer_included(res, "memory"));
    CHECK(strstr(prompt, "rainy") == NULL);
    CHECK(strstr(prompt, "Maya asked about weekend plans.") != NULL);
    free(prompt);
    cJSON_Delete(res);
    cJSON_Delete(req);
}

static void test_reference_items_dropped_last_first(void) {
    cJSON *req = req_new("hello");
    req_partner(req);
    cJSON *ref = cJSON_GetObjectItemCaseSensitive(req_context(req), "reference");
    const char *traits[] = {"first-trait", "second-trait", "third-trait"};
    const char *truths[] = {"first-truth", "second-truth"};
    req_set(ref, "traits", cJSON_CreateStringArray(traits, 3));
    req_set(ref, "important_truths", cJSON_CreateStringArray(truths, 2));
    req_set(ref, "ai_notes", cJSON_CreateString("notes-stay"));
    cJSON *res = NULL;
    char *prompt = run_prompt(req, &res, NULL);
    double used = used_of(res);
    /* Shown: truths before traits, so the last trait goes first, the first truth last. */
    CHECK(find_at(prompt, "first-truth") < find_at(prompt, "first-trait"));
    free(prompt);
    cJSON_Delete(res);

    prompt = run_within(req, used - 1, &res, NULL);
    CHECK(result_dropped(res, "reference_items") == 1);
    CHECK(strstr(prompt, "third-trait") == NULL);
    CHECK(strstr(prompt, "second-trait") != NULL);
    free(prompt);
    cJSON_Delete(res);

    /* The size without any list: every list item must go, the name and notes stay. */
    cJSON *bare = cJSON_Duplicate(req, 1);
    cJSON *bare_ref = cJSON_GetObjectItemCaseSensitive(req_context(bare), "reference");
    cJSON_DeleteItemFromObjectCaseSensitive(bare_ref, "traits");
    cJSON_DeleteItemFromObjectCaseSensitive(bare_ref, "important_truths");
    req_set(req_options(bare), "max_chars", cJSON_CreateNumber(NOVA_DEFAULT_MAX_CHARS));
    double bare_used = used_by(bare);
    cJSON_Delete(bare);
    CHECK(bare_used < used);
    nova_status st;
    prompt = run_within(req, bare_used, &res, &st);
    CHECK(st == NOVA_OK);
    CHECK(result_dropped(res, "reference_items") == 5);
    CHECK(strstr(prompt, "Traits:") == NULL);
    CHECK(strstr(prompt, "Name: Sam") != NULL);
    CHECK(strstr(prompt, "notes-stay") != NULL);
    CHECK(layer_included(res, "reference"));
    free(prompt);
    cJSON_Delete(res);
    cJSON_Delete(req);
}

/* The user's memory_summary is main_user's one droppable part: its lines go after every
 * memory, insight and partner item, last line first; the heading goes with the last line. */
static void test_summary_lines_dropped_last(void) {
    cJSON *req = req_new("hello");
    cJSON *user = cJSON_GetObjectItemCaseSensitive(req_context(req), "user");
    cJSON *summary = cJSON_CreateObject();
    cJSON_AddStringToObject(summary, "a_first", "first-line");
    cJSON_AddStringToObject(summary, "b_second", "second-line");
    req_set(user, "memory_summary", summary);
    req_memory(req, 1, "general", NULL, "They like rainy days.", 0.9, "2026-10-01T10:00:00Z");
    cJSON *res = NULL;
    double used = used_by(req);

    /* Room for everything but the memory: the memory goes, both lines stay. */
    char *prompt = run_within(req, used - 1, &res, NULL);
    CHECK(result_dropped(res, "memories") == 1);
    CHECK(result_dropped(res, "memory_summary_lines") == 0);
    CHECK(strstr(prompt, "second-line") != NULL);
    double without_memory = used_of(res);
    free(prompt);
    cJSON_Delete(res);

    nova_status st;
    prompt = run_within(req, without_memory - 1, &res, &st);
    CHECK(st == NOVA_OK);
    CHECK(result_dropped(res, "memory_summary_lines") == 1);
    CHECK(strstr(prompt, "first-line") != NULL);
    CHECK(strstr(prompt, "second-line") == NULL);
    CHECK(strstr(prompt, "profile summary") != NULL);
    CHECK(layer_included(res, "main_user"));
    free(prompt);
    cJSON_Delete(res);

    /* The size with no summary at all: both lines and the heading go. */
    cJSON *bare = cJSON_Duplicate(req, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(req_context(bare), "user"), "memory_summary");
    cJSON_DeleteItemFromObjectCaseSensitive(req_context(bare), "memories");
    set_max(bare, NOVA_DEFAULT_MAX_CHARS);
    double bare_used = used_by(bare);
    cJSON_Delete(bare);
    prompt = run_within(req, bare_used, &res, &st);
    CHECK(st == NOVA_OK);
    CHECK(result_dropped(res, "memory_summary_lines") == 2);
    CHECK(strstr(prompt, "profile summary") == NULL);
    free(prompt);
    cJSON_Delete(res);
    cJSON_Delete(req);
}

static void test_over_budget_error(void) {
    cJSON *req = req_new("hello");
    set_max(req, 100);
    cJSON *res = NULL;
    nova_status st;
    free(run_prompt(req, &res, &st));
    CHECK(st == NOVA_E_BUDGET);
    CHECK_STR(result_error_field(res, "code"), "over_budget");
    CHECK_STR(result_error_field(res, "path"), "options.max_chars");
    const char *msg = result_error_field(res, "message");
    CHECK(msg && strstr(msg, "core and main_user need ") && strstr(msg, "max_chars is 100"));
    cJSON_Delete(res);
    cJSON_Delete(req);
}

/* Core + main_user alone fit exactly: memories all go and it still succeeds. */
static void test_core_and_main_user_never_cut(void) {
    cJSON *req = req_new("hello");
    cJSON *res = NULL;
    double fixed = used_by(req);
    req_memory(req, 1, "general", NULL, "They like rainy days.", 0.9, "2026-10-01T10:00:00Z");
    nova_status st;
    char *prompt = run_within(req, fixed, &res, &st);
    CHECK(st == NOVA_OK);
    CHECK(used_of(res) == fixed);
    CHECK(result_dropped(res, "memories") == 1);
    CHECK(strstr(prompt, "</nova:core>") && strstr(prompt, "</nova:main_user>"));
    free(prompt);
    cJSON_Delete(res);
    free(run_within(req, fixed - 1, &res, &st));
    CHECK(st == NOVA_E_BUDGET);
    cJSON_Delete(res);
    cJSON_Delete(req);
}

static void test_default_max_chars_reported(void) {
    cJSON *req = req_new("hello");
    cJSON *res = NULL;
    free(run_prompt(req, &res, NULL));
    CHECK(result_budget(res, "max_chars") == NOVA_DEFAULT_MAX_CHARS);
    cJSON_Delete(res);
    cJSON_Delete(req);
}

int main(void) {
    RUN(test_exact_fit_drops_nothing_one_less_drops_one);
    RUN(test_memories_go_before_insights);
    RUN(test_heading_and_layer_vanish_with_last_item);
    RUN(test_chat_summary_keeps_memory_layer);
    RUN(test_reference_items_dropped_last_first);
    RUN(test_summary_lines_dropped_last);
    RUN(test_over_budget_error);
    RUN(test_core_and_main_user_never_cut);
    RUN(test_default_max_chars_reported);
    return harness_report();
}
