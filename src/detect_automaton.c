#include "detect_automaton.h"

#include <string.h>

#include "casefold.h"
#include "utf8.h"
#include "wordchar.h"

/*
 * Representation. Nodes are numbered depth-first (preorder), so the first child of v is
 * v + 1 and a walk down a word reads neighbouring memory: first[v] holds the class of
 * that child, and a deep node is usually left by that one compare. The nodes nearest
 * the root (a breadth-first prefix, where a scan spends most of its time) also get a
 * row: the move by every ASCII class with failure links already followed, so there a
 * byte costs one load. The rows are stored by class (column c holds the entries of
 * every row for class c) as 16-bit row numbers in breadth-first order: the entry for
 * byte b of row r is column[b][r], column[b] pointing to the column of b's class, so a
 * step is one load whose address waits for nothing but the state, and the rows the scan
 * visits most (the shallow ones) lie packed at the start of each column (the columns
 * an odd number of cache lines apart, so those starts do not compete for one cache
 * set). At most AC_ROWS_MAX rows, and a budget proportional to the total keyword length,
 * keep memory linear: a row for every node would be hundreds of MB at 10,000 keywords.
 *
 * Word anchoring. A keyword that starts with a word character can only match after a
 * unit that is not one (or at the start), so the automaton only tracks the suffixes
 * that could start such a match: a state is the longest suffix of the units read that
 * is a keyword prefix and either starts with a unit that is not a word character or
 * follows one that is not (the usual failure links, less the suffixes that start inside
 * a word). With no such suffix there are two roots: 0 after a unit that is not a word
 * character (or at the start) and r1 after one that is; in r1 every word unit leads back
 * to r1. So the rest of a word that no keyword begins in is read in r1's row, which
 * stays in cache, and the scan never wanders into deep nodes for the suffixes of every
 * word. A combining mark has the kind of the unit before it (wordchar.h): in a root it
 * stays in that root, and below a node it fails back to the root of that node's last
 * unit; no keyword starts with one (keyword_units drops leading marks). So the state
 * always knows whether the unit before a candidate start is a word character, and the
 * start rule is exact without looking back at the message: folding keeps the kind of
 * every code point (test_detect_property checks all of them).
 */

/* A row entry is the target's row number (AC_ROW bits), AC_NO_ROW when the target has no
 * row (it is then found from the source node with step()). AC_STOP sends the scan out
 * of its hot loop: set for a target with no row, and where leaving the row's node by
 * this class may end a match: a term (or a suffix that is one) ends at the node and the
 * class is not a word character (or is 's', which may start the possessive "s'"), or
 * one of those terms has no end rule. So outputs are looked at when the unit after them
 * is read, and the usual candidate, a keyword ending inside a longer word ("grain" in
 * "grainy"), costs nothing. */
#define AC_STOP 0x8000u
#define AC_ROW 0x7FFFu
#define AC_NO_ROW 0x7FFFu
#define AC_ROWS_MAX 0x7FFEu

/* first[v]: the class of child v + 1 (AC_VALUE bits, 0 if none), AC_OUT when terms end
 * at v, AC_FREE when one of them has no end rule. */
#define AC_OUT 0x80000000u
#define AC_FREE 0x20000000u
#define AC_VALUE 0x1FFFFFFFu

/* row_out[r]: the same two facts for the node of row r, one byte a row. */
#define AC_ROW_OUT 1u
#define AC_ROW_FREE 2u

/* The classes of code points in no keyword: not a word character, and a word character
 * (a combining mark in no keyword has ac->mark_class, the first non-ASCII class).
 * Keyword units have the classes from AC_CLASS_FIRST on. */
#define AC_CLASS_OTHER 0u
#define AC_CLASS_WORD 1u
#define AC_CLASS_FIRST 2u

/* Sparse nodes with more children than this are looked up in the hash. */
#define AC_LINEAR_MAX 8u

/* Tables of rows up to this size (a quarter of a core's second-level cache) keep the
 * plain breadth-first order: for them ordering costs the build more than it saves the
 * scan. (test_detect_property's 2,000-keyword rounds are above it.) */
#define AC_ORDER_MIN_BYTES (128u * 1024u)

/* Row entries allowed per unit of keyword text (plus a floor). */
#define AC_ROW_BUDGET_PER_UNIT 8u
#define AC_ROW_BUDGET_MIN 4096u

/* A key's length in units, and whether its first and last units are word characters (so
 * the boundary rule applies at that edge). */
typedef struct ac_key {
    uint32_t units;
    unsigned char need_start, need_end;
} ac_key;

/* The term ending at a node (AC_NONE if none) and the next node on its failure chain
 * where one ends (AC_NONE if none): side by side, as a match's check reads both. */
typedef struct ac_out {
    uint32_t term, dict;
} ac_out;

/* An entry of the hash of edges: node AC_NONE when the slot is empty. */
typedef struct ac_edge {
    uint32_t parent, label, node;
} ac_edge;

struct detect_automaton {
    /* Class of each ASCII byte after folding (white space: the class of ' '). ASCII
     * classes come first, 0 .. ascii_classes - 1, then the non-ASCII ones. */
    uint32_t ascii_class[128];
    const uint16_t *column[256]; /* per byte: the column of its class in rows (ASCII), or
                                  * one of AC_STOP entries (the rest: read_unit's) */
    uint32_t ascii_classes;      /* the columns */
    uint32_t *cp_key, *cp_class; /* non-ASCII folded code point -> class (open hash) */
    size_t cp_mask;
    unsigned char *class_kind;   /* per class: the wordchar_kind of its code points */
    uint32_t mark_class;         /* the class of combining marks in no keyword */
    uint16_t *rows;              /* rows[c * stride + r]: entry (see AC_STOP) */
    const uint16_t *stop_column; /* stride entries AC_STOP | AC_NO_ROW: the non-ASCII bytes' */
    size_t dense_nodes, stride;  /* how many nodes have a row; column length */
    uint32_t *row_of, *row_node; /* node -> row number (AC_NONE: none) and back */
    unsigned char *row_out;      /* per row: AC_ROW_OUT, AC_ROW_FREE of its node */
    uint32_t *root_next;         /* class -> child of the root, 0 if none (all classes) */
    uint32_t *first;             /* per node: class of child v + 1 | flags (see AC_OUT) */
    uint32_t *edge_begin, *edges; /* per node + 1: its children, ascending */
    uint32_t *label, *parent;    /* per node: the trie edge into it */
    uint32_t *fail;              /* longest proper suffix that is a node (see above) */
    ac_out *out;                 /* per node: the terms that end there */
    uint32_t *edge_label;        /* per edge: the label of edges[k], read without a jump */
    ac_edge *child_hash;         /* (parent, label) -> node, for nodes with many children */
    size_t child_mask;
    unsigned char *free_end;     /* per node: a term of its chain has no end rule */
    uint32_t space_class;        /* the class of white space, 0 if no keyword has one */
    uint32_t s_class;            /* the class of 's' (always one of its own) */
    uint32_t r1;                 /* the root inside a word: node_count (no trie node) */
    ac_key *key;                 /* per key: what the checks of a match need, together */
    size_t key_count, node_count, term_count;
};

