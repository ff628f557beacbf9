/*
 * layer main_user — the person Nova is talking with: every profile field present, and
 * memory_summary (a JSON object the AI keeps) as flattened "- key.sub: value" lines.
 * No profile row: the name alone, from fallback_name. Never cut by the budget.
 *
 * memory_summary is rendered so that the same object always gives the same bytes,
 * whatever key order the database returned: keys sorted bytewise, numbers formatted
 * without locale, booleans as yes/no, nulls and empty values left out.
 */
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "fmt.h"
#include "layers.h"
#include "sanitize.h"

#define SUMMARY_MAX_DEPTH 4   /* levels of nested objects rendered; deeper ones left out */
#define SUMMARY_MAX_LINES 40  /* lines in all */
#define SUMMARY_MAX_ITEMS 20  /* scalars joined from one array */
#define SUMMARY_KEY_CHARS SANITIZE_CAP_NAME
#define SUMMARY_LEAF_CHARS SANITIZE_CAP_LONG

typedef struct summary_walk {
    doc *d;
    int node;
    size_t lines;
} summary_walk;

typedef struct keyed {
    const cJSON *item;
    size_t index; /* keeps duplicate keys in their given order: a total order */
} keyed;

static int cmp_keyed(const void *pa, const void *pb) {
    const keyed *a = pa, *b = pb;
    int c = strcmp(a->item->string ? a->item->string : "", b->item->string ? b->item->string : "");
    if (c) return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* The text of a scalar, or NULL (null, empty, object, array). */
static nova_text scalar_text(doc *d, const cJSON *v) {
    nova_text none = {NULL, 0};
    if (cJSON_IsString(v) && v->valuestring) {
        return sanitize_text(d->a, v->valuestring, strlen(v->valuestring), SANITIZE_LINE,
                             SUMMARY_LEAF_CHARS);
    }
    if (cJSON_IsBool(v)) return cJSON_IsTrue(v) ? (nova_text){"yes", 3} : (nova_text){"no", 2};
    if (cJSON_IsNumber(v)) {
        char buf[NOVA_NUMBER_BUF];
        nova_format_number(v->valuedouble, buf);
        size_t n = strlen(buf);
        char *s = arena_strndup(d->a, buf, n);
        return s ? (nova_text){s, n} : none;
    }
    return none;
}

static void put_line(summary_walk *w, const char *path, nova_text value) {
    if (!value.s || !value.len || w->lines >= SUMMARY_MAX_LINES) return;
    doc_str(w->d, w->node, "- ");
    doc_str(w->d, w->node, path);
    doc_str(w->d, w->node, ": ");
    doc_value(w->d, w->node, value);
    doc_str(w->d, w->node, "\n");
    w->lines++;
}

static char *join_path(arena *a, const char *prefix, const char *key, size_t key_len) {
    size_t p = prefix ? strlen(prefix) : 0;
    char *s = arena_alloc(a, p + 1 + key_len + 1);
    if (!s) return NULL;
    if (p) {
        memcpy(s, prefix, p);
        s[p++] = '.';
    }
    memcpy(s + p, key, key_len);
    s[p + key_len] = '\0';
    return s;
}

static void walk_object(summary_walk *w, const cJSON *obj, const char *prefix, int depth);

/* One member: a scalar line, an array line (+ its objects), or a nested object. */
static void walk_value(summary_walk *w, const cJSON *v, const char *path, int depth) {
    if (cJSON_IsObject(v)) {
        if (depth < SUMMARY_MAX_DEPTH) walk_object(w, v, path, depth + 1);
        return;
    }
    if (!cJSON_IsArray(v)) {
        put_line(w, path, scalar_text(w->d, v));
        return;
    }
    /* Scalars joined on one line, in array order (order is meaningful in an array). */
    size_t len = 0, count = 0;
    char *joined = NULL;
    for (const cJSON *e = v->child; e && count < SUMMARY_MAX_ITEMS; e = e->next) {
        nova_text t = scalar_text(w->d, e);
        if (!t.s || !t.len) continue;
        char *grown = arena_alloc(w->d->a, len + 2 + t.len + 1);
        if (!grown) return;
        if (len) {
            memcpy(grown, joined, len);
            memcpy(grown + len, ", ", 2);
            len += 2;
        }
        memcpy(grown + len, t.s, t.len);
        len += t.len;
        grown[len] = '\0';
        joined = grown;
        count++;
    }
    put_line(w, path, (nova_text){joined, len});
    /* Objects inside the array, numbered from 1. */
    if (depth >= SUMMARY_MAX_DEPTH) return;
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next) {
        i++;
        if (!cJSON_IsObject(e)) continue;
        char num[24];
        int n = nova_snprintf(num, sizeof num, "%zu", i);
        char *sub = join_path(w->d->a, path, num, (size_t)n);
        if (sub) walk_object(w, e, sub, depth + 1);
    }
}

