/* memory_scope — memory_scope.h says what the scope is and why both calls derive it. */
#include "memory_scope.h"

#include <string.h>

#include "fmt.h"

const char *const memory_note_fields[MEMORY_NOTE_FIELDS] = {NOVA_RULE_NOTE_FIELDS};

nova_text_list memory_scope_note_items(const memory_scope *s, int field) {
    const nova_request *req = s->req;
    nova_text_list none = {NULL, 0};
    if (!req->has_reference || req->reference.source != NOVA_SOURCE_AI_GENERATED) return none;
    return field == 0 ? req->reference.traits
           : field == 1 ? req->reference.relational_tendencies
                        : req->reference.important_truths;
}

/* "important_date, emotional_need, ...": the names the model may use. */
static nova_text category_list(arena *a) {
    size_t n = 0;
    for (int i = 0; i < NOVA_MEM_CATEGORY_COUNT; i++) n += strlen(nova_memory_category_names[i]) + 2;
    char *s = arena_alloc(a, n + 1);
    if (!s) return (nova_text){NULL, 0};
    size_t at = 0;
    for (int i = 0; i < NOVA_MEM_CATEGORY_COUNT; i++) {
        size_t k = strlen(nova_memory_category_names[i]);
        if (i) {
            memcpy(s + at, ", ", 2);
            at += 2;
        }
        memcpy(s + at, nova_memory_category_names[i], k);
        at += k;
    }
    s[at] = '\0';
    return (nova_text){s, at};
}

int memory_scope_init(memory_scope *s, arena *a, const nova_request *req) {
    memset(s, 0, sizeof *s);
    s->req = req;
    layer_ctx_init(&s->names, a, req, NULL);

    int has_ship = req->has_partnership && req->partnership.status != NOVA_PARTNERSHIP_DISSOLVED;
    int account = req->has_reference && req->reference.source == NOVA_SOURCE_PARTNER_ACCOUNT;
    int active = has_ship && req->partnership.status == NOVA_PARTNERSHIP_ACTIVE &&
                 req->partnership.partner_user_id.s;
    if (active)
        s->partner_user_id = req->partnership.partner_user_id;
    else if (account && req->reference.user_id.s)
        s->partner_user_id = req->reference.user_id;
    int linked = account || active;
    s->linked = linked;
    int ai_built = req->has_reference && req->reference.source == NOVA_SOURCE_AI_GENERATED;
    s->memories = has_ship;
    s->partner_notes = !linked && (ai_built || (!req->has_reference && s->names.partner_name.s));

    size_t n = 0;
    for (size_t i = 0; i < req->memory_count; i++)
        if (req->memories[i].is_active && req->memories[i].content.len) n++;
    s->shown = arena_array(a, n ? n : 1, sizeof *s->shown);
    if (!s->shown) return 0;
    for (size_t i = 0; i < req->memory_count; i++)
        if (req->memories[i].is_active && req->memories[i].content.len)
            s->shown[s->shown_count++] = &req->memories[i];

    s->values[0].name = "categories";
    s->values[0].text = category_list(a);
    /* The caller's date: options.now as written, in its own time zone. */
    s->values[1].name = "today";
    s->values[1].text = req->has_now ? (nova_text){req->now_text.s, 10} : (nova_text){"", 0};
    return s->values[0].text.s != NULL;
}

const nova_memory *memory_scope_find(const memory_scope *s, const char *id, size_t len) {
    if (len < 2 || len > 12 || id[0] != 'm' || id[1] < '1' || id[1] > '9') return NULL;
    size_t k = 0;
    for (size_t i = 1; i < len; i++) {
        if (id[i] < '0' || id[i] > '9') return NULL;
        k = k * 10 + (size_t)(id[i] - '0');
    }
    return k >= 1 && k <= s->shown_count ? s->shown[k - 1] : NULL;
}

const char *memory_scope_temp_id(size_t k, char *buf) {
    nova_snprintf(buf, 24, "m%zu", k + 1);
    return buf;
}