/* ------------------------------------------------------------------ reading units */

/* Per ASCII byte: 1 word character, 2 white space, 0 other. */
static const unsigned char ascii_kind[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0,
    0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 0, 0, 0, 0, 0};

/* Decodes one code point at s[*pos] (pos < n) and advances. */
static uint32_t next_cp(const unsigned char *s, size_t n, size_t *pos) {
    uint32_t cp;
    if (s[*pos] < 0x80) return s[(*pos)++];
    *pos += utf8_decode(s + *pos, n - *pos, &cp);
    return cp;
}

/* The position after any dropped combining marks at pos. */
static size_t skip_marks(const unsigned char *s, size_t n, size_t pos) {
    while (pos < n && s[pos] >= 0x80) {
        size_t p = pos;
        if (!casefold_is_dropped(next_cp(s, n, &p))) break;
        pos = p;
    }
    return pos;
}

/* The end rule for a match ending at e (after its marks) whose last unit is a word
 * character: no word character follows (a mark would be part of that last one), or the
 * possessive "s'" does, followed by no word character (a mark after the ' is not one). */
static int end_ok(const unsigned char *s, size_t n, size_t e) {
    if (e >= n) return 1;
    size_t p = e;
    uint32_t cp = next_cp(s, n, &p);
    wordchar_kind k = wordchar_kind_of(cp);
    if (k == WORDCHAR_OTHER || k == WORDCHAR_UNSPACED) return 1;
    if (casefold_cp(cp) != 's') return 0;
    p = skip_marks(s, n, p);
    if (p >= n || casefold_cp(next_cp(s, n, &p)) != '\'') return 0;
    p = skip_marks(s, n, p);
    return p >= n || !wordchar_is_word(next_cp(s, n, &p));
}

/* The units of a keyword: folded code points, dropped marks left out, white space and
 * combining marks at the start and white space at the end trimmed (a mark belongs to the
 * character before it, and there is none), runs of white space made one ' '. Returns the
 * count (<= len). */
static size_t keyword_units(const char *text, size_t len, uint32_t *out) {
    const unsigned char *s = (const unsigned char *)text;
    size_t pos = 0, count = 0;
    int pending_space = 0;
    while (pos < len) {
        if (s[pos] < 0x80 && ascii_kind[s[pos]] == 1) { /* the usual case: a letter or digit */
            if (pending_space) out[count++] = ' ';
            pending_space = 0;
            unsigned char b = s[pos++];
            out[count++] = b >= 'A' && b <= 'Z' ? b + 32u : b; /* casefold_cp, inline */
            continue;
        }
        uint32_t cp = next_cp(s, len, &pos);
        wordchar_kind k = wordchar_kind_of(cp);
        if (k == WORDCHAR_DROPPED || (k == WORDCHAR_MARK && count == 0)) continue;
        if (wordchar_is_space(cp)) {
            pending_space = count > 0;
            continue;
        }
        if (pending_space) out[count++] = ' ';
        pending_space = 0;
        out[count++] = casefold_cp(cp);
    }
    return count;
}

/* ------------------------------------------------------------------ lookups */

static size_t mix(uint32_t a, uint32_t b) {
    uint32_t h = a * 0x9E3779B1u ^ (b + 0x7F4A7C15u) * 0x85EBCA77u;
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 13;
    return h;
}

static size_t pow2_at_least(size_t n) {
    size_t p = 16;
    while (p < n) p <<= 1;
    return p;
}

/* The class of a folded code point of kind k (not dropped: kinds survive folding). */
static uint32_t cp_class(const detect_automaton *ac, uint32_t cp, wordchar_kind k) {
    if (cp < 0x80) return ac->ascii_class[cp]; /* folded to ASCII: é -> e, ’ -> ' */
    for (size_t i = mix(cp, 0) & ac->cp_mask;; i = (i + 1) & ac->cp_mask) {
        if (ac->cp_key[i] == cp) return ac->cp_class[i];
        if (ac->cp_key[i] == 0) /* 0 is ASCII, never a key: an empty slot */
            return k == WORDCHAR_WORD ? AC_CLASS_WORD
                   : k == WORDCHAR_MARK ? ac->mark_class : AC_CLASS_OTHER;
    }
}

/* The child of node s by class c, or AC_NONE (s is not the root). */
static uint32_t child(const detect_automaton *ac, uint32_t s, uint32_t c) {
    uint32_t b = ac->edge_begin[s], e = ac->edge_begin[s + 1];
    if (e - b > AC_LINEAR_MAX) {
        for (size_t i = mix(s, c) & ac->child_mask;; i = (i + 1) & ac->child_mask) {
            const ac_edge *h = &ac->child_hash[i];
            if (h->node == AC_NONE || (h->parent == s && h->label == c)) return h->node;
        }
    }
    for (uint32_t k = b; k < e; k++)
        if (ac->edge_label[k] == c) return ac->edges[k];
    return AC_NONE;
}

/* The move from a root (0 or r1) by class c: to a child of the root if a keyword can
 * start here, else to the root that says whether c is a word character; a mark (no
 * keyword starts with one) is what the unit before it was, so the root stays. */
static uint32_t root_step(const detect_automaton *ac, uint32_t s, uint32_t c) {
    uint32_t t = ac->root_next[c];
    unsigned char k = ac->class_kind[c];
    if (k == WORDCHAR_MARK) return s;
    if (t != 0 && (s == 0 || k != WORDCHAR_WORD)) return t;
    return k == WORDCHAR_WORD ? ac->r1 : 0;
}

