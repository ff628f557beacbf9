/*
 * bench/assemble — native time of nova_assemble on a realistic request: a couple with
 * full profiles, 8 insights and 200 (then 500) shared memories. Not a test: it prints
 * figures, it asserts nothing about them.
 *   build/bench_assemble [ITERATIONS]    (default 2000)
 * Each line: memories, max_chars, iterations, mean µs per call (wall and CPU), sizes,
 * memories dropped.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "nova.h"

static const char *const categories[] = {"preference", "emotional_need", "important_date",
                                         "gift_idea", "growth_moment", "pattern", "general"};
static const char *const topics[] = {
    "likes his coffee black and strong in the morning",
    "goes hiking on the coast trail to clear her head",
    "argue more when money is tight at the end of the month",
    "feels lonely when the other works several night shifts in a row",
    "have a standing Friday date night at the ramen place",
    "is nervous about meeting the parents at the holidays",
    "mentioned a birthday wish for a new bike helmet",
    "are saving for a trip to Lisbon next spring",
};
static const char *const users[] = {"11111111-1111-4111-8111-111111111111",
                                    "22222222-2222-4222-8222-222222222222", NULL};

static char *build_request(int memories, int max_chars) {
    cJSON *r = cJSON_CreateObject();
    cJSON *ctx = cJSON_AddObjectToObject(r, "context");
    cJSON_AddStringToObject(ctx, "user_id", users[0]);
    cJSON *u = cJSON_AddObjectToObject(ctx, "user");
    cJSON_AddStringToObject(u, "name", "Maya");
    cJSON_AddStringToObject(u, "tone", "warm and direct");
    const char *interests[] = {"hiking", "pottery", "jazz"};
    cJSON_AddItemToObject(u, "interests", cJSON_CreateStringArray(interests, 3));
    cJSON_AddStringToObject(u, "communication_style", "Direct; appreciates honesty.");
    cJSON_AddItemToObject(u, "memory_summary",
                          cJSON_Parse("{\"love_language\":{\"primary\":\"words\",\"secondary\":"
                                      "\"time\"},\"stressors\":[\"work\",\"family\"],\"years\":4}"));
    cJSON_AddStringToObject(u, "setup_mode", "self_written");
    cJSON *p = cJSON_AddObjectToObject(ctx, "partnership");
    cJSON_AddStringToObject(p, "id", "44444444-4444-4444-8444-444444444444");
    cJSON_AddStringToObject(p, "status", "active");
    cJSON_AddStringToObject(p, "partner_user_id", users[1]);
    cJSON *ref = cJSON_AddObjectToObject(ctx, "reference");
    cJSON_AddStringToObject(ref, "source", "ai_generated");
    cJSON_AddStringToObject(ref, "user_id", users[1]);
    cJSON_AddStringToObject(ref, "name", "Sam");
    const char *traits[] = {"thoughtful", "reserved", "dry humor"};
    cJSON_AddItemToObject(ref, "traits", cJSON_CreateStringArray(traits, 3));
    cJSON *det = cJSON_AddObjectToObject(ctx, "detection");
    const char *names[] = {"Sam", "Sammy"};
    cJSON_AddItemToObject(det, "partner_names", cJSON_CreateStringArray(names, 2));
    cJSON *mems = cJSON_AddArrayToObject(ctx, "memories");
    for (int i = 0; i < memories; i++) {
        char id[40], content[160], date[32];
        snprintf(id, sizeof id, "aaaaaaaa-0000-4000-8000-%012x", i + 1);
        snprintf(content, sizeof content, "%s %s (note %d).", i % 2 ? "Maya" : "Sam",
                 topics[i % 8], i + 1);
        snprintf(date, sizeof date, "2026-%02d-%02dT08:00:00Z", 1 + i % 11, 1 + i % 28);
        cJSON *m = cJSON_CreateObject();
        cJSON_AddStringToObject(m, "id", id);
        cJSON_AddStringToObject(m, "category", categories[i % 7]);
        if (users[i % 3])
            cJSON_AddStringToObject(m, "about_user", users[i % 3]);
        else
            cJSON_AddNullToObject(m, "about_user");
        cJSON_AddStringToObject(m, "content", content);
        cJSON_AddNumberToObject(m, "confidence", (double)(i % 10 + 1) / 10.0);
        cJSON_AddStringToObject(m, "updated_at", date);
        cJSON_AddItemToArray(mems, m);
    }
    cJSON *ins = cJSON_AddArrayToObject(ctx, "insights");
    for (int i = 0; i < 8; i++) {
        char id[40];
        snprintf(id, sizeof id, "bbbbbbbb-0000-4000-8000-%012x", i + 1);
        cJSON *m = cJSON_CreateObject();
        cJSON_AddStringToObject(m, "id", id);
        cJSON_AddStringToObject(m, "category", "communication");
        cJSON_AddNullToObject(m, "about_user");
        cJSON_AddStringToObject(m, "title", "Pursue and withdraw");
        cJSON_AddStringToObject(m, "content", "When one presses to talk, the other withdraws.");
        cJSON_AddStringToObject(m, "updated_at", "2026-10-01T10:00:00Z");
        cJSON_AddItemToArray(ins, m);
    }
    cJSON_AddStringToObject(ctx, "chat_memory_summary", "Maya is upset that Sam forgot to call.");
    cJSON_AddStringToObject(r, "message",
                            "How do I tell Sam I was hurt that he forgot to call on his trip?");
    cJSON *opt = cJSON_AddObjectToObject(r, "options");
    cJSON_AddStringToObject(opt, "now", "2026-11-25T12:00:00Z");
    if (max_chars) cJSON_AddNumberToObject(opt, "max_chars", max_chars);
    char *json = cJSON_PrintUnformatted(r);
    cJSON_Delete(r);
    return json;
}

/* Wall time, and the process's CPU time: on a shared machine the CPU time is the steadier
 * figure (waiting for a core does not count). */
