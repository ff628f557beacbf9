/*
 * nova-prompt — the engine from the shell: reads one JSON request on standard input,
 * prints the assembled prompt (assemble), a detection summary (detect), the extraction
 * messages (memory-prompt) or the checked operations (memory-ops), or with --json the
 * whole result JSON.
 *
 * Exit status: 0 done (also when memory-ops rejected some of the model's operations: that
 * is a result, not a bad request); 2 the engine refused the request (stderr:
 * "nova-prompt: CODE: message (at PATH)"; with --json also the engine's error result
 * {"error":{...}} on stdout, without it stdout stays empty); 64 usage error; 74 I/O error.
 */
#define _POSIX_C_SOURCE 200809L /* getline */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "nova.h"

#define EXIT_REFUSED 2
#define EXIT_USAGE 64
#define EXIT_IO 74

static const char USAGE[] =
    "usage: nova-prompt assemble|detect|memory-prompt|memory-ops [--json] < request.json\n"
    "       nova-prompt detect-many CONFIG.json [--json] [--jsonl] [--utf16] < messages\n"
    "\n"
    "  assemble       print the layered system prompt for the request\n"
    "  detect         print the relationship-keyword detection for the request's message\n"
    "  memory-prompt  print the memory update's extraction messages for the transcript\n"
    "  memory-ops     print the operations kept from llm_output, and the rejected ones\n"
    "  detect-many    compile the detector configuration in CONFIG.json once (schema\n"
    "                 $defs/detector_config) and score each line of standard input as a\n"
    "                 message: one output line per message (with --json a detection JSON\n"
    "                 object per line); --jsonl reads each line as a JSON string instead\n"
    "                 (messages with line breaks); --utf16 gives offsets in UTF-16 units\n"
    "  --json         print the whole result as JSON instead\n"
    "  --help     show this help\n"
    "  --version  show the version\n"
    "\n"
    "The request is the JSON contract in schema/nova-contract.schema.json.\n"
    "Errors go to standard error as \"nova-prompt: CODE: message (at PATH)\", exit status 2;\n"
    "with --json the error result JSON ({\"error\":{...}}) is also printed on standard output.\n";

/* Reads all of stdin, but never more than one byte over the request limit: the engine
 * then refuses the request with its own limit_exceeded error. */
static char *read_stdin(size_t *len) {
    const size_t max = (size_t)NOVA_MAX_REQUEST_BYTES + 1;
    size_t cap = 64 * 1024, n = 0;
    char *buf = malloc(cap);
    if (!buf) return NULL;
    for (;;) {
        if (n == cap) {
            size_t next = cap * 2 > max ? max : cap * 2;
            char *p = realloc(buf, next);
            if (!p) {
                free(buf);
                return NULL;
            }
            buf = p;
            cap = next;
        }
        size_t want = cap - n;
        size_t got = fread(buf + n, 1, want, stdin);
        n += got;
        if (got < want) break;
        if (n == max) break;
    }
    if (ferror(stdin)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static const char *str_member(const cJSON *obj, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

static void print_error(nova_status st, const char *out, size_t out_len) {
    cJSON *root = out ? cJSON_ParseWithLength(out, out_len) : NULL;
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
    const char *code = e ? str_member(e, "code") : nova_status_name(st);
    const char *message = e ? str_member(e, "message") : "out of memory";
    const char *path = e ? str_member(e, "path") : "";
    fprintf(stderr, "nova-prompt: %s: %s", code, message);
    if (*path) fprintf(stderr, " (at %s)", path);
    fputc('\n', stderr);
    cJSON_Delete(root);
}

/* The prompt exactly, with a final line break when it has none. */
static int print_prompt(const cJSON *root) {
    const char *prompt = str_member(root, "prompt");
    size_t n = strlen(prompt);
    fwrite(prompt, 1, n, stdout);
    if (n == 0 || prompt[n - 1] != '\n') fputc('\n', stdout);
    return 0;
}

static int print_detection(const cJSON *d) {
    const cJSON *score = cJSON_GetObjectItemCaseSensitive(d, "score");
    const cJSON *threshold = cJSON_GetObjectItemCaseSensitive(d, "threshold");
    const cJSON *rel = cJSON_GetObjectItemCaseSensitive(d, "relationship");
    printf("score %g, threshold %g, relationship %s\n", cJSON_IsNumber(score) ? score->valuedouble : 0,
           cJSON_IsNumber(threshold) ? threshold->valuedouble : 0, cJSON_IsTrue(rel) ? "yes" : "no");
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(d, "matches")) {
        const cJSON *start = cJSON_GetObjectItemCaseSensitive(m, "start");
        const cJSON *end = cJSON_GetObjectItemCaseSensitive(m, "end");
        printf("%s %s [%.0f,%.0f)\n", str_member(m, "tier"), str_member(m, "term"),
               cJSON_IsNumber(start) ? start->valuedouble : 0,
               cJSON_IsNumber(end) ? end->valuedouble : 0);
    }
    return 0;
}

/* "=== system" / "=== user" and each message's content, after what was offered. */
static int print_memory_prompt(const cJSON *root) {
    const cJSON *allowed = cJSON_GetObjectItemCaseSensitive(root, "allowed");
    printf("allowed: memories %s, partner notes %s\n",
           cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(allowed, "memories")) ? "yes" : "no",
           cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(allowed, "partner_notes")) ? "yes" : "no");
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(root, "messages")) {
        const char *content = str_member(m, "content");
        size_t n = strlen(content);
        printf("=== %s\n", str_member(m, "role"));
        fwrite(content, 1, n, stdout);
        if (n == 0 || content[n - 1] != '\n') fputc('\n', stdout);
    }
    return 0;
}

