/*
 * detector — nova_detector_new(), nova_detector_detect(), nova_detector_free(). A
 * detector is its own arena: the term set (detect.h) built from the decoded
 * configuration, which the scratch of decoding and building does not outlive.
 */
#include "detector.h"


#include "api.h"
#include "arena.h"
#include "error.h"
#include "request.h"
#include "result.h"

struct nova_detector {
    arena a;            /* holds all of the detector, this struct too */
    detect_set *set;
    double threshold;
};

const detect_set *detector_terms(const nova_detector *detector) {
    return detector ? detector->set : NULL;
}

nova_status nova_detector_new(const char *config, size_t config_len, nova_detector **detector,
                              char **error, size_t *error_len) {
    if (error) *error = NULL;
    if (error_len) *error_len = 0;
    if (!detector) return NOVA_E_ARGUMENT;
    *detector = NULL;

    nova_error err;
    nova_error_init(&err);
    if (!config && config_len)
        return api_finish(nova_fail(&err, NOVA_E_ARGUMENT, "", "configuration pointer is NULL"), 0,
                          &err, error, error_len);
    arena tmp, keep;
    arena_init(&tmp);
    arena_init(&keep);
    nova_request req;
    nova_status st = request_decode_detector(&tmp, config ? config : "", config_len, &req, &err);
    nova_detector *d = NULL;
    if (st == NOVA_OK) {
        detect_config cfg;
        detect_config_of(&req, &cfg);
        d = arena_alloc(&keep, sizeof *d);
        if (d) d->set = detect_set_build(&keep, &tmp, &cfg);
        if (d && d->set) d->threshold = cfg.threshold;
        else st = NOVA_E_NOMEM;
    }
    st = api_finish(st, tmp.failed || keep.failed, &err, error, error_len);
    arena_free(&tmp);
    if (st != NOVA_OK) {
        arena_free(&keep);
        return st;
    }
    d->a = keep; /* the arena's chunk list as it is now: all of the detector */
    *detector = d;
    return NOVA_OK;
}

nova_status nova_detector_detect(const nova_detector *detector, const char *message,
                                 size_t message_len, unsigned flags, char **result,
                                 size_t *result_len) {
    if (!result || !result_len) return NOVA_E_ARGUMENT;
    *result = NULL;
    *result_len = 0;
    nova_error err;
    nova_error_init(&err);
    arena a;
    arena_init(&a);
    nova_detection d;
    nova_status st;
    if (!detector) {
        st = nova_fail(&err, NOVA_E_ARGUMENT, "", "detector is NULL");
    } else if (!message && message_len) {
        st = nova_fail(&err, NOVA_E_ARGUMENT, "", "message pointer is NULL");
    } else if (message_len > NOVA_MAX_MESSAGE_BYTES) {
        st = nova_fail(&err, NOVA_E_LIMIT, "message", "is %zu bytes; the limit is %u",
                       message_len, NOVA_MAX_MESSAGE_BYTES);
    } else if (flags & ~NOVA_DETECT_UTF16) {
        st = nova_fail(&err, NOVA_E_ARGUMENT, "", "unknown flags 0x%x", flags & ~NOVA_DETECT_UTF16);
    } else {
        detect_config cfg = {0};
        cfg.threshold = detector->threshold;
        st = detect_message(&a, detector->set, NULL, &cfg, message ? message : "", message_len,
                            (flags & NOVA_DETECT_UTF16) != 0, &d, &err);
        if (st == NOVA_OK) {
            *result = result_detection_json(&d, result_len);
            if (!*result) st = NOVA_E_NOMEM;
        }
    }
    st = api_finish(st, a.failed, &err, result, result_len);
    arena_free(&a);
    return st;
}

void nova_detector_free(nova_detector *detector) {
    if (!detector) return;
    arena a = detector->a;
    arena_free(&a);
}