static double now_us(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int bench(int memories, int max_chars, int iterations) {
    char *req = build_request(memories, max_chars);
    if (!req) return 1;
    size_t len = strlen(req);
    char *out = NULL;
    size_t out_len = 0;
    /* One warm-up call, also the one whose result is described. */
    if (nova_assemble(req, len, &out, &out_len) != NOVA_OK) {
        fprintf(stderr, "bench: assemble failed: %s\n", out ? out : "(no result)");
        nova_free(out);
        cJSON_free(req);
        return 1;
    }
    cJSON *res = cJSON_Parse(out);
    const cJSON *dropped = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(res, "budget"), "dropped"), "memories");
    int dropped_n = cJSON_IsNumber(dropped) ? dropped->valueint : -1;
    cJSON_Delete(res);
    nova_free(out);

    double start = now_us(CLOCK_MONOTONIC), cpu_start = now_us(CLOCK_PROCESS_CPUTIME_ID);
    for (int i = 0; i < iterations; i++) {
        nova_assemble(req, len, &out, &out_len);
        nova_free(out);
    }
    double mean = (now_us(CLOCK_MONOTONIC) - start) / iterations;
    double cpu = (now_us(CLOCK_PROCESS_CPUTIME_ID) - cpu_start) / iterations;
    printf("assemble: %d memories, max_chars %d, %d calls: %.1f us per call (%.1f us CPU; "
           "request %zu bytes, result %zu bytes, %d memories dropped)\n",
           memories, max_chars ? max_chars : (int)NOVA_DEFAULT_MAX_CHARS, iterations, mean, cpu,
           len, out_len, dropped_n);
    cJSON_free(req);
    return 0;
}

int main(int argc, char **argv) {
    int iterations = argc > 1 ? atoi(argv[1]) : 2000;
    if (iterations < 1) iterations = 1;
    int half = iterations / 2 > 0 ? iterations / 2 : 1;
    /* 200 memories: within a generous budget (nothing to rank), then the default one
     * (a few dropped: relevance ranking runs); 500: far over the default budget. */
    return bench(200, 100000, iterations) || bench(200, 0, iterations) || bench(500, 0, half);
}