/* The automaton's move from node s by class c (failure links followed): never AC_NONE.
 * White space after white space stays put (a node entered by a space, or the root), so
 * a run of it is one space: keywords never hold two spaces in a row. */
static uint32_t step(const detect_automaton *ac, uint32_t s, uint32_t c) {
    if (c == ac->space_class && c != AC_CLASS_OTHER && ac->label[s] == c) return s;
    for (;;) {
        if (s == 0 || s == ac->r1) return root_step(ac, s, c);
        if (ac->row_of[s] != AC_NONE && c < ac->ascii_classes) {
            uint16_t e = ac->rows[c * ac->stride + ac->row_of[s]];
            if ((e & AC_ROW) != AC_NO_ROW) return ac->row_node[e & AC_ROW];
            /* No row: a child of s, or reached through its failure link. */
        }
        uint32_t t = child(ac, s, c);
        if (t != AC_NONE) return t;
        s = ac->fail[s];
    }
}

/* ------------------------------------------------------------------ building */

/* Normalises the keywords into units[] (ustart[i] .. ustart[i + 1] for key i) and notes
 * their boundary facts; term_of[i] = 0 for a key to insert, AC_NONE for one skipped. */
static size_t read_keywords(detect_automaton *ac, const nova_text *keys, size_t n,
                            uint32_t *units, size_t *ustart, uint32_t *term_of) {
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        size_t count = 0;
        ustart[i] = total;
        if (keys[i].s && keys[i].len <= AC_MAX_KEYWORD_BYTES)
            count = keyword_units(keys[i].s, keys[i].len, units + total);
        term_of[i] = count ? 0 : AC_NONE;
        if (count) {
            /* The last unit's kind is that of the last one that is not a mark (the first
             * unit never is one). */
            size_t last = total + count - 1;
            while (wordchar_is_mark(units[last])) last--;
            ac->key[i].need_start = (unsigned char)wordchar_is_word(units[total]);
            ac->key[i].need_end = (unsigned char)wordchar_is_word(units[last]);
            ac->key[i].units = (uint32_t)count;
        }
        total += count;
    }
    ustart[n] = total;
    return total;
}

/* Gives every distinct folded code point of the keywords a class, ASCII ones first, and
 * rewrites units[] as classes. Returns the number of classes, 0 when out of memory. */
static uint32_t assign_classes(arena *a, detect_automaton *ac, uint32_t *units, size_t total) {
    uint32_t ascii[128] = {0}; /* class of a folded ASCII code point */
    uint32_t next = AC_CLASS_FIRST;
    ascii['s'] = next++; /* so a row can tell the possessive's s from other letters */
    for (size_t k = 0; k < total; k++)
        if (units[k] < 0x80 && !ascii[units[k]]) ascii[units[k]] = next++;
    for (uint32_t b = 0; b < 128; b++) {
        uint32_t c = wordchar_is_space(b) ? ascii[' '] : ascii[casefold_cp(b)];
        ac->ascii_class[b] = c ? c : wordchar_is_word(b) ? AC_CLASS_WORD : AC_CLASS_OTHER;
    }
    ac->ascii_classes = next;
    ac->mark_class = next++;
    ac->space_class = ascii[' '];
    ac->s_class = ascii['s'];

    size_t wide = 0; /* non-ASCII units: an upper bound on the non-ASCII classes */
    for (size_t k = 0; k < total; k++) wide += units[k] >= 0x80;
    ac->cp_mask = pow2_at_least(2 * wide + 1) - 1;
    ac->cp_key = arena_array(a, ac->cp_mask + 1, sizeof(uint32_t));
    ac->cp_class = arena_array(a, ac->cp_mask + 1, sizeof(uint32_t));
    ac->class_kind = arena_alloc(a, next + wide);
    if (!ac->cp_key || !ac->cp_class || !ac->class_kind) return 0;
    memset(ac->class_kind, WORDCHAR_OTHER, next + wide);
    ac->class_kind[AC_CLASS_WORD] = WORDCHAR_WORD;
    ac->class_kind[ac->mark_class] = WORDCHAR_MARK;
    for (uint32_t cp = 0; cp < 128; cp++)
        if (ascii[cp]) ac->class_kind[ascii[cp]] = (unsigned char)wordchar_kind_of(cp);
    for (size_t k = 0; k < total; k++) {
        uint32_t cp = units[k];
        if (cp < 0x80) {
            units[k] = ascii[cp];
            continue;
        }
        size_t i = mix(cp, 0) & ac->cp_mask;
        while (ac->cp_key[i] != 0 && ac->cp_key[i] != cp) i = (i + 1) & ac->cp_mask;
        if (ac->cp_key[i] == 0) {
            ac->cp_key[i] = cp;
            ac->class_kind[next] = (unsigned char)wordchar_kind_of(cp);
            ac->cp_class[i] = next++;
        }
        units[k] = ac->cp_class[i];
    }
    return next;
}

/* The trie in insertion order: parent/label/term per node, found through a hash of
 * (parent, label). Sets term_of[] and the term count. Returns the node count. */
typedef struct trie {
    uint32_t *parent, *label, *term, *hash;
    size_t mask, count;
} trie;

static void trie_insert(trie *t, const uint32_t *units, const size_t *ustart, size_t n,
                        uint32_t *term_of, size_t *term_count) {
    for (size_t i = 0; i < n; i++) {
        if (term_of[i] != 0) continue; /* skipped key */
        uint32_t s = 0;
        for (size_t k = ustart[i]; k < ustart[i + 1]; k++) {
            uint32_t c = units[k], v;
            size_t h = mix(s, c) & t->mask;
            while ((v = t->hash[h]) != AC_NONE && !(t->parent[v] == s && t->label[v] == c))
                h = (h + 1) & t->mask;
            if (v == AC_NONE) {
                v = (uint32_t)t->count++;
                t->parent[v] = s;
                t->label[v] = c;
                t->term[v] = AC_NONE;
                t->hash[h] = v;
            }
            s = v;
        }
        if (t->term[s] == AC_NONE) {
            t->term[s] = (uint32_t)i;
            (*term_count)++;
        }
        term_of[i] = t->term[s];
    }
}

/* Orders the depths of the breadth-first order that hold the first d nodes (the ones
 * given rows), from 2 on (after the roots), each by subtree size, largest first: a
 * prefix many keywords share is one a text likely holds too, so the rows a scan visits
 * most lie together at the start of each column (see Representation), fewer cache
 * lines for the same visits, and at the last depth with rows those nodes get them.
 * Parents and failure links stay before their nodes (they are shallower). Linear: two
 * counting sorts, by size and then (stable) by depth. */
