#include "error.h"

#include <stdarg.h>
#include <string.h>

#include "fmt.h"

void nova_error_init(nova_error *e) {
    e->code = NOVA_OK;
    e->message[0] = '\0';
    e->path[0] = '\0';
}

nova_status nova_vfail(nova_error *e, nova_status code, const char *path, const char *fmt,
                       va_list ap) {
    if (e->code != NOVA_OK) return e->code;
    e->code = code;
    nova_vsnprintf(e->message, sizeof e->message, fmt, ap);
    nova_snprintf(e->path, sizeof e->path, "%s", path ? path : "");
    return code;
}

nova_status nova_fail(nova_error *e, nova_status code, const char *path, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    nova_status st = nova_vfail(e, code, path, fmt, ap);
    va_end(ap);
    return st;
}
