/* request: decoding every field of the contract — types, values, limits, defaults, paths. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cJSON.h"
#include "error.h"
#include "harness.h"
#include "request.h"

#define UID "11111111-1111-4111-8111-111111111111"
#define PID "22222222-2222-4222-8222-222222222222"
#define MID "33333333-3333-4333-8333-333333333333"

/* A request with every member of the contract present and valid. */
static const char FULL[] =
    "{\"context\":{"
    "\"user_id\":\"" UID "\","
    "\"user\":{\"name\":\"Ann\",\"tone\":\"warm\",\"interests\":[\"hiking\",\"tea\"],"
    "\"emotional_patterns\":\"steady\",\"communication_style\":\"direct\","
    "\"memory_summary\":{\"likes\":[\"tea\"]},\"setup_mode\":\"self_written\",\"version\":3},"
    "\"fallback_name\":\"annie\","
    "\"partnership\":{\"id\":\"" MID "\",\"status\":\"active\",\"partner_user_id\":\"" PID "\"},"
    "\"reference\":{\"source\":\"partner_account\",\"user_id\":\"" PID "\",\"name\":\"Sam\","
    "\"traits\":[\"kind\"],\"relational_tendencies\":[\"withdraws\"],\"important_truths\":[\"x\"],"
    "\"ai_notes\":\"notes\",\"tone\":\"calm\",\"interests\":[\"chess\"],"
    "\"emotional_patterns\":\"e\",\"communication_style\":\"c\",\"memory_summary\":{\"k\":\"private\"}},"
    "\"detection\":{\"partner_names\":[\"Sam\"],\"custom_keywords\":{\"strong\":[\"hubby\"],"
    "\"medium\":[\"date\"],\"weak\":[\"we\"]},\"relationship_threshold\":1.5},"
    "\"memories\":["
    "{\"id\":\"" MID "\",\"category\":\"preference\",\"about_user\":\"" UID "\",\"content\":\"c0\","
    "\"confidence\":0.9,\"updated_at\":\"2026-11-25T21:41:34Z\",\"is_active\":true},"
    "{\"id\":\"" MID "\",\"category\":\"general\",\"about_user\":null,\"content\":\"c1\","
    "\"confidence\":0.2,\"updated_at\":\"2026-11-25 21:41:34.123456+00\"}],"
    "\"insights\":["
    "{\"id\":\"" MID "\",\"category\":\"strength\",\"about_user\":\"" PID "\",\"title\":\"t0\","
    "\"content\":\"i0\",\"updated_at\":\"2026-11-25T21:41:34+00:00\",\"is_active\":false}],"
    "\"chat_memory_summary\":\"so far\"},"
    "\"message\":\"hello\","
    "\"options\":{\"max_chars\":5000,\"insights\":\"always\",\"now\":\"2026-11-26T00:00:00Z\"}}";

/* Finds the parent container of the last segment of path ("a.b[2].c") in root; *key gets
 * the last member name (or NULL and *index for an array element). */
static cJSON *walk(cJSON *root, const char *path, char *key, size_t keycap, int *index) {
    cJSON *cur = root;
    const char *p = path;
    for (;;) {
        char seg[64];
        size_t n = 0;
        int idx = -1;
        if (*p == '[') {
            idx = atoi(p + 1);
            p = strchr(p, ']') + 1;
        } else {
            while (*p && *p != '.' && *p != '[' && n + 1 < sizeof seg) seg[n++] = *p++;
            seg[n] = '\0';
        }
        if (*p == '.') p++;
        if (!*p) {
            *index = idx;
            snprintf(key, keycap, "%s", idx >= 0 ? "" : seg);
            return cur;
        }
        cur = idx >= 0 ? cJSON_GetArrayItem(cur, idx) : cJSON_GetObjectItemCaseSensitive(cur, seg);
        if (!cur) return NULL;
    }
}

/* FULL with the value at path replaced by the JSON text `value` (added if absent), or
 * removed when value is NULL. Returns a malloc'ed request text. */
static char *full_with(const char *path, const char *value) {
    cJSON *root = cJSON_Parse(FULL);
    if (path) {
        char key[64];
        int index;
        cJSON *parent = walk(root, path, key, sizeof key, &index);
        if (!parent) {
            fprintf(stderr, "bad test path %s\n", path);
            abort();
        }
        if (!value) {
            if (index >= 0) cJSON_DeleteItemFromArray(parent, index);
            else cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
        } else {
            /* raw: printed exactly as written (1e999, \u0000 survive) */
            cJSON *v = cJSON_CreateRaw(value);
            if (index >= 0) cJSON_ReplaceItemInArray(parent, index, v);
            else if (cJSON_GetObjectItemCaseSensitive(parent, key))
                cJSON_ReplaceItemInObjectCaseSensitive(parent, key, v);
            else cJSON_AddItemToObject(parent, key, v);
        }
    }
    char *out = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return out;
}

typedef struct outcome {
    nova_status code;
    char path[NOVA_ERROR_PATH_MAX];
    char message[NOVA_ERROR_MESSAGE_MAX];
} outcome;

static outcome decode_text(const char *json, size_t len) {
    arena a;
    arena_init(&a);
    nova_error err;
    nova_error_init(&err);
    nova_request req;
    outcome o;
    o.code = request_decode(&a, NOVA_REQUEST_ASSEMBLE, json, len, &req, &err);
    snprintf(o.path, sizeof o.path, "%s", err.path);
    snprintf(o.message, sizeof o.message, "%s", err.message);
    arena_free(&a);
    return o;
}

typedef struct mutation {
    const char *path;   /* where in FULL */
    const char *value;  /* JSON text, NULL = remove the member */
    nova_status code;
    const char *where;  /* expected error path; NULL = same as path */
} mutation;

