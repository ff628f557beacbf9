#include "budget.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "casefold.h"
#include "utf8.h"
#include "wordchar.h"

/* Longer words are cut here (bytes): enough for any real word, and a bound on the work.
 * Shorter words are ignored (code points, marks counted: "राम" is three). */
#define STEM_MAX 48
#define STEM_MIN 3

struct stem_slot {
    uint64_t hash;   /* 0: empty slot */
    const char *s;
    size_t len;
    unsigned stamp;  /* the last overlap call that counted this stem */
};

/* Words that say nothing about what a memory is about. Sorted (bytewise) for bsearch. */
static const char *const stopwords[] = {
    "about", "after", "again", "all", "also", "and", "any", "are", "because", "been",
    "before", "being", "but", "can", "could", "did", "does", "doing", "done", "even",
    "feel", "felt", "for", "from", "get", "gets", "going", "got", "had", "has", "have",
    "having", "her", "here", "hers", "herself", "him", "himself", "his", "how", "into",
    "its", "itself", "just", "know", "like", "lot", "lots", "made", "make", "maybe",
    "more", "most", "much", "myself", "not", "now", "off", "okay", "our", "ours", "out",
    "over", "own", "really", "same", "she", "should", "some", "something", "still",
    "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these",
    "they", "thing", "things", "think", "this", "those", "through", "too", "under",
    "until", "very", "want", "was", "way", "well", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "yeah", "yes", "you",
    "your", "yours", "yourself",
};

static int cmp_word(const void *key, const void *elem) {
    return strcmp((const char *)key, *(const char *const *)elem);
}

static int is_stopword(const char *w) {
    return bsearch(w, stopwords, sizeof stopwords / sizeof stopwords[0], sizeof stopwords[0],
                   cmp_word) != NULL;
}

static int ends(const char *w, size_t n, const char *suf, size_t k) {
    return n >= k && memcmp(w + n - k, suf, k) == 0;
}

/* Crude English suffix stripping: enough for "dates"/"date"/"dated" or
 * "anniversaries"/"anniversary" to meet, cheap, and the same on every platform. It reads
 * ASCII bytes only, so words of other scripts keep their endings. */
static size_t stem(char *w, size_t n) {
    if (n > 4 && ends(w, n, "ies", 3)) {
        n -= 2; /* "...ies" -> "...i", as "...y" becomes below */
    } else if (n > 5 && ends(w, n, "ing", 3)) {
        n -= 3;
    } else if (n > 4 && ends(w, n, "ed", 2)) {
        n -= 2;
    } else if (n > 6 && ends(w, n, "ly", 2)) {
        n -= 2;
    } else if (n > 4 && ends(w, n, "es", 2)) {
        n -= 2;
    } else if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's') {
        n -= 1;
    }
    if (n > 3 && w[n - 1] == 'e') n--;
    if (n > 3 && w[n - 1] == 'y') w[n - 1] = 'i';
    return n;
}

/* Reads the words of a text as the detector sees them (wordchar.h, casefold.h): runs of
 * word characters and the marks on them, folded (case, accents; dropped marks vanish),
 * at least STEM_MIN code points. Letters of the scripts written without spaces are read
 * two at a time, overlapping ("纪念日" gives "纪念" and "念日"): one character says too
 * little to rank by, and there are no spaces to find whole words; one standing alone
 * is a word of its own. */
typedef struct word_reader {
    const unsigned char *s;
    size_t len, pos;
    int in_unspaced; /* the character at pos ends the pair just read */
} word_reader;

static uint32_t peek_cp(const word_reader *r, size_t pos, size_t *next) {
    uint32_t cp = r->s[pos];
    *next = pos + 1;
    if (cp >= 0x80) *next = pos + utf8_decode(r->s + pos, r->len - pos, &cp);
    return cp;
}

/* Appends the folded cp to out[0..*n) if it fits (STEM_MAX bytes); counts it in *chars. */
static void put_folded(char *out, size_t *n, size_t *chars, uint32_t cp) {
    char buf[4];
    uint32_t f = casefold_cp(cp);
    size_t k = 1;
    if (f < 0x80)
        buf[0] = (char)f;
    else
        k = utf8_encode(f, buf);
    if (*n + k <= STEM_MAX) {
        memcpy(out + *n, buf, k);
        *n += k;
        (*chars)++;
    }
}

/* Appends the marks at r->pos (dropped ones vanish) and moves past them. */
static void put_marks(word_reader *r, char *out, size_t *n, size_t *chars) {
    while (r->pos < r->len) {
        size_t next;
        uint32_t cp = peek_cp(r, r->pos, &next);
        wordchar_kind k = wordchar_kind_of(cp);
        if (k != WORDCHAR_MARK && k != WORDCHAR_DROPPED) return;
        if (k == WORDCHAR_MARK) put_folded(out, n, chars, cp);
        r->pos = next;
    }
}

/* The next word into out (STEM_MAX + 1 bytes, NUL-terminated); returns its length, 0 at
 * the end of the text. */
