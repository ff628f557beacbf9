/*
 * request_summary — memory_summary (a JSON object the AI keeps about the user) flattened
 * by the decoder into the lines the main_user layer shows, "- key.sub: value", so no
 * layer reads the JSON tree.
 *
 * The same object always gives the same lines, whatever key order the database returned:
 * keys sorted bytewise (duplicates in their given order), at most SUMMARY_MAX_DEPTH
 * levels, SUMMARY_MAX_LINES lines and SUMMARY_MAX_ITEMS scalars joined from one array
 * (", "), objects inside an array numbered from 1 ("key.1.sub"), numbers in the
 * shortest text that reads back as the same double (fmt.h's nova_format_shortest: what
 * String(x) gives in JS; the decoder refuses a number beyond the double range), booleans
 * as yes/no, nulls and empty values left out. Keys and
 * values are sanitized as one-line text (keys capped like names, values like long
 * fields).
 */
#ifndef NOVA_REQUEST_SUMMARY_H
#define NOVA_REQUEST_SUMMARY_H

#include "arena.h"
#include "request.h"

struct cJSON;

#define SUMMARY_MAX_DEPTH 4   /* levels of nested objects rendered; deeper ones left out */
#define SUMMARY_MAX_LINES 40  /* lines in all */
#define SUMMARY_MAX_ITEMS 20  /* scalars joined from one array */

/* Flattens the object obj into *out (arena memory). Returns 0 when the arena failed. */
int summary_flatten(arena *a, const struct cJSON *obj, nova_summary *out);

#endif
