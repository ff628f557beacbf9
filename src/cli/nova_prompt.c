/*
 * nova-prompt — the engine from the shell: reads one JSON request on standard input,
 * prints the assembled prompt (assemble) or a detection summary (detect), or with
 * --json the whole result JSON.
 *
 * Exit status: 0 done; 2 the engine refused the request (stderr:
 * "nova-prompt: CODE: message (at PATH)"; with --json also the engine's error result
 * {"error":{...}} on stdout, without it stdout stays empty); 64 usage error; 74 I/O error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "nova.h"

#define EXIT_REFUSED 2
#define EXIT_USAGE 64
#define EXIT_IO 74

static const char USAGE[] =
    "usage: nova-prompt assemble|detect [--json] < request.json\n"
    "\n"
    "  assemble   print the layered system prompt for the request\n"
    "  detect     print the relationship-keyword detection for the request's message\n"
    "  --json     print the whole result as JSON instead\n"
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

int main(int argc, char **argv) {
    const char *command = NULL;
    int json = 0;
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
        if (strcmp(arg, "--json") == 0) {
            json = 1;
        } else if (!command && (strcmp(arg, "assemble") == 0 || strcmp(arg, "detect") == 0)) {
            command = arg;
        } else {
            fprintf(stderr, "nova-prompt: unexpected argument '%s'\n%s", arg, USAGE);
            return EXIT_USAGE;
        }
    }
    if (!command) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }

    size_t len = 0;
    char *request = read_stdin(&len);
    if (!request) {
        fprintf(stderr, "nova-prompt: cannot read standard input\n");
        return EXIT_IO;
    }
    int assemble = strcmp(command, "assemble") == 0;
    char *out = NULL;
    size_t out_len = 0;
    nova_status st = assemble ? nova_assemble(request, len, &out, &out_len)
                              : nova_detect(request, len, &out, &out_len);
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
            status = assemble ? print_prompt(root) : print_detection(root);
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
