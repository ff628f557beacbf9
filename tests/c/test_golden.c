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
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>

#include "assemble_util.h"
#include "harness.h"
#include "utf8.h"

#define GOLDEN_DIR NOVA_SOURCE_DIR "/tests/golden"
#define MAX_FIXTURES 256

static const char *const layer_order[] = {"core", "main_user", "reference",
                                          "memory", "insight", "relationship"};

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

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

/* Compares got with the file; on a mismatch says where, so the diff is quick to read. */
static void compare_file(const char *path, const char *got) {
    size_t len = 0;
    char *want = read_file(path, &len);
    if (!want) {
        CHECK_MSG(0, "%s is missing: run tests/golden/regenerate.sh", path);
        return;
    }
    if (strcmp(want, got) != 0) {
        size_t line = 1, i = 0;
        while (want[i] && want[i] == got[i]) {
            if (want[i] == '\n') line++;
            i++;
        }
        size_t ls = i;
        while (ls > 0 && want[ls - 1] != '\n') ls--;
        const char *we = strchr(want + ls, '\n'), *ge = strchr(got + ls, '\n');
        int wl = we ? (int)(we - want - (long)ls) : (int)strlen(want + ls);
        int gl = ge ? (int)(ge - got - (long)ls) : (int)strlen(got + ls);
        CHECK_MSG(0,
                  "%s differs at line %zu:\n  want: %.*s\n  got:  %.*s\n"
                  "  (if the change is intended: bash tests/golden/regenerate.sh, then review "
                  "git diff tests/golden)",
                  path, line, wl, want + ls, gl, got + ls);
    }
    free(want);
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    CHECK_MSG(f != NULL, "cannot write %s", path);
    if (!f) return;
    fputs(text, f);
    fclose(f);
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
    if (updating) {
        write_file(prompt_path, result_prompt(res));
        write_file(layers_path, layers ? layers : "");
    } else {
        compare_file(prompt_path, result_prompt(res));
        compare_file(layers_path, layers ? layers : "");
    }
    free(layers);
    cJSON_Delete(res);
}

/* One case per tests/golden/<name>.request.json, in name order. */
static size_t list_fixtures(char **names) {
    DIR *dir = opendir(GOLDEN_DIR);
    if (!dir) return 0;
    size_t count = 0;
    const struct dirent *e;
    const char *suffix = ".request.json";
    while ((e = readdir(dir)) != NULL && count < MAX_FIXTURES) {
        size_t n = strlen(e->d_name), k = strlen(suffix);
        if (n > k && strcmp(e->d_name + n - k, suffix) == 0) {
            names[count] = malloc(n - k + 1);
            if (!names[count]) break;
            memcpy(names[count], e->d_name, n - k);
            names[count++][n - k] = '\0';
        }
    }
    closedir(dir);
    qsort(names, count, sizeof names[0], cmp_str);
    return count;
}

static size_t fixture_count;

static void test_enough_fixtures(void) {
    CHECK_MSG(fixture_count >= 12, "only %zu golden fixtures in %s", fixture_count, GOLDEN_DIR);
}

int main(void) {
    const char *update = getenv("NOVA_GOLDEN_UPDATE");
    updating = update && *update && strcmp(update, "0") != 0;
    char *names[MAX_FIXTURES];
    fixture_count = list_fixtures(names);
    RUN(test_enough_fixtures);
    for (size_t i = 0; i < fixture_count; i++) {
        current = names[i];
        harness_run(names[i], check_fixture);
    }
    if (updating) printf("golden: rewrote %zu fixtures' expected files\n", fixture_count);
    for (size_t i = 0; i < fixture_count; i++) free(names[i]);
    return harness_report();
}