static size_t next_word(word_reader *r, char *out) {
    while (r->pos < r->len) {
        size_t next, n = 0, chars = 0;
        uint32_t cp = peek_cp(r, r->pos, &next);
        wordchar_kind k = wordchar_kind_of(cp);
        if (k == WORDCHAR_UNSPACED) {
            int second = r->in_unspaced;
            r->pos = next;
            put_folded(out, &n, &chars, cp);
            put_marks(r, out, &n, &chars);
            uint32_t c2 = r->pos < r->len ? peek_cp(r, r->pos, &next) : 0;
            r->in_unspaced = c2 && wordchar_kind_of(c2) == WORDCHAR_UNSPACED;
            if (r->in_unspaced) { /* the pair; the next call starts at its second half */
                word_reader ahead = *r;
                ahead.pos = next;
                put_folded(out, &n, &chars, c2);
                put_marks(&ahead, out, &n, &chars);
            } else if (second) {
                continue; /* the end of a run: already read as the second of a pair */
            }
            out[n] = '\0';
            return n;
        }
        r->in_unspaced = 0;
        if (k != WORDCHAR_WORD) { /* a separator, or a mark on one */
            r->pos = next;
            continue;
        }
        while (r->pos < r->len) {
            cp = peek_cp(r, r->pos, &next);
            k = wordchar_kind_of(cp);
            if (k == WORDCHAR_WORD || k == WORDCHAR_MARK) put_folded(out, &n, &chars, cp);
            else if (k != WORDCHAR_DROPPED) break;
            r->pos = next;
        }
        if (chars < STEM_MIN) continue;
        out[n] = '\0';
        return n;
    }
    return 0;
}

static uint64_t hash_bytes(const char *s, size_t n) {
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h ? h : 1;
}

static struct stem_slot *find_slot(const stem_set *set, uint64_t h, const char *w, size_t n) {
    size_t mask = set->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct stem_slot *sl = &set->slots[i];
        if (!sl->hash || (sl->hash == h && sl->len == n && memcmp(sl->s, w, n) == 0))
            return sl;
    }
}

void stem_set_build(arena *a, const char *s, size_t len, stem_set *set) {
    set->slots = NULL;
    set->cap = 0;
    set->stamp = 0;
    char w[STEM_MAX + 1];
    size_t words = 0;
    word_reader r = {(const unsigned char *)s, s ? len : 0, 0, 0};
    while (next_word(&r, w)) words++;
    if (!words) return;
    size_t cap = 16;
    while (cap < words * 2) cap *= 2; /* load factor <= 1/2 keeps probes short */
    set->slots = arena_array(a, cap, sizeof *set->slots);
    if (!set->slots) return;
    set->cap = cap;
    r.pos = 0;
    r.in_unspaced = 0;
    size_t n;
    while ((n = next_word(&r, w)) != 0) {
        if (is_stopword(w)) continue;
        n = stem(w, n);
        uint64_t h = hash_bytes(w, n);
        struct stem_slot *sl = find_slot(set, h, w, n);
        if (sl->hash) continue;
        sl->s = arena_strndup(a, w, n);
        if (!sl->s) return;
        sl->hash = h;
        sl->len = n;
    }
}

size_t stem_set_overlap(stem_set *set, const char *s, size_t len) {
    if (!set->cap || !s) return 0;
    set->stamp++;
    char w[STEM_MAX + 1], st[STEM_MAX + 1];
    size_t n, shared = 0;
    word_reader r = {(const unsigned char *)s, len, 0, 0};
    while ((n = next_word(&r, w)) != 0) {
        memcpy(st, w, n + 1);
        size_t k = stem(st, n);
        struct stem_slot *sl = find_slot(set, hash_bytes(st, k), st, k);
        /* The stopword test only for words that would count: same result, less work. */
        if (sl->hash && sl->stamp != set->stamp && !is_stopword(w)) {
            sl->stamp = set->stamp;
            shared++;
        }
    }
    return shared;
}

stem_set *message_stems_get(message_stems *m) {
    if (!m->built) {
        stem_set_build(m->a, m->s, m->len, &m->set);
        m->built = 1;
    }
    return &m->set;
}

size_t budget_apply(doc *d, size_t max_chars, size_t dropped[DOC_CLASS_COUNT]) {
    size_t total = 0;
    for (size_t i = 0; i < d->node_count; i++)
        if (d->nodes[i].alive) total += d->nodes[i].chars;
    for (int cls = 0; cls < DOC_CLASS_COUNT; cls++) {
        dropped[cls] = 0;
        const doc_order *o = &d->drop[cls];
        if (total > max_chars && o->count && o->rank) o->rank(o->rank_ctx, o->nodes, o->count);
        for (size_t i = 0; i < o->count && total > max_chars; i++) {
            doc_node *n = &d->nodes[o->nodes[i]];
            n->alive = 0;
            total -= n->chars;
            dropped[cls]++;
            /* A heading or layer with nothing left under it goes too. */
            for (int p = n->parent; p >= 0;) {
                doc_node *up = &d->nodes[p];
                if (--up->live > 0 || !up->container) break;
                up->alive = 0;
                total -= up->chars;
                p = up->parent;
            }
        }
    }
    return total;
}
