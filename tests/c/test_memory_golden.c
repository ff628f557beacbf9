/*
 * test_memory_golden — every tests/golden/memory_prompt/<name>.request.json through
 * nova_memory_prompt, compared byte for byte with the checked-in <name>.messages.txt (the
 * "allowed" line, then each message after a "=== role" line: what the model is told).
 *
 * NOVA_GOLDEN_UPDATE=1 rewrites the expected files instead (tests/golden/regenerate.sh,
 * `make golden`): do that on purpose, then read the diff.
 *
 * Also checks on every fixture what must hold whatever the wording: two messages, system
 * then user; no UUID anywhere in them (memories go by temporary ids); no template
 * placeholder left; the system message is instructions only (no name in it) and the user
 * message is data only, parsed back part by part (memory_message.h): each name the
 * context knows once, on its "User: " / "Partner: " line, every line of every part one
 * that part holds (an item, a turn or an indented continuation), so no content forged a
 * line; the memories and notes parts exactly when offered, one temporary id per active
 * memory.
 */
#include "assemble_util.h"
#include "golden_util.h"
#include "harness.h"
#include "memory_message.h"

#define MEMORY_GOLDEN_DIR NOVA_SOURCE_DIR "/tests/golden/memory_prompt"
#define MAX_FIXTURES 64

static int is_hex(char c) { return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'f'); }

/* Does s hold 8-4-4-4-12 hex digits anywhere? */
static int has_uuid(const char *s) {
    static const int dash[] = {8, 13, 18, 23};
    for (; *s; s++) {
        int ok = 1;
        for (int i = 0, d = 0; ok && i < 36; i++) {
            if (!s[i]) return 0;
            if (d < 4 && i == dash[d]) {
                ok = s[i] == '-';
                d++;
            } else {
                ok = is_hex(s[i]);
            }
        }
        if (ok) return 1;
    }
    return 0;
}

static const char *json_str(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The result as the golden text: what a reviewer reads. */
static char *messages_text(const cJSON *res) {
    size_t cap = 64;
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(res, "messages")) {
        const char *c = json_str(m, "content");
        cap += (c ? strlen(c) : 0) + 32;
    }
    char *out = malloc(cap);
    if (!out) return NULL;
    const cJSON *allowed = cJSON_GetObjectItemCaseSensitive(res, "allowed");
    size_t n = (size_t)snprintf(
        out, cap, "allowed: memories %s, partner notes %s\n",
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(allowed, "memories")) ? "yes" : "no",
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(allowed, "partner_notes")) ? "yes" : "no");
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(res, "messages")) {
        const char *role = json_str(m, "role"), *c = json_str(m, "content");
        n += (size_t)snprintf(out + n, cap - n, "=== %s\n%s", role ? role : "?", c ? c : "");
    }
    return out;
}

/* Is name written once in the whole prompt as data, "<label>: name" in <nova:names>, and
 * nowhere in the system message? (Fixture names are words the instructions never use.) */
static void check_name(const char *fixture, const char *label, const char *name, const char *system,
                       const memory_message *m) {
    char line[160];
    snprintf(line, sizeof line, "%s: %s\n", label, name);
    CHECK_MSG(count_of(m->names.start, line) == 1 && (size_t)(strstr(m->names.start, line) - m->names.start) < m->names.len,
              "%s: no \"%s: %s\" line in <nova:names>", fixture, label, name);
    CHECK_MSG(!strstr(system, name), "%s: the name %s in the instructions", fixture, name);
}

