/*
 * test_json_parse — cJSON's tree in the call's arena (src/json_parse.h): the parse needs
 * no free, cJSON keeps working with malloc outside a parse, calls on several threads at
 * once give the bytes one thread gives (the hooks read only thread-local state), an
 * allocation failure is out_of_memory rather than invalid_json, and a program that
 * replaces cJSON's hooks gets an error, not a leak.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "arena.h"
#include "harness.h"
#include "json_parse.h"
#include "nova.h"
#include "read_file.h"

static void test_tree_in_arena(void) {
    arena a;
    arena_init(&a);
    nova_error err;
    nova_error_init(&err);
    const char text[] = "{\"a\":[1,2,{\"b\":\"c\\n\"}],\"d\":null}  ";
    cJSON *root = NULL;
    size_t end = 0, longest = 0;
    CHECK(json_parse(&a, text, sizeof text - 1, &root, &end, &longest, &err) == NOVA_OK);
    CHECK(root && cJSON_IsObject(root));
    CHECK(end == sizeof text - 3); /* parsing stops after the value */
    CHECK(longest >= 2);           /* "c\n" decodes to 2 bytes */
    const cJSON *b = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "a"), 2), "b");
    CHECK(cJSON_IsString(b) && strcmp(b->valuestring, "c\n") == 0);
    CHECK(a.head != NULL); /* the nodes are in the arena... */
    arena_free(&a);        /* ...and go with it (valgrind and ASan see no leak) */

    /* A syntax error: no tree, the position, OK status (the caller words the error). */
    arena_init(&a);
    CHECK(json_parse(&a, "[1,", 3, &root, &end, &longest, &err) == NOVA_OK && root == NULL);
    arena_free(&a);
}

static void test_cjson_outside_a_parse(void) {
    arena a;
    arena_init(&a);
    nova_error err;
    nova_error_init(&err);
    cJSON *root;
    size_t end, longest;
    json_parse(&a, "{}", 2, &root, &end, &longest, &err); /* the hooks are installed now */
    arena_free(&a);
    cJSON *v = cJSON_Parse("{\"x\":[true,\"y\"]}"); /* malloc, as cJSON always did */
    CHECK(v != NULL);
    char *text = cJSON_PrintUnformatted(v);
    CHECK(text && strcmp(text, "{\"x\":[true,\"y\"]}") == 0);
    cJSON_free(text);
    cJSON_Delete(v);
}

static void test_out_of_memory_is_not_bad_json(void) {
    /* An allocation that failed during the parse (the arena's flag, arena.h) makes the
     * parse out of memory, whatever cJSON made of it, and no tree is handed out. */
    arena a;
    arena_init(&a);
    a.failed = 1;
    nova_error err;
    nova_error_init(&err);
    cJSON *root = (cJSON *)&a;
    size_t end, longest;
    CHECK(json_parse(&a, "{\"k\":\"v\"}", 9, &root, &end, &longest, &err) == NOVA_E_NOMEM);
    CHECK(root == NULL && err.code == NOVA_OK); /* no message below api.c */
    arena_free(&a);
}

typedef struct job {
    const char *req;
    size_t len;
    const char *want;
    int same;
} job;

static void *worker(void *p) {
    job *j = p;
    j->same = 1;
    for (int i = 0; i < 150; i++) {
        char *out = NULL;
        size_t n = 0;
        nova_assemble(j->req, j->len, &out, &n);
        if (!out || strcmp(out, j->want) != 0) j->same = 0;
        nova_free(out);
    }
    return NULL;
}

static void test_threads_agree(void) {
    static const char *const files[] = {"tests/golden/partnership_full.request.json",
                                        "tests/golden/non_ascii_names.request.json",
                                        "tests/golden/many_memories_over_budget.request.json",
                                        "tests/golden/injection_attempts.request.json"};
    enum { N = sizeof files / sizeof files[0] };
    job jobs[N];
    pthread_t threads[N];
    char *reqs[N], *wants[N];
    for (int i = 0; i < N; i++) {
        size_t len = 0, n = 0;
        reqs[i] = read_file(files[i], &len);
        CHECK(reqs[i] != NULL);
        wants[i] = NULL;
        if (reqs[i]) nova_assemble(reqs[i], len, &wants[i], &n);
        jobs[i] = (job){reqs[i], len, wants[i], 0};
    }
    for (int i = 0; i < N; i++) CHECK(pthread_create(&threads[i], NULL, worker, &jobs[i]) == 0);
    for (int i = 0; i < N; i++) {
        pthread_join(threads[i], NULL);
        CHECK_MSG(jobs[i].same, "%s: a thread got other bytes", files[i]);
        free(reqs[i]);
        nova_free(wants[i]);
    }
}

/* Last: after it this process's cJSON hooks are the program's. */
static void test_replaced_hooks_refused(void) {
    cJSON_Hooks plain = {malloc, free};
    cJSON_InitHooks(&plain);
    const char req[] = "{\"context\":{\"user_id\":\"11111111-1111-4111-8111-111111111111\"},\"message\":\"hi\"}";
    char *out = NULL;
    size_t n = 0;
    CHECK(nova_assemble(req, sizeof req - 1, &out, &n) == NOVA_E_ARGUMENT);
    CHECK(out && strstr(out, "\"code\":\"bad_argument\"") && strstr(out, "cJSON_InitHooks"));
    nova_free(out);
}

int main(void) {
    RUN(test_tree_in_arena);
    RUN(test_cjson_outside_a_parse);
    RUN(test_out_of_memory_is_not_bad_json);
    RUN(test_threads_agree);
    RUN(test_replaced_hooks_refused);
    return harness_report();
}
