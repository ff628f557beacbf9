/*
 * test_detect — the relationship detector against a table of labelled messages
 * (tests/detect/messages.txt, format described at its top) plus the cases a table cannot
 * say: 1,000 duplicate or empty keywords, the strongest-tier rule, threshold edge,
 * built-in lists parse. (Keyword length limits are the decoder's: test_request.c.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "detect.h"
#include "error.h"
#include "harness.h"
#include "request.h"

#define MAX_ITEMS 16
#define MAX_TEXT 4096

/* ------------------------------------------------------------------ one case */

typedef struct table_case {
    char name[128];
    int line;
    char lists[4][MAX_ITEMS][256]; /* partners, strong, medium, weak */
    size_t counts[4];
    char reference[256];
    int has_reference, has_detection;
    double threshold;
    char message[MAX_TEXT]; /* with [[ ]] markers removed */
    size_t message_len;
    size_t spans[MAX_ITEMS][2];
    size_t span_count;
    char terms[MAX_ITEMS][256];
    char tiers[MAX_ITEMS][16];
    size_t term_count;
    double score;
    int relationship;
} table_case;

/* Unescapes \n \t \r \\ \s (space) \| \xHH \u{H..} into out; returns the length. */
static size_t unescape(const char *in, char *out, size_t cap) {
    size_t n = 0;
    for (const char *p = in; *p && n + 4 < cap; p++) {
        if (*p != '\\') {
            out[n++] = *p;
            continue;
        }
        p++;
        switch (*p) {
        case 'n': out[n++] = '\n'; break;
        case 't': out[n++] = '\t'; break;
        case 'r': out[n++] = '\r'; break;
        case 's': out[n++] = ' '; break;
        case 'x': {
            char hex[3] = {p[1], p[2], 0};
            out[n++] = (char)strtoul(hex, NULL, 16);
            p += 2;
            break;
        }
        case 'u': { /* \u{1F600} */
            char *end;
            unsigned long cp = strtoul(p + 2, &end, 16);
            p = end;
            if (cp < 0x80) {
                out[n++] = (char)cp;
            } else if (cp < 0x800) {
                out[n++] = (char)(0xC0 | (cp >> 6));
                out[n++] = (char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                out[n++] = (char)(0xE0 | (cp >> 12));
                out[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out[n++] = (char)(0x80 | (cp & 0x3F));
            } else {
                out[n++] = (char)(0xF0 | (cp >> 18));
                out[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
                out[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out[n++] = (char)(0x80 | (cp & 0x3F));
            }
            break;
        }
        default: out[n++] = *p; break; /* \\ \| and the like */
        }
    }
    out[n] = 0;
    return n;
}

/* Splits value at unescaped '|' and unescapes each item into items. */
static size_t split_items(const char *value, char items[][256]) {
    size_t count = 0;
    char piece[1024];
    size_t k = 0;
    for (const char *p = value;; p++) {
        if (*p == '\\' && p[1]) {
            piece[k++] = *p++;
            piece[k++] = *p;
            continue;
        }
        if (*p == '|' || *p == 0) {
            piece[k] = 0;
            if (count < MAX_ITEMS) unescape(piece, items[count++], 256);
            k = 0;
            if (*p == 0) break;
            continue;
        }
        if (k < sizeof piece - 2) piece[k++] = *p;
    }
    return count;
}

/* Removes [[ ]] markers from the unescaped message, recording the marked spans. */
static void take_spans(table_case *c, const char *raw, size_t raw_len) {
    size_t stack[MAX_ITEMS], depth = 0, n = 0;
    c->span_count = 0;
    for (size_t i = 0; i < raw_len; i++) {
        if (i + 1 < raw_len && raw[i] == '[' && raw[i + 1] == '[') {
            if (depth < MAX_ITEMS) stack[depth++] = n;
            i++;
        } else if (i + 1 < raw_len && raw[i] == ']' && raw[i + 1] == ']' && depth > 0) {
            if (c->span_count < MAX_ITEMS) {
                c->spans[c->span_count][0] = stack[--depth];
                c->spans[c->span_count++][1] = n;
            }
            i++;
        } else {
            c->message[n++] = raw[i];
        }
    }
    c->message[n] = 0;
    c->message_len = n;
    /* Matches come in order of start, then end. */
    for (size_t i = 1; i < c->span_count; i++)
        for (size_t j = i; j > 0; j--) {
            size_t *a = c->spans[j - 1], *b = c->spans[j];
            if (a[0] < b[0] || (a[0] == b[0] && a[1] <= b[1])) break;
            size_t t0 = a[0], t1 = a[1];
            a[0] = b[0], a[1] = b[1], b[0] = t0, b[1] = t1;
        }
}

static nova_text_list make_list(arena *a, char items[][256], size_t count) {
    nova_text_list l = {arena_array(a, count + 1, sizeof(nova_text)), count};
    for (size_t i = 0; i < count; i++) {
        l.items[i].s = items[i];
        l.items[i].len = strlen(items[i]);
    }
    return l;
}

static void run_case(table_case *c) {
    arena a;
    arena_init(&a);
    nova_request req;
    memset(&req, 0, sizeof req);
    req.message.s = c->message;
    req.message.len = c->message_len;
    if (c->has_detection) {
        req.has_detection = 1;
        req.detection.partner_names = make_list(&a, c->lists[0], c->counts[0]);
        req.detection.strong = make_list(&a, c->lists[1], c->counts[1]);
        req.detection.medium = make_list(&a, c->lists[2], c->counts[2]);
        req.detection.weak = make_list(&a, c->lists[3], c->counts[3]);
        req.detection.relationship_threshold = c->threshold;
    }
    if (c->has_reference) {
        req.has_reference = 1;
        req.reference.profile.name.s = c->reference;
        req.reference.profile.name.len = strlen(c->reference);
    }
    nova_detection d;
    nova_error err;
    nova_error_init(&err);
    nova_status st = detect_run(&a, &req, &d, &err);
    CHECK_MSG(st == NOVA_OK, "case %s (line %d): status %d %s", c->name, c->line, (int)st,
              err.message);
    if (st == NOVA_OK) {
        int ok = d.match_count == c->span_count && d.match_count == c->term_count &&
                 d.score == c->score && d.relationship == c->relationship;
        for (size_t i = 0; ok && i < d.match_count; i++)
            ok = d.matches[i].start == c->spans[i][0] && d.matches[i].end == c->spans[i][1] &&
                 strcmp(d.matches[i].term, c->terms[i]) == 0 &&
                 strcmp(detect_tier_name(d.matches[i].tier), c->tiers[i]) == 0;
        CHECK_MSG(ok, "case %s (line %d)", c->name, c->line);
        if (!ok) {
            fprintf(stderr, "  got score %g relationship %d:", d.score, d.relationship);
            for (size_t i = 0; i < d.match_count; i++)
                fprintf(stderr, " %s/%s[%zu,%zu)", d.matches[i].term,
                        detect_tier_name(d.matches[i].tier), d.matches[i].start, d.matches[i].end);
            fprintf(stderr, "\n  want score %g relationship %d:", c->score, c->relationship);
            for (size_t i = 0; i < c->term_count || i < c->span_count; i++)
                fprintf(stderr, " %s/%s[%zu,%zu)", i < c->term_count ? c->terms[i] : "?",
                        i < c->term_count ? c->tiers[i] : "?", i < c->span_count ? c->spans[i][0] : 0,
                        i < c->span_count ? c->spans[i][1] : 0);
            fputc('\n', stderr);
        }
    }
    arena_free(&a);
}

/* ------------------------------------------------------------------ the table */

static int table_cases;

static void reset_case(table_case *c, int line) {
    memset(c, 0, sizeof *c);
    c->line = line;
    c->threshold = 2.0;
    c->score = -1;
    c->relationship = -1;
}

static void test_table(void) {
    FILE *f = fopen(NOVA_SOURCE_DIR "/tests/detect/messages.txt", "rb");
    CHECK(f != NULL);
    if (!f) return;
    static table_case c; /* large: keep it off the stack */
    char line[MAX_TEXT];
    int lineno = 0, open_case = 0, labelled_yes = 0, labelled_no = 0;
    reset_case(&c, 0);
    for (;;) {
        char *got = fgets(line, sizeof line, f);
        lineno++;
        size_t n = got ? strlen(line) : 0;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        if (!got || n == 0) {
            if (open_case) {
                CHECK_MSG(c.score >= 0 && c.relationship >= 0,
                          "case %s (line %d) lacks score or relationship", c.name, c.line);
                run_case(&c);
                table_cases++;
                *(c.relationship ? &labelled_yes : &labelled_no) += 1;
                open_case = 0;
            }
            if (!got) break;
            continue;
        }
        if (line[0] == '#') continue;
        char *colon = strchr(line, ':');
        CHECK_MSG(colon != NULL, "line %d: no key", lineno);
        if (!colon) continue;
        *colon = 0;
        const char *key = line, *value = colon + 1;
        if (*value == ' ') value++;
        if (!open_case) {
            reset_case(&c, lineno);
            open_case = 1;
        }
        if (!strcmp(key, "case")) {
            snprintf(c.name, sizeof c.name, "%s", value);
        } else if (!strcmp(key, "partners") || !strcmp(key, "strong") || !strcmp(key, "medium") ||
                   !strcmp(key, "weak")) {
            int which = key[0] == 'p' ? 0 : key[0] == 's' ? 1 : key[0] == 'm' ? 2 : 3;
            c.counts[which] = split_items(value, c.lists[which]);
            c.has_detection = 1;
        } else if (!strcmp(key, "threshold")) {
            c.threshold = strtod(value, NULL);
            c.has_detection = 1;
        } else if (!strcmp(key, "reference")) {
            unescape(value, c.reference, sizeof c.reference);
            c.has_reference = 1;
        } else if (!strcmp(key, "message")) {
            static char raw[MAX_TEXT];
            size_t raw_len = unescape(value, raw, sizeof raw);
            take_spans(&c, raw, raw_len);
        } else if (!strcmp(key, "terms")) {
            char items[MAX_ITEMS][256];
            c.term_count = *value ? split_items(value, items) : 0;
            for (size_t i = 0; i < c.term_count; i++) {
                char *slash = strrchr(items[i], '/');
                CHECK_MSG(slash != NULL, "line %d: term without /tier", lineno);
                if (!slash) continue;
                *slash = 0;
                snprintf(c.terms[i], sizeof c.terms[i], "%s", items[i]);
                snprintf(c.tiers[i], sizeof c.tiers[i], "%s", slash + 1);
            }
        } else if (!strcmp(key, "score")) {
            c.score = strtod(value, NULL);
        } else if (!strcmp(key, "relationship")) {
            c.relationship = !strcmp(value, "yes");
        } else {
            CHECK_MSG(0, "line %d: unknown key %s", lineno, key);
        }
    }
    fclose(f);
    printf("table: %d labelled messages (%d relationship, %d not)\n", table_cases, labelled_yes,
           labelled_no);
    CHECK(table_cases >= 100);
    CHECK(labelled_yes >= 30 && labelled_no >= 30);
}

/* ------------------------------------------------------------------ cases in code */

typedef struct fixture {
    arena a;
    nova_request req;
    nova_detection d;
    nova_error err;
} fixture;

static void fixture_init(fixture *f, const char *message) {
    arena_init(&f->a);
    memset(&f->req, 0, sizeof f->req);
    f->req.message.s = message;
    f->req.message.len = strlen(message);
    f->req.has_detection = 1;
    f->req.detection.relationship_threshold = 2.0;
    nova_error_init(&f->err);
}

static nova_text_list list_of(arena *a, size_t count, const char *(*item)(size_t, void *),
                              void *ctx) {
    nova_text_list l = {arena_array(a, count + 1, sizeof(nova_text)), count};
    for (size_t i = 0; i < count; i++) {
        l.items[i].s = item(i, ctx);
        l.items[i].len = strlen(l.items[i].s);
    }
    return l;
}

static const char *item_same(size_t i, void *ctx) { (void)i; return ctx; }
static const char *item_empty(size_t i, void *ctx) {
    (void)ctx;
    return i % 2 ? "" : " \t\n ";
}

static void test_thousand_duplicates_count_once(void) {
    fixture f;
    fixture_init(&f, "Honestly, my Bubbles and BUBBLES again.");
    f.req.detection.weak = list_of(&f.a, 1000, item_same, "bubbles");
    CHECK(detect_run(&f.a, &f.req, &f.d, &f.err) == NOVA_OK);
    CHECK(f.d.match_count == 1);
    if (f.d.match_count == 1) {
        CHECK_STR(f.d.matches[0].term, "bubbles");
        CHECK(f.d.matches[0].start == 13 && f.d.matches[0].end == 20);
    }
    CHECK(f.d.score == 0.5);
    CHECK(!f.d.relationship);
    arena_free(&f.a);
}

static void test_thousand_empty_keywords_skipped(void) {
    fixture f;
    fixture_init(&f, "nothing to see here");
    f.req.detection.strong = list_of(&f.a, 1000, item_empty, NULL);
    f.req.detection.partner_names = list_of(&f.a, 1000, item_empty, NULL);
    CHECK(detect_run(&f.a, &f.req, &f.d, &f.err) == NOVA_OK);
    CHECK(f.d.match_count == 0 && f.d.score == 0.0 && !f.d.relationship);
    arena_free(&f.a);
}

static void test_long_reference_name_skipped(void) {
    fixture f;
    char msg[400];
    memset(msg, 'q', 300);
    msg[300] = 0;
    fixture_init(&f, msg);
    f.req.has_reference = 1;
    f.req.reference.profile.name.s = msg; /* 300 bytes: not a term, no error */
    f.req.reference.profile.name.len = 300;
    CHECK(detect_run(&f.a, &f.req, &f.d, &f.err) == NOVA_OK);
    CHECK(f.d.match_count == 0);
    arena_free(&f.a);
}

static void test_strongest_tier_wins(void) {
    /* "jealous" is built-in medium; listed also weak and strong by the user: strong, once. */
    fixture f;
    fixture_init(&f, "I get so JEALOUS, jealous!");
    f.req.detection.weak = list_of(&f.a, 1, item_same, "Jealous");
    f.req.detection.strong = list_of(&f.a, 1, item_same, "jealous");
    CHECK(detect_run(&f.a, &f.req, &f.d, &f.err) == NOVA_OK);
    CHECK(f.d.match_count == 1 && f.d.score == 2.0 && f.d.relationship);
    if (f.d.match_count == 1) {
        CHECK_STR(f.d.matches[0].term, "jealous");
        CHECK(f.d.matches[0].tier == NOVA_TIER_STRONG);
        CHECK(f.d.matches[0].start == 9 && f.d.matches[0].end == 16);
    }
    arena_free(&f.a);
}

static void test_no_detection_config(void) {
    fixture f;
    fixture_init(&f, "my wife and I");
    f.req.has_detection = 0;
    CHECK(detect_run(&f.a, &f.req, &f.d, &f.err) == NOVA_OK);
    CHECK(f.d.threshold == 2.0 && f.d.score == 2.0 && f.d.relationship);
    arena_free(&f.a);
}

static void test_threshold_zero_and_high(void) {
    fixture f;
    fixture_init(&f, "");
    f.req.detection.relationship_threshold = 0.0;
    CHECK(detect_run(&f.a, &f.req, &f.d, &f.err) == NOVA_OK);
    CHECK(f.d.score == 0.0 && f.d.relationship); /* 0 >= 0 */
    f.req.message.s = "my husband";
    f.req.message.len = 10;
    f.req.detection.relationship_threshold = 2.5;
    CHECK(detect_run(&f.a, &f.req, &f.d, &f.err) == NOVA_OK);
    CHECK(f.d.score == 2.0 && !f.d.relationship && f.d.threshold == 2.5);
    arena_free(&f.a);
}

static void test_nul_inside_message(void) {
    fixture f;
    static const char msg[] = "wife\0wife's";
    fixture_init(&f, msg);
    f.req.message.len = sizeof msg - 1;
    CHECK(detect_run(&f.a, &f.req, &f.d, &f.err) == NOVA_OK);
    CHECK(f.d.match_count == 1 && f.d.matches[0].start == 0 && f.d.matches[0].end == 4);
    arena_free(&f.a);
}

static void test_tier_names(void) {
    CHECK_STR(detect_tier_name(NOVA_TIER_STRONG), "strong");
    CHECK_STR(detect_tier_name(NOVA_TIER_MEDIUM), "medium");
    CHECK_STR(detect_tier_name(NOVA_TIER_WEAK), "weak");
}

int main(void) {
    RUN(test_table);
    RUN(test_thousand_duplicates_count_once);
    RUN(test_thousand_empty_keywords_skipped);
    RUN(test_long_reference_name_skipped);
    RUN(test_strongest_tier_wins);
    RUN(test_no_detection_config);
    RUN(test_threshold_zero_and_high);
    RUN(test_nul_inside_message);
    RUN(test_tier_names);
    return harness_report();
}
