/*
 * assemble_util.h — helpers for the tests that go through nova_assemble(): build a
 * request with cJSON, run it, look at the result. Header-only, like harness.h (static inline: each test uses only some).
 */
#ifndef NOVA_TEST_ASSEMBLE_UTIL_H
#define NOVA_TEST_ASSEMBLE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "nova.h"
#include "read_file.h"

#define T_USER "11111111-1111-4111-8111-111111111111"
#define T_PARTNER "22222222-2222-4222-8222-222222222222"
#define T_OTHER "33333333-3333-4333-8333-333333333333"
#define T_PSHIP "44444444-4444-4444-8444-444444444444"

/* Runs nova_assemble on a JSON text; returns the parsed result (the caller deletes). */
static inline cJSON *assemble_text(const char *json, size_t len, nova_status *status) {
    char *out = NULL;
    size_t out_len = 0;
    nova_status st = nova_assemble(json, len, &out, &out_len);
    if (status) *status = st;
    cJSON *res = out ? cJSON_ParseWithLength(out, out_len) : NULL;
    nova_free(out);
    return res;
}

static inline cJSON *assemble_tree(const cJSON *req, nova_status *status) {
    char *json = cJSON_PrintUnformatted(req);
    if (!json) return NULL;
    cJSON *res = assemble_text(json, strlen(json), status);
    cJSON_free(json);
    return res;
}

/* The prompt of a result ("" when absent). Owned by the result tree. */
static inline const char *result_prompt(const cJSON *res) {
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(res, "prompt");
    return cJSON_IsString(p) ? p->valuestring : "";
}

static inline const cJSON *result_layer(const cJSON *res, const char *name) {
    const cJSON *layers = cJSON_GetObjectItemCaseSensitive(res, "layers");
    const cJSON *l;
    cJSON_ArrayForEach(l, layers) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(l, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0) return l;
    }
    return NULL;
}

static inline int layer_included(const cJSON *res, const char *name) {
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(result_layer(res, name), "included"));
}

static inline double result_dropped(const cJSON *res, const char *what) {
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(res, "budget");
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(b, "dropped");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, what);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static inline double result_budget(const cJSON *res, const char *what) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(res, "budget"), what);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static inline const char *result_error_field(const cJSON *res, const char *what) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(res, "error"), what);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A small valid request: the user Maya (with a profile) and a message. */
static inline cJSON *req_new(const char *message) {
    cJSON *r = cJSON_CreateObject();
    cJSON *ctx = cJSON_AddObjectToObject(r, "context");
    cJSON_AddStringToObject(ctx, "user_id", T_USER);
    cJSON *u = cJSON_AddObjectToObject(ctx, "user");
    cJSON_AddStringToObject(u, "name", "Maya");
    cJSON_AddStringToObject(u, "setup_mode", "self_written");
    cJSON_AddArrayToObject(ctx, "memories");
    cJSON_AddArrayToObject(ctx, "insights");
    cJSON_AddStringToObject(r, "message", message);
    cJSON_AddObjectToObject(r, "options");
    return r;
}

static inline cJSON *req_context(cJSON *r) { return cJSON_GetObjectItemCaseSensitive(r, "context"); }
static inline cJSON *req_options(cJSON *r) { return cJSON_GetObjectItemCaseSensitive(r, "options"); }

static inline void req_set(cJSON *obj, const char *key, cJSON *value) {
    cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
    cJSON_AddItemToObject(obj, key, value);
}

/* An ai_generated reference named Sam plus an active partnership. */
static inline void req_partner(cJSON *r) {
    cJSON *ctx = req_context(r);
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "id", T_PSHIP);
    cJSON_AddStringToObject(p, "status", "active");
    cJSON_AddStringToObject(p, "partner_user_id", T_PARTNER);
    req_set(ctx, "partnership", p);
    cJSON *ref = cJSON_CreateObject();
    cJSON_AddStringToObject(ref, "source", "ai_generated");
    cJSON_AddStringToObject(ref, "user_id", T_PARTNER);
    cJSON_AddStringToObject(ref, "name", "Sam");
    req_set(ctx, "reference", ref);
}

/* An item of context.<list> with id <prefix>-0000-4000-8000-<n as 12 hex digits>, its
 * category and about_user (NULL: null); the caller adds the rest. */
static inline cJSON *req_item(cJSON *r, const char *list, const char *prefix, int n,
                              const char *category, const char *about, const char *updated_at) {
    char id[40];
    snprintf(id, sizeof id, "%s-0000-4000-8000-%012x", prefix, n);
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "id", id);
    cJSON_AddStringToObject(m, "category", category);
    if (about)
        cJSON_AddStringToObject(m, "about_user", about);
    else
        cJSON_AddNullToObject(m, "about_user");
    cJSON_AddStringToObject(m, "updated_at", updated_at);
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(req_context(r), list), m);
    return m;
}

static inline cJSON *req_memory(cJSON *r, int n, const char *category, const char *about,
                                const char *content, double confidence, const char *updated_at) {
    cJSON *m = req_item(r, "memories", "aaaaaaaa", n, category, about, updated_at);
    cJSON_AddStringToObject(m, "content", content);
    cJSON_AddNumberToObject(m, "confidence", confidence);
    return m;
}

static inline cJSON *req_insight(cJSON *r, int n, const char *category, const char *about,
                                 const char *title, const char *content, const char *updated_at) {
    cJSON *m = req_item(r, "insights", "bbbbbbbb", n, category, about, updated_at);
    cJSON_AddStringToObject(m, "title", title);
    cJSON_AddStringToObject(m, "content", content);
    return m;
}

/* Runs the request; returns the malloc'ed prompt ("" copy on error) and, when res is not
 * NULL, the parsed result (the caller deletes it). */
static inline char *run_prompt(const cJSON *req, cJSON **res_out, nova_status *status) {
    nova_status st = NOVA_E_ARGUMENT;
    cJSON *res = assemble_tree(req, &st);
    if (status) *status = st;
    const char *p = res ? result_prompt(res) : "";
    size_t n = strlen(p);
    char *copy = malloc(n + 1);
    if (copy) memcpy(copy, p, n + 1);
    if (res_out)
        *res_out = res;
    else
        cJSON_Delete(res);
    return copy;
}

/* Offset of the line holding needle in hay, or -1: for order checks. */
static inline long find_at(const char *hay, const char *needle) {
    const char *p = strstr(hay, needle);
    return p ? (long)(p - hay) : -1;
}

#endif
