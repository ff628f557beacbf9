/*
 * test_golden — every tests/golden/<name>.request.json through nova_assemble, compared
 * byte for byte with the checked-in <name>.prompt.txt (the prompt) and <name>.layers.txt
 * (the layer report, budget and detector verdict, one readable line each).
 *
 * NOVA_GOLDEN_UPDATE=1 rewrites the expected files instead (tests/golden/regenerate.sh,
 * `make golden`): do that on purpose, then read the diff — the goldens are the product.
 *
 * Also checks, on every fixture, what must hold whatever the text: the prompt is valid
 * UTF-8, its code points equal budget.used_chars and the sum of the layers' chars, and
 * every line that starts with "<nova" or "</nova" is one of the assembler's own markers,
 * in layer order.
 */
#include "assemble_util.h"
#include "golden_util.h"
#include "harness.h"
#include "utf8.h"

#define GOLDEN_DIR NOVA_SOURCE_DIR "/tests/golden"
#define MAX_FIXTURES 256

static const char *const layer_order[] = {"core", "main_user", "reference",
                                          "memory", "insight", "relationship"};

/* The layer report as text: what a reviewer reads next to the prompt. */
static char *layers_text(const cJSON *res) {
    size_t cap = 4096;
    char *out = malloc(cap);
    if (!out) return NULL;
    size_t n = 0;
    const cJSON *l;
    cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(res, "layers")) {
        n += (size_t)snprintf(out + n, cap - n, "%-12s %-8s %5d  %s\n",
                              cJSON_GetObjectItemCaseSensitive(l, "name")->valuestring,
                              cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(l, "included"))
                                  ? "included"
                                  : "omitted",
                              cJSON_GetObjectItemCaseSensitive(l, "chars")->valueint,
                              cJSON_GetObjectItemCaseSensitive(l, "reason")->valuestring);
    }
    n += (size_t)snprintf(out + n, cap - n,
                          "budget: max_chars %.0f, used_chars %.0f; dropped %.0f memories, "
                          "%.0f insights, %.0f reference items\n",
                          result_budget(res, "max_chars"), result_budget(res, "used_chars"),
                          result_dropped(res, "memories"), result_dropped(res, "insights"),
                          result_dropped(res, "reference_items"));
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(res, "detection");
    char *score = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(d, "score"));
    char *thr = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(d, "threshold"));
    snprintf(out + n, cap - n, "detection: score %s, threshold %s, relationship %s\n",
             score ? score : "?", thr ? thr : "?",
             cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "relationship")) ? "yes" : "no");
    cJSON_free(score);
    cJSON_free(thr);
    return out;
}

/* Every line starting with "<nova" / "</nova" must be a marker of ours, in layer order,
 * each layer opened and closed once. */
static void check_markers(const char *name, const char *prompt) {
    int next = 0, open = -1;
    for (const char *line = prompt; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len >= 5 && (strncmp(line, "<nova", 5) == 0 || strncmp(line, "</nova", 6) == 0)) {
            int ok = 0;
            char want[40];
            if (open < 0) {
                for (int i = next; i < 6 && !ok; i++) {
                    snprintf(want, sizeof want, "<nova:%s>", layer_order[i]);
                    if (strlen(want) == len && strncmp(line, want, len) == 0) {
                        open = i;
                        ok = 1;
                    }
                }
            } else {
                snprintf(want, sizeof want, "</nova:%s>", layer_order[open]);
                if (strlen(want) == len && strncmp(line, want, len) == 0) {
                    next = open + 1;
                    open = -1;
                    ok = 1;
                }
            }
            CHECK_MSG(ok, "%s: unexpected marker-like line: %.*s", name, (int)len, line);
        }
        if (!end) break;
        line = end + 1;
    }
    CHECK_MSG(open < 0, "%s: layer %s not closed", name, open >= 0 ? layer_order[open] : "");
}

static void check_invariants(const char *name, const cJSON *res) {
    const char *prompt = result_prompt(res);
    size_t len = strlen(prompt);
    CHECK_MSG(utf8_valid(prompt, len), "%s: prompt is not valid UTF-8", name);
    size_t cps = utf8_count(prompt, len);
    CHECK_MSG((double)cps == result_budget(res, "used_chars"), "%s: used_chars %.0f, prompt %zu",
              name, result_budget(res, "used_chars"), cps);
    CHECK_MSG(result_budget(res, "used_chars") <= result_budget(res, "max_chars"),
              "%s: over budget", name);
    double sum = 0;
    const cJSON *l;
    cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(res, "layers")) {
        sum += cJSON_GetObjectItemCaseSensitive(l, "chars")->valuedouble;
    }
    CHECK_MSG(sum == (double)cps, "%s: layer chars sum %.0f, prompt %zu", name, sum, cps);
    CHECK_MSG(strncmp(prompt, "<nova:core>\n", 12) == 0, "%s: prompt must open with core", name);
    check_markers(name, prompt);
}

/* The fixture the current case checks (harness cases take no arguments). */
static const char *current;
static int updating;

static void check_fixture(void) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.request.json", GOLDEN_DIR, current);
    size_t len = 0;
    char *req = read_file(path, &len);
    CHECK_MSG(req != NULL, "cannot read %s", path);
    if (!req) return;
    nova_status st;
    cJSON *res = assemble_text(req, len, &st);
    free(req);
    CHECK_MSG(st == NOVA_OK && res, "%s: status %s", current, nova_status_name(st));
    if (st != NOVA_OK || !res) {
        char *txt = res ? cJSON_PrintUnformatted(res) : NULL;
        if (txt) fprintf(stderr, "  %s\n", txt);
        cJSON_free(txt);
        cJSON_Delete(res);
        return;
    }
    check_invariants(current, res);
    char *layers = layers_text(res);
    char prompt_path[1024], layers_path[1024];
    snprintf(prompt_path, sizeof prompt_path, "%s/%s.prompt.txt", GOLDEN_DIR, current);
    snprintf(layers_path, sizeof layers_path, "%s/%s.layers.txt", GOLDEN_DIR, current);
    golden_file(prompt_path, result_prompt(res), updating);
    golden_file(layers_path, layers ? layers : "", updating);
    free(layers);
    cJSON_Delete(res);
}

static size_t fixture_count;

static void test_enough_fixtures(void) {
    CHECK_MSG(fixture_count >= 12, "only %zu golden fixtures in %s", fixture_count, GOLDEN_DIR);
}

int main(void) {
    const char *update = getenv("NOVA_GOLDEN_UPDATE");
    updating = update && *update && strcmp(update, "0") != 0;
    char *names[MAX_FIXTURES];
    fixture_count = fixture_names(GOLDEN_DIR, ".request.json", names, MAX_FIXTURES);
    RUN(test_enough_fixtures);
    for (size_t i = 0; i < fixture_count; i++) {
        current = names[i];
        harness_run(names[i], check_fixture);
    }
    if (updating) printf("golden: rewrote %zu fixtures' expected files\n", fixture_count);
    for (size_t i = 0; i < fixture_count; i++) free(names[i]);
    return harness_report();
}
