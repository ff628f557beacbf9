/*
 * api — the public entry points of nova.h. Each call: one arena, decode the request,
 * run the job, encode the result, release everything but the result buffer.
 */
#include <stdlib.h>

#include "api.h"
#include "arena.h"
#include "assemble.h"
#include "detect.h"
#include "detector.h"
#include "detector_cache.h"
#include "error.h"
#include "memory_ops.h"
#include "memory_prompt.h"
#include "memory_result.h"
#include "nova.h"
#include "request.h"
#include "result.h"

/* A job runs on the decoded request and writes the result text (malloc'ed, the
 * caller's). Returns NOVA_OK, the code of the error recorded in err, or NOVA_E_NOMEM
 * (arena.h: no message is written below this file). */
typedef nova_status (*job_fn)(arena *a, const nova_request *req, nova_error *err, char **out,
                              size_t *len);

static nova_status job_assemble(arena *a, const nova_request *req, nova_error *err, char **out,
                                size_t *len) {
    nova_assembly as;
    nova_status st = assemble_run(a, req, &as, err);
    if (st != NOVA_OK) return st;
    *out = result_assembly_json(&as, len);
    return *out ? NOVA_OK : NOVA_E_NOMEM;
}

static nova_status job_detect(arena *a, const nova_request *req, nova_error *err, char **out,
                              size_t *len) {
    nova_detection d;
    nova_status st = detect_run(a, req, &d, err);
    if (st != NOVA_OK) return st;
    *out = result_detection_json(&d, len);
    return *out ? NOVA_OK : NOVA_E_NOMEM;
}

static nova_status job_memory_prompt(arena *a, const nova_request *req, nova_error *err,
                                     char **out, size_t *len) {
    memory_prompt_out mp;
    nova_status st = memory_prompt_run(a, req, &mp);
    (void)err; /* a context decoded is all it needs */
    if (st != NOVA_OK) return st;
    *out = result_memory_prompt_json(&mp, len);
    return *out ? NOVA_OK : NOVA_E_NOMEM;
}

static nova_status job_memory_ops(arena *a, const nova_request *req, nova_error *err,
                                  char **out, size_t *len) {
    memory_ops_out mo;
    nova_status st = memory_ops_run(a, req, &mo);
    (void)err; /* a model answer is never an error */
    if (st != NOVA_OK) return st;
    *out = result_memory_ops_json(&mo, len);
    return *out ? NOVA_OK : NOVA_E_NOMEM;
}

/* detector: a compiled detector the job's detection may use; cache: where it takes the
 * request's own terms from (both NULL for every job but assemble and detect). */
static nova_status run_job(job_fn job, nova_request_kind kind, const nova_detector *detector,
                           nova_detector_cache *cache, const char *request, size_t request_len,
                           char **result, size_t *result_len) {
    if (!result || !result_len) return NOVA_E_ARGUMENT;
    *result = NULL;
    *result_len = 0;

    nova_error err;
    nova_error_init(&err);
    arena a;
    arena_init(&a);
    nova_request req;
    char *out = NULL;
    size_t out_len = 0;

    nova_status st;
    if (!request && request_len)
        st = nova_fail(&err, NOVA_E_ARGUMENT, "", "request pointer is NULL");
    else
        st = request_decode(&a, kind, request ? request : "", request_len, &req, &err);
    if (st == NOVA_OK) {
        req.compiled = detector_terms(detector);
        req.own = NULL;
        if (cache) {
            detect_config cfg;
            detect_config_of(&req, &cfg);
            if (detect_own_count(&cfg) && !(req.own = detector_cache_get(cache, &cfg)))
                st = NOVA_E_NOMEM;
        }
    }
    if (st == NOVA_OK) st = job(&a, &req, &err, &out, &out_len);
    st = api_finish(st, a.failed, &err, &out, &out_len);
    arena_free(&a);
    *result = out;
    *result_len = out_len;
    return st;
}

nova_status api_finish(nova_status st, int failed, nova_error *err, char **out, size_t *out_len) {
    /* The one place out_of_memory is written: whatever else was recorded, a failed
     * allocation is what went wrong (an error after it may be its consequence). */
    if (failed || st == NOVA_E_NOMEM) {
        nova_error_init(err);
        st = nova_fail(err, NOVA_E_NOMEM, "", "out of memory");
    }
    if (st != NOVA_OK && out) {
        size_t len = 0;
        free(*out);
        *out = result_error_json(err, &len);
        if (out_len) *out_len = *out ? len : 0;
    }
    return st;
}

nova_status nova_assemble(const char *request, size_t request_len, char **result,
                          size_t *result_len) {
    return run_job(job_assemble, NOVA_REQUEST_ASSEMBLE, NULL, NULL, request, request_len, result,
                   result_len);
}

nova_status nova_detect(const char *request, size_t request_len, char **result,
                        size_t *result_len) {
    return run_job(job_detect, NOVA_REQUEST_ASSEMBLE, NULL, NULL, request, request_len, result,
                   result_len);
}

nova_status nova_memory_prompt(const char *request, size_t request_len, char **result,
                               size_t *result_len) {
    return run_job(job_memory_prompt, NOVA_REQUEST_MEMORY_PROMPT, NULL, NULL, request,
                   request_len, result, result_len);
}

nova_status nova_memory_ops(const char *request, size_t request_len, char **result,
                            size_t *result_len) {
    return run_job(job_memory_ops, NOVA_REQUEST_MEMORY_OPS, NULL, NULL, request, request_len,
                   result, result_len);
}

nova_status nova_assemble_with(const nova_detector *detector, const char *request,
                               size_t request_len, char **result, size_t *result_len) {
    return run_job(job_assemble, NOVA_REQUEST_ASSEMBLE, detector, NULL, request, request_len, result,
                   result_len);
}

nova_status nova_detect_with(const nova_detector *detector, const char *request,
                             size_t request_len, char **result, size_t *result_len) {
    return run_job(job_detect, NOVA_REQUEST_ASSEMBLE, detector, NULL, request, request_len, result,
                   result_len);
}

nova_status nova_assemble_cached(nova_detector_cache *cache, const char *request,
                                 size_t request_len, char **result, size_t *result_len) {
    return run_job(job_assemble, NOVA_REQUEST_ASSEMBLE, NULL, cache, request, request_len,
                   result, result_len);
}

nova_status nova_detect_cached(nova_detector_cache *cache, const char *request,
                               size_t request_len, char **result, size_t *result_len) {
    return run_job(job_detect, NOVA_REQUEST_ASSEMBLE, NULL, cache, request, request_len, result,
                   result_len);
}

void *nova_alloc(size_t size) { return malloc(size ? size : 1); }

void nova_free(void *ptr) { free(ptr); }

const char *nova_version(void) { return NOVA_VERSION_STRING; }

const char *nova_status_name(nova_status status) {
    switch (status) {
    case NOVA_OK: return "ok";
    case NOVA_E_JSON: return "invalid_json";
    case NOVA_E_TYPE: return "wrong_type";
    case NOVA_E_VALUE: return "invalid_value";
    case NOVA_E_MISSING: return "missing_field";
    case NOVA_E_LIMIT: return "limit_exceeded";
    case NOVA_E_BUDGET: return "over_budget";
    case NOVA_E_NOMEM: return "out_of_memory";
    case NOVA_E_ARGUMENT: return "bad_argument";
    }
    return "unknown";
}
