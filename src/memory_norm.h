/*
 * memory_norm — when two texts say the same thing, for the memory update's junk checks
 * (an add that repeats an existing memory, a note already in the profile, content that
 * echoes the engine's own texts): a text is compared by its letters, digits and symbols
 * only, folded as the detector folds them (casefold.h: case, accents, fullwidth forms,
 * ’ as '), with white space, punctuation and combining diacritics removed. So "Sam's
 * birthday: March 3!" reads as "sams birthday march 3" does, and "Zoë" as "Zoe".
 */
#ifndef NOVA_MEMORY_NORM_H
#define NOVA_MEMORY_NORM_H

#include "arena.h"
#include "request.h"

/* The normalized form of t (valid UTF-8 in, as sanitized text is), NUL-terminated in the
 * arena; .s NULL only when the arena failed. */
nova_text memory_norm(arena *a, nova_text t);

#endif