static int order_levels(arena *a, const detect_automaton *ac, uint32_t *bfs, size_t d) {
    size_t n = ac->node_count, end = 2;
    if (d <= 2) return 1;
    uint32_t *size = arena_array(a, n + 1, sizeof(uint32_t));
    uint32_t *depth = arena_array(a, n + 1, sizeof(uint32_t));
    uint32_t *start = arena_array(a, n + 2, sizeof(uint32_t));
    uint32_t *tmp = arena_array(a, n + 1, sizeof(uint32_t));
    if (!size || !depth || !start || !tmp) return 0;
    for (size_t v = 0; v < n; v++) size[v] = 1;
    for (size_t v = n; v-- > 1;) size[ac->parent[v]] += size[v]; /* children follow parents */
    depth[0] = 0;
    for (; end < n + 1; end++) { /* bfs holds n + 1 nodes; stop after the depth of d - 1 */
        uint32_t v = bfs[end];
        depth[v] = depth[ac->parent[v]] + 1;
        if (end >= d && depth[v] != depth[bfs[d - 1]]) break;
    }
    size_t levels = depth[bfs[end - 1]];
    /* By size, largest first (sizes are 1 .. n - 1 below the root). */
    memset(start, 0, (n + 2) * sizeof(uint32_t));
    for (size_t i = 2; i < end; i++) start[n - size[bfs[i]] + 1]++;
    for (size_t k = 0; k <= n; k++) start[k + 1] += start[k];
    for (size_t i = 2; i < end; i++) tmp[start[n - size[bfs[i]]]++] = bfs[i];
    /* Then by depth, keeping that order within a depth. */
    memset(start, 0, (levels + 2) * sizeof(uint32_t));
    for (size_t i = 0; i < end - 2; i++) start[depth[tmp[i]]]++;
    for (size_t k = 0, sum = 2; k <= levels; k++) {
        uint32_t c = start[k];
        start[k] = (uint32_t)sum;
        sum += c;
    }
    for (size_t i = 0; i < end - 2; i++) bfs[start[depth[tmp[i]]]++] = tmp[i];
    return 1;
}

/* Renumbers the trie depth-first into ac, with the children lists, adds r1 (node n, no
 * children) and returns the nodes in breadth-first order with r1 second, after the root
 * (NULL when out of memory). Linear: a counting sort of the nodes by parent, a stack,
 * a queue. */
static uint32_t *renumber(arena *a, detect_automaton *ac, const trie *t) {
    size_t n = t->count, top = 0, next = 0;
    uint32_t *first = arena_array(a, n + 1, sizeof(uint32_t)); /* children by old parent */
    uint32_t *kids = arena_array(a, n, sizeof(uint32_t));
    uint32_t *stack = arena_array(a, n, sizeof(uint32_t));
    uint32_t *newid = arena_array(a, n, sizeof(uint32_t)); /* old -> new */
    uint32_t *bfs = arena_array(a, n + 1, sizeof(uint32_t));
    if (!first || !kids || !stack || !newid || !bfs) return NULL;
    for (size_t v = 1; v < n; v++) first[t->parent[v] + 1]++;
    for (size_t v = 0; v < n; v++) first[v + 1] += first[v];
    for (size_t v = 1; v < n; v++) kids[first[t->parent[v]]++] = (uint32_t)v;
    for (size_t v = n; v > 0; v--) first[v] = first[v - 1]; /* undo the fill's advance */
    first[0] = 0;
    stack[top++] = 0;
    while (top > 0) {
        uint32_t old = stack[--top];
        newid[old] = (uint32_t)next++;
        for (uint32_t k = first[old + 1]; k > first[old]; k--) stack[top++] = kids[k - 1];
    }
    for (size_t old = 0; old < n; old++) {
        uint32_t v = newid[old];
        ac->parent[v] = old ? newid[t->parent[old]] : 0;
        ac->label[v] = t->label[old];
        ac->out[v].term = t->term[old];
    }
    ac->r1 = (uint32_t)n;
    ac->parent[n] = 0;
    ac->label[n] = AC_CLASS_WORD;
    ac->out[n].term = AC_NONE;
    /* Children lists by new parent, ascending (the first child of v is v + 1). */
    memset(ac->edge_begin, 0, (n + 1) * sizeof(uint32_t));
    for (size_t v = 1; v < n; v++) ac->edge_begin[ac->parent[v] + 1]++;
    for (size_t v = 0; v < n; v++) ac->edge_begin[v + 1] += ac->edge_begin[v];
    memcpy(first, ac->edge_begin, (n + 1) * sizeof(uint32_t));
    for (size_t v = 1; v < n; v++) {
        uint32_t k = first[ac->parent[v]]++;
        ac->edges[k] = (uint32_t)v;
        ac->edge_label[k] = ac->label[v];
    }
    ac->edge_begin[n + 1] = ac->edge_begin[n];
    size_t tail = 2;
    bfs[0] = 0;
    bfs[1] = (uint32_t)n;
    for (uint32_t k = ac->edge_begin[0]; k < ac->edge_begin[1]; k++) bfs[tail++] = ac->edges[k];
    for (size_t head = 2; head < tail; head++) {
        uint32_t u = bfs[head];
        for (uint32_t k = ac->edge_begin[u]; k < ac->edge_begin[u + 1]; k++)
            bfs[tail++] = ac->edges[k];
    }
    return bfs;
}

/* Gives the first dense_nodes nodes of the breadth-first order a row, in that order:
 * the root row 0, r1 row 1. */
static int place_rows(arena *a, detect_automaton *ac, const uint32_t *bfs) {
    size_t n = ac->node_count;
    ac->row_of = arena_array(a, n + 1, sizeof(uint32_t));
    ac->row_node = arena_array(a, ac->dense_nodes, sizeof(uint32_t));
    ac->row_out = arena_alloc(a, ac->dense_nodes);
    if (!ac->row_of || !ac->row_node || !ac->row_out) return 0;
    memset(ac->row_of, 0xFF, (n + 1) * sizeof(uint32_t));
    for (size_t r = 0; r < ac->dense_nodes; r++) {
        ac->row_of[bfs[r]] = (uint32_t)r;
        ac->row_node[r] = bfs[r];
    }
    return 1;
}

