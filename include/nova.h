/*
 * nova.h — the whole public C API of nova-layers.
 *
 * nova-layers turns one JSON request into one JSON result: the layered system prompt of
 * the Nova coaching companion (assemble), or the relationship-keyword detection alone
 * (detect). The engine is pure: no I/O, no clock, no randomness, no global state that
 * outlives a call. The same request gives the same bytes on every build (native,
 * Emscripten, WASI).
 *
 * The request and result shapes are the contract in schema/nova-contract.schema.json.
 *
 * Memory ownership, in one rule: every call releases what it allocates before it
 * returns, except the result buffer it hands back, which the caller owns and releases
 * with nova_free(). Calls are reentrant and thread-safe: they share no mutable state.
 *
 *     char *out; size_t out_len;
 *     nova_status st = nova_assemble(req, req_len, &out, &out_len);
 *     // out holds the result JSON (st == NOVA_OK) or {"error":{code,message,path}}
 *     nova_free(out);
 */
#ifndef NOVA_H
#define NOVA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NOVA_VERSION_MAJOR 0
#define NOVA_VERSION_MINOR 1
#define NOVA_VERSION_PATCH 0
#define NOVA_VERSION_STRING "0.1.0"

/*
 * Status of a call. The numbers are stable: new codes are only ever appended.
 * In an error result the same code appears as its name (nova_status_name()).
 */
typedef enum nova_status {
    NOVA_OK = 0,
    NOVA_E_JSON = 1,     /* "invalid_json": not well-formed JSON, or not UTF-8 JSON text   */
    NOVA_E_TYPE = 2,     /* "wrong_type": a field has the wrong JSON type                  */
    NOVA_E_VALUE = 3,    /* "invalid_value": right type, bad value (enum, range, date, NUL) */
    NOVA_E_MISSING = 4,  /* "missing_field": a required field is absent                    */
    NOVA_E_LIMIT = 5,    /* "limit_exceeded": a documented size/length/depth limit         */
    NOVA_E_BUDGET = 6,   /* "over_budget": core + main_user alone exceed options.max_chars */
    NOVA_E_NOMEM = 7,    /* "out_of_memory": an allocation failed                          */
    NOVA_E_ARGUMENT = 8  /* "bad_argument": a NULL pointer or the like from the C caller   */
} nova_status;

/*
 * Documented limits. A request over any of them is refused with NOVA_E_LIMIT and the
 * path of the offending field; nothing is silently truncated at the request level
 * (text fields are capped after sanitizing: see README "Text is data").
 */
#define NOVA_MAX_REQUEST_BYTES   (8u * 1024u * 1024u) /* whole request JSON                */
#define NOVA_MAX_DEPTH           32u                  /* JSON nesting of the request       */
#define NOVA_MAX_STRING_BYTES    (64u * 1024u)        /* any one string in the request    */
#define NOVA_MAX_MESSAGE_BYTES   (1024u * 1024u)      /* "message" (detect scans it all)  */
#define NOVA_MAX_LIST_ITEMS      2000u                /* memories, insights, keyword lists */
#define NOVA_MAX_KEYWORD_BYTES   200u                 /* a custom keyword or partner name  */
#define NOVA_DEFAULT_MAX_CHARS   24000u               /* options.max_chars when absent    */

/*
 * nova_assemble — build the layered system prompt.
 *
 * request, request_len: a UTF-8 JSON assemble request (need not be NUL-terminated).
 * result, result_len:   on return, *result points to a NUL-terminated JSON text of
 *                       *result_len bytes (the NUL not counted): the assemble result when
 *                       the status is NOVA_OK, else {"error":{"code","message","path"}}.
 *                       The caller owns *result and releases it with nova_free().
 *                       *result is NULL only when the status is NOVA_E_NOMEM or
 *                       NOVA_E_ARGUMENT (no memory to describe the failure in).
 * Returns the status.
 */
nova_status nova_assemble(const char *request, size_t request_len,
                          char **result, size_t *result_len);

/*
 * nova_detect — score the message for relationship talk.
 *
 * Takes the assemble request (only "message", "context.detection" and
 * "context.reference.name" are read) and gives the detection object alone:
 * {"score","threshold","relationship","matches":[{"term","tier","start","end"}]}, where
 * start/end are byte offsets into the original message. Ownership as nova_assemble.
 */
nova_status nova_detect(const char *request, size_t request_len,
                        char **result, size_t *result_len);

/*
 * nova_alloc / nova_free — the allocator the caller must use for buffers crossing the
 * API. nova_free releases a result buffer (NULL is allowed). nova_alloc exists for hosts
 * such as WebAssembly glue that must place the request in the engine's memory.
 */
void *nova_alloc(size_t size);
void nova_free(void *ptr);

/* The library version, "MAJOR.MINOR.PATCH". Static storage: do not free. */
const char *nova_version(void);

/* The stable name of a status ("ok", "invalid_json", ...). Static storage: do not free. */
const char *nova_status_name(nova_status status);

#ifdef __cplusplus
}
#endif

#endif /* NOVA_H */
