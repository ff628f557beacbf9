/*
 * nova.h — the whole public C API of nova-layers.
 *
 * nova-layers turns one JSON request into one JSON result: the layered system prompt of
 * the Nova coaching companion (assemble), the relationship-keyword detection alone
 * (detect), and the two halves of the AI's memory update after a reply: the extraction
 * prompt (memory_prompt) and the checked operations from the model's answer (memory_ops).
 * The engine is pure: no I/O, no clock, no randomness, no global state that
 * outlives a call. The same request gives the same bytes on every build (native,
 * Emscripten, WASI).
 *
 * The request and result shapes are the contract in schema/nova-contract.schema.json.
 *
 * Memory ownership, in one rule: every call releases what it allocates before it
 * returns, except what it hands back (a result buffer, released with nova_free(); a
 * compiled detector, released with nova_detector_free()). Calls are reentrant and
 * thread-safe: the one thing they share is the built-in keyword lists' automaton, built
 * on first use and never changed after (threads that race to build it do not wait for
 * each other; one copy is kept for the life of the process).
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
#define NOVA_MAX_LLM_OUTPUT_BYTES (1024u * 1024u)     /* "llm_output" of memory_ops        */
#define NOVA_DEFAULT_MAX_CHARS   24000u               /* options.max_chars when absent    */

/*
 * What memory_ops keeps of a model's answer (not request limits: an operation over one
 * is reported in "rejected", the request is not refused).
 */
#define NOVA_MEMORY_MAX_OPS        20u  /* operations kept per answer (ops + partner_notes) */
#define NOVA_MEMORY_CONTENT_CHARS  500u /* a memory's content, code points after sanitizing */
#define NOVA_PARTNER_NOTE_CHARS    300u /* a partner note, code points after sanitizing    */

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
 * start/end are byte offsets into the original message (UTF-16 code units with
 * "options": {"offsets": "utf16"}). Ownership as nova_assemble.
 */
nova_status nova_detect(const char *request, size_t request_len,
                        char **result, size_t *result_len);

/*
 * nova_memory_prompt — the extraction prompt of the memory update, for a second,
 * OpenAI-compatible chat call after Nova's reply.
 *
 * Request: {"context": <as for assemble>, "transcript": [{"role": "user"|"assistant",
 * "content"}], "options"?: <as for assemble; only "now" is used, for today's date>}.
 * Result:  {"messages": [{"role": "system", "content"}, {"role": "user", "content"}],
 *           "allowed": {"memories": bool, "partner_notes": bool}}.
 * The system message holds only the instructions (prompts/memory_update.txt), which say
 * "the user" and "the partner" and never hold a name, memory or note. The user message
 * holds only data, each part between marker lines no content can forge: <nova:names>
 * ("User: Maya", "Partner: Sam", each name once), <nova:memories> (the active memories
 * under temporary ids m1, m2, ... in context.memories order, never their UUIDs; when
 * memories are offered), <nova:partner_notes> (what Nova has noted about an unlinked
 * partner; when notes are offered) and <nova:transcript>. "allowed" says which
 * kinds of operation the prompt offered: shared memories when the user has a pending or
 * active partnership, partner notes when the partner has no linked account (an AI-built
 * reference, or none yet but a partner name), neither when no user turn has content.
 * Both false: nothing can be recorded, skip the model call. Ownership as nova_assemble.
 */
nova_status nova_memory_prompt(const char *request, size_t request_len,
                               char **result, size_t *result_len);

/*
 * nova_memory_ops — the model's answer to the memory prompt, checked and turned into
 * database operations.
 *
 * Request: {"context": <the same context as for the prompt>, "llm_output": string (at most
 * NOVA_MAX_LLM_OUTPUT_BYTES), "options"?: {...}}. The temporary ids are derived again from
 * the context, so pass the context the prompt was built from.
 * Result:  {"ops": [{"op": "add", "category", "about_user": uuid|null, "content",
 *                    "confidence"} | {"op": "update", "id", "updated_at", "content"?,
 *                    "confidence"?} | {"op": "deactivate", "id", "updated_at"}],
 *           "partner_notes": [{"field", "content"}], "partner_name": string|null,
 *           "rejected": [{"index": int|null, "reason": code}]}
 * with real ids, and updated_at exactly as context.memories[i].updated_at was sent (the
 * database refuses the batch when the row changed since). The first JSON object with an
 * "operations" array is found anywhere in the text (code fences, prose, think blocks);
 * every operation that is not kept is in "rejected" with its index in "operations" and a
 * stable reason (schema $defs/memory_rejection_reason; index null: the answer as a whole).
 * An answer that yields rejections is not an error: the status is NOVA_OK unless the
 * request itself is bad. Ownership as nova_assemble.
 */
nova_status nova_memory_ops(const char *request, size_t request_len,
                            char **result, size_t *result_len);

