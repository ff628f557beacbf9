/*
 * result — encodes what a call produced as the contract's result JSON. Each function
 * returns a malloc'ed NUL-terminated text (the caller's, freed with nova_free) or NULL
 * on allocation failure.
 */
#ifndef NOVA_RESULT_H
#define NOVA_RESULT_H

#include <stddef.h>

#include "assemble.h"
#include "detect.h"
#include "error.h"

char *result_assembly_json(const nova_assembly *as, size_t *len);
char *result_detection_json(const nova_detection *d, size_t *len);
char *result_error_json(const nova_error *err, size_t *len);

#endif
