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
 * complete row over the ASCII classes with failure links already followed, so there a
 * byte costs one load. The rows are bounded by a budget proportional to the total
 * keyword length, so memory stays linear: a 256-wide row for every node would be
 * hundreds of MB at 10,000 keywords.
 */

/* A row entry is the target's row offset (v << row_shift), or with AC_SPARSE its node
 * number; AC_OUT says a term (or a suffix that is one) ends at the target, AC_FREE that
 * one of those terms has no end rule (so a word character after it does not rule it
 * out). The flags let the scan skip the usual candidate, a keyword ending inside a
 * longer word, without touching the node's own data. */
#define AC_OUT 0x80000000u
#define AC_SPARSE 0x40000000u
#define AC_FREE 0x20000000u
#define AC_VALUE 0x1FFFFFFFu

/* Sparse nodes with more children than this are looked up in the hash. */
#define AC_LINEAR_MAX 8u

/* Dense row entries allowed per unit of keyword text (plus a floor). */
#define AC_ROW_BUDGET_PER_UNIT 8u
#define AC_ROW_BUDGET_MIN 4096u

struct detect_automaton {
    /* Class of each ASCII byte after folding (white space: the class of ' '); 0 means
     * "in no keyword", which always leads back to the root. ASCII classes come first,
     * 1 .. ascii_classes - 1, then the non-ASCII ones. */
    uint32_t ascii_class[128];
    uint32_t *cp_key, *cp_class; /* non-ASCII folded code point -> class (open hash) */
    size_t cp_mask;
    uint32_t row_shift;          /* a row has 1 << row_shift entries (>= ASCII classes) */
    uint32_t *rows;              /* rows[row_of[v] << row_shift | c]: entry (see AC_OUT) */
    size_t dense_nodes;          /* how many nodes have a row */
    uint32_t *row_of, *row_node; /* node -> row number (AC_NONE: none) and back */
    uint32_t *root_next;         /* class -> child of the root, 0 if none (all classes) */
    uint32_t *first;             /* per node: class of child v + 1 (0: none) | flags */
    uint32_t *edge_begin, *edges; /* per node + 1: its children, ascending */
    uint32_t *label, *parent;    /* per node: the trie edge into it */
    uint32_t *fail;              /* longest proper suffix that is a node */
    uint32_t *term, *dict;       /* term ending here (AC_NONE); next node with a term */
    uint32_t *child_hash;        /* (parent, label) -> node, for wide sparse nodes */
    size_t child_mask;
    unsigned char *free_end;     /* per node: a term of its chain has no end rule */
    uint32_t space_class;        /* the class of white space, 0 if no keyword has one */
    int rows_encoded;            /* rows hold entries (else plain node numbers, building) */
    uint32_t *term_units;        /* per key: length in units */
    unsigned char *need_start, *need_end; /* per key: word edge, so the boundary applies */
    size_t node_count, term_count;
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

/* The end rule for a match ending at e (after its marks): no word character follows,
 * or the possessive "s'" does, followed by no word character. */
static int end_ok(const unsigned char *s, size_t n, size_t e) {
    if (e >= n) return 1;
    size_t p = e;
    uint32_t cp = next_cp(s, n, &p);
    if (!wordchar_is_word(cp)) return 1;
    if (casefold_cp(cp) != 's') return 0;
    p = skip_marks(s, n, p);
    if (p >= n || casefold_cp(next_cp(s, n, &p)) != '\'') return 0;
    p = skip_marks(s, n, p);
    return p >= n || !wordchar_is_word(next_cp(s, n, &p));
}

/* The units of a keyword: folded code points, marks dropped, white space trimmed and
 * runs of it made one ' '. Returns the count (<= len). */
static size_t keyword_units(const char *text, size_t len, uint32_t *out) {
    const unsigned char *s = (const unsigned char *)text;
    size_t pos = 0, count = 0;
    int pending_space = 0;
    while (pos < len) {
        uint32_t cp = next_cp(s, len, &pos);
        if (casefold_is_dropped(cp)) continue;
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

/* The class of a folded code point (0: in no keyword). */
static uint32_t cp_class(const detect_automaton *ac, uint32_t cp) {
    if (cp < 0x80) return ac->ascii_class[cp]; /* folded to ASCII: é -> e, ’ -> ' */
    for (size_t i = mix(cp, 0) & ac->cp_mask;; i = (i + 1) & ac->cp_mask) {
        if (ac->cp_key[i] == cp) return ac->cp_class[i];
        if (ac->cp_key[i] == 0) return 0; /* 0 is ASCII, never a key: an empty slot */
    }
}

/* The child of node s by class c, or AC_NONE (s is not the root). */
static uint32_t child(const detect_automaton *ac, uint32_t s, uint32_t c) {
    uint32_t b = ac->edge_begin[s], e = ac->edge_begin[s + 1];
    if (e - b > AC_LINEAR_MAX) {
        for (size_t i = mix(s, c) & ac->child_mask;; i = (i + 1) & ac->child_mask) {
            uint32_t v = ac->child_hash[i];
            if (v == AC_NONE || (ac->parent[v] == s && ac->label[v] == c)) return v;
        }
    }
    for (uint32_t k = b; k < e; k++)
        if (ac->label[ac->edges[k]] == c) return ac->edges[k];
    return AC_NONE;
}

/* The automaton's move from node s by class c (failure links followed): never AC_NONE.
 * White space after white space stays put (a node entered by a space, or the root), so
 * a run of it is one space: keywords never hold two spaces in a row. */
static uint32_t step(const detect_automaton *ac, uint32_t s, uint32_t c) {
    if (c == 0) return 0;
    if (c == ac->space_class && ac->label[s] == c) return s;
    for (;;) {
        if (ac->row_of[s] != AC_NONE && (c >> ac->row_shift) == 0) {
            uint32_t e = ac->rows[(size_t)ac->row_of[s] << ac->row_shift | c];
            if (!ac->rows_encoded) return e;
            return e & AC_SPARSE ? e & AC_VALUE : ac->row_node[(e & AC_VALUE) >> ac->row_shift];
        }
        if (s == 0) return ac->root_next[c];
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
            ac->need_start[i] = (unsigned char)wordchar_is_word(units[total]);
            ac->need_end[i] = (unsigned char)wordchar_is_word(units[total + count - 1]);
            ac->term_units[i] = (uint32_t)count;
        }
        total += count;
    }
    ustart[n] = total;
    return total;
}

/* Gives every distinct folded code point of the keywords a class, ASCII ones first, and
 * rewrites units[] as classes. Returns the number of classes + 1, 0 when out of memory. */
static uint32_t assign_classes(arena *a, detect_automaton *ac, uint32_t *units, size_t total) {
    uint32_t ascii[128] = {0}; /* class of a folded ASCII code point */
    uint32_t next = 1;
    for (size_t k = 0; k < total; k++)
        if (units[k] < 0x80 && !ascii[units[k]]) ascii[units[k]] = next++;
    for (uint32_t b = 0; b < 128; b++)
        ac->ascii_class[b] = wordchar_is_space(b) ? ascii[' '] : ascii[casefold_cp(b)];
    uint32_t shift = 0;
    while ((1u << shift) < next) shift++;
    ac->row_shift = shift;
    ac->space_class = ascii[' '];

    size_t wide = 0; /* non-ASCII units: an upper bound on the non-ASCII classes */
    for (size_t k = 0; k < total; k++) wide += units[k] >= 0x80;
    ac->cp_mask = pow2_at_least(2 * wide + 1) - 1;
    ac->cp_key = arena_array(a, ac->cp_mask + 1, sizeof(uint32_t));
    ac->cp_class = arena_array(a, ac->cp_mask + 1, sizeof(uint32_t));
    if (!ac->cp_key || !ac->cp_class) return 0;
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

/* Renumbers the trie depth-first into ac, with the children lists, and returns the
 * nodes in breadth-first order (NULL when out of memory). Linear: a counting sort of
 * the nodes by parent, a stack, a queue. */
static uint32_t *renumber(arena *a, detect_automaton *ac, const trie *t) {
    size_t n = t->count, top = 0, next = 0;
    uint32_t *first = arena_array(a, n + 1, sizeof(uint32_t)); /* children by old parent */
    uint32_t *kids = arena_array(a, n, sizeof(uint32_t));
    uint32_t *stack = arena_array(a, n, sizeof(uint32_t));
    uint32_t *newid = arena_array(a, n, sizeof(uint32_t)); /* old -> new */
    uint32_t *bfs = arena_array(a, n, sizeof(uint32_t));
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
        ac->term[v] = t->term[old];
    }
    /* Children lists by new parent, ascending (the first child of v is v + 1). */
    memset(ac->edge_begin, 0, (n + 1) * sizeof(uint32_t));
    for (size_t v = 1; v < n; v++) ac->edge_begin[ac->parent[v] + 1]++;
    for (size_t v = 0; v < n; v++) ac->edge_begin[v + 1] += ac->edge_begin[v];
    memcpy(first, ac->edge_begin, (n + 1) * sizeof(uint32_t));
    for (size_t v = 1; v < n; v++) ac->edges[first[ac->parent[v]]++] = (uint32_t)v;
    size_t head = 0, tail = 0;
    bfs[tail++] = 0;
    while (head < tail) {
        uint32_t u = bfs[head++];
        for (uint32_t k = ac->edge_begin[u]; k < ac->edge_begin[u + 1]; k++)
            bfs[tail++] = ac->edges[k];
    }
    return bfs;
}

/* Gives the first dense_nodes nodes of the breadth-first order a row, numbering the
 * rows depth-first, so a walk down a word reads rows that lie close together. */
static int place_rows(arena *a, detect_automaton *ac, const uint32_t *bfs) {
    size_t n = ac->node_count, next = 0;
    ac->row_of = arena_array(a, n, sizeof(uint32_t));
    ac->row_node = arena_array(a, ac->dense_nodes, sizeof(uint32_t));
    if (!ac->row_of || !ac->row_node) return 0;
    memset(ac->row_of, 0xFF, n * sizeof(uint32_t));
    for (size_t i = 0; i < ac->dense_nodes; i++) ac->row_of[bfs[i]] = 0;
    for (uint32_t v = 0; v < n; v++) {
        if (ac->row_of[v] == AC_NONE) continue;
        ac->row_of[v] = (uint32_t)next;
        ac->row_node[next++] = v;
    }
    return 1;
}

static int has_out(const detect_automaton *ac, uint32_t v) {
    return ac->term[v] != AC_NONE || ac->dict[v] != AC_NONE;
}

/* AC_OUT and AC_FREE for node v. */
static uint32_t out_flags(const detect_automaton *ac, uint32_t v) {
    return (has_out(ac, v) ? AC_OUT : 0) | (ac->free_end[v] ? AC_FREE : 0);
}

/* Failure and output links, the hash for wide nodes, the root's row over all classes
 * and the dense rows: all in breadth-first order, so what a node needs is done. */
static int link_nodes(arena *a, detect_automaton *ac, const uint32_t *bfs, uint32_t classes,
                      size_t units) {
    size_t n = ac->node_count, wide = 0;
    for (uint32_t v = 1; v < n; v++) { /* children of wide nodes other than the root */
        uint32_t p = ac->parent[v];
        wide += p != 0 && ac->edge_begin[p + 1] - ac->edge_begin[p] > AC_LINEAR_MAX;
    }
    ac->child_mask = pow2_at_least(2 * wide + 1) - 1;
    ac->child_hash = arena_array(a, ac->child_mask + 1, sizeof(uint32_t));
    ac->root_next = arena_array(a, classes, sizeof(uint32_t));
    size_t width = (size_t)1 << ac->row_shift;
    size_t budget = AC_ROW_BUDGET_PER_UNIT * units + AC_ROW_BUDGET_MIN;
    ac->dense_nodes = budget / width < n ? budget / width : n;
    if (ac->dense_nodes == 0) ac->dense_nodes = 1;
    ac->rows = arena_array(a, ac->dense_nodes * width, sizeof(uint32_t));
    ac->first = arena_array(a, n, sizeof(uint32_t));
    ac->free_end = arena_alloc(a, n);
    if (!ac->child_hash || !ac->root_next || !ac->rows || !ac->first || !ac->free_end ||
        !place_rows(a, ac, bfs))
        return 0;
    memset(ac->child_hash, 0xFF, (ac->child_mask + 1) * sizeof(uint32_t));
    for (uint32_t v = 1; v < n; v++) {
        uint32_t p = ac->parent[v];
        if (p != 0 && ac->edge_begin[p + 1] - ac->edge_begin[p] > AC_LINEAR_MAX) {
            size_t h = mix(p, ac->label[v]) & ac->child_mask;
            while (ac->child_hash[h] != AC_NONE) h = (h + 1) & ac->child_mask;
            ac->child_hash[h] = v;
        }
        if (p == 0) ac->root_next[ac->label[v]] = v;
    }
    ac->fail[0] = 0;
    ac->dict[0] = AC_NONE;
    for (size_t i = 0; i < n; i++) {
        uint32_t v = bfs[i];
        if (v > 0) {
            uint32_t u = ac->parent[v];
            uint32_t f = u == 0 ? 0 : step(ac, ac->fail[u], ac->label[v]);
            ac->fail[v] = f;
            ac->dict[v] = ac->term[f] != AC_NONE ? f : ac->dict[f];
            uint32_t t = ac->term[v];
            ac->free_end[v] = (unsigned char)((t != AC_NONE && !ac->need_end[t]) ||
                                              (ac->dict[v] != AC_NONE && ac->free_end[ac->dict[v]]));
        }
        if (ac->row_of[v] == AC_NONE) continue;
        /* Rows hold node numbers while building; turned into entries below. */
        uint32_t *row = ac->rows + ((size_t)ac->row_of[v] << ac->row_shift);
        if (v == 0) {
            for (size_t c = 1; c < width && c < classes; c++) row[c] = ac->root_next[c];
        } else {
            memcpy(row, ac->rows + ((size_t)ac->row_of[ac->fail[v]] << ac->row_shift),
                   width * sizeof *row);
            for (uint32_t k = ac->edge_begin[v]; k < ac->edge_begin[v + 1]; k++) {
                uint32_t w = ac->edges[k];
                if ((ac->label[w] >> ac->row_shift) == 0) row[ac->label[w]] = w;
            }
            if (ac->space_class && ac->label[v] == ac->space_class) row[ac->space_class] = v;
        }
    }
    for (uint32_t v = 0; v + 1 < n; v++)
        if (ac->parent[v + 1] == v)
            ac->first[v] = ac->label[v + 1] | out_flags(ac, v + 1);
    /* Node numbers -> entries: row offset or AC_SPARSE node, plus AC_OUT. */
    for (size_t i = 0; i < ac->dense_nodes * width; i++) {
        uint32_t t = ac->rows[i];
        uint32_t e = ac->row_of[t] != AC_NONE ? ac->row_of[t] << ac->row_shift : t | AC_SPARSE;
        ac->rows[i] = e | out_flags(ac, t);
    }
    ac->rows_encoded = 1;
    return 1;
}

detect_automaton *ac_build(arena *a, const nova_text *keys, size_t n, uint32_t *term_of) {
    detect_automaton *ac = arena_alloc(a, sizeof *ac);
    size_t *ustart = arena_array(a, n + 1, sizeof(size_t));
    if (!ac || !ustart) return NULL;
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        if (keys[i].len <= AC_MAX_KEYWORD_BYTES) bytes += keys[i].len;
    uint32_t *units = arena_array(a, bytes + 1, sizeof(uint32_t));
    ac->need_start = arena_alloc(a, n + 1);
    ac->need_end = arena_alloc(a, n + 1);
    ac->term_units = arena_array(a, n + 1, sizeof(uint32_t));
    if (!units || !ac->need_start || !ac->need_end || !ac->term_units) return NULL;
    size_t total = read_keywords(ac, keys, n, units, ustart, term_of);
    uint32_t classes = assign_classes(a, ac, units, total);
    if (!classes) return NULL;

    size_t cap = total + 1;
    trie t = {arena_array(a, cap, sizeof(uint32_t)), arena_array(a, cap, sizeof(uint32_t)),
              arena_array(a, cap, sizeof(uint32_t)), NULL, pow2_at_least(2 * cap) - 1, 1};
    t.hash = arena_array(a, t.mask + 1, sizeof(uint32_t));
    if (!t.parent || !t.label || !t.term || !t.hash) return NULL;
    memset(t.hash, 0xFF, (t.mask + 1) * sizeof(uint32_t));
    t.term[0] = AC_NONE;
    trie_insert(&t, units, ustart, n, term_of, &ac->term_count);

    size_t nc = ac->node_count = t.count;
    ac->edge_begin = arena_array(a, nc + 1, sizeof(uint32_t));
    ac->edges = arena_array(a, nc, sizeof(uint32_t));
    ac->parent = arena_array(a, nc, sizeof(uint32_t));
    ac->label = arena_array(a, nc, sizeof(uint32_t));
    ac->term = arena_array(a, nc, sizeof(uint32_t));
    ac->fail = arena_array(a, nc, sizeof(uint32_t));
    ac->dict = arena_array(a, nc, sizeof(uint32_t));
    if (!ac->edge_begin || !ac->edges || !ac->parent || !ac->label || !ac->term || !ac->fail ||
        !ac->dict)
        return NULL;
    uint32_t *bfs = renumber(a, ac, &t);
    if (!bfs || !link_nodes(a, ac, bfs, classes, total)) return NULL;
    return ac;
}

size_t ac_node_count(const detect_automaton *ac) { return ac->node_count; }

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

/* Checks the terms ending at node s with the unit whose base code point is
 * msg[at .. pos) and records first occurrences. Returns how many new terms it found. */
static size_t report(const detect_automaton *ac, uint32_t s, const unsigned char *msg,
                     size_t len, size_t at, size_t pos, ac_hit *hits, uint32_t *list) {
    size_t found = 0, end = skip_marks(msg, len, pos), run = 0;
    int end_good = end_ok(msg, len, end), run_known = -1;
    for (uint32_t x = ac->term[s] != AC_NONE ? s : ac->dict[s]; x != AC_NONE; x = ac->dict[x]) {
        uint32_t t = ac->term[x];
        if (hits[t].found || (ac->need_end[t] && !end_good)) continue;
        size_t start = at, units = ac->term_units[t];
        if (ac->need_start[t]) {
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
                hits[t].start = pos - run;
                hits[t].end = end;
                hits[t].found = 1;
                list[found++] = t;
                continue;
            }
        }
        for (uint32_t k = 1; k < units; k++) start = unit_before(msg, len, start);
        if (ac->need_start[t] && start > 0) {
            size_t p = cp_start_before(msg, len, start);
            if (wordchar_is_word(next_cp(msg, len, &p))) continue;
        }
        hits[t].start = start;
        hits[t].end = end;
        hits[t].found = 1;
        list[found++] = t;
    }
    return found;
}

size_t ac_scan(const detect_automaton *ac, const char *message, size_t len, ac_hit *hits,
               uint32_t *list) {
    const unsigned char *msg = (const unsigned char *)message;
    const uint32_t *rows = ac->rows, *ascii_class = ac->ascii_class;
    const uint32_t shift = ac->row_shift;
    size_t pos = 0, found = 0;
    /* The state: the row offset of a dense node (off), or a sparse node (node). */
    uint32_t off = 0, node = 0;
    int sparse = 0;
    if (ac->term_count == 0) return 0;
    while (pos < len) {
        unsigned char b = msg[pos];
        size_t at = pos;
        uint32_t flags;
        if (b < 0x80 && !sparse) { /* near the root: one load per byte */
            uint32_t e = rows[off + ascii_class[b]];
            pos++;
            if (!(e & (AC_OUT | AC_SPARSE))) {
                off = e;
                continue;
            }
            sparse = (e & AC_SPARSE) != 0;
            off = sparse ? 0 : e & AC_VALUE;
            node = sparse ? e & AC_VALUE : AC_NONE; /* looked up only if needed */
            flags = e;
        } else if (b < 0x80 && (ac->first[node] & AC_VALUE) == ascii_class[b] &&
                   ascii_class[b] != 0) { /* deep in a word: usually its only child */
            flags = ac->first[node];
            pos++;
            node++;
        } else {
            uint32_t c;
            if (b < 0x80) {
                c = ascii_class[b];
                pos++;
            } else {
                uint32_t cp = next_cp(msg, len, &pos);
                if (casefold_is_dropped(cp)) continue; /* part of the unit before it */
                c = wordchar_is_space(cp) ? ac->space_class : cp_class(ac, casefold_cp(cp));
            }
            node = step(ac, sparse ? node : ac->row_node[off >> shift], c);
            sparse = ac->row_of[node] == AC_NONE;
            off = sparse ? 0 : ac->row_of[node] << shift;
            flags = out_flags(ac, node);
        }
        if (!(flags & AC_OUT)) continue;
        /* The usual candidate: every term here needs a word end, and an ASCII letter
         * (not the possessive s) follows. */
        if (!(flags & AC_FREE) && pos < len && msg[pos] < 0x80 && ascii_kind[msg[pos]] == 1 &&
            (msg[pos] | 32u) != 's')
            continue;
        if (node == AC_NONE) node = ac->row_node[off >> shift];
        found += report(ac, node, msg, len, at, pos, hits, list + found);
        if (found == ac->term_count) break;
    }
    return found;
}
