/* memory_ops — memory_ops.h lists the checks and their order. */
#include "memory_ops.h"

#include <string.h>

#include "fmt.h"
#include "llm_json.h"
#include "memory_echo.h"
#include "memory_norm.h"
#include "memory_scope.h"
#include "nova.h"
#include "sanitize.h"
#include "utf8.h"
#include "wordchar.h"

const char *const memory_reason_names[MEMORY_REASON_COUNT] = {
#define MEMORY_REASON_NAME(id, name) name,
    NOVA_RULE_MEMORY_REASONS(MEMORY_REASON_NAME)
#undef MEMORY_REASON_NAME
};

/* nova.h publishes the limits the schema states. */
_Static_assert(NOVA_MEMORY_MAX_OPS == NOVA_RULE_MEMORY_MAX_OPS, "nova.h and the schema disagree");
_Static_assert(NOVA_MEMORY_CONTENT_CHARS == NOVA_RULE_MEMORY_CONTENT_CHARS,
               "nova.h and the schema disagree");
_Static_assert(NOVA_PARTNER_NOTE_CHARS == NOVA_RULE_PARTNER_NOTE_CHARS,
               "nova.h and the schema disagree");

/* No reason: the operation is kept. */
#define KEEP MEMORY_REASON_COUNT

typedef enum op_name { OP_ADD, OP_UPDATE, OP_DEACTIVATE, OP_PARTNER_NOTE, OP_NAME_COUNT } op_name;
static const char *const OP_NAMES[OP_NAME_COUNT] = {"add", "update", "deactivate", "partner_note"};

/* A growing list of normalized texts, with the note field each came from (-1: memory). */
typedef struct norm_list {
    nova_text *items;
    int *fields;
    size_t count, cap;
} norm_list;

typedef struct checker {
    arena *a;
    const memory_scope *scope;
    memory_ops_out *out;
    nova_text *shown_norm;     /* memory_norm of each shown memory's content */
    unsigned char *used;       /* per shown memory: a kept operation is on it */
    norm_list kept;            /* contents kept so far */
    memory_echo echo;
    int echo_ready;
} checker;

static int norm_push(arena *a, norm_list *l, nova_text t, int field) {
    if (l->count == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 32;
        nova_text *items = arena_array(a, ncap, sizeof *items);
        int *fields = arena_array(a, ncap, sizeof *fields);
        if (!items || !fields) return 0;
        if (l->count) {
            memcpy(items, l->items, l->count * sizeof *items);
            memcpy(fields, l->fields, l->count * sizeof *fields);
        }
        l->items = items;
        l->fields = fields;
        l->cap = ncap;
    }
    l->items[l->count] = t;
    l->fields[l->count++] = field;
    return 1;
}