/*
 * Compiled detectors: the detector's terms built once, for many messages.
 *
 * nova_detect() and nova_assemble() build an automaton of the request's own terms on
 * every call (the built-in lists' automaton is built once per process). When the same
 * configuration scores many messages, or has many custom keywords (building costs about
 * 0.3 ms per 1,000), compile it once:
 *
 *     nova_detector *det; char *err; size_t err_len;
 *     if (nova_detector_new(config, config_len, &det, &err, &err_len) != NOVA_OK) {
 *         // err: {"error":{code,message,path}}, path relative to the configuration
 *         nova_free(err);
 *     }
 *     for (each message) {
 *         nova_detector_detect(det, msg, msg_len, 0, &out, &out_len); // detection JSON
 *         nova_free(out);
 *     }
 *     nova_detector_free(det);
 *
 * A detector is immutable once made: any number of threads may call
 * nova_detector_detect(), nova_assemble_with() and nova_detect_with() with the same one at
 * once. It belongs to the caller, who releases it with nova_detector_free() after the
 * last call that uses it has returned.
 */
typedef struct nova_detector nova_detector;

/* Flags of nova_detector_detect(). */
#define NOVA_DETECT_UTF16 1u /* match start/end as UTF-16 code units (JavaScript string
                              * indices) instead of UTF-8 byte offsets */

/*
 * nova_detector_new — compile a detector configuration.
 *
 * config, config_len: a UTF-8 JSON object, schema $defs/detector_config: the members of a
 *     detection config ("partner_names", "custom_keywords", "relationship_threshold", with
 *     the limits of nova_detect) plus an optional "reference_name", the reference
 *     profile's name, which counts as a strong term right after the partner names.
 * detector: on NOVA_OK, the new detector (the caller's; nova_detector_free()); else NULL.
 * error, error_len: on failure, {"error":{"code","message","path"}} (the caller's,
 *     nova_free()), path relative to the configuration ("custom_keywords.strong[3]");
 *     NULL on NOVA_OK, and when even that could not be allocated. error may be NULL when
 *     the caller does not want it.
 */
nova_status nova_detector_new(const char *config, size_t config_len, nova_detector **detector,
                              char **error, size_t *error_len);

/*
 * nova_detector_detect — score one message with a compiled detector.
 *
 * message, message_len: the message's bytes (UTF-8; ill-formed bytes are read as U+FFFD;
 *     at most NOVA_MAX_MESSAGE_BYTES). flags: 0 or NOVA_DETECT_UTF16.
 * result, result_len: as nova_detect(): the detection object
 *     {"score","threshold","relationship","matches"}, with the configuration's threshold,
 *     or an error result; the caller's, nova_free(). The same bytes as nova_detect() on a
 *     request with this message and the configuration's terms.
 */
nova_status nova_detector_detect(const nova_detector *detector, const char *message,
                                 size_t message_len, unsigned flags, char **result,
                                 size_t *result_len);

/* Releases a detector (NULL is allowed). */
void nova_detector_free(nova_detector *detector);

/*
 * nova_assemble_with, nova_detect_with — nova_assemble() and nova_detect() with a
 * compiled detector standing in for the request's terms. It is used when it was compiled
 * from exactly the request's terms (context.detection's partner names and keywords, the
 * reference's name; the threshold is always the request's), and ignored otherwise: the
 * result is always the bytes nova_assemble()/nova_detect() give. detector may be NULL.
 */
nova_status nova_assemble_with(const nova_detector *detector, const char *request,
                               size_t request_len, char **result, size_t *result_len);
nova_status nova_detect_with(const nova_detector *detector, const char *request,
                             size_t request_len, char **result, size_t *result_len);

/*
 * Detector caches: the terms of the configurations a caller meets again, kept compiled.
 *
 * A chat route assembles the requests of many users, and each user's terms (partner
 * names, custom keywords, the reference's name) change rarely. nova_assemble_cached() and
 * nova_detect_cached() are nova_assemble() and nova_detect() that look the request's own
 * terms up in the cache and compile them only on a miss, into the place of the least
 * recently used of NOVA_DETECTOR_CACHE_SIZE configurations. The built-in keyword lists
 * are compiled once per process anyway. Results are the bytes of the uncached calls, hit
 * or miss; a miss costs what the uncached call costs.
 *
 *     nova_detector_cache *cache = nova_detector_cache_new();   // NULL: out of memory
 *     for (each request) nova_assemble_cached(cache, req, req_len, &out, &out_len);
 *     nova_detector_cache_free(cache);
 *
 * A cache changes with every call: one thread at a time uses it (keep one per thread, or
 * lock around the calls). It belongs to the caller. A NULL cache is allowed: the calls
 * are then the uncached ones.
 */
typedef struct nova_detector_cache nova_detector_cache;

#define NOVA_DETECTOR_CACHE_SIZE 8 /* configurations a cache keeps */

/* A new, empty cache (the caller's: nova_detector_cache_free()); NULL when out of memory. */
nova_detector_cache *nova_detector_cache_new(void);

/* Releases a cache and all it keeps (NULL is allowed). */
void nova_detector_cache_free(nova_detector_cache *cache);

/* nova_assemble() and nova_detect() with the request's terms from the cache. Ownership
 * as nova_assemble. */
nova_status nova_assemble_cached(nova_detector_cache *cache, const char *request,
                                 size_t request_len, char **result, size_t *result_len);
nova_status nova_detect_cached(nova_detector_cache *cache, const char *request,
                               size_t request_len, char **result, size_t *result_len);

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
