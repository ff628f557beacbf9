/*
 * detect_automaton — finds, in one pass over a message, the first whole-word occurrence
 * of each of any number of keywords (Aho-Corasick over folded code points).
 *
 * Both the keywords and the message are read as "units": each code point folded by
 * casefold.h is one unit, except that dropped marks (diacritics, variation selectors:
 * casefold_is_dropped) vanish into the unit before them and a run of white space
 * (wordchar_is_space) is one space unit. Keywords are trimmed of white space at both
 * ends and of combining marks at the start. A code point is a word character as
 * wordchar.h says, a combining mark being of the kind of the character before it (so
 * after "❤️" or "!" + U+0301 a word may start, and "Sam" + U+FE0F ends one). A keyword
 * matches where its units equal a run of the message's units and
 *   - if its first unit is a word character, the code point before the match is not
 *     (or there is none);
 *   - if its last unit is a word character, the code point after the match (after any
 *     dropped marks, which belong to the match) is not, or the match is followed by the
 *     possessive units "s" "'" and then by no word character ("Sams'"; "Sam's" and
 *     "Sam’s" already pass the first test).
 * The match covers [start of its first unit, end of its last unit incl. marks).
 *
 * Cost: building is linear in the total keyword length (hashed trie, counting sorts,
 * breadth-first failure links, rows bounded by a budget of 8 entries per keyword unit);
 * the scan reads each byte once, with amortised O(1) work per unit plus the checks of
 * candidate matches: mostly one table load per byte (detect_automaton.c tells how).
 * Memory: about 80-120 bytes per keyword byte at the peak of building (~8 MB for 10,000
 * keywords; ~200 KB for the built-in lists), of which the scratch arena takes back about
 * half when the build is done.
 */
#ifndef NOVA_DETECT_AUTOMATON_H
#define NOVA_DETECT_AUTOMATON_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "nova.h"
#include "text.h"

/* Keywords longer than this many bytes are the caller's to refuse; the automaton skips
 * them (its window of recent positions is this long). */
#define AC_MAX_KEYWORD_BYTES NOVA_MAX_KEYWORD_BYTES

#define AC_NONE UINT32_MAX

typedef struct detect_automaton detect_automaton;

/* First occurrence of a term: [start, end) bytes of the message. */
typedef struct ac_hit {
    size_t start, end;
} ac_hit;

/* Builds the automaton of keys[0..n) in arena a (what the scans read: keys must outlive
 * it only for the caller's sake, the automaton keeps no pointer to them), with the
 * building's scratch in tmp (may be a; free it once this returns). term_of[i] receives
 * the term of key i: the index of the first key with the same units (so duplicates,
 * and the same word written with other case or accents, share one term), or AC_NONE
 * when key i has no units (empty, white space or marks only) or is too long. NULL when
 * out of memory. The automaton is immutable: any number of scans may share it. */
detect_automaton *ac_build(arena *a, arena *tmp, const nova_text *keys, size_t n,
                           uint32_t *term_of);

/* The term of the automaton whose units are those of text[0..len), AC_NONE if none.
 * units: room for len units (scratch). */
uint32_t ac_find(const detect_automaton *ac, const char *text, size_t len, uint32_t *units);

/* Scans msg[0..len) once. hits has one slot per key, of any content; on return hits[t]
 * is the first occurrence of term t (t as in term_of) for the terms listed in
 * found[0 .. return value), in no particular order (room: one per key); other slots are
 * as they were. scratch: ac_scratch_size(ac) bytes of any content, the scan's own (it
 * notes the states whose terms are all found and which terms are). */
size_t ac_scan(const detect_automaton *ac, const char *msg, size_t len, ac_hit *hits,
               uint32_t *found, unsigned char *scratch);
size_t ac_scratch_size(const detect_automaton *ac);

/* Units in the automaton (for the benchmark's report). */
size_t ac_node_count(const detect_automaton *ac);

#endif