static void print_number_member(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsNumber(v)) printf(" %s %g", key, v->valuedouble);
}

/* One line per kept operation, partner note and rejection. */
static int print_memory_ops(const cJSON *root) {
    const cJSON *o;
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(root, "ops")) {
        const char *op = str_member(o, "op");
        if (strcmp(op, "add") == 0) {
            const cJSON *about = cJSON_GetObjectItemCaseSensitive(o, "about_user");
            printf("add %s about %s", str_member(o, "category"),
                   cJSON_IsString(about) ? about->valuestring : "the relationship");
        } else {
            printf("%s %s (updated_at %s)", op, str_member(o, "id"), str_member(o, "updated_at"));
        }
        print_number_member(o, "confidence");
        const cJSON *content = cJSON_GetObjectItemCaseSensitive(o, "content");
        if (cJSON_IsString(content)) printf(": %s", content->valuestring);
        fputc('\n', stdout);
    }
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(root, "partner_notes")) {
        printf("partner_note %s: %s\n", str_member(o, "field"), str_member(o, "content"));
    }
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(root, "rejected")) {
        const cJSON *index = cJSON_GetObjectItemCaseSensitive(o, "index");
        if (cJSON_IsNumber(index)) printf("rejected operations[%.0f]: %s\n", index->valuedouble,
                                          str_member(o, "reason"));
        else printf("rejected the answer: %s\n", str_member(o, "reason"));
    }
    return 0;
}

typedef nova_status (*call_fn)(const char *, size_t, char **, size_t *);
typedef int (*print_fn)(const cJSON *root);

static const struct command {
    const char *name;
    call_fn call;
    print_fn print;
} COMMANDS[] = {
    {"assemble", nova_assemble, print_prompt},
    {"detect", nova_detect, print_detection},
    {"memory-prompt", nova_memory_prompt, print_memory_prompt},
    {"memory-ops", nova_memory_ops, print_memory_ops},
};

/* "N: score S, threshold T, relationship yes: strong Sam [0,3), weak date [9,13)" */
static void print_detection_line(size_t number, const cJSON *d) {
    const cJSON *score = cJSON_GetObjectItemCaseSensitive(d, "score");
    const cJSON *threshold = cJSON_GetObjectItemCaseSensitive(d, "threshold");
    printf("%zu: score %g, threshold %g, relationship %s", number,
           cJSON_IsNumber(score) ? score->valuedouble : 0,
           cJSON_IsNumber(threshold) ? threshold->valuedouble : 0,
           cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "relationship")) ? "yes" : "no");
    const char *sep = ": ";
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(d, "matches")) {
        const cJSON *start = cJSON_GetObjectItemCaseSensitive(m, "start");
        const cJSON *end = cJSON_GetObjectItemCaseSensitive(m, "end");
        printf("%s%s %s [%.0f,%.0f)", sep, str_member(m, "tier"), str_member(m, "term"),
               cJSON_IsNumber(start) ? start->valuedouble : 0,
               cJSON_IsNumber(end) ? end->valuedouble : 0);
        sep = ", ";
    }
    fputc('\n', stdout);
}

/* Reads a whole (small) file; NULL when it cannot be read. */
static char *read_path(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *p = cap > NOVA_MAX_REQUEST_BYTES ? NULL : realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
            }
            buf = p;
            cap *= 2;
        }
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* detect-many: one compiled detector, one result line per input line. A line that is not
 * a message (--jsonl: not a JSON string) or that the engine refuses gets an error line
 * (an error result with --json) and makes the exit status 2; the others go on. */