static void run_table(const mutation *cases, size_t count) {
    for (size_t i = 0; i < count; i++) {
        const mutation *m = &cases[i];
        char *json = full_with(m->path, m->value);
        outcome o = decode_text(json, strlen(json));
        const char *want = m->code == NOVA_OK ? "" : m->where ? m->where : m->path;
        CHECK_MSG(o.code == m->code && strcmp(o.path, want) == 0,
                  "%s = %s: got %d at \"%s\" (%s), want %d at \"%s\"", m->path,
                  m->value ? m->value : "(removed)", (int)o.code, o.path, o.message, (int)m->code,
                  want);
        cJSON_free(json);
    }
}

#define TABLE(cases) run_table(cases, sizeof(cases) / sizeof((cases)[0]))

/* FULL with the user's memory_summary (and, when ref is not NULL, the reference's) as
 * written: the raw text, so numbers beyond the double range stay as the database could
 * send them (a cJSON round trip would print them as null). Malloc'ed. */
static char *full_with_summaries(const char *user, const char *ref) {
    const char *u = "\"memory_summary\":{\"likes\":[\"tea\"]}", *r = "\"memory_summary\":{\"k\":\"private\"}";
    const char *pu = strstr(FULL, u), *pr = strstr(FULL, r);
    size_t n = strlen(FULL) + strlen(user) + (ref ? strlen(ref) : 0) + 64;
    char *out = malloc(n);
    if (!pu || !pr || pu > pr || !out) return out;
    snprintf(out, n, "%.*s\"memory_summary\":%s%.*s\"memory_summary\":%s%s", (int)(pu - FULL), FULL,
             user, (int)(pr - (pu + strlen(u))), pu + strlen(u), ref ? ref : "{\"k\":\"private\"}",
             pr + strlen(r));
    return out;
}

/* A memory_summary number beyond the double range (review finding 9) is refused at its
 * path, at any depth, in the user's summary and in a reference's; every finite one is
 * accepted, subnormals and numbers that underflow to 0 included. */