static int has_out(const detect_automaton *ac, uint32_t v) {
    return ac->out[v].term != AC_NONE || ac->out[v].dict != AC_NONE;
}

/* AC_OUT and AC_FREE for node v. */
static uint32_t out_flags(const detect_automaton *ac, uint32_t v) {
    return (has_out(ac, v) ? AC_OUT : 0) | (ac->free_end[v] ? AC_FREE : 0);
}

/* AC_STOP for leaving node v, where terms end, by class c (see AC_STOP). */
static uint32_t check_flag(const detect_automaton *ac, uint32_t v, uint32_t c) {
    return ac->free_end[v] || ac->class_kind[c] != WORDCHAR_WORD || c == ac->s_class ? AC_STOP
                                                                                    : 0;
}

/* The entry for a move to node t (the end of a match aside). */
static uint16_t entry(const detect_automaton *ac, uint32_t t) {
    return (uint16_t)(ac->row_of[t] != AC_NONE ? ac->row_of[t] : AC_STOP | AC_NO_ROW);
}

/* Failure and output links, the hash for wide nodes, the root's row over all classes
 * and the dense rows: all in breadth-first order, so what a node needs is done. */
static int link_nodes(arena *a, arena *tmp, detect_automaton *ac, uint32_t *bfs,
                      uint32_t classes, size_t units) {
    size_t n = ac->node_count, wide = 0; /* trie nodes; r1 is node n */
    for (uint32_t v = 1; v < n; v++) { /* children of wide nodes other than the root */
        uint32_t p = ac->parent[v];
        wide += p != 0 && ac->edge_begin[p + 1] - ac->edge_begin[p] > AC_LINEAR_MAX;
    }
    ac->child_mask = pow2_at_least(2 * wide + 1) - 1;
    ac->child_hash = arena_array(a, ac->child_mask + 1, sizeof(ac_edge));
    ac->root_next = arena_array(a, classes, sizeof(uint32_t));
    const size_t width = ac->ascii_classes;
    size_t budget = AC_ROW_BUDGET_PER_UNIT * units + AC_ROW_BUDGET_MIN, d = budget / width;
    if (d > n + 1) d = n + 1;
    if (d > AC_ROWS_MAX) d = AC_ROWS_MAX;
    if (d < 2) d = 2; /* the two roots */
    /* Only a big table gains from its hot rows packed together (see order_levels). */
    if (d * width * sizeof(uint16_t) > AC_ORDER_MIN_BYTES && !order_levels(tmp, ac, bfs, d))
        return 0;
    ac->dense_nodes = d;
    /* Columns a whole, odd number of 64-byte lines apart (see Representation). */
    size_t stride = (d + 31) / 32 * 32;
    if (stride / 32 % 2 == 0) stride += 32;
    ac->stride = stride;
    ac->rows = arena_array(a, stride * width, sizeof(uint16_t));
    uint16_t *stop = arena_array(a, stride, sizeof(uint16_t));
    if (stop)
        for (size_t r = 0; r < stride; r++) stop[r] = AC_STOP | AC_NO_ROW;
    ac->stop_column = stop;
    ac->first = arena_array(a, n + 1, sizeof(uint32_t));
    ac->free_end = arena_alloc(a, n + 1);
    if (!ac->child_hash || !ac->root_next || !ac->rows || !stop || !ac->first || !ac->free_end ||
        !place_rows(a, ac, bfs))
        return 0;
    for (uint32_t b = 0; b < 128; b++) ac->column[b] = ac->rows + ac->ascii_class[b] * stride;
    for (uint32_t b = 128; b < 256; b++) ac->column[b] = ac->stop_column;
    memset(ac->child_hash, 0xFF, (ac->child_mask + 1) * sizeof(ac_edge));
    for (uint32_t v = 1; v < n; v++) {
        uint32_t p = ac->parent[v];
        if (p != 0 && ac->edge_begin[p + 1] - ac->edge_begin[p] > AC_LINEAR_MAX) {
            size_t h = mix(p, ac->label[v]) & ac->child_mask;
            while (ac->child_hash[h].node != AC_NONE) h = (h + 1) & ac->child_mask;
            ac->child_hash[h] = (ac_edge){p, ac->label[v], v};
        }
        if (p == 0) ac->root_next[ac->label[v]] = v;
    }
    ac->fail[0] = ac->fail[n] = 0;
    ac->out[0].dict = ac->out[n].dict = AC_NONE;
    for (size_t i = 0; i <= n; i++) {
        uint32_t v = bfs[i];
        if (v > 0 && v < n) {
            /* Below the root the suffix that is left is empty: the root after a word
             * character or the one after anything else. */
            uint32_t u = ac->parent[v], c = ac->label[v];
            uint32_t f = u != 0                                  ? step(ac, ac->fail[u], c)
                         : ac->class_kind[c] == WORDCHAR_WORD ? ac->r1
                                                              : 0;
            ac->fail[v] = f;
            ac->out[v].dict = ac->out[f].term != AC_NONE ? f : ac->out[f].dict;
            uint32_t t = ac->out[v].term;
            uint32_t dv = ac->out[v].dict;
            ac->free_end[v] = (unsigned char)((t != AC_NONE && !ac->key[t].need_end) ||
                                              (dv != AC_NONE && ac->free_end[dv]));
        }
        if (i >= d) continue;
        uint16_t *row = ac->rows + i; /* row i = row_of[v]: class c at row[c * stride] */
        if (v == 0 || v == n) {
            for (uint32_t c = 0; c < width; c++) row[c * stride] = entry(ac, root_step(ac, v, c));
        } else {
            const uint16_t *from = ac->rows + ac->row_of[ac->fail[v]];
            for (size_t c = 0; c < width; c++) row[c * stride] = from[c * stride];
            for (uint32_t k = ac->edge_begin[v]; k < ac->edge_begin[v + 1]; k++) {
                uint32_t w = ac->edges[k];
                if (ac->label[w] < width) row[ac->label[w] * stride] = entry(ac, w);
            }
            if (ac->space_class && ac->label[v] == ac->space_class)
                row[ac->space_class * stride] = (uint16_t)i;
        }
    }
    /* The stops for the ends of matches, once no row is copied any more. */
    for (size_t i = 0; i < d; i++) {
        if (!has_out(ac, bfs[i])) continue;
        ac->row_out[i] = (unsigned char)(AC_ROW_OUT | (ac->free_end[bfs[i]] ? AC_ROW_FREE : 0));
        for (uint32_t c = 0; c < width; c++)
            ac->rows[c * stride + i] |= (uint16_t)check_flag(ac, bfs[i], c);
    }
    for (uint32_t v = 0; v < n; v++)
        ac->first[v] =
            (v + 1 < n && ac->parent[v + 1] == v ? ac->label[v + 1] : 0) | out_flags(ac, v);
    return 1;
}

