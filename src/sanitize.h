/*
 * sanitize — "text is data". Every user- or AI-written value passes through
 * sanitize_text() before it can reach the prompt, so a value can carry words but no
 * structure: no control or invisible characters, no bidi tricks, no hidden (tag or
 * variation-selector) payloads, no line layout the assembler did not choose, and no
 * assembler marker (`<nova:NAME>` / `</nova:NAME>`).
 *
 * The rules, in the order they apply (README "Text is data" quotes this list):
 *  1. Ill-formed UTF-8 becomes U+FFFD, one per maximal invalid subpart (utf8.h).
 *  2. Line breaks: CR LF, CR, VT, FF, U+0085, U+2028, U+2029 become LF.
 *     Tab and the Unicode space separators (U+00A0, U+1680, U+2000–U+200A, U+202F,
 *     U+205F, U+3000) become a plain space.
 *  3. Removed: the other C0 controls, DEL, the other C1 controls; invisible and
 *     zero-width characters (U+00AD, U+034F, U+061C, U+115F, U+1160, U+17B4, U+17B5,
 *     U+180B–U+180F, U+200B, U+200C, U+200E, U+200F, U+2060–U+206F, U+3164, U+FEFF,
 *     U+FFA0, U+FFF9–U+FFFB, U+1BCA0–U+1BCA3, U+1D173–U+1D17A); bidi embeddings,
 *     overrides and isolates (U+202A–U+202E, U+2066–U+2069); tag characters
 *     U+E0000–U+E007F (the "ASCII smuggling" channel); noncharacters (U+FDD0–U+FDEF
 *     and U+xxFFFE/U+xxFFFF). Private-use characters are kept. (The database's
 *     nova.has_visible_text is this list: tests/sql/engine_limits.sh checks they agree.)
 *  4. Emoji glue is kept but cannot carry a payload: a variation selector (U+FE00–U+FE0F,
 *     U+E0100–U+E01EF) only directly after a kept visible character (not after white
 *     space, ZWJ or another selector), and ZWJ (U+200D) only between two kept visible
 *     characters (a selector may sit before it). Runs of selectors, a ZWJ at either end
 *     of a word and the like are removed.
 *  5. White space. SANITIZE_LINE: every run of white space (line breaks included)
 *     becomes one space; trimmed at both ends. SANITIZE_BLOCK: line breaks kept, spaces
 *     at the end of each line removed, at most one blank line in a row, trimmed at both
 *     ends (leading/trailing spaces and blank lines).
 *  6. Markers: a `<` followed by any run of white space, `/` and the default-ignorables
 *     still there (ZWJ, variation selectors, the unassigned U+FFF0–U+FFF8 and
 *     U+E0080–U+E0FFF; possibly empty) and then "nova" (ASCII, any case, those allowed
 *     between its letters) becomes U+2039 `‹`, so no value, once the steps above have
 *     run, can spell an assembler marker (`<nova:x>`, `</nova:x>`, `< / NOVA`), not even
 *     one that only looks like it (`</\u200Dnova:x>`, `<\uFE0Fnova:x>`, `<nov\u200Da`).
 *  7. Cap: at most max_chars code points (0 = no cap). A longer text is cut at a code
 *     point boundary, trailing white space removed, and ends with U+2026 `…`, the
 *     ellipsis counted inside the cap.
 *
 * The result is valid UTF-8, NUL-terminated, in the arena.
 */
#ifndef NOVA_SANITIZE_H
#define NOVA_SANITIZE_H

#include <stddef.h>

#include "arena.h"
#include "rules.h"
#include "text.h"

/* Caps in code points, one per kind of field (README "Limits" lists which is which). */
/* The contract's $defs/display_caps, through the generated rules.h. */
#define SANITIZE_CAP_NAME NOVA_CAP_NAME       /* names, fallback_name, memory_summary keys */
#define SANITIZE_CAP_SHORT NOVA_CAP_SHORT     /* tone, communication_style, list items, titles */
#define SANITIZE_CAP_LONG NOVA_CAP_LONG       /* content, ai_notes, emotional_patterns, summary leaves */
#define SANITIZE_CAP_SUMMARY NOVA_CAP_SUMMARY /* chat_memory_summary */

typedef enum sanitize_kind {
    SANITIZE_LINE,  /* one line: all white space collapses to single spaces */
    SANITIZE_BLOCK  /* paragraphs: line breaks kept, at most one blank line */
} sanitize_kind;

/*
 * Returns the sanitized text of s[0..len) (s may be NULL when len is 0). The result's .s
 * is never NULL, except on allocation failure, where .s is NULL and a->failed is set.
 * It is s itself when s is NUL-terminated at len and comes out unchanged (most text
 * does: no copy is made), else arena memory: so s must stay valid as long as the result
 * (arena or static memory, as every caller's is) and have len + 1 readable bytes when
 * it is not NULL.
 */
nova_text sanitize_text(arena *a, const char *s, size_t len, sanitize_kind kind,
                        size_t max_chars);

/*
 * Returns s[0..len) with only rule 1 applied (ill-formed UTF-8 → U+FFFD): for text that is
 * matched rather than shown (detection keywords, partner names). Same ownership and
 * requirements as sanitize_text().
 */
nova_text sanitize_utf8(arena *a, const char *s, size_t len);

/* 1 when t is absent or empty (sanitized text is trimmed, so "blank" means empty). */
int sanitize_is_blank(nova_text t);

#endif
