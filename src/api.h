/*
 * api — what every public entry point ends with (api.c, detector.c): the one place where
 * a failed allocation becomes the out_of_memory error (arena.h) and an error record
 * becomes the error result the caller gets.
 */
#ifndef NOVA_API_H
#define NOVA_API_H

#include <stddef.h>

#include "error.h"

/* st: the call's status; failed: an arena of the call failed. Out of memory (failed, or
 * st NOVA_E_NOMEM) replaces whatever err holds. On an error, *out (when out is not NULL)
 * becomes the error result JSON, freeing what it held; NULL if even that cannot be
 * allocated. Returns the final status. */
nova_status api_finish(nova_status st, int failed, nova_error *err, char **out, size_t *out_len);

#endif