static int same(nova_text a, nova_text b) {
    return a.s && b.s && a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

/* ------------------------------------------------------------------ members */

typedef enum got { GOT_ABSENT, GOT_OK, GOT_WRONG } got;

/* Member key of op as the JSON type want (a null is absent). */
static got member_of(const llm_value *op, const char *key, llm_type want, llm_value *v) {
    if (!llm_member(op, key, v) || v->type == LLM_NULL) return GOT_ABSENT;
    return v->type == want ? GOT_OK : GOT_WRONG;
}

/* A required string member: its text in *t, or the reason it has none. */
static memory_reason required_string(checker *c, const llm_value *op, const char *key,
                                     nova_text *t) {
    llm_value v;
    got g = member_of(op, key, LLM_STRING, &v);
    if (g == GOT_ABSENT) return MEMORY_MISSING_FIELD;
    if (g == GOT_WRONG) return MEMORY_WRONG_TYPE;
    *t = llm_string(c->a, &v);
    return KEEP;
}

/* An optional number, clamped to 0..1: *has says whether it was there. */
static memory_reason optional_confidence(const llm_value *op, int *has, double *out) {
    llm_value v;
    got g = member_of(op, "confidence", LLM_NUMBER, &v);
    *has = g == GOT_OK;
    if (g == GOT_WRONG) return MEMORY_WRONG_TYPE;
    if (g == GOT_OK) {
        double x = llm_number(&v);
        *out = x < 0 ? 0 : x > 1 ? 1 : x;
    }
    return KEEP;
}

static int index_of(nova_text t, const char *const *names, int count) {
    for (int i = 0; i < count; i++)
        if (t.s && strlen(names[i]) == t.len && memcmp(names[i], t.s, t.len) == 0) return i;
    return -1;
}

/* ------------------------------------------------------------------ content */

/* 1 when t holds a letter or a number (of any script, spaced or not). Punctuation,
 * symbols, white space and the U+FFFD left of a lone surrogate or a bad byte are not a
 * fact: an update to "..." would replace a real memory with nothing. */
static int says_something(nova_text t) {
    const unsigned char *p = (const unsigned char *)t.s;
    for (size_t i = 0; i < t.len;) {
        uint32_t cp;
        i += utf8_decode(p + i, t.len - i, &cp);
        wordchar_kind k = wordchar_kind_of(cp);
        if (k == WORDCHAR_WORD || k == WORDCHAR_UNSPACED) return 1;
    }
    return 0;
}

/* Sanitizes raw as the kind of field it becomes and checks its length. */
static memory_reason content_of(checker *c, nova_text raw, sanitize_kind kind, size_t max,
                                nova_text *out) {
    *out = sanitize_text(c->a, raw.s, raw.len, kind, 0);
    if (!out->s) return KEEP; /* the arena failed: reported by the caller */
    if (!says_something(*out)) return MEMORY_EMPTY_CONTENT;
    if (utf8_count(out->s, out->len) > max) return MEMORY_CONTENT_TOO_LONG;
    return KEEP;
}

/* echo, then duplicate: of a shown memory other than `self`, of a kept content of the
 * same field (-1: memories), and for notes of an item the profile already has. */
static memory_reason junk(checker *c, nova_text norm, int field, const nova_memory *self) {
    if (!c->echo_ready) {
        if (!memory_echo_init(&c->echo, c->a, c->scope)) return KEEP;
        c->echo_ready = 1;
    }
    if (memory_echo_is(&c->echo, norm)) return MEMORY_ECHO;
    if (field < 0) {
        for (size_t i = 0; i < c->scope->shown_count; i++)
            if (c->scope->shown[i] != self && same(c->shown_norm[i], norm)) return MEMORY_DUPLICATE;
    } else {
        nova_text_list items = memory_scope_note_items(c->scope, field);
        for (size_t i = 0; i < items.count; i++)
            if (same(memory_norm(c->a, items.items[i]), norm)) return MEMORY_DUPLICATE;
    }
    for (size_t i = 0; i < c->kept.count; i++)
        if (c->kept.fields[i] == field && same(c->kept.items[i], norm)) return MEMORY_DUPLICATE;
    return KEEP;
}

/* ------------------------------------------------------------------ one operation each */

static memory_reason check_add(checker *c, const llm_value *v, memory_op *op, nova_text *norm) {
    nova_text t = {NULL, 0};
    memory_reason r = required_string(c, v, "category", &t);
    if (r != KEEP) return r;
    int category = index_of(t, nova_memory_category_names, NOVA_MEM_CATEGORY_COUNT);
    if (category < 0) return MEMORY_UNKNOWN_CATEGORY;
    if ((r = required_string(c, v, "about", &t)) != KEEP) return r;
    static const char *const ABOUT[] = {"user", "partner", "relationship"};
    int about = index_of(t, ABOUT, 3);
    if (about < 0) return MEMORY_UNKNOWN_ABOUT;
    if (about == 1 && !c->scope->partner_user_id.s) return MEMORY_PARTNER_NOT_LINKED;
    if ((r = required_string(c, v, "content", &t)) != KEEP) return r;
    int has = 0;
    double confidence = 1;
    if ((r = content_of(c, t, SANITIZE_BLOCK, NOVA_MEMORY_CONTENT_CHARS, &op->content)) != KEEP ||
        (r = optional_confidence(v, &has, &confidence)) != KEEP)
        return r;
    op->kind = MEMORY_OP_ADD;
    op->category = (nova_memory_category)category;
    op->about_user = about == 0 ? c->scope->req->user_id
                     : about == 1 ? c->scope->partner_user_id
                                  : (nova_text){NULL, 0};
    op->has_confidence = 1;
    op->confidence = confidence;
    *norm = memory_norm(c->a, op->content);
    return junk(c, *norm, -1, NULL);
}

/* update and deactivate: the target memory by its temporary id. */
static memory_reason target_of(checker *c, const llm_value *v, memory_op *op, size_t *k) {
    nova_text id = {NULL, 0};
    memory_reason r = required_string(c, v, "id", &id);
    if (r != KEEP) return r;
    op->target = id.s ? memory_scope_find(c->scope, id.s, id.len) : NULL;
    if (!op->target) return MEMORY_UNKNOWN_ID;
    for (*k = 0; c->scope->shown[*k] != op->target; (*k)++) {}
    /* By row id: a context listing one row twice gives it two temporary ids. */
    for (size_t j = 0; j < c->scope->shown_count; j++)
        if (c->used[j] && same(c->scope->shown[j]->id, op->target->id)) return MEMORY_DUPLICATE_ID;
    return KEEP;
}

static memory_reason check_update(checker *c, const llm_value *v, memory_op *op, size_t *k,
                                  nova_text *norm) {
    op->kind = MEMORY_OP_UPDATE;
    memory_reason r = target_of(c, v, op, k);
    if (r != KEEP) return r;
    llm_value cv;
    got g = member_of(v, "content", LLM_STRING, &cv);
    if (g == GOT_WRONG) return MEMORY_WRONG_TYPE;
    int has = 0;
    double confidence = 0;
    if ((r = optional_confidence(v, &has, &confidence)) != KEEP) return r;
    if (g == GOT_OK) {
        if ((r = content_of(c, llm_string(c->a, &cv), SANITIZE_BLOCK, NOVA_MEMORY_CONTENT_CHARS,
                            &op->content)) != KEEP)
            return r;
        *norm = memory_norm(c->a, op->content);
        if (same(*norm, c->shown_norm[*k])) op->content = (nova_text){NULL, 0};
    }
    op->has_confidence =
        has && nova_number_shown(confidence) != nova_number_shown(op->target->confidence);
    op->confidence = confidence;
    if (!op->content.s && !op->has_confidence) return MEMORY_NO_CHANGE;
    return op->content.s ? junk(c, *norm, -1, op->target) : KEEP;
}

static memory_reason check_note(checker *c, const llm_value *v, memory_note *note,
                                nova_text *norm) {
    nova_text t = {NULL, 0};
    memory_reason r = required_string(c, v, "field", &t);
    if (r != KEEP) return r;
    note->field = index_of(t, memory_note_fields, MEMORY_NOTE_FIELDS);
    if (note->field < 0) return MEMORY_UNKNOWN_FIELD;
    if ((r = required_string(c, v, "content", &t)) != KEEP ||
        (r = content_of(c, t, SANITIZE_LINE, NOVA_PARTNER_NOTE_CHARS, &note->content)) != KEEP)
        return r;
    *norm = memory_norm(c->a, note->content);
    return junk(c, *norm, note->field, NULL);
}

static void reject(memory_ops_out *out, int whole, size_t index, memory_reason reason) {
    out->rejected[out->rejected_count++] = (memory_rejection){whole, index, reason};
}

/* Checks operations[index] and keeps it or reports why not. */
static void check_one(checker *c, const llm_value *v, size_t index) {
    memory_ops_out *out = c->out;
    memory_reason r = KEEP;
    memory_op op;
    memory_note note;
    memset(&op, 0, sizeof op);
    memset(&note, 0, sizeof note);
    nova_text name = {NULL, 0}, norm = {NULL, 0};
    size_t k = 0;
    int kind = -1;
    if (v->type != LLM_OBJECT) r = MEMORY_NOT_AN_OBJECT;
    else if ((r = required_string(c, v, "op", &name)) == KEEP &&
             (kind = index_of(name, OP_NAMES, OP_NAME_COUNT)) < 0)
        r = MEMORY_UNKNOWN_OP;
    if (r == KEEP && (kind == OP_PARTNER_NOTE ? !c->scope->partner_notes : !c->scope->memories))
        r = MEMORY_NOT_ALLOWED;
    if (r == KEEP) {
        switch ((op_name)kind) {
        case OP_ADD: r = check_add(c, v, &op, &norm); break;
        case OP_UPDATE: r = check_update(c, v, &op, &k, &norm); break;
        case OP_DEACTIVATE:
            op.kind = MEMORY_OP_DEACTIVATE;
            r = target_of(c, v, &op, &k);
            break;
        case OP_PARTNER_NOTE: r = check_note(c, v, &note, &norm); break;
        case OP_NAME_COUNT: break;
        }
    }
    if (r == KEEP && out->op_count + out->note_count >= NOVA_MEMORY_MAX_OPS)
        r = MEMORY_TOO_MANY_OPS;
    if (c->a->failed) return;
    if (r != KEEP) {
        reject(out, 0, index, r);
        return;
    }
    if (kind == OP_PARTNER_NOTE) {
        out->notes[out->note_count++] = note;
        norm_push(c->a, &c->kept, norm, note.field);
        return;
    }
    if (kind != OP_ADD) c->used[k] = 1;
    if (op.content.s) norm_push(c->a, &c->kept, norm, -1);
    out->ops[out->op_count++] = op;
}

nova_status memory_ops_run(arena *a, const nova_request *req, memory_ops_out *out) {
    memset(out, 0, sizeof *out);
    memory_scope scope;
    if (!memory_scope_init(&scope, a, req)) return NOVA_E_NOMEM;
    if (scope.partner_notes) out->partner_name = scope.names.partner_name;

    llm_value ops;
    llm_answer found = llm_find_operations(req->llm_output.s, req->llm_output.len, &ops);
    size_t count = 0, at = 0;
    llm_value item;
    if (found == LLM_ANSWER_FOUND)
        while (llm_next_item(&ops, &at, &item)) count++;
    size_t slots = count ? count : 1;
    out->rejected = arena_array(a, slots, sizeof *out->rejected);
    out->ops = arena_array(a, slots < NOVA_MEMORY_MAX_OPS ? slots : NOVA_MEMORY_MAX_OPS,
                           sizeof *out->ops);
    out->notes = arena_array(a, slots < NOVA_MEMORY_MAX_OPS ? slots : NOVA_MEMORY_MAX_OPS,
                             sizeof *out->notes);
    if (!out->rejected || !out->ops || !out->notes)
        return NOVA_E_NOMEM;

    if (found == LLM_ANSWER_NONE || found == LLM_ANSWER_TRUNCATED) {
        reject(out, 1, 0, found == LLM_ANSWER_NONE ? MEMORY_NO_OPERATIONS : MEMORY_TRUNCATED_OUTPUT);
        return NOVA_OK;
    }
    if (found != LLM_ANSWER_FOUND || !count) return NOVA_OK;

    checker c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.scope = &scope;
    c.out = out;
    size_t shown = scope.shown_count ? scope.shown_count : 1;
    c.shown_norm = arena_array(a, shown, sizeof *c.shown_norm);
    c.used = arena_array(a, shown, 1);
    if (!c.shown_norm || !c.used) return NOVA_E_NOMEM;
    for (size_t i = 0; i < scope.shown_count; i++)
        c.shown_norm[i] = memory_norm(a, scope.shown[i]->content);

    at = 0;
    for (size_t index = 0; llm_next_item(&ops, &at, &item) && !a->failed; index++)
        check_one(&c, &item, index);
    if (a->failed) return NOVA_E_NOMEM;
    return NOVA_OK;
}