static void check_invariants(const char *name, const cJSON *req, const cJSON *res) {
    const cJSON *messages = cJSON_GetObjectItemCaseSensitive(res, "messages");
    CHECK_MSG(cJSON_GetArraySize(messages) == 2, "%s: not two messages", name);
    const cJSON *sys = cJSON_GetArrayItem(messages, 0), *usr = cJSON_GetArrayItem(messages, 1);
    const char *system = json_str(sys, "content"), *user = json_str(usr, "content");
    CHECK_STR(json_str(sys, "role"), "system");
    CHECK_STR(json_str(usr, "role"), "user");
    if (!system || !user) return;
    CHECK_MSG(!has_uuid(system) && !has_uuid(user), "%s: a UUID in the messages", name);
    CHECK_MSG(!strstr(system, "{{") && !strstr(user, "{{"), "%s: a template placeholder left", name);
    memory_message m;
    char why[160];
    int parsed = memory_message_parse(user, &m, why, sizeof why);
    CHECK_MSG(parsed, "%s: user message: %s", name, why);
    if (!parsed) return;

    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(req, "context");
    const char *user_name = json_str(cJSON_GetObjectItemCaseSensitive(ctx, "user"), "name");
    if (!user_name) user_name = json_str(ctx, "fallback_name");
    const char *partner = json_str(cJSON_GetObjectItemCaseSensitive(ctx, "reference"), "name");
    if (user_name) check_name(name, "User", user_name, system, &m);
    if (partner) check_name(name, "Partner", partner, system, &m);

    const cJSON *allowed = cJSON_GetObjectItemCaseSensitive(res, "allowed");
    int memories = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(allowed, "memories"));
    int notes = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(allowed, "partner_notes"));
    CHECK_MSG((m.memories.start != NULL) == memories, "%s: <nova:memories> iff memories are offered", name);
    CHECK_MSG((m.partner_notes.start != NULL) == notes, "%s: <nova:partner_notes> iff notes are offered", name);
    if (!memories) return;
    int active = 0;
    const cJSON *mem;
    cJSON_ArrayForEach(mem, cJSON_GetObjectItemCaseSensitive(ctx, "memories")) {
        const char *content = json_str(mem, "content");
        if (!cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(mem, "is_active")) && content && *content) active++;
    }
    CHECK_MSG(m.memory_count == active, "%s: %d temporary ids for %d active memories", name,
              m.memory_count, active);
}

static const char *current;
static int updating;

static void check_fixture(void) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.request.json", MEMORY_GOLDEN_DIR, current);
    size_t len = 0;
    char *text = read_file(path, &len);
    CHECK_MSG(text != NULL, "cannot read %s", path);
    if (!text) return;
    char *out = NULL;
    size_t out_len = 0;
    nova_status st = nova_memory_prompt(text, len, &out, &out_len);
    cJSON *req = cJSON_Parse(text), *res = out ? cJSON_ParseWithLength(out, out_len) : NULL;
    free(text);
    CHECK_MSG(st == NOVA_OK && res && req, "%s: status %s: %s", current, nova_status_name(st),
              out ? out : "");
    nova_free(out);
    if (st == NOVA_OK && res && req) {
        check_invariants(current, req, res);
        char *got = messages_text(res);
        char expected[1024];
        snprintf(expected, sizeof expected, "%s/%s.messages.txt", MEMORY_GOLDEN_DIR, current);
        golden_file(expected, got ? got : "", updating);
        free(got);
    }
    cJSON_Delete(req);
    cJSON_Delete(res);
}

static size_t fixture_count;

static void test_the_four_situations_are_there(void) {
    static const char *const wanted[] = {"linked_couple", "pending_partnership",
                                         "solo_ai_partner", "solo_no_partner"};
    CHECK_MSG(fixture_count >= 4, "only %zu memory prompt fixtures", fixture_count);
    for (size_t i = 0; i < 4; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.request.json", MEMORY_GOLDEN_DIR, wanted[i]);
        char *t = read_file(path, NULL);
        CHECK_MSG(t != NULL, "missing %s", path);
        free(t);
    }
}

int main(void) {
    const char *update = getenv("NOVA_GOLDEN_UPDATE");
    updating = update && *update && strcmp(update, "0") != 0;
    char *names[MAX_FIXTURES];
    fixture_count = fixture_names(MEMORY_GOLDEN_DIR, ".request.json", names, MAX_FIXTURES);
    RUN(test_the_four_situations_are_there);
    for (size_t i = 0; i < fixture_count; i++) {
        current = names[i];
        harness_run(names[i], check_fixture);
    }
    if (updating) printf("golden: rewrote %zu memory prompt fixtures' expected files\n", fixture_count);
    for (size_t i = 0; i < fixture_count; i++) free(names[i]);
    return harness_report();
}