detect_automaton *ac_build(arena *a, arena *tmp, const nova_text *keys, size_t n,
                           uint32_t *term_of) {
    detect_automaton *ac = arena_alloc(a, sizeof *ac);
    size_t *ustart = arena_array(tmp, n + 1, sizeof(size_t));
    if (!ac || !ustart) return NULL;
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        if (keys[i].len <= AC_MAX_KEYWORD_BYTES) bytes += keys[i].len;
    uint32_t *units = arena_array(tmp, bytes + 1, sizeof(uint32_t));
    ac->key = arena_array(a, n + 1, sizeof(ac_key));
    if (!units || !ac->key) return NULL;
    size_t total = read_keywords(ac, keys, n, units, ustart, term_of);
    uint32_t classes = assign_classes(a, ac, units, total);
    if (!classes) return NULL;

    size_t cap = total + 1;
    trie t = {arena_array(tmp, cap, sizeof(uint32_t)), arena_array(tmp, cap, sizeof(uint32_t)),
              arena_array(tmp, cap, sizeof(uint32_t)), NULL, pow2_at_least(2 * cap) - 1, 1};
    t.hash = arena_array(tmp, t.mask + 1, sizeof(uint32_t));
    if (!t.parent || !t.label || !t.term || !t.hash) return NULL;
    memset(t.hash, 0xFF, (t.mask + 1) * sizeof(uint32_t));
    t.term[0] = AC_NONE;
    trie_insert(&t, units, ustart, n, term_of, &ac->term_count);

    size_t nc = ac->node_count = t.count; /* + r1 */
    ac->edge_begin = arena_array(a, nc + 2, sizeof(uint32_t));
    ac->edges = arena_array(a, nc, sizeof(uint32_t));
    ac->edge_label = arena_array(a, nc, sizeof(uint32_t));
    ac->parent = arena_array(a, nc + 1, sizeof(uint32_t));
    ac->label = arena_array(a, nc + 1, sizeof(uint32_t));
    ac->out = arena_array(a, nc + 1, sizeof(ac_out));
    ac->fail = arena_array(a, nc + 1, sizeof(uint32_t));
    if (!ac->edge_begin || !ac->edges || !ac->edge_label || !ac->parent || !ac->label ||
        !ac->out || !ac->fail)
        return NULL;
    uint32_t *bfs = renumber(tmp, ac, &t);
    if (!bfs || !link_nodes(a, tmp, ac, bfs, classes, total)) return NULL;
    ac->key_count = n;
    return ac;
}

size_t ac_node_count(const detect_automaton *ac) { return ac->node_count; }

uint32_t ac_find(const detect_automaton *ac, const char *text, size_t len, uint32_t *units) {
    size_t count = len <= AC_MAX_KEYWORD_BYTES ? keyword_units(text, len, units) : 0;
    uint32_t s = 0;
    for (size_t k = 0; k < count; k++) {
        uint32_t cp = units[k]; /* folded, and white space is ' ' */
        uint32_t c = cp < 0x80 ? ac->ascii_class[cp] : cp_class(ac, cp, wordchar_kind_of(cp));
        if (c < AC_CLASS_FIRST) return AC_NONE; /* in no keyword */
        s = s == 0 ? ac->root_next[c] : child(ac, s, c);
        if (s == 0 || s == AC_NONE) return AC_NONE;
    }
    return count ? ac->out[s].term : AC_NONE;
}

/* ------------------------------------------------------------------ scanning */

/* The start of the code point that ends at e > 0. Any byte that is not a continuation
 * byte starts a code point in forward decoding, so decode forward from the nearest one
 * (at most 3 bytes back); if that sequence stops short of e, the byte before e is a
 * stray continuation byte, a code point (U+FFFD) of its own. */
static size_t cp_start_before(const unsigned char *s, size_t len, size_t e) {
    size_t p = e - 1, lim = e >= 4 ? e - 4 : 0;
    while (p > lim && (s[p] & 0xC0) == 0x80) p--;
    if ((s[p] & 0xC0) == 0x80) return e - 1;
    size_t q = p;
    next_cp(s, len, &q);
    return q == e ? p : e - 1;
}

/* The start of the unit before the unit starting at p > 0 (both inside a match). */
static size_t unit_before(const unsigned char *s, size_t len, size_t p) {
    size_t q = p, r = p;
    uint32_t cp;
    do { /* marks belong to the unit before them */
        q = cp_start_before(s, len, q);
        r = q;
        cp = next_cp(s, len, &r);
    } while (q > 0 && casefold_is_dropped(cp));
    if (!wordchar_is_space(cp)) return q;
    while (q > 0) { /* a white space run (and marks in it) is one unit */
        size_t b = cp_start_before(s, len, q);
        r = b;
        cp = next_cp(s, len, &r);
        if (!wordchar_is_space(cp) && !casefold_is_dropped(cp)) break;
        q = b;
    }
    return q;
}


/* A scan reads the message with up to two readers: the first part and, for a longer
 * message, the second part from a byte that puts any state into a known root (see
 * ac_scan), side by side in one loop, so the loads of the one overlap those of the
 * other. Each byte is still read once. */
typedef struct reader {
    size_t pos, end, at;   /* reads msg[pos, end); at: where the state's last unit starts */
    uint32_t row, node;    /* the state: its row, or AC_NONE and the node */
    int who;               /* 1 reads the first part, 2 the second */
    size_t mine;           /* terms whose hit is this reader's (1 only: it may stop) */
    unsigned char *done;   /* one bit a row, then one a node: every term there settled */
} reader;

typedef struct scan {
    const detect_automaton *ac;
    const unsigned char *msg;
    size_t len;
    ac_hit *hits;          /* per term: its first occurrence, once found */
    unsigned char *who;    /* per term: 0, or the reader whose hit it is (scratch) */
    uint32_t *list;
    size_t found;          /* distinct terms in list */
} scan;