static int detect_many(const char *config_path, int json, int jsonl, int utf16) {
    size_t config_len = 0;
    char *config = read_path(config_path, &config_len);
    if (!config) {
        fprintf(stderr, "nova-prompt: cannot read %s\n", config_path);
        return EXIT_IO;
    }
    nova_detector *det = NULL;
    char *err = NULL;
    size_t err_len = 0;
    nova_status st = nova_detector_new(config, config_len, &det, &err, &err_len);
    free(config);
    if (st != NOVA_OK) {
        print_error(st, err, err_len);
        if (json && err) printf("%s\n", err);
        nova_free(err);
        return EXIT_REFUSED;
    }
    int status = 0;
    char *line = NULL;
    size_t cap = 0, number = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, stdin)) >= 0) {
        size_t n = (size_t)got;
        number++;
        if (n && line[n - 1] == '\n') n--;
        if (n && line[n - 1] == '\r') n--;
        cJSON *parsed = NULL;
        const char *msg = line;
        if (jsonl) {
            parsed = cJSON_ParseWithLength(line, n);
            if (!cJSON_IsString(parsed)) {
                fprintf(stderr, "nova-prompt: line %zu: not a JSON string\n", number);
                if (json)
                    printf("{\"error\":{\"code\":\"invalid_json\",\"message\":\"line %zu is not a "
                           "JSON string\",\"path\":\"\"}}\n", number);
                cJSON_Delete(parsed);
                status = EXIT_REFUSED;
                continue;
            }
            msg = parsed->valuestring;
            n = strlen(msg);
        }
        char *out = NULL;
        size_t out_len = 0;
        st = nova_detector_detect(det, msg, n, utf16 ? NOVA_DETECT_UTF16 : 0, &out, &out_len);
        cJSON_Delete(parsed);
        if (st != NOVA_OK) {
            fprintf(stderr, "nova-prompt: line %zu: ", number);
            print_error(st, out, out_len);
            status = EXIT_REFUSED;
        }
        if (json && out) {
            fwrite(out, 1, out_len, stdout);
            fputc('\n', stdout);
        } else if (st == NOVA_OK) {
            cJSON *root = cJSON_ParseWithLength(out, out_len);
            print_detection_line(number, root);
            cJSON_Delete(root);
        }
        nova_free(out);
    }
    free(line);
    nova_detector_free(det);
    if (ferror(stdin)) {
        fprintf(stderr, "nova-prompt: cannot read standard input\n");
        return EXIT_IO;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "nova-prompt: cannot write standard output\n");
        return EXIT_IO;
    }
    return status;
}

int main(int argc, char **argv) {
    const struct command *command = NULL;
    const char *config = NULL;
    int json = 0, jsonl = 0, utf16 = 0, many = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(USAGE, stdout);
            return 0;
        }
        if (strcmp(arg, "--version") == 0) {
            printf("nova-prompt %s\n", nova_version());
            return 0;
        }
        const struct command *named = NULL;
        for (size_t c = 0; c < sizeof COMMANDS / sizeof COMMANDS[0]; c++)
            if (strcmp(arg, COMMANDS[c].name) == 0) named = &COMMANDS[c];
        if (strcmp(arg, "--json") == 0) {
            json = 1;
        } else if (strcmp(arg, "--jsonl") == 0) {
            jsonl = 1;
        } else if (strcmp(arg, "--utf16") == 0) {
            utf16 = 1;
        } else if (!command && !many && named) {
            command = named;
        } else if (!command && !many && strcmp(arg, "detect-many") == 0) {
            many = 1;
        } else if (many && !config && arg[0] != '-') {
            config = arg;
        } else {
            fprintf(stderr, "nova-prompt: unexpected argument '%s'\n%s", arg, USAGE);
            return EXIT_USAGE;
        }
    }
    if ((!command && !many) || many != (config != NULL) || (!many && (jsonl || utf16))) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    if (many) return detect_many(config, json, jsonl, utf16);

    size_t len = 0;
    char *request = read_stdin(&len);
    if (!request) {
        fprintf(stderr, "nova-prompt: cannot read standard input\n");
        return EXIT_IO;
    }
    char *out = NULL;
    size_t out_len = 0;
    nova_status st = command->call(request, len, &out, &out_len);
    free(request);

    int status = 0;
    if (st != NOVA_OK) {
        print_error(st, out, out_len);
        /* With --json a program gets the error as data too: the engine's own
         * {"error":{...}} result (none when even that could not be allocated). */
        if (json && out) {
            fwrite(out, 1, out_len, stdout);
            fputc('\n', stdout);
        }
        status = EXIT_REFUSED;
    } else if (json) {
        fwrite(out, 1, out_len, stdout);
        fputc('\n', stdout);
    } else {
        cJSON *root = cJSON_ParseWithLength(out, out_len);
        if (!root) {
            fprintf(stderr, "nova-prompt: out_of_memory: cannot read the result\n");
            status = EXIT_REFUSED;
        } else {
            status = command->print(root);
        }
        cJSON_Delete(root);
    }
    nova_free(out);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "nova-prompt: cannot write standard output\n");
        return EXIT_IO;
    }
    return status;
}
