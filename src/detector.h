/*
 * detector — the compiled detectors of nova.h (nova_detector_new() and the calls that
 * take one): a detect_set (detect.h) and the configuration's threshold, in an arena of
 * their own.
 */
#ifndef NOVA_DETECTOR_H
#define NOVA_DETECTOR_H

#include "detect.h"
#include "nova.h"

/* The detector's term set, for nova_assemble_with() / nova_detect_with(). */
const detect_set *detector_terms(const nova_detector *detector);

#endif