/* A hit of term t that reader r no longer needs: its own, or reader 1's. */
static int settled(const scan *sc, const reader *r, uint32_t t) {
    int who = sc->who[t];
    return who == 1 || (who != 0 && r->who == 2);
}

static void record(scan *sc, reader *r, uint32_t t, size_t start, size_t end) {
    if (!sc->who[t]) sc->list[sc->found++] = t;
    sc->hits[t].start = start;
    sc->hits[t].end = end;
    sc->who[t] = (unsigned char)r->who; /* reader 1 overwrites reader 2: its hit comes first */
    r->mine += r->who == 1;
}

/* Checks the terms ending at node s with the unit whose base code point is
 * msg[at .. pos) and records first occurrences. */
static void report(scan *sc, reader *r, uint32_t s, size_t at, size_t pos) {
    const detect_automaton *ac = sc->ac;
    const unsigned char *msg = sc->msg;
    size_t len = sc->len, end = 0, run = 0;
    int end_good = -1, run_known = -1;
    uint32_t first_x = ac->out[s].term != AC_NONE ? s : ac->out[s].dict;
    for (uint32_t x = first_x; x != AC_NONE; x = ac->out[x].dict) {
        uint32_t t = ac->out[x].term;
        if (settled(sc, r, t)) continue; /* the usual case once a text repeats its words */
        if (end_good < 0) {
            end = skip_marks(msg, len, pos);
            end_good = end_ok(msg, len, end);
        }
        const ac_key *key = &ac->key[t];
        if (key->need_end && !end_good) continue;
        size_t start = at, units = key->units;
        if (key->need_start) {
            /* The usual case, all ASCII: the match lies in the run of ASCII word bytes
             * ending here, and must start where the run does. */
            if (run_known < 0) {
                while (run <= AC_MAX_KEYWORD_BYTES && run < pos && msg[pos - run - 1] < 0x80 &&
                       ascii_kind[msg[pos - run - 1]] == 1)
                    run++;
                run_known = pos - run == 0 || msg[pos - run - 1] < 0x80;
            }
            if (run_known && units < run && msg[at] < 0x80) continue;
            if (run_known && units == run && msg[at] < 0x80) {
                record(sc, r, t, pos - run, end);
                continue;
            }
        }
        /* The start rule needs no look back: the state was anchored (see Word anchoring). */
        for (uint32_t k = 1; k < units; k++) start = unit_before(msg, len, start);
        record(sc, r, t, start, end);
    }
}

/* 0 when a match ending at pos surely fails the end rule because an ASCII letter or
 * digit follows that does not start the possessive "s'" ("grain" in "grains"); 1 when
 * end_ok() has to tell. */
static int may_end(const unsigned char *msg, size_t len, size_t pos) {
    if (pos >= len || msg[pos] >= 0x80 || ascii_kind[msg[pos]] != 1) return 1;
    if ((msg[pos] | 32u) != 's') return 0;
    /* After the s, marks (not ASCII) or an apostrophe (', or ’ ‘ ＇ not ASCII). */
    return pos + 1 < len && (msg[pos + 1] >= 0x80 || msg[pos + 1] == '\'');
}

/* Reports the terms ending at r's state, before the unit at pos is read, if the end rule
 * may let them: pos is past any marks, so it is where the match ends. Once every term
 * there is settled, the state is marked done, so the words a text repeats cost one bit
 * test. */
static void check_end(scan *sc, reader *r, size_t pos) {
    const detect_automaton *ac = sc->ac;
    uint32_t row = r->row;
    /* First what the row and the message alone say (a plural: "grains"). */
    uint32_t f = row != AC_NONE ? 0 : ac->first[r->node];
    uint32_t out = row != AC_NONE ? ac->row_out[row]
                                  : (f & AC_OUT ? AC_ROW_OUT : 0) | (f & AC_FREE ? AC_ROW_FREE : 0);
    if (!out || (!(out & AC_ROW_FREE) && !may_end(sc->msg, sc->len, pos))) return;
    size_t bit = row != AC_NONE ? row : ac->dense_nodes + r->node;
    if (r->done[bit >> 3] & (1u << (bit & 7))) return;
    uint32_t v = row != AC_NONE ? ac->row_node[row] : r->node;
    report(sc, r, v, r->at, pos);
    uint32_t x = ac->out[v].term != AC_NONE ? v : ac->out[v].dict;
    while (x != AC_NONE && settled(sc, r, ac->out[x].term)) x = ac->out[x].dict;
    if (x == AC_NONE) r->done[bit >> 3] |= (unsigned char)(1u << (bit & 7));
}

/* The hot loop, kept small so its state stays in registers: reads ASCII bytes while
 * they lead to rows and end no match. Stops before the first byte it cannot take (not
 * ASCII, or AC_STOP). */
static void run_one(const uint16_t *const *column, const unsigned char *msg, reader *r) {
    uint32_t row = r->row;
    size_t pos = r->pos, end = r->end;
    for (; pos + 2 <= end; pos += 2) { /* a byte >= 0x80 always stops */
        uint32_t e = column[msg[pos]][row];
        if (e & AC_STOP) goto stopped;
        uint32_t f = column[msg[pos + 1]][e];
        if (f & AC_STOP) {
            row = e;
            pos++;
            goto stopped;
        }
        row = f;
    }
    if (pos < end) {
        uint32_t e = column[msg[pos]][row];
        if (!(e & AC_STOP)) {
            row = e;
            pos++;
        }
    }
stopped:
    if (pos > r->pos) r->at = pos - 1;
    r->row = row;
    r->pos = pos;
}

/* The same for two readers at once, until either has to stop. */
static void run_two(const uint16_t *const *column, const unsigned char *msg, reader *r,
                    reader *q) {
    uint32_t ra = r->row, rb = q->row;
    size_t pa = r->pos, pb = q->pos, n = r->end - pa < q->end - pb ? r->end - pa : q->end - pb;
    /* Two bytes a reader a turn: fewer loop tests, and the second loads of the one wait
     * only for its first. */
    size_t k = 0;
    for (; k + 2 <= n; k += 2) {
        uint32_t ea = column[msg[pa + k]][ra], eb = column[msg[pb + k]][rb];
        if ((ea | eb) & AC_STOP) goto stopped;
        uint32_t fa = column[msg[pa + k + 1]][ea], fb = column[msg[pb + k + 1]][eb];
        if ((fa | fb) & AC_STOP) {
            ra = ea;
            rb = eb;
            k++;
            goto stopped;
        }
        ra = fa;
        rb = fb;
    }
    if (k < n) {
        uint32_t ea = column[msg[pa + k]][ra], eb = column[msg[pb + k]][rb];
        if (!((ea | eb) & AC_STOP)) {
            ra = ea;
            rb = eb;
            k++;
        }
    }
stopped:
    n = k;
    if (n > 0) {
        r->at = pa + n - 1;
        q->at = pb + n - 1;
    }
    r->row = ra;
    q->row = rb;
    r->pos = pa + n;
    q->pos = pb + n;
}