static void walk_object(summary_walk *w, const cJSON *obj, const char *prefix, int depth) {
    size_t n = 0;
    for (const cJSON *c = obj->child; c; c = c->next) n++;
    if (!n) return;
    keyed *kids = arena_array(w->d->a, n, sizeof *kids);
    if (!kids) return;
    n = 0;
    for (const cJSON *c = obj->child; c; c = c->next, n++) kids[n] = (keyed){c, n};
    qsort(kids, n, sizeof *kids, cmp_keyed);
    for (size_t i = 0; i < n && w->lines < SUMMARY_MAX_LINES; i++) {
        const char *raw = kids[i].item->string ? kids[i].item->string : "";
        nova_text key =
            sanitize_text(w->d->a, raw, strlen(raw), SANITIZE_LINE, SUMMARY_KEY_CHARS);
        if (!key.s || !key.len) continue;
        char *path = join_path(w->d->a, prefix, key.s, key.len);
        if (path) walk_value(w, kids[i].item, path, depth);
    }
}

static const char *setup_mode_meaning(nova_text mode) {
    if (!mode.s) return NULL;
    if (strcmp(mode.s, "self_written") == 0) return "written by the user themself";
    if (strcmp(mode.s, "quiz_generated") == 0)
        return "generated from the user's answers to the onboarding quiz";
    if (strcmp(mode.s, "pending") == 0) return "not filled in yet";
    return NULL;
}

static void put_list(doc *d, int node, const char *label, nova_text_list list) {
    if (!list.count) return;
    doc_str(d, node, label);
    doc_str(d, node, ": ");
    for (size_t i = 0; i < list.count; i++) {
        if (i) doc_str(d, node, ", ");
        doc_value(d, node, list.items[i]);
    }
    doc_str(d, node, "\n");
}

int layer_main_user(doc *d, const layer_ctx *ctx, const char **reason) {
    const nova_request *req = ctx->req;
    int layer = layer_open(d, "main_user", 0, 0);
    if (layer < 0) return -1; /* arena exhausted: the assembler reports it */
    doc_str(d, layer, "The user you are talking with:\n");
    if (ctx->user_name.s)
        doc_field(d, layer, "Name", ctx->user_name);
    else
        doc_str(d, layer, "Name: not known yet (do not guess one)\n");

    if (!req->has_user) {
        doc_str(d, layer, ctx->user_name.s ? "They have no profile yet: only their name is "
                                             "known. Get to know them through the conversation.\n"
                                           : "They have no profile yet. Get to know them "
                                             "through the conversation.\n");
        layer_close(d, layer, "main_user");
        *reason = "no profile row: name only";
        return layer;
    }

    const nova_profile *p = &req->user;
    doc_field(d, layer, "Preferred tone", p->tone);
    put_list(d, layer, "Interests", p->interests);
    doc_field(d, layer, "Emotional patterns", p->emotional_patterns);
    doc_field(d, layer, "Communication style", p->communication_style);
    const char *mode = setup_mode_meaning(p->setup_mode);
    if (mode) {
        doc_str(d, layer, "Profile: ");
        doc_str(d, layer, mode);
        doc_str(d, layer, "\n");
    }
    if (p->memory_summary && p->memory_summary->child) {
        /* The heading is written only when at least one line follows it. */
        size_t mark = d->piece_count, chars = d->nodes[layer].chars;
        doc_str(d, layer, "What Nova has learned about them (profile summary):\n");
        summary_walk w = {d, layer, 0};
        walk_object(&w, p->memory_summary, NULL, 1);
        if (!w.lines && !d->a->failed) {
            d->piece_count = mark;
            d->nodes[layer].chars = chars;
        }
    }
    layer_close(d, layer, "main_user");
    char *r = arena_alloc(d->a, 48);
    if (!r) return -1;
    if (p->setup_mode.s)
        nova_snprintf(r, 48, "user profile (%s)", p->setup_mode.s);
    else
        nova_snprintf(r, 48, "user profile");
    *reason = r;
    return layer;
}