static void test_summary_numbers_beyond_double(void) {
    static const struct {
        const char *user, *ref, *path;
    } cases[] = {
        {"{\"a\":1e400}", NULL, "context.user.memory_summary.a"},
        {"{\"b\":-1e400}", NULL, "context.user.memory_summary.b"},
        {"{\"ok\":1,\"x\":{\"l\":[1,2,-1.8e308]}}", NULL, "context.user.memory_summary.x.l[2]"},
        {"{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":[{\"i\":1e309}]}}}}}", NULL,
         "context.user.memory_summary.d.e.f.g.h[0].i"},
        {"{\"big\":179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792}",
         NULL, "context.user.memory_summary.big"},
        {"{\"k\":1}", "{\"k\":1e400}", "context.reference.memory_summary.k"},
        /* the user's own keys shown as every error path shows a key (json_prescan.h): a line
         * break, a path's own characters, non-ASCII as '?', the empty key as [""], a long key
         * cut after 48 characters (a long-run fuzz finding: the line break went through) */
        {"{\"st\\n`x\":{\"a.b[0]\":[1e400]}}", NULL, "context.user.memory_summary.st?`x.a?b?0?[0]"},
        {"{\"Стресс\":1e400}", NULL, "context.user.memory_summary.??????"},
        {"{\"\":{\"\":1e400}}", NULL, "context.user.memory_summary[\"\"][\"\"]"},
        {"{\"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\":1e400}", NULL,
         "context.user.memory_summary.abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv..."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *json = full_with_summaries(cases[i].user, cases[i].ref);
        outcome o = decode_text(json, strlen(json));
        CHECK_MSG(o.code == NOVA_E_VALUE && strcmp(o.path, cases[i].path) == 0 &&
                      strstr(o.message, "beyond the range of a double"),
                  "%s: got %d at \"%s\" (%s)", cases[i].user, (int)o.code, o.path, o.message);
        free(json);
    }
    static const char *const finite[] = {
        "{\"a\":1.7976931348623157e308,\"b\":-1.7976931348623157e308,\"c\":4.9e-324,\"d\":1e-400,"
        "\"e\":-0.0,\"f\":[1e308,{\"g\":2.2250738585072014e-308}]}",
    };
    for (size_t i = 0; i < sizeof finite / sizeof finite[0]; i++) {
        char *json = full_with_summaries(finite[i], finite[i]);
        outcome o = decode_text(json, strlen(json));
        CHECK_MSG(o.code == NOVA_OK, "%s: %s at %s", finite[i], o.message, o.path);
        free(json);
    }
}

static void test_full_request_is_valid(void) {
    outcome o = decode_text(FULL, strlen(FULL));
    CHECK_MSG(o.code == NOVA_OK, "%s at %s", o.message, o.path);
}

/* For every field of the contract: a value of the wrong JSON type. */
static void test_wrong_types(void) {
    static const mutation cases[] = {
        {"context", "[]", NOVA_E_TYPE, NULL},
        {"context", "null", NOVA_E_TYPE, NULL},
        {"context.user_id", "1", NOVA_E_TYPE, NULL},
        {"context.user", "\"Ann\"", NOVA_E_TYPE, NULL},
        {"context.user.name", "1", NOVA_E_TYPE, NULL},
        {"context.user.name", "null", NOVA_E_TYPE, NULL},
        {"context.user.tone", "[]", NOVA_E_TYPE, NULL},
        {"context.user.interests", "\"tea\"", NOVA_E_TYPE, NULL},
        {"context.user.interests[1]", "2", NOVA_E_TYPE, NULL},
        {"context.user.interests[0]", "null", NOVA_E_TYPE, NULL},
        {"context.user.emotional_patterns", "true", NOVA_E_TYPE, NULL},
        {"context.user.communication_style", "{}", NOVA_E_TYPE, NULL},
        {"context.user.memory_summary", "[]", NOVA_E_TYPE, NULL},
        {"context.user.memory_summary", "\"x\"", NOVA_E_TYPE, NULL},
        {"context.user.setup_mode", "1", NOVA_E_TYPE, NULL},
        {"context.user.version", "\"3\"", NOVA_E_TYPE, NULL},
        {"context.user.version", "1.5", NOVA_E_TYPE, NULL},
        {"context.fallback_name", "7", NOVA_E_TYPE, NULL},
        {"context.partnership", "[]", NOVA_E_TYPE, NULL},
        {"context.partnership.id", "1", NOVA_E_TYPE, NULL},
        {"context.partnership.status", "true", NOVA_E_TYPE, NULL},
        {"context.partnership.partner_user_id", "[]", NOVA_E_TYPE, NULL},
        {"context.reference", "1", NOVA_E_TYPE, NULL},
        {"context.reference.source", "null", NOVA_E_TYPE, NULL},
        {"context.reference.user_id", "{}", NOVA_E_TYPE, NULL},
        {"context.reference.name", "[\"Sam\"]", NOVA_E_TYPE, NULL},
        {"context.reference.traits", "{}", NOVA_E_TYPE, NULL},
        {"context.reference.traits[0]", "1", NOVA_E_TYPE, NULL},
        {"context.reference.relational_tendencies[0]", "false", NOVA_E_TYPE, NULL},
        {"context.reference.important_truths", "\"x\"", NOVA_E_TYPE, NULL},
        {"context.reference.ai_notes", "1", NOVA_E_TYPE, NULL},
        {"context.reference.tone", "1", NOVA_E_TYPE, NULL},
        {"context.reference.interests[0]", "{}", NOVA_E_TYPE, NULL},
        {"context.reference.emotional_patterns", "[]", NOVA_E_TYPE, NULL},
        {"context.reference.communication_style", "2", NOVA_E_TYPE, NULL},
        {"context.reference.memory_summary", "[]", NOVA_E_TYPE, NULL},
        {"context.detection", "\"x\"", NOVA_E_TYPE, NULL},
        {"context.detection.partner_names", "\"Sam\"", NOVA_E_TYPE, NULL},
        {"context.detection.partner_names[0]", "1", NOVA_E_TYPE, NULL},
        {"context.detection.custom_keywords", "[]", NOVA_E_TYPE, NULL},
        {"context.detection.custom_keywords.strong", "1", NOVA_E_TYPE, NULL},
        {"context.detection.custom_keywords.medium[0]", "[]", NOVA_E_TYPE, NULL},
        {"context.detection.custom_keywords.weak", "{}", NOVA_E_TYPE, NULL},
        {"context.detection.relationship_threshold", "\"2\"", NOVA_E_TYPE, NULL},
        {"context.memories", "{}", NOVA_E_TYPE, NULL},
        {"context.memories[1]", "\"m\"", NOVA_E_TYPE, NULL},
        {"context.memories[1].id", "1", NOVA_E_TYPE, NULL},
        {"context.memories[1].category", "1", NOVA_E_TYPE, NULL},
        {"context.memories[1].about_user", "1", NOVA_E_TYPE, NULL},
        {"context.memories[1].content", "null", NOVA_E_TYPE, NULL},
        {"context.memories[1].confidence", "\"0.5\"", NOVA_E_TYPE, NULL},
        {"context.memories[1].confidence", "null", NOVA_E_TYPE, NULL},
        {"context.memories[1].updated_at", "0", NOVA_E_TYPE, NULL},
        {"context.memories[1].is_active", "1", NOVA_E_TYPE, NULL},
        {"context.insights", "\"x\"", NOVA_E_TYPE, NULL},
        {"context.insights[0]", "[]", NOVA_E_TYPE, NULL},
        {"context.insights[0].id", "null", NOVA_E_TYPE, NULL},
        {"context.insights[0].category", "[]", NOVA_E_TYPE, NULL},
        {"context.insights[0].about_user", "true", NOVA_E_TYPE, NULL},
        {"context.insights[0].title", "1", NOVA_E_TYPE, NULL},
        {"context.insights[0].content", "{}", NOVA_E_TYPE, NULL},
        {"context.insights[0].updated_at", "null", NOVA_E_TYPE, NULL},
        {"context.insights[0].is_active", "\"yes\"", NOVA_E_TYPE, NULL},
        {"context.chat_memory_summary", "[]", NOVA_E_TYPE, NULL},
        {"message", "1", NOVA_E_TYPE, NULL},
        {"message", "null", NOVA_E_TYPE, NULL},
        {"options", "[]", NOVA_E_TYPE, NULL},
        {"options", "null", NOVA_E_TYPE, NULL},
        {"options.max_chars", "\"100\"", NOVA_E_TYPE, NULL},
        {"options.max_chars", "100.5", NOVA_E_TYPE, NULL},
        {"options.insights", "true", NOVA_E_TYPE, NULL},
        {"options.now", "1795642894", NOVA_E_TYPE, NULL},
    };
    TABLE(cases);
}

static void test_missing(void) {
    static const mutation cases[] = {
        {"context", NULL, NOVA_E_MISSING, NULL},
        {"message", NULL, NOVA_E_MISSING, NULL},
        {"context.user_id", NULL, NOVA_E_MISSING, NULL},
        {"context.user.name", NULL, NOVA_E_MISSING, NULL},
        {"context.partnership.id", NULL, NOVA_E_MISSING, NULL},
        {"context.partnership.status", NULL, NOVA_E_MISSING, NULL},
        {"context.reference.source", NULL, NOVA_E_MISSING, NULL},
        {"context.reference.name", NULL, NOVA_E_MISSING, NULL},
        {"context.memories[0].id", NULL, NOVA_E_MISSING, NULL},
        {"context.memories[0].category", NULL, NOVA_E_MISSING, NULL},
        {"context.memories[0].content", NULL, NOVA_E_MISSING, NULL},
        {"context.memories[1].confidence", NULL, NOVA_E_MISSING, NULL},
        {"context.memories[1].updated_at", NULL, NOVA_E_MISSING, NULL},
        {"context.insights[0].id", NULL, NOVA_E_MISSING, NULL},
        {"context.insights[0].category", NULL, NOVA_E_MISSING, NULL},
        {"context.insights[0].title", NULL, NOVA_E_MISSING, NULL},
        {"context.insights[0].content", NULL, NOVA_E_MISSING, NULL},
        {"context.insights[0].updated_at", NULL, NOVA_E_MISSING, NULL},
        /* optional members may go */
        {"context.user.tone", NULL, NOVA_OK, NULL},
        {"context.user.version", NULL, NOVA_OK, NULL},
        {"context.partnership.partner_user_id", NULL, NOVA_OK, NULL},
        {"context.reference.user_id", NULL, NOVA_OK, NULL},
        {"context.memories[0].about_user", NULL, NOVA_OK, NULL},
        {"context.memories[0].is_active", NULL, NOVA_OK, NULL},
        {"context.detection.custom_keywords", NULL, NOVA_OK, NULL},
        {"options", NULL, NOVA_OK, NULL},
        {"options.now", NULL, NOVA_OK, NULL},
    };
    TABLE(cases);
}

/* JSON null where the schema allows it. */
static void test_nulls_allowed(void) {
    static const mutation cases[] = {
        {"context.user", "null", NOVA_OK, NULL},
        {"context.user.tone", "null", NOVA_OK, NULL},
        {"context.user.interests", "null", NOVA_OK, NULL},
        {"context.user.emotional_patterns", "null", NOVA_OK, NULL},
        {"context.user.communication_style", "null", NOVA_OK, NULL},
        {"context.user.memory_summary", "null", NOVA_OK, NULL},
        {"context.user.version", "null", NOVA_OK, NULL},
        {"context.fallback_name", "null", NOVA_OK, NULL},
        {"context.partnership", "null", NOVA_OK, NULL},
        {"context.partnership.partner_user_id", "null", NOVA_OK, NULL},
        {"context.reference", "null", NOVA_OK, NULL},
        {"context.reference.user_id", "null", NOVA_OK, NULL},
        {"context.reference.traits", "null", NOVA_OK, NULL},
        {"context.reference.ai_notes", "null", NOVA_OK, NULL},
        {"context.detection", "null", NOVA_OK, NULL},
        {"context.detection.partner_names", "null", NOVA_OK, NULL},
        {"context.detection.custom_keywords", "null", NOVA_OK, NULL},
        {"context.detection.custom_keywords.weak", "null", NOVA_OK, NULL},
        {"context.detection.relationship_threshold", "null", NOVA_OK, NULL},
        {"context.memories", "null", NOVA_OK, NULL},
        {"context.memories[0].about_user", "null", NOVA_OK, NULL},
        {"context.insights", "null", NOVA_OK, NULL},
        {"context.chat_memory_summary", "null", NOVA_OK, NULL},
        /* and not where it does not */
        {"context.user_id", "null", NOVA_E_TYPE, NULL},
        {"context.user.setup_mode", "null", NOVA_E_TYPE, NULL},
        {"context.reference.name", "null", NOVA_E_TYPE, NULL},
        {"options.max_chars", "null", NOVA_E_TYPE, NULL},
        {"options.now", "null", NOVA_E_TYPE, NULL},
    };
    TABLE(cases);
}

static void test_bad_values(void) {
    static const mutation cases[] = {
        {"context.user_id", "\"not-a-uuid\"", NOVA_E_VALUE, NULL},
        {"context.user_id", "\"11111111-1111-4111-8111-11111111111\"", NOVA_E_VALUE, NULL},
        {"context.user_id", "\"11111111x1111-4111-8111-111111111111\"", NOVA_E_VALUE, NULL},
        {"context.user_id", "\"g1111111-1111-4111-8111-111111111111\"", NOVA_E_VALUE, NULL},
        {"context.user_id", "\"11111111-1111-4111-8111-1111111111111\"", NOVA_E_VALUE, NULL},
        {"context.user_id", "\"11111111-1111-4111-8111-1111-1111111\"", NOVA_E_VALUE, NULL},
        {"context.user_id", "\"111111111111-4111-8111-1111111111111\"", NOVA_E_VALUE, NULL},
        {"context.user_id", "\"11111111-1111-4111-8111-11111111111G\"", NOVA_E_VALUE, NULL},
        {"context.user_id", "\"11111111-1111-4111-8111-1111111111\\u00e9\"", NOVA_E_VALUE, NULL},
        {"context.partnership.partner_user_id", "\"\"", NOVA_E_VALUE, NULL},
        {"context.memories[1].about_user", "\"x\"", NOVA_E_VALUE, NULL},
        {"context.user.setup_mode", "\"quiz\"", NOVA_E_VALUE, NULL},
        {"context.user.setup_mode", "\"Pending\"", NOVA_E_VALUE, NULL},
        {"context.user.version", "-1", NOVA_E_VALUE, NULL},
        {"context.partnership.status", "\"open\"", NOVA_E_VALUE, NULL},
        {"context.reference.source", "\"user\"", NOVA_E_VALUE, NULL},
        {"context.memories[1].category", "\"gift_relevant\"", NOVA_E_VALUE, NULL},
        {"context.insights[0].category", "\"gift_idea\"", NOVA_E_VALUE, NULL},
        {"context.memories[1].confidence", "1.01", NOVA_E_VALUE, NULL},
        {"context.memories[1].confidence", "-0.01", NOVA_E_VALUE, NULL},
        {"context.memories[1].confidence", "1e999", NOVA_E_VALUE, NULL},
        {"context.memories[1].confidence", "0", NOVA_OK, NULL},
        {"context.memories[1].confidence", "1", NOVA_OK, NULL},
        {"context.detection.relationship_threshold", "-0.5", NOVA_E_VALUE, NULL},
        {"context.detection.relationship_threshold", "1e999", NOVA_E_VALUE, NULL},
        {"context.detection.relationship_threshold", "0", NOVA_OK, NULL},
        {"options.max_chars", "0", NOVA_E_VALUE, NULL},
        {"options.max_chars", "1000001", NOVA_E_VALUE, NULL},
        {"options.max_chars", "-5", NOVA_E_VALUE, NULL},
        {"options.max_chars", "1e300", NOVA_E_VALUE, NULL},
        {"options.max_chars", "1", NOVA_OK, NULL},
        {"options.max_chars", "1000000", NOVA_OK, NULL},
        {"options.max_chars", "2e3", NOVA_OK, NULL}, /* JSON Schema: 2000.0 is an integer */
        {"options.insights", "\"sometimes\"", NOVA_E_VALUE, NULL},
        {"options.now", "\"yesterday\"", NOVA_E_VALUE, NULL},
        {"context.memories[0].updated_at", "\"2026-11-25T21:41:34\"", NOVA_E_VALUE, NULL},
    };
    TABLE(cases);
}

static void test_unknown_fields_ignored(void) {
    static const mutation cases[] = {
        {"extra", "{\"deep\":[1,2,{\"x\":null}]}", NOVA_OK, NULL},
        {"context.surprise", "42", NOVA_OK, NULL},
        {"context.user.favourite_color", "\"teal\"", NOVA_OK, NULL},
        {"context.memories[0].embedding", "[0.1,0.2]", NOVA_OK, NULL},
        {"context.reference.created_at", "\"whenever\"", NOVA_OK, NULL},
        {"options.temperature", "0.7", NOVA_OK, NULL},
    };
    TABLE(cases);
}

/* Decodes json; returns the arena (caller frees) through *a. */
static nova_status decode_keep(arena *a, const char *json, nova_request *req, nova_error *err) {
    arena_init(a);
    nova_error_init(err);
    return request_decode(a, NOVA_REQUEST_ASSEMBLE, json, strlen(json), req, err);
}

static void test_defaults(void) {
    arena a;
    nova_error err;
    nova_request r;
    const char *json = "{\"context\":{\"user_id\":\"" UID "\"},\"message\":\"hi\"}";
    CHECK(decode_keep(&a, json, &r, &err) == NOVA_OK);
    CHECK(!r.has_user && !r.has_partnership && !r.has_reference && !r.has_detection);
    CHECK_STR(r.fallback_name.s, "there");
    CHECK(r.max_chars == 24000);
    CHECK(r.insights_mode == NOVA_INSIGHTS_AUTO);
    CHECK(!r.has_now);
    CHECK(r.detection.relationship_threshold == 2.0);
    CHECK(r.memory_count == 0 && r.insight_count == 0);
    CHECK(r.chat_memory_summary.s == NULL);
    CHECK_STR(r.message.s, "hi");
    arena_free(&a);

    /* a blank fallback_name also gives "there"; detection without a threshold gives 2 */
    json = "{\"context\":{\"user_id\":\"" UID "\",\"fallback_name\":\" \\u200b \","
           "\"detection\":{}},\"message\":\"\"}";
    CHECK(decode_keep(&a, json, &r, &err) == NOVA_OK);
    CHECK_STR(r.fallback_name.s, "there");
    CHECK(r.has_detection && r.detection.relationship_threshold == 2.0);
    arena_free(&a);
}

/* The threshold is decided on as the result prints it (6 decimals): never "score 2,
 * threshold 2, relationship false". */
static void test_threshold_as_shown(void) {
    static const struct { const char *text; double want; } cases[] = {
        {"2.0000001", 2.0}, {"0.0000001", 0.0}, {"1.5", 1.5}, {"2.0000005", 2.000001},
        {"3.1234564", 3.123456}, {"1e13", 1e13}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        arena a;
        nova_error err;
        nova_request r;
        char json[256];
        snprintf(json, sizeof json,
                 "{\"context\":{\"user_id\":\"" UID "\",\"detection\":{\"relationship_threshold\":%s}},"
                 "\"message\":\"\"}", cases[i].text);
        CHECK(decode_keep(&a, json, &r, &err) == NOVA_OK);
        CHECK_MSG(r.detection.relationship_threshold == cases[i].want, "%s decoded as %.17g",
                  cases[i].text, r.detection.relationship_threshold);
        arena_free(&a);
    }
}

static void test_full_values(void) {
    arena a;
    nova_error err;
    nova_request r;
    CHECK(decode_keep(&a, FULL, &r, &err) == NOVA_OK);
    CHECK(r.has_user && r.has_partnership && r.has_reference && r.has_detection);
    CHECK_STR(r.user.name.s, "Ann");
    CHECK(r.user.interests.count == 2);
    CHECK_STR(r.user.setup_mode.s, "self_written");
    CHECK(r.user.version == 3);
    /* memory_summary flattened for the user; a reference's is checked, never kept */
    CHECK(r.user.memory_summary.count == 1);
    CHECK_STR(r.user.memory_summary.lines[0].path.s, "likes");
    CHECK_STR(r.user.memory_summary.lines[0].value.s, "tea");
    CHECK(r.reference.profile.memory_summary.count == 0);
    CHECK_STR(r.fallback_name.s, "annie");
    CHECK(r.partnership.status == NOVA_PARTNERSHIP_ACTIVE);
    CHECK_STR(r.partnership.partner_user_id.s, PID);
    CHECK(r.reference.source == NOVA_SOURCE_PARTNER_ACCOUNT);
    CHECK_STR(r.reference.profile.name.s, "Sam");
    CHECK_STR(r.reference.profile.tone.s, "calm");
    CHECK(r.reference.traits.count == 1 && r.reference.important_truths.count == 1);
    CHECK(r.detection.partner_names.count == 1 && r.detection.strong.count == 1 &&
          r.detection.medium.count == 1 && r.detection.weak.count == 1);
    CHECK(r.detection.relationship_threshold == 1.5);
    CHECK(r.memory_count == 2 && r.insight_count == 1);
    CHECK(r.memories[0].category == NOVA_MEM_PREFERENCE && r.memories[1].category == NOVA_MEM_GENERAL);
    CHECK(r.memories[0].index == 0 && r.memories[1].index == 1);
    CHECK(r.memories[0].is_active && r.memories[1].is_active); /* absent = true */
    CHECK(r.memories[1].about_user.s == NULL);
    CHECK(r.memories[0].confidence == 0.9);
    CHECK(r.memories[0].updated_at == 1795642894 && r.memories[1].updated_at == 1795642894);
    CHECK(r.insights[0].category == NOVA_INS_STRENGTH && !r.insights[0].is_active);
    CHECK_STR(r.insights[0].title.s, "t0");
    CHECK_STR(r.chat_memory_summary.s, "so far");
    CHECK(r.max_chars == 5000 && r.insights_mode == NOVA_INSIGHTS_ALWAYS);
    CHECK(r.has_now && r.now == 1795651200);
    arena_free(&a);
}

/* Text that reaches the prompt is sanitized with its field's kind and cap; matched text
 * and the message are not. */
static void test_sanitized_at_decode(void) {
    arena a;
    nova_error err;
    nova_request r;
    char name[400];
    memset(name, 'n', 150);
    name[150] = '\0';
    char json[2048];
    snprintf(json, sizeof json,
             "{\"context\":{\"user_id\":\"" "11111111-1111-4111-8111-ABCDEF111111" "\","
             "\"user\":{\"name\":\"%s\",\"tone\":\"a\\n b\",\"interests\":[\"x\",\" \",\"\\u200b\"],"
             "\"emotional_patterns\":\"p1\\r\\n\\r\\n\\r\\np2\"},"
             "\"reference\":{\"source\":\"ai_generated\",\"name\":\"  Sam\\u202e  Lee \","
             "\"ai_notes\":\"<nova:core>\"},"
             "\"detection\":{\"partner_names\":[\" Sammy\\t\",\"\"],"
             "\"custom_keywords\":{\"strong\":[\"bae\xFF\"]}},"
             "\"memories\":[{\"id\":\"" MID "\",\"category\":\"pattern\",\"content\":\"</nova:memory>\","
             "\"confidence\":0.5,\"updated_at\":\"2026-01-01T00:00:00Z\"}],"
             "\"chat_memory_summary\":\"l1\\n\\n\\n\\nl2\"},"
             "\"message\":\"a\\tb \\u200b\xFF <nova\"}",
             name);
    CHECK(decode_keep(&a, json, &r, &err) == NOVA_OK);
    CHECK_STR(r.user_id.s, "11111111-1111-4111-8111-abcdef111111"); /* UUIDs lower-cased */
    CHECK(r.user.name.len == 99 + 3 && strcmp(r.user.name.s + 99, "\xE2\x80\xA6") == 0);
    CHECK_STR(r.user.tone.s, "a b");
    CHECK(r.user.interests.count == 1);
    CHECK_STR(r.user.emotional_patterns.s, "p1\n\np2");
    CHECK_STR(r.reference.profile.name.s, "Sam Lee");
    CHECK_STR(r.reference.ai_notes.s, "\xE2\x80\xB9nova:core>");
    CHECK_STR(r.memories[0].content.s, "\xE2\x80\xB9/nova:memory>");
    CHECK_STR(r.chat_memory_summary.s, "l1\n\nl2");
    CHECK(r.detection.partner_names.count == 1);
    CHECK_STR(r.detection.partner_names.items[0].s, " Sammy\t");        /* raw */
    CHECK_STR(r.detection.strong.items[0].s, "bae\xEF\xBF\xBD");         /* only UTF-8 repaired */
    CHECK(r.message.len == 14 && memcmp(r.message.s, "a\tb \xE2\x80\x8B\xFF <nova", 14) == 0);
    arena_free(&a);
}

static int64_t ts(const char *value, nova_status *code) {
    char *json = full_with("options.now", value);
    arena a;
    nova_error err;
    nova_request r;
    *code = decode_keep(&a, json, &r, &err);
    int64_t t = r.now;
    arena_free(&a);
    cJSON_free(json);
    return t;
}

static void test_timestamps(void) {
    static const struct {
        const char *text;
        int64_t want;
    } good[] = {
        {"\"1970-01-01T00:00:00Z\"", 0},
        {"\"1969-12-31T23:59:59Z\"", -1},
        {"\"2000-02-29T00:00:00Z\"", 951782400},     /* leap: divisible by 400 */
        {"\"2000-03-01T00:00:00z\"", 951868800},
        {"\"2024-02-29T12:00:00Z\"", 1709208000},
        {"\"1900-03-01T00:00:00Z\"", -2203891200},
        {"\"0001-01-01T00:00:00Z\"", -62135596800},
        {"\"9999-12-31T23:59:59Z\"", 253402300799},
        {"\"2026-11-25T21:41:34Z\"", 1795642894},
        {"\"2026-11-25 21:41:34.123456+00\"", 1795642894},  /* Postgres */
        {"\"2026-11-25T21:41:34.123+00:00\"", 1795642894},
        {"\"2026-11-25T21:41:34.999999999Z\"", 1795642894}, /* fraction dropped */
        {"\"2026-11-25T21:41:34+05:30\"", 1795623094},
        {"\"2026-11-25T21:41:34+0530\"", 1795623094},
        {"\"2026-11-25T21:41:34-08:00\"", 1795671694},
        {"\"2026-11-25T21:41:34-08\"", 1795671694},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        nova_status code;
        int64_t t = ts(good[i].text, &code);
        CHECK_MSG(code == NOVA_OK && t == good[i].want, "%s: got %d, %lld", good[i].text, (int)code,
                  (long long)t);
    }
    static const char *const bad[] = {
        "\"2026-02-29T00:00:00Z\"",  /* not a leap year */
        "\"1900-02-29T00:00:00Z\"",  /* divisible by 100, not 400 */
        "\"2026-13-01T00:00:00Z\"", "\"2026-00-10T00:00:00Z\"", "\"2026-04-31T00:00:00Z\"",
        "\"2026-11-25T24:00:00Z\"", "\"2026-11-25T23:60:00Z\"", "\"2026-11-25T23:59:61Z\"",
        "\"2026-11-25T21:41:34\"",   /* no zone */
        "\"2026-11-25\"", "\"2026-11-25T21:41Z\"", "\"2026-11-25t21:41:34Z\"",
        "\"2026-11-25T21:41:34.Z\"", "\"2026-11-25T21:41:34.1234567890Z\"",
        "\"2026-11-25T21:41:34+5\"", "\"2026-11-25T21:41:34+05:\"", "\"2026-11-25T21:41:34+05:3\"",
        "\"2026-11-25T21:41:34+24:00\"", "\"2026-11-25T21:41:34Z \"", "\"+2026-11-25T21:41:34Z\"",
        "\"2026-1-25T21:41:34Z\"", "\"２026-11-25T21:41:34Z\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nova_status code;
        ts(bad[i], &code);
        CHECK_MSG(code == NOVA_E_VALUE, "%s: got %d", bad[i], (int)code);
    }
}

/* Builds {"context":{"user_id":UID, <member>},"message":<message>} with a long string. */
static char *with_long(const char *before, size_t n, char fill, const char *after) {
    size_t lb = strlen(before), la = strlen(after);
    char *s = malloc(lb + n + la + 1);
    memcpy(s, before, lb);
    memset(s + lb, fill, n);
    memcpy(s + lb + n, after, la + 1);
    return s;
}

static void expect(const char *json, size_t len, nova_status code, const char *path, int line) {
    outcome o = decode_text(json, len);
    if (o.code != code || strcmp(o.path, path) != 0) {
        harness_case_failed = 1;
        fprintf(stderr, "test_request.c:%d: %s: got %d at \"%s\" (%s), want %d at \"%s\"\n", line,
                harness_case_name, (int)o.code, o.path, o.message, (int)code, path);
    }
}

#define EXPECT(json, code, path) expect(json, strlen(json), code, path, __LINE__)

static void test_limits(void) {
    char *s;
    s = with_long("{\"context\":{\"user_id\":\"" UID "\",\"user\":{\"name\":\"", 65537, 'a',
                  "\"}},\"message\":\"\"}");
    EXPECT(s, NOVA_E_LIMIT, "context.user.name");
    free(s);
    s = with_long("{\"context\":{\"user_id\":\"" UID "\",\"user\":{\"name\":\"", 65536, 'a',
                  "\"}},\"message\":\"\"}");
    EXPECT(s, NOVA_OK, ""); /* exactly the limit */
    free(s);
    /* the limit counts decoded bytes: 20,000 \u00e9 escapes are 40,000 bytes, under it */
    {
        size_t n = 20000;
        char *t = malloc(n * 6 + 200);
        int w = sprintf(t, "{\"context\":{\"user_id\":\"" UID "\",\"fallback_name\":\"");
        for (size_t i = 0; i < n; i++) memcpy(t + w + i * 6, "\\u00e9", 6);
        strcpy(t + w + n * 6, "\"},\"message\":\"\"}");
        EXPECT(t, NOVA_OK, "");
        free(t);
    }
    s = with_long("{\"context\":{\"user_id\":\"" UID "\"},\"message\":\"", 1048576, 'm', "\"}");
    EXPECT(s, NOVA_OK, "");
    free(s);
    s = with_long("{\"context\":{\"user_id\":\"" UID "\"},\"message\":\"", 1048577, 'm', "\"}");
    EXPECT(s, NOVA_E_LIMIT, "message");
    free(s);
    /* an unknown member's string is limited too */
    s = with_long("{\"context\":{\"user_id\":\"" UID "\",\"x\":[\"", 70000, 'x', "\"]},\"message\":\"\"}");
    EXPECT(s, NOVA_E_LIMIT, "context.x[0]");
    free(s);

    /* lists: 2000 items are fine, 2001 are not */
    for (int extra = 0; extra < 2; extra++) {
        size_t n = 2000 + (size_t)extra;
        char *t = malloc(n * 4 + 200);
        size_t w = (size_t)sprintf(t, "{\"context\":{\"user_id\":\"" UID "\",\"user\":{\"name\":\"A\",\"interests\":[");
        for (size_t i = 0; i < n; i++) {
            memcpy(t + w, i ? ",\"x\"" : "\"x\"", i ? 4 : 3);
            w += i ? 4 : 3;
        }
        t[w] = '\0';
        strcat(t, "]}},\"message\":\"\"}");
        EXPECT(t, extra ? NOVA_E_LIMIT : NOVA_OK, extra ? "context.user.interests" : "");
        free(t);
    }
}

/* Keywords and partner names: at most NOVA_MAX_KEYWORD_BYTES; the error's index is the
 * item's place in the JSON even when empty items before it are dropped. */
static void test_keyword_limit(void) {
    char *s;
    s = with_long("{\"context\":{\"user_id\":\"" UID "\",\"detection\":{\"custom_keywords\":"
                  "{\"strong\":[\"\",\" \",\"ok\",\"", 10240, 'k', "\"]}}},\"message\":\"\"}");
    EXPECT(s, NOVA_E_LIMIT, "context.detection.custom_keywords.strong[3]");
    free(s);
    s = with_long("{\"context\":{\"user_id\":\"" UID "\",\"detection\":{\"partner_names\":[\"",
                  NOVA_MAX_KEYWORD_BYTES, 'n', "\"]}},\"message\":\"\"}");
    EXPECT(s, NOVA_OK, ""); /* exactly the limit */
    free(s);
    s = with_long("{\"context\":{\"user_id\":\"" UID "\",\"detection\":{\"partner_names\":[\"\",\"",
                  NOVA_MAX_KEYWORD_BYTES + 1, 'n', "\"]}},\"message\":\"\"}");
    EXPECT(s, NOVA_E_LIMIT, "context.detection.partner_names[1]");
    free(s);
    /* the limit counts bytes after invalid UTF-8 became U+FFFD (3 bytes each) */
    s = with_long("{\"context\":{\"user_id\":\"" UID "\",\"detection\":{\"custom_keywords\":"
                  "{\"weak\":[\"", 100, '\xff', "\"]}}},\"message\":\"\"}");
    EXPECT(s, NOVA_E_LIMIT, "context.detection.custom_keywords.weak[0]");
    free(s);
}

static void test_prescan(void) {
    /* NUL inside strings, raw and escaped, with the path */
    static const char raw_nul[] = "{\"context\":{\"user_id\":\"" UID "\",\"user\":{\"name\":\"A\0B\"}},\"message\":\"\"}";
    expect(raw_nul, sizeof raw_nul - 1, NOVA_E_VALUE, "context.user.name", __LINE__);
    char *j = full_with("context.memories[1].content", "\"a\\u0000b\"");
    EXPECT(j, NOVA_E_VALUE, "context.memories[1].content");
    cJSON_free(j);
    EXPECT("{\"message\":\"x\\u0000\"}", NOVA_E_VALUE, "message");
    /* keys in paths are shown decoded, and cannot pose as a path or vanish */
    EXPECT("{\"context\":{\"memories[3].confidence\":\"\\u0000\"}}", NOVA_E_VALUE,
           "context.memories?3??confidence");
    EXPECT("{\"context\":{\"\":\"\\u0000\"}}", NOVA_E_VALUE, "context[\"\"]");
    EXPECT("{\"context\":{\"us\\u0065r\":{\"x\\n\":\"\\u0000\"}}}", NOVA_E_VALUE, "context.user.x?");
    /* "message" written with an escape is still the message: 1 MiB, not 64 KiB */
    j = with_long("{\"context\":{\"user_id\":\"" UID "\"},\"m\\u0065ssage\":\"", 70000, 'm', "\"}");
    EXPECT(j, NOVA_OK, "");
    free(j);
    /* depth: 32 levels are fine, 33 are not */
    char deep[512];
    for (int levels = 32; levels <= 33; levels++) {
        int w = sprintf(deep, "{\"context\":{\"user_id\":\"" UID "\",\"x\":");
        for (int i = 0; i < levels - 2; i++) deep[w++] = '[';
        for (int i = 0; i < levels - 2; i++) deep[w++] = ']';
        strcpy(deep + w, "},\"message\":\"\"}");
        EXPECT(deep, levels == 32 ? NOVA_OK : NOVA_E_LIMIT,
               levels == 32 ? "" : "context.x[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]");
    }
    /* a byte order mark is skipped; empty and white-space requests are refused */
    char *full = full_with(NULL, NULL);
    char bom[4096];
    snprintf(bom, sizeof bom, "\xEF\xBB\xBF%s", full);
    EXPECT(bom, NOVA_OK, "");
    cJSON_free(full);
    expect("", 0, NOVA_E_JSON, "", __LINE__);
    EXPECT(" \n\t\r ", NOVA_E_JSON, "");
    EXPECT("\xEF\xBB\xBF", NOVA_E_JSON, "");
    /* malformed JSON and trailing data */
    EXPECT("{", NOVA_E_JSON, "");
    EXPECT("{\"context\":}", NOVA_E_JSON, "");
    EXPECT("{} x", NOVA_E_JSON, "");
    EXPECT("{}\x01", NOVA_E_JSON, "");
    EXPECT("[] ", NOVA_E_TYPE, "");
    EXPECT("\"just a string\"", NOVA_E_TYPE, "");
    /* duplicate members are refused */
    EXPECT("{\"context\":{\"user_id\":\"" UID "\"},\"message\":\"a\",\"message\":\"b\"}",
           NOVA_E_VALUE, "message");
}

static void test_error_positions(void) {
    /* the first byte that cannot continue the text (json_syntax.h): "n" may begin null */
    outcome o = decode_text("{\"context\": nope}", 17);
    CHECK(o.code == NOVA_E_JSON && strstr(o.message, "byte 13") != NULL);
    o = decode_text("\xEF\xBB\xBF{\"a\": nope}", 14); /* offsets count the BOM */
    CHECK_MSG(o.code == NOVA_E_JSON && strstr(o.message, "byte 10") != NULL, "%s", o.message);
    o = decode_text("{} x", 4);
    CHECK(o.code == NOVA_E_JSON && strstr(o.message, "byte 3") != NULL);
}

static void test_surrogate_escapes(void) {
    arena a;
    nova_error err;
    nova_request r;
    const char *json = "{\"context\":{\"user_id\":\"" UID "\",\"user\":{\"name\":\"A\\ud800B\"}},"
                       "\"message\":\"\\ud83d\\ude00 \\udc00x \\ud83d\"}";
    CHECK(decode_keep(&a, json, &r, &err) == NOVA_OK);
    CHECK_STR(r.message.s, "\xF0\x9F\x98\x80 \xEF\xBF\xBDx \xEF\xBF\xBD");
    CHECK_STR(r.user.name.s, "A\xEF\xBF\xBD" "B");
    arena_free(&a);
}

int main(void) {
    RUN(test_full_request_is_valid);
    RUN(test_wrong_types);
    RUN(test_missing);
    RUN(test_nulls_allowed);
    RUN(test_bad_values);
    RUN(test_unknown_fields_ignored);
    RUN(test_defaults);
    RUN(test_threshold_as_shown);
    RUN(test_full_values);
    RUN(test_sanitized_at_decode);
    RUN(test_timestamps);
    RUN(test_limits);
    RUN(test_keyword_limit);
    RUN(test_prescan);
    RUN(test_error_positions);
    RUN(test_surrogate_escapes);
    RUN(test_summary_numbers_beyond_double);
    return harness_report();
}