/* Takes the unit at r->pos (< r->end) the quick way if it can: an ASCII byte that leads
 * from a row to a row, where check_end() would have nothing to do (the usual AC_STOP:
 * a plural, "grains", or terms all settled). 0 when read_unit() has to. */
static int quick_step(const scan *sc, reader *r) {
    const detect_automaton *ac = sc->ac;
    unsigned b = sc->msg[r->pos];
    uint32_t row = r->row;
    if (b >= 0x80 || row == AC_NONE) return 0;
    uint32_t e = ac->column[b][row];
    if ((e & AC_ROW) == AC_NO_ROW) return 0;
    if (e & AC_STOP) {
        uint32_t out = ac->row_out[row];
        if (out && ((out & AC_ROW_FREE) || may_end(sc->msg, sc->len, r->pos)) &&
            !(r->done[row >> 3] & (1u << (row & 7))))
            return 0;
    }
    r->row = e & AC_ROW;
    r->at = r->pos++;
    return 1;
}

/* Reads the unit at r->pos (< r->end) the slow way: not ASCII, a node without a row, or
 * the end of a match to check. */
static void read_unit(scan *sc, reader *r) {
    const detect_automaton *ac = sc->ac;
    const unsigned char *msg = sc->msg;
    unsigned char b = msg[r->pos];
    if (b < 0x80 && r->row != AC_NONE) {
        uint16_t e = ac->column[b][r->row];
        if (e & AC_STOP) check_end(sc, r, r->pos);
        if ((e & AC_ROW) == AC_NO_ROW) {
            r->node = step(ac, ac->row_node[r->row], ac->ascii_class[b]);
            r->row = ac->row_of[r->node];
        } else {
            r->row = e & AC_ROW;
        }
        r->at = r->pos++;
        return;
    }
    if (r->row != AC_NONE) r->node = ac->row_node[r->row];
    size_t next = r->pos;
    uint32_t c;
    if (b < 0x80) {
        c = ac->ascii_class[b];
        next++;
    } else {
        uint32_t cp = next_cp(msg, sc->len, &next);
        wordchar_kind k = wordchar_kind_of(cp);
        if (k == WORDCHAR_DROPPED) { /* part of the unit before it */
            r->pos = next;
            return;
        }
        c = wordchar_is_space(cp) ? ac->space_class : cp_class(ac, casefold_cp(cp), k);
    }
    check_end(sc, r, r->pos);
    /* Deep in a word: usually the only child, the next node. */
    uint32_t f = ac->first[r->node];
    r->node = r->row == AC_NONE && c != 0 && (f & AC_VALUE) == c ? r->node + 1
                                                                  : step(ac, r->node, c);
    r->row = ac->row_of[r->node];
    r->at = r->pos;
    r->pos = next;
}

/* The done bits of the two readers, then a byte per key (scan.who). */
static size_t done_bytes(const detect_automaton *ac) {
    return (ac->dense_nodes + ac->node_count) / 8 + 1;
}

size_t ac_scratch_size(const detect_automaton *ac) { return 2 * done_bytes(ac) + ac->key_count + 1; }

/* Messages shorter than this are read by one reader; the second part starts at most
 * AC_SPLIT_SEARCH bytes after the middle (else there is no second part). */
#define AC_SPLIT_MIN 32u
#define AC_SPLIT_SEARCH 256u

size_t ac_scan(const detect_automaton *ac, const char *message, size_t len, ac_hit *hits,
               uint32_t *list, unsigned char *scratch) {
    size_t bits = done_bytes(ac);
    scan sc = {ac, (const unsigned char *)message, len, hits, scratch + 2 * bits, list, 0};
    reader one = {0, len, 0, 0, 0, 1, 0, scratch}, two = {len, len, 0, 0, 0, 2, 0, scratch + bits};
    int split = 0;
    if (ac->term_count == 0) return 0;
    memset(scratch, 0, ac_scratch_size(ac));
    /* The second part starts after an ASCII byte in no keyword: every state goes to a
     * root by it (0, or r1 if a word character), so no match spans it. */
    for (size_t p = len / 2; len >= AC_SPLIT_MIN && p + 1 < len && p < len / 2 + AC_SPLIT_SEARCH;
         p++) {
        uint32_t c = sc.msg[p] < 0x80 ? ac->ascii_class[sc.msg[p]] : AC_CLASS_FIRST;
        if (c < AC_CLASS_FIRST) {
            one.end = two.pos = two.at = p + 1;
            split = 1;
            two.row = c == AC_CLASS_WORD; /* the roots' rows: 0 and 1 */
            two.node = c == AC_CLASS_WORD ? ac->r1 : 0;
            break;
        }
    }
    for (;;) {
        int a = one.pos < one.end && one.mine < ac->term_count;
        int b = two.pos < two.end && sc.found < ac->term_count;
        if (!a && !b) break;
        if (a && b && one.row != AC_NONE && two.row != AC_NONE)
            run_two(ac->column, sc.msg, &one, &two);
        else if (!b && one.row != AC_NONE)
            run_one(ac->column, sc.msg, &one);
        else if (!a && two.row != AC_NONE)
            run_one(ac->column, sc.msg, &two);
        if (a && one.pos < one.end && !quick_step(&sc, &one)) read_unit(&sc, &one);
        if (b && two.pos < two.end && !quick_step(&sc, &two)) read_unit(&sc, &two);
    }
    /* The end of a part: the end of the message ends a word, and after the first part
     * comes a byte in no keyword. */
    if (one.pos >= one.end && one.mine < ac->term_count) check_end(&sc, &one, one.end);
    if (split && two.pos >= two.end && sc.found < ac->term_count) check_end(&sc, &two, len);
    return sc.found;
}
